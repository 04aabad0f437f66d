/* SPDX-License-Identifier: BSD-2-Clause */
/* view.h — a vnet node's filesystem view, as a list of mounts to make.
 *
 * A vnet jail has its own root (path=); a vnetlab node sees the host's
 * filesystem with some directories of its own on top.  vl_view_build()
 * turns a node of the model (private directories, binds, inline files,
 * and what its services need) into the entries a backend makes, in
 * order: every tmpfs first (parents before children), then binds and
 * files by path (so a file lands on top of a directory bound around it).
 * The Linux backend makes them in a mount namespace of the node's own;
 * the FreeBSD backend renders them as nullfs and tmpfs mounts under the
 * jail's path=.  Nothing here touches the system.
 */
#ifndef VNETLAB_VIEW_H
#define VNETLAB_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/topo.h"

/* Each private tmpfs is capped at this size (tmpfs's size=). */
#define VL_VIEW_TMPFS_SIZE "64m"

enum vl_view_kind {
	VL_VIEW_TMPFS, /* an empty tmpfs of the node's own at path */
	VL_VIEW_BIND,  /* src (a host file or directory) at path */
	VL_VIEW_FILE,  /* content written at path */
	VL_VIEW_DIR,   /* a directory at path (made inside a tmpfs of the view) */
};

/* Who owns what the view makes: the node's root, or (root mode) the
 * account a service drops to, e.g. FRR's "frr". */
#define VL_VIEW_OWNER_MAX 32

struct vl_view_ent {
	enum vl_view_kind kind;
	char *path;
	char *src;           /* BIND */
	char *content;       /* FILE */
	size_t len;
	bool ro;             /* BIND: read-only */
	bool if_absent;      /* FILE: a default, written only inside a tmpfs of the
				view and only where nothing is (never into a
				directory the file binds) */
	unsigned mode;       /* TMPFS, FILE, DIR */
	char owner[VL_VIEW_OWNER_MAX]; /* "" the node's root */
	struct vl_pos pos;   /* where the file asked for it (0:0: vnetlab) */
	size_t seq;          /* order added (keeps the sort stable) */
};

struct vl_view {
	struct vl_view_ent *e;
	size_t n;
};

struct vl_view_opts {
	bool rootless;       /* services run as the node's root, not as their user */
	const char *group_file; /* the host's group database, for FRR; NULL: /etc/group */
	/* Where the view's /run is: NULL, /run (Linux, where /var/run points
	 * there); FreeBSD has no /run, its runtime directory is /var/run.
	 * Every entry at or under /run moves there. */
	const char *run_dir;
};

/* The view of node n; an empty view (n == 0) for a switch.  0, or
 * -errno with err set (ENOMEM; a service's need the host cannot meet). */
int vl_view_build(const struct vl_node *n, const struct vl_view_opts *o,
		  struct vl_view *out, struct vl_err *err);
void vl_view_free(struct vl_view *v);
/* Append one entry (strings copied; content may hold NULs, len says). */
int vl_view_add(struct vl_view *v, enum vl_view_kind kind, const char *path,
		const char *src, const char *content, size_t len, struct vl_pos pos);
/* The tmpfs entry of v that path lies in or on, or NULL. */
const struct vl_view_ent *vl_view_tmpfs_of(const struct vl_view *v, const char *path);
/* Whether a node's view must be made when the lab comes up (it binds,
 * writes or runs something), rather than on first use. */
bool vl_view_eager(const struct vl_node *n);

#endif
