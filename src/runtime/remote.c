/* SPDX-License-Identifier: BSD-2-Clause */
/* remote.c — vnetlab on another host over OpenSSH (remote.h). */
#include "vnetlab/remote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *vl_shell_quote(const char *word)
{
	size_t n = 2;
	for (const char *p = word; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *q = malloc(n + 1), *o = q;
	if (!q)
		return NULL;
	*o++ = '\'';
	for (const char *p = word; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

void vl_remote_argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

/* vnetlab's own options, then the host's: OpenSSH takes the first value
 * of an option, so a host cannot turn BatchMode or the master off by
 * accident; it may add keys, ports, known-hosts files. */
char **vl_remote_argv(const struct vl_remote_host *h, const char *ctl_dir,
		      const char *const *args, bool tty)
{
	char ctl[4200];
	snprintf(ctl, sizeof(ctl), "ControlPath=%s/%%C", ctl_dir);
	const char *fixed[] = {"ssh",
			       "-o", "BatchMode=yes",
			       "-o", "ControlMaster=auto",
			       "-o", ctl,
			       "-o", "ControlPersist=120",
			       "-o", "ConnectTimeout=10",
			       "-o", "ServerAliveInterval=5",
			       "-o", "ServerAliveCountMax=3",
			       "-o", "LogLevel=ERROR",
			       tty ? "-t" : "-T"};
	size_t nf = sizeof(fixed) / sizeof(fixed[0]), na = 0;
	while (args && args[na])
		na++;
	size_t total = nf + h->n_options + 2 + h->n_vnetlab + na + 1;
	char **argv = calloc(total, sizeof(*argv));
	if (!argv)
		return NULL;
	size_t k = 0;
	bool oom = false;
	for (size_t i = 0; i < nf; i++)
		oom |= !(argv[k++] = strdup(fixed[i]));
	for (size_t i = 0; i < h->n_options; i++)
		oom |= !(argv[k++] = strdup(h->options[i]));
	/* "--": a destination that starts with '-' is not an option */
	oom |= !(argv[k++] = strdup("--"));
	oom |= !(argv[k++] = strdup(h->ssh));
	for (size_t i = 0; i < h->n_vnetlab; i++)
		oom |= !(argv[k++] = vl_shell_quote(h->vnetlab[i]));
	for (size_t i = 0; i < na; i++)
		oom |= !(argv[k++] = vl_shell_quote(args[i]));
	if (oom) {
		vl_remote_argv_free(argv);
		return NULL;
	}
	return argv;
}

struct sink {
	char *s;
	size_t len, cap;
};

#define SINK_MAX (64u << 20)

static int sink_read(int fd, struct sink *k)
{
	for (;;) {
		if (k->len + 4096 + 1 > k->cap) {
			size_t cap = k->cap ? k->cap * 2 : 8192;
			if (cap > SINK_MAX)
				return -EFBIG;
			char *p = realloc(k->s, cap);
			if (!p)
				return -ENOMEM;
			k->s = p, k->cap = cap;
		}
		ssize_t n = read(fd, k->s + k->len, k->cap - k->len - 1);
		if (n > 0) {
			k->len += (size_t)n;
			k->s[k->len] = '\0';
			continue;
		}
		if (n == 0)
			return 1; /* end */
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	}
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void child(char **argv, int in, int out, int errfd)
{
	dup2(in, 0), dup2(out, 1), dup2(errfd, 2);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	execvp(argv[0], argv);
	dprintf(2, "vnetlab: cannot run ssh: %s\n", strerror(errno));
	_exit(255);
}

/* Feeds in, reads both outputs, until the client exits.  Not until EOF:
 * a ControlPersist master that the first client forks keeps the client's
 * stdout and stderr open long after it has answered. */
static int pump(pid_t pid, int in, const char *buf, size_t len, int out, int errfd,
		int timeout_ms, bool hold, struct vl_remote_result *r)
{
	struct sink o = {0}, e = {0};
	size_t sent = 0;
	double end = now_ms() + timeout_ms;
	int status = 0, rc = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		double left = end - now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			r->timed_out = true;
			break;
		}
		struct pollfd p[3] = {{out, POLLIN, 0}, {errfd, POLLIN, 0},
				      {in >= 0 && sent < len ? in : -1, POLLOUT, 0}};
		poll(p, 3, left < 50 ? (int)left + 1 : 50);
		if (p[0].revents && sink_read(out, &o) == 1)
			p[0].fd = -1;
		if (p[1].revents && sink_read(errfd, &e) == 1)
			p[1].fd = -1;
		if (in >= 0 && p[2].revents) {
			ssize_t n = write(in, buf + sent, len - sent);
			if (n > 0)
				sent += (size_t)n;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				sent = len;
			if (sent == len && !hold) {
				close(in);
				in = -1;
			}
		}
		if (in >= 0 && sent == len && !hold) {
			close(in);
			in = -1;
		}
	}
	if (in >= 0)
		close(in);
	sink_read(out, &o); /* what came before the exit */
	sink_read(errfd, &e);
	r->out = o.s ? o.s : strdup("");
	r->errout = e.s ? e.s : strdup("");
	r->out_len = o.len, r->err_len = e.len;
	r->status = r->timed_out ? 255 : WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	if (!r->out || !r->errout)
		rc = -ENOMEM;
	return rc;
}

static int run(const struct vl_remote_host *h, const char *ctl_dir,
	       const char *const *args, const char *in, size_t in_len, int timeout_ms,
	       bool hold, struct vl_remote_result *r, struct vl_err *err)
{
	*r = (struct vl_remote_result){0};
	char **argv = vl_remote_argv(h, ctl_dir, args, false);
	if (!argv)
		return vl_errf(err, "host %s: out of memory", h->name), -ENOMEM;
	int pi[2] = {-1, -1}, po[2] = {-1, -1}, pe[2] = {-1, -1};
	int rc = 0;
	if (pipe2(pi, O_CLOEXEC) < 0 || pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		rc = vl_err_sys(err, errno, "host %s: pipe", h->name);
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		rc = vl_err_sys(err, errno, "host %s: fork", h->name);
		goto out;
	}
	if (pid == 0)
		child(argv, pi[0], po[1], pe[1]);
	close(pi[0]), close(po[1]), close(pe[1]);
	pi[0] = po[1] = pe[1] = -1;
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);
	fcntl(pi[1], F_SETFL, O_NONBLOCK);
	/* a remote that stops reading must not kill us with SIGPIPE */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	rc = pump(pid, in ? pi[1] : (close(pi[1]), -1), in, in_len, po[0], pe[0], timeout_ms,
		  hold, r);
	sigaction(SIGPIPE, &old, NULL);
	pi[1] = -1;
	if (rc < 0)
		vl_errf(err, "host %s: out of memory", h->name);
	else if (r->timed_out) {
		vl_errf(err, "host %s (%s): no answer within %.1f s", h->name, h->ssh,
			timeout_ms / 1000.0);
		rc = -ETIMEDOUT;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (pi[i] >= 0)
			close(pi[i]);
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	vl_remote_argv_free(argv);
	return rc;
}

int vl_remote_run(const struct vl_remote_host *h, const char *ctl_dir,
		  const char *const *args, const char *in, size_t in_len, int timeout_ms,
		  struct vl_remote_result *r, struct vl_err *err)
{
	return run(h, ctl_dir, args, in, in_len, timeout_ms, false, r, err);
}

int vl_remote_run_held(const struct vl_remote_host *h, const char *ctl_dir,
		       const char *const *args, const char *in, size_t in_len, int timeout_ms,
		       struct vl_remote_result *r, struct vl_err *err)
{
	return run(h, ctl_dir, args, in, in_len, timeout_ms, true, r, err);
}

void vl_remote_result_free(struct vl_remote_result *r)
{
	free(r->out);
	free(r->errout);
	*r = (struct vl_remote_result){0};
}

void vl_remote_close(const struct vl_remote_host *h, const char *ctl_dir)
{
	char ctl[4200];
	snprintf(ctl, sizeof(ctl), "ControlPath=%s/%%C", ctl_dir);
	const char *argv[20];
	size_t k = 0;
	const char *head[] = {"ssh", "-o", ctl, "-O", "exit"};
	for (size_t i = 0; i < 5; i++)
		argv[k++] = head[i];
	for (size_t i = 0; i < h->n_options && k < 17; i++)
		argv[k++] = h->options[i];
	argv[k++] = "--";
	argv[k++] = h->ssh;
	argv[k] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		child((char **)argv, null, null, null);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}
