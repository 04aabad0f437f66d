/* SPDX-License-Identifier: BSD-2-Clause */
/* plan_diff: what is kept keeps its places; what is new gets places
 * nothing of the running lab holds. */
#include <criterion/criterion.h>
#include <string.h>

#include "vnetlab/plan_diff.h"

static struct vl_topo *load(const char *y)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_topo_load_buffer("t.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	return t;
}

static const char *before =
	"name: d\n"
	"nodes:\n"
	"  a: { ifaces: { e0: { addrs: [10.0.0.1/24] } } }\n"
	"  b: { ifaces: { e0: { addrs: [10.0.0.2/24] } } }\n"
	"  c: { ifaces: { e0: { addrs: [10.0.0.3/24] } } }\n"
	"  br: { kind: bridge }\n"
	"  t: { kind: tee }\n"
	"  x: {}\n"
	"  y: {}\n"
	"links:\n"
	"  - [a:e0, br:p0]\n"
	"  - [b:e0, br:p1]\n"
	"  - [c:e0, br:p2]\n"
	"  - { endpoints: [a:w0, c:w0], delay: 5ms, impl: userspace }\n"
	"  - [x:e0, t:left]\n"
	"  - [t:right, y:e0]\n";

/* b goes; d comes on the bridge; a gets a new wire to d; c's address and
 * the a-c pipe's delay change; the tee gets a tap. */
static const char *after =
	"name: d\n"
	"nodes:\n"
	"  a: { ifaces: { e0: { addrs: [10.0.0.1/24] } } }\n"
	"  c: { ifaces: { e0: { addrs: [10.0.0.30/24] } } }\n"
	"  d: { ifaces: { e0: { addrs: [10.0.0.4/24] } } }\n"
	"  br: { kind: bridge }\n"
	"  t: { kind: tee }\n"
	"  x: {}\n"
	"  y: {}\n"
	"  z: {}\n"
	"links:\n"
	"  - [a:e0, br:p0]\n"
	"  - [c:e0, br:p2]\n"
	"  - [d:e0, br:p1]\n"
	"  - { endpoints: [a:w0, c:w0], delay: 7ms, impl: userspace }\n"
	"  - [a:w1, d:w1]\n"
	"  - [x:e0, t:left]\n"
	"  - [t:right, y:e0]\n"
	"  - [t:left2right, z:e0]\n";

static const struct vl_hook_place *hook(const struct vl_plan *p, const char *node,
					const char *ifname)
{
	long n = vl_topo_find_node(p->topo, node);
	cr_assert_geq(n, 0);
	long f = vl_node_find_iface(&p->topo->nodes[n], ifname);
	cr_assert_geq(f, 0);
	return &p->hooks[p->topo->nodes[n].ifaces[f].gid];
}

