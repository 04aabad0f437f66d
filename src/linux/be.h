/* SPDX-License-Identifier: BSD-2-Clause */
/* be.h — the Linux backend's own state and the helpers its files share
 * (backend.c: objects, the lab's life, the ops and kinds tables; tc.c:
 * kernel qdiscs; cmds.c: startup commands; forward.c: the userspace pipe
 * and tee forwarders; live.c: live link changes; apply.c: live graph
 * changes).  Private to src/linux/: the rest of the program sees
 * vnetlab/linux.h only. */
#ifndef VNETLAB_LINUX_BE_H
#define VNETLAB_LINUX_BE_H

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdint.h>

#include "linux/nl.h"
#include "linux/pipe.h"
#include "vnetlab/linux.h"

struct lnode {
	int net, uts;            /* -1 until made; uts -1 too when bound */
	bool linked;             /* /run/netns/LAB.NODE exists */
	bool uts_bound;          /* held by a bind mount in o.uts_dir */
	unsigned uts_slot;       /* its file there (node numbers change
				    when the graph does, slots do not) */
	int pipe;                /* a tee's forwarder, -1: none */
	int mnt;                 /* its filesystem view (view.c), -1 until
				    first needed */
	int root;                /* that view's "/" (O_PATH), with mnt */
};

struct linux_be {
	struct vl_backend base;
	struct vl_pipes *pipes;   /* userspace pipes, NULL until the first */
	int *pipe_of;             /* by link: pipe number, -1 when none */
	struct vl_linux_opts o;
	int host_net, host_uts;  /* where this process started */
	int core_net;
	struct mnl_socket *core_nl;
	/* A route socket in host_net (the underlay), opened for the first
	 * tunnel end: a VXLAN device is made from there, so its UDP socket
	 * stays there, and born in its namespace by IFLA_NET_NS_FD. */
	struct mnl_socket *host_nl;
	/* One node's route socket at a time: a socket per node held for the
	 * whole build would be a third descriptor per node (EMFILE at ~6600
	 * nodes under a 20000 limit).  Configuration comes node by node, so
	 * one open socket costs a setns + socket() per node, no more. */
	struct mnl_socket *node_nl;
	long node_nl_of;         /* whose, -1: none */
	bool ipv6;               /* the kernel has IPv6 */
	struct lnode *nodes;
	struct vl_nl_batch *batch;
	struct vl_link_live *live; /* by link: impairments and state now */
	uint16_t route_flags;      /* NLM_F_EXCL making a lab, NLM_F_REPLACE
				      when restoring routes after `link up` */
	unsigned next_uts_slot;
};

#define LBE(be) ((struct linux_be *)(be))

static inline const struct vl_topo *topo_of(struct linux_be *b)
{
	return b->base.plan->topo;
}

/* One end of a veth wire: a hook of a node or switch, or a pipe's port. */
struct end {
	const char *ifname;
	int ifindex;
	int ns;              /* namespace fd the end is born in */
	int master;          /* switch ifindex for a switch port, else 0 */
	const uint8_t *mac;  /* NULL: the kernel's choice */
	unsigned mtu;
	bool up;             /* up with the wire (ports in the core); a vnet
				interface comes up by its own op */
	struct mnl_socket *nl; /* route socket of its namespace */
};

/* ---- backend.c: errors, netlink helpers, objects, node configuration, the lab's life */

int lbe_op_fail(struct linux_be *b, const struct vl_op *op, int e,
		   const char *extack, struct vl_err *err);
int lbe_flush(struct linux_be *b, struct vl_err *err);
struct nlmsghdr *lbe_begin(struct linux_be *b, struct mnl_socket *s,
			      uint16_t type, uint16_t flags,
			      const struct vl_op *op, struct vl_err *err);
int lbe_write_file(const char *path, const char *val);
struct ifinfomsg *lbe_put_ifinfo(struct nlmsghdr *nlh, int index,
				    bool up);
