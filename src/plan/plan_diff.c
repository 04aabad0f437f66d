/* SPDX-License-Identifier: BSD-2-Clause */
/* plan_diff.c — see plan_diff.h. */
#include "vnetlab/plan_diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool vl_iface_has_addr(const struct vl_iface *f, const struct vl_ip *a)
{
	for (size_t i = 0; i < f->n_addrs; i++)
		if (vl_ip_same_addr(&f->addrs[i].ip, a) && f->addrs[i].ip.plen == a->plen)
			return true;
	return false;
}

static bool same_route(const struct vl_route *x, const struct vl_route *y)
{
	return x->is_default == y->is_default && x->to.family == y->to.family &&
	       (x->is_default || (vl_ip_same_addr(&x->to, &y->to) && x->to.plen == y->to.plen)) &&
	       x->has_via == y->has_via && (!x->has_via || vl_ip_same_addr(&x->via, &y->via)) &&
	       !strcmp(x->dev, y->dev) && x->metric == y->metric;
}

bool vl_node_has_route(const struct vl_node *n, const struct vl_route *r)
{
	for (size_t i = 0; i < n->n_routes; i++)
		if (same_route(&n->routes[i], r))
			return true;
	return false;
}

void vl_plan_diff_free(struct vl_plan_diff *d)
{
	free(d->node_from);
	free(d->node_to);
	free(d->link_from);
	free(d->link_to);
	free(d->node_retuned);
	free(d->link_retuned);
	memset(d, 0, sizeof(*d));
}

static bool same_impair(const struct vl_impair *a, const struct vl_impair *b)
{
	if (a->set != b->set)
		return false;
	for (int p = 0; p < VL_P__COUNT; p++)
		if (vl_impair_has(a, (enum vl_param)p) && a->v[p] != b->v[p])
			return false;
	return true;
}

/* Endpoint e of new link ln names the same node:hook as endpoint e of
 * old link lo. */
static bool same_end(const struct vl_topo *to, const struct vl_endpoint *n,
		     const struct vl_topo *from, const struct vl_endpoint *o)
{
	const struct vl_node *nn = &to->nodes[n->node], *on = &from->nodes[o->node];
	const struct vl_iface *nf = &nn->ifaces[n->iface], *of = &on->ifaces[o->iface];
	return !strcmp(nn->name, on->name) && !strcmp(nf->name, of->name) &&
	       nf->has_mac == of->has_mac && (!nf->has_mac || !memcmp(nf->mac, of->mac, 6)) &&
	       nf->mtu == of->mtu;
}

/* Is old link lo the same wire as new link ln (see plan_diff.h)? */
static bool same_link(const struct vl_plan *from, size_t lo, const struct vl_plan *to,
		      size_t ln, const long *node_to)
{
	const struct vl_link *o = &from->topo->links[lo], *n = &to->topo->links[ln];
	for (int e = 0; e < 2; e++)
		if (node_to[o->ep[e].node] != (long)n->ep[e].node ||
		    !same_end(to->topo, &n->ep[e], from->topo, &o->ep[e]))
			return false;
	if (o->has_tunnel != n->has_tunnel)
		return false;
	/* A tunnel end is its VXLAN device: another VNI, address, port or
	 * MTU is another device. */
	if (o->has_tunnel) {
		const struct vl_tunnel *x = &o->tunnel, *y = &n->tunnel;
		if (x->vni != y->vni || !vl_ip_same_addr(&x->local, &y->local) ||
		    !vl_ip_same_addr(&x->remote, &y->remote) ||
		    vl_tunnel_port(x) != vl_tunnel_port(y) || vl_tunnel_mtu(x) != vl_tunnel_mtu(y))
			return false;
	}
	return o->impl == n->impl && from->links[lo].piped == to->links[ln].piped;
}

static bool same_loopback(const struct vl_node *o, const struct vl_node *n)
{
	if (o->n_lo_addrs != n->n_lo_addrs)
		return false;
	for (size_t a = 0; a < n->n_lo_addrs; a++)
		if (!vl_ip_same_addr(&o->lo_addrs[a].ip, &n->lo_addrs[a].ip) ||
		    o->lo_addrs[a].ip.plen != n->lo_addrs[a].ip.plen)
			return false;
	return true;
}

