/* SPDX-License-Identifier: BSD-2-Clause */
/* backend.c — the Linux implementation of the backend table.
 *
 * How a lab is made, and why:
 *  - Each vnet node is unshare(CLONE_NEWNET|CLONE_NEWUTS) in this process,
 *    its namespaces then held by fd.  One route socket is opened inside
 *    each namespace as it is made, so configuring a node later needs no
 *    setns() round trip.
 *  - veth pairs are created from the core namespace's socket with
 *    IFLA_NET_NS_FD on both ends, so each end is born where it belongs and
 *    nothing ever appears in the host's namespace.
 *  - Messages to one socket are batched (see nl.h); a node's interface,
 *    address and route messages leave in one sendmsg().
 *  - Interface indexes come from the plan, so no lookups are needed.
 */
#include <arpa/inet.h>
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

/* ---- errors ------------------------------------------------------------ */

int lbe_op_fail(struct linux_be *b, const struct vl_op *op, int e,
		   const char *extack, struct vl_err *err)
{
	char what[300];
	vl_op_describe(b->base.plan, op, what, sizeof(what));
	if (extack && *extack)
		return vl_err_sys(err, e, "%s [kernel: %s]", what, extack);
	return vl_err_sys(err, e, "%s", what);
}

int lbe_flush(struct linux_be *b, struct vl_err *err)
{
	struct vl_nl_fail f;
	int rc = vl_nl_flush(b->batch, &f);
	return rc < 0 ? lbe_op_fail(b, f.tag, f.error, f.extack, err) : 0;
}

struct nlmsghdr *lbe_begin(struct linux_be *b, struct mnl_socket *s,
			      uint16_t type, uint16_t flags,
			      const struct vl_op *op, struct vl_err *err)
{
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, type, flags, op, &f);
	if (!nlh)
		lbe_op_fail(b, f.tag, f.error, f.extack, err);
	return nlh;
}

/* ---- small helpers -------------------------------------------------------- */

int lbe_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, val, strlen(val));
	int e = n < 0 ? errno : 0;
	close(fd);
	return -e;
}

static int open_ns(const char *what)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/ns/%s", what);
	return open(path, O_RDONLY | O_CLOEXEC);
}

struct ifinfomsg *lbe_put_ifinfo(struct nlmsghdr *nlh, int index,
				    bool up)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = up ? IFF_UP : 0;
	return ifi;
}

int lbe_queue_link_up(struct linux_be *b, struct mnl_socket *s, int index,
		      int master, const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = lbe_begin(b, s, RTM_NEWLINK, 0, op, err);
	if (!nlh)
		return -EIO;
	lbe_put_ifinfo(nlh, index, true);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	return 0;
}

/* ---- a node's route socket -------------------------------------------------- */

void lbe_drop_node_sock(struct linux_be *b)
{
	if (b->node_nl)
		mnl_socket_close(b->node_nl);
	b->node_nl = NULL;
	b->node_nl_of = -1;
}

/* The route socket of node i (its queued messages to the previous node's
 * socket are sent first).  Opened from inside the node's namespace;
 * this thread stays there until the next switch or lbe_return_home(). */
struct mnl_socket *lbe_node_sock(struct linux_be *b, size_t i, const struct vl_op *op,
				    struct vl_err *err)
{
	if (b->node_nl && b->node_nl_of == (long)i)
		return b->node_nl;
	if (lbe_flush(b, err) < 0)
		return NULL;
	lbe_drop_node_sock(b);
	if (b->nodes[i].net >= 0 && setns(b->nodes[i].net, CLONE_NEWNET) < 0) {
		lbe_op_fail(b, op, errno, NULL, err);
		return NULL;
	}
	if (!(b->node_nl = vl_nl_open())) {
		lbe_op_fail(b, op, errno, NULL, err);
		return NULL;
	}
	b->node_nl_of = (long)i;
	return b->node_nl;
}

/* ---- core and nodes --------------------------------------------------------- */

