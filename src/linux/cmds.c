/* SPDX-License-Identifier: BSD-2-Clause */
/* cmds.c — a topology's startup commands, run in their node to completion
 * within a time limit; a failure brings its last lines of output. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vnetlab/plan_diff.h"

#include "linux/be.h"

/* ---- running a program in a node ------------------------------------------ */

/* In the child: the node's namespaces and view, then argv.  Only system
 * calls until exec (the keeper may have threads).  An error goes to the
 * parent through the close-on-exec pipe. */
static _Noreturn void spawn_child(struct linux_be *b, size_t node, char *const argv[],
				  char *const env[], int logfd, int report, int uts)
{
	int e = 0;
	if (uts < 0 || setns(b->nodes[node].net, CLONE_NEWNET) < 0 ||
	    setns(uts, CLONE_NEWUTS) < 0)
		e = uts < 0 ? -uts : errno;
	/* The node's filesystem view, as `vnetlab exec` gives its commands
	 * (made by the parent: see vl_linux_node_spawn). */
	if (!e && (setns(b->nodes[node].mnt, CLONE_NEWNS) < 0 || chdir("/") < 0))
		e = errno;
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (!e && (devnull < 0 || dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 ||
		   dup2(logfd, 2) < 0))
		e = errno;
	/* A session of its own: a service's daemons are signalled as one. */
	setsid();
	umask(022);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL); /* the keeper ignores it; exec would keep that */
	if (!e) {
		if (env)
			execvpe(argv[0], argv, env);
		else
			execvp(argv[0], argv);
		e = errno;
	}
	ssize_t w = write(report, &e, sizeof(e));
	(void)w;
	_exit(127);
}

pid_t vl_linux_node_spawn(struct vl_backend *be, long node, char *const argv[],
			  char *const env[], int logfd, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const char *name = topo_of(b)->nodes[node].name;
	int rc = lbe_view(b, (size_t)node, err); /* made here: the child cannot */
	if (rc < 0)
		return rc;
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return vl_err_sys(err, errno, "node %s: %s", name, argv[0]);
	int uts = vl_linux_ns_open(be, node, CLONE_NEWUTS);
	pid_t pid = fork();
	if (pid == 0)
		spawn_child(b, (size_t)node, argv, env, logfd, pipefd[1], uts);
	int fork_errno = errno;
	close(pipefd[1]);
	if (uts >= 0)
		close(uts);
	int child_errno = 0;
	ssize_t got = pid > 0 ? read(pipefd[0], &child_errno, sizeof(child_errno)) : 0;
	close(pipefd[0]);
	if (pid < 0)
		return vl_err_sys(err, fork_errno, "node %s: %s: fork", name, argv[0]);
	if (got == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		return vl_err_sys(err, child_errno, "node %s: could not start %s", name, argv[0]);
	}
	return pid;
}

int vl_linux_wait_timeout(pid_t pid, int timeout_ms, int *status)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		int r = poll(&p, 1, timeout_ms);
		close(pfd);
		if (r == 0)
			return -ETIMEDOUT;
		return waitpid(pid, status, 0) < 0 ? -errno : 0;
	}
	/* No pidfds (old kernel, a seccomp filter): poll the child, so the
	 * limit holds all the same. */
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
}

/* The last lines a failed startup command wrote, into the error: its
 * log lives in the lab's state directory, which the rollback removes. */
void vl_log_tail(struct vl_err *err, const char *log, const char *node)
{
	char buf[1024];
	int fd = open(log, O_RDONLY | O_CLOEXEC);
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = end > 0 ? pread(fd, buf, sizeof(buf) - 1, from) : 0;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		vl_errf(err, "  (%s: no output)", node);
		return;
	}
	buf[n] = '\0';
	/* Whole lines only (the first is cut when the file is longer), the
	 * last 8 of them. */
	char *lines[64];
	int k = 0;
	for (char *save, *l = strtok_r(buf, "\n", &save); l && k < 64;
	     l = strtok_r(NULL, "\n", &save))
		lines[k++] = l;
	int first = from > 0 && k > 1 ? 1 : 0;
	if (k - first > 8)
		first = k - 8;
	for (int i = first; i < k; i++)
		vl_errf(err, "  %s| %s", node, lines[i]);
}

int lbe_cmd_run(struct vl_backend *be, const struct vl_op *op,
		   struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	const struct vl_cmd *c = &n->cmds[op->idx];
	int rc = lbe_flush(b, err); /* the node must be fully configured first */
	if (rc < 0)
		return rc;
	char log[512];
	snprintf(log, sizeof(log), "%s/%s.log", b->o.log_dir, n->name);
	int logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (logfd < 0)
		return lbe_op_fail(b, op, errno, log, err);
	struct vl_err why;
	vl_err_init(&why);
	pid_t pid = vl_linux_node_spawn(be, (long)op->node, c->argv, NULL, logfd, &why);
	close(logfd);
	if (pid < 0) {
		char what[300];
		vl_op_describe(b->base.plan, op, what, sizeof(what));
		return vl_errf(err, "%s: %s", what, why.msg), (int)pid;
	}
	int status = 0;
	rc = vl_linux_wait_timeout(pid, b->o.cmd_timeout_ms, &status);
	if (rc == -ETIMEDOUT) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		char what[300];
		vl_op_describe(b->base.plan, op, what, sizeof(what));
		vl_errf(err, "%s: still running after %d ms (up --cmd-timeout MS "
			"sets the limit); startup commands must finish (daemonize "
			"servers, e.g. iperf3 -s -D); its output:", what,
			b->o.cmd_timeout_ms);
		vl_log_tail(err, log, n->name);
		return -ETIMEDOUT;
	}
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char what[300];
	vl_op_describe(b->base.plan, op, what, sizeof(what));
	if (rc == 0 && WIFSIGNALED(status))
		vl_errf(err, "%s: killed by signal %d; its output:", what, WTERMSIG(status));
	else
		vl_errf(err, "%s: exited with status %d; its output:", what,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	vl_log_tail(err, log, n->name);
	return -ECHILD;
}
