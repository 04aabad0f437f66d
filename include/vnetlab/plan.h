/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.h — a topology turned into an ordered list of backend-neutral
 * operations, plus the names and interface indexes every hook will get.
 *
 * Promise: vl_plan_build() is pure and deterministic: the same topology
 * gives the same plan, byte for byte, on any machine.  Ops are ordered so
 * that each one only needs what earlier ones made; undoing a prefix of the
 * plan is the backend's job (see backend.h).
 */
#ifndef VNETLAB_PLAN_H
#define VNETLAB_PLAN_H

#include <stdio.h>

#include "vnetlab/topo.h"

enum vl_op_type {
	VL_OP_CORE_CREATE,   /* the lab's core: holds switches, never the host's */
	VL_OP_NODE_CREATE,   /* vnet: own network stack, hostname, forwarding */
	VL_OP_SWITCH_CREATE, /* bridge or hub */
	VL_OP_LINK_CREATE,   /* one wire between two hooks, both ends up; a piped
				link is two wires into the core, meeting in a pipe */
	VL_OP_QDISC_SET,     /* kernel impairments of one direction of a link */
	VL_OP_PIPE_START,    /* the userspace pipe of a link starts forwarding */
	VL_OP_TEE_START,     /* a tee node's forwarder starts (once its hooks exist) */
	VL_OP_IFACE_UP,      /* a vnet interface administratively up */
	VL_OP_ADDR_ADD,
	VL_OP_ROUTE_ADD,
	VL_OP_CMD_RUN,       /* a startup command, run to completion */
	VL_OP__COUNT
};

struct vl_op {
	enum vl_op_type type;
	size_t node;  /* NODE/SWITCH/TEE/IFACE/ADDR/ROUTE/CMD */
	size_t iface; /* IFACE/ADDR */
	size_t idx;   /* ADDR: address, ROUTE: route, CMD: command,
			 LINK/QDISC/PIPE: link */
	int dir;      /* QDISC: 0 = ep[0] -> ep[1], 1 = ep[1] -> ep[0] */
};

/* Where a hook lives once the lab is up. */
struct vl_hook_place {
	char ifname[16];
	int ifindex;
	bool in_core;  /* in the core namespace (switch ports) */
	uint8_t mac[6]; /* the topology's, else 02:<lab hash, 2 bytes>:<gid, 3
			   bytes>: the same lab gets the same MACs every time,
			   and each interface's IPv6 link-local follows from it */
};

/* Who carries each impairment of a link, and the pipe's ports. */
struct vl_link_place {
	bool piped;
	char port[2][16];        /* core-side pipe ports, facing ep[0], ep[1] */
	int port_ifindex[2];
	unsigned kernel_set[2];  /* (1 << vl_param) carried by qdiscs, per dir */
	unsigned pipe_set[2];    /* ... by the userspace pipe */
};

/* What the kernel offers (probe.h's VL_QDISC_* bits), so the plan stays a
 * pure function of the topology and these facts. */
struct vl_plan_opts {
	unsigned qdiscs;
	bool qdiscs_known; /* probed (or stated); `up` skips the probe for a
			      lab without impairments, and the keeper
			      probes at the first live change */
	bool kernel_pipe; /* the backend's pipe is in the kernel (ng_pipe):
			     every impairment goes to it, `impl: kernel` too */
};

struct vl_plan {
	const struct vl_topo *topo;
	struct vl_plan_opts opts;
	struct vl_link_place *links;  /* by link index */
	struct vl_op *ops;
	size_t n_ops;
	struct vl_hook_place *hooks;  /* by vl_iface.gid */
	int *switch_ifindex;          /* by node index: the bridge device of a
					 bridge or hub; 0 for other kinds */
	/* The next places no object of this plan holds, for objects added
	 * while the lab runs (plan_diff.h): a core interface index, a hook
	 * serial (generated MACs and long port names), a pipe number. */
	int next_core_index;
	size_t next_serial;
	size_t next_pipe_no;
};

/* A link as it is now: the plan's impairments, then live changes
 * (`vnetlab link`).  Whether a link is piped is fixed when the lab comes
 * up; which carrier applies each parameter follows the values. */
struct vl_link_live {
	struct vl_impair dir[2];
	unsigned kernel_set[2];
	unsigned pipe_set[2];
	bool down;
};

/* Who carries each parameter of dir[0..1] on link l of p, into lv (dir too).
 * 0, or -EOPNOTSUPP with the reason in err when the link cannot carry them:
 * `impl: kernel` and the kernel lacks a qdisc, or a parameter only the pipe
 * can apply on a link that was made without one. */
int vl_link_place(const struct vl_plan *p, size_t l, const struct vl_impair dir[2],
		  struct vl_link_live *lv, struct vl_err *err);

/* What applies parameter p of direction d now: "tbf", "netem", "pipe",
 * or NULL when it is not set. */
const char *vl_link_carrier(const struct vl_link_live *lv, int d, enum vl_param p);
/* A direction's kernel share needs netem (else tbf carries it). */
bool vl_kernel_needs_netem(unsigned kernel_set);

/* Fails (with file:line:col) only when a link asks for `impl: kernel` and
 * the kernel lacks a qdisc it needs. */
int vl_plan_build(const struct vl_topo *t, const struct vl_plan_opts *o,
		  struct vl_plan *p, struct vl_err *err);
void vl_plan_free(struct vl_plan *p);

/* The MAC a hook without one of its own gets: 02:<lab hash>:<serial>;
 * a topology with tunnel ends (a part of a lab over several hosts) hashes
 * its first tunnel's local address with the name, so parts differ. */
void vl_plan_hook_mac(const struct vl_topo *t, size_t serial, uint8_t mac[6]);
/* A switch port's name in the core: "<switch>.<hook>", or "~<serial>"
 * when that passes an interface name's 15 bytes. */
void vl_plan_port_name(const char *sw, const char *hook, size_t serial, char out[16]);
/* A pipe's port facing ep[e]: "~p<no>a" or "~p<no>b". */
void vl_plan_pipe_port_name(size_t no, int e, char out[16]);

const char *vl_op_name(enum vl_op_type t);
/* One line describing op i, e.g. "link n1:eth0 <-> bridge:link0". */
void vl_op_describe(const struct vl_plan *p, const struct vl_op *op, char *buf,
		    size_t len);
/* The whole plan as numbered lines (`vnetlab plan --backend linux`). */
void vl_plan_render(const struct vl_plan *p, FILE *out);
/* The kernel's qdiscs as a user states them (`plan --qdiscs`), for a
 * reproducible plan: netem, tbf and htb separated by commas, or "none".
 * o->qdiscs set and known; -EINVAL with the reason otherwise. */
int vl_plan_opts_qdiscs(const char *list, struct vl_plan_opts *o, struct vl_err *err);
/* `vnetlab plan` for a backend that carries out these operations as they
 * are (Linux): "# lab NAME: N operations, backend BACKEND", then the plan
 * of t with o as vl_plan_render writes it. */
int vl_plan_print(const struct vl_topo *t, const struct vl_plan_opts *o,
		  const char *backend, FILE *out, struct vl_err *err);

#endif
