/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe_sched.c — the userspace pipe's scheduling (pipe_sched.h). */
#include "vnetlab/pipe_sched.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int vl_sched_init(struct vl_sched_dir *d, const struct vl_impair *im)
{
	memset(d, 0, sizeof(*d));
	d->im = *im;
	/* malloc, not calloc: the kernel hands out the pages as they are
	 * touched, and most of a queue never is. */
	d->q = malloc(VL_SCHED_QUEUE_SLOTS * sizeof(struct vl_sched_slot));
	return d->q ? 0 : -ENOMEM;
}

void vl_sched_fini(struct vl_sched_dir *d)
{
	free(d->q);
	d->q = NULL;
	d->count = 0;
}

static bool timing_same(const struct vl_impair *a, const struct vl_impair *b)
{
	static const enum vl_param timing[] = {VL_P_BANDWIDTH, VL_P_DELAY, VL_P_JITTER};
	for (size_t i = 0; i < sizeof(timing) / sizeof(timing[0]); i++)
		if (a->v[timing[i]] != b->v[timing[i]])
			return false;
	return true;
}

void vl_sched_retune(struct vl_sched_dir *d, const struct vl_impair *im)
{
	bool retime = !timing_same(&d->im, im);
	d->im = *im;
	if (!retime)
		return;
	uint64_t bw = im->v[VL_P_BANDWIDTH], delay = im->v[VL_P_DELAY];
	uint64_t busy = 0, due = 0;
	for (uint32_t i = 0; i < d->count; i++) {
		struct vl_sched_slot *s = vl_sched_at(d, i);
		uint64_t depart = s->arrived;
		if (bw) {
			depart = (busy > depart ? busy : depart) + vl_sched__wire_ns(s->len, bw);
			busy = depart;
		}
		/* Both the old dues and the new ones never decrease, so
		 * neither does their minimum: the order stays. */
		due = depart + delay < s->due ? depart + delay : s->due;
		s->due = due;
	}
	/* The wire: busy until the frames still queued have left it, by the
	 * earlier of the two schedules; without bandwidth there is none. */
	d->busy_until = bw ? (busy < d->busy_until ? busy : d->busy_until) : 0;
	d->last_due = due;
}

void vl_sched_flush(struct vl_sched_dir *d)
{
	d->st.dropped_queue += d->count;
	d->head = d->count = 0;
	d->busy_until = d->last_due = 0;
}
