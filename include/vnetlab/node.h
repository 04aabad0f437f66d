/* SPDX-License-Identifier: BSD-2-Clause */
/* node.h — this process enters a node of a running lab (what `exec`,
 * `capture`, `check` and the FreeBSD verbs do before their work).
 *
 * Promise: vl_node_enter() asks the lab's keeper for the node's namespaces
 * (ctl.h, "ns NODE"), joins the lab's user namespace when it is not this
 * process's own (a rootless lab: from then on this process is root there
 * and nobody outside), then the node's network namespace (VL_ENTER_NET) and
 * UTS namespace (VL_ENTER_UTS), in that order.  The lab's PID namespace is
 * never joined here: joining it changes where this process's *children*
 * are born, so it is the caller's last step, right before a fork
 * (VL_ENTER_PID hands its fd back in out->pidns; vl_node_join_pid joins
 * it).  Every other descriptor received is closed before returning, on
 * success and on failure.
 *
 * What was joined stays joined, on failure too: a user namespace cannot
 * be left, and a network namespace only by holding an fd of the old one
 * from before (check.c does).  A caller that must go on as it was enters
 * in a child.  Errors name the lab, the node and the step.
 *
 * The process must be single-threaded (setns(CLONE_NEWUSER) refuses a
 * threaded one).
 */
#ifndef VNETLAB_NODE_H
#define VNETLAB_NODE_H

#include <stdbool.h>
#include <sys/types.h>

#include "vnetlab/err.h"
#include "vnetlab/lab.h"

enum {
	VL_ENTER_NET = 1 << 0, /* the node's network namespace */
	VL_ENTER_UTS = 1 << 1, /* its hostname */
	VL_ENTER_PID = 1 << 2, /* the lab's PID namespace: handed back, not joined */
	VL_ENTER_MNT = 1 << 3, /* the node's filesystem view: handed back, not joined */
};

struct vl_node_entry {
	bool rootless; /* the lab's user namespace was joined (it was not ours) */
	int pidns;     /* VL_ENTER_PID: the caller's to join and close; else -1 */
	int mntns;     /* VL_ENTER_MNT: the same, for vl_node_join_mnt; else -1 */
	int ifindex;   /* vl_hook_enter: the hook's interface in there; else 0 */
};

/* Enter node `node` of the running lab p as flags say; out is filled
 * (pidns -1 on failure).  0, or -errno with err set. */
int vl_node_enter(const struct vl_lab_paths *p, const char *node, unsigned flags,
		  struct vl_node_entry *out, struct vl_err *err);

/* Enter the namespace where hook NODE:IF's interface lives (a node's, or
 * the lab's core for switch and tee hooks; ctl.h, "hook NODE:IF"), after
 * the lab's user namespace like vl_node_enter; out->ifindex is the
 * interface's index there. */
int vl_hook_enter(const struct vl_lab_paths *p, const char *hook,
		  struct vl_node_entry *out, struct vl_err *err);

/* The last step: join e->pidns (and close it, -1 after), so the next
 * fork() of this process is born in the lab's PID namespace, where the
 * lab's keeper is PID 1 and the lab's end kills it.  This process itself
 * stays where it was, and may not be able to fork any child outside the
 * lab again (sanitizer builds: see san.h). */
int vl_node_join_pid(struct vl_node_entry *e, struct vl_err *err);

/* In the child born in the lab's PID namespace: join e->mntns (and close
 * it), the node's filesystem view, where /proc is the lab's (so only a
 * process of the lab's PID namespace can read its own /proc/self).  The
 * working directory is kept where the view has the same path, else "/".
 * The process must be single-threaded. */
int vl_node_join_mnt(struct vl_node_entry *e, struct vl_err *err);

/* Who a command in a node runs as when not the node's root (`exec
 * --user`, `-U`): ids as the host knows them; name (may be NULL) for the
 * supplementary groups in root mode. */
struct vl_node_user {
	uid_t uid;
	gid_t gid;
	const char *name;
};

/* In the child that will exec a command in the node (born in the lab's
 * PID namespace, after vl_node_mounts): let unprivileged ping use ICMP
 * datagram sockets there, then become u.  Rootless (rootless: e.rootless)
 * that is one more user namespace that maps u->uid back onto this
 * process's uid 0, so u must be the lab's owner; in root mode the groups,
 * gid and uid are set.  0, or -errno with err set. */
int vl_node_become(const struct vl_node_user *u, bool rootless, struct vl_err *err);

/* Run cmd in the node e entered (VL_ENTER_PID and VL_ENTER_MNT), as jexec
 * does: the lab's PID namespace joined, then a child that joins the
 * node's view, becomes u (NULL: the node's root) and execs cmd; this
 * process forwards SIGTERM and SIGHUP to it, ignores the terminal's
 * interrupts (they are the command's), and exits with its status (128+N
 * for a signal, 127 when cmd is not found).  killed(arg), when not NULL,
 * is told first when the command died by SIGKILL (its lab went down, say).
 * Never returns. */
_Noreturn void vl_node_run(char **cmd, const struct vl_node_user *u, struct vl_node_entry *e,
			   void (*killed)(void *arg), void *arg);

#endif