void lbe_drop_node_sock(struct linux_be *b);
struct mnl_socket *lbe_node_sock(struct linux_be *b, size_t i, const struct vl_op *op,
				    struct vl_err *err);
void lbe_uts_path(struct linux_be *b, size_t i, char *buf, size_t len);
void lbe_describe_end(struct linux_be *b, const struct vl_endpoint *ep,
			 struct end *e);
const struct vl_endpoint *lbe_far_side(const struct vl_topo *t, long l,
					  size_t node, size_t iface);
void lbe_put_link_local(struct nlmsghdr *nlh, int index, const uint8_t mac[6]);
void lbe_put_addr(struct nlmsghdr *nlh, int ifindex, const struct vl_ip *ip);
int lbe_route_add(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err);
void lbe_put_route(struct linux_be *b, struct nlmsghdr *nlh, const struct vl_node *n,
		      const struct vl_route *r);
/* Node i's /run/netns link removed and its namespace descriptors closed:
 * the kernel frees the namespace once nothing else holds it. */
void lbe_drop_node(struct linux_be *b, size_t i);
void lbe_close_sockets(struct linux_be *b);
void lbe_return_home(struct linux_be *b);
int lbe_check_limits(const struct vl_topo *t, struct vl_err *err);

int lbe_queue_link_up(struct linux_be *b, struct mnl_socket *s, int index, int master,
		      const struct vl_op *op, struct vl_err *err);

/* ---- config.c: a vnet node's interfaces, addresses and routes */

int lbe_iface_up(struct vl_backend *be, const struct vl_op *op, struct vl_err *err);
int lbe_addr_add(struct vl_backend *be, const struct vl_op *op, struct vl_err *err);

/* ---- tc.c: kernel qdiscs */

int lbe_qdisc_set(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err);
int lbe_live_qdisc(struct linux_be *b, size_t l, int d, const struct vl_impair *im,
		      struct vl_err *err);

/* ---- cmds.c: startup commands */

int lbe_cmd_run(struct vl_backend *be, const struct vl_op *op,
		   struct vl_err *err);

/* ---- view.c: a node's filesystem view */

/* Node i's mount namespace, made on first use (or at `up` for a node
 * that binds, writes or runs something); borrowed, -errno on failure. */
int lbe_view(struct linux_be *b, size_t i, struct vl_err *err);

/* ---- forward.c: userspace forwarders */

int lbe_pipe_start(struct vl_backend *be, const struct vl_op *op,
		      struct vl_err *err);
int lbe_tee_start(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err);

/* ---- kinds: one row per node kind (kind.h says what a kind is; its row,
 * what this backend does for it).  backend.c holds the table. */

struct lbe_kind {
	/* Makes a node of the kind: the op the plan gives it (VL_OP_NODE_CREATE,
	 * _SWITCH_CREATE or _TEE_START, after its flags); NULL: a kind that
	 * never reaches a backend (folded by the loader). */
	int (*make)(struct vl_backend *be, const struct vl_op *op, struct vl_err *err);
	/* Its bridge device's IFLA_INFO_DATA where the kernel's defaults
	 * are not the kind's behaviour; NULL: the defaults. */
	void (*bridge_data)(struct nlmsghdr *nlh, const struct vl_node *n);
	/* Takes node i away in a live graph change (apply.c), after the
	 * links on its hooks. */
	void (*remove)(struct linux_be *b, size_t i);
};
extern const struct lbe_kind lbe_kinds[VL_KIND__COUNT];

/* ---- apply.c: live graph changes, the kinds' removals */

void lbe_vnet_remove(struct linux_be *b, size_t i);
void lbe_switch_remove(struct linux_be *b, size_t i);
void lbe_tee_remove(struct linux_be *b, size_t i);

/* ---- live.c: live link changes */

struct mnl_socket *lbe_ns_socket(struct linux_be *b, int ns);
int lbe_live_flush(struct linux_be *b, const char *what, struct vl_err *err);

#endif
