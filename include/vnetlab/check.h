/* SPDX-License-Identifier: BSD-2-Clause */
/* check.h — probe every addressed node from every other one.
 *
 * Promise: vl_check_run() sends opts.count ICMP echo requests from each
 * vnet node that has an address to every non-link-local address of every
 * other vnet node (in the families the source has), from inside the
 * namespaces, and fills one vl_probe per (source, address).  It never
 * sends outside the lab's namespaces.  The JSON form (vl_check_json) is
 * the same on every backend; docs/topology.md documents it.
 */
#ifndef VNETLAB_CHECK_H
#define VNETLAB_CHECK_H

#include <json-c/json.h>
#include <stdbool.h>
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

/* There was something to probe, and every probe answered at least once. */
bool vl_check_ok(const struct vl_check *c);
void vl_check_print_matrix(const struct vl_check *c, FILE *out);
struct json_object *vl_check_json(const struct vl_check *c);

#endif
