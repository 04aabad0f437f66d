/* SPDX-License-Identifier: BSD-2-Clause */
/* Isolation between users (issue 3, point 4): another unprivileged user can
 * neither list, exec into, change nor destroy a user's lab, even when the
 * directory permissions are loosened by mistake (the keeper checks the
 * peer's credentials).  Needs root to act as two users; SKIP otherwise. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define UID_A 61001
#define UID_B 61002

static char work[64], vbin[128], topo_copy[128], st_a[128], st_b[128];

static void copy(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	cr_assert(in >= 0, "%s: %s", from, strerror(errno));
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	cr_assert(out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
	chmod(to, mode);
}

/* A world-readable copy of the binary and topology (the checkout may sit
 * under a directory other users cannot enter), and one private state
 * directory per user. */
static void setup(void)
{
	snprintf(work, sizeof(work), "/tmp/vnetlab-itest-iso-XXXXXX");
	cr_assert_not_null(mkdtemp(work));
	chmod(work, 0755);
	snprintf(vbin, sizeof(vbin), "%s/vnetlab", work);
	snprintf(topo_copy, sizeof(topo_copy), "%s/demo.yaml", work);
	char src[256];
	topo("demo", src, sizeof(src));
	copy(bin(), vbin, 0755);
	copy(src, topo_copy, 0644);
	snprintf(st_a, sizeof(st_a), "%s/a", work);
	snprintf(st_b, sizeof(st_b), "%s/b", work);
	cr_assert_eq(mkdir(st_a, 0700), 0);
	cr_assert_eq(mkdir(st_b, 0700), 0);
	cr_assert_eq(chown(st_a, UID_A, UID_A), 0);
	cr_assert_eq(chown(st_b, UID_B, UID_B), 0);
}

static int as(uid_t uid, const char *state, const char *const argv[], char *out,
	      size_t len)
{
	char env[192];
	snprintf(env, sizeof(env), "VNETLAB_STATE_DIR=%s", state);
	struct runopt o = {.as_uid = true, .uid = uid, .gid = uid, .env = {env, NULL}};
	return runx(argv, &o, out, len);
}

/* Speak the control protocol directly as uid, past the file permissions:
 * what the keeper itself answers.  Returns the number of fds received. */
static int ctl_as(uid_t uid, const char *sock, const char *req, char *reply,
		  size_t len)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		char buf[512] = "no reply";
		int nfds = -1;
		if (setresgid(uid, uid, uid) == 0 && setresuid(uid, uid, uid) == 0) {
			struct sockaddr_un a = {.sun_family = AF_UNIX};
			snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
			int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
			if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
				snprintf(buf, sizeof(buf), "connect: %s", strerror(errno));
			} else if (send(fd, req, strlen(req), 0) > 0) { /* text, no NUL: ctl.h */
				char cbuf[CMSG_SPACE(8 * sizeof(int))];
				struct iovec iov = {buf, sizeof(buf) - 1};
				struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1,
						   .msg_control = cbuf,
						   .msg_controllen = sizeof(cbuf)};
				ssize_t r = recvmsg(fd, &m, 0);
				if (r < 0) {
					snprintf(buf, sizeof(buf), "recvmsg: %s", strerror(errno));
				} else {
					buf[r] = '\0';
					struct cmsghdr *c = CMSG_FIRSTHDR(&m);
					nfds = c ? (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
				}
			}
		}
		dprintf(p[1], "%d %s", nfds, buf);
		_exit(0);
	}
	close(p[1]);
	char buf[600] = "";
	ssize_t r = read(p[0], buf, sizeof(buf) - 1);
	buf[r > 0 ? r : 0] = '\0';
	close(p[0]);
	waitpid(pid, NULL, 0);
	int nfds = atoi(buf);
	snprintf(reply, len, "%s", strchr(buf, ' ') ? strchr(buf, ' ') + 1 : buf);
	return nfds;
}

Test(isolation, another_user_cannot_touch_a_lab)
{
	need_root("acts as two unprivileged users");
	need_labs();
	setup();
	char out[8192], sock[320], labdir[256];
	const char *up[] = {vbin, "up", topo_copy, "--name", "iso", NULL};
	cr_assert_eq(as(UID_A, st_a, up, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "(rootless)"), "%s", out);

	/* B, pointed at A's state: refused before any socket is touched. */
	const char *ls[] = {vbin, "ls", NULL};
	cr_expect_eq(as(UID_B, st_a, ls, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "not a private directory of uid 61002"), "%s", out);
	const char *down[] = {vbin, "down", "iso", NULL};
	cr_expect_eq(as(UID_B, st_a, down, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "not a private directory of uid 61002"), "%s", out);
	const char *ex[] = {vbin, "exec", "iso", "n1", "--", "true", NULL};
	cr_expect_eq(as(UID_B, st_a, ex, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "not a private directory of uid 61002"), "%s", out);
	const char *insp[] = {vbin, "inspect", "iso", NULL};
	cr_expect_eq(as(UID_B, st_a, insp, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "not a private directory of uid 61002"), "%s", out);
	/* B's own labs are B's own. */
	cr_expect_eq(as(UID_B, st_b, ls, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "no labs"), "%s", out);

	/* Loosen every permission by mistake: the keeper still refuses B. */
	snprintf(labdir, sizeof(labdir), "%s/iso", st_a);
	snprintf(sock, sizeof(sock), "%s/ctl.sock", labdir);
	struct stat sst;
	cr_assert_eq(stat(sock, &sst), 0);
	cr_expect_eq(sst.st_mode & 0777, 0600, "control socket mode %o", sst.st_mode & 0777);
	chmod(st_a, 0711), chmod(labdir, 0711), chmod(sock, 0666);
	char reply[512];
	int n = ctl_as(UID_B, sock, "ns n1", reply, sizeof(reply));
	cr_expect_eq(n, 0, "B got %d descriptors: %s", n, reply);
	cr_expect(strstr(reply, "permission denied"), "%s", reply);
	ctl_as(UID_B, sock, "down", reply, sizeof(reply));
	cr_expect(strstr(reply, "permission denied"), "%s", reply);
	/* The owner is served, with namespace fds. */
	n = ctl_as(UID_A, sock, "ns n1", reply, sizeof(reply));
	cr_expect_eq(n, 5, "A got %d descriptors (net, uts, pid, user, mnt): %s", n, reply);
	chmod(st_a, 0700), chmod(labdir, 0700), chmod(sock, 0600);

	/* A's lab survived all of it and goes down for A. */
	cr_expect_eq(as(UID_A, st_a, ls, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "running"), "A's lab must still run:\n%s", out);
	cr_expect_eq(as(UID_A, st_a, down, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(rmdir(st_a), 0, "A's lab left files behind");
	rmdir(st_b);
	unlink(vbin);
	unlink(topo_copy);
	cr_expect_eq(rmdir(work), 0);
}
