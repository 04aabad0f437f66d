/* SPDX-License-Identifier: BSD-2-Clause */
/* userns.c — one-uid user namespaces (see userns.h). */
#include "vnetlab/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_proc(const char *file, const char *text)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/%s", file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = n < 0 ? errno : n != (ssize_t)strlen(text) ? EIO : 0;
	close(fd);
	return -e;
}

int vl_userns_create(uid_t inner_uid, uid_t outer_uid, gid_t inner_gid,
		     gid_t outer_gid, struct vl_err *err)
{
	if (unshare(CLONE_NEWUSER) < 0)
		return vl_err_sys(err, errno, "unshare(CLONE_NEWUSER)");
	char map[64];
	/* An unprivileged writer of gid_map must first give up setgroups(),
	 * or it could drop a group that denies it access to a file. */
	int rc = write_proc("setgroups", "deny");
	if (rc < 0 && rc != -ENOENT)
		return vl_err_sys(err, -rc, "writing /proc/self/setgroups");
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)inner_uid,
		 (unsigned)outer_uid);
	if ((rc = write_proc("uid_map", map)) < 0)
		return vl_err_sys(err, -rc, "writing /proc/self/uid_map");
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)inner_gid,
		 (unsigned)outer_gid);
	if ((rc = write_proc("gid_map", map)) < 0)
		return vl_err_sys(err, -rc, "writing /proc/self/gid_map");
	return 0;
}

int vl_userns_join(int fd, bool *joined, struct vl_err *err)
{
	struct stat a, b;
	*joined = false;
	if (fstat(fd, &a) < 0 || stat("/proc/self/ns/user", &b) < 0)
		return vl_err_sys(err, errno, "comparing user namespaces");
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return 0;
	if (setns(fd, CLONE_NEWUSER) < 0)
		return vl_err_sys(err, errno, "joining the lab's user namespace");
	*joined = true;
	return 0;
}
