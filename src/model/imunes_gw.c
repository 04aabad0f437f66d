/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes_gw.c — IMUNES's auto_default_routes: a pc's or host's default
 * route, per address family, to the first router address in its subnet
 * on its L2 segment (through switches and hubs), as IMUNES finds the
 * gateways of a subnet. */
#include "imunes.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/topo_build.h"

/* The routers' addresses in the subnet of ip, on the L2 segment behind
 * interface f of n (through switches and hubs): IMUNES's gateways. */
static bool find_gw(const struct vl_topo *t, const struct im_node *from, const struct im_iface *f,
		    const struct vl_ip *ip, struct vl_ip *gw)
{
	long ni = from->built;
	long fi = vl_node_find_iface(&t->nodes[ni], f->hook);
	if (fi < 0 || t->nodes[ni].ifaces[fi].link < 0)
		return false;
	/* breadth-first over switches; visited marks by node index */
	size_t nn = t->n_nodes;
	unsigned char *seen = calloc(nn, 1);
	size_t *q = calloc(nn + 1, sizeof(*q));
	bool found = false;
	if (!seen || !q)
		goto out;
	size_t qh = 0, qt = 0;
	const struct vl_link *l = &t->links[t->nodes[ni].ifaces[fi].link];
	int e = l->ep[0].node == (size_t)ni && l->ep[0].iface == (size_t)fi;
	size_t peer = l->ep[e].node;
	seen[ni] = 1;
	q[qt++] = peer;
	seen[peer] = 1;
	while (qh < qt && !found) {
		const struct vl_node *m = &t->nodes[q[qh++]];
		if (vl_kind_has(m->kind, VL_KF_SWITCH)) {
			for (size_t k = 0; k < m->n_ifaces; k++) {
				if (m->ifaces[k].link < 0)
					continue;
				const struct vl_link *x = &t->links[m->ifaces[k].link];
				for (int s = 0; s < 2; s++)
					if (!seen[x->ep[s].node]) {
						seen[x->ep[s].node] = 1;
						q[qt++] = x->ep[s].node;
					}
			}
			continue;
		}
		if (!m->forwarding)
			continue;
		for (size_t k = 0; k < m->n_ifaces && !found; k++)
			for (size_t a = 0; a < m->ifaces[k].n_addrs && !found; a++) {
				const struct vl_ip *r = &m->ifaces[k].addrs[a].ip;
				struct vl_ip net;
				vl_ip_network(ip, &net);
				if (r->family == ip->family && r->plen == ip->plen &&
				    vl_ip_in_prefix(r, &net) && !vl_ip_is_link_local(r)) {
					*gw = *r;
					found = true;
				}
			}
	}
out:
	free(seen);
	free(q);
	return found;
}

int im_auto_routes(struct im_topo *it, struct vl_topo *t, struct im_node *n)
{
	struct vl_node *m = &t->nodes[n->built];
	for (int fam = AF_INET; fam; fam = fam == AF_INET ? AF_INET6 : 0) {
		bool have = false;
		for (size_t r = 0; r < m->n_routes; r++)
			have = have || (m->routes[r].is_default && m->routes[r].to.family == fam);
		for (size_t i = 0; i < n->n_ifs && !have; i++) {
			struct im_iface *f = &n->ifs[i];
			if (f->lo || !f->hook)
				continue;
			for (size_t a = 0; a < f->n_addrs && !have; a++) {
				struct vl_ip ip, gw;
				if (vl_ip_parse(f->addrs[a].s, true, &ip) < 0 || ip.family != fam ||
				    !find_gw(t, n, f, &ip, &gw))
					continue;
				struct vl_route rt = {.is_default = true, .has_via = true,
						      .via = gw, .pos = n->auto_pos};
				rt.via.plen = fam == AF_INET ? 32 : 128;
				rt.to.family = fam;
				m = &t->nodes[n->built];
				struct vl_route *slot =
					vl_build_grow((void **)&m->routes, &m->n_routes, sizeof(rt));
				if (!slot)
					return im_errf(it, n->pos, "out of memory");
				*slot = rt;
				have = true;
			}
		}
	}
	return 0;
}