static int core_create(struct vl_backend *be, const struct vl_op *op,
		       struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	if (unshare(CLONE_NEWNET) < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	b->core_net = open_ns("net");
	if (b->core_net < 0 || !(b->core_nl = vl_nl_open()))
		return lbe_op_fail(b, op, errno, NULL, err);
	/* br_netfilter is built into this kernel and every new namespace
	 * starts with bridge-nf-call-* = 1, which costs ~20% of a bridge's
	 * packet rate and makes host firewall rules apply inside the lab. */
	static const char *const nf[] = {"iptables", "ip6tables", "arptables"};
	for (int i = 0; i < 3; i++) {
		char path[80];
		snprintf(path, sizeof(path), "/proc/sys/net/bridge/bridge-nf-call-%s",
			 nf[i]);
		lbe_write_file(path, "0"); /* absent without br_netfilter: fine */
	}
	return lbe_queue_link_up(b, b->core_nl, 1, 0, op, err);
}

static int node_sysctls(const struct vl_node *n, bool rootless)
{
	int rc = 0;
	if (n->forwarding) {
		rc = lbe_write_file("/proc/sys/net/ipv4/ip_forward", "1");
		int r6 = lbe_write_file("/proc/sys/net/ipv6/conf/all/forwarding", "1");
		if (rc == 0 && r6 != -ENOENT) /* ENOENT: IPv6 disabled on host */
			rc = r6;
	}
	/* Nothing else here: every /proc/sys lookup scans the sysctl entries
	 * of every namespace alive, so a write per node makes `up` quadratic
	 * (measured: 39% of a 4000-node build for one write a node).
	 * ping_group_range is set by `exec --user`, keep_addr_on_down by
	 * `link ... down`, when they are needed; IPv6 link-locals are made
	 * without DAD by iface_up (no accept_dad). */
	(void)rootless;
	return rc;
}

static int link_netns(struct linux_be *b, size_t i, const struct vl_op *op,
		      struct vl_err *err)
{
	const struct vl_topo *t = topo_of(b);
	char name[64];
	snprintf(name, sizeof(name), "%s.%s", t->name, t->nodes[i].name);
	/* Journal first: a crash between the two lines leaves a name that
	 * cleanup removes harmlessly, never a mount nobody knows about. */
	int fd = open(b->o.netns_journal, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	char line[80];
	int len = snprintf(line, sizeof(line), "%s\n", name);
	ssize_t w = write(fd, line, (size_t)len);
	close(fd);
	if (w != len)
		return lbe_op_fail(b, op, EIO, NULL, err);
	char what[300];
	vl_op_describe(b->base.plan, op, what, sizeof(what));
	struct vl_err sub;
	vl_err_init(&sub);
	int rc = vl_netns_link(b->nodes[i].net, name, &sub);
	if (rc == -EEXIST) {
		/* Not ours: tell every later reader of the journal. */
		fd = open(b->o.netns_journal, O_WRONLY | O_APPEND | O_CLOEXEC);
		len = snprintf(line, sizeof(line), "!%s\n", name);
		if (fd >= 0 && write(fd, line, (size_t)len) != len)
			rc = -EIO;
		if (fd >= 0)
			close(fd);
	}
	if (rc < 0)
		return vl_errf(err, "%s: %s", what, sub.msg), rc;
	b->nodes[i].linked = true;
	return 0;
}

void lbe_uts_path(struct linux_be *b, size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u", b->o.uts_dir, b->nodes[i].uts_slot);
}

/* Hold node i's UTS namespace by a bind mount instead of its descriptor
 * (see linux.h); on any failure keep the descriptor. */
static void bind_uts(struct linux_be *b, size_t i)
{
	if (!b->o.uts_dir)
		return;
	char path[PATH_MAX];
	lbe_uts_path(b, i, path, sizeof(path));
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);
	if (mount("/proc/self/ns/uts", path, NULL, MS_BIND, NULL) < 0) {
		unlink(path);
		return;
	}
	close(b->nodes[i].uts);
	b->nodes[i].uts = -1;
	b->nodes[i].uts_bound = true;
}

/* The node's loopback addresses go in the batch that brings lo up
 * (ifindex 1 in every namespace): they are the node's from its birth,
 * before any link, and go with its namespace. */
static int queue_lo_addrs(struct linux_be *b, struct mnl_socket *nl, const struct vl_node *n,
			  const struct vl_op *op, struct vl_err *err)
{
	for (size_t a = 0; a < n->n_lo_addrs; a++) {
		if (n->lo_addrs[a].ip.family == AF_INET6 && !b->ipv6)
			return lbe_op_fail(b, op, EAFNOSUPPORT, "an IPv6 loopback address "
					   "on a kernel without IPv6", err);
		struct nlmsghdr *nlh = lbe_begin(b, nl, RTM_NEWADDR,
						 NLM_F_CREATE | NLM_F_EXCL, op, err);
		if (!nlh)
			return -EIO;
		lbe_put_addr(nlh, 1, &n->lo_addrs[a].ip);
	}
	return 0;
}

static int node_create(struct vl_backend *be, const struct vl_op *op,
		       struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	struct lnode *ln = &b->nodes[op->node];
	if (unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	if (sethostname(n->hostname, strlen(n->hostname)) < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	int rc = node_sysctls(n, b->o.rootless);
	if (rc < 0)
		return lbe_op_fail(b, op, -rc, "writing /proc/sys/net", err);
	ln->net = open_ns("net");
	ln->uts = open_ns("uts");
	if (ln->net < 0 || ln->uts < 0)
		return lbe_op_fail(b, op, errno, NULL, err);
	bind_uts(b, op->node);
	if (b->o.netns_journal && (rc = link_netns(b, op->node, op, err)) < 0)
		return rc;
	/* We are in the new namespace: its socket is this node's for now. */
	struct mnl_socket *nl = lbe_node_sock(b, op->node, op, err);
	rc = nl ? lbe_queue_link_up(b, nl, 1, 0, op, err) : -EIO;
	return rc == 0 ? queue_lo_addrs(b, nl, n, op, err) : rc;
}

static int switch_create(struct vl_backend *be, const struct vl_op *op,
			 struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	struct nlmsghdr *nlh = lbe_begin(b, b->core_nl, RTM_NEWLINK,
				     NLM_F_CREATE | NLM_F_EXCL, op, err);
	if (!nlh)
		return -EIO;
	lbe_put_ifinfo(nlh, b->base.plan->switch_ifindex[op->node], true);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, n->name);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	if (lbe_kinds[n->kind].bridge_data)
		lbe_kinds[n->kind].bridge_data(nlh, n);
	mnl_attr_nest_end(nlh, li);
	return 0;
}

/* A hub forgets every address at once, so it floods every frame to every
 * other port, as ng_hub does. */
static void hub_data(struct nlmsghdr *nlh, const struct vl_node *n)
{
	(void)n;
	struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_BR_AGEING_TIME, 0);
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	mnl_attr_nest_end(nlh, d);
}

/* A bridge with `stp: true` runs the kernel's own 802.1D (a bridge
 * outside the initial namespace never asks /sbin/bridge-stp), with the
 * shortest timers 802.1D allows: a port forwards 2 x 2 s after it comes
 * up rather than 30 s, and a lost root is noticed after 6 s.  The
 * timers go first: the kernel checks their range only once STP is on.
 * Units are USER_HZ (1/100 s). */
static void bridge_data(struct nlmsghdr *nlh, const struct vl_node *n)
{
	if (!n->stp)
		return;
	struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, 200);
	mnl_attr_put_u32(nlh, IFLA_BR_HELLO_TIME, 100);
	mnl_attr_put_u32(nlh, IFLA_BR_MAX_AGE, 600);
	mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, 1);
	mnl_attr_nest_end(nlh, d);
}

