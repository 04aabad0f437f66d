/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.c — state directories, liveness by lock, stale-lab removal. */
#include "vnetlab/lab.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/privs.h"
#include "vnetlab/topo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A directory only `uid` can enter: no symlink, owned by uid, no group or
 * other bits.  Anything else could be another user's trap (a squatted
 * /tmp/vnetlab-1000) or could let others reach our control sockets. */
static int private_dir(const char *path, uid_t uid, struct vl_err *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return vl_err_sys(err, errno, "%s", path);
	if (!S_ISDIR(st.st_mode) || st.st_uid != uid || (st.st_mode & 077))
		return vl_errf(err, "%s: not a private directory of uid %u (it must "
			       "be a real directory, owned by you, mode 0700); "
			       "refusing to keep lab state there", path,
			       (unsigned)uid), -EPERM;
	return 0;
}

static bool usable_runtime_dir(const char *xdg, uid_t uid)
{
	struct vl_err ignored;
	vl_err_init(&ignored);
	return xdg && xdg[0] == '/' && private_dir(xdg, uid, &ignored) == 0;
}

void vl_state_root_choose(enum vl_mode mode, const char *override,
			  const char *xdg, uid_t uid, char *out, size_t len)
{
	if (override && *override)
		snprintf(out, len, "%s", override);
	else if (mode == VL_MODE_ROOT)
		snprintf(out, len, "/run/vnetlab");
	else if (usable_runtime_dir(xdg, uid))
		snprintf(out, len, "%s/vnetlab", xdg);
	else
		snprintf(out, len, "/tmp/vnetlab-%u", (unsigned)uid);
}

int vl_state_root(char *out, size_t len, bool create, struct vl_err *err)
{
	uid_t uid = geteuid();
	const char *override = getenv("VNETLAB_STATE_DIR");
	/* A relative one would name another directory from every working
	 * directory, and be stored so in state (the keeper's cwd is /). */
	if (override && *override && override[0] != '/')
		return vl_errf(err, "VNETLAB_STATE_DIR '%s' is not an absolute path; "
			       "give one starting with /", override), -EINVAL;
	vl_state_root_choose(vl_privs_mode(), override, getenv("XDG_RUNTIME_DIR"), uid,
			     out, len);
	if (create && mkdir(out, 0700) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "creating state directory %s", out);
	struct stat st;
	if (!create && lstat(out, &st) < 0 && errno == ENOENT)
		return 0; /* no labs yet */
	return private_dir(out, uid, err);
}

int vl_lab_paths(const char *root, const char *lab, struct vl_lab_paths *p,
		 struct vl_err *err)
{
	const char *why = vl_check_lab_name(lab);
	if (why)
		return vl_errf(err, "lab name '%s' %s", lab, why), -EINVAL;
	snprintf(p->name, sizeof(p->name), "%s", lab);
	if ((size_t)snprintf(p->dir, sizeof(p->dir), "%s/%s", root, lab) >=
	    sizeof(p->dir))
		return vl_errf(err, "state path too long"), -ENAMETOOLONG;
	snprintf(p->lock, sizeof(p->lock), "%s/lock", p->dir);
	snprintf(p->sock, sizeof(p->sock), "%s/ctl.sock", p->dir);
	snprintf(p->state, sizeof(p->state), "%s/state.json", p->dir);
	snprintf(p->journal, sizeof(p->journal), "%s/netns", p->dir);
	snprintf(p->logs, sizeof(p->logs), "%s/logs", p->dir);
	snprintf(p->teardown, sizeof(p->teardown), "%s/teardown.json", p->dir);
	snprintf(p->stopping, sizeof(p->stopping), "%s/stopping", p->dir);
	return 0;
}

int vl_root_lock(const char *root, struct vl_err *err)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return vl_err_sys(err, errno, "%s", root);
	if (flock(fd, LOCK_EX) < 0) {
		int e = errno;
		close(fd);
		return vl_err_sys(err, e, "locking %s", root);
	}
	return fd;
}

bool vl_lab_exists(const struct vl_lab_paths *p)
{
	struct stat st;
	return lstat(p->dir, &st) == 0;
}

bool vl_lab_is_freebsd(const struct vl_lab_paths *p)
{
	return access(p->teardown, F_OK) == 0;
}

/* Alive is the backend's to judge (a keeper's lock, a FreeBSD record):
 * the lab's own, chosen by what its directory holds. */
bool vl_lab_alive(const struct vl_lab_paths *p)
{
	return vl_lab_ops_choose(NULL, p, NULL)->alive(p);
}

