/* SPDX-License-Identifier: BSD-2-Clause */
/* apply.c — the graph of a running lab changed in place (vl_linux_apply):
 * what goes is removed, what comes is made, what stays lives on. */
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
#include "vnetlab/plan_diff.h"

/* ---- live graph changes (vl_linux_apply) --------------------------------------- */

/* Delete interface ifindex of namespace ns, and so its veth peer; one
 * already gone (its namespace went first) is no error. */
static void del_iface(struct linux_be *b, int ns, int ifindex)
{
	/* The core's deletions (switch ports, pipe ports, bridges: most of
	 * them) share one socket and leave in batches (remove_selected
	 * flushes); a node's socket is opened for its one deletion. */
	bool core = ns == b->core_net && b->core_nl;
	struct mnl_socket *s = core ? b->core_nl : ns >= 0 ? lbe_ns_socket(b, ns) : NULL;
	if (!s)
		return;
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, RTM_DELLINK, 0, NULL, &f);
	if (nlh)
		lbe_put_ifinfo(nlh, ifindex, false);
	if (core)
		return;
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
	lbe_describe_end(b, &t->links[l].ep[0], &e[0]);
	lbe_describe_end(b, &t->links[l].ep[1], &e[1]);
	int k = e[0].ns >= 0 ? 0 : 1;
	del_iface(b, e[k].ns, e[k].ifindex);
}

/* Node i of the current plan goes as its kind's row says.  Its hooks'
 * links went first, and with them its ports. */
static void node_remove(struct linux_be *b, size_t i)
{
	lbe_kinds[topo_of(b)->nodes[i].kind].remove(b, i);
}

/* A vnet node, with its processes (a removed jail's go with it). */
void lbe_vnet_remove(struct linux_be *b, size_t i)
{
	struct lnode *ln = &b->nodes[i];
	if (ln->net >= 0)
		kill_node_processes(b, i);
	if (ln->uts_bound) {
		char path[PATH_MAX];
		lbe_uts_path(b, i, path, sizeof(path));
		umount2(path, MNT_DETACH);
		unlink(path);
		ln->uts_bound = false;
	}
	lbe_drop_node(b, i);
}

/* A bridge or hub: its bridge device in the core. */
void lbe_switch_remove(struct linux_be *b, size_t i)
{
	del_iface(b, b->core_net, b->base.plan->switch_ifindex[i]);
}

/* A tee: its forwarder. */
void lbe_tee_remove(struct linux_be *b, size_t i)
{
	struct lnode *ln = &b->nodes[i];
	if (ln->pipe >= 0)
		vl_pipes_del(b->pipes, ln->pipe);
	ln->pipe = -1;
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

/* The kernel takes a route away with the interface it goes out of: a
 * kept node's route out of an interface whose link is made again (a link
 * moved onto the pipe, say) must be made again with it.  Its interface:
 * the one it names (dev), else the one whose subnet holds its gateway. */
static bool route_on_new_link(const struct pass_sel *s, const struct vl_node *n,
			      const struct vl_route *r)
{
	for (size_t j = 0; j < n->n_ifaces; j++) {
		const struct vl_iface *f = &n->ifaces[j];
		bool out = r->dev[0] ? !strcmp(r->dev, f->name) : false;
		for (size_t a = 0; !out && !r->dev[0] && r->has_via && a < f->n_addrs; a++)
			out = vl_ip_in_prefix(&r->via, &f->addrs[a].ip);
		if (out && f->link >= 0 && link_is_new(s, (size_t)f->link))
			return true;
	}
	return false;
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
		if (!s->undo && route_on_new_link(s, n, &n->routes[op->idx]))
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
	b->core_nl = lbe_ns_socket(b, b->core_net);
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
		rc = lbe_flush(b, err);
	else
		vl_nl_batch_init(b->batch); /* what failed to queue is dropped */
	lbe_close_sockets(b);
	lbe_return_home(b);
	return rc;
}

/* Kept node i of the new plan whose old self was o: what changed in place. */
static void retune_node(struct linux_be *b, size_t i, const struct vl_node *o)
{
	const struct vl_node *n = &topo_of(b)->nodes[i];
	struct lnode *ln = &b->nodes[i];
	struct mnl_socket *s = lbe_ns_socket(b, ln->net);
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
				lbe_put_addr(nlh, ifindex, &o->ifaces[j].addrs[a].ip);
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
			lbe_put_route(b, nlh, n, &o->routes[r]);
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
		lbe_write_file("/proc/sys/net/ipv4/ip_forward", v);
		lbe_write_file("/proc/sys/net/ipv6/conf/all/forwarding", v);
	}
	lbe_return_home(b);
}

/* Remove, over the current plan, what sel selects: with the undo
 * selection over the old plan, what the change removes; with the forward
 * one over the new plan, what a failed forward pass made (ops that never
 * ran made nothing, and removing the absent is harmless).  Links first,
 * so the interfaces of kept nodes vanish now, not when a namespace is
 * freed, and their names are free for what comes. */
static void remove_selected(struct linux_be *b, const struct pass_sel *s)
{
	const struct vl_topo *t = topo_of(b);
	b->core_nl = lbe_ns_socket(b, b->core_net);
	for (size_t l = 0; l < t->n_links; l++)
		if (link_is_new(s, l))
			link_remove(b, l);
	for (size_t i = 0; i < t->n_nodes; i++)
		if (node_is_new(s, i))
			node_remove(b, i);
	struct vl_nl_fail f;
	vl_nl_flush(b->batch, &f); /* gone already (ENODEV) is no error */
	lbe_close_sockets(b);
	lbe_return_home(b);
}

int vl_linux_apply(struct vl_backend *be, const struct vl_plan *next, const struct vl_plan_diff *d,
		   struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_plan *old = be->plan;
	const struct vl_topo *t0 = old->topo, *t1 = next->topo;
	if (lbe_check_limits(t1, err) < 0)
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
						 : (struct lnode){.net = -1, .uts = -1, .mnt = -1, .root = -1, .pipe = -1};
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
	/* 1. What goes, over the old plan. */
	struct pass_sel back = {.d = d, .undo = true};
	remove_selected(b, &back);
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
		remove_selected(b, &fwd);
		b->nodes = old_nodes, b->live = old_live, b->pipe_of = old_pipe_of;
		be->plan = old;
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
