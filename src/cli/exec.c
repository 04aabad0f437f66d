/* exec.c — `vnetlab exec LAB NODE -- CMD...`, like jexec(8).
 *
 * This process joins the node's network, UTS and the lab's PID namespace,
 * then forks the command, so stdin/stdout/stderr and the controlling
 * terminal are simply inherited and the exit status is the command's.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/ctl.h"

/* Like `ip netns exec`: a private mount namespace with a fresh sysfs, so
 * /sys/class/net shows the node's interfaces.  Best effort. */
static void fresh_sysfs(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return;
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return;
	umount2("/sys", MNT_DETACH);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
}

static int enter(const char *lab, const char *node, struct vl_err *err)
{
	struct vl_lab_paths p;
	int fds[3];
	int rc = cli_lab(lab, &p, err);
	if (rc == 0)
		rc = vl_ctl_node_ns(&p, node, fds, err);
	if (rc < 0)
		return rc;
	static const int types[3] = {CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWPID};
	static const char *const names[3] = {"network", "UTS", "PID"};
	for (int i = 0; i < 3 && rc == 0; i++)
		if (setns(fds[i], types[i]) < 0)
			rc = vl_err_sys(err, errno, "joining the %s namespace of %s.%s",
					names[i], lab, node);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	return rc;
}

int cmd_exec(int argc, char **argv)
{
	if (argc < 3)
		return cli_usage("exec");
	const char *lab = argv[1], *node = argv[2];
	int first = 3;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	char *shell[] = {getenv("SHELL") ? getenv("SHELL") : "/bin/sh", NULL};
	char **cmd = first < argc ? argv + first : shell;
	struct vl_err err;
	vl_err_init(&err);
	if (enter(lab, node, &err) < 0)
		return cli_fail(&err);
	/* The terminal's Ctrl-C belongs to the command, as with jexec. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		vl_err_sys(&err, errno, "fork");
		return cli_fail(&err);
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		fresh_sysfs();
		execvp(cmd[0], cmd);
		fprintf(stderr, "vnetlab: %s: %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
