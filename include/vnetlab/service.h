/* SPDX-License-Identifier: BSD-2-Clause */
/* service.h — what a node's services are made of (topo.h's vl_service):
 * the processes to run, in order, and how each shows it serves; what to
 * run once they all do; what stops them; and what they need in the
 * node's filesystem view.  The keeper runs them (keeper_svc.c); nothing
 * here starts anything.
 *
 * frr: the host's FRR (Debian's frr).  The node's /etc/frr/daemons says
 * which daemons run (zebra, mgmtd where the version has it, and staticd
 * always, as FRR's own frrinit does); without one, the protocols its
 * frr.conf configures.  Each runs in the foreground with --log stdout, as
 * the account FRR drops to (root mode) or as the node's root (rootless,
 * where no other account exists); then `vtysh -b` loads frr.conf.
 * bird: BIRD 2 (Debian's bird2) with the node's /etc/bird/bird.conf.
 */
#ifndef VNETLAB_SERVICE_H
#define VNETLAB_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/topo.h"
#include "vnetlab/view.h"

/* Where FRR's daemons are, unless $VNETLAB_FRR_DIR (absolute) says. */
#define VL_FRR_LIBDIR "/usr/lib/frr"

struct vl_svc_proc {
	char label[VL_SVC_NAME_MAX + 1]; /* "zebra", "bird", or the service's name */
	char **argv;                     /* NULL-terminated */
	char ready_path[128];            /* exists in the view once it serves; "" none */
};

struct vl_svc_plan {
	struct vl_svc_proc *procs;
	size_t n_procs;
	char **post;  /* run once all procs serve (frr: vtysh -b); NULL none */
	char **ready; /* polled until it exits 0; NULL none */
	char **stop;  /* run to stop them, before SIGTERM; NULL none */
	char note[256]; /* said in the service's log first (e.g. which daemons) */
};

/* Entries service s of node n needs in the node's view. */
int vl_service_view(const struct vl_service *s, const struct vl_node *n,
		    const struct vl_view_opts *o, struct vl_view *v, struct vl_err *err);

/* This host has what s needs; else "FILE:L:C: error: ..." naming the
 * Debian package to install, or the file the service lacks. */
int vl_service_host_check(const struct vl_service *s, const struct vl_node *n,
			  const char *file, struct vl_err *err);

/* The processes of s.  frr: daemons and conf are the node's
 * /etc/frr/daemons and /etc/frr/frr.conf as the node sees them (NULL:
 * absent).  0, or -errno with err set. */
int vl_service_plan(const struct vl_service *s, const char *daemons, const char *conf,
		    bool rootless, struct vl_svc_plan *out, struct vl_err *err);
void vl_svc_plan_free(struct vl_svc_plan *p);

/* FRR's daemons that daemons (or, when NULL, conf) asks for, in start
 * order, into names; how many. */
size_t vl_frr_daemons(const char *daemons, const char *conf, const char **names, size_t max);

#endif
