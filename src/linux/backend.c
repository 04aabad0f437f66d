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
#include "vnetlab/linux.h"

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

#include "linux/nl.h"
#include "linux/pipe.h"
#include "vnetlab/plan_diff.h"

struct lnode {
	int net, uts;            /* -1 until made; uts -1 too when bound */
	bool linked;             /* /run/netns/LAB.NODE exists */
	bool uts_bound;          /* held by a bind mount in o.uts_dir */
	unsigned uts_slot;       /* its file there (node numbers change
				    when the graph does, slots do not) */
	int pipe;                /* a tee's forwarder, -1: none */
};

struct linux_be {
	struct vl_backend base;
	struct vl_pipes *pipes;   /* userspace pipes, NULL until the first */
	int *pipe_of;             /* by link: pipe number, -1 when none */
	struct vl_linux_opts o;
	int host_net, host_uts;  /* where this process started */
	int core_net;
	struct mnl_socket *core_nl;
	/* One node's route socket at a time: a socket per node held for the
	 * whole build would be a third descriptor per node (EMFILE at ~6600
	 * nodes under a 20000 limit).  Configuration comes node by node, so
	 * one open socket costs a setns + socket() per node, no more. */
	struct mnl_socket *node_nl;
	long node_nl_of;         /* whose, -1: none */
	bool ipv6;               /* the kernel has IPv6 */
	struct lnode *nodes;
	struct vl_nl_batch *batch;
	struct vl_link_live *live; /* by link: impairments and state now */
	uint16_t route_flags;      /* NLM_F_EXCL making a lab, NLM_F_REPLACE
				      when restoring routes after `link up` */
	unsigned next_uts_slot;
};

#define LBE(be) ((struct linux_be *)(be))

static const struct vl_topo *topo_of(struct linux_be *b)
{
	return b->base.plan->topo;
}

/* ---- errors ------------------------------------------------------------ */

static int op_fail(struct linux_be *b, const struct vl_op *op, int e,
		   const char *extack, struct vl_err *err)
{
	char what[300];
	vl_op_describe(b->base.plan, op, what, sizeof(what));
	if (extack && *extack)
		return vl_err_sys(err, e, "%s [kernel: %s]", what, extack);
	return vl_err_sys(err, e, "%s", what);
}

static int flush(struct linux_be *b, struct vl_err *err)
{
	struct vl_nl_fail f;
	int rc = vl_nl_flush(b->batch, &f);
	return rc < 0 ? op_fail(b, f.tag, f.error, f.extack, err) : 0;
}

static struct nlmsghdr *begin(struct linux_be *b, struct mnl_socket *s,
			      uint16_t type, uint16_t flags,
			      const struct vl_op *op, struct vl_err *err)
{
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, type, flags, op, &f);
	if (!nlh)
		op_fail(b, f.tag, f.error, f.extack, err);
	return nlh;
}

/* ---- small helpers -------------------------------------------------------- */

static int write_file(const char *path, const char *val)
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

static struct ifinfomsg *put_ifinfo(struct nlmsghdr *nlh, int index,
				    bool up)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = up ? IFF_UP : 0;
	ifi->ifi_change = up ? IFF_UP : 0;
	return ifi;
}

static int queue_link_up(struct linux_be *b, struct mnl_socket *s, int index,
			 int master, const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = begin(b, s, RTM_NEWLINK, 0, op, err);
	if (!nlh)
		return -EIO;
	put_ifinfo(nlh, index, true);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	return 0;
}

/* ---- a node's route socket -------------------------------------------------- */

static void drop_node_sock(struct linux_be *b)
{
	if (b->node_nl)
		mnl_socket_close(b->node_nl);
	b->node_nl = NULL;
	b->node_nl_of = -1;
}

/* The route socket of node i (its queued messages to the previous node's
 * socket are sent first).  Opened from inside the node's namespace;
 * this thread stays there until the next switch or return_home(). */