/* ---- links -------------------------------------------------------------- */

/* One end of a veth wire: a hook of a node or switch, or a pipe's port. */

void lbe_describe_end(struct linux_be *b, const struct vl_endpoint *ep,
			 struct end *e)
{
	const struct vl_plan *p = b->base.plan;
	const struct vl_node *n = &topo_of(b)->nodes[ep->node];
	const struct vl_iface *f = &n->ifaces[ep->iface];
	const struct vl_hook_place *h = &p->hooks[f->gid];
	bool sw = vl_kind_has(n->kind, VL_KF_SWITCH);
	*e = (struct end){.ifname = h->ifname, .ifindex = h->ifindex,
			  .ns = sw ? b->core_net : b->nodes[ep->node].net,
			  .master = sw ? p->switch_ifindex[ep->node] : 0,
			  .mac = h->mac, .mtu = f->mtu,
			  .nl = sw ? b->core_nl : NULL, .up = sw};
}

/* The other end of link l, seen from hook `iface` of node `node`. */
const struct vl_endpoint *lbe_far_side(const struct vl_topo *t, long l,
					  size_t node, size_t iface)
{
	const struct vl_link *lk = &t->links[l];
	return lk->ep[0].node == node && lk->ep[0].iface == iface ? &lk->ep[1] : &lk->ep[0];
}

