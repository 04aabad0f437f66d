/* SPDX-License-Identifier: BSD-2-Clause */
/* live.c — a link changed while the lab runs: impairments retuned, the
 * wire unplugged and plugged back (vnetlab link). */
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

/* ---- live changes ---------------------------------------------------------- */

/* A route socket inside namespace ns; this thread returns home after. */
struct mnl_socket *lbe_ns_socket(struct linux_be *b, int ns)
{
	struct mnl_socket *s = NULL;
	if (setns(ns, CLONE_NEWNET) == 0)
		s = vl_nl_open();
	int e = errno;
	lbe_return_home(b);
	errno = e;
	return s;
}

/* Send what is queued; a failure is reported against `what`. */
int lbe_live_flush(struct linux_be *b, const char *what, struct vl_err *err)
{
	struct vl_nl_fail f;
	int rc = vl_nl_flush(b->batch, &f);
	if (rc == 0)
		return 0;
	if (f.extack[0])
		return vl_err_sys(err, f.error, "%s [kernel: %s]", what, f.extack);
	return vl_err_sys(err, f.error, "%s", what);
}

const struct vl_link_live *vl_linux_links(struct vl_backend *be)
{
	return LBE(be)->live;
}

int vl_linux_link_impair(struct vl_backend *be, size_t l,
			 const struct vl_impair dir[2], struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	struct vl_link_live *cur = &b->live[l], next = *cur;
	int rc = vl_link_place(be->plan, l, dir, &next, err);
	for (int d = 0; d < 2 && rc == 0; d++) {
		struct vl_impair was = vl_impair_only(&cur->dir[d], cur->kernel_set[d]);
		struct vl_impair now = vl_impair_only(&next.dir[d], next.kernel_set[d]);
		if (!memcmp(&was, &now, sizeof(was)))
			continue;
		rc = lbe_live_qdisc(b, l, d, now.set ? &now : NULL, err);
		if (rc < 0 && d == 1) {
			/* Undo direction 0 so the link stays as it was. */
			struct vl_impair back = vl_impair_only(&cur->dir[0], cur->kernel_set[0]);
			struct vl_err ignored;
			vl_err_init(&ignored);
			lbe_live_qdisc(b, l, 0, back.set ? &back : NULL, &ignored);
		}
	}
	if (rc < 0)
		return rc;
	if (b->pipe_of[l] >= 0)
		for (int d = 0; d < 2; d++) {
			struct vl_impair u = vl_impair_only(&next.dir[d], next.pipe_set[d]);
			vl_pipes_set(b->pipes, b->pipe_of[l], d, &u);
		}
	*cur = next;
	return 0;
}

/* Restore node i's routes from the topology after an interface went down
 * (the kernel drops IPv4 routes through it).  Routes through another link
 * that is still down fail, and come back when that link does. */
static void replay_routes(struct linux_be *b, size_t i)
{
	const struct vl_node *n = &topo_of(b)->nodes[i];
	struct vl_err ignored;
	vl_err_init(&ignored);
	b->route_flags = NLM_F_REPLACE;
	for (size_t r = 0; r < n->n_routes; r++) {
		struct vl_op op = {VL_OP_ROUTE_ADD, i, 0, r};
		lbe_route_add(&b->base, &op, &ignored);
		lbe_flush(b, &ignored); /* op lives on this stack frame */
	}
	b->route_flags = NLM_F_EXCL;
	lbe_drop_node_sock(b);
	lbe_return_home(b);
}

/* Set an interface up or down.  ll_mac: a vnet interface coming back up,
 * whose IPv6 link-local (made by us, see queue_link_local) the kernel
 * dropped at `down` — keep_addr_on_down keeps global addresses only —
 * together with its fe80::/64 route: made again from the same MAC. */
static int set_admin(struct linux_be *b, int ns, int ifindex, bool up,
		     const uint8_t *ll_mac, const char *what, struct vl_err *err)
{
	struct mnl_socket *s = lbe_ns_socket(b, ns);
	if (!s)
		return vl_err_sys(err, errno, "%s", what);
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_NEWLINK, 0, NULL, &f);
	int rc = 0;
	if (nlh) {
		struct ifinfomsg *ifi = lbe_put_ifinfo(nlh, ifindex, up);
		ifi->ifi_change = IFF_UP;
		if (up && ll_mac && b->ipv6) {
			nlh = vl_nl_begin(b->batch, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
					  NULL, &f);
			if (nlh)
				lbe_put_link_local(nlh, ifindex, ll_mac);
		}
		rc = lbe_live_flush(b, what, err);
	}
	mnl_socket_close(s);
	return rc;
}

/* Before a node's interface is set down: keep its IPv6 addresses, as
 * IPv4 ones are kept (written now, not at `up`: see node_sysctls). */
static void keep_v6_on_down(struct linux_be *b, const struct end *e)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/keep_addr_on_down", e->ifname);
	if (setns(e->ns, CLONE_NEWNET) == 0)
		lbe_write_file(path, "1");
	lbe_return_home(b);
}

int vl_linux_link_updown(struct vl_backend *be, size_t l, bool up, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_topo *t = topo_of(b);
	const struct vl_link_place *lp = &be->plan->links[l];
	char what[96];
	vl_link_name(t, l, what, sizeof(what));
	struct end e[2];
	lbe_describe_end(b, &t->links[l].ep[0], &e[0]);
	lbe_describe_end(b, &t->links[l].ep[1], &e[1]);
	bool core_end = lp->piped || e[0].ns == b->core_net || e[1].ns == b->core_net;
	int rc = 0;
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (lp->piped)
			rc = set_admin(b, b->core_net, lp->port_ifindex[i], up, NULL, what, err);
		else if (!core_end || e[i].ns == b->core_net) {
			if (!up && !core_end)
				keep_v6_on_down(b, &e[i]);
			rc = set_admin(b, e[i].ns, e[i].ifindex, up, core_end ? NULL : e[i].mac,
				       what, err);
		}
	}
	if (rc == 0 && up && !core_end)
		for (int i = 0; i < 2; i++)
			replay_routes(b, t->links[l].ep[i].node);
	/* An unplugged wire loses what was on it: nothing queued before
	 * `down` may come out after `up`. */
	if (rc == 0 && !up && b->pipe_of[l] >= 0)
		vl_pipes_flush(b->pipes, b->pipe_of[l]);
	if (rc == 0)
		b->live[l].down = !up;
	return rc;
}

int vl_linux_link_stats(struct vl_backend *be, size_t l, struct vl_pipe_stats *st)
{
	struct linux_be *b = LBE(be);
	if (b->pipe_of[l] < 0)
		return -ENOENT;
	for (int d = 0; d < 2; d++)
		vl_pipes_stats(b->pipes, b->pipe_of[l], d, &st[d]);
	return 0;
}