static struct mnl_socket *node_sock(struct linux_be *b, size_t i, const struct vl_op *op,
				    struct vl_err *err)
{
	if (b->node_nl && b->node_nl_of == (long)i)
		return b->node_nl;
	if (flush(b, err) < 0)
		return NULL;
	drop_node_sock(b);
	if (b->nodes[i].net >= 0 && setns(b->nodes[i].net, CLONE_NEWNET) < 0) {
		op_fail(b, op, errno, NULL, err);
		return NULL;
	}
	if (!(b->node_nl = vl_nl_open())) {
		op_fail(b, op, errno, NULL, err);
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
		return op_fail(b, op, errno, NULL, err);
	b->core_net = open_ns("net");
	if (b->core_net < 0 || !(b->core_nl = vl_nl_open()))
		return op_fail(b, op, errno, NULL, err);
	/* br_netfilter is built into this kernel and every new namespace
	 * starts with bridge-nf-call-* = 1, which costs ~20% of a bridge's
	 * packet rate and makes host firewall rules apply inside the lab. */
	static const char *const nf[] = {"iptables", "ip6tables", "arptables"};
	for (int i = 0; i < 3; i++) {
		char path[80];
		snprintf(path, sizeof(path), "/proc/sys/net/bridge/bridge-nf-call-%s",
			 nf[i]);
		write_file(path, "0"); /* absent without br_netfilter: fine */
	}
	return queue_link_up(b, b->core_nl, 1, 0, op, err);
}

static int node_sysctls(const struct vl_node *n, bool rootless)
{
	int rc = 0;
	if (n->forwarding) {
		rc = write_file("/proc/sys/net/ipv4/ip_forward", "1");
		int r6 = write_file("/proc/sys/net/ipv6/conf/all/forwarding", "1");
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
		return op_fail(b, op, errno, NULL, err);
	char line[80];
	int len = snprintf(line, sizeof(line), "%s\n", name);
	ssize_t w = write(fd, line, (size_t)len);
	close(fd);
	if (w != len)
		return op_fail(b, op, EIO, NULL, err);
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

static void uts_path(struct linux_be *b, size_t i, char *buf, size_t len)
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
	uts_path(b, i, path, sizeof(path));
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

static int node_create(struct vl_backend *be, const struct vl_op *op,
		       struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	struct lnode *ln = &b->nodes[op->node];
	if (unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0)
		return op_fail(b, op, errno, NULL, err);
	if (sethostname(n->hostname, strlen(n->hostname)) < 0)
		return op_fail(b, op, errno, NULL, err);
	int rc = node_sysctls(n, b->o.rootless);
	if (rc < 0)
		return op_fail(b, op, -rc, "writing /proc/sys/net", err);
	ln->net = open_ns("net");
	ln->uts = open_ns("uts");
	if (ln->net < 0 || ln->uts < 0)
		return op_fail(b, op, errno, NULL, err);
	bind_uts(b, op->node);
	if (b->o.netns_journal && (rc = link_netns(b, op->node, op, err)) < 0)
		return rc;
	/* We are in the new namespace: its socket is this node's for now. */
	struct mnl_socket *nl = node_sock(b, op->node, op, err);
	return nl ? queue_link_up(b, nl, 1, 0, op, err) : -EIO;
}

static int switch_create(struct vl_backend *be, const struct vl_op *op,
			 struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	struct nlmsghdr *nlh = begin(b, b->core_nl, RTM_NEWLINK,
				     NLM_F_CREATE | NLM_F_EXCL, op, err);
	if (!nlh)
		return -EIO;
	put_ifinfo(nlh, b->base.plan->switch_ifindex[op->node], true);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, n->name);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	if (n->kind == VL_KIND_HUB) {
		/* A hub forgets every address at once, so it floods every
		 * frame to every other port, as ng_hub does. */
		struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_BR_AGEING_TIME, 0);
		mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
		mnl_attr_nest_end(nlh, d);
	}
	mnl_attr_nest_end(nlh, li);
	return 0;
}

/* ---- links -------------------------------------------------------------- */

/* One end of a veth wire: a hook of a node or switch, or a pipe's port. */
struct end {
	const char *ifname;
	int ifindex;
	int ns;              /* namespace fd the end is born in */
	int master;          /* switch ifindex for a switch port, else 0 */
	const uint8_t *mac;  /* NULL: the kernel's choice */
	unsigned mtu;
	bool up;             /* up with the wire (ports in the core); a vnet
				interface comes up by its own op */
	struct mnl_socket *nl; /* route socket of its namespace */
};

static void describe_end(struct linux_be *b, const struct vl_endpoint *ep,
			 struct end *e)
{
	const struct vl_plan *p = b->base.plan;
	const struct vl_node *n = &topo_of(b)->nodes[ep->node];
	const struct vl_iface *f = &n->ifaces[ep->iface];
	const struct vl_hook_place *h = &p->hooks[f->gid];
	bool sw = vl_kind_info(n->kind)->is_switch;
	*e = (struct end){.ifname = h->ifname, .ifindex = h->ifindex,
			  .ns = sw ? b->core_net : b->nodes[ep->node].net,
			  .master = sw ? p->switch_ifindex[ep->node] : 0,
			  .mac = h->mac, .mtu = f->mtu,
			  .nl = sw ? b->core_nl : NULL, .up = sw};
}

/* The other end of link l, seen from hook `iface` of node `node`. */
static const struct vl_endpoint *far_side(const struct vl_topo *t, long l,
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
	struct nlmsghdr *nlh = begin(b, b->core_nl, RTM_NEWLINK,
				     NLM_F_CREATE | NLM_F_EXCL, op, err);
	if (!nlh)
		return -EIO;
	put_ifinfo(nlh, x.ifindex, x.up);
	put_end_attrs(nlh, &x, mtu);
	if (x.master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)x.master);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	put_ifinfo(nlh, y.ifindex, false);
	put_end_attrs(nlh, &y, mtu);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return y.up ? queue_link_up(b, b->core_nl, y.ifindex, y.master, op, err) : 0;
}

static int link_create(struct vl_backend *be, const struct vl_op *op,
		       struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	struct end e[2], port[2];
	describe_end(b, &l->ep[0], &e[0]);
	describe_end(b, &l->ep[1], &e[1]);
	if (!b->base.plan->links[op->idx].piped)
		return wire(b, op, e[0], e[1], err);
	/* Split through the core: ep[0] = ~pNa [pipe] ~pNb = ep[1]. */
	pipe_port(b, op->idx, 0, &port[0]);
	pipe_port(b, op->idx, 1, &port[1]);
	port[0].mtu = port[1].mtu = e[0].mtu > e[1].mtu ? e[0].mtu : e[1].mtu;
	int rc = wire(b, op, e[0], port[0], err);
	return rc < 0 ? rc : wire(b, op, port[1], e[1], err);
}

/* ---- kernel impairments: tbf (bandwidth), netem (the rest) ------------------ */

static void put_tbf(struct nlmsghdr *nlh, const struct vl_impair *im)
{
	uint64_t bytes_s = im->v[VL_P_BANDWIDTH] / 8;
	/* A burst of 1 ms at the rate, but at least two full frames: less
	 * and a 1500-byte frame could never leave. */
	uint32_t burst = (uint32_t)(bytes_s / 1000 > 3028 ? bytes_s / 1000 : 3028);
	/* Queue: the frames asked for, else what 50 ms at the rate holds. */
	uint64_t limit = vl_impair_has(im, VL_P_QUEUE)
				 ? im->v[VL_P_QUEUE] * 1514
				 : bytes_s / 20 + burst;
	struct tc_tbf_qopt q = {0};
	q.rate.rate = bytes_s > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_s;
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.limit = limit > UINT32_MAX ? UINT32_MAX : (uint32_t)limit;
	/* buffer is in scheduler ticks (64 ns); TCA_TBF_BURST below makes the
	 * kernel recompute it exactly from the burst in bytes. */
	q.buffer = (uint32_t)((uint64_t)burst * 1000000000ull / bytes_s / 64);
	struct nlattr *opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	mnl_attr_put_u64(nlh, TCA_TBF_RATE64, bytes_s);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, burst);
	mnl_attr_nest_end(nlh, opt);
}

