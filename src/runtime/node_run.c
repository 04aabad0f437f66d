/* SPDX-License-Identifier: BSD-2-Clause */
/* node_run.c — a command run in a node as jexec(8) runs one in a jail
 * (node.h: vl_node_run): this process waits, the command inherits its
 * terminal, and the exit status is the command's. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnetlab/node.h"
#include "vnetlab/san.h"

/* The command, for the signal handler: a SIGTERM or SIGHUP to this
 * process (a closed terminal, a supervisor stopping it) goes on to the
 * command instead of leaving it running in the lab without us. */
static volatile pid_t node_child;

static void forward(int sig)
{
	if (node_child > 0)
		kill(node_child, sig);
}

static void say(const struct vl_err *err)
{
	for (const char *p = err->msg; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "vnetlab: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* In the child, born in the lab's PID namespace: the view, the user,
 * then the command. */
static _Noreturn void child(char **cmd, const struct vl_node_user *u, struct vl_node_entry *e)
{
	struct vl_err err;
	vl_err_init(&err);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (vl_node_join_mnt(e, &err) < 0 || (u && vl_node_become(u, e->rootless, &err) < 0)) {
		say(&err);
		_exit(126);
	}
	/* Should we be killed outright (SIGKILL cannot be forwarded), the
	 * command goes too, as with jexec, which becomes the command.  Set
	 * after vl_node_become: a change of credentials clears it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execvp(cmd[0], cmd);
	fprintf(stderr, "vnetlab: %s: %s\n", cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Leaves by _exit() alone: once the PID namespace is joined, every fork
 * of this process — including one at exit by LeakSanitizer's tracer in
 * sanitizer builds — is born in the lab's PID namespace, where it cannot
 * see its parent. */
_Noreturn void vl_node_run(char **cmd, const struct vl_node_user *u, struct vl_node_entry *e,
			   void (*killed)(void *arg), void *arg)
{
	/* The terminal's Ctrl-C belongs to the command, as with jexec. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	fflush(NULL);
	/* The last moment LeakSanitizer can trace this process (san.h);
	 * from here on it only forks and waits. */
	vl_leak_check();
	struct vl_err err;
	vl_err_init(&err);
	if (vl_node_join_pid(e, &err) < 0) {
		say(&err);
		_exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("vnetlab: fork");
		_exit(1);
	}
	if (pid == 0)
		child(cmd, u, e);
	node_child = pid;
	struct sigaction sa = {.sa_handler = forward, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	int status = 0;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && killed)
		killed(arg);
	int code = r < 0 ? 1 : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	fflush(NULL);
	_exit(code);
}
