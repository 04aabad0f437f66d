/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl: one request, one reply over SOCK_SEQPACKET; fds by SCM_RIGHTS;
 * oversize, cut or non-text messages refused whole; the peer uid rule. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnetlab/ctl.h"

static int sp[2]; /* [0] the client's end, [1] the keeper's */

static void pair(void)
{
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
}

static void unpair(void)
{
	close(sp[0]);
	close(sp[1]);
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the DIR's own */
}

/* A raw message: text of len bytes (NULs allowed) and n fds. */
static void raw_send(int fd, const char *text, size_t len, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 32)];
	struct iovec iov = {.iov_base = (void *)text, .iov_len = len};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (n) {
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	cr_assert_eq(sendmsg(fd, &m, 0), (ssize_t)len, "%s", strerror(errno));
}

TestSuite(ctl, .init = pair, .fini = unpair);

/* ---- framing ---------------------------------------------------------------- */

Test(ctl, request_and_reply)
{
	/* The keeper's reply may be queued before the request is read:
	 * messages keep their boundaries. */
	cr_assert_eq(vl_ctl_send(sp[1], "ok 4242", NULL, 0), 0);
	char reply[VL_CTL_MAX];
	int fds[VL_CTL_MAX_FDS], n = -1;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), fds, &n, &err), 0, "%s",
		     err.msg);
	cr_expect_str_eq(reply, "ok 4242");
	cr_expect_eq(n, 0);
	char req[VL_CTL_MAX];
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), 4);
	cr_expect_str_eq(req, "ping");

	/* Two messages are two, not one stream. */
	cr_assert_eq(vl_ctl_send(sp[0], "ns a", NULL, 0), 0);
	cr_assert_eq(vl_ctl_send(sp[0], "ns b", NULL, 0), 0);
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), 4);
	cr_expect_str_eq(req, "ns a");
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), 4);
	cr_expect_str_eq(req, "ns b");
}

Test(ctl, a_reply_not_ok_is_an_error)
{
	char reply[VL_CTL_MAX];
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_ctl_send(sp[1], "error: lab 'x' has no vnet node 'q'", NULL, 0), 0);
	cr_expect_eq(vl_ctl_call(sp[0], "ns q", reply, sizeof(reply), NULL, NULL, &err), -EPROTO);
	cr_expect(strstr(err.msg, "has no vnet node 'q'"), "%s", err.msg);
	/* "ok" only as the start of the reply. */
	vl_err_init(&err);
	cr_assert_eq(vl_ctl_send(sp[1], "not ok", NULL, 0), 0);
	cr_expect_eq(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), -EPROTO);
}

Test(ctl, a_closed_keeper_is_an_error)
{
	/* The keeper reads the request and hangs up without a reply. */
	pid_t pid = fork();
	if (pid == 0) {
		char req[VL_CTL_MAX];
		close(sp[0]);
		_exit(vl_ctl_recv(sp[1], req, sizeof(req)) == 4 ? 0 : 1);
	}
	close(sp[1]);
	sp[1] = -1;
	char reply[VL_CTL_MAX];
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), -EPIPE);
	cr_expect(strstr(err.msg, "closed the connection"), "%s", err.msg);
	int st;
	waitpid(pid, &st, 0);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Sending to nobody: an error, not SIGPIPE. */
	vl_err_init(&err);
	cr_expect_lt(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), 0);
	cr_expect(strstr(err.msg, "sending 'ping'"), "%s", err.msg);
}

Test(ctl, fds_arrive_and_work)
{
	int p[2], q[2];
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(pipe(q), 0);
	int out[2] = {p[1], q[1]};
	cr_assert_eq(vl_ctl_send(sp[1], "ok", out, 2), 0);
	close(p[1]);
	close(q[1]);
	char reply[VL_CTL_MAX];
	int fds[VL_CTL_MAX_FDS], n = 0;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_ctl_call(sp[0], "ns a", reply, sizeof(reply), fds, &n, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(n, 2);
	/* In order, working, and close-on-exec (namespace fds must not
	 * leak into the commands exec runs). */
	cr_expect_eq(write(fds[0], "P", 1), 1);
	cr_expect_eq(write(fds[1], "Q", 1), 1);
	char c = 0;
	cr_expect_eq(read(p[0], &c, 1), 1);
	cr_expect_eq(c, 'P');
	cr_expect_eq(read(q[0], &c, 1), 1);
	cr_expect_eq(c, 'Q');
	for (int i = 0; i < 2; i++) {
		cr_expect(fcntl(fds[i], F_GETFD) & FD_CLOEXEC, "fd %d without FD_CLOEXEC", i);
		close(fds[i]);
	}
	close(p[0]);
	close(q[0]);
}

Test(ctl, fds_nobody_asked_for_are_closed)
{
	int before = open_fds();
	int p[2];
	cr_assert_eq(pipe(p), 0);
	int out[3] = {p[0], p[1], p[1]};
	cr_assert_eq(vl_ctl_send(sp[0], "ping", out, 3), 0);
	close(p[0]);
	close(p[1]);
	char req[VL_CTL_MAX];
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), 4);
	cr_expect_eq(open_fds(), before, "fds left open by vl_ctl_recv");
	/* Likewise vl_ctl_call without room for fds. */
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(vl_ctl_send(sp[1], "ok", p, 2), 0);
	close(p[0]);
	close(p[1]);
	char reply[VL_CTL_MAX];
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), 0);
	char drain[VL_CTL_MAX];
	vl_ctl_recv(sp[1], drain, sizeof(drain));
	cr_expect_eq(open_fds(), before, "fds left open by vl_ctl_call");
}