static void pipe_port(struct linux_be *b, size_t link, int e, struct end *out)
{
	const struct vl_link_place *lp = &b->base.plan->links[link];
	*out = (struct end){.ifname = lp->port[e], .ifindex = lp->port_ifindex[e],
			    .ns = b->core_net, .nl = b->core_nl, .up = true};
}

static void put_end_attrs(struct nlmsghdr *nlh, const struct end *e,
			  unsigned mtu)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, e->ifname);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)e->ns);
	if (e->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, e->mac);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
}

/* A veth pair between two ends; switch ports enslaved and up, pipe ports up. */
static int wire(struct linux_be *b, const struct vl_op *op, struct end x,
		struct end y, struct vl_err *err)
{
	/* The main end may be brought up and enslaved in the creating
	 * message; the peer may not (ENOTCONN), so put a port first. */
	if (!x.up && y.up) {
		struct end tmp = x;
		x = y;
		y = tmp;
	}
	/* One MTU for the wire: the larger of the ends' settings. */
	unsigned mtu = x.mtu > y.mtu ? x.mtu : y.mtu;
	struct nlmsghdr *nlh = lbe_begin(b, b->core_nl, RTM_NEWLINK,
				     NLM_F_CREATE | NLM_F_EXCL, op, err);
	if (!nlh)
		return -EIO;
	lbe_put_ifinfo(nlh, x.ifindex, x.up);
	put_end_attrs(nlh, &x, mtu);
	if (x.master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)x.master);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	lbe_put_ifinfo(nlh, y.ifindex, false);
	put_end_attrs(nlh, &y, mtu);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return y.up ? lbe_queue_link_up(b, b->core_nl, y.ifindex, y.master, op, err) : 0;
}

/* A tunnel end's VXLAN device, made from the underlay's socket and born
 * as end d (a vnet node's hook, a switch port, or a pipe's far port). */
static int vxlan_device(struct linux_be *b, const struct vl_op *op,
			const struct vl_tunnel *tn, struct end d, struct vl_err *err)
{
	if (!b->host_nl) {
		int rc = lbe_flush(b, err); /* what is queued goes first */
		if (rc < 0)
			return rc;
		if (b->host_net < 0 || !(b->host_nl = lbe_ns_socket(b, b->host_net)))
			return lbe_op_fail(b, op, b->host_net < 0 ? EBADF : errno,
					   "a route socket in the underlay's namespace", err);
	}
	struct nlmsghdr *nlh = lbe_begin(b, b->host_nl, RTM_NEWLINK,
					 NLM_F_CREATE | NLM_F_EXCL, op, err);
	if (!nlh)
		return -EIO;
	/* Up and enslaved afterwards, from its own namespace's socket. */
	lbe_put_ifinfo(nlh, d.ifindex, false);
	put_end_attrs(nlh, &d, vl_tunnel_mtu(tn));
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, tn->vni);
	if (tn->remote.family == AF_INET6) {
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL6, 16, tn->local.a);
		mnl_attr_put(nlh, IFLA_VXLAN_GROUP6, 16, tn->remote.a);
	} else {
		mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, 4, tn->local.a);
		mnl_attr_put(nlh, IFLA_VXLAN_GROUP, 4, tn->remote.a);
	}
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(vl_tunnel_port(tn)));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return d.up ? lbe_queue_link_up(b, b->core_nl, d.ifindex, d.master, op, err) : 0;
}

