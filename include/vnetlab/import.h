/* SPDX-License-Identifier: BSD-2-Clause */
/* import.h — other tools' topology files as vnetlab models.
 *
 * Promise: vl_topo_load_any() reads a vnetlab topology, an IMUNES .imn
 * (the JSON form IMUNES writes today, or the legacy Tcl-list form) or a
 * containerlab topology, recognised by content (never by the file name
 * alone), and gives the same fully validated model vl_topo_load_file()
 * gives.  Errors point at FILE:LINE:COL of the file the user gave.
 * Whatever an importer ignores or approximates is one line in warn
 * ("FILE:LINE:COL: warning: ..."), never silently dropped; what cannot
 * work is refused with the reason.  Each importer is its own file
 * (src/model/import_*.c) with the signature of vl_import_fn.
 */
#ifndef VNETLAB_IMPORT_H
#define VNETLAB_IMPORT_H

#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/topo.h"

enum vl_format {
	VL_FMT_VNETLAB,     /* vnetlab's own YAML (or the JSON topo_json writes) */
	VL_FMT_IMUNES_JSON, /* IMUNES .imn, JSON form */
	VL_FMT_IMUNES_TCL,  /* IMUNES .imn, legacy Tcl lists */
	VL_FMT_CLAB,        /* containerlab .clab.yml */
	VL_FMT__COUNT
};

/* What buf (a whole file) is. */
enum vl_format vl_format_detect(const char *buf, size_t len);
/* "vnetlab", "IMUNES (JSON)", "IMUNES (legacy)", "containerlab". */
const char *vl_format_name(enum vl_format f);

/* file: the name for messages (and the base of relative paths). */
typedef int (*vl_import_fn)(const char *file, const char *buf, size_t len,
			    struct vl_topo **out, struct vl_err *warn, struct vl_err *err);

int vl_import_imunes_json(const char *file, const char *buf, size_t len,
			  struct vl_topo **out, struct vl_err *warn, struct vl_err *err);
int vl_import_imunes_tcl(const char *file, const char *buf, size_t len,
			 struct vl_topo **out, struct vl_err *warn, struct vl_err *err);
int vl_import_clab(const char *file, const char *buf, size_t len, struct vl_topo **out,
		   struct vl_err *warn, struct vl_err *err);

/* Any format, by content.  *format (may be NULL) says which it was. */
int vl_topo_load_any(const char *path, struct vl_topo **out, enum vl_format *format,
		     struct vl_err *warn, struct vl_err *err);
int vl_topo_load_any_buffer(const char *file, const char *buf, size_t len,
			    struct vl_topo **out, enum vl_format *format, struct vl_err *warn,
			    struct vl_err *err);

/* Mininet's --topo: "minimal", "single,K", "reversed,K", "linear,K[,N]",
 * "tree,DEPTH[,FANOUT]" with Mininet's names (h1..hN, s1..sK; h1-eth0,
 * switch port sK-ethP as bridge hook linkP) and addresses (10.0.0.1/8 ...
 * in Mininet's order); "torus" and "ring" are refused (they loop without
 * a spanning tree).  link ("[tc,]bw=10,delay=5ms,loss=1,jitter=1ms,
 * max_queue_size=N", Mininet's --link tc options; NULL: none) on both
 * directions of every link.  The lab is named "linear4", "tree2-2" ...
 * Refusals name the --topo or --link argument (docs/mininet.md). */
int vl_topo_mininet(const char *spec, const char *link, struct vl_topo **out,
		    struct vl_err *err);
/* The same, with flags: VL_MN_MAC gives host N the MAC 00:00:00:00:00:N
 * (mn --mac). */
#define VL_MN_MAC 1u
int vl_topo_mininet_flags(const char *spec, const char *link, unsigned flags,
			  struct vl_topo **out, struct vl_err *err);

#endif
