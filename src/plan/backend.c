/* SPDX-License-Identifier: BSD-2-Clause */
/* backend.c — walk a plan through a backend's table; roll back on failure. */
#include "vnetlab/backend.h"
#include "vnetlab/fault.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int vl_backend_run(struct vl_backend *be, const struct vl_run_hooks *hooks,
		   struct vl_err *err)
{
	const struct vl_plan *p = be->plan;
	struct vl_fault fault = vl_fault_get();
	int rc = 0;
	for (size_t i = 0; i < p->n_ops && rc == 0; i++) {
		const struct vl_op *op = &p->ops[i];
		if (hooks && hooks->stop && hooks->stop(hooks->arg)) {
			rc = -EINTR;
			vl_errf(err, "interrupted at step %zu of %zu", i + 1, p->n_ops);
			break;
		}
		if (fault.kind == VL_FAULT_KILL && fault.step == i + 1) {
			/* The kernel ignores SIGKILL that PID 1 (the keeper,
			 * in its own PID namespace) sends itself; _exit() is
			 * the same crash: no cleanup code runs. */
			if (getpid() == 1)
				_exit(137);
			raise(SIGKILL);
		}
		if (fault.kind == VL_FAULT_FAIL && fault.step == i + 1) {
			char what[256];
			vl_op_describe(p, op, what, sizeof(what));
			rc = vl_err_sys(err, EIO, "%s (step %zu, injected fault)",
					what, i + 1);
			break;
		}
		struct vl_run_stats *st = hooks ? hooks->stats : NULL;
		double t0 = st ? now_s() : 0;
		rc = be->ops->op[op->type](be, op, err);
		if (st) {
			st->s[op->type] += now_s() - t0;
			st->n[op->type]++;
		}
		if (hooks && hooks->progress)
			hooks->progress(hooks->arg, i + 1, p->n_ops);
	}
	double t0 = now_s();
	if (rc == 0)
		rc = be->ops->sync(be, err);
	if (hooks && hooks->stats) {
		hooks->stats->s[VL_OP__COUNT] += now_s() - t0;
		hooks->stats->n[VL_OP__COUNT]++;
	}
	if (rc < 0)
		be->ops->rollback(be);
	return rc;
}