static uint32_t netem_prob(uint64_t ppb)
{
	/* netem's probabilities are fractions of 2^32 - 1. */
	return (uint32_t)((double)ppb / VL_PPB * UINT32_MAX);
}

static void put_netem(struct nlmsghdr *nlh, const struct vl_impair *im)
{
	struct tc_netem_qopt q = {0};
	q.limit = vl_impair_has(im, VL_P_QUEUE) ? (uint32_t)im->v[VL_P_QUEUE] : 1000;
	q.loss = netem_prob(im->v[VL_P_LOSS]);
	q.duplicate = netem_prob(im->v[VL_P_DUPLICATE]);
	struct nlattr *opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	/* netem's options are the struct itself followed by attributes. */
	memcpy(mnl_nlmsg_get_payload_tail(nlh), &q, sizeof(q));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(q));
	mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, (int64_t)im->v[VL_P_DELAY]);
	mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, (int64_t)im->v[VL_P_JITTER]);
	if (vl_impair_has(im, VL_P_BANDWIDTH))
		mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, im->v[VL_P_BANDWIDTH] / 8);
	mnl_attr_nest_end(nlh, opt);
}

/* The root qdisc of ifindex carrying im (RTM_NEWQDISC), or none (DEL). */
static void put_qdisc(struct nlmsghdr *nlh, int ifindex, const struct vl_impair *im)
{
	struct tcmsg *tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = TC_H_ROOT;
	tc->tcm_handle = 0x10000; /* 1: */
	if (!im)
		return;
	bool netem = vl_kernel_needs_netem(im->set);
	mnl_attr_put_strz(nlh, TCA_KIND, netem ? "netem" : "tbf");
	if (netem)
		put_netem(nlh, im);
	else
		put_tbf(nlh, im);
}

static int qdisc_set(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	const struct vl_link_place *lp = &b->base.plan->links[op->idx];
	struct end e;
	describe_end(b, &l->ep[op->dir], &e);
	struct vl_impair im = vl_impair_only(&l->dir[op->dir], lp->kernel_set[op->dir]);
	struct mnl_socket *s = e.nl ? e.nl : node_sock(b, l->ep[op->dir].node, op, err);
	struct nlmsghdr *nlh = s ? begin(b, s, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
					 op, err) : NULL;
	if (!nlh)
		return -EIO;
	put_qdisc(nlh, e.ifindex, &im);
	return 0;
}

/* ---- node configuration ---------------------------------------------------- */

/* IPv6 on a vnet interface: no link-local of the kernel's (it would wait
 * ~2 s for duplicate address detection, and turning DAD off costs a
 * /proc/sys write per node, see node_sysctls), so this message first. */
static int queue_no_autoconf(struct linux_be *b, struct mnl_socket *s, int index,
			     const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = begin(b, s, RTM_NEWLINK, 0, op, err);
	if (!nlh)
		return -EIO;
	put_ifinfo(nlh, index, false);
	struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	return 0;
}

/* ... and the link-local the kernel would have made from the MAC
 * (EUI-64), usable at once. */
static void put_link_local(struct nlmsghdr *nlh, int index, const uint8_t mac[6])
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_index = (uint32_t)index;
	uint8_t a[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, (uint8_t)(mac[0] ^ 2), mac[1], mac[2],
			 0xff, 0xfe, mac[3], mac[4], mac[5]};
	mnl_attr_put(nlh, IFA_LOCAL, 16, a);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

static int queue_link_local(struct linux_be *b, struct mnl_socket *s, int index,
			    const uint8_t mac[6], const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = begin(b, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, op, err);
	if (!nlh)
		return -EIO;
	put_link_local(nlh, index, mac);
	return 0;
}

static int iface_up(struct vl_backend *be, const struct vl_op *op,
		    struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_iface *f = &topo_of(b)->nodes[op->node].ifaces[op->iface];
	const struct vl_hook_place *h = &b->base.plan->hooks[f->gid];
	struct mnl_socket *s = node_sock(b, op->node, op, err);
	if (!s)
		return -EIO;
	int rc = b->ipv6 ? queue_no_autoconf(b, s, h->ifindex, op, err) : 0;
	if (rc == 0)
		rc = queue_link_up(b, s, h->ifindex, 0, op, err);
	if (rc == 0 && b->ipv6)
		rc = queue_link_local(b, s, h->ifindex, h->mac, op, err);
	return rc;
}

static void put_addr(struct nlmsghdr *nlh, int ifindex, const struct vl_ip *ip);

static int addr_add(struct vl_backend *be, const struct vl_op *op,
		    struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_iface *f = &topo_of(b)->nodes[op->node].ifaces[op->iface];
	const struct vl_ip *ip = &f->addrs[op->idx].ip;
	struct mnl_socket *s = node_sock(b, op->node, op, err);
	struct nlmsghdr *nlh = s ? begin(b, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, op, err)
				 : NULL;
	if (!nlh)
		return -EIO;
	put_addr(nlh, b->base.plan->hooks[f->gid].ifindex, ip);
	return 0;
}

