/* SPDX-License-Identifier: BSD-2-Clause */
/* check.h — probe every addressed node from every other one.
 *
 * Promise: vl_check_run() sends opts.count ICMP echo requests from each
 * vnet node that has an address to every non-link-local address of every
 * other vnet node (in the families the source has), from inside the
 * namespaces, and fills one vl_probe per (source, address).  It never
 * sends outside the lab's namespaces.  The JSON form (vl_check_json) is
 * the same on every backend; docs/topology.md documents it.
 *
 * vl_check_converge() is vl_check_run() again and again until every
 * target answers or a time runs out (`check --wait`): see there.
 */
#ifndef VNETLAB_CHECK_H
#define VNETLAB_CHECK_H

#include <json-c/json.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vnetlab/lab.h"
#include "vnetlab/netaddr.h"

#define VL_CHECK_MAX_COUNT 10000
/* --timeout: the longest wait for replies after the last round, in ms.
 * check stops as soon as every probe sent has its reply. */
#define VL_CHECK_MIN_TIMEOUT_MS 1
#define VL_CHECK_MAX_TIMEOUT_MS 600000

struct vl_check_opts {
	unsigned count;       /* probes per target */
	double interval_ms;   /* between rounds */
	double timeout_ms;    /* wait after the last round */
};

struct vl_probe {
	size_t src, dst;      /* node indexes in state.json "nodes" */
	struct vl_ip ip;
	unsigned sent, received;
	int send_errno;       /* why nothing could be sent (ENETUNREACH), else 0 */
	double rtt_min, rtt_max, rtt_sum; /* ms; -1 when nothing came back */
};

struct vl_check {
	struct vl_check_opts opts;
	struct json_object *state;  /* reference held */
	struct vl_probe *probes;
	size_t n_probes;
	double *sent_at;            /* [probe * count + round], ms */
	uint8_t *got;               /* likewise: that round's reply came */
	size_t outstanding;         /* sent, not answered yet */
};

int vl_check_run(const struct vl_lab_paths *p, struct json_object *state,
		 const struct vl_check_opts *o, struct vl_check *c,
		 struct vl_err *err);
void vl_check_free(struct vl_check *c);

/* --wait: how long a check may try for every target to answer, in s. */
#define VL_CHECK_MAX_WAIT_S 3600
/* Between two re-probes of the targets still silent, in ms. */
#define VL_CHECK_REPROBE_MS 200

/* What vl_check_converge() found besides the report (its vl_check). */
struct vl_convergence {
	double limit_ms;      /* the wait asked for */
	bool converged;       /* a full round in which every target answered */
	bool interrupted;     /* *cancel became non-zero before that */
	double took_ms;       /* to the end of that round, else of the wait */
	unsigned rounds;      /* probing rounds, the full ones and re-probes */
	unsigned full_rounds;
	/* Per probe of the report: 1 when that target has not answered since
	 * the report's round (NULL when nothing was probed). */
	uint8_t *silent;
	size_t n_silent;      /* how many are 1 */
	size_t answered_since; /* silent in the report's round, heard later */
};

/* A routing lab converges: probe until a full round answers everywhere
 * or wait_ms (0 < wait_ms <= VL_CHECK_MAX_WAIT_S s) run out.  The first
 * round is vl_check_run()'s; while some target is silent, only the
 * silent ones are probed again, one echo each every VL_CHECK_REPROBE_MS
 * (a reply to any of them counts); once each has answered, a full round
 * (o's count and timeout) confirms — if a target fails it, its silent
 * ones are re-probed again.  No round lasts past the deadline.  c is the
 * last full round: when w->converged, one in which every target
 * answered (vl_check_ok), so the verdict never rests on answers from
 * different moments.  cancel, if not NULL, ends the wait when it becomes
 * non-zero (a signal handler's flag).  Returns as vl_check_run(); free
 * c and w with vl_check_free() and vl_convergence_free(). */
int vl_check_converge(const struct vl_lab_paths *p, struct json_object *state,
		      const struct vl_check_opts *o, double wait_ms,
		      volatile sig_atomic_t *cancel, struct vl_check *c,
		      struct vl_convergence *w, struct vl_err *err);
void vl_convergence_free(struct vl_convergence *w);

/* A lab over several hosts (multihost.h): each host probes from its own
 * nodes (a state node with "remote": true is a target only), and the
 * controller adds each host's `check --json` report to one vl_check whose
 * state lists every node (c->state and c->opts set, no probes yet):
 * results naming a node or address it does not know are refused. */
int vl_check_add_json(struct vl_check *c, struct json_object *report, struct vl_err *err);

/* There was something to probe, and every probe answered at least once. */
bool vl_check_ok(const struct vl_check *c);
void vl_check_print_matrix(const struct vl_check *c, FILE *out);
struct json_object *vl_check_json(const struct vl_check *c);
/* "converged after 3.4 s (5 rounds)" or "not converged after 60.0 s (298
 * rounds): 2 of 30 node pairs still silent: a -> b, ..." and a newline. */
void vl_convergence_print(const struct vl_check *c, const struct vl_convergence *w,
			  FILE *out);
/* The "wait" member of `check --wait --json`: {limit_s, converged,
 * seconds, rounds, full_rounds, interrupted, silent: [{src, dst, addr}]}. */
struct json_object *vl_convergence_json(const struct vl_check *c,
					const struct vl_convergence *w);

#endif