/* ep[0] = VXLAN device, or ep[0] = ~pNa [pipe] ~pNb = VXLAN device. */
static int tunnel_create(struct linux_be *b, const struct vl_op *op,
			 const struct vl_link *l, struct vl_err *err)
{
	struct end e, port[2];
	lbe_describe_end(b, &l->ep[0], &e);
	if (!b->base.plan->links[op->idx].piped)
		return vxlan_device(b, op, &l->tunnel, e, err);
	pipe_port(b, op->idx, 0, &port[0]);
	pipe_port(b, op->idx, 1, &port[1]);
	e.mtu = port[0].mtu = vl_tunnel_mtu(&l->tunnel);
	int rc = wire(b, op, e, port[0], err);
	return rc < 0 ? rc : vxlan_device(b, op, &l->tunnel, port[1], err);
}

static int link_create(struct vl_backend *be, const struct vl_op *op,
		       struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	struct end e[2], port[2];
	if (l->has_tunnel)
		return tunnel_create(b, op, l, err);
	lbe_describe_end(b, &l->ep[0], &e[0]);
	lbe_describe_end(b, &l->ep[1], &e[1]);
	if (!b->base.plan->links[op->idx].piped)
		return wire(b, op, e[0], e[1], err);
	/* Split through the core: ep[0] = ~pNa [pipe] ~pNb = ep[1]. */
	pipe_port(b, op->idx, 0, &port[0]);
	pipe_port(b, op->idx, 1, &port[1]);
	port[0].mtu = port[1].mtu = e[0].mtu > e[1].mtu ? e[0].mtu : e[1].mtu;
	int rc = wire(b, op, e[0], port[0], err);
	return rc < 0 ? rc : wire(b, op, port[1], e[1], err);
}

/* ---- sync, rollback, lifetime -------------------------------------------------- */

void lbe_drop_node(struct linux_be *b, size_t i)
{
	const struct vl_topo *t = topo_of(b);
	struct lnode *ln = &b->nodes[i];
	if (ln->linked) {
		char name[64];
		snprintf(name, sizeof(name), "%s.%s", t->name, t->nodes[i].name);
		vl_netns_unlink(name);
		ln->linked = false;
	}
	if (ln->net >= 0)
		close(ln->net);
	if (ln->uts >= 0)
		close(ln->uts);
	if (ln->mnt >= 0)
		close(ln->mnt);
	if (ln->root >= 0)
		close(ln->root);
	ln->net = ln->uts = ln->mnt = ln->root = -1;
}

void lbe_close_sockets(struct linux_be *b)
{
	lbe_drop_node_sock(b);
	if (b->core_nl) {
		mnl_socket_close(b->core_nl);
		b->core_nl = NULL;
	}
	if (b->host_nl) {
		mnl_socket_close(b->host_nl);
		b->host_nl = NULL;
	}
}

/* Go back to the namespaces this process started in, so later sockets (and
 * children) of the keeper are not accidentally inside the last node. */
void lbe_return_home(struct linux_be *b)
{
	if (b->host_net >= 0)
		setns(b->host_net, CLONE_NEWNET);
	if (b->host_uts >= 0)
		setns(b->host_uts, CLONE_NEWUTS);
}

static int be_sync(struct vl_backend *be, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	int rc = lbe_flush(b, err);
	/* The sockets served configuration only; live changes reopen one. */
	lbe_close_sockets(b);
	lbe_return_home(b);
	return rc;
}

/* A tunnel end's VXLAN device is deleted now, not with its namespace:
 * the kernel frees a namespace later, and until then the device still
 * holds its VNI and port in the underlay, so an `up` right after `down`
 * would meet EEXIST.  Best effort: a device never made is no error. */
