/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_read.h — what the topology loader's files share (private to them:
 * topo_parse.c, topo_soft.c, topo_read.c).  The link names carry a tpr_
 * prefix so the static library exports nothing a program could clash
 * with; the loader's own code keeps its short names. */
#ifndef VNETLAB_TOPO_READ_H
#define VNETLAB_TOPO_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/topo.h"
#include "vnetlab/topo_build.h"
#include "vnetlab/yamltree.h"

/* One load: the file named in messages, and the model being filled with
 * its errors (topo_build.h). */
struct pctx {
	const char *file;
	struct vl_build b;
	struct vl_topo *t; /* b.t */
};

#define perr tpr_perr
#define perr_at tpr_perr_at
#define pos_of tpr_pos_of
#define want tpr_want
#define known_keys tpr_known_keys
#define get_str tpr_get_str
#define get_bool tpr_get_bool
#define get_uint tpr_get_uint
#define get_ip tpr_get_ip
#define parse_soft tpr_parse_soft
#define parse_bind tpr_parse_bind

/* "file:line:col: error: ..." at n (or at a position kept in the model);
 * always -1, so a reader can `return perr(...)`. */
__attribute__((format(printf, 3, 4))) int perr(struct pctx *c, const struct vl_ynode *n,
					       const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int perr_at(struct pctx *c, struct vl_pos pos,
						  const char *fmt, ...);
struct vl_pos pos_of(const struct vl_ynode *n);
/* n is of type t, else an error naming what it should have been. */
int want(struct pctx *c, const struct vl_ynode *n, enum vl_ytype t, const char *what);
/* Every key of m is one of keys (NULL-terminated): a typo is an error. */
int known_keys(struct pctx *c, const struct vl_ynode *m, const char *where,
	       const char *const *keys);
int get_str(struct pctx *c, const struct vl_ynode *n, const char *what, const char **out);
int get_bool(struct pctx *c, const struct vl_ynode *n, const char *what, bool *out);
int get_uint(struct pctx *c, const struct vl_ynode *n, const char *what, unsigned long lo,
	     unsigned long hi, unsigned long *out);
int get_ip(struct pctx *c, const struct vl_ynode *n, bool need_plen, const char *what,
	   struct vl_ip *out);
/* Append one zeroed element to *arr (count *n); NULL on ENOMEM. */
#define grow vl_build_grow

/* topo_soft.c: a vnet node's private, binds, files and services keys of
 * mapping m. */
int parse_soft(struct pctx *c, struct vl_node *node, const struct vl_ynode *m);
/* One bind, containerlab's SRC:DST[:ro|:rw] (n a scalar), SRC relative to
 * the file's directory; also the containerlab importer's (import_clab.c). */
int parse_bind(struct pctx *c, struct vl_node *node, const struct vl_ynode *n);

#endif