/* Unlink every file in dir except `keep` (may be NULL). */
static void remove_dir_files(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    !(keep && strcmp(e->d_name, keep) == 0))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/* Remove dir/name and everything under it, never following a symlink
 * (a node's files are the user's data; nothing outside may go). */
static void remove_tree(int dir, const char *name, int depth)
{
	int fd = depth < 16 ? openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			    : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (fd >= 0 && !d)
		close(fd);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(dirfd(d), e->d_name, 0) < 0 && (errno == EISDIR || errno == EPERM))
			remove_tree(dirfd(d), e->d_name, depth + 1);
	if (d)
		closedir(d);
	unlinkat(dir, name, AT_REMOVEDIR);
}

void vl_lab_remove(const struct vl_lab_paths *p)
{
	vl_lab_ops_choose(NULL, p, NULL)->remove_outside(p);
	remove_dir_files(p->logs, NULL);
	rmdir(p->logs);
	/* The keeper's private tmpfs mount point (empty from here). */
	char uts[sizeof(p->dir) + 8];
	snprintf(uts, sizeof(uts), "%s/uts", p->dir);
	rmdir(uts);
	/* What the nodes' views bound from (view.h). */
	int dir = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0) {
		remove_tree(dir, "nodes", 0);
		close(dir);
	}
	/* The lock goes last: while it exists, another `up` of the same name
	 * that raced us still sees a lab here. */
	remove_dir_files(p->dir, "lock");
	unlink(p->lock);
	rmdir(p->dir);
}

/* The lab's state root: its directory's parent. */
static int root_lock_of(const struct vl_lab_paths *p)
{
	char root[sizeof(p->dir)];
	snprintf(root, sizeof(root), "%s", p->dir);
	char *slash = strrchr(root, '/');
	if (!slash)
		return -EINVAL;
	if (slash == root)
		slash[1] = '\0'; /* a lab right under / */
	else
		*slash = '\0';
	struct vl_err ignored;
	vl_err_init(&ignored);
	return vl_root_lock(root, &ignored);
}

void vl_lab_remove_locked(const struct vl_lab_paths *p)
{
	int fd = root_lock_of(p);
	vl_lab_remove(p);
	if (fd >= 0)
		close(fd);
}

int vl_lab_remove_stale(const struct vl_lab_paths *p)
{
	int fd = root_lock_of(p);
	int removed = vl_lab_exists(p) && !vl_lab_alive(p);
	if (removed)
		vl_lab_remove(p);
	if (fd >= 0)
		close(fd);
	return removed;
}

enum vl_lab_phase vl_lab_phase(const struct vl_lab_paths *p, pid_t *pid)
{
	pid_t dummy;
	if (!pid)
		pid = &dummy;
	*pid = 0;
	if (!vl_lab_exists(p))
		return VL_LAB_NONE;
	const struct vl_lab_ops *ops = vl_lab_ops_choose(NULL, p, NULL);
	return ops->alive(p) ? ops->phase(p, pid) : VL_LAB_STALE;
}

void vl_lab_mark_stopping(const struct vl_lab_paths *p, pid_t pid)
{
	int fd = open(p->stopping, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		      0600);
	if (fd < 0)
		return;
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write(fd, buf, (size_t)n) != n)
		unlink(p->stopping);
	close(fd);
}

void vl_lab_wait_released(const struct vl_lab_paths *p)
{
	int fd = open(p->lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Bounded: a stopping mark can outlive the take-down it announced
	 * (a down that found the lab being built and gave up), and a lab
	 * built meanwhile holds its lock for its whole life.  The caller
	 * asks for the lab's phase again after each wait. */
	for (int i = 0; i < 100 && flock(fd, LOCK_SH | LOCK_NB) < 0 &&
			(errno == EWOULDBLOCK || errno == EINTR);
	     i++)
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	close(fd);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vl_lab_foreach(const char *root, int (*fn)(const struct vl_lab_paths *, void *),
		   void *arg)
{
	DIR *d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || vl_check_lab_name(e->d_name))
			continue;
		char **q = realloc(names, (n + 1) * sizeof(*names));
		if (!q || !(q[n] = strdup(e->d_name))) {
			free(q ? q : names);
			closedir(d);
			return -ENOMEM;
		}
		names = q;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct vl_lab_paths p;
		struct vl_err err;
		vl_err_init(&err);
		if (rc == 0 && vl_lab_paths(root, names[i], &p, &err) == 0)
			rc = fn(&p, arg);
		free(names[i]);
	}
	free(names);
	return rc;
}

pid_t vl_host_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return getpid();
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}
