/* SPDX-License-Identifier: BSD-2-Clause */
/* The node kinds' descriptors (kind.h): every kind has one that agrees
 * with itself, the lookups find them, and 0.1's vl_kind_info still says
 * what it said. */
#include <criterion/criterion.h>
#include <string.h>

#include "vnetlab/kind.h"

Test(kind, every_kind_has_a_consistent_descriptor)
{
	for (int k = 0; k < VL_KIND__COUNT; k++) {
		const struct vl_kind_type *t = vl_kind_type((enum vl_kind)k);
		cr_assert_eq(t->kind, k);
		cr_assert(t->name && t->ngtype && t->hook_ok && t->hook_rule, "%d", k);
		/* A stack or a switch, never both: code asks either. */
		cr_assert(vl_kind_has(t->kind, VL_KF_STACK) !=
			      vl_kind_has(t->kind, VL_KF_SWITCH),
			  "%s", t->name);
		cr_assert(!(t->flags & (VL_KF_BRIDGE | VL_KF_FORWARD | VL_KF_FOLDED)) ||
			      (t->flags & VL_KF_SWITCH),
			  "%s: bridged, forwarded and folded kinds are switches", t->name);
		cr_assert_eq(t->passes != NULL, vl_kind_has(t->kind, VL_KF_FORWARD), "%s",
			     t->name);
		if (!t->hooks)
			continue;
		/* Fixed hooks: netgraph's rule takes exactly them, and the
		 * rule's words are their list (topo_parse.c says it). */
		char list[128] = "";
		for (size_t h = 0; t->hooks[h]; h++) {
			cr_assert(t->hook_ok(t->hooks[h]), "%s:%s", t->name, t->hooks[h]);
			cr_assert(vl_kind_takes_hook(t->kind, t->hooks[h]));
			strcat(list, h ? ", " : "");
			strcat(list, t->hooks[h]);
		}
		cr_assert_str_eq(t->hook_rule, list);
		cr_assert(!t->hook_ok("eth0") && !vl_kind_takes_hook(t->kind, "eth0"), "%s",
			  t->name);
	}
}

Test(kind, lookups)
{
	cr_assert_eq(vl_kind_by_name("hub")->kind, VL_KIND_HUB);
	cr_assert_null(vl_kind_by_name("eiface"));
	cr_assert_eq(vl_kind_by_ngtype("eiface")->kind, VL_KIND_VNET);
	cr_assert_eq(vl_kind_by_ngtype("bridge")->kind, VL_KIND_BRIDGE);
	cr_assert_null(vl_kind_by_ngtype("ether"));
	enum vl_kind k = VL_KIND_VNET;
	cr_assert_eq(vl_kind_from_name("tee", &k), 0);
	cr_assert_eq(k, VL_KIND_TEE);
	cr_assert_lt(vl_kind_from_name("router", &k), 0);
	cr_assert(vl_kind_takes_hook(VL_KIND_BRIDGE, "eth0"));
}

/* The rules the FreeBSD backend and the vimage model apply. */
Test(kind, netgraph_hook_rules)
{
	bool (*bridge)(const char *) = vl_kind_by_ngtype("bridge")->hook_ok;
	cr_assert(bridge("link0") && bridge("uplink12"));
	cr_assert(!bridge("link") && !bridge("uplink") && !bridge("link1a") &&
		  !bridge("p0"));
	cr_assert(vl_kind_by_ngtype("eiface")->hook_ok("ether"));
	cr_assert(!vl_kind_by_ngtype("eiface")->hook_ok("eth0"));
	cr_assert(vl_kind_by_ngtype("hub")->hook_ok("anything"));
	cr_assert(!vl_kind_by_ngtype("hub")->hook_ok(""));
}

Test(kind, names_for_messages)
{
	char buf[64];
	cr_assert_eq(vl_kind_names(0, buf, sizeof(buf)),
		     (int)strlen("vnet, bridge, hub, tee or pipe"));
	cr_assert_str_eq(buf, "vnet, bridge, hub, tee or pipe");
	vl_kind_names(VL_KF_FOLDED, buf, sizeof(buf));
	cr_assert_str_eq(buf, "vnet, bridge, hub or tee");
	vl_kind_names(VL_KF_SWITCH, buf, sizeof(buf));
	cr_assert_str_eq(buf, "vnet");
	/* Cut like snprintf, and counted the same. */
	cr_assert_eq(vl_kind_names(0, buf, 8),
		     (int)strlen("vnet, bridge, hub, tee or pipe"));
	cr_assert_str_eq(buf, "vnet, b");
	cr_assert_eq(vl_kind_names(0, NULL, 0),
		     (int)strlen("vnet, bridge, hub, tee or pipe"));
}

Test(kind, info_of_0_1_unchanged)
{
	static const struct {
		const char *name;
		bool sw, bridge, hooks;
	} want[VL_KIND__COUNT] = {
	    {"vnet", false, false, false}, {"bridge", true, true, false},
	    {"hub", true, true, false},    {"tee", true, false, true},
	    {"pipe", true, false, true},
	};
	for (int k = 0; k < VL_KIND__COUNT; k++) {
		const struct vl_kind_info *i = vl_kind_info((enum vl_kind)k);
		cr_assert_str_eq(i->name, want[k].name);
		cr_assert_eq(i->is_switch, want[k].sw, "%s", i->name);
		cr_assert_eq(i->bridge, want[k].bridge, "%s", i->name);
		cr_assert_eq(i->hooks != NULL, want[k].hooks, "%s", i->name);
	}
}
