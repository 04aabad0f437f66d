/* SPDX-License-Identifier: BSD-2-Clause */
/* view.c — a node's filesystem view (vnetlab/view.h) made as a mount
 * namespace of its own, held by the backend like the node's network
 * namespace.
 *
 * A child of the keeper enters the node's network namespace (so the
 * sysfs it mounts shows the node's interfaces), unshares its mount
 * namespace — a slave of the host's, so the host's later mounts still
 * reach the node and nothing of the node's reaches the host — and makes
 * the view's entries.  The keeper opens /proc/CHILD/ns/mnt and lets the
 * child go.  Sources are taken (open_tree) before any tmpfs goes on:
 * a private /run would hide a root-mode lab's own state directory, where
 * inline files wait to be bound.
 *
 * A target that does not exist is made: inside a tmpfs of the view
 * directly; elsewhere by an overlay on its deepest existing directory, so
 * the host's filesystem is never written.  An overlay would hide any
 * mount under that directory, so it is refused there, and on "/".
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnetlab/view.h"
#include "vnetlab/statefile.h"
#include "linux/be.h"

/* What the child says: 0, or the errno of a step on an entry. */
struct view_report {
	int err;
	long entry; /* -1: not an entry's step */
	char step[96];
};

struct vctx {
	const struct vl_view *v;
	const char *stage;    /* the node's directory in the lab's state */
	int *src;             /* by entry: the detached tree to attach, or -1 */
	bool *made;           /* by entry: its tmpfs is mounted */
	uid_t *uid;           /* by entry: its owner, (uid_t)-1: the node's root
				 (looked up before the fork: the keeper has
				 threads, and the child must not take locks) */
	gid_t *gid;
	int overlays;
	int scratch;          /* the overlays' tmpfs (a private /run may hide
				 its path: it is reached by this fd) */
	struct view_report r;
};

static int fail(struct vctx *c, long entry, int e, const char *step)
{
	c->r.err = e;
	c->r.entry = entry;
	snprintf(c->r.step, sizeof(c->r.step), "%s", step);
	return -e;
}

/* Inside a tmpfs this view has mounted already: may be created freely. */
static bool in_made_tmpfs(struct vctx *c, const char *path)
{
	const struct vl_view_ent *t = vl_view_tmpfs_of(c->v, path);
	return t && c->made[t - c->v->e] && strcmp(t->path, path) != 0;
}

#define SUBMOUNTS_MAX 64

/* The mounts strictly under dir that no other of them contains (an
 * overlay on dir would hide them: they are taken and put back on top).
 * Each detached with what is mounted under it; how many, -1 when there
 * are too many or one cannot be taken. */
static int take_submounts(const char *dir, char mp[][PATH_MAX], int *fd)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	char line[4096], p[PATH_MAX];
	size_t n = strlen(dir);
	int k = 0;
	while (k >= 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %*s %4095s", p) != 1 ||
		    strncmp(p, dir, n) || (p[n] != '/' && !(n == 1 && p[1])) || strchr(p, '\\'))
			continue;
		bool inside = false;
		for (int j = 0; j < k && !inside; j++) {
			size_t m = strlen(mp[j]);
			inside = !strncmp(p, mp[j], m) && (p[m] == '/' || p[m] == '\0');
		}
		if (inside)
			continue;
		if (k == SUBMOUNTS_MAX) {
			k = -1;
			break;
		}
		snprintf(mp[k], PATH_MAX, "%s", p);
		fd[k] = open_tree(AT_FDCWD, p, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		k = fd[k] < 0 ? -1 : k + 1;
	}
	fclose(f);
	return k;
}

static int overlay_mount(struct vctx *c, long entry, const char *dir);