static void put_addr(struct nlmsghdr *nlh, int ifindex, const struct vl_ip *ip)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)ip->family;
	ifa->ifa_prefixlen = (uint8_t)ip->plen;
	ifa->ifa_index = (uint32_t)ifindex;
	size_t alen = (size_t)vl_ip_alen(ip->family);
	mnl_attr_put(nlh, IFA_LOCAL, alen, ip->a);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, ip->a);
	if (ip->family == AF_INET && ip->plen < 31) {
		uint8_t brd[4];
		memcpy(brd, ip->a, 4);
		for (int bit = ip->plen; bit < 32; bit++)
			brd[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
	}
	/* No duplicate address detection: the topology already guarantees
	 * uniqueness, and DAD would leave v6 addresses unusable for ~2 s. */
	if (ip->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

static void put_route(struct linux_be *b, struct nlmsghdr *nlh, const struct vl_node *n,
		      const struct vl_route *r);

static int route_add(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	const struct vl_route *r = &n->routes[op->idx];
	struct mnl_socket *s = node_sock(b, op->node, op, err);
	struct nlmsghdr *nlh = s ? begin(b, s, RTM_NEWROUTE, NLM_F_CREATE | b->route_flags, op,
					 err) : NULL;
	if (!nlh)
		return -EIO;
	put_route(b, nlh, n, r);
	return 0;
}

static void put_route(struct linux_be *b, struct nlmsghdr *nlh, const struct vl_node *n,
		      const struct vl_route *r)
{
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->to.family;
	rtm->rtm_dst_len = r->is_default ? 0 : (uint8_t)r->to.plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = r->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	size_t alen = (size_t)vl_ip_alen(r->to.family);
	if (!r->is_default)
		mnl_attr_put(nlh, RTA_DST, alen, r->to.a);
	if (r->has_via)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via.a);
	if (r->dev[0]) {
		long fi = vl_node_find_iface(n, r->dev);
		mnl_attr_put_u32(nlh, RTA_OIF,
				 (uint32_t)b->base.plan->hooks[n->ifaces[fi].gid].ifindex);
	}
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
}

/* ---- startup commands ------------------------------------------------------ */

static pid_t spawn_in_node(struct linux_be *b, size_t node, char *const argv[],
			   int logfd, int report)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int e = 0, uts = vl_linux_ns_open(&b->base, (long)node, CLONE_NEWUTS);
	if (uts < 0 || setns(b->nodes[node].net, CLONE_NEWNET) < 0 ||
	    setns(uts, CLONE_NEWUTS) < 0)
		e = uts < 0 ? -uts : errno;
	if (!e)
		vl_node_mounts(); /* as `vnetlab exec` gives its commands */
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (!e && (devnull < 0 || dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 ||
		   dup2(logfd, 2) < 0))
		e = errno;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (!e) {
		execvp(argv[0], argv);
		e = errno;
	}
	/* Tell the parent why through the close-on-exec pipe. */
	ssize_t w = write(report, &e, sizeof(e));
	(void)w;
	_exit(127);
}

static int wait_timeout(pid_t pid, int timeout_ms, int *status)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		int r = poll(&p, 1, timeout_ms);
		close(pfd);
		if (r == 0)
			return -ETIMEDOUT;
		return waitpid(pid, status, 0) < 0 ? -errno : 0;
	}
	/* No pidfds (old kernel, a seccomp filter): poll the child, so the
	 * limit holds all the same. */
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0)
			return -errno;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
}

/* The last lines a failed startup command wrote, into the error: its
 * log lives in the lab's state directory, which the rollback removes. */
static void log_tail(struct vl_err *err, const char *log, const char *node)
{
	char buf[1024];
	int fd = open(log, O_RDONLY | O_CLOEXEC);
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	off_t from = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = end > 0 ? pread(fd, buf, sizeof(buf) - 1, from) : 0;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		vl_errf(err, "  (%s: no output)", node);
		return;
	}
	buf[n] = '\0';
	/* Whole lines only (the first is cut when the file is longer), the
	 * last 8 of them. */
	char *lines[64];
	int k = 0;
	for (char *save, *l = strtok_r(buf, "\n", &save); l && k < 64;
	     l = strtok_r(NULL, "\n", &save))
		lines[k++] = l;
	int first = from > 0 && k > 1 ? 1 : 0;
	if (k - first > 8)
		first = k - 8;
	for (int i = first; i < k; i++)
		vl_errf(err, "  %s| %s", node, lines[i]);
}

static int cmd_run(struct vl_backend *be, const struct vl_op *op,
		   struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	const struct vl_cmd *c = &n->cmds[op->idx];
	int rc = flush(b, err); /* the node must be fully configured first */
	if (rc < 0)
		return rc;
	char log[512];
	snprintf(log, sizeof(log), "%s/%s.log", b->o.log_dir, n->name);
	int logfd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	int pipefd[2];
	if (logfd < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
		rc = op_fail(b, op, errno, log, err);
		if (logfd >= 0)
			close(logfd);
		return rc;
	}
	pid_t pid = spawn_in_node(b, op->node, c->argv, logfd, pipefd[1]);
	close(pipefd[1]);
	close(logfd);
	int child_errno = 0, status = 0;
	ssize_t got = pid > 0 ? read(pipefd[0], &child_errno, sizeof(child_errno)) : 0;
	close(pipefd[0]);
	if (pid < 0)
		return op_fail(b, op, errno, NULL, err);
	if (got == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		return op_fail(b, op, child_errno, "could not start it", err);
	}
	rc = wait_timeout(pid, b->o.cmd_timeout_ms, &status);
	if (rc == -ETIMEDOUT) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		char what[300];
		vl_op_describe(b->base.plan, op, what, sizeof(what));
		vl_errf(err, "%s: still running after %d ms (up --cmd-timeout MS "
			"sets the limit); startup commands must finish (daemonize "
			"servers, e.g. iperf3 -s -D); its output:", what,
			b->o.cmd_timeout_ms);
		log_tail(err, log, n->name);
		return -ETIMEDOUT;
	}
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char what[300];
	vl_op_describe(b->base.plan, op, what, sizeof(what));
	if (rc == 0 && WIFSIGNALED(status))
		vl_errf(err, "%s: killed by signal %d; its output:", what, WTERMSIG(status));
	else
		vl_errf(err, "%s: exited with status %d; its output:", what,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	log_tail(err, log, n->name);
	return -ECHILD;
}

/* ---- sync, rollback, lifetime -------------------------------------------------- */