Test(ctl, oversize_refused_whole)
{
	static char big[VL_CTL_MAX + 100];
	memset(big, 'x', sizeof(big) - 1);
	memcpy(big, "link ", 5);
	/* The sender refuses what the receiver could not take whole. */
	cr_expect_eq(vl_ctl_send(sp[0], big, NULL, 0), -EMSGSIZE);
	big[VL_CTL_MAX] = '\0';
	cr_expect_eq(vl_ctl_send(sp[0], big, NULL, 0), -EMSGSIZE, "VL_CTL_MAX bytes + NUL");
	big[VL_CTL_MAX - 1] = '\0';
	cr_expect_eq(vl_ctl_send(sp[0], big, NULL, 0), 0, "VL_CTL_MAX - 1 bytes fit");
	char req[VL_CTL_MAX];
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), VL_CTL_MAX - 1);
	cr_expect_eq(strlen(req), VL_CTL_MAX - 1);

	/* One that someone else sent too long is refused, not cut, and its
	 * fds closed. */
	int before = open_fds();
	int p[2];
	cr_assert_eq(pipe(p), 0);
	raw_send(sp[0], "down and more", 13, NULL, 0);
	raw_send(sp[0], big, VL_CTL_MAX + 50, p, 2);
	close(p[0]);
	close(p[1]);
	char small[8];
	cr_expect_eq(vl_ctl_recv(sp[1], small, sizeof(small)), -EMSGSIZE, "13 bytes in 8");
	cr_expect_str_eq(small, "", "nothing of it is left to act on");
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), -EMSGSIZE);
	cr_expect_eq(open_fds(), before, "the refused message's fds");
	/* The next message is whole again. */
	cr_assert_eq(vl_ctl_send(sp[0], "ping", NULL, 0), 0);
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), 4);

	/* A reply too long for the caller's buffer: an error. */
	cr_assert_eq(vl_ctl_send(sp[1], "ok 123456789", NULL, 0), 0);
	char reply[8];
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_lt(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), 0);
	cr_expect(strstr(err.msg, "reply"), "%s", err.msg);
}

Test(ctl, too_many_fds_refused)
{
	int fds[VL_CTL_MAX_FDS + 1];
	for (int i = 0; i <= VL_CTL_MAX_FDS; i++)
		fds[i] = 0;
	cr_expect_eq(vl_ctl_send(sp[1], "ok", fds, VL_CTL_MAX_FDS + 1), -EMSGSIZE);
	/* Sent raw: more than the receiver has room for, all closed. */
	int before = open_fds();
	int p[2];
	cr_assert_eq(pipe(p), 0);
	int many[12];
	for (int i = 0; i < 12; i++)
		many[i] = p[i % 2];
	raw_send(sp[1], "ok", 2, many, 12);
	close(p[0]);
	close(p[1]);
	char reply[VL_CTL_MAX];
	int got[VL_CTL_MAX_FDS], n = -1;
	cr_assert_eq(vl_ctl_send(sp[0], "ns a", NULL, 0), 0);
	struct vl_err err;
	vl_err_init(&err);
	char req[VL_CTL_MAX];
	vl_ctl_recv(sp[1], req, sizeof(req));
	/* (vl_ctl_call would send again; read the queued reply directly.) */
	cr_expect_eq(vl_ctl_recv(sp[0], reply, sizeof(reply)), -EMSGSIZE);
	cr_expect_eq(open_fds(), before);
	/* Exactly VL_CTL_MAX_FDS arrive. */
	int eight[VL_CTL_MAX_FDS];
	cr_assert_eq(pipe(p), 0);
	for (int i = 0; i < VL_CTL_MAX_FDS; i++)
		eight[i] = p[i % 2];
	cr_assert_eq(vl_ctl_send(sp[1], "ok", eight, VL_CTL_MAX_FDS), 0);
	close(p[0]);
	close(p[1]);
	cr_assert_eq(vl_ctl_call(sp[0], "ns a", reply, sizeof(reply), got, &n, &err), 0, "%s",
		     err.msg);
	cr_expect_eq(n, VL_CTL_MAX_FDS);
	for (int i = 0; i < n; i++)
		close(got[i]);
	cr_expect_eq(open_fds(), before);
}

