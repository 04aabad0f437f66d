/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.h — a running lab's footprint on disk, and finding labs.
 *
 * Promise: every lab has one private directory, <root>/<LAB>/ (0700), with:
 *   lock       held (flock) by the lab's keeper for its whole life, so
 *              "is the lab alive?" never trusts a pid that may be reused;
 *   ctl.sock   the keeper's control socket;
 *   state.json what the lab is (written atomically once it is up);
 *   netns      journal of /run/netns links, written before each is made;
 *   logs/      output of startup commands, services and the keeper;
 *   nodes/NODE/ what a node's filesystem view binds from (view.h);
 *   teardown.json  FreeBSD labs only: the commands `down` runs.  Such a lab
 *              has no keeper (its jails persist by themselves): it is
 *              alive while this file exists.
 *   stopping   while the lab is being taken down: the pid of the vnetlab
 *              doing it.  The lock file holds the pid of the `up` that
 *              made the lab, for messages about a lab being built.
 * The state root is per user, so labs of different users (and root's)
 * never meet: /run/vnetlab in root mode; rootless, $XDG_RUNTIME_DIR/vnetlab
 * when that is a private directory, else /tmp/vnetlab-<uid>;
 * $VNETLAB_STATE_DIR (an absolute path) overrides both.  The root must be a real directory
 * owned by the caller with mode 0700, or it is refused.  A lab whose lock
 * is free is stale (its keeper died); vl_lab_remove() removes all of it.
 */
#ifndef VNETLAB_LAB_H
#define VNETLAB_LAB_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "vnetlab/err.h"
#include "vnetlab/privs.h"

struct vl_lab_paths {
	char name[64];
	char dir[PATH_MAX / 2];
	char lock[PATH_MAX / 2 + 16];
	char sock[PATH_MAX / 2 + 16];
	char state[PATH_MAX / 2 + 16];
	char journal[PATH_MAX / 2 + 16];
	char logs[PATH_MAX / 2 + 16];
	char teardown[PATH_MAX / 2 + 16];
	char stopping[PATH_MAX / 2 + 16];
};

/* What a lab is doing, as another vnetlab sees it (vl_lab_phase). */
enum vl_lab_phase {
	VL_LAB_NONE,     /* no such lab */
	VL_LAB_STALE,    /* its directory, and nobody holds its lock */
	VL_LAB_BUILDING, /* its keeper holds it and does not serve yet: `up` runs */
	VL_LAB_STOPPING, /* being taken down (`down`, or its keeper on a signal) */
	VL_LAB_RUNNING,
};

/* The state root for this user and mode; created 0700 when create is set,
 * checked private either way (a missing root is fine when !create). */
int vl_state_root(char *out, size_t len, bool create, struct vl_err *err);
/* The rule behind it, without touching the environment (for tests):
 * override is $VNETLAB_STATE_DIR, xdg is $XDG_RUNTIME_DIR (or NULL). */
void vl_state_root_choose(enum vl_mode mode, const char *override,
			  const char *xdg, uid_t uid, char *out, size_t len);
int vl_lab_paths(const char *root, const char *lab, struct vl_lab_paths *p,
		 struct vl_err *err);

/* Serialise "does LAB exist? create it" across processes: returns an fd
 * holding an exclusive lock on the root, or -errno. */
int vl_root_lock(const char *root, struct vl_err *err);

bool vl_lab_exists(const struct vl_lab_paths *p);
/* Alive as the lab's backend judges it (lifecycle.h): its keeper holds
 * the lock, or its FreeBSD teardown is recorded. */
bool vl_lab_alive(const struct vl_lab_paths *p);
/* A FreeBSD lab (teardown.json, no keeper): that backend's record, which
 * vl_lab_ops_choose() asks after (lifecycle.h). */
bool vl_lab_is_freebsd(const struct vl_lab_paths *p);
/* Remove a stale lab: its /run/netns links, then its files.  The caller
 * holds the root lock (vl_root_lock), or uses one of the two below. */
void vl_lab_remove(const struct vl_lab_paths *p);
/* vl_lab_remove under the root lock, so that no `up` claiming the name at
 * that moment sees half a directory: for a keeper removing its own lab. */
void vl_lab_remove_locked(const struct vl_lab_paths *p);
/* Under the root lock, remove the lab only if it is stale then: 1 removed,
 * 0 not (gone, or alive again: an `up` claimed the name meanwhile). */
int vl_lab_remove_stale(const struct vl_lab_paths *p);
/* The lab's phase; *pid (may be NULL) the vnetlab building it (BUILDING)
 * or taking it down (STOPPING), else 0. */
enum vl_lab_phase vl_lab_phase(const struct vl_lab_paths *p, pid_t *pid);
/* Say this process (pid) is taking the lab down: the stopping file. */
void vl_lab_mark_stopping(const struct vl_lab_paths *p, pid_t pid);

/* This process's pid as the host sees it: a keeper is 1 in its lab's PID
 * namespace, but /proc is the host's mount, so /proc/self names the pid
 * others can find it by (getpid() when /proc cannot say). */
pid_t vl_host_pid(void);
/* Wait until the lab's keeper has let go of the lab (its lock is free or
 * its lock file is gone), at most about 2 s: the caller asks for the
 * phase again, since a lab built meanwhile holds its lock for good. */
void vl_lab_wait_released(const struct vl_lab_paths *p);

/* Call fn for every lab directory under root, in name order. */
int vl_lab_foreach(const char *root, int (*fn)(const struct vl_lab_paths *,
					       void *), void *arg);

#endif
