/* SPDX-License-Identifier: BSD-2-Clause */
/* multihost.h — a lab over several hosts, driven from one controller
 * (docs/multihost.md).
 *
 * Promise: the controller keeps one record per such lab,
 * <state root>/.hosts/<LAB>.json (0600), written *before* any host is
 * asked to build, so that after a crash or kill -9 at any moment `down`
 * and `cleanup` still know every host that may hold a part.  The record
 * holds each host (name, ssh destination and options, vnetlab command
 * line, underlay address) and the names of the nodes placed there, and a
 * state: "building" until every part is up, then "up".  Each host runs
 * its part as a lab of the same name, through remote.h (one multiplexed
 * ssh connection per host, its socket under <state root>/.ssh).  Every
 * per-host operation runs on all hosts at once (a thread each).
 *
 * vl_mh_up() fails as a whole: when any host fails, every host is asked
 * to take its part down (parts not made are no error), and the record
 * goes only when all of them answered.  vl_mh_down() asks every host; a
 * host that cannot be reached is named, with the nodes that may be left
 * there, and the record stays so that a later `down` tries again.
 */
#ifndef VNETLAB_MULTIHOST_H
#define VNETLAB_MULTIHOST_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "vnetlab/err.h"
#include "vnetlab/hosts.h"
#include "vnetlab/place.h"
#include "vnetlab/remote.h"
#include "vnetlab/topo.h"

/* A lab's record, opened: hosts[] point into rec. */
struct vl_mh_lab {
	char name[VL_LABNAME_MAX + 1];
	char path[4096];     /* the record */
	char ctl[4096];      /* ssh control sockets */
	struct json_object *rec;
	struct vl_remote_host *hosts;
	size_t n_hosts;
};

/* What each host answered to one vl_mh_each(). */
struct vl_mh_answer {
	struct vl_remote_result r;
	struct vl_err err;
	int rc;              /* vl_remote_run's: <0 when ssh could not run */
};

/* The record's path for lab under root. */
void vl_mh_record_path(const char *root, const char *lab, char *out, size_t len);
bool vl_mh_exists(const char *root, const char *lab);
/* Each recorded lab's name, for ls and cleanup: fn's non-zero stops. */
int vl_mh_foreach(const char *root, int (*fn)(const char *lab, void *arg), void *arg);

int vl_mh_open(const char *root, const char *lab, struct vl_mh_lab *m, struct vl_err *err);
void vl_mh_close(struct vl_mh_lab *m);
/* The host holding node, or -1. */
long vl_mh_host_of(const struct vl_mh_lab *m, const char *node);
/* The record's state ("building", "up"). */
const char *vl_mh_state(const struct vl_mh_lab *m);

/* Run `vnetlab ARGS...` on every host (only[i] false: skipped) at once,
 * host i's stdin in[i] (NULL: none; tied: in[i], a NUL, and stdin held
 * open until the remote exits, for `up - --tied`); ans[i] per host, freed with
 * vl_mh_answers_free.  Returns how many hosts failed (ssh or a non-zero
 * status). */
size_t vl_mh_each(const struct vl_mh_lab *m, const char *const *args,
		  const char *const *in, const bool *only, int timeout_ms, bool tied,
		  struct vl_mh_answer *ans);
void vl_mh_answers_free(struct vl_mh_answer *ans, size_t n);
/* "host h2 (lab@192.0.2.2): " and why it failed, as one message. */
void vl_mh_answer_why(const struct vl_mh_lab *m, size_t host, const struct vl_mh_answer *a,
		      char *buf, size_t len);

struct vl_mh_up_opts {
	int timeout_ms;         /* per host, for its whole part */
	FILE *report;           /* progress and failures, or NULL */
	const char *file;       /* the topology file, for the record */
};

int vl_mh_up(const struct vl_topo *t, const struct vl_hosts *h, const struct vl_placement *p,
	     const char *root, const struct vl_mh_up_opts *o, struct vl_err *err);
/* 0 when every host took its part down; else -EHOSTUNREACH (or the
 * failure) with err naming each host that did not and what it holds. */
int vl_mh_down(struct vl_mh_lab *m, FILE *report, struct vl_err *err);
/* The whole lab as one state document: every host's state.json, its
 * nodes and links concatenated, each node with "host"; NULL with err set
 * when a host did not answer. */
struct json_object *vl_mh_inspect(const struct vl_mh_lab *m, struct vl_err *err);

#endif
