/* SPDX-License-Identifier: BSD-2-Clause */
/* be.h — inside the FreeBSD backend (freebsd.h): its state, shared by
 * backend.c (plan ops to commands), undo.c (issuing a command and keeping
 * its undo; the teardown as data) and view.c (a vnet jail's root). */
#ifndef VNETLAB_FREEBSD_BE_H
#define VNETLAB_FREEBSD_BE_H

#include "vnetlab/freebsd.h"

#include "cmd.h"

/* Where each vnet jail's directory is: FB_JAILS_DIR/LAB.NODE, named like
 * the jail (jail names are the host's, and so are these). */
#define FB_JAILS_DIR "/var/run/vnetlab"

struct undo {
	struct fb_cmd cmd;
	size_t step; /* the step it undoes */
};

struct text {
	char *s;
	size_t len, cap;
};

struct fbsd_be {
	struct vl_backend base;
	struct vl_fbsd_opts o;
	struct text ng, ng_undo;      /* the pending netgraph batch, its undo */
	struct fb_cmd *later;         /* commands waiting for the batch */
	size_t n_later, cap_later;
	struct undo *undo;
	size_t n_undo, cap_undo;
	size_t step;                  /* commands issued */
	int next_unit;                /* next ngeth<N> */
	int *unit;                    /* by hook gid: its eiface unit, -1: none */
	bool *made;                   /* by node: a tee exists */
	bool bridge_names_ok;
};

#define FB(be) ((struct fbsd_be *)(be))

static inline const struct vl_topo *topo_of(const struct fbsd_be *b)
{
	return b->base.plan->topo;
}

/* ---- undo.c ---------------------------------------------------------------- */

/* Run (or, rendering, print) c as the next step; keep its undo when it
 * succeeds (undo may be fb_none()).  Takes both. */
int fb_issue(struct fbsd_be *b, struct fb_cmd c, struct fb_cmd undo, struct vl_err *err);
struct fb_cmd fb_none(void);
/* Every undo kept, newest first: run (going on past a failure; the first
 * error is returned) or printed with "undoes STEP"; the list is emptied. */
int fb_undo_all(struct fbsd_be *b, struct vl_err *err);
void fb_undo_free(struct fbsd_be *b);

/* ---- view.c ---------------------------------------------------------------- */

/* What `up` makes before the first jail's root: their common directory. */
int fb_view_base(struct fbsd_be *b, struct vl_err *err);
/* Vnet node i's root, made with its view on top (commands issued, each
 * with its undo); its path (the jail's path=) into root. */
int fb_view_make(struct fbsd_be *b, size_t i, char *root, size_t len, struct vl_err *err);
/* Before anything runs (o.host_root set): every mount point of node i's
 * view that is not made inside a tmpfs of the view exists on the host as
 * what is mounted on it, and no path to it leaves through a symbolic
 * link.  0, or -ENOENT with one error line per problem. */
int fb_view_check(struct fbsd_be *b, size_t i, struct vl_err *err);

#endif
