/* pipe_sched.c — the userspace pipe's scheduling (pipe_sched.h). */
#include "vnetlab/pipe_sched.h"

#include <errno.h>
#include <math.h>
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

static void enqueue(struct vl_sched_dir *d, const uint8_t *data, unsigned len,
		    uint64_t due, uint64_t t)
{
	if (d->count == VL_SCHED_QUEUE_SLOTS) {
		d->st.dropped_queue++;
		return;
	}
	struct vl_sched_slot *s = vl_sched_at(d, d->count);
	s->due = due;
	s->arrived = t;
	s->len = (uint16_t)len;
	memcpy(s->data, data, len);
	d->count++;
}

/* Bytes the queue may hold waiting for the wire at bandwidth bw. */
static uint64_t queue_limit(const struct vl_impair *im, uint64_t bw)
{
	return vl_impair_has(im, VL_P_QUEUE) ? im->v[VL_P_QUEUE] * VL_SCHED_QUEUE_FRAME
					     : bw / 8 / 20 + 2 * VL_SCHED_QUEUE_FRAME;
}

static uint64_t wire_ns(unsigned len, uint64_t bw)
{
	return (uint64_t)len * 8000000000ull / bw;
}

/* ng_pipe's order: errors and loss at the door, then the queue and the
 * wire (bandwidth), then the propagation delay (with jitter). */
void vl_sched_admit(struct vl_sched_dir *d, uint64_t *rng, const uint8_t *data,
		    unsigned len, uint64_t t)
{
	const struct vl_impair *im = &d->im;
	d->st.rx++;
	if (len > VL_SCHED_SLOT_DATA) {
		d->st.dropped_queue++;
		return;
	}
	if (vl_sched_chance(rng, im->v[VL_P_LOSS])) {
		d->st.dropped_loss++;
		return;
	}
	if (im->v[VL_P_BER]) {
		double ber = (double)im->v[VL_P_BER] / 1e18;
		double p_hit = 1 - pow(1 - ber, 8.0 * len);
		if ((double)(vl_sched_rnd(rng) >> 11) / (double)(1ull << 53) < p_hit) {
			d->st.dropped_ber++;
			return;
		}
	}
	int copies = 1 + vl_sched_chance(rng, im->v[VL_P_DUPLICATE]);
	d->st.duplicated += (uint64_t)(copies - 1);
	for (int c = 0; c < copies; c++) {
		uint64_t depart = t;
		uint64_t bw = im->v[VL_P_BANDWIDTH];
		if (bw) {
			uint64_t start = d->busy_until > t ? d->busy_until : t;
			/* Tail drop when the bytes waiting for the wire exceed the
			 * queue. */
			uint64_t waiting = (start - t) * bw / 8000000000ull;
			if (waiting + len > queue_limit(im, bw)) {
				d->st.dropped_queue++;
				continue;
			}
			depart = start + wire_ns(len, bw);
			d->busy_until = depart;
		}
		uint64_t due = depart + im->v[VL_P_DELAY];
		uint64_t j = im->v[VL_P_JITTER];
		if (j) {
			int64_t off = (int64_t)(vl_sched_rnd(rng) % (2 * j + 1)) - (int64_t)j;
			due = (int64_t)due + off < (int64_t)depart ? depart
								  : (uint64_t)((int64_t)due + off);
		}
		if (due < d->last_due)
			due = d->last_due;
		d->last_due = due;
		enqueue(d, data, len, due, t);
	}
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
			depart = (busy > depart ? busy : depart) + wire_ns(s->len, bw);
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
