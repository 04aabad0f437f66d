/* SPDX-License-Identifier: BSD-2-Clause */
/* privs.h — what this process is allowed to do, asked of libcap, and the
 * lab mode that follows from it.
 *
 * Promise: answers from the process's effective capability set, not from
 * its uid, so a root shell with capabilities dropped is told the truth.
 * The mode is chosen here once, and everything else (state directory,
 * keeper, exec) asks for it instead of guessing.
 */
#ifndef VNETLAB_PRIVS_H
#define VNETLAB_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"

enum vl_mode {
	/* CAP_SYS_ADMIN and CAP_NET_ADMIN in the initial user namespace:
	 * namespaces are made directly, nodes get /run/netns links. */
	VL_MODE_ROOT,
	/* Anyone else: the lab lives in a user namespace of its own that
	 * maps the caller's uid (and gid) to 0 — no subuid, no setuid. */
	VL_MODE_ROOTLESS,
};

/* Is capability cap (a CAP_* value) in the effective set? */
bool vl_privs_has(int cap);
/* The decision, pure: root mode takes both CAP_SYS_ADMIN (namespaces,
 * mounts) and CAP_NET_ADMIN (interfaces, qdiscs); anything less is
 * rootless. */
enum vl_mode vl_mode_from_caps(bool sys_admin, bool net_admin);
/* vl_mode_from_caps of this process's effective set (elsewhere than
 * Linux: euid 0). */
bool vl_privs_root_mode(void);
/* This process is in the host's user namespace (uid_map is the identity
 * over all uids), not in a container's or another lab's.  /run/netns
 * links are made only then: elsewhere they would be invisible or fail. */
bool vl_privs_initial_userns(void);
enum vl_mode vl_privs_mode(void);
const char *vl_mode_name(enum vl_mode m);

/* Raise the soft RLIMIT_NOFILE to at least want (capped by the hard limit,
 * which is ours to take): labs hold fds per node, check a socket per node,
 * and unprivileged users start at 1024. */
void vl_privs_raise_nofile(size_t want);

#endif
