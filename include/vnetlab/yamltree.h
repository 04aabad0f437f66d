/* SPDX-License-Identifier: BSD-2-Clause */
/* yamltree.h — a YAML document as a small tree whose every node knows its
 * file:line:column.
 *
 * Promise: vl_yaml_parse() either returns a tree of one document or fails
 * with "file:line:col: error: reason".  It refuses, in bounded time and
 * memory: aliases (no billion-laughs), duplicate mapping keys, more than one
 * document, nesting deeper than VL_YAML_MAX_DEPTH, more than
 * VL_YAML_MAX_NODES nodes, and anything libyaml itself rejects (NUL bytes,
 * invalid UTF-8, syntax errors).  Scalars are NUL-terminated copies.
 */
#ifndef VNETLAB_YAMLTREE_H
#define VNETLAB_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"

#define VL_YAML_MAX_DEPTH 64
#define VL_YAML_MAX_NODES 2000000
#define VL_YAML_MAX_BYTES (64u << 20)

enum vl_ytype { VL_Y_SCALAR, VL_Y_MAP, VL_Y_SEQ };

struct vl_ynode {
	enum vl_ytype type;
	int line, col;  /* 1-based position of the node's first character */
	char *str;      /* scalar text (VL_Y_SCALAR) */
	bool quoted;    /* scalar was written '...' or "..." */
	/* VL_Y_SEQ: n items.  VL_Y_MAP: n pairs, key kv[2i], value kv[2i+1]. */
	struct vl_ynode **kv;
	size_t n;
	size_t cap;    /* slots allocated in kv */
	bool key_open; /* map under construction: key seen, value pending */
};

int vl_yaml_parse(const char *file, const char *buf, size_t len,
		  struct vl_ynode **out, struct vl_err *err);
void vl_ynode_free(struct vl_ynode *n);

/* Mapping lookup by key text; NULL when absent or when m is not a map. */
struct vl_ynode *vl_ymap_get(const struct vl_ynode *m, const char *key);

#endif
