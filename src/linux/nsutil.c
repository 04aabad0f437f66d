/* SPDX-License-Identifier: BSD-2-Clause */
/* nsutil.c — /run/netns links, the same way iproute2 makes them, so that
 * `ip netns exec LAB.NODE ...` and `ip netns list` see vnetlab's nodes. */
#include "vnetlab/linux.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define NETNS_RUN_DIR "/run/netns"

/* iproute2 makes /run/netns a shared mount point so that links made later
 * propagate into mount namespaces made earlier; do the same so mixing
 * `ip netns add` and vnetlab behaves. */
static int prepare_run_dir(struct vl_err *err)
{
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "mkdir %s", NETNS_RUN_DIR);
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return vl_err_sys(err, errno, "make %s shared", NETNS_RUN_DIR);
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
		return vl_err_sys(err, errno, "bind %s", NETNS_RUN_DIR);
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return vl_err_sys(err, errno, "make %s shared", NETNS_RUN_DIR);
	return 0;
}

int vl_netns_link(int netns_fd, const char *name, struct vl_err *err)
{
	char path[128], src[64];
	int rc = prepare_run_dir(err);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0 && errno == EEXIST)
		return vl_errf(err, "%s exists: a network namespace of that name "
			       "is someone else's (a lab of the same name under another "
			       "state directory, or `ip netns add`); use another lab "
			       "name", path), -EEXIST;
	if (fd < 0)
		return vl_err_sys(err, errno, "create %s", path);
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", netns_fd);
	if (mount(src, path, "none", MS_BIND, NULL) < 0) {
		int e = errno;
		unlink(path);
		return vl_err_sys(err, e, "bind-mount network namespace on %s", path);
	}
	return 0;
}

void vl_netns_unlink(const char *name)
{
	char path[128];
	if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	umount2(path, MNT_DETACH);
	unlink(path);
}

/* The journal lists "LAB.NODE" before each link is made, and "!LAB.NODE"
 * after one that turned out to be someone else's (EEXIST): that one must
 * never be removed.  A build stops at its first failure, so one journal
 * holds at most one such line; room for a few is plenty. */
void vl_netns_unlink_journal(const char *journal, const char *lab)
{
	FILE *f = fopen(journal, "re");
	if (!f)
		return;
	char line[128], theirs[8][128];
	size_t n_theirs = 0, plen = strlen(lab);
	while (fgets(line, sizeof(line), f))
		if (line[0] == '!' && n_theirs < 8)
			snprintf(theirs[n_theirs++], sizeof(theirs[0]), "%s", line + 1);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		bool skip = line[0] == '!';
		for (size_t i = 0; i < n_theirs && !skip; i++)
			skip = strcmp(line, theirs[i]) == 0;
		line[strcspn(line, "\n")] = '\0';
		/* Only names this lab could have made: "LAB.<node>". */
		if (!skip && strncmp(line, lab, plen) == 0 && line[plen] == '.')
			vl_netns_unlink(line);
	}
	fclose(f);
}

/* Like `ip netns exec`: a private mount namespace with a fresh sysfs, so
 * /sys/class/net shows the node's interfaces, and, as in a jail, a fresh
 * /proc of the lab's PID namespace (the caller runs in a child born
 * there), so ps shows the lab's processes and $$ is /proc/self.  Best
 * effort.  Rootless, the inherited mounts are locked to the ones above
 * them and cannot be unmounted; mounting over them hides them just as
 * well.  A host that refuses a new procfs (masked /proc paths) keeps its
 * own. */
void vl_node_mounts(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return;
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return;
	umount2("/sys", MNT_DETACH);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}