static void close_sockets(struct linux_be *b)
{
	drop_node_sock(b);
	if (b->core_nl) {
		mnl_socket_close(b->core_nl);
		b->core_nl = NULL;
	}
}

/* Go back to the namespaces this process started in, so later sockets (and
 * children) of the keeper are not accidentally inside the last node. */
static void return_home(struct linux_be *b)
{
	if (b->host_net >= 0)
		setns(b->host_net, CLONE_NEWNET);
	if (b->host_uts >= 0)
		setns(b->host_uts, CLONE_NEWUTS);
}

static int be_sync(struct vl_backend *be, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	int rc = flush(b, err);
	/* The sockets served configuration only; live changes reopen one. */
	close_sockets(b);
	return_home(b);
	return rc;
}

static void release(struct linux_be *b)
{
	const struct vl_topo *t = topo_of(b);
	vl_pipes_free(b->pipes);
	b->pipes = NULL;
	close_sockets(b);
	return_home(b);
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct lnode *ln = &b->nodes[i];
		if (ln->linked) {
			char name[64];
			snprintf(name, sizeof(name), "%s.%s", t->name, t->nodes[i].name);
			vl_netns_unlink(name);
			ln->linked = false;
		}
		/* Closing the last reference lets the kernel free the
		 * namespace and every interface in it, asynchronously; much
		 * faster than deleting links one by one. */
		if (ln->net >= 0)
			close(ln->net);
		if (ln->uts >= 0)
			close(ln->uts);
		ln->net = ln->uts = -1;
	}
	if (b->core_net >= 0)
		close(b->core_net);
	b->core_net = -1;
}

static void be_rollback(struct vl_backend *be)
{
	release(LBE(be));
}

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
		return op_fail(b, op, ENOMEM, NULL, err);
	if (setns(b->core_net, CLONE_NEWNET) < 0)
		return op_fail(b, op, errno, NULL, err);
	*idx = vl_pipes_add(b->pipes, ports, n);
	if (*idx < 0)
		return op_fail(b, op, -*idx, "opening the packet sockets", err);
	return 0;
}

static int pipe_start(struct vl_backend *be, const struct vl_op *op,
		      struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	const struct vl_link_place *lp = &b->base.plan->links[op->idx];
	int rc = flush(b, err); /* the ports must exist */
	if (rc < 0)
		return rc;
	for (int e = 0; e < 2; e++) {
		struct end end;
		describe_end(b, &l->ep[e], &end);
		if ((rc = offloads_off(end.ns, end.ifname)) < 0)
			return op_fail(b, op, -rc, "turning offloads off", err);
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
 * nobody linked have no port, and copies to them go nowhere. */
static int tee_start(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_topo *t = topo_of(b);
	const struct vl_node *n = &t->nodes[op->node];
	static const char *const role[4] = {"left", "right", "left2right", "right2left"};
	static const int pass_to[4] = {1, 0, 1, 0}, copy_to[4] = {2, 3, -1, -1};
	int rc = flush(b, err), at[4] = {-1, -1, -1, -1}, k = 0;
	struct vl_pipe_port ports[4];
	for (int r = 0; r < 4 && rc == 0; r++) {
		long f = vl_node_find_iface(n, role[r]);
		if (f < 0)
			continue;
		const struct vl_iface *fi = &n->ifaces[f];
		struct end peer;
		describe_end(b, far_side(t, fi->link, op->node, (size_t)f), &peer);
		if ((rc = offloads_off(peer.ns, peer.ifname)) < 0)
			return op_fail(b, op, -rc, "turning offloads off", err);
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

/* ---- live changes ---------------------------------------------------------- */

/* A route socket inside namespace ns; this thread returns home after. */
static struct mnl_socket *ns_socket(struct linux_be *b, int ns)
{
	struct mnl_socket *s = NULL;
	if (setns(ns, CLONE_NEWNET) == 0)
		s = vl_nl_open();
	int e = errno;
	return_home(b);
	errno = e;
	return s;
}

/* Send what is queued; a failure is reported against `what`. */
static int live_flush(struct linux_be *b, const char *what, struct vl_err *err)
{
	struct vl_nl_fail f;
	int rc = vl_nl_flush(b->batch, &f);
	if (rc == 0)
		return 0;
	if (f.extack[0])
		return vl_err_sys(err, f.error, "%s [kernel: %s]", what, f.extack);
	return vl_err_sys(err, f.error, "%s", what);
}

/* Make the kernel's share of direction d of link l be im (none: no qdisc). */
static int live_qdisc(struct linux_be *b, size_t l, int d, const struct vl_impair *im,
		      struct vl_err *err)
{
	const struct vl_topo *t = topo_of(b);
	struct end e;
	describe_end(b, &t->links[l].ep[d], &e);
	char what[128], ep[40];
	vl_endpoint_name(t, &t->links[l].ep[d], ep, sizeof(ep));
	snprintf(what, sizeof(what), "%s the qdisc on %s", im ? "setting" : "removing", ep);
	struct mnl_socket *s = ns_socket(b, e.ns);
	if (!s)
		return vl_err_sys(err, errno, "%s", what);
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, im ? RTM_NEWQDISC : RTM_DELQDISC,
					   im ? NLM_F_CREATE | NLM_F_REPLACE : 0, NULL, &f);
	int rc = 0;
	if (nlh) {
		put_qdisc(nlh, e.ifindex, im);
		rc = live_flush(b, what, err);
	}
	mnl_socket_close(s);
	return rc;
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
		rc = live_qdisc(b, l, d, now.set ? &now : NULL, err);
		if (rc < 0 && d == 1) {
			/* Undo direction 0 so the link stays as it was. */
			struct vl_impair back = vl_impair_only(&cur->dir[0], cur->kernel_set[0]);
			struct vl_err ignored;
			vl_err_init(&ignored);
			live_qdisc(b, l, 0, back.set ? &back : NULL, &ignored);
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
		route_add(&b->base, &op, &ignored);
		flush(b, &ignored); /* op lives on this stack frame */
	}
	b->route_flags = NLM_F_EXCL;
	drop_node_sock(b);
	return_home(b);
}

/* Set an interface up or down.  ll_mac: a vnet interface coming back up,
 * whose IPv6 link-local (made by us, see queue_link_local) the kernel
 * dropped at `down` — keep_addr_on_down keeps global addresses only —
 * together with its fe80::/64 route: made again from the same MAC. */
static int set_admin(struct linux_be *b, int ns, int ifindex, bool up,
		     const uint8_t *ll_mac, const char *what, struct vl_err *err)
{
	struct mnl_socket *s = ns_socket(b, ns);
	if (!s)
		return vl_err_sys(err, errno, "%s", what);
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_NEWLINK, 0, NULL, &f);
	int rc = 0;
	if (nlh) {
		struct ifinfomsg *ifi = put_ifinfo(nlh, ifindex, up);
		ifi->ifi_change = IFF_UP;
		if (up && ll_mac && b->ipv6) {
			nlh = vl_nl_begin(b->batch, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
					  NULL, &f);
			if (nlh)
				put_link_local(nlh, ifindex, ll_mac);
		}
		rc = live_flush(b, what, err);
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
		write_file(path, "1");
	return_home(b);
}

int vl_linux_link_updown(struct vl_backend *be, size_t l, bool up, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_topo *t = topo_of(b);
	const struct vl_link_place *lp = &be->plan->links[l];
	char what[96];
	vl_link_name(t, l, what, sizeof(what));
	struct end e[2];
	describe_end(b, &t->links[l].ep[0], &e[0]);
	describe_end(b, &t->links[l].ep[1], &e[1]);
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

/* ---- live graph changes (vl_linux_apply) --------------------------------------- */

static int check_limits(const struct vl_topo *t, struct vl_err *err);

/* Delete interface ifindex of namespace ns, and so its veth peer; one
 * already gone (its namespace went first) is no error. */
static void del_iface(struct linux_be *b, int ns, int ifindex)
{
	struct mnl_socket *s = ns >= 0 ? ns_socket(b, ns) : NULL;
	if (!s)
		return;
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_DELLINK, 0, NULL, &f);
	if (nlh)
		put_ifinfo(nlh, ifindex, false);
	vl_nl_flush(b->batch, &f);
	mnl_socket_close(s);
}

/* Every process of the lab in node i's network namespace: a removed
 * jail's processes go with it, as on FreeBSD.  The keeper is PID 1 of the
 * lab, so NSpid's last field is the pid it can signal. */
static void kill_node_processes(struct linux_be *b, size_t i)
{
	struct stat net, pidns;
	if (fstat(b->nodes[i].net, &net) < 0 || stat("/proc/self/ns/pid", &pidns) < 0)
		return;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], line[256];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", e->d_name);
		if (stat(path, &st) < 0 || st.st_ino != pidns.st_ino || st.st_dev != pidns.st_dev)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
		if (stat(path, &st) < 0 || st.st_ino != net.st_ino || st.st_dev != net.st_dev)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		FILE *f = fopen(path, "re");
		long pid = -1;
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "NSpid:", 6)) {
				char *last = strrchr(line, '\t');
				pid = last ? strtol(last + 1, NULL, 10) : -1;
			}
		if (f)
			fclose(f);
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
	if (d)
		closedir(d);
}