Test(ctl, a_nul_inside_is_not_text)
{
	/* "down\0..." must not be read as "down". */
	int before = open_fds();
	int p[2];
	cr_assert_eq(pipe(p), 0);
	raw_send(sp[0], "down\0junk", 9, p, 1);
	close(p[0]);
	close(p[1]);
	char req[VL_CTL_MAX];
	cr_expect_eq(vl_ctl_recv(sp[1], req, sizeof(req)), -EBADMSG);
	cr_expect_str_eq(req, "");
	cr_expect_eq(open_fds(), before);
	raw_send(sp[1], "ok\0", 3, NULL, 0);
	char reply[VL_CTL_MAX];
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_lt(vl_ctl_call(sp[0], "ping", reply, sizeof(reply), NULL, NULL, &err), 0);
}

/* ---- the socket ---------------------------------------------------------------- */

static char dir[64];

static void mkdir_tmp(const char *name, char *path, size_t len)
{
	snprintf(dir, sizeof(dir), "/tmp/vl-ctl-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, len, "%s/%s", dir, name);
}

static void rm_tmp(void)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

Test(ctl, listen_socket_is_owner_only_from_birth)
{
	char path[128];
	mkdir_tmp("ctl.sock", path, sizeof(path));
	int fd = open(path, O_CREAT | O_WRONLY, 0644); /* a stale file in the way */
	close(fd);
	struct vl_err err;
	vl_err_init(&err);
	mode_t old = umask(0);
	int l = vl_ctl_listen(path, &err);
	mode_t now = umask(old);
	cr_assert_geq(l, 0, "%s", err.msg);
	cr_expect_eq(now, 0, "the caller's umask is given back");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_expect(S_ISSOCK(st.st_mode));
	cr_expect_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	close(l);
	rm_tmp();

	char longp[200];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	vl_err_init(&err);
	cr_expect_lt(vl_ctl_listen(longp, &err), 0);
}

Test(ctl, connect_to_a_lab_not_running)
{
	struct vl_lab_paths p = {0};
	snprintf(p.name, sizeof(p.name), "ghost");
	mkdir_tmp("ctl.sock", p.sock, sizeof(p.sock));
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_connect(&p, &err), -ENOENT);
	cr_expect(strstr(err.msg, "lab 'ghost' is not running"), "%s", err.msg);
	/* A socket nobody listens on any more (a keeper killed). */
	int l = vl_ctl_listen(p.sock, &err);
	cr_assert_geq(l, 0);
	close(l);
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_connect(&p, &err), -ECONNREFUSED);
	cr_expect(strstr(err.msg, "is not running"), "%s", err.msg);
	rm_tmp();
}

/* A keeper in a child: accept one connection, answer req with reply and
 * n fds (pipe ends). */
static pid_t serve_one(int l, const char *reply, int n)
{
	pid_t pid = fork();
	if (pid == 0) {
		int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		char req[VL_CTL_MAX];
		if (c < 0 || vl_ctl_recv(c, req, sizeof(req)) <= 0)
			_exit(2);
		int p[2], fds[VL_CTL_MAX_FDS];
		if (pipe(p) < 0)
			_exit(3);
		for (int i = 0; i < n; i++)
			fds[i] = p[i % 2];
		_exit(vl_ctl_send(c, reply, fds, n) == 0 ? 0 : 4);
	}
	return pid;
}