static void drop_tunnels(struct linux_be *b)
{
	const struct vl_topo *t = topo_of(b);
	/* What a failed build left queued is not sent: it would fail again
	 * in the first begin below, and hide the deletions behind it. */
	vl_nl_batch_init(b->batch);
	for (size_t l = 0; l < t->n_links; l++) {
		if (!t->links[l].has_tunnel)
			continue;
		const struct vl_link_place *lp = &b->base.plan->links[l];
		struct end e;
		lbe_describe_end(b, &t->links[l].ep[0], &e);
		int ns = lp->piped ? b->core_net : e.ns;
		int ifindex = lp->piped ? lp->port_ifindex[1] : e.ifindex;
		struct mnl_socket *s = ns >= 0 ? lbe_ns_socket(b, ns) : NULL;
		if (!s)
			continue;
		struct vl_nl_fail f;
		struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_DELLINK, 0, NULL, &f);
		if (nlh) {
			lbe_put_ifinfo(nlh, ifindex, false);
			vl_nl_flush(b->batch, &f);
		}
		mnl_socket_close(s);
	}
}

static void release(struct linux_be *b)
{
	const struct vl_topo *t = topo_of(b);
	vl_pipes_free(b->pipes);
	b->pipes = NULL;
	lbe_close_sockets(b);
	lbe_return_home(b);
	drop_tunnels(b);
	/* Closing the last reference lets the kernel free each namespace
	 * and every interface in it, asynchronously; much faster than
	 * deleting links one by one. */
	for (size_t i = 0; i < t->n_nodes; i++)
		lbe_drop_node(b, i);
	if (b->core_net >= 0)
		close(b->core_net);
	b->core_net = -1;
}

static void be_rollback(struct vl_backend *be)
{
	release(LBE(be));
}

/* One row per kind: how Linux makes and removes it (kind.h says what
 * it is).  A folded kind (pipe) never reaches a backend: its row is empty. */
const struct lbe_kind lbe_kinds[VL_KIND__COUNT] = {
	[VL_KIND_VNET] = {node_create, NULL, lbe_vnet_remove},
	[VL_KIND_BRIDGE] = {switch_create, bridge_data, lbe_switch_remove},
	[VL_KIND_HUB] = {switch_create, hub_data, lbe_switch_remove},
	[VL_KIND_TEE] = {lbe_tee_start, NULL, lbe_tee_remove},
};

/* The ops that make a node (the plan gives each node one) go to its kind's row. */
static int make_node(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	return lbe_kinds[topo_of(LBE(be))->nodes[op->node].kind].make(be, op, err);
}

static const struct vl_backend_ops linux_ops = {
	.name = "linux",
	.op = {
		[VL_OP_CORE_CREATE] = core_create,
		[VL_OP_NODE_CREATE] = make_node,
		[VL_OP_SWITCH_CREATE] = make_node,
		[VL_OP_LINK_CREATE] = link_create,
		[VL_OP_QDISC_SET] = lbe_qdisc_set,
		[VL_OP_PIPE_START] = lbe_pipe_start,
		[VL_OP_TEE_START] = make_node,
		[VL_OP_IFACE_UP] = lbe_iface_up,
		[VL_OP_ADDR_ADD] = lbe_addr_add,
		[VL_OP_ROUTE_ADD] = lbe_route_add,
		[VL_OP_CMD_RUN] = lbe_cmd_run,
	},
	.sync = be_sync,
	.rollback = be_rollback,
};

/* A Linux bridge takes at most 1024 ports (BR_MAX_PORTS): say so before
 * building anything, rather than fail at port 1025 (EXFULL). */
#define BRIDGE_MAX_PORTS 1024