static void match_nodes(const struct vl_plan *from, const struct vl_plan *to,
			struct vl_plan_diff *d)
{
	const struct vl_topo *f = from->topo, *t = to->topo;
	for (size_t i = 0; i < f->n_nodes; i++)
		d->node_to[i] = -1;
	for (size_t i = 0; i < t->n_nodes; i++) {
		long o = vl_topo_find_node(f, t->nodes[i].name);
		/* A bridge's spanning tree, like a node's loopback addresses, is set when it is made: a change
		 * makes it again, as a change of kind does. */
		d->node_from[i] = o >= 0 && f->nodes[o].kind == t->nodes[i].kind &&
					  f->nodes[o].stp == t->nodes[i].stp &&
					  same_loopback(&f->nodes[o], &t->nodes[i])
				  ? o
				  : -1;
		if (d->node_from[i] >= 0)
			d->node_to[o] = (long)i;
	}
}

/* Links by their first endpoint's node:hook: each hook has one link. */
static void match_links(const struct vl_plan *from, const struct vl_plan *to,
			struct vl_plan_diff *d)
{
	const struct vl_topo *f = from->topo, *t = to->topo;
	for (size_t l = 0; l < f->n_links; l++)
		d->link_to[l] = -1;
	for (size_t l = 0; l < t->n_links; l++) {
		d->link_from[l] = -1;
		const struct vl_endpoint *ep = &t->links[l].ep[0];
		long on = d->node_from[ep->node];
		if (on < 0)
			continue;
		long of = vl_node_find_iface(&f->nodes[on], t->nodes[ep->node].ifaces[ep->iface].name);
		long lo = of < 0 ? -1 : f->nodes[on].ifaces[of].link;
		if (lo >= 0 && same_link(from, (size_t)lo, to, l, d->node_to)) {
			d->link_from[l] = lo;
			d->link_to[lo] = (long)l;
		}
	}
}

/* A tee's forwarder is made for the hooks it has: it is kept only with
 * every link it had and no other.  Dropping a tee drops its links, which
 * may drop another tee: repeat until nothing changes. */
static void settle_tees(const struct vl_plan *from, const struct vl_plan *to,
			struct vl_plan_diff *d)
{
	const struct vl_topo *f = from->topo, *t = to->topo;
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < t->n_nodes; i++) {
			long o = d->node_from[i];
			if (o < 0 || !vl_kind_has(t->nodes[i].kind, VL_KF_FORWARD))
				continue;
			bool whole = t->nodes[i].n_ifaces == f->nodes[o].n_ifaces;
			for (size_t j = 0; j < t->nodes[i].n_ifaces && whole; j++)
				whole = d->link_from[t->nodes[i].ifaces[j].link] >= 0;
			if (whole)
				continue;
			d->node_from[i] = -1;
			d->node_to[o] = -1;
			for (size_t l = 0; l < t->n_links; l++) {
				const struct vl_link *lk = &t->links[l];
				if (d->link_from[l] >= 0 &&
				    (lk->ep[0].node == i || lk->ep[1].node == i)) {
					d->link_to[d->link_from[l]] = -1;
					d->link_from[l] = -1;
				}
			}
			changed = true;
		}
	}
}

static bool node_retuned(const struct vl_node *o, const struct vl_node *n)
{
	if (strcmp(o->hostname, n->hostname) || o->forwarding != n->forwarding ||
	    o->n_routes != n->n_routes)
		return true;
	for (size_t r = 0; r < n->n_routes; r++)
		if (!vl_node_has_route(o, &n->routes[r]))
			return true;
	for (size_t j = 0; j < n->n_ifaces; j++) {
		long k = vl_node_find_iface(o, n->ifaces[j].name);
		if (k < 0)
			continue; /* a new hook: made with its addresses */
		const struct vl_iface *fo = &o->ifaces[k], *fn = &n->ifaces[j];
		if (fo->n_addrs != fn->n_addrs)
			return true;
		for (size_t a = 0; a < fn->n_addrs; a++)
			if (!vl_iface_has_addr(fo, &fn->addrs[a].ip))
				return true;
	}
	return false;
}

/* The largest interface index in old node o: new hooks of a kept node
 * take indexes above it, which nothing in its namespace holds. */
static int node_max_ifindex(const struct vl_plan *from, size_t o)
{
	const struct vl_node *n = &from->topo->nodes[o];
	int max = 1; /* lo */
	for (size_t j = 0; j < n->n_ifaces; j++) {
		int x = from->hooks[n->ifaces[j].gid].ifindex;
		max = x > max ? x : max;
	}
	return max;
}