/* Link l of the current plan goes: its pipe, then its wire (deleting one
 * end of a veth deletes both). */
static void link_remove(struct linux_be *b, size_t l)
{
	const struct vl_topo *t = topo_of(b);
	const struct vl_link_place *lp = &b->base.plan->links[l];
	if (b->pipe_of[l] >= 0)
		vl_pipes_del(b->pipes, b->pipe_of[l]);
	b->pipe_of[l] = -1;
	if (lp->piped) {
		del_iface(b, b->core_net, lp->port_ifindex[0]);
		del_iface(b, b->core_net, lp->port_ifindex[1]);
		return;
	}
	struct end e[2];
	describe_end(b, &t->links[l].ep[0], &e[0]);
	describe_end(b, &t->links[l].ep[1], &e[1]);
	int k = e[0].ns >= 0 ? 0 : 1;
	del_iface(b, e[k].ns, e[k].ifindex);
}

/* Node i of the current plan goes, with its processes. */
static void node_remove(struct linux_be *b, size_t i)
{
	const struct vl_topo *t = topo_of(b);
	const struct vl_node *n = &t->nodes[i];
	struct lnode *ln = &b->nodes[i];
	if (n->kind == VL_KIND_TEE && ln->pipe >= 0)
		vl_pipes_del(b->pipes, ln->pipe);
	ln->pipe = -1;
	if (vl_kind_info(n->kind)->bridge)
		del_iface(b, b->core_net, b->base.plan->switch_ifindex[i]);
	if (vl_kind_info(n->kind)->is_switch)
		return;
	if (ln->net >= 0)
		kill_node_processes(b, i);
	if (ln->linked) {
		char name[64];
		snprintf(name, sizeof(name), "%s.%s", t->name, n->name);
		vl_netns_unlink(name);
		ln->linked = false;
	}
	if (ln->uts_bound) {
		char path[PATH_MAX];
		uts_path(b, i, path, sizeof(path));
		umount2(path, MNT_DETACH);
		unlink(path);
		ln->uts_bound = false;
	}
	if (ln->net >= 0)
		close(ln->net);
	if (ln->uts >= 0)
		close(ln->uts);
	ln->net = ln->uts = -1;
}

/* What of plan p a pass makes: in the forward pass (d, !undo) the new
 * objects of the new plan, with the addresses and routes kept nodes
 * gain; undoing (d, undo) over the old plan, the objects d removed. */
struct pass_sel {
	const struct vl_plan_diff *d;
	const struct vl_topo *other; /* the old topology (forward pass) */
	bool undo;
};

