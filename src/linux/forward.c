/* SPDX-License-Identifier: BSD-2-Clause */
/* forward.c — the userspace forwarders: a piped link's pipe and a tee's
 * forwarder, on packet sockets in the lab's core (pipe.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vnetlab/plan_diff.h"

#include "linux/be.h"

/* ---- userspace pipes ------------------------------------------------------- */

/* The ends whose egress leads into a pipe must hand over finished frames:
 * no checksum left to the hardware, no GSO super-frames (which would also
 * make "1% loss" drop 40 segments at once).  The kernel then completes
 * checksums and segments in software before the frame reaches the pipe. */
static int offloads_off(int netns, const char *ifname)
{
	if (setns(netns, CLONE_NEWNET) < 0)
		return -errno;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	static const uint32_t cmds[] = {ETHTOOL_STXCSUM, ETHTOOL_STSO, ETHTOOL_SGSO};
	int rc = 0;
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
		struct ifreq ifr = {0};
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		ifr.ifr_data = (char *)&ev;
		if (ioctl(s, SIOCETHTOOL, &ifr) < 0 && errno != EOPNOTSUPP)
			rc = -errno;
	}
	close(s);
	return rc;
}

/* Open a forwarder's ports in the core (after the queued links exist). */
static int start_forwarder(struct linux_be *b, const struct vl_op *op,
			   const struct vl_pipe_port *ports, int n, int *idx,
			   struct vl_err *err)
{
	if (!b->pipes && !(b->pipes = vl_pipes_new()))
		return lbe_op_fail(b, op, ENOMEM, NULL, err);
	if (setns(b->core_net, CLONE_NEWNET) < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	*idx = vl_pipes_add(b->pipes, ports, n);
	if (*idx < 0)
		return lbe_op_fail(b, op, -*idx, "opening the packet sockets", err);
	return 0;
}

int lbe_pipe_start(struct vl_backend *be, const struct vl_op *op,
		      struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	const struct vl_link_place *lp = &b->base.plan->links[op->idx];
	int rc = lbe_flush(b, err); /* the ports must exist */
	if (rc < 0)
		return rc;
	for (int e = 0; e < 2; e++) {
		struct end end;
		lbe_describe_end(b, &l->ep[e], &end);
		if ((rc = offloads_off(end.ns, end.ifname)) < 0)
			return lbe_op_fail(b, op, -rc, "turning offloads off", err);
	}
	struct vl_pipe_port ports[2];
	for (int d = 0; d < 2; d++)
		ports[d] = (struct vl_pipe_port){
			.ifindex = lp->port_ifindex[d], .out = {!d, -1},
			.im = vl_impair_only(&l->dir[d], lp->pipe_set[d])};
	return start_forwarder(b, op, ports, 2, &b->pipe_of[op->idx], err);
}

/* ng_tee: what arrives on left leaves by right and a copy by left2right;
 * on right, by left and right2left; on a tap, by the far side.  Hooks
 * nobody linked have no port, and copies to them go nowhere.  The roles
 * are the kind's hooks, in the order kind.h gives them. */
int lbe_tee_start(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_topo *t = topo_of(b);
	const struct vl_node *n = &t->nodes[op->node];
	const char *const *role = vl_kind_type(n->kind)->hooks;
	static const int pass_to[4] = {1, 0, 1, 0}, copy_to[4] = {2, 3, -1, -1};
	int rc = lbe_flush(b, err), at[4] = {-1, -1, -1, -1}, k = 0;
	struct vl_pipe_port ports[4];
	for (int r = 0; r < 4 && rc == 0; r++) {
		long f = vl_node_find_iface(n, role[r]);
		if (f < 0)
			continue;
		const struct vl_iface *fi = &n->ifaces[f];
		struct end peer;
		lbe_describe_end(b, lbe_far_side(t, fi->link, op->node, (size_t)f), &peer);
		if ((rc = offloads_off(peer.ns, peer.ifname)) < 0)
			return lbe_op_fail(b, op, -rc, "turning offloads off", err);
		at[r] = k;
		ports[k++] = (struct vl_pipe_port){
			.ifindex = b->base.plan->hooks[fi->gid].ifindex};
	}
	if (rc < 0)
		return rc;
	for (int r = 0; r < 4; r++)
		if (at[r] >= 0) {
			ports[at[r]].out[0] = at[pass_to[r]];
			ports[at[r]].out[1] = copy_to[r] >= 0 ? at[copy_to[r]] : -1;
		}
	return k ? start_forwarder(b, op, ports, k, &b->nodes[op->node].pipe, err) : 0;
}
