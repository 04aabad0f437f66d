/* SPDX-License-Identifier: BSD-2-Clause */
/* backend.h — the portability shim: one table of operations per OS.
 *
 * Promise: vl_backend_run() applies a plan's operations in order through a
 * backend's table.  If any operation fails, or the caller asks it to stop,
 * it calls the backend's rollback, which must leave nothing of the lab
 * behind, and returns the error, whose text names the failing object and
 * errno.  Each backend lives in its own directory (src/linux/,
 * compat/freebsd/) and exports one `struct vl_backend_ops`.
 * Fault injection for tests (VNETLAB_FAULT fail:K, kill:K) happens here;
 * see fault.h.
 */
#ifndef VNETLAB_BACKEND_H
#define VNETLAB_BACKEND_H

#include <stdbool.h>

#include "vnetlab/plan.h"

struct vl_backend;

typedef int (*vl_backend_op_fn)(struct vl_backend *be, const struct vl_op *op,
				struct vl_err *err);

struct vl_backend_ops {
	const char *name;
	vl_backend_op_fn op[VL_OP__COUNT];
	/* Complete queued work (e.g. batched netlink messages); an error
	 * names the operation whose message failed. */
	int (*sync)(struct vl_backend *be, struct vl_err *err);
	/* Undo everything made so far, newest first.  Never fails loudly:
	 * it is the last resort. */
	void (*rollback)(struct vl_backend *be);
};

/* Every backend's state starts with this. */
struct vl_backend {
	const struct vl_backend_ops *ops;
	const struct vl_plan *plan;
};

/* Wall time per kind of step (index VL_OP__COUNT: the final sync).
 * Queued netlink messages leave when a batch fills or its socket changes,
 * so kernel time lands on the step that sent them. */
struct vl_run_stats {
	double s[VL_OP__COUNT + 1];
	size_t n[VL_OP__COUNT + 1];
};

struct vl_run_hooks {
	bool (*stop)(void *arg);      /* polled between steps; may be NULL */
	void (*progress)(void *arg, size_t done, size_t total);
	void *arg;
	struct vl_run_stats *stats;   /* filled when not NULL */
};

int vl_backend_run(struct vl_backend *be, const struct vl_run_hooks *hooks,
		   struct vl_err *err);

#endif
