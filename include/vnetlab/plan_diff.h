/* SPDX-License-Identifier: BSD-2-Clause */
/* plan_diff.h — what changes when a running lab becomes another topology.
 *
 * Promise: vl_plan_diff() is pure.  Given the plan a lab runs (from) and a
 * fresh plan of the topology it should become (to), it says which nodes
 * and links are kept, which go and which are new, and rewrites `to` so
 * that everything kept keeps its place (interface names, indexes, MACs,
 * pipe ports, bridge devices) and everything new gets places that no
 * object of the running lab holds.  So a backend changes only what
 * changed, and the nodes, processes and sessions of everything else live
 * on (issue 14: a jail made or removed touches no other).
 *
 * Matching is by name: a node is kept when the new topology has a node of
 * that name and kind (a tee also needs every one of its links kept: its
 * forwarder is made for its hooks); a link is kept when its endpoints
 * name the same node:hook pairs in the same order, both nodes are kept,
 * its impl and whether it needs a pipe are the same, and its hooks keep
 * their MAC and MTU.  Anything else is removed and made anew.
 */
#ifndef VNETLAB_PLAN_DIFF_H
#define VNETLAB_PLAN_DIFF_H

#include "vnetlab/plan.h"

struct vl_plan_diff {
	long *node_from;  /* by new node: the old node kept, -1 when new */
	long *node_to;    /* by old node: its new index, -1 when removed */
	long *link_from;  /* by new link: the old link kept, -1 when new */
	long *link_to;    /* by old link: its new index, -1 when removed */
	bool *node_retuned; /* by new node: kept, but hostname, forwarding,
			       addresses or routes differ */
	bool *link_retuned; /* by new link: kept, with other impairments */
	size_t kept_nodes, kept_links;
};

/* 0, or -ENOMEM (err says so).  `to` must be a plan built for its own
 * topology with from's options; its places are rewritten as above. */
int vl_plan_diff(const struct vl_plan *from, struct vl_plan *to, struct vl_plan_diff *d,
		 struct vl_err *err);
void vl_plan_diff_free(struct vl_plan_diff *d);

/* Is address a of old interface fo also on new interface fn (and so
 * kept), and the same for routes: what a backend adds and removes on
 * kept nodes. */
bool vl_iface_has_addr(const struct vl_iface *f, const struct vl_ip *a);
bool vl_node_has_route(const struct vl_node *n, const struct vl_route *r);

#endif
