/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes.h — inside the IMUNES importer (import.h): both readers fill one
 * description of the file (struct im_topo), with the file's positions;
 * import_imunes.c makes the vnetlab model of it; imunes_frr.c writes the
 * frr.conf IMUNES would give a router. */
#ifndef VNETLAB_IMUNES_H
#define VNETLAB_IMUNES_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/topo.h"

#define IM_MAX_BYTES (16u << 20) /* larger is not an IMUNES topology */
#define IM_MAX_DEPTH 64          /* JSON nesting */
#define IM_MAX_IFACES 4096       /* of one node */

/* A value as written, with where it starts. */
struct im_str {
	char *s;
	struct vl_pos pos;
};

enum { IM_RIP = 1, IM_RIPNG = 2, IM_OSPF = 4, IM_OSPF6 = 8, IM_BGP = 16 };
#define IM_N_PROTOS 5 /* bit i of protos is extra[i] */

struct im_iface {
	char *id;      /* JSON "ifc0"; legacy: the name */
	char *name;    /* eth0 */
	struct vl_pos pos;
	bool lo;       /* a loopback (logical) interface */
	bool down;     /* "shutdown" */
	struct im_str mac;
	struct im_str mtu;    /* as written; 0 or none: the kernel's */
	struct im_str *addrs; /* IPv4 and IPv6, in order */
	size_t n_addrs;
	char *peer;    /* legacy: interface-peer's node; JSON: its "link" */
	struct vl_pos peer_pos;
	bool claimed;  /* a link is on it */
	bool p2p;      /* its link goes straight to another router */
	char *hook;    /* the name the model gives it */
};

struct im_node {
	char *id;
	struct vl_pos pos;
	struct im_str type, model, name;
	struct im_iface *ifs;
	size_t n_ifs;
	struct im_str *routes4, *routes6; /* "DST GW" */
	size_t n_routes4, n_routes6;
	unsigned protos;                   /* IM_... */
	/* Legacy: lines of a `router PROTO` section that IMUNES's own
	 * configuration does not have (`redistribute kernel`, ...), as
	 * written; frr.conf keeps them in that router's section. */
	struct im_str *extra[IM_N_PROTOS];
	size_t n_extra[IM_N_PROTOS];
	int auto_default;                  /* -1: not said, 0, 1 */
	struct vl_pos auto_pos;
	/* Legacy: `router bgp N` gives the AS (IMUNES's own default 1000);
	 * `network P area A` lines with an area other than the backbone make
	 * OSPF's areas the file's network lines, not one area per interface. */
	char bgp_as[11];
	bool ospf_networks;
	struct im_str *ospf_nets; /* the section's network lines, as written */
	size_t n_ospf_nets;
	bool custom_enabled;
	struct im_str custom_cmd, custom_cfg;
	long built;                        /* index in the model, -1 none */
	bool want_conf;                    /* frr.conf to write once links are in */
	char mname[VL_NAME_MAX + 1];       /* its name in the model */
};

enum { IM_L_BW, IM_L_DELAY, IM_L_BER, IM_L_LOSS, IM_L_DUP, IM_L_JUP, IM_L_JDOWN, IM_L__N };

struct im_link {
	char *id;
	struct vl_pos pos;
	struct im_str peers[2];
	struct im_str ifs[2]; /* JSON peers_ifaces (ids); legacy: resolved */
	struct im_str p[IM_L__N];
	struct im_str mirror;
	bool used;
};

struct im_topo {
	const char *file;
	bool json;
	struct im_node *nodes;
	size_t n_nodes;
	struct im_link *links;
	size_t n_links;
	int auto_default;    /* options: -1 not said */
	/* Router sections' own lines kept (im_node.extra): one warning. */
	unsigned n_kept;
	struct vl_pos kept_pos;
	char kept_first[64];
	/* What was ignored: one warning per kind. */
	struct im_ignored {
		char what[48];
		struct vl_pos pos;
		unsigned count;
	} ign[48];
	size_t n_ign;
	struct vl_err *warn, *err;
	int errors;
};

/* Readers: 0, or -1 with the errors in t->err (positions are the file's). */
int im_read_tcl(struct im_topo *t, const char *buf, size_t len);
int im_read_json(struct im_topo *t, const char *buf, size_t len);

/* Helpers both readers use. */
int im_errf(struct im_topo *t, struct vl_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void im_warnf(struct im_topo *t, struct vl_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Something the model has no place for: counted, said once per kind. */
void im_ignore(struct im_topo *t, const char *what, struct vl_pos pos);
char *im_strndup(const char *s, size_t n);
struct im_node *im_add_node(struct im_topo *t, const char *id, struct vl_pos pos);
struct im_link *im_add_link(struct im_topo *t, const char *id, struct vl_pos pos);
struct im_iface *im_add_iface(struct im_topo *t, struct im_node *n, const char *id,
			      struct vl_pos pos);
/* Takes s (malloc'd; NULL is out of memory). */
int im_add_str(struct im_topo *t, struct im_str **arr, size_t *n, char *s, struct vl_pos pos);
void im_set(struct im_str *dst, const char *s, size_t len, struct vl_pos pos);
void im_topo_free(struct im_topo *t);
/* Nodes or links given twice: refused (0, or -1 said). */
int im_check_ids(struct im_topo *t);
/* Which protocol "ospf6" is; 0 for none. */
unsigned im_proto(const char *s);

/* frr.conf for router n (model frr or quagga), as IMUNES's generator
 * writes it (router ids from the node id, areas on every interface).  A
 * malloc'd string, or NULL on ENOMEM. */
char *im_frr_conf(const struct im_node *n, const char *hostname);

/* Whether IMUNES's configuration of protocol bit `proto` already says
 * what the `router PROTO` section line `line` (its words, one blank
 * apart) says, or puts it another way (router ids, OSPF's `network ...
 * area 0.0.0.0` for its per-interface areas). */
bool im_frr_covers(unsigned proto, const char *line);

/* Default routes of pc/host n (built, links in) in model t, as IMUNES's
 * auto_default_routes: 0, or -1 said. */
int im_auto_routes(struct im_topo *it, struct vl_topo *t, struct im_node *n);

#endif