static int overlay_on(struct vctx *c, long entry, const char *dir)
{
	if (!strcmp(dir, "/"))
		return fail(c, entry, EXDEV,
			    "making its parent directory (it would need an overlay on /)");
	/* Containers bind files into /etc (resolv.conf, hosts, hostname):
	 * those must stay what they are on top of the overlay. */
	static char sub[SUBMOUNTS_MAX][PATH_MAX];
	int subfd[SUBMOUNTS_MAX];
	int nsub = take_submounts(dir, sub, subfd);
	if (nsub < 0)
		return fail(c, entry, EXDEV, "making its parent directory (the mounts under "
			    "it could not be kept above an overlay)");
	int rc = overlay_mount(c, entry, dir);
	for (int j = 0; j < nsub; j++) {
		if (rc == 0 && move_mount(subfd[j], "", AT_FDCWD, sub[j],
					  MOVE_MOUNT_F_EMPTY_PATH) < 0)
			rc = fail(c, entry, errno, "putting a mount back above the overlay");
		close(subfd[j]);
	}
	return rc;
}

static int overlay_mount(struct vctx *c, long entry, const char *dir)
{
	char up[64], work[64], opts[PATH_MAX + 160];
	snprintf(up, sizeof(up), "u%d", c->overlays);
	snprintf(work, sizeof(work), "w%d", c->overlays++);
	if (mkdirat(c->scratch, up, 0755) < 0 || mkdirat(c->scratch, work, 0700) < 0)
		return fail(c, entry, errno, "making an overlay's directories");
	snprintf(up, sizeof(up), "/proc/self/fd/%d/u%d", c->scratch, c->overlays - 1);
	snprintf(work, sizeof(work), "/proc/self/fd/%d/w%d", c->scratch, c->overlays - 1);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", dir, up, work);
	if (mount("overlay", dir, "overlay", 0, opts) == 0)
		return 0;
	/* In a user namespace overlayfs keeps its own xattrs as user.*. */
	size_t o = strlen(opts);
	snprintf(opts + o, sizeof(opts) - o, ",userxattr");
	if (mount("overlay", dir, "overlay", 0, opts) == 0)
		return 0;
	return fail(c, entry, errno, "mounting an overlay on its parent directory");
}

/* path exists as a directory (want_dir) or a file, made if need be. */
static int ensure(struct vctx *c, long entry, const char *path, bool want_dir)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (want_dir != !!S_ISDIR(st.st_mode))
			return fail(c, entry, want_dir ? ENOTDIR : EISDIR,
				    "checking what is there on the host");
		return 0;
	}
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (!in_made_tmpfs(c, path)) {
		/* Walk up to what exists; overlay it once. */
		struct stat ps;
		if (lstat(parent, &ps) == 0) {
			int rc = overlay_on(c, entry, parent);
			if (rc < 0)
				return rc;
		} else {
			int rc = ensure(c, entry, parent, true);
			if (rc < 0)
				return rc;
		}
	} else {
		int rc = ensure(c, entry, parent, true);
		if (rc < 0)
			return rc;
	}
	int fd = -1;
	if (want_dir ? mkdir(path, 0755) < 0
		     : (fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return errno == EEXIST ? 0 : fail(c, entry, errno, "making it");
	if (fd >= 0)
		close(fd);
	return 0;
}

static void own(struct vctx *c, size_t i)
{
	if (c->uid[i] != (uid_t)-1 && chown(c->v->e[i].path, c->uid[i], c->gid[i]) < 0)
		return; /* a daemon that cannot write there says so itself */
}


/* A file's content, written where it goes (inside a tmpfs of the view)
 * or into the stage directory to be bound from. */
static int write_file(struct vctx *c, long i, const char *path, bool excl)
{
	const struct vl_view_ent *e = &c->v->e[i];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW |
				    (excl ? O_EXCL : 0), e->mode);
	if (fd < 0)
		return excl && errno == EEXIST ? 0 : fail(c, i, errno, "writing it");
	int w = vl_write_all(fd, e->content, e->len);
	int rc = w < 0 ? fail(c, i, -w, "writing it") : 0;
	close(fd);
	return rc;
}

