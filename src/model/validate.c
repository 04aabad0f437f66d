/* SPDX-License-Identifier: BSD-2-Clause */
/* validate.c — rules that relate several parts of a topology.
 *
 * Runs after parsing on a model whose names and endpoints already resolve.
 * It reports every problem (each with its position) rather than the first,
 * and touches nothing outside the model.
 */
#include "vnetlab/validate.h"

#include "vnetlab/topo_build.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct vctx {
	const struct vl_topo *t;
	const struct vl_pos_names *names; /* NULL: a file's lines */
	struct vl_err *err;
	int errors;
	char ref[256]; /* ref()'s text, for the message being made */
};

__attribute__((format(printf, 3, 4))) static void
verr(struct vctx *c, struct vl_pos pos, const char *fmt, ...)
{
	char msg[512], where[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (++c->errors > 20)
		return;
	vl_pos_where(c->t, c->names, pos, where, sizeof(where));
	vl_errf(c->err, "%s: error: %s", where, msg);
}

/* Another element, as a message refers to it: "line N" in a file. */
static const char *ref(struct vctx *c, struct vl_pos pos)
{
	vl_pos_ref(c->names, pos, c->ref, sizeof(c->ref));
	return c->ref;
}

/* ---- L2 segments: union-find over hooks -------------------------------- */

static size_t uf_find(size_t *p, size_t x)
{
	while (p[x] != x) {
		p[x] = p[p[x]];
		x = p[x];
	}
	return x;
}

static void uf_union(size_t *p, size_t a, size_t b)
{
	a = uf_find(p, a);
	b = uf_find(p, b);
	if (a != b)
		p[a < b ? b : a] = a < b ? a : b;
}

size_t *vl_l2_segments(const struct vl_topo *t)
{
	size_t *p = malloc((t->n_hooks ? t->n_hooks : 1) * sizeof(*p));
	if (!p)
		return NULL;
	for (size_t i = 0; i < t->n_hooks; i++)
		p[i] = i;
	for (size_t i = 0; i < t->n_links; i++) {
		const struct vl_endpoint *a = &t->links[i].ep[0], *b = &t->links[i].ep[1];
		uf_union(p, t->nodes[a->node].ifaces[a->iface].gid,
			 t->nodes[b->node].ifaces[b->iface].gid);
	}
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		if (!vl_kind_has(n->kind, VL_KF_SWITCH))
			continue;
		for (size_t j = 1; j < n->n_ifaces; j++)
			uf_union(p, n->ifaces[0].gid, n->ifaces[j].gid);
	}
	for (size_t i = 0; i < t->n_hooks; i++)
		p[i] = uf_find(p, i);
	return p;
}

/* ---- per-node rules ------------------------------------------------------ */

static void check_unlinked(struct vctx *c, const struct vl_node *n)
{
	for (size_t j = 0; j < n->n_ifaces; j++)
		if (n->ifaces[j].link < 0)
			verr(c, n->ifaces[j].pos, "interface '%s:%s' is declared "
			     "but no link uses it", n->name, n->ifaces[j].name);
}

struct addr_ref {
	const struct vl_addr *a;
	size_t iface; /* LO_IFACE: the node's loopback */
};

#define LO_IFACE ((size_t)-1)

/* By address (the kernel's notion of "the same"), then by position. */
static int cmp_addr_ref(const void *pa, const void *pb)
{
	const struct vl_addr *x = ((const struct addr_ref *)pa)->a;
	const struct vl_addr *y = ((const struct addr_ref *)pb)->a;
	if (x->ip.family != y->ip.family)
		return x->ip.family - y->ip.family;
	int c = memcmp(x->ip.a, y->ip.a, (size_t)vl_ip_alen(x->ip.family));
	if (c)
		return c;
	return x->pos.line != y->pos.line ? x->pos.line - y->pos.line
					  : x->pos.col - y->pos.col;
}

/* One address twice on a node makes the kernel answer EEXIST.  Sorted,
 * not compared pairwise: a node may carry very many addresses. */