static bool node_is_new(const struct pass_sel *s, size_t i)
{
	return s->undo ? s->d->node_to[i] < 0 : s->d->node_from[i] < 0;
}

static bool link_is_new(const struct pass_sel *s, size_t l)
{
	return s->undo ? s->d->link_to[l] < 0 : s->d->link_from[l] < 0;
}

static bool wanted(const struct linux_be *b, const struct pass_sel *s, const struct vl_op *op)
{
	const struct vl_topo *t = b->base.plan->topo;
	const struct vl_node *n = &t->nodes[op->node];
	switch (op->type) {
	case VL_OP_CORE_CREATE:
		return false;
	case VL_OP_NODE_CREATE:
	case VL_OP_SWITCH_CREATE:
	case VL_OP_TEE_START:
	case VL_OP_CMD_RUN:
		return node_is_new(s, op->node);
	case VL_OP_LINK_CREATE:
	case VL_OP_QDISC_SET:
	case VL_OP_PIPE_START:
		return link_is_new(s, op->idx);
	case VL_OP_IFACE_UP:
		return link_is_new(s, (size_t)n->ifaces[op->iface].link);
	case VL_OP_ADDR_ADD:
		if (node_is_new(s, op->node) || link_is_new(s, (size_t)n->ifaces[op->iface].link))
			return true;
		if (s->undo || !s->d->node_retuned[op->node])
			return false;
		{
			const struct vl_node *o = &s->other->nodes[s->d->node_from[op->node]];
			long k = vl_node_find_iface(o, n->ifaces[op->iface].name);
			return k < 0 || !vl_iface_has_addr(&o->ifaces[k],
							   &n->ifaces[op->iface].addrs[op->idx].ip);
		}
	case VL_OP_ROUTE_ADD:
		if (node_is_new(s, op->node))
			return true;
		return !s->undo && s->d->node_retuned[op->node] &&
		       !vl_node_has_route(&s->other->nodes[s->d->node_from[op->node]],
					  &n->routes[op->idx]);
	default:
		return false;
	}
}

/* Run the wanted ops of the current plan; the first failure stops it. */
static int run_pass(struct linux_be *b, const struct pass_sel *s, struct vl_err *err)
{
	const struct vl_plan *p = b->base.plan;
	b->core_nl = ns_socket(b, b->core_net);
	if (!b->core_nl)
		return vl_err_sys(err, errno, "the lab's core namespace");
	int rc = 0;
	for (size_t k = 0; k < p->n_ops && rc == 0; k++) {
		const struct vl_op *op = &p->ops[k];
		if (!wanted(b, s, op))
			continue;
		if (op->type == VL_OP_NODE_CREATE)
			b->nodes[op->node].uts_slot = b->next_uts_slot++;
		rc = b->base.ops->op[op->type](&b->base, op, err);
	}
	if (rc == 0)
		rc = flush(b, err);
	else
		vl_nl_batch_init(b->batch); /* what failed to queue is dropped */
	close_sockets(b);
	return_home(b);
	return rc;
}

/* Kept node i of the new plan whose old self was o: what changed in place. */
static void retune_node(struct linux_be *b, size_t i, const struct vl_node *o)
{
	const struct vl_node *n = &topo_of(b)->nodes[i];
	struct lnode *ln = &b->nodes[i];
	struct mnl_socket *s = ns_socket(b, ln->net);
	struct vl_nl_fail f;
	for (size_t j = 0; s && j < o->n_ifaces; j++) {
		long k = vl_node_find_iface(n, o->ifaces[j].name);
		if (k < 0)
			continue; /* the interface went with its link */
		int ifindex = b->base.plan->hooks[n->ifaces[k].gid].ifindex;
		for (size_t a = 0; a < o->ifaces[j].n_addrs; a++) {
			if (vl_iface_has_addr(&n->ifaces[k], &o->ifaces[j].addrs[a].ip))
				continue;
			struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_DELADDR, 0, NULL, &f);
			if (nlh)
				put_addr(nlh, ifindex, &o->ifaces[j].addrs[a].ip);
		}
	}
	for (size_t r = 0; s && r < o->n_routes; r++) {
		if (vl_node_has_route(n, &o->routes[r]))
			continue;
		long dev = o->routes[r].dev[0] ? vl_node_find_iface(n, o->routes[r].dev) : 0;
		if (dev < 0)
			continue; /* its interface is gone, and the route with it */
		struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_DELROUTE, 0, NULL, &f);
		if (nlh)
			put_route(b, nlh, n, &o->routes[r]);
	}
	if (s) {
		vl_nl_flush(b->batch, &f);
		mnl_socket_close(s);
	}
	int uts = vl_linux_ns_open(&b->base, (long)i, CLONE_NEWUTS);
	if (strcmp(o->hostname, n->hostname) && uts >= 0 && setns(uts, CLONE_NEWUTS) == 0)
		sethostname(n->hostname, strlen(n->hostname));
	if (uts >= 0)
		close(uts);
	if (o->forwarding != n->forwarding && setns(ln->net, CLONE_NEWNET) == 0) {
		const char *v = n->forwarding ? "1" : "0";
		write_file("/proc/sys/net/ipv4/ip_forward", v);
		write_file("/proc/sys/net/ipv6/conf/all/forwarding", v);
	}
	return_home(b);
}

/* Remove, over the current plan, what sel says is new (undoing a
 * forward pass that failed half-way: ops that never ran removed nothing
 * that exists, and removing the absent is harmless). */
static void remove_new(struct linux_be *b, const struct pass_sel *s)
{
	const struct vl_topo *t = topo_of(b);
	for (size_t l = 0; l < t->n_links; l++)
		if (link_is_new(s, l))
			link_remove(b, l);
	for (size_t i = 0; i < t->n_nodes; i++)
		if (node_is_new(s, i))
			node_remove(b, i);
	return_home(b);
}