static void place_hooks(const struct vl_plan *from, struct vl_plan *to,
			const struct vl_plan_diff *d)
{
	const struct vl_topo *f = from->topo, *t = to->topo;
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		long o = d->node_from[i];
		bool sw = vl_kind_has(n->kind, VL_KF_SWITCH);
		int next_local = o >= 0 && !sw ? node_max_ifindex(from, (size_t)o) + 1 : 0;
		if (o >= 0 && vl_kind_has(n->kind, VL_KF_BRIDGE))
			to->switch_ifindex[i] = from->switch_ifindex[o];
		else if (vl_kind_has(n->kind, VL_KF_BRIDGE))
			to->switch_ifindex[i] = to->next_core_index++;
		for (size_t j = 0; j < n->n_ifaces; j++) {
			const struct vl_iface *fi = &n->ifaces[j];
			struct vl_hook_place *h = &to->hooks[fi->gid];
			if (d->link_from[fi->link] >= 0) {
				long k = vl_node_find_iface(&f->nodes[o], fi->name);
				*h = from->hooks[f->nodes[o].ifaces[k].gid];
				continue;
			}
			/* New: a serial nobody has, for its MAC and long name. */
			size_t serial = to->next_serial++;
			if (!fi->has_mac)
				vl_plan_hook_mac(t, serial, h->mac);
			if (sw) {
				h->ifindex = to->next_core_index++;
				vl_plan_port_name(n->name, fi->name, serial, h->ifname);
			} else if (o >= 0) {
				h->ifindex = next_local++;
			} /* a new node keeps the fresh plan's index (j + 2) */
		}
	}
}

static void place_pipes(const struct vl_plan *from, struct vl_plan *to,
			const struct vl_plan_diff *d)
{
	for (size_t l = 0; l < to->topo->n_links; l++) {
		struct vl_link_place *lp = &to->links[l];
		long o = d->link_from[l];
		if (o >= 0) {
			/* Kept, so piped alike: the same ports; who carries
			 * what follows the new values (the backend retunes). */
			memcpy(lp->port, from->links[o].port, sizeof(lp->port));
			memcpy(lp->port_ifindex, from->links[o].port_ifindex,
			       sizeof(lp->port_ifindex));
			continue;
		}
		if (!lp->piped)
			continue;
		size_t no = to->next_pipe_no++;
		for (int e = 0; e < 2; e++) {
			vl_plan_pipe_port_name(no, e, lp->port[e]);
			lp->port_ifindex[e] = to->next_core_index++;
		}
	}
}

int vl_plan_diff(const struct vl_plan *from, struct vl_plan *to, struct vl_plan_diff *d,
		 struct vl_err *err)
{
	const struct vl_topo *f = from->topo, *t = to->topo;
	memset(d, 0, sizeof(*d));
	d->node_from = calloc(t->n_nodes + 1, sizeof(long));
	d->node_to = calloc(f->n_nodes + 1, sizeof(long));
	d->link_from = calloc(t->n_links + 1, sizeof(long));
	d->link_to = calloc(f->n_links + 1, sizeof(long));
	d->node_retuned = calloc(t->n_nodes + 1, sizeof(bool));
	d->link_retuned = calloc(t->n_links + 1, sizeof(bool));
	if (!d->node_from || !d->node_to || !d->link_from || !d->link_to ||
	    !d->node_retuned || !d->link_retuned) {
		vl_plan_diff_free(d);
		return vl_errf(err, "planning the change: out of memory"), -ENOMEM;
	}
	match_nodes(from, to, d);
	match_links(from, to, d);
	settle_tees(from, to, d);
	/* Places: everything new goes above whatever the lab has held. */
	to->next_core_index = from->next_core_index;
	to->next_serial = from->next_serial;
	to->next_pipe_no = from->next_pipe_no;
	place_hooks(from, to, d);
	place_pipes(from, to, d);
	for (size_t i = 0; i < t->n_nodes; i++)
		if (d->node_from[i] >= 0) {
			d->kept_nodes++;
			d->node_retuned[i] = vl_kind_has(t->nodes[i].kind, VL_KF_STACK) &&
					     node_retuned(&f->nodes[d->node_from[i]], &t->nodes[i]);
		}
	for (size_t l = 0; l < t->n_links; l++) {
		long o = d->link_from[l];
		if (o < 0)
			continue;
		d->kept_links++;
		d->link_retuned[l] = !same_impair(&f->links[o].dir[0], &t->links[l].dir[0]) ||
				     !same_impair(&f->links[o].dir[1], &t->links[l].dir[1]);
	}
	return 0;
}