int lbe_check_limits(const struct vl_topo *t, struct vl_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		if (vl_kind_has(n->kind, VL_KF_BRIDGE) && n->n_ifaces > BRIDGE_MAX_PORTS)
			rc = vl_errf(err, "%s:%d:%d: error: %s '%s' has %zu hooks; a Linux "
				     "bridge takes at most %d: join several with links",
				     t->file, n->pos.line, n->pos.col, vl_kind_type(n->kind)->name,
				     n->name, n->n_ifaces, BRIDGE_MAX_PORTS);
	}
	return rc;
}

struct vl_backend *vl_linux_backend_new(const struct vl_plan *p,
					const struct vl_linux_opts *o,
					struct vl_err *err)
{
	if (lbe_check_limits(p->topo, err) < 0)
		return NULL;
	struct linux_be *b = calloc(1, sizeof(*b));
	if (b) {
		b->nodes = calloc(p->topo->n_nodes ? p->topo->n_nodes : 1,
				  sizeof(*b->nodes));
		b->batch = malloc(sizeof(*b->batch));
		b->pipe_of = malloc((p->topo->n_links ? p->topo->n_links : 1) * sizeof(int));
		b->live = calloc(p->topo->n_links ? p->topo->n_links : 1, sizeof(*b->live));
	}
	if (!b || !b->nodes || !b->batch || !b->pipe_of || !b->live) {
		if (b) {
			free(b->nodes);
			free(b->batch);
			free(b->pipe_of);
			free(b->live);
		}
		free(b);
		vl_errf(err, "linux backend: out of memory");
		return NULL;
	}
	b->base.ops = &linux_ops;
	b->base.plan = p;
	b->o = *o;
	b->core_net = -1;
	b->node_nl_of = -1;
	b->ipv6 = access("/proc/sys/net/ipv6", F_OK) == 0;
	for (size_t i = 0; i < p->topo->n_nodes; i++)
		b->nodes[i] = (struct lnode){.net = -1, .uts = -1, .mnt = -1, .root = -1, .uts_slot = (unsigned)i,
					     .pipe = -1};
	b->next_uts_slot = (unsigned)p->topo->n_nodes;
	b->route_flags = NLM_F_EXCL;
	for (size_t l = 0; l < p->topo->n_links; l++) {
		const struct vl_link_place *lp = &p->links[l];
		b->pipe_of[l] = -1;
		b->live[l] = (struct vl_link_live){
			.dir = {p->topo->links[l].dir[0], p->topo->links[l].dir[1]},
			.kernel_set = {lp->kernel_set[0], lp->kernel_set[1]},
			.pipe_set = {lp->pipe_set[0], lp->pipe_set[1]}};
	}
	vl_nl_batch_init(b->batch);
	b->host_net = open_ns("net");
	b->host_uts = open_ns("uts");
	return &b->base;
}

int vl_linux_ns_fd(struct vl_backend *be, long node, int nstype)
{
	struct linux_be *b = LBE(be);
	if (node < 0)
		return nstype == CLONE_NEWNET ? b->core_net : -1;
	return nstype == CLONE_NEWNET ? b->nodes[node].net : b->nodes[node].uts;
}

int vl_linux_ns_open(struct vl_backend *be, long node, int nstype)
{
	struct linux_be *b = LBE(be);
	int fd;
	if (node >= 0 && nstype == CLONE_NEWUTS && b->nodes[node].uts_bound) {
		char path[PATH_MAX];
		lbe_uts_path(b, (size_t)node, path, sizeof(path));
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		int held = node < 0 ? (nstype == CLONE_NEWNET ? b->core_net : -1)
				    : nstype == CLONE_NEWNET ? b->nodes[node].net
							     : b->nodes[node].uts;
		if (held < 0)
			return -ENOENT;
		fd = fcntl(held, F_DUPFD_CLOEXEC, 0);
	}
	return fd < 0 ? -errno : fd;
}

void vl_linux_backend_free(struct vl_backend *be)
{
	if (!be)
		return;
	struct linux_be *b = LBE(be);
	release(b);
	if (b->host_net >= 0)
		close(b->host_net);
	if (b->host_uts >= 0)
		close(b->host_uts);
	free(b->nodes);
	free(b->batch);
	free(b->pipe_of);
	free(b->live);
	free(b);
}