int vl_linux_apply(struct vl_backend *be, const struct vl_plan *next, const struct vl_plan_diff *d,
		   struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_plan *old = be->plan;
	const struct vl_topo *t0 = old->topo, *t1 = next->topo;
	if (check_limits(t1, err) < 0)
		return -EINVAL;
	struct lnode *nodes = calloc(t1->n_nodes + 1, sizeof(*nodes));
	struct vl_link_live *live = calloc(t1->n_links + 1, sizeof(*live));
	int *pipe_of = malloc((t1->n_links + 1) * sizeof(int));
	if (!nodes || !live || !pipe_of) {
		free(nodes), free(live), free(pipe_of);
		return vl_errf(err, "changing the lab: out of memory"), -ENOMEM;
	}
	for (size_t i = 0; i < t1->n_nodes; i++)
		nodes[i] = d->node_from[i] >= 0 ? b->nodes[d->node_from[i]]
						 : (struct lnode){.net = -1, .uts = -1, .pipe = -1};
	for (size_t l = 0; l < t1->n_links; l++) {
		long o = d->link_from[l];
		const struct vl_link_place *lp = &next->links[l];
		/* A kept link keeps what live edits made of it unless the new
		 * topology says otherwise (then it is retuned below). */
		live[l] = o >= 0 ? b->live[o]
				 : (struct vl_link_live){
					   .dir = {t1->links[l].dir[0], t1->links[l].dir[1]},
					   .kernel_set = {lp->kernel_set[0], lp->kernel_set[1]},
					   .pipe_set = {lp->pipe_set[0], lp->pipe_set[1]}};
		pipe_of[l] = o >= 0 ? b->pipe_of[o] : -1;
	}
	/* 1. What goes, over the old plan: links first, so that the
	 * interfaces of kept nodes vanish now, not when a namespace is
	 * freed, and their names are free for what comes. */
	for (size_t l = 0; l < t0->n_links; l++)
		if (d->link_to[l] < 0)
			link_remove(b, l);
	for (size_t i = 0; i < t0->n_nodes; i++)
		if (d->node_to[i] < 0)
			node_remove(b, i);
	return_home(b);
	/* 2. What comes, over the new plan. */
	struct lnode *old_nodes = b->nodes;
	struct vl_link_live *old_live = b->live;
	int *old_pipe_of = b->pipe_of;
	b->nodes = nodes, b->live = live, b->pipe_of = pipe_of;
	be->plan = next;
	struct pass_sel fwd = {.d = d, .other = t0};
	int rc = run_pass(b, &fwd, err);
	if (rc < 0) {
		/* Back to the old plan: what came goes, what went comes back
		 * (its processes are lost: say so). */
		remove_new(b, &fwd);
		b->nodes = old_nodes, b->live = old_live, b->pipe_of = old_pipe_of;
		be->plan = old;
		struct pass_sel back = {.d = d, .undo = true};
		struct vl_err e2;
		vl_err_init(&e2);
		if (run_pass(b, &back, &e2) < 0)
			vl_errf(err, "and the lab could not be restored as it was: %s", e2.msg);
		else
			vl_errf(err, "the lab is as it was (processes in removed nodes are gone)");
		free(nodes), free(live), free(pipe_of);
		return rc;
	}
	/* 3. Kept nodes and links, changed in place. */
	for (size_t i = 0; i < t1->n_nodes; i++)
		if (d->node_retuned[i])
			retune_node(b, i, &t0->nodes[d->node_from[i]]);
	for (size_t l = 0; l < t1->n_links; l++)
		if (d->link_retuned[l]) {
			struct vl_err e2;
			vl_err_init(&e2);
			if (vl_linux_link_impair(be, l, t1->links[l].dir, &e2) < 0)
				vl_errf(err, "warning: %s", e2.msg);
		}
	free(old_nodes), free(old_live), free(old_pipe_of);
	return 0;
}

void vl_linux_rebind(struct vl_backend *be, const struct vl_plan *p)
{
	be->plan = p;
}

static const struct vl_backend_ops linux_ops = {
	.name = "linux",
	.op = {
		[VL_OP_CORE_CREATE] = core_create,
		[VL_OP_NODE_CREATE] = node_create,
		[VL_OP_SWITCH_CREATE] = switch_create,
		[VL_OP_LINK_CREATE] = link_create,
		[VL_OP_QDISC_SET] = qdisc_set,
		[VL_OP_PIPE_START] = pipe_start,
		[VL_OP_TEE_START] = tee_start,
		[VL_OP_IFACE_UP] = iface_up,
		[VL_OP_ADDR_ADD] = addr_add,
		[VL_OP_ROUTE_ADD] = route_add,
		[VL_OP_CMD_RUN] = cmd_run,
	},
	.sync = be_sync,
	.rollback = be_rollback,
};

/* A Linux bridge takes at most 1024 ports (BR_MAX_PORTS): say so before
 * building anything, rather than fail at port 1025 (EXFULL). */
#define BRIDGE_MAX_PORTS 1024

static int check_limits(const struct vl_topo *t, struct vl_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		if (vl_kind_info(n->kind)->bridge && n->n_ifaces > BRIDGE_MAX_PORTS)
			rc = vl_errf(err, "%s:%d:%d: error: %s '%s' has %zu hooks; a Linux "
				     "bridge takes at most %d: join several with links",
				     t->file, n->pos.line, n->pos.col, vl_kind_info(n->kind)->name,
				     n->name, n->n_ifaces, BRIDGE_MAX_PORTS);
	}
	return rc;
}

struct vl_backend *vl_linux_backend_new(const struct vl_plan *p,
					const struct vl_linux_opts *o,
					struct vl_err *err)
{
	if (check_limits(p->topo, err) < 0)
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
		b->nodes[i] = (struct lnode){.net = -1, .uts = -1, .uts_slot = (unsigned)i,
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
		uts_path(b, (size_t)node, path, sizeof(path));
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
