/* SPDX-License-Identifier: BSD-2-Clause */
/* lifecycle.h — a lab's life, whatever backend holds it: up, down,
 * inspect and plan through one table per backend, chosen once.
 *
 * Promise: each backend exports one `struct vl_lab_ops` (Linux: the
 * keeper, src/runtime/keeper_lab.c; FreeBSD: compat/freebsd/lab.c), and
 * vl_lab_ops_choose() is the only place that decides which one a verb
 * uses — by `--backend`, by the record a lab left in its directory, or
 * by the build — as wireguard-tools picks ipc-linux.h or ipc-freebsd.h.
 * Nothing else asks which backend it holds.  Every member of a table is
 * set.  A build may know a backend it cannot run (the portable build
 * plans Linux labs, since the plan is pure, but cannot make them): its
 * up, down and inspect say so, and the chooser never gives it for a lab.
 *
 * The options of `up` mean the same to every backend; one that has no
 * use for a member (FreeBSD: a mode, /run/netns links, a keeper's report)
 * ignores it.  state.json records them (statefile.h).
 */
#ifndef VNETLAB_LIFECYCLE_H
#define VNETLAB_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "vnetlab/lab.h"
#include "vnetlab/plan.h"
#include "vnetlab/privs.h"
#include "vnetlab/topo.h"

/* What `up` hears from the keeper while it builds (NULL members: ignored). */
struct vl_up_report {
	void (*progress)(void *arg, size_t done, size_t total);
	void (*phase)(void *arg, const char *name, double seconds, size_t count);
	/* A service that failed to start while `up --keep-going` went on:
	 * one line of what went wrong. */
	void (*warn)(void *arg, const char *line);
	void *arg;
};

struct vl_up_opts {
	bool netns_links;         /* /run/netns/LAB.NODE (root mode only) */
	int cmd_timeout_ms;       /* per startup command */
	enum vl_mode mode;        /* rootless: the lab gets its own user namespace */
	struct vl_plan_opts plan; /* what the kernel offers (qdiscs) */
	const char *backend;      /* for state.json; NULL: "linux" */
	bool keep_going;          /* a service that fails to start does not fail `up` */
	const struct vl_up_report *report;
};

struct json_object;

struct vl_lab_ops {
	const char *name; /* `--backend NAME`, and state.json's "backend" */
	/* A keeper process holds each lab: `up` reports the lab's mode and
	 * the keeper's pid, and with -v the keeper's time per kind of step.
	 * Without one (FreeBSD's jails persist by themselves) `up` names the
	 * backend instead. */
	bool keeper;
	/* The lab's directory holds this backend's record of it (FreeBSD:
	 * teardown.json).  Always false for a backend that leaves none of
	 * its own: a lab no backend claims is the build default's. */
	bool (*recorded)(const struct vl_lab_paths *p);
	/* Make lab t under state root: 0 once it is completely up, with
	 * *keeper its keeper's pid (0: it has none); on failure nothing of
	 * it remains.  o->plan, when not known, is the backend's to find. */
	int (*up)(const struct vl_topo *t, const char *root, const struct vl_up_opts *o,
		  pid_t *keeper, struct vl_err *err);
	/* 0 when this call took the lab down, 1 when another vnetlab was
	 * doing so meanwhile (waited for), or -errno with the reason. */
	int (*down)(const struct vl_lab_paths *p, struct vl_err *err);
	/* Held by what keeps it (a keeper's lock), or recorded as up; a lab
	 * that is not is stale (lab.h). */
	bool (*alive)(const struct vl_lab_paths *p);
	/* What an alive lab is doing: VL_LAB_BUILDING, _STOPPING or _RUNNING,
	 * with *pid as vl_lab_phase() says (lab.h). */
	enum vl_lab_phase (*phase)(const struct vl_lab_paths *p, pid_t *pid);
	/* What a lab leaves outside its directory, removed with it when it is
	 * stale or its keeper ends it (vl_lab_remove): Linux, its /run/netns
	 * links, by the journal. */
	void (*remove_outside)(const struct vl_lab_paths *p);
	/* A running lab as `ls` and `inspect` show it: its state document
	 * (docs/topology.md, "inspect --json"), the caller's to put; NULL
	 * with the reason in err (none yet: an `up` is still building it). */
	struct json_object *(*inspect)(const struct vl_lab_paths *p, struct vl_err *err);
	/* `vnetlab plan`: what `up` would do for t, as text on out.  qdiscs:
	 * the kernel's as `--qdiscs` states them, NULL: as probed here; a
	 * backend whose plan does not depend on them ignores it. */
	int (*render_plan)(const struct vl_topo *t, const char *qdiscs, FILE *out,
			   struct vl_err *err);
};

/* The backend, chosen once: by name when name is set (`--backend`), else
 * by the lab at p when p is set (the backend whose record its directory
 * holds), else this build's default (Linux where vnetlab is built for
 * Linux, FreeBSD elsewhere).  NULL only for a name no backend has, with
 * "backend 'NAME': expected linux or freebsd" in err (which may be NULL
 * when name is). */
const struct vl_lab_ops *vl_lab_ops_choose(const char *name, const struct vl_lab_paths *p,
					   struct vl_err *err);

#endif