/* Files bound from the stage, and binds: their trees, detached. */
static int take_sources(struct vctx *c)
{
	for (size_t i = 0; i < c->v->n; i++) {
		const struct vl_view_ent *e = &c->v->e[i];
		c->src[i] = -1;
		char staged[PATH_MAX];
		const char *from = e->src;
		if (e->kind == VL_VIEW_FILE) {
			/* written in place; a default only there (never over
			 * what a bound directory holds, nor by an overlay) */
			if (vl_view_tmpfs_of(c->v, e->path) || e->if_absent)
				continue;
			snprintf(staged, sizeof(staged), "%s/f%zu", c->stage, i);
			int rc = write_file(c, (long)i, staged, false);
			if (rc < 0)
				return rc;
			from = staged;
		} else if (e->kind != VL_VIEW_BIND) {
			continue;
		}
		c->src[i] = open_tree(AT_FDCWD, from,
				      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (c->src[i] < 0)
			return fail(c, (long)i, errno, "taking its source");
		struct mount_attr ro = {.attr_set = MOUNT_ATTR_RDONLY};
		if (e->ro && mount_setattr(c->src[i], "", AT_EMPTY_PATH | AT_RECURSIVE, &ro,
					   sizeof(ro)) < 0)
			return fail(c, (long)i, errno, "making it read-only");
	}
	return 0;
}

/* /sys of the node's network namespace, /proc of the lab's PID
 * namespace (where the keeper is PID 1), as `exec` always gave. */
static void kernel_fs(void)
{
	umount2("/sys", MNT_DETACH);
	mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static int make_entry(struct vctx *c, size_t i)
{
	const struct vl_view_ent *e = &c->v->e[i];
	int rc = 0;
	char opts[64];
	switch (e->kind) {
	case VL_VIEW_TMPFS:
		if ((rc = ensure(c, (long)i, e->path, true)) < 0)
			return rc;
		snprintf(opts, sizeof(opts), "size=%s,mode=%o", VL_VIEW_TMPFS_SIZE, e->mode);
		if (mount("tmpfs", e->path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
			return fail(c, (long)i, errno, "mounting a tmpfs");
		c->made[i] = true;
		break;
	case VL_VIEW_DIR:
		if ((rc = ensure(c, (long)i, e->path, true)) < 0)
			return rc;
		break;
	case VL_VIEW_FILE:
		if (c->src[i] < 0) {
			/* A default never goes where anything is already,
			 * least of all into a file bound from the host. */
			struct stat st;
			if (e->if_absent && (lstat(e->path, &st) == 0 ||
					     !in_made_tmpfs(c, e->path)))
				return 0;
			if ((rc = ensure(c, (long)i, e->path, false)) < 0 ||
			    (rc = write_file(c, (long)i, e->path, false)) < 0)
				return rc;
			break;
		}
		/* bound from the stage */
		__attribute__((fallthrough));
	case VL_VIEW_BIND: {
		struct stat st;
		if (fstat(c->src[i], &st) < 0)
			return fail(c, (long)i, errno, "looking at its source");
		if ((rc = ensure(c, (long)i, e->path, S_ISDIR(st.st_mode))) < 0)
			return rc;
		if (move_mount(c->src[i], "", AT_FDCWD, e->path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return fail(c, (long)i, errno, "mounting it");
		close(c->src[i]);
		c->src[i] = -1;
		break;
	}
	}
	own(c, i);
	return 0;
}

static int build_in_child(struct vctx *c, int net)
{
	if (setns(net, CLONE_NEWNET) < 0)
		return fail(c, -1, errno, "entering the node's network namespace");
	if (unshare(CLONE_NEWNS) < 0)
		return fail(c, -1, errno, "making its mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail(c, -1, errno, "making its mounts slaves of the host's");
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/.view", c->stage);
	/* The overlays' upper directories: a tmpfs of this namespace only. */
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=" VL_VIEW_TMPFS_SIZE) < 0)
		return fail(c, -1, errno, "mounting its scratch directory");
	if ((c->scratch = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail(c, -1, errno, "opening its scratch directory");
	int rc = take_sources(c);
	if (rc < 0)
		return rc;
	kernel_fs();
	for (size_t i = 0; rc == 0 && i < c->v->n; i++)
		rc = make_entry(c, i);
	return rc;
}

/* The report, with the namespace made (this process's pid means nothing
 * in the keeper's /proc, which may be another PID namespace's). */
static void send_report(int sock, const struct view_report *r, const int fd[2])
{
	struct iovec iov = {.iov_base = (void *)r, .iov_len = sizeof(*r)};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} u;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd) {
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(h), fd, 2 * sizeof(int));
	}
	if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		_exit(1);
}

static int recv_report(int sock, struct view_report *r, int fd[2])
{
	struct iovec iov = {.iov_base = r, .iov_len = sizeof(*r)};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} u;
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			   .msg_controllen = sizeof(u.buf)};
	ssize_t n;
	while ((n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(*r)) {
		*r = (struct view_report){.err = EPIPE, .entry = -1, .step = "its maker died"};
		return -1;
	}
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	if (!h || h->cmsg_type != SCM_RIGHTS || h->cmsg_len != CMSG_LEN(2 * sizeof(int)))
		return -1;
	memcpy(fd, CMSG_DATA(h), 2 * sizeof(int));
	return 0;
}

static void view_child(struct vctx *c, int net, int rep[2])
{
	close(rep[0]);
	/* The namespace, and its root as a directory: the keeper looks into
	 * the view through it (openat from there walks the view's mounts). */
	int fd[2] = {-1, -1};
	if (build_in_child(c, net) == 0 &&
	    ((fd[0] = open("/proc/thread-self/ns/mnt", O_RDONLY)) < 0 ||
	     (fd[1] = open("/", O_PATH | O_DIRECTORY)) < 0))
		fail(c, -1, errno, "opening its mount namespace");
	send_report(rep[1], &c->r, c->r.err ? NULL : fd);
	/* Hold the namespace until the keeper has opened it. */
	char b;
	while (read(rep[1], &b, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int say(const struct vl_topo *t, size_t i, const struct vl_view *v,
	       const struct view_report *r, struct vl_err *err)
{
	const struct vl_node *n = &t->nodes[i];
	if (r->entry < 0)
		return vl_err_sys(err, r->err, "node %s: its filesystem view: %s", n->name,
				  r->step);
	const struct vl_view_ent *e = &v->e[r->entry];
	static const char *const what[] = {"private directory", "bind", "file", "directory"};
	if (e->pos.line)
		return vl_err_sys(err, r->err, "%s:%d:%d: node %s: %s %s: %s", t->file,
				  e->pos.line, e->pos.col, n->name, what[e->kind], e->path,
				  r->step);
	return vl_err_sys(err, r->err, "node %s: %s %s: %s", n->name, what[e->kind], e->path,
			  r->step);
}

static int stage_dir(struct linux_be *b, size_t i, char *out, size_t len, struct vl_err *err)
{
	const char *node = topo_of(b)->nodes[i].name;
	if (!b->o.lab_dir)
		return vl_errf(err, "node %s: no state directory for its view", node), -EINVAL;
	snprintf(out, len, "%s/nodes", b->o.lab_dir);
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "%s", out);
	snprintf(out, len, "%s/nodes/%s", b->o.lab_dir, node);
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "%s", out);
	return 0;
}

static int make_view(struct linux_be *b, size_t i, const struct vl_view *v, struct vl_err *err)
{
	char stage[PATH_MAX];
	int rc = stage_dir(b, i, stage, sizeof(stage), err);
	if (rc < 0)
		return rc;
	struct vctx c = {.v = v, .stage = stage, .src = calloc(v->n + 1, sizeof(int)),
			 .made = calloc(v->n + 1, sizeof(bool)),
			 .uid = calloc(v->n + 1, sizeof(uid_t)),
			 .gid = calloc(v->n + 1, sizeof(gid_t))};
	for (size_t e = 0; c.uid && c.gid && e < v->n; e++) {
		struct passwd *pw = v->e[e].owner[0] ? getpwnam(v->e[e].owner) : NULL;
		c.uid[e] = pw ? pw->pw_uid : (uid_t)-1;
		c.gid[e] = pw ? pw->pw_gid : (gid_t)-1;
	}
	int rep[2];
	if (!c.src || !c.made || !c.uid || !c.gid ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, rep) < 0) {
		free(c.src), free(c.made), free(c.uid), free(c.gid);
		return vl_err_sys(err, errno ? errno : ENOMEM, "node %s: its filesystem view",
				  topo_of(b)->nodes[i].name);
	}
	pid_t pid = fork();
	if (pid == 0)
		view_child(&c, b->nodes[i].net, rep);
	close(rep[1]);
	struct view_report r = {.err = errno, .entry = -1, .step = "fork"};
	int fd[2] = {-1, -1};
	if (pid > 0 && recv_report(rep[0], &r, fd) < 0 && r.err == 0)
		r = (struct view_report){.err = EPROTO, .entry = -1, .step = "receiving it"};
	if (r.err == 0) {
		b->nodes[i].mnt = fd[0];
		b->nodes[i].root = fd[1];
	}
	close(rep[0]); /* the child may go */
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	free(c.src), free(c.made), free(c.uid), free(c.gid);
	return r.err ? say(topo_of(b), i, v, &r, err) : 0;
}

/* The state root stays what it is on the host, also where a private
 * /run or /tmp of the view covers it: vnetlab itself runs in nodes (the
 * FreeBSD verbs in `jexec`, a lab inside a lab), and finds its labs there.
 * Bound last, on top of everything. */
static int keep_state_root(struct linux_be *b, struct vl_view *v, struct vl_err *err)
{
	char root[PATH_MAX];
	snprintf(root, sizeof(root), "%s", b->o.lab_dir ? b->o.lab_dir : "");
	char *slash = strrchr(root, '/');
	if (!slash || slash == root)
		return 0;
	*slash = '\0';
	if (!vl_view_tmpfs_of(v, root))
		return 0;
	static const struct vl_pos none;
	if (vl_view_add(v, VL_VIEW_BIND, root, root, NULL, 0, none) < 0)
		return vl_err_sys(err, ENOMEM, "node view");
	return 0;
}

int lbe_view(struct linux_be *b, size_t i, struct vl_err *err)
{
	if (b->nodes[i].mnt >= 0)
		return b->nodes[i].mnt;
	if (b->nodes[i].net < 0)
		return vl_errf(err, "node %s has no namespaces", topo_of(b)->nodes[i].name),
		       -ENOENT;
	struct vl_view v;
	struct vl_view_opts o = {.rootless = b->o.rootless};
	int rc = vl_view_build(&topo_of(b)->nodes[i], &o, &v, err);
	if (rc == 0)
		rc = keep_state_root(b, &v, err);
	if (rc == 0)
		rc = make_view(b, i, &v, err);
	vl_view_free(&v);
	return rc < 0 ? rc : b->nodes[i].mnt;
}

int vl_linux_view_open(struct vl_backend *be, long node, struct vl_err *err)
{
	int fd = lbe_view(LBE(be), (size_t)node, err);
	if (fd < 0)
		return fd;
	fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? vl_err_sys(err, errno, "node view") : fd;
}

int vl_linux_view_root(struct vl_backend *be, long node, struct vl_err *err)
{
	int rc = lbe_view(LBE(be), (size_t)node, err);
	return rc < 0 ? rc : LBE(be)->nodes[node].root;
}
