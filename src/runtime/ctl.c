/* SPDX-License-Identifier: BSD-2-Clause */
/* ctl.c — control socket messages, with fds passed by SCM_RIGHTS. */
#include "vnetlab/ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int fill_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(a->sun_path))
		return -ENAMETOOLONG;
	strcpy(a->sun_path, path);
	return 0;
}

int vl_ctl_listen(const char *path, struct vl_err *err)
{
	struct sockaddr_un a;
	if (fill_addr(&a, path) < 0)
		return vl_err_sys(err, ENAMETOOLONG, "control socket %s", path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vl_err_sys(err, errno, "socket");
	unlink(path);
	/* Owner-only from birth; the 0700 directory and SO_PEERCRED are the
	 * other two locks on this door. */
	mode_t old = umask(0177);
	int b = bind(fd, (struct sockaddr *)&a, sizeof(a));
	umask(old);
	if (b < 0 || listen(fd, 64) < 0) {
		int e = errno;
		close(fd);
		return vl_err_sys(err, e, "control socket %s", path);
	}
	return fd;
}

int vl_ctl_connect(const struct vl_lab_paths *p, struct vl_err *err)
{
	struct sockaddr_un a;
	if (fill_addr(&a, p->sock) < 0)
		return vl_err_sys(err, ENAMETOOLONG, "control socket %s", p->sock);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vl_err_sys(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;
		close(fd);
		if (e == ENOENT || e == ECONNREFUSED) {
			pid_t who;
			enum vl_lab_phase ph = vl_lab_phase(p, &who);
			if (ph == VL_LAB_BUILDING)
				return vl_errf(err, "lab '%s' is being built by another "
					       "vnetlab (pid %d); try again when it is up",
					       p->name, (int)who), -e;
			if (ph == VL_LAB_STOPPING)
				return vl_errf(err, "lab '%s' is being taken down by another "
					       "vnetlab (pid %d)", p->name, (int)who), -e;
			return vl_errf(err, "lab '%s' is not running", p->name), -e;
		}
		return vl_err_sys(err, e, "connecting to lab '%s' (%s)", p->name,
				  p->sock);
	}
	return fd;
}

int vl_ctl_send(int fd, const char *msg, const int *fds, int nfds)
{
	if (strlen(msg) >= VL_CTL_MAX || nfds > VL_CTL_MAX_FDS)
		return -EMSGSIZE;
	union {
		char buf[CMSG_SPACE(sizeof(int) * VL_CTL_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = strlen(msg)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds > 0) {
		m.msg_control = u.buf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	return sendmsg(fd, &m, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static ssize_t recv_fds(int fd, char *buf, size_t len, int *fds, int *nfds)
{
	union {
		char cbuf[CMSG_SPACE(sizeof(int) * VL_CTL_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = buf, .iov_len = len - 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1,
			   .msg_control = u.cbuf, .msg_controllen = sizeof(u.cbuf)};
	ssize_t r = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
	if (r < 0)
		return -errno;
	buf[r] = '\0';
	if (nfds)
		*nfds = 0;
	/* Cut short (text or fds) or not text: refused whole, so that no
	 * part of a request is ever taken for all of it. */
	bool bad = (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || memchr(buf, '\0', (size_t)r);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		int *in = (int *)CMSG_DATA(c);
		for (int i = 0; i < n; i++) {
			if (!bad && nfds && *nfds < VL_CTL_MAX_FDS)
				fds[(*nfds)++] = in[i];
			else
				close(in[i]);
		}
	}
	if (bad) {
		buf[0] = '\0';
		return m.msg_flags & (MSG_TRUNC | MSG_CTRUNC) ? -EMSGSIZE : -EBADMSG;
	}
	return r;
}

bool vl_ctl_peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

int vl_ctl_recv(int fd, char *buf, size_t len)
{
	return (int)recv_fds(fd, buf, len, NULL, NULL);
}

int vl_ctl_call(int fd, const char *req, char *reply, size_t len, int *fds,
		int *nfds, struct vl_err *err)
{
	int rc = vl_ctl_send(fd, req, NULL, 0);
	if (rc < 0)
		return vl_err_sys(err, -rc, "sending '%s' to the keeper", req);
	ssize_t r = recv_fds(fd, reply, len, fds, nfds);
	if (r < 0)
		return vl_err_sys(err, (int)-r, "reading the keeper's reply");
	if (r == 0)
		return vl_errf(err, "the keeper closed the connection"), -EPIPE;
	if (strncmp(reply, "ok", 2) != 0)
		return vl_errf(err, "%s", reply), -EPROTO;
	return 0;
}

int vl_ctl_request(const struct vl_lab_paths *p, const char *req, char *reply,
		   size_t len, int *fds, int want_fds, struct vl_err *err)
{
	int fd = vl_ctl_connect(p, err);
	if (fd < 0)
		return fd;
	int got[VL_CTL_MAX_FDS], n = 0;
	int rc = vl_ctl_call(fd, req, reply, len, got, &n, err);
	close(fd);
	if (rc == 0 && want_fds >= 0 && n != want_fds) {
		vl_errf(err, "keeper sent %d descriptors, expected %d", n, want_fds);
		rc = -EPROTO;
	}
	if (rc == 0 && want_fds > 0)
		memcpy(fds, got, (size_t)want_fds * sizeof(int));
	else /* nobody will close what is not handed over */
		for (int i = 0; i < n; i++)
			close(got[i]);
	return rc;
}

int vl_ctl_link(const struct vl_lab_paths *p, int argc, char *const argv[], char *reply,
		size_t len, struct vl_err *err)
{
	char req[VL_CTL_MAX];
	size_t off = (size_t)snprintf(req, sizeof(req), "link");
	for (int i = 0; i < argc; i++) {
		for (const char *c = argv[i]; *c; c++)
			if ((unsigned char)*c <= ' ')
				return vl_errf(err, "'%.200s': a word may not contain spaces "
					       "or control characters", argv[i]), -EINVAL;
		if (!argv[i][0] || off + strlen(argv[i]) + 2 > sizeof(req))
			return vl_errf(err, "link: empty or too long arguments"), -EINVAL;
		off += (size_t)snprintf(req + off, sizeof(req) - off, " %s", argv[i]);
	}
	return vl_ctl_request(p, req, reply, len, NULL, 0, err);
}

int vl_ctl_node_ns(const struct vl_lab_paths *p, const char *node,
		   int fds[VL_NS_COUNT], struct vl_err *err)
{
	char req[128], reply[VL_CTL_MAX];
	snprintf(req, sizeof(req), "ns %s", node);
	return vl_ctl_request(p, req, reply, sizeof(reply), fds, VL_NS_COUNT, err);
}

void vl_ctl_close_ns(int fds[VL_NS_COUNT])
{
	for (int i = 0; i < VL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int vl_ctl_hook_ns(const struct vl_lab_paths *p, const char *hook,
		   int fds[VL_NS_COUNT], int *ifindex, struct vl_err *err)
{
	char req[128], reply[VL_CTL_MAX];
	int got[2];
	snprintf(req, sizeof(req), "hook %s", hook);
	int rc = vl_ctl_request(p, req, reply, sizeof(reply), got, 2, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < VL_NS_COUNT; i++)
		fds[i] = -1;
	fds[VL_NS_NET] = got[0];
	fds[VL_NS_USER] = got[1];
	*ifindex = atoi(reply + 3);
	return 0;
}
