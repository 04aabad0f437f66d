/* SPDX-License-Identifier: BSD-2-Clause */
/* topo.h — the topology model: nodes, their hooks, links, routes, commands.
 *
 * Promise: the model knows nothing of any operating system.  A loaded
 * topology (vl_topo_load_*) has passed parsing *and* validation: every
 * endpoint names an existing node and hook, no hook is used twice, names fit
 * every backend's limits, addresses are well-formed and do not clash inside
 * one L2 segment, and every route's gateway is on a connected subnet.
 * Every element keeps the file position it came from so later stages can
 * still point at the line that caused a problem.
 */
#ifndef VNETLAB_TOPO_H
#define VNETLAB_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vnetlab/err.h"
#include "vnetlab/impair.h"
#include "vnetlab/kind.h"
#include "vnetlab/netaddr.h"

#define VL_NAME_MAX 15     /* a node or hook becomes an interface name */
#define VL_LABNAME_MAX 32
#define VL_HOSTNAME_MAX 64

struct vl_pos {
	int line, col;
};

struct vl_addr {
	struct vl_ip ip;
	struct vl_pos pos;
};

/* A hook: an interface of a vnet node, or a port of a bridge/hub. */
struct vl_iface {
	char name[VL_NAME_MAX + 1];
	struct vl_pos pos;
	bool declared;          /* listed under ifaces:, not only in a link */
	bool has_mac;
	uint8_t mac[6];
	struct vl_pos mac_pos;
	unsigned mtu;           /* 0: kernel default */
	struct vl_addr *addrs;
	size_t n_addrs;
	long link;              /* index in topo->links, -1 while unlinked */
	size_t gid;             /* lab-wide hook number, 0..topo->n_hooks-1 */
};

struct vl_route {
	bool is_default;
	struct vl_ip to;        /* family set even for default */
	bool has_via;
	struct vl_ip via;
	char dev[VL_NAME_MAX + 1]; /* "" when not given */
	uint32_t metric;
	struct vl_pos pos;
};

struct vl_cmd {
	char **argv;            /* NULL-terminated */
	size_t argc;
	struct vl_pos pos;
};

/* A node's filesystem view (vnet nodes; docs/services.md).  Paths are
 * absolute and normal (no "//", ".", ".." or trailing '/'). */
struct vl_bind {
	char *src;              /* resolved against the topology file's directory */
	char *dst;
	bool ro;
	struct vl_pos pos;
};

struct vl_file {
	char *path;
	char *content;
	size_t len;
	struct vl_pos pos;
};

/* Software the keeper starts in a node once the network is up, watches,
 * and stops before the network goes.  frr and bird are known by name;
 * anything else says its own command lines. */
enum vl_svc_kind { VL_SVC_CMD, VL_SVC_FRR, VL_SVC_BIRD };

#define VL_SVC_NAME_MAX 31

struct vl_service {
	char name[VL_SVC_NAME_MAX + 1];
	enum vl_svc_kind kind;
	char **start;           /* VL_SVC_CMD: NULL-terminated argv; else NULL */
	char **stop;            /* optional */
	char **ready;           /* optional: polled until it exits 0 */
	struct vl_pos pos;
};

/* Who carries a link's impairments (see docs/impairments.md). */
enum vl_impl {
	VL_IMPL_AUTO,      /* the kernel where it can, the userspace pipe for the rest */
	VL_IMPL_KERNEL,    /* the kernel only; an error if it cannot */
	VL_IMPL_USERSPACE, /* vnetlab's pipe for everything; also makes the link
			      changeable live in every parameter */
};

#define VL_HOST_NAME_MAX 31 /* a host of a lab over several hosts (hosts.h) */

struct vl_node {
	char name[VL_NAME_MAX + 1];
	enum vl_kind kind;
	struct vl_pos pos;
	/* `host: NAME`: the host of a lab over several hosts this node is
	 * pinned to ("" when placed freely); meaningful only with --hosts. */
	char host[VL_HOST_NAME_MAX + 1];
	struct vl_pos host_pos;
	char hostname[VL_HOSTNAME_MAX + 1];
	bool forwarding;
	/* A bridge that runs the kernel's spanning tree (802.1D), so that a
	 * topology of switches may have loops; stp_pos: where it was asked. */
	bool stp;
	struct vl_pos stp_pos;
	struct vl_iface *ifaces;
	size_t n_ifaces;
	/* Addresses on the node's own loopback `lo` (a router's id, a BGP
	 * update source): set with the node, not linked to anything. */
	struct vl_addr *lo_addrs;
	size_t n_lo_addrs;
	struct vl_route *routes;
	size_t n_routes;
	struct vl_cmd *cmds;
	size_t n_cmds;
	struct vl_bind *binds;
	size_t n_binds;
	struct vl_file *files;
	size_t n_files;
	/* Directories that get an empty tmpfs of their own; when !private_set,
	 * vl_node_private_default() (private[] is then empty). */
	char **private;
	size_t n_private;
	bool private_set;
	struct vl_service *services;
	size_t n_services;
	/* A pipe node's parameters while loading (then folded into a link). */
	struct vl_impair pipe_dir[2];
	enum vl_impl pipe_impl;
};

