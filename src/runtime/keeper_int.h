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
#include "vnetlab/service.h"

enum svc_state { SVC_STOPPED, SVC_STARTING, SVC_RUNNING, SVC_EXITED, SVC_FAILED };

/* One service of one node, as the keeper runs it (keeper_svc.c). */
struct svc_run {
	size_t node;                 /* in topo */
	const struct vl_service *def;
	struct vl_svc_plan plan;     /* made at each start (FRR reads the node's files) */
	pid_t *pid;                  /* by plan.procs: 0 when not running */
	enum svc_state state;
	int code;                    /* EXITED/FAILED: exit status, 128+signal */
	char who[VL_SVC_NAME_MAX + 1]; /* the process that went */
	bool stopping;
	char log[4096];
};

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
	struct svc_run *svcs;  /* every service of every node, in file order */
	size_t n_svcs;
};

/* How often an idle keeper checks that its state directory still exists. */
#define VL_KEEPER_WATCH_MS 1000

/* ---- keeper.c: the keeper's life */

bool kpr_report(struct keeper *k, const char *fmt, const char *arg);
void kpr_teardown(struct keeper *k);
void kpr_progress(void *arg, size_t done, size_t total);
int kpr_keeper_main(struct keeper *k);

/* ---- keeper_svc.c: services */

/* Whether this host has what the topology's services need. */
int kpr_services_check(const struct vl_topo *t, struct vl_err *err);
/* Views of nodes that bind or run something, then every service; a
 * service that fails to start fails `up` (unless --keep-going). */
int kpr_services_start(struct keeper *k, struct vl_err *err);
/* Every service stopped, last started first. */
void kpr_services_stop(struct keeper *k);
void kpr_services_free(struct keeper *k);
void kpr_services_save(struct keeper *k);
/* pid, a child that exited with status: true when it was a service's. */
bool kpr_services_reaped(struct keeper *k, pid_t pid, int status);
int kpr_service_request(struct keeper *k, char *args, struct vl_err *err);
/* k->topo changed from old (a live graph change): services follow their
 * node by name; those gone are stopped, new ones started. */
void kpr_services_rebind(struct keeper *k, const struct vl_topo *old);

/* ---- keeper_serve.c: requests */

int kpr_save_topology(struct keeper *k, struct vl_err *err);
void kpr_serve(struct keeper *k);

#endif
