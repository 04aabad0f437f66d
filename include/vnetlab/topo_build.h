/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_build.h — a topology model filled in by code, held to the loader's
 * rules.
 *
 * Promise: the model-level steps of vl_topo_load_* — adding nodes,
 * interfaces and links with the loader's name, kind and hook rules,
 * folding pipe nodes into the links they stand for, numbering hooks,
 * vl_validate() — for any filler: topo_parse.c fills a model from a YAML
 * tree with them, and a model built by a program (the vimage verbs,
 * src/vimage/to_topo.c) passes or fails exactly as the same model written
 * as a file would.
 *
 * Positions: a file's elements carry their line and column, and messages
 * say "FILE:LINE:COL: error: ..." (names NULL).  A built model's elements
 * carry whatever positions its builder gives them, and its vl_pos_names
 * writes them out, so a refusal names what the builder's user made (a
 * jail, a netgraph node, a hook, a command) rather than a line of text
 * nobody wrote.  Errors are collected, not fatal: up to 20 lines, then a
 * count.
 */
#ifndef VNETLAB_TOPO_BUILD_H
#define VNETLAB_TOPO_BUILD_H

#include <stdarg.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/netaddr.h"
#include "vnetlab/topo.h"

/* How messages name the positions of a built model: name() writes where
 * pos is into buf (len bytes), e.g. "jexec n1 ifconfig eth0". */
struct vl_pos_names {
	void (*name)(void *arg, struct vl_pos pos, char *buf, size_t len);
	void *arg;
};

/* Where pos is, as an error line begins: "FILE:LINE:COL" of t's file
 * when names is NULL, else what names says. */
void vl_pos_where(const struct vl_topo *t, const struct vl_pos_names *names,
		  struct vl_pos pos, char *buf, size_t len);
/* How a message refers to another element: "line N", or names'. */
void vl_pos_ref(const struct vl_pos_names *names, struct vl_pos pos, char *buf, size_t len);

struct vl_build {
	struct vl_topo *t; /* being filled; the caller's after vl_build_finish */
	struct vl_err *err;
	const struct vl_pos_names *names; /* NULL: positions are a file's */
	int errors;
};

/* An empty model from `file` (as given, for messages).  0, or -ENOMEM
 * with err set. */
int vl_build_begin(struct vl_build *b, const char *file, const struct vl_pos_names *names,
		   struct vl_err *err);
/* One problem at pos ("WHERE: error: MESSAGE"); always -1. */
int vl_build_errf(struct vl_build *b, struct vl_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vl_build_verrf(struct vl_build *b, struct vl_pos pos, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Append one zeroed element to *arr (of *n, each size bytes); NULL on
 * ENOMEM.  For the lists a filler fills itself (routes, commands). */
void *vl_build_grow(void **arr, size_t *n, size_t size);

/* The lab's name, checked as a file's `name:` is. */
int vl_build_lab(struct vl_build *b, const char *name, struct vl_pos pos);
/* A node (hostname = name): its index, or -1 for a name no node may have. */
long vl_build_node(struct vl_build *b, const char *name, enum vl_kind kind, struct vl_pos pos);
int vl_build_hostname(struct vl_build *b, struct vl_node *n, const char *s, struct vl_pos pos);
/* `host: NAME`: node n (of any kind) pinned to a host of a lab over
 * several hosts (hosts.h); the name is checked, the host is not (that is
 * the placement's, which has the hosts file). */
int vl_build_host_pin(struct vl_build *b, struct vl_node *n, const char *s, struct vl_pos pos);
/* An interface declared on vnet node n (not made by a link); NULL when
 * refused. */
struct vl_iface *vl_build_iface(struct vl_build *b, struct vl_node *n, const char *name,
				struct vl_pos pos);
int vl_build_mac(struct vl_build *b, struct vl_iface *f, const char *mac, struct vl_pos pos);
int vl_build_addr(struct vl_build *b, struct vl_iface *f, const struct vl_ip *ip,
		  struct vl_pos pos);
/* An address on vnet node n's loopback; lo's own (127.0.0.0/8, ::1)
 * are refused, the kernel holds them already. */
int vl_build_lo_addr(struct vl_build *b, struct vl_node *n, const struct vl_ip *ip,
		     struct vl_pos pos);
/* Every node is in: the name index is made, and a name given twice (a
 * node's, or an interface's on one node) is refused, as a file's YAML
 * refuses a duplicate key.  Before the first link. */
int vl_build_nodes_done(struct vl_build *b);
/* Link l (its pos, directions and impl set) between "node:hook" ends[0]
 * and ends[1], at end_pos; `at` is where its endpoints are written.  A
 * hook a link names comes into being (netgraph's mkpeer/connect), if the
 * node's kind has such a hook; a hook carries one link.  An end NULL is
 * one the caller refused already: the other is still checked (every
 * mistake said), and the link is not made.  A tunnel end (l->has_tunnel,
 * docs/multihost.md) names one hook, ends[0] at end_pos[0] (ends[1] and
 * end_pos[1] are not read); ep[1] becomes ep[0]'s copy, and its tunnel
 * and directions are checked with the rest by vl_build_finish. */
int vl_build_link(struct vl_build *b, const struct vl_link *l, struct vl_pos at,
		  const char *const ends[2], const struct vl_pos end_pos[2]);
/* The rest of loading: pipe nodes folded into their links, hooks
 * numbered, vl_validate().  0 with *out the model, or -EINVAL with every
 * problem in err; either way b->t is NULL after (nothing left to free).
 * A build that met any error before fails here. */
int vl_build_finish(struct vl_build *b, struct vl_topo **out);

#endif