static int reaped(pid_t pid)
{
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

Test(ctl, request_wants_an_exact_number_of_fds)
{
	struct vl_lab_paths p = {0};
	snprintf(p.name, sizeof(p.name), "lab");
	mkdir_tmp("ctl.sock", p.sock, sizeof(p.sock));
	struct vl_err err;
	vl_err_init(&err);
	int l = vl_ctl_listen(p.sock, &err);
	cr_assert_geq(l, 0, "%s", err.msg);
	int before = open_fds();
	char reply[VL_CTL_MAX];
	int fds[VL_CTL_MAX_FDS] = {-1, -1};

	pid_t k = serve_one(l, "ok", 1);
	cr_expect_eq(vl_ctl_request(&p, "hook a:eth0", reply, sizeof(reply), fds, 2, &err),
		     -EPROTO);
	cr_expect(strstr(err.msg, "sent 1 descriptors, expected 2"), "%s", err.msg);
	cr_expect_eq(reaped(k), 0);
	cr_expect_eq(open_fds(), before, "the one fd that came is closed again");

	k = serve_one(l, "ok 7", 2);
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_request(&p, "hook a:eth0", reply, sizeof(reply), fds, 2, &err), 0,
		     "%s", err.msg);
	cr_expect_str_eq(reply, "ok 7");
	cr_expect_eq(reaped(k), 0);
	cr_expect_eq(open_fds(), before + 2, "both fds handed over, the socket closed");
	cr_expect_eq(write(fds[1], "x", 1), 1);
	char c;
	cr_expect_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	close(fds[1]);

	/* want_fds < 0: any number, none kept. */
	k = serve_one(l, "ok", 3);
	vl_err_init(&err);
	cr_expect_eq(vl_ctl_request(&p, "ping", reply, sizeof(reply), NULL, -1, &err), 0);
	cr_expect_eq(reaped(k), 0);
	cr_expect_eq(open_fds(), before);
	close(l);
	rm_tmp();
}

/* ---- who may ask ------------------------------------------------------------------ */

Test(ctl, peer_with_our_uid_is_allowed)
{
	cr_expect(vl_ctl_peer_allowed(sp[1]), "our own uid");
	cr_expect(vl_ctl_peer_allowed(sp[0]));
	cr_expect(!vl_ctl_peer_allowed(-1), "no peer, no service");
	int fd = open("/dev/null", O_RDONLY);
	cr_expect(!vl_ctl_peer_allowed(fd), "not a socket");
	close(fd);
}

/* In a child running as uid `as` (or staying, with as < 0): listen on
 * path, accept one connection, exit 0 when vl_ctl_peer_allowed says
 * allowed, 1 when not. */
static pid_t judge(const char *path, int as, int ready)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (as >= 0 && setuid((uid_t)as) < 0)
			_exit(10);
		struct vl_err err;
		vl_err_init(&err);
		int l = vl_ctl_listen(path, &err);
		if (l < 0 || chmod(path, 0666) < 0)
			_exit(11);
		if (write(ready, "r", 1) != 1)
			_exit(12);
		int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			_exit(13);
		_exit(vl_ctl_peer_allowed(c) ? 0 : 1);
	}
	return pid;
}

/* Connect to path as uid `as` (< 0: as we are), in a child. */
static pid_t knock(const char *path, int as)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (as >= 0 && setuid((uid_t)as) < 0)
			_exit(10);
		int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		struct sockaddr_un a = {.sun_family = AF_UNIX};
		if (strlen(path) >= sizeof(a.sun_path))
			_exit(12);
		memcpy(a.sun_path, path, strlen(path) + 1);
		if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
			_exit(11);
		char b;
		(void)!read(s, &b, 1); /* until the judge hangs up */
		_exit(0);
	}
	return pid;
}

/* What a judge running as `server` says of a peer running as `peer`. */
static int verdict(int server, int peer)
{
	char path[128];
	mkdir_tmp("ctl.sock", path, sizeof(path));
	chmod(dir, 01777); /* a judge of another uid binds in it */
	int r[2];
	cr_assert_eq(pipe(r), 0);
	pid_t j = judge(path, server, r[1]);
	char c;
	cr_assert_eq(read(r[0], &c, 1), 1, "the judge did not get ready");
	close(r[0]);
	close(r[1]);
	pid_t k = knock(path, peer);
	int v = reaped(j);
	cr_expect_eq(reaped(k), 0, "the peer could not connect");
	rm_tmp();
	return v;
}

Test(ctl, peer_uid_rule)
{
	if (geteuid() != 0)
		cr_skip_test("needs root to run peers as other uids; "
			     "peer_with_our_uid_is_allowed covers the same-uid case");
	/* A root keeper (root mode) serves root only. */
	cr_expect_eq(verdict(-1, -1), 0, "root to root");
	cr_expect_eq(verdict(-1, 65534), 1, "a stranger to a root keeper");
	/* A user's keeper serves that user and root. */
	cr_expect_eq(verdict(65534, 65534), 0, "the owner");
	cr_expect_eq(verdict(65534, -1), 0, "root to a user's keeper");
	cr_expect_eq(verdict(65534, 65533), 1, "another user");
}