Test(plan_diff, kept_keeps_places_new_gets_free_ones)
{
	struct vl_topo *t0 = load(before), *t1 = load(after);
	struct vl_plan p0, p1;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_plan_opts o = {.qdiscs_known = true};
	cr_assert_eq(vl_plan_build(t0, &o, &p0, &err), 0);
	cr_assert_eq(vl_plan_build(t1, &o, &p1, &err), 0);
	struct vl_plan_diff d;
	cr_assert_eq(vl_plan_diff(&p0, &p1, &d, &err), 0);
	/* Nodes: a, c, br, x, y kept; t too?  No: it gains a hook. */
	cr_expect_geq(d.node_from[vl_topo_find_node(t1, "a")], 0);
	cr_expect_geq(d.node_from[vl_topo_find_node(t1, "c")], 0);
	cr_expect_geq(d.node_from[vl_topo_find_node(t1, "br")], 0);
	cr_expect_eq(d.node_from[vl_topo_find_node(t1, "d")], -1);
	cr_expect_eq(d.node_from[vl_topo_find_node(t1, "t")], -1, "a tee with a new hook is made anew");
	cr_expect_eq(d.node_to[vl_topo_find_node(t0, "b")], -1);
	cr_expect(d.node_retuned[vl_topo_find_node(t1, "c")], "c's address changed");
	cr_expect(!d.node_retuned[vl_topo_find_node(t1, "a")]);
	/* Links: a-br, c-br, a-c kept (a-c retuned); the tee's made anew. */
	cr_expect_eq(d.kept_links, 3);
	cr_expect(d.link_retuned[3], "the a-c pipe's delay changed");
	cr_expect(!d.link_retuned[0]);
	/* Kept hooks keep name, index and MAC. */
	const char *kept[][2] = {{"a", "e0"}, {"c", "e0"}, {"br", "p0"}, {"br", "p2"},
				 {"a", "w0"}, {"c", "w0"}};
	for (size_t i = 0; i < 6; i++) {
		const struct vl_hook_place *x = hook(&p0, kept[i][0], kept[i][1]),
					   *y = hook(&p1, kept[i][0], kept[i][1]);
		cr_expect_str_eq(x->ifname, y->ifname);
		cr_expect_eq(x->ifindex, y->ifindex, "%s:%s", kept[i][0], kept[i][1]);
		cr_expect_eq(memcmp(x->mac, y->mac, 6), 0, "%s:%s", kept[i][0], kept[i][1]);
	}
	/* The pipe keeps its ports. */
	cr_expect_str_eq(p0.links[3].port[0], p1.links[3].port[0]);
	cr_expect_eq(p0.links[3].port_ifindex[1], p1.links[3].port_ifindex[1]);
	/* New in a kept node: above every index it had. */
	cr_expect_gt(hook(&p1, "a", "w1")->ifindex, hook(&p0, "a", "w0")->ifindex);
	cr_expect_gt(hook(&p1, "a", "w1")->ifindex, hook(&p0, "a", "e0")->ifindex);
	/* New in the core: no index or MAC any old or kept object has. */
	const struct vl_hook_place *np1 = hook(&p1, "br", "p1");
	cr_expect_geq(np1->ifindex, p0.next_core_index);
	for (size_t g = 0; g < t0->n_hooks; g++) {
		cr_expect_neq(memcmp(p0.hooks[g].mac, np1->mac, 6), 0);
		cr_expect_neq(memcmp(p0.hooks[g].mac, hook(&p1, "d", "e0")->mac, 6), 0);
		cr_expect_neq(memcmp(p0.hooks[g].mac, hook(&p1, "a", "w1")->mac, 6), 0);
		if (p0.hooks[g].in_core)
			cr_expect_neq(p0.hooks[g].ifindex, np1->ifindex);
	}
	for (size_t i = 0; i < t0->n_nodes; i++)
		if (p0.switch_ifindex[i])
			cr_expect_neq(p0.switch_ifindex[i], hook(&p1, "t", "left")->ifindex);
	vl_plan_diff_free(&d);
	vl_plan_free(&p0);
	vl_plan_free(&p1);
	vl_topo_free(t0);
	vl_topo_free(t1);
}

Test(plan_diff, a_link_turned_around_or_repiped_is_new)
{
	struct vl_topo *t0 = load("nodes: { a: {}, b: {} }\nlinks: [[a:e0, b:e0]]\n");
	struct vl_topo *t1 = load("nodes: { a: {}, b: {} }\nlinks: [[b:e0, a:e0]]\n");
	struct vl_topo *t2 = load("nodes: { a: {}, b: {} }\n"
				  "links: [{ endpoints: [a:e0, b:e0], ber: 1e-6 }]\n");
	struct vl_plan p0, p1, p2;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_plan_opts o = {.qdiscs_known = true};
	cr_assert_eq(vl_plan_build(t0, &o, &p0, &err), 0);
	cr_assert_eq(vl_plan_build(t1, &o, &p1, &err), 0);
	cr_assert_eq(vl_plan_build(t2, &o, &p2, &err), 0);
	struct vl_plan_diff d1, d2;
	cr_assert_eq(vl_plan_diff(&p0, &p1, &d1, &err), 0);
	cr_assert_eq(vl_plan_diff(&p0, &p2, &d2, &err), 0);
	cr_expect_eq(d1.kept_links, 0);
	cr_expect_eq(d2.kept_links, 0, "a link that now needs a pipe is made anew");
	cr_expect_eq(d1.kept_nodes, 2);
	vl_plan_diff_free(&d1);
	vl_plan_diff_free(&d2);
	vl_plan_free(&p0);
	vl_plan_free(&p1);
	vl_plan_free(&p2);
	vl_topo_free(t0);
	vl_topo_free(t1);
	vl_topo_free(t2);
}
