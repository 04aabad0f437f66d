/* SPDX-License-Identifier: BSD-2-Clause */
/* clab.h — what the containerlab importer's files share (private to
 * import_clab.c, the nodes, and import_clab_links.c, the links and the
 * exec commands that become addresses and routes).  Link names carry a
 * clab_ prefix. */
#ifndef VNETLAB_CLAB_H
#define VNETLAB_CLAB_H

#include <stdbool.h>
#include <stddef.h>

#include "topo_read.h"

/* An address or route an exec command set ("ip addr add ..."), applied
 * once the links have made the interfaces. */
struct clab_pend {
	bool is_route;
	char dev[VL_NAME_MAX + 1];
	struct vl_ip ip;        /* the address */
	struct vl_route r;      /* the route */
	struct vl_pos pos;
};

/* One containerlab node. */
struct clab_node {
	const char *name;       /* as the file spells it */
	long ix;                /* vnetlab's node, -1 when refused */
	enum vl_kind kind;
	bool frr;               /* containerlab's kind frr: the host's FRR */
	/* A bridge's ports, by containerlab's name: port i is hook "link<i>". */
	char (*ports)[VL_NAME_MAX + 1];
	size_t n_ports;
	struct clab_pend *pend;
	size_t n_pend;
};

struct clab_name {
	const char *name;
	size_t i;
};

struct clab_ctx {
	struct pctx p;
	struct vl_err *warn;
	const struct vl_ynode *defaults, *kinds, *groups;
	struct clab_node *nodes;
	size_t n_nodes;
	struct clab_name *by_name; /* the nodes sorted by containerlab name */
	unsigned once;          /* CLAB_ONCE_... warnings already given */
	bool ignored[64];       /* node keys already warned about */
};

enum {
	CLAB_ONCE_LABELS = 1u << 0,
	CLAB_ONCE_MGMT = 1u << 1,
	CLAB_ONCE_IPCMD = 1u << 2,
	CLAB_ONCE_ENV = 1u << 3,
	CLAB_ONCE_VARS = 1u << 4,
	CLAB_ONCE_ETH0 = 1u << 5,
};

#define clab_warn tpr_clab_warn
#define clab_warn_once tpr_clab_warn_once
#define clab_links tpr_clab_links
#define clab_exec tpr_clab_exec
#define clab_apply_pending tpr_clab_apply_pending
#define clab_expand_env tpr_clab_expand_env

/* "FILE:LINE:COL: warning: ..." at n into c->warn. */
__attribute__((format(printf, 3, 4))) void clab_warn(struct clab_ctx *c,
						     const struct vl_ynode *n,
						     const char *fmt, ...);
/* The same, only the first time `bit` is asked for. */
__attribute__((format(printf, 4, 5))) void clab_warn_once(struct clab_ctx *c, unsigned bit,
							  const struct vl_ynode *n,
							  const char *fmt, ...);
/* topology.links (may be NULL), after vl_build_nodes_done. */
int clab_links(struct clab_ctx *c, const struct vl_ynode *links);
/* Node cn's exec list with env ("K=V" strings, n_env of them) into
 * startup commands, or pending addresses and routes. */
int clab_exec(struct clab_ctx *c, struct clab_node *cn, const struct vl_ynode *exec,
	      char **env, size_t n_env);
/* Every node's pending addresses and routes, once links are in. */
int clab_apply_pending(struct clab_ctx *c);
/* The host's environment expanded in every scalar of the file, as
 * containerlab expands the file (clab_env.c); -1 with errors given. */
int clab_expand_env(struct clab_ctx *c, struct vl_ynode *root);

#endif
