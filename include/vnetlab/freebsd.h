/* SPDX-License-Identifier: BSD-2-Clause */
/* freebsd.h — the FreeBSD backend: vnet jails and netgraph.
 *
 * Promise: the same plan as the Linux backend, carried out by jail(8),
 * jexec(8), ngctl(8), ifconfig(8), route(8) and sysctl(8) run with argv
 * lists (never a shell).  One experiment jail LAB (vnet, persist) holds the
 * lab's netgraph nodes; each vnet node is its child jail LAB.NODE; every
 * vnet interface is an ng_eiface made in LAB, moved in with `ifconfig
 * ngethN vnet NODE` and renamed; bridges and hubs are persistent
 * ng_bridge/ng_hub nodes; an impaired link is an ng_pipe.  All netgraph
 * work of `up` is one `jexec LAB ngctl -f -`.  A node's jail has a root of
 * its own (path=/var/run/vnetlab/LAB.NODE/root): the host's / by nullfs,
 * a devfs, and the node's filesystem view (view.h) as tmpfs and nullfs
 * mounts on it; files are written by dd(1) from its standard input.  Every command that makes
 * something has an undo; a failure undoes what was made, newest first, and
 * teardown (`down`) is the same list.  With `render` set nothing runs: the
 * commands are printed (`vnetlab plan --backend freebsd`), in the exact
 * form the recording stand-ins of the tests write them.
 *
 * ng_pipe has no loss and no jitter and one delay for both directions:
 * loss is expressed as a bit-error rate exact for 1514-byte frames (the
 * plan says so), jitter and per-direction delays are refused.  So are
 * services (on Linux the keeper runs them; FreeBSD labs have none yet).
 */
#ifndef VNETLAB_FREEBSD_H
#define VNETLAB_FREEBSD_H

#include <json-c/json.h>
#include <stdio.h>

#include "vnetlab/backend.h"
#include "vnetlab/lifecycle.h"

struct vl_fbsd_opts {
	FILE *render; /* print the commands instead of running them */
	/* Check the host first (run mode, on FreeBSD: "/"): the jails'
	 * mount points must be there (view.c).  NULL: no check (rendering;
	 * the tests' stand-ins on Linux).  Any other: a tree standing in for
	 * the host's / (tests); bind sources stay the paths the loader saw. */
	const char *host_root;
};

/* FreeBSD has no /run: a node's view has its /run at /var/run (view.h). */
#define VL_FBSD_RUN_DIR "/var/run"

/* Plan options for this backend: every impairment goes to ng_pipe. */
struct vl_plan_opts vl_freebsd_plan_opts(void);

/* NULL with the reason (file:line:col) when the topology asks for what
 * netgraph cannot do. */
struct vl_backend *vl_freebsd_backend_new(const struct vl_plan *p,
					  const struct vl_fbsd_opts *o,
					  struct vl_err *err);
/* Undo everything made, newest first (printed in render mode). */
int vl_freebsd_teardown(struct vl_backend *be, struct vl_err *err);
/* That teardown as data, for `down` in another process:
 * [{"argv": [...], "input": "..."}]; and running such a list. */
struct json_object *vl_freebsd_teardown_json(struct vl_backend *be);
int vl_freebsd_run_json(struct json_object *cmds, struct vl_err *err);
void vl_freebsd_backend_free(struct vl_backend *be);

/* A FreeBSD lab's life (no keeper: jails persist by themselves).  up runs
 * the plan and, once it is complete, records state.json and teardown.json
 * in the lab's directory; on failure everything made is undone and the
 * directory removed.  down runs the teardown, then removes the directory. */
struct vl_lab_paths;
int vl_freebsd_up(const struct vl_topo *t, const char *root, struct vl_err *err);
int vl_freebsd_down(const struct vl_lab_paths *p, struct vl_err *err);
/* That life as lifecycle.h's table ("freebsd"): a lab is alive, and
 * running, while its teardown is recorded. */
extern const struct vl_lab_ops vl_freebsd_lab_ops;

/* `vnetlab plan --backend freebsd`: the commands of `up`, then those of
 * `down`, for topology t.  Deterministic: the golden files are this. */
int vl_freebsd_render(const struct vl_topo *t, FILE *out, struct vl_err *err);

#endif
