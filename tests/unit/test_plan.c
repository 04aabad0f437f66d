/* SPDX-License-Identifier: BSD-2-Clause */
/* The planner: deterministic, correctly ordered, names and ifindexes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/plan.h"

static struct vl_topo *load(const char *y)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("p.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	return t;
}

static char *render(const struct vl_topo *t)
{
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_plan_build(t, NULL, &p, &err), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vl_plan_render(&p, f);
	fclose(f);
	vl_plan_free(&p);
	return buf;
}

Test(plan, order_and_ifindexes)
{
	struct vl_topo *t = load(
		"nodes:\n  br: { kind: hub }\n"
		"  a: { ifaces: { e0: { addrs: [10.0.0.1/24] }, e1: { addrs: [10.1.0.1/24] } },\n"
		"       routes: [ { to: default, via: 10.0.0.2 } ] }\n"
		"  b: { ifaces: { e0: { addrs: [10.0.0.2/24] } } }\n"
		"  c: { ifaces: { e0: { addrs: [10.1.0.2/24] } } }\n"
		"links: [ [a:e0, br:p0], [b:e0, br:p1], [a:e1, c:e0] ]\n");
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_plan_build(t, NULL, &p, &err), 0);
	cr_assert_eq(p.ops[0].type, VL_OP_CORE_CREATE);
	/* Every op only depends on earlier ones. */
	int last = -1;
	for (size_t i = 0; i < p.n_ops; i++) {
		int ty = (int)p.ops[i].type;
		if (ty == VL_OP_ADDR_ADD || ty == VL_OP_IFACE_UP || ty == VL_OP_ROUTE_ADD)
			ty = VL_OP_IFACE_UP; /* interleaved per node */
		cr_assert_geq(ty, last, "op %zu out of order", i);
		last = ty;
	}
	/* lo is 1 in every namespace; a's interfaces are 2 and 3. */
	long a = vl_topo_find_node(t, "a");
	cr_assert_eq(p.hooks[t->nodes[a].ifaces[0].gid].ifindex, 2);
	cr_assert_eq(p.hooks[t->nodes[a].ifaces[1].gid].ifindex, 3);
	long br = vl_topo_find_node(t, "br");
	cr_assert_eq(p.switch_ifindex[br], 2);
	cr_assert_str_eq(p.hooks[t->nodes[br].ifaces[0].gid].ifname, "br.p0");
	cr_assert(p.hooks[t->nodes[br].ifaces[0].gid].in_core);
	vl_plan_free(&p);
	vl_topo_free(t);
}

Test(plan, long_port_names_fall_back_uniquely)
{
	struct vl_topo *t = load("nodes:\n  backbone-sw1: { kind: bridge }\n  a: {}\n  b: {}\n"
				 "links: [ [a:e0, backbone-sw1:port0], [b:e0, backbone-sw1:port1] ]\n");
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_plan_build(t, NULL, &p, &err), 0);
	long s = vl_topo_find_node(t, "backbone-sw1");
	const char *n0 = p.hooks[t->nodes[s].ifaces[0].gid].ifname;
	const char *n1 = p.hooks[t->nodes[s].ifaces[1].gid].ifname;
	cr_assert_lt(strlen(n0), 16);
	cr_assert_eq(n0[0], '~');
	cr_assert_str_neq(n0, n1);
	vl_plan_free(&p);
	vl_topo_free(t);
}

Test(plan, deterministic)
{
	const char *y = "nodes:\n  x: {}\n  y: {}\nlinks: [[x:e0, y:e0]]\n";
	struct vl_topo *t1 = load(y), *t2 = load(y);
	char *a = render(t1), *b = render(t2);
	cr_assert_str_eq(a, b);
	cr_assert(strstr(a, "link   link x:e0 <-> y:e0  [e0#2 + e0#2]"), "%s", a);
	free(a);
	free(b);
	vl_topo_free(t1);
	vl_topo_free(t2);
}