struct vl_endpoint {
	size_t node, iface;
	struct vl_pos pos;
};

/* The far half of a link whose other end is on another host (a lab over
 * several hosts, docs/multihost.md): a kernel VXLAN tunnel between this
 * host's underlay address and the other's, one VNI per link. */
struct vl_tunnel {
	uint32_t vni;           /* 1..16777215 */
	struct vl_ip local, remote; /* underlay addresses, the same family */
	uint16_t port;          /* UDP destination port; 0: 4789 */
	unsigned mtu;           /* the node end's MTU; 0: 1500 minus the
				   encapsulation (50 over IPv4, 70 over IPv6) */
	struct vl_pos pos;
};

struct vl_link {
	/* A tunnel end (has_tunnel) has one endpoint: ep[1] is a copy of
	 * ep[0], and dir[0] ("downstream") is what leaves this host; the
	 * arriving direction is the other host's dir[0]. */
	struct vl_endpoint ep[2];
	bool has_tunnel;
	struct vl_tunnel tunnel;
	struct vl_pos pos;
	/* dir[0]: frames from ep[0] to ep[1] (ng_pipe's "downstream", ep[0]
	 * being the upper hook); dir[1]: ep[1] to ep[0] ("upstream"). */
	struct vl_impair dir[2];
	enum vl_impl impl;
	char via[VL_NAME_MAX + 1]; /* the pipe node this link stands for, or "" */
};

struct vl_topo {
	char *file;             /* as given, for messages */
	char name[VL_LABNAME_MAX + 1];
	struct vl_node *nodes;
	size_t n_nodes;
	struct vl_link *links;
	size_t n_links;
	size_t n_hooks;
	/* Node indices sorted by name, for vl_topo_find_node; valid while
	 * n_indexed == n_nodes (the loader keeps it so). */
	size_t *by_name;
	size_t n_indexed;
};

/* Parse and validate.  On failure *out is NULL and err holds one
 * "file:line:col: error: reason" line per problem found. */
int vl_topo_load_file(const char *path, struct vl_topo **out,
		      struct vl_err *err);
int vl_topo_load_buffer(const char *file, const char *buf, size_t len,
			struct vl_topo **out, struct vl_err *err);
void vl_topo_free(struct vl_topo *t);
/* A topology file read whole (a regular file, at most VL_YAML_MAX_BYTES),
 * NUL-terminated, the caller's to free; 0, or -errno with err set. */
int vl_topo_read_file(const char *path, char **buf, size_t *len, struct vl_err *err);

/* "node:hook" of an endpoint, "a:x <-> b:y" of link l (for messages). */
void vl_endpoint_name(const struct vl_topo *t, const struct vl_endpoint *ep,
		      char *buf, size_t len);
void vl_link_name(const struct vl_topo *t, size_t l, char *buf, size_t len);
/* A tunnel end's MTU and UDP port, defaults applied (1500 - 50 over an
 * IPv4 underlay, 1500 - 70 over IPv6; port 4789).  vl_link_name of a
 * tunnel end is "node:hook vxlan:VNI". */
unsigned vl_tunnel_mtu(const struct vl_tunnel *tn);
uint16_t vl_tunnel_port(const struct vl_tunnel *tn);

/* Lookups; -1 when absent.  Nodes by binary search where indexed
 * (vl_topo_index), so resolving every link stays O(n log n). */
long vl_topo_find_node(const struct vl_topo *t, const char *name);
/* (Re)build the name index after nodes change; on ENOMEM, lookups fall
 * back to a linear search. */
void vl_topo_index(struct vl_topo *t);
long vl_node_find_iface(const struct vl_node *n, const char *name);

/* The directories a vnet node gets private when its file says nothing:
 * NULL-terminated. */
const char *const *vl_node_private_default(void);

/* Name rules shared with the CLI (lab names given with --name).
 * Return NULL when valid, else a short reason. */
const char *vl_check_node_name(const char *s);
const char *vl_check_lab_name(const char *s);
const char *vl_check_ifname(const char *s);
/* A host of a lab over several hosts (hosts.h, a node's `host:`): letters,
 * digits, '-' and '_', at most VL_HOST_NAME_MAX bytes. */
const char *vl_check_host_name(const char *s);

#endif