static void check_node_addrs(struct vctx *c, const struct vl_node *n)
{
	size_t total = n->n_lo_addrs;
	for (size_t j = 0; j < n->n_ifaces; j++)
		total += n->ifaces[j].n_addrs;
	if (total < 2)
		return;
	struct addr_ref *v = malloc(total * sizeof(*v));
	if (!v) {
		verr(c, n->pos, "out of memory");
		return;
	}
	size_t k = 0;
	for (size_t j = 0; j < n->n_ifaces; j++)
		for (size_t a = 0; a < n->ifaces[j].n_addrs; a++)
			v[k++] = (struct addr_ref){&n->ifaces[j].addrs[a], j};
	for (size_t a = 0; a < n->n_lo_addrs; a++)
		v[k++] = (struct addr_ref){&n->lo_addrs[a], LO_IFACE};
	qsort(v, total, sizeof(*v), cmp_addr_ref);
	size_t first = 0;
	for (size_t i = 1; i < total; i++) {
		if (!vl_ip_same_addr(&v[i].a->ip, &v[first].a->ip)) {
			first = i;
			continue;
		}
		char s[64];
		verr(c, v[i].a->pos, "address %s is already on %s:%s (%s)",
		     vl_ip_str(&v[i].a->ip, false, s, sizeof(s)), n->name,
		     v[first].iface == LO_IFACE ? "lo" : n->ifaces[v[first].iface].name,
		     ref(c, v[first].a->pos));
	}
	free(v);
}

/* Is gw on a subnet directly connected to node n (through dev if given)? */
static bool gateway_connected(const struct vl_node *n, const struct vl_route *r)
{
	for (size_t j = 0; j < n->n_ifaces; j++) {
		const struct vl_iface *f = &n->ifaces[j];
		if (r->dev[0] && strcmp(r->dev, f->name) != 0)
			continue;
		for (size_t a = 0; a < f->n_addrs; a++)
			if (vl_ip_in_prefix(&r->via, &f->addrs[a].ip) &&
			    !vl_ip_same_addr(&r->via, &f->addrs[a].ip))
				return true;
	}
	return false;
}

/* Routes the kernel would call the same (EEXIST): family, metric, and
 * default or prefix; equal ones sort together, earliest first. */
static int cmp_route(const void *pa, const void *pb)
{
	const struct vl_route *x = *(const struct vl_route *const *)pa;
	const struct vl_route *y = *(const struct vl_route *const *)pb;
	if (x->to.family != y->to.family)
		return x->to.family - y->to.family;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	if (x->is_default != y->is_default)
		return x->is_default ? -1 : 1;
	if (!x->is_default) {
		if (x->to.plen != y->to.plen)
			return x->to.plen - y->to.plen;
		int c = memcmp(x->to.a, y->to.a, (size_t)vl_ip_alen(x->to.family));
		if (c)
			return c;
	}
	return x->pos.line != y->pos.line ? x->pos.line - y->pos.line
					  : x->pos.col - y->pos.col;
}

static bool same_route(const struct vl_route *x, const struct vl_route *y)
{
	return x->to.family == y->to.family && x->metric == y->metric &&
	       x->is_default == y->is_default &&
	       (x->is_default || (x->to.plen == y->to.plen && vl_ip_same_addr(&x->to, &y->to)));
}

/* Sorted, not pairwise: a node may carry very many routes (100,000 took
 * 18 s pairwise). */
static void check_route_dups(struct vctx *c, const struct vl_node *n)
{
	if (n->n_routes < 2)
		return;
	const struct vl_route **v = malloc(n->n_routes * sizeof(*v));
	if (!v) {
		verr(c, n->pos, "out of memory");
		return;
	}
	for (size_t i = 0; i < n->n_routes; i++)
		v[i] = &n->routes[i];
	qsort(v, n->n_routes, sizeof(*v), cmp_route);
	size_t first = 0;
	for (size_t i = 1; i < n->n_routes; i++) {
		if (!same_route(v[i], v[first])) {
			first = i;
			continue;
		}
		verr(c, v[i]->pos, "node '%s' already has a route to this destination "
		     "(%s)", n->name, ref(c, v[first]->pos));
	}
	free(v);
}

