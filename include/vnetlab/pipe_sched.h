/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe_sched.h — the userspace pipe's scheduling, without any I/O: one
 * direction's queue of frames with their release times, and the rules
 * that decide, frame by frame, whether and when it leaves.
 *
 * Promise: pure.  Time is the caller's (t, in ns of any monotonic clock;
 * nothing here reads a clock), randomness comes from a caller's xorshift64*
 * state (*rng, never 0), so a seed and a sequence of calls give the same
 * decisions every time.  For a frame of len bytes arriving at t, in
 * ng_pipe's order:
 *   - len > VL_SCHED_SLOT_DATA: dropped (dropped_queue);
 *   - loss: dropped with probability loss/1e9 (dropped_loss);
 *   - ber: dropped with probability 1 - (1 - ber/1e18)^(8 * len)
 *     (dropped_ber);
 *   - duplicate: queued twice with probability duplicate/1e9 (duplicated);
 *   - bandwidth: each copy waits for the wire (busy_until) and takes
 *     len * 8 / bandwidth seconds on it; a copy that would find more than
 *     queue * 1514 bytes waiting for the wire (default: 50 ms worth at the
 *     bandwidth, plus two frames) is dropped (dropped_queue);
 *   - delay: due = the time it left the wire (t without bandwidth) + delay;
 *   - jitter: plus a uniform integer offset in [-jitter, +jitter] ns, never
 *     before it left the wire;
 *   - never reorders: a due earlier than the previous frame's is raised to
 *     it (last_due), so due times in the queue never decrease;
 *   - a full queue (VL_SCHED_QUEUE_SLOTS) drops the copy (dropped_queue).
 * rx counts every frame admitted, tx is left to the caller.
 *
 * Live changes (vl_sched_retune): when bandwidth, delay or jitter change,
 * each frame still queued leaves at the earlier of its old due time and
 * the time the new parameters give it (arriving when it did, on a wire
 * idle before the first frame still queued, no jitter), so order is kept
 * and no frame waits longer than either setting alone would make it; the
 * wire (busy_until) and the order clamp (last_due) then follow the frames
 * still queued, so a cleared direction is clear at once.  Other changes (loss, duplicate,
 * ber, queue) apply to frames arriving from then on only.
 * vl_sched_flush empties a direction (the wire unplugged) and forgets both.
 */
#ifndef VNETLAB_PIPE_SCHED_H
#define VNETLAB_PIPE_SCHED_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vnetlab/impair.h"

#define VL_SCHED_SLOT_DATA 1600u   /* largest frame carried (MTU 1500 + L2) */
#define VL_SCHED_QUEUE_SLOTS 4096u /* frames in flight per direction */
#define VL_SCHED_QUEUE_FRAME 1514u /* bytes per frame of the `queue` limit */

/* Counters of one direction (frames arriving at one pipe port). */
struct vl_pipe_stats {
	uint64_t rx, tx, dropped_loss, dropped_ber, dropped_queue, duplicated;
};

struct vl_sched_slot {
	uint64_t due;      /* when it may leave (the caller's clock, ns) */
	uint64_t arrived;  /* the t it was admitted at */
	uint16_t len;
	uint8_t data[VL_SCHED_SLOT_DATA];
};

struct vl_sched_dir {
	struct vl_impair im;
	struct vl_sched_slot *q;      /* FIFO ring of VL_SCHED_QUEUE_SLOTS */
	uint32_t head, count;
	uint64_t busy_until;          /* the wire is busy serialising until */
	uint64_t last_due;            /* due of the last frame admitted */
	struct vl_pipe_stats st;
};

/* An empty direction with parameters im.  0, or -ENOMEM. */
int vl_sched_init(struct vl_sched_dir *d, const struct vl_impair *im);
void vl_sched_fini(struct vl_sched_dir *d);

/* New parameters for frames arriving from now on; queued frames re-timed
 * (see above).  Needs no clock: the re-timing depends on arrival times. */
void vl_sched_retune(struct vl_sched_dir *d, const struct vl_impair *im);

/* Drop every queued frame (counted in dropped_queue); the wire and the
 * order clamp start afresh. */
void vl_sched_flush(struct vl_sched_dir *d);

/* The i-th queued frame (0: the head, the next to leave), i < count. */
static inline struct vl_sched_slot *vl_sched_at(const struct vl_sched_dir *d, uint32_t i)
{
	return &d->q[(d->head + i) % VL_SCHED_QUEUE_SLOTS];
}

/* The head frame's due time; UINT64_MAX when nothing is queued. */
static inline uint64_t vl_sched_next_due(const struct vl_sched_dir *d)
{
	return d->count ? d->q[d->head].due : UINT64_MAX;
}

/* The n frames at the head have left (sent or refused). */
static inline void vl_sched_pop(struct vl_sched_dir *d, uint32_t n)
{
	d->head = (d->head + n) % VL_SCHED_QUEUE_SLOTS;
	d->count -= n;
}

/* xorshift64*: fast, and good enough for drop decisions. */
static inline uint64_t vl_sched_rnd(uint64_t *rng)
{
	uint64_t x = *rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*rng = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* True with probability ppb / 1e9. */
static inline bool vl_sched_chance(uint64_t *rng, uint64_t ppb)
{
	return ppb && vl_sched_rnd(rng) % VL_PPB < ppb;
}

/* ---- the per-frame path ---------------------------------------------------- */

static inline void vl_sched__enqueue(struct vl_sched_dir *d, const uint8_t *data,
				     unsigned len, uint64_t due, uint64_t t)
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
static inline uint64_t vl_sched__queue_limit(const struct vl_impair *im, uint64_t bw)
{
	return vl_impair_has(im, VL_P_QUEUE) ? im->v[VL_P_QUEUE] * VL_SCHED_QUEUE_FRAME
					     : bw / 8 / 20 + 2 * VL_SCHED_QUEUE_FRAME;
}

static inline uint64_t vl_sched__wire_ns(unsigned len, uint64_t bw)
{
	return (uint64_t)len * 8000000000ull / bw;
}

/* One frame of len bytes arriving at t, by the rules above: ng_pipe's
 * order, errors and loss at the door, then the queue and the wire
 * (bandwidth), then the propagation delay (with jitter).  Inline: it is
 * the pipe's per-frame path. */
static inline void vl_sched_admit(struct vl_sched_dir *d, uint64_t *rng, const uint8_t *data,
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
			if (waiting + len > vl_sched__queue_limit(im, bw)) {
				d->st.dropped_queue++;
				continue;
			}
			depart = start + vl_sched__wire_ns(len, bw);
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
		vl_sched__enqueue(d, data, len, due, t);
	}
}

#endif
