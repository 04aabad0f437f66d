/* SPDX-License-Identifier: BSD-2-Clause */
/* model.c — the jails/netgraph model itself (vimage.h): a new one, its
 * nodes and jails by name or ID, the interfaces of a vnet, an interface
 * moved between vnets.  What the verbs do to it lives beside: jail.c,
 * ngctl.c (with graph.c, netgraph's rules), ifconfig.c; to_topo.c makes
 * it a topology; store.c keeps it in the state root. */
#include "vimage/vimage_int.h"

#include <string.h>

/* ---- the model ------------------------------------------------------------------ */

struct json_object *vimg_add_node(struct json_object *m, const char *type)
{
	struct json_object *n = json_object_new_object();
	set_i(n, "id", next(m, "next_id"));
	set_s(n, "type", type);
	set_s(n, "name", "");
	json_object_object_add(n, "persistent", json_object_new_boolean(false));
	json_object_object_add(n, "hooks", json_object_new_object());
	json_object_array_add(arr(m, "nodes"), n);
	return n;
}

void vimg_make_iface(struct json_object *n, const char *ifname)
{
	set_s(n, "ifname", ifname);
	/* The name it was born with (ngethN, em0): the one it takes back when
	 * it comes home to a host that already has its present name. */
	set_s(n, "origname", ifname);
	set_s(n, "vnet", "");
	set_s(n, "mac", "");
	set_i(n, "mtu", 0);
	json_object_object_add(n, "addrs", json_object_new_array());
	json_object_object_add(n, "up", json_object_new_boolean(false));
}

struct json_object *vl_vimage_new(const char *lab)
{
	struct json_object *m = json_object_new_object();
	set_s(m, "lab", lab);
	set_i(m, "next_id", 1);
	set_i(m, "next_jid", 1);
	json_object_object_add(m, "jails", json_object_new_array());
	json_object_object_add(m, "nodes", json_object_new_array());
	/* The compat host's own network interface, as ng_ether sees it. */
	struct json_object *em0 = vimg_add_node(m, "ether");
	set_s(em0, "name", "em0");
	json_object_object_add(em0, "persistent", json_object_new_boolean(true));
	vimg_make_iface(em0, "em0");
	return m;
}

struct json_object *vimg_node_by_id(struct json_object *m, int id)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (i_of(json_object_array_get_idx(a, i), "id") == id)
			return json_object_array_get_idx(a, i);
	return NULL;
}

struct json_object *vimg_node_by_name(struct json_object *m, const char *name)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		if (!strcmp(s_of(n, "name"), name))
			return n;
	}
	return NULL;
}

/* A node's name as ngctl shows it: its own; an unnamed eiface's is the
 * name ng_eiface gave it at birth (ngethN), which renaming or moving the
 * interface does not change, so two eifaces renamed eth0 in two jails are
 * still ngeth0 and ngeth1 to ngctl, as on FreeBSD; else none. */
const char *vimg_shown_name(struct json_object *n)
{
	const char *s = s_of(n, "name");
	if (*s)
		return s;
	if (strcmp(s_of(n, "type"), "eiface"))
		return "<unnamed>";
	return *s_of(n, "origname") ? s_of(n, "origname") : s_of(n, "ifname");
}

/* ---- jails and the interfaces of a vnet ------------------------------------------- */

struct json_object *vimg_jail(struct json_object *m, const char *name)
{
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(s_of(json_object_array_get_idx(a, i), "name"), name))
			return json_object_array_get_idx(a, i);
	return NULL;
}

/* Topology names vnetlab makes up for netgraph nodes without a usable
 * name ("ng" + id) and for lone interfaces' ports ("lone" + id): a jail or
 * a named node may not take one, or two nodes of the lab would share it
 * (found by the verbs fuzzer: jail ng4 beside unnamed bridge 4). */
bool vimg_reserved_name(const char *s)
{
	const char *d = !strncmp(s, "ng", 2) ? s + 2 : !strncmp(s, "lone", 4) ? s + 4 : NULL;
	return d && *d && strspn(d, "0123456789abcdef") == strlen(d);
}

bool vimg_in_place(struct json_object *n, const char *where)
{
	if (!json_object_object_get(n, "ifname"))
		return false;
	const char *v = s_of(n, "vnet");
	return !strcmp(where, VL_VIMAGE_HOST) ? !*v : !strcmp(v, where);
}

bool vimg_name_taken(struct json_object *m, const char *where, const char *name,
		     const struct json_object *self)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (o != self && vimg_in_place(o, where) && !strcmp(s_of(o, "ifname"), name))
			return true;
	}
	return false;
}

/* if_vmove: the interface leaves its vnet for `to` ("" is the host).  It
 * arrives down and without addresses (if_detach_internal purges them),
 * keeping its name, MAC and MTU. */
void vimg_vmove(struct json_object *n, const char *to)
{
	set_s(n, "vnet", to);
	json_object_object_add(n, "addrs", json_object_new_array());
	json_object_object_add(n, "up", json_object_new_boolean(false));
}

/* An interface back on the host under a name the host already has (the
 * jail renamed both to eth0): FreeBSD would show two, a lab cannot hold
 * two.  It takes the name it was born with (ngethN, em0), else its
 * driver's lowest free unit. */
void vimg_unclash(struct json_object *m, struct json_object *n)
{
	if (!vimg_name_taken(m, VL_VIMAGE_HOST, s_of(n, "ifname"), n))
		return;
	const char *orig = s_of(n, "origname");
	if (*orig && !vl_check_ifname(orig) && !vimg_name_taken(m, VL_VIMAGE_HOST, orig, n)) {
		set_s(n, "ifname", orig);
		return;
	}
	char drv[16], name[32];
	snprintf(drv, sizeof(drv), "%.*s", (int)strcspn(orig, "0123456789"), orig);
	if (!*drv || strlen(drv) > 8)
		snprintf(drv, sizeof(drv), "%s", strcmp(s_of(n, "type"), "ether") ? "ngeth" : "em");
	for (int u = 0;; u++) {
		snprintf(name, sizeof(name), "%s%d", drv, u);
		if (!vimg_name_taken(m, VL_VIMAGE_HOST, name, n))
			break;
	}
	set_s(n, "ifname", name);
}
