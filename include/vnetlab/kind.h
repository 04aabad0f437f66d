/* SPDX-License-Identifier: BSD-2-Clause */
/* kind.h — node kinds as types, after netgraph's `struct ng_type` (one per
 * node type, e.g. ng_hub.c) and iproute2's `struct link_util` (one
 * iplink_<kind>.c each): a descriptor per kind says what the core needs
 * to know of it, so the core asks the descriptor (a flag, a name, a
 * rule) instead of testing which kind a node is.  What a backend makes of
 * a kind is that backend's own table, one row per kind (src/linux/be.h's
 * lbe_kinds, compat/freebsd/backend.c's fb_kinds).
 *
 * Promise: the descriptors are constant and live for the whole program;
 * every kind of enum vl_kind has one, and its `kind` is its index.
 */
#ifndef VNETLAB_KIND_H
#define VNETLAB_KIND_H

#include <stdbool.h>
#include <stddef.h>

/* Node kinds, after netgraph's node types.  The values are part of the
 * ABI: a new kind goes before VL_KIND__COUNT, never between. */
enum vl_kind {
	VL_KIND_VNET,   /* its own network stack: a vnet jail, a namespace */
	VL_KIND_BRIDGE, /* ng_bridge: a learning switch */
	VL_KIND_HUB,    /* ng_hub: every frame to every other hook */
	VL_KIND_TEE,    /* ng_tee: left <-> right, copies to left2right/right2left */
	VL_KIND_PIPE,   /* ng_pipe: upper <-> lower with link impairments */
	VL_KIND__COUNT
};

/* What a kind is.  Every kind is either a stack or a switch, never both:
 * code may ask whichever question it means. */
enum {
	/* Its own network stack: interfaces with addresses, routes, a
	 * hostname, forwarding, startup commands. */
	VL_KF_STACK = 1u << 0,
	/* Frames pass between its hooks; the hooks carry no address and
	 * are ports in the lab's core. */
	VL_KF_SWITCH = 1u << 1,
	/* A kernel bridge device joins its ports (made by VL_OP_SWITCH_CREATE). */
	VL_KF_BRIDGE = 1u << 2,
	/* The userspace pipe engine forwards its frames, from a start step
	 * (VL_OP_TEE_START) once its hooks exist; its forwarder is made for
	 * the hooks it has. */
	VL_KF_FORWARD = 1u << 3,
	/* The loader folds the node into the link it stands for: the
	 * planner and the backends never see one (its upper hook's peer
	 * becomes the link's ep[0], so its downstream is the link's dir[0]). */
	VL_KF_FOLDED = 1u << 4,
	/* A learning switch that may run a spanning tree (`stp: true`);
	 * a hub floods and a tee copies, so they have none. */
	VL_KF_STP = 1u << 5,
};

struct vl_kind_type {
	enum vl_kind kind;
	const char *name; /* as a topology writes it: `kind: NAME` */
	/* The netgraph node type it stands for.  A vnet node is a jail; in
	 * netgraph each of its interfaces is an eiface, hence "eiface". */
	const char *ngtype;
	unsigned flags; /* VL_KF_... */
	/* The only hook names a topology may give it, in netgraph's order
	 * (a tee's: left, right, left2right, right2left; src/linux/forward.c
	 * pairs pass and copy ports by that order); NULL: any interface name. */
	const char *const *hooks;
	/* Netgraph's own rule for the hook names of `ngtype`, beyond the
	 * names every netgraph hook obeys (no '.' or ':', under NG_HOOKSIZ):
	 * ng_bridge takes only linkN/uplinkN, ng_tee and ng_pipe their
	 * fixed hooks, ng_eiface "ether", ng_hub any name. */
	bool (*hook_ok)(const char *hook);
	/* That rule in words, for messages ("linkN, uplinkN"); for a kind
	 * with fixed hooks, exactly its hook list joined by ", ". */
	const char *hook_rule;
	/* How frames cross a forwarded node, in the plan's words
	 * ("left <-> right, copies to left2right / right2left"); NULL: not
	 * forwarded by vnetlab itself. */
	const char *passes;
};

/* The descriptor of kind k (a valid enum vl_kind). */
const struct vl_kind_type *vl_kind_type(enum vl_kind k);
/* By topology name ("bridge") or netgraph type name ("eiface"); NULL
 * when no kind has it. */
const struct vl_kind_type *vl_kind_by_name(const char *name);
const struct vl_kind_type *vl_kind_by_ngtype(const char *ngtype);
/* Whether kind k has every flag of `flags`. */
bool vl_kind_has(enum vl_kind k, unsigned flags);
/* Whether a topology may give a node of kind k a hook named `hook`: one
 * of its fixed hooks, or any name when it has none (the name's own rules
 * are vl_check_ifname's). */
bool vl_kind_takes_hook(enum vl_kind k, const char *hook);
/* The names of the kinds with none of the flags `without`, for messages:
 * "vnet, bridge, hub, tee or pipe".  Returns what snprintf would. */
int vl_kind_names(unsigned without, char *buf, size_t len);

/* The kinds' table as libvnetlab 0.1 offered it, kept for programs built
 * against it; new code asks vl_kind_type() and vl_kind_has(). */
struct vl_kind_info {
	const char *name;
	bool is_switch;           /* VL_KF_SWITCH */
	bool bridge;              /* VL_KF_BRIDGE */
	const char *const *hooks; /* the only hook names it has; NULL: any */
};
const struct vl_kind_info *vl_kind_info(enum vl_kind k);
/* 0 and *out set, or -EINVAL for a name no kind has. */
int vl_kind_from_name(const char *s, enum vl_kind *out);

#endif
