/* SPDX-License-Identifier: BSD-2-Clause */
/* node.c — entering a node of a running lab (node.h).
 *
 * The one place that turns the keeper's namespace fds into this process's
 * namespaces: the user namespace first (a rootless lab's namespaces are
 * owned by it, so setns() into them needs CAP_SYS_ADMIN there), then net
 * and UTS; the PID namespace last, by the caller, before its fork.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "vnetlab/ctl.h"
#include "vnetlab/node.h"
#include "vnetlab/userns.h"

/* fds (from the keeper) joined as flags say; all closed but a PID
 * namespace asked for, which goes to out->pidns. */
static int join(const struct vl_lab_paths *p, const char *what, int fds[VL_NS_COUNT],
		unsigned flags, struct vl_node_entry *out, struct vl_err *err)
{
	int rc = vl_userns_join(fds[VL_NS_USER], &out->rootless, err);
	if (rc == 0 && (flags & VL_ENTER_NET) && setns(fds[VL_NS_NET], CLONE_NEWNET) < 0)
		rc = vl_err_sys(err, errno, "joining the network namespace of %s.%s",
				p->name, what);
	if (rc == 0 && (flags & VL_ENTER_UTS) && setns(fds[VL_NS_UTS], CLONE_NEWUTS) < 0)
		rc = vl_err_sys(err, errno, "joining the UTS namespace of %s.%s", p->name,
				what);
	if (rc == 0 && (flags & VL_ENTER_PID)) {
		out->pidns = fds[VL_NS_PID];
		fds[VL_NS_PID] = -1;
	}
	if (rc == 0 && (flags & VL_ENTER_MNT)) {
		out->mntns = fds[VL_NS_MNT];
		fds[VL_NS_MNT] = -1;
	}
	vl_ctl_close_ns(fds);
	return rc;
}

int vl_node_enter(const struct vl_lab_paths *p, const char *node, unsigned flags,
		  struct vl_node_entry *out, struct vl_err *err)
{
	int fds[VL_NS_COUNT];
	*out = (struct vl_node_entry){.pidns = -1, .mntns = -1};
	int rc = vl_ctl_node_ns(p, node, fds, err);
	return rc < 0 ? rc : join(p, node, fds, flags, out, err);
}

int vl_hook_enter(const struct vl_lab_paths *p, const char *hook,
		  struct vl_node_entry *out, struct vl_err *err)
{
	int fds[VL_NS_COUNT], ifindex = 0;
	*out = (struct vl_node_entry){.pidns = -1, .mntns = -1};
	int rc = vl_ctl_hook_ns(p, hook, fds, &ifindex, err);
	if (rc == 0)
		rc = join(p, hook, fds, VL_ENTER_NET, out, err);
	out->ifindex = rc == 0 ? ifindex : 0;
	return rc;
}

int vl_node_join_pid(struct vl_node_entry *e, struct vl_err *err)
{
	int rc = setns(e->pidns, CLONE_NEWPID) < 0
			 ? vl_err_sys(err, errno, "joining the lab's PID namespace") : 0;
	if (e->pidns >= 0)
		close(e->pidns);
	e->pidns = -1;
	return rc;
}

int vl_node_join_mnt(struct vl_node_entry *e, struct vl_err *err)
{
	char cwd[PATH_MAX];
	bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	int rc = setns(e->mntns, CLONE_NEWNS) < 0
			 ? vl_err_sys(err, errno, "joining the node's filesystem view")
			 : 0;
	if (e->mntns >= 0)
		close(e->mntns);
	e->mntns = -1;
	/* setns() left us at the view's root. */
	if (rc == 0 && (!have_cwd || chdir(cwd) < 0) && chdir("/") < 0)
		rc = vl_err_sys(err, errno, "chdir /");
	return rc;
}

/* Let an unprivileged `ping` use ICMP datagram sockets in this node, as on
 * a normal host (set here, not for every node at `up`: see node_sysctls in
 * the Linux backend).  Rootless, the caller's gid (0 here) is the only one
 * mapped, and the kernel refuses a range reaching unmapped gids. */
static void allow_ping(bool rootless)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ping_group_range", "we");
	if (!f)
		return;
	fputs(rootless ? "0 0" : "0 2147483647", f);
	fclose(f);
}

int vl_node_become(const struct vl_node_user *u, bool rootless, struct vl_err *err)
{
	allow_ping(rootless);
	if (rootless)
		/* Our uid 0 here is u->uid outside; map it back. */
		return vl_userns_create(u->uid, 0, u->gid, 0, err);
	if ((u->name ? initgroups(u->name, u->gid) : setgroups(0, NULL)) < 0)
		return vl_err_sys(err, errno, "setting the groups of uid %u",
				  (unsigned)u->uid);
	if (setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0)
		return vl_err_sys(err, errno, "becoming uid %u", (unsigned)u->uid);
	return 0;
}