static void check_routes(struct vctx *c, const struct vl_node *n)
{
	char s[64];
	for (size_t i = 0; i < n->n_routes; i++) {
		const struct vl_route *r = &n->routes[i];
		if (r->dev[0] && vl_node_find_iface(n, r->dev) < 0)
			verr(c, r->pos, "route on node '%s' names dev '%s', which "
			     "the node does not have", n->name, r->dev);
		else if (r->has_via && vl_ip_is_link_local(&r->via) && !r->dev[0])
			verr(c, r->pos, "link-local gateway %s needs 'dev'",
			     vl_ip_str(&r->via, false, s, sizeof(s)));
		else if (r->has_via && !vl_ip_is_link_local(&r->via) &&
			 !gateway_connected(n, r))
			verr(c, r->pos, "gateway %s is not on any subnet of node "
			     "'%s'%s%s", vl_ip_str(&r->via, false, s, sizeof(s)),
			     n->name, r->dev[0] ? " through " : "", r->dev);
	}
	check_route_dups(c, n);
}

/* ---- lab-wide rules ------------------------------------------------------ */

struct hook_ref {
	const struct vl_node *node;
	const struct vl_iface *f;
};

static void compare_hooks(struct vctx *c, const struct hook_ref *x,
			  const struct hook_ref *y)
{
	char s[64];
	if (x->f->has_mac && y->f->has_mac && memcmp(x->f->mac, y->f->mac, 6) == 0)
		verr(c, x->f->mac_pos, "MAC %s is also used by %s:%s on the same "
		     "L2 segment", vl_mac_str(x->f->mac, s, sizeof(s)),
		     y->node->name, y->f->name);
	for (size_t a = 0; a < x->f->n_addrs; a++)
		for (size_t b = 0; b < y->f->n_addrs; b++)
			if (vl_ip_same_addr(&x->f->addrs[a].ip, &y->f->addrs[b].ip))
				verr(c, x->f->addrs[a].pos, "address %s is also on "
				     "%s:%s in the same L2 segment",
				     vl_ip_str(&x->f->addrs[a].ip, false, s, sizeof(s)),
				     y->node->name, y->f->name);
}

/* Hooks grouped by segment (counting sort on the segment number), then
 * compared pairwise inside each group only. */
static int check_segment_clashes(struct vctx *c, const size_t *seg,
				 const struct hook_ref *hooks)
{
	size_t n = c->t->n_hooks;
	size_t *start = calloc(n + 1, sizeof(*start));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	if (!start || !order) {
		free(start);
		free(order);
		return -ENOMEM;
	}
	for (size_t g = 0; g < n; g++)
		start[seg[g] + 1]++;
	for (size_t s = 0; s < n; s++)
		start[s + 1] += start[s];
	for (size_t g = 0; g < n; g++)
		order[start[seg[g]]++] = g; /* start[s] now ends group s */
	for (size_t i = 0, lo = 0; i < n; lo = i) {
		while (i < n && seg[order[i]] == seg[order[lo]])
			i++;
		for (size_t a = lo + 1; a < i; a++)
			for (size_t b = lo; b < a; b++) {
				const struct hook_ref *x = &hooks[order[a]];
				const struct hook_ref *y = &hooks[order[b]];
				if (x->node != y->node &&
				    !vl_kind_has(x->node->kind, VL_KF_SWITCH) &&
				    !vl_kind_has(y->node->kind, VL_KF_SWITCH))
					compare_hooks(c, x, y);
			}
	}
	free(start);
	free(order);
	return 0;
}

/* ---- tunnel ends ------------------------------------------------------------ */

static bool same_ip(const struct vl_ip *x, const struct vl_ip *y)
{
	return x->family == y->family &&
	       !memcmp(x->a, y->a, x->family == AF_INET6 ? 16 : 4);
}

/* One tunnel end: what its fields may be (a model built by code, a part of
 * a lab over several hosts, is held to a file's rules). */
