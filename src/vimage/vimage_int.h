/* SPDX-License-Identifier: BSD-2-Clause */
/* vimage_int.h — what the vimage emulation's files share: the model's
 * JSON shape and the functions more than one of them calls.  Private to
 * src/vimage/: the rest of the program sees vnetlab/vimage.h.
 *
 * The model (one JSON document, vl_vimage_new): "lab"; "next_id" and
 * "next_jid", the counters of node IDs and jail IDs; "jails", each
 * {name, host, jid}; "nodes", each {id, type, name, persistent, hooks}
 * with hooks {HOOK: {peer: ID, peerhook: HOOK}}, and for an interface
 * (eiface, or em0's ether) also {ifname, origname, vnet ("" the host),
 * mac, mtu, addrs, up} and an eiface's "unit"; a pipe's setcfg text in
 * "cfg".  While one ngctl runs, "socket" is its socket node (graph.c).
 *
 * Files, one job each: model.c (the model, lookups, interfaces moved
 * between vnets, the models of a state root), graph.c (netgraph's rules:
 * paths, hooks, the socket node), ngctl.c, ifconfig.c, jail.c (the
 * verbs), to_topo.c (the model as a topology).
 */
#ifndef VNETLAB_VIMAGE_INT_H
#define VNETLAB_VIMAGE_INT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "vnetlab/netaddr.h"
#include "vnetlab/topo.h"
#include "vnetlab/vimage.h"

/* ---- the model's JSON: small readers and writers ---- */

static inline const char *s_of(struct json_object *o, const char *k)
{
	const char *s = json_object_get_string(json_object_object_get(o, k));
	return s ? s : "";
}

static inline int i_of(struct json_object *o, const char *k)
{
	return json_object_get_int(json_object_object_get(o, k));
}

static inline void set_s(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static inline void set_i(struct json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_int(v));
}

static inline struct json_object *arr(struct json_object *m, const char *k)
{
	return json_object_object_get(m, k);
}

/* The counter's value, counted up. */
static inline int next(struct json_object *m, const char *counter)
{
	int v = i_of(m, counter);
	set_i(m, counter, v + 1);
	return v;
}

/* ---- model.c: nodes, jails, the interfaces of a vnet ---- */

struct json_object *vimg_add_node(struct json_object *m, const char *type);
void vimg_make_iface(struct json_object *n, const char *ifname);
struct json_object *vimg_node_by_id(struct json_object *m, int id);
struct json_object *vimg_node_by_name(struct json_object *m, const char *name);
const char *vimg_shown_name(struct json_object *n);
struct json_object *vimg_jail(struct json_object *m, const char *name);
bool vimg_reserved_name(const char *s);
/* Is node n an interface of `where` (a jail, or VL_VIMAGE_HOST)? */
bool vimg_in_place(struct json_object *n, const char *where);
bool vimg_name_taken(struct json_object *m, const char *where, const char *name,
		     const struct json_object *self);
void vimg_vmove(struct json_object *n, const char *to);
void vimg_unclash(struct json_object *m, struct json_object *n);

/* ---- graph.c: netgraph's rules ---- */

#define SOCK_ID 0x7fffffff /* ngctl's socket node: an ID no node takes */

struct json_object *vimg_sock(struct json_object *m);
bool vimg_is_sock(const struct json_object *n);
struct json_object *vimg_peer_of(struct json_object *m, struct json_object *h);
int vimg_resolve_at(struct json_object *m, struct json_object *here, const char *path,
		    struct json_object **out, struct vl_err *err);
int vimg_resolve(struct json_object *m, const char *path, struct json_object **out,
		 struct vl_err *err);
bool vimg_ng_name_ok(const char *s);
bool vimg_hook_ok(const char *type, const char *hook);
int vimg_join(struct json_object *a, const char *ah, struct json_object *b, const char *bh,
	      struct vl_err *err);
void vimg_unhook(struct json_object *m, struct json_object *n, const char *hook);
void vimg_unhook_all(struct json_object *m, struct json_object *n);
void vimg_remove_node(struct json_object *m, struct json_object *n);
/* A new node of `type`; a new eiface has its interface, named by
 * ng_eiface's rule. */
struct json_object *vimg_new_node(struct json_object *m, const char *type);
void vimg_reap(struct json_object *m);

#endif
