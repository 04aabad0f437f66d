/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper_int.h — the keeper's own state and what its files share:
 * keeper.c (the keeper's life: build, serve, tear down), keeper_serve.c
 * (the control socket's requests), keeper_up.c (`vnetlab up`'s side:
 * claiming the name, spawning the keeper, waiting for its report).
 * Private to them: the rest of the program sees vnetlab/keeper.h. */
#ifndef VNETLAB_KEEPER_INT_H
#define VNETLAB_KEEPER_INT_H

#include "vnetlab/backend.h"
#include "vnetlab/fault.h"
#include "vnetlab/keeper.h"
#include "vnetlab/lab.h"
#include "vnetlab/plan.h"

struct keeper {
	const struct vl_topo *topo;
	const struct vl_lab_paths *paths;
	const struct vl_up_opts *opts;
	struct vl_plan plan;
	struct vl_backend *be;
	int sigfd;
	int report;  /* pipe to `up`, -1 once detached */
	int listen;
	int pidns, userns;
	double last_progress;
	struct vl_fault fault; /* VNETLAB_FAULT, for the tests */
	int lockfd;            /* the lab's lock, held for its whole life */
};

/* How often an idle keeper checks that its state directory still exists. */
#define VL_KEEPER_WATCH_MS 1000

/* ---- keeper.c: the keeper's life */

bool kpr_report(struct keeper *k, const char *fmt, const char *arg);
void kpr_teardown(struct keeper *k);
void kpr_progress(void *arg, size_t done, size_t total);
int kpr_keeper_main(struct keeper *k);

/* ---- keeper_serve.c: requests */

int kpr_save_topology(struct keeper *k, struct vl_err *err);
void kpr_serve(struct keeper *k);

#endif