static void check_tunnel(struct vctx *c, const struct vl_link *lk)
{
	const struct vl_tunnel *tn = &lk->tunnel;
	const struct vl_node *n = &c->t->nodes[lk->ep[0].node];
	const struct vl_iface *f = &n->ifaces[lk->ep[0].iface];
	char a[64], b[64];
	if (tn->vni < 1 || tn->vni > 16777215)
		verr(c, tn->pos, "tunnel vxlan %u is not a VNI (1 to 16777215)",
		     (unsigned)tn->vni);
	if (tn->local.family != tn->remote.family)
		verr(c, tn->pos, "tunnel local %s and remote %s are not of one family "
		     "(both IPv4 or both IPv6)", vl_ip_str(&tn->local, false, a, sizeof(a)),
		     vl_ip_str(&tn->remote, false, b, sizeof(b)));
	else if (same_ip(&tn->local, &tn->remote))
		verr(c, tn->pos, "tunnel local and remote are both %s: the remote is "
		     "the other host's underlay address",
		     vl_ip_str(&tn->local, false, a, sizeof(a)));
	if (lk->dir[1].set)
		verr(c, lk->pos, "a tunnel end carries only the direction leaving this "
		     "host; set it on the other host's end");
	if (lk->ep[0].node != lk->ep[1].node || lk->ep[0].iface != lk->ep[1].iface)
		verr(c, lk->pos, "a tunnel end has one endpoint");
	if (f->mtu && f->mtu != vl_tunnel_mtu(tn))
		verr(c, f->pos, "interface '%s:%s' has mtu %u but its tunnel's is %u: "
		     "give the MTU as the tunnel's 'mtu'", n->name, f->name, f->mtu,
		     vl_tunnel_mtu(tn));
}

/* One VNI per (remote, port): the kernel tells tunnels apart by them. */
static void check_tunnels(struct vctx *c)
{
	const struct vl_topo *t = c->t;
	for (size_t i = 0; i < t->n_links; i++) {
		const struct vl_link *x = &t->links[i];
		if (!x->has_tunnel)
			continue;
		check_tunnel(c, x);
		for (size_t j = 0; j < i; j++) {
			const struct vl_link *y = &t->links[j];
			if (!y->has_tunnel || y->tunnel.vni != x->tunnel.vni ||
			    vl_tunnel_port(&y->tunnel) != vl_tunnel_port(&x->tunnel) ||
			    !same_ip(&y->tunnel.remote, &x->tunnel.remote))
				continue;
			char r[64];
			verr(c, x->tunnel.pos, "tunnel vxlan %u to %s port %u is already "
			     "the tunnel at %s: give each tunnel end its own VNI",
			     (unsigned)x->tunnel.vni,
			     vl_ip_str(&x->tunnel.remote, false, r, sizeof(r)),
			     (unsigned)vl_tunnel_port(&x->tunnel), ref(c, y->tunnel.pos));
			break;
		}
	}
}

int vl_validate(const struct vl_topo *t, struct vl_err *err)
{
	return vl_validate_named(t, NULL, err);
}

int vl_validate_named(const struct vl_topo *t, const struct vl_pos_names *names,
		      struct vl_err *err)
{
	struct vctx c = {.t = t, .names = names, .err = err};
	for (size_t i = 0; i < t->n_nodes; i++) {
		check_unlinked(&c, &t->nodes[i]);
		check_node_addrs(&c, &t->nodes[i]);
		check_routes(&c, &t->nodes[i]);
	}
	check_tunnels(&c);
	size_t *seg = vl_l2_segments(t);
	struct hook_ref *hooks = malloc((t->n_hooks ? t->n_hooks : 1) * sizeof(*hooks));
	if (!seg || !hooks) {
		free(seg);
		free(hooks);
		vl_errf(err, "%s: error: out of memory", t->file);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++)
			hooks[t->nodes[i].ifaces[j].gid] =
				(struct hook_ref){&t->nodes[i], &t->nodes[i].ifaces[j]};
	int rc = check_segment_clashes(&c, seg, hooks);
	free(seg);
	free(hooks);
	if (rc < 0)
		return vl_errf(err, "%s: error: out of memory", t->file), rc;
	if (c.errors > 20)
		vl_errf(err, "%s: %d more errors not shown", t->file, c.errors - 20);
	return c.errors ? -EINVAL : 0;
}
