/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe_sched: the userspace pipe's decisions on a fake clock with a seeded
 * RNG — delay, serialisation, queue limits, loss/duplicate/BER rates,
 * jitter, order, oversize frames, and what a live change or an unplugged
 * wire does to frames already queued. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/pipe_sched.h"

#define MS 1000000ull
#define S 1000000000ull
#define T0 (123 * S + 456789) /* a monotonic clock is rarely near 0 */

static uint8_t frame[VL_SCHED_SLOT_DATA + 64];
static uint64_t seed = 0x9E3779B97F4A7C15ull;

/* im from {param, value} pairs. */
struct pv {
	int p;
	uint64_t v;
};
static struct vl_impair imp(const struct pv *pv)
{
	struct vl_impair im = {0};
	for (; pv->p != VL_P__COUNT; pv++)
		vl_impair_set(&im, (enum vl_param)pv->p, pv->v);
	return im;
}
#define IMP(...) imp((const struct pv[]){__VA_ARGS__, {VL_P__COUNT, 0}})
#define NONE ((struct vl_impair){0})

static void init(struct vl_sched_dir *d, struct vl_impair im)
{
	cr_assert_eq(vl_sched_init(d, &im), 0);
}

static void admit(struct vl_sched_dir *d, unsigned len, uint64_t t)
{
	vl_sched_admit(d, &seed, frame, len, t);
}

/* Pop every queued frame, storing due times (up to cap); the count. */
static uint32_t pop_all(struct vl_sched_dir *d, uint64_t *due, uint32_t cap)
{
	uint32_t n = d->count;
	for (uint32_t i = 0; i < n && i < cap; i++)
		due[i] = vl_sched_at(d, i)->due;
	vl_sched_pop(d, n);
	return n;
}

/* |got - n p| within 5 standard deviations of a binomial(n, p). */
static void binomial(uint64_t got, uint64_t n, double p, const char *what)
{
	double mean = (double)n * p, sd = sqrt((double)n * p * (1 - p));
	cr_expect(fabs((double)got - mean) <= 5 * sd,
		  "%s: %lu of %lu, expected %.1f +- %.1f (5 sigma)", what,
		  (unsigned long)got, (unsigned long)n, mean, 5 * sd);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* ---- timing ---------------------------------------------------------------- */

Test(pipe_sched, delay_exactly_applied)
{
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, 7 * MS}));
	const uint64_t at[] = {T0, T0 + 1, T0 + 333 * MS + 17, 9000 * S};
	for (size_t i = 0; i < 4; i++) {
		admit(&d, 100, at[i]);
		cr_assert_eq(d.count, 1);
		cr_expect_eq(vl_sched_next_due(&d), at[i] + 7 * MS, "frame %zu", i);
		vl_sched_pop(&d, 1);
	}
	cr_expect_eq(vl_sched_next_due(&d), UINT64_MAX, "empty: nothing due");
	cr_expect_eq(d.st.rx, 4);
	vl_sched_fini(&d);
}

Test(pipe_sched, no_parameters_no_wait)
{
	struct vl_sched_dir d;
	init(&d, NONE);
	for (int i = 0; i < 100; i++)
		admit(&d, 60 + (unsigned)i, T0 + (uint64_t)i);
	cr_assert_eq(d.count, 100);
	for (uint32_t i = 0; i < 100; i++) {
		cr_expect_eq(vl_sched_at(&d, i)->due, T0 + i);
		cr_expect_eq(vl_sched_at(&d, i)->len, 60 + i);
	}
	cr_expect_eq(d.st.dropped_loss + d.st.dropped_ber + d.st.dropped_queue + d.st.duplicated, 0);
	vl_sched_fini(&d);
}

Test(pipe_sched, bandwidth_serialises)
{
	/* 10 Mbit/s, 1250 bytes: 1 ms on the wire each, then 3 ms of delay. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_BANDWIDTH, 10000000}, {VL_P_DELAY, 3 * MS}));
	for (int i = 0; i < 20; i++)
		admit(&d, 1250, T0);
	cr_assert_eq(d.count, 20);
	for (uint32_t k = 0; k < 20; k++)
		cr_expect_eq(vl_sched_at(&d, k)->due, T0 + (k + 1) * MS + 3 * MS, "frame %u", k);
	vl_sched_pop(&d, 20);
	/* An idle wire: a frame waits only for its own serialisation. */
	admit(&d, 1250, T0 + 100 * MS);
	cr_expect_eq(vl_sched_next_due(&d), T0 + 100 * MS + MS + 3 * MS);
	vl_sched_pop(&d, 1);
	vl_sched_fini(&d);

	/* 3 Mbit/s, 1000 bytes: 2666666 ns each (8000 / 3e6 s, truncated). */
	init(&d, IMP({VL_P_BANDWIDTH, 3000000}));
	for (int i = 0; i < 10; i++)
		admit(&d, 1000, T0);
	cr_assert_eq(d.count, 10);
	for (uint32_t k = 0; k < 10; k++)
		cr_expect_eq(vl_sched_at(&d, k)->due, T0 + (k + 1) * 2666666ull, "frame %u", k);
	/* Frames arriving faster than the wire: spaced by the wire, not by
	 * their arrivals. */
	vl_sched_pop(&d, 10);
	uint64_t t1 = T0 + S;
	for (uint64_t k = 0; k < 10; k++)
		admit(&d, 1000, t1 + k * MS);
	for (uint32_t k = 0; k < 10; k++)
		cr_expect_eq(vl_sched_at(&d, k)->due, t1 + (k + 1) * 2666666ull, "frame %u", k);
	vl_sched_fini(&d);
}

/* ---- queue limits ------------------------------------------------------------ */

Test(pipe_sched, queue_limit_explicit)
{
	/* queue 10: 10 x 1514 bytes may wait.  8 Mbit/s = 1 byte/us. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_BANDWIDTH, 8000000}, {VL_P_QUEUE, 10}));
	for (int i = 0; i < 100; i++)
		admit(&d, 1514, T0);
	cr_expect_eq(d.count, 10, "a burst of full frames: exactly the queue");
	cr_expect_eq(d.st.dropped_queue, 90);
	vl_sched_fini(&d);

	/* Offered at twice the wire's rate for a second: 1000-byte frames
	 * (1 ms each) every 0.5 ms.  The backlog grows by 0.5 ms a frame
	 * until a frame would find more than 15140 - 1000 bytes waiting
	 * (frames 0..28 pass), then every second frame fits. */
	init(&d, IMP({VL_P_BANDWIDTH, 8000000}, {VL_P_QUEUE, 10}));
	uint64_t queued = 0;
	for (uint64_t i = 0; i < 2000; i++) {
		admit(&d, 1000, T0 + i * MS / 2);
		queued += d.count;
		vl_sched_pop(&d, d.count);
	}
	cr_expect_eq(queued, 29 + 985);
	cr_expect_eq(d.st.dropped_queue, 2000 - 29 - 985);
	cr_expect_eq(d.st.rx, 2000);
	vl_sched_fini(&d);
}

Test(pipe_sched, queue_limit_default_50ms)
{
	/* No queue given: 50 ms worth of the bandwidth, plus two frames. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_BANDWIDTH, 8000000})); /* 50000 + 3028 bytes */
	for (int i = 0; i < 100; i++)
		admit(&d, 1000, T0);
	cr_expect_eq(d.count, 53);
	cr_expect_eq(d.st.dropped_queue, 47);
	vl_sched_fini(&d);

	init(&d, IMP({VL_P_BANDWIDTH, 100000000})); /* 625000 + 3028 bytes */
	for (int i = 0; i < 1000; i++)
		admit(&d, 1500, T0);
	cr_expect_eq(d.count, 418, "floor(628028 / 1500) frames of 1500 bytes");
	cr_expect_eq(d.st.dropped_queue, 582);
	vl_sched_fini(&d);
}

Test(pipe_sched, queue_slots_full)
{
	/* Without bandwidth only the slots limit what is in flight. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, S}));
	for (int i = 0; i < 5000; i++)
		admit(&d, 64, T0);
	cr_expect_eq(d.count, VL_SCHED_QUEUE_SLOTS);
	cr_expect_eq(d.st.dropped_queue, 5000 - VL_SCHED_QUEUE_SLOTS);
	vl_sched_pop(&d, 10);
	admit(&d, 64, T0);
	cr_expect_eq(d.count, VL_SCHED_QUEUE_SLOTS - 9, "room again after frames left");
	cr_expect_eq(d.st.dropped_queue, 5000 - VL_SCHED_QUEUE_SLOTS);
	vl_sched_fini(&d);
}

Test(pipe_sched, oversize_dropped)
{
	struct vl_sched_dir d;
	init(&d, NONE);
	admit(&d, VL_SCHED_SLOT_DATA + 1, T0);
	cr_expect_eq(d.count, 0);
	cr_expect_eq(d.st.dropped_queue, 1);
	admit(&d, VL_SCHED_SLOT_DATA, T0);
	cr_expect_eq(d.count, 1, "a frame of exactly the slot size is carried");
	cr_expect_eq(vl_sched_at(&d, 0)->len, VL_SCHED_SLOT_DATA);
	cr_expect_eq(d.st.rx, 2);
	cr_expect_eq(d.st.dropped_queue, 1);
	vl_sched_fini(&d);
}

/* ---- random decisions ---------------------------------------------------------- */

Test(pipe_sched, loss_and_duplicate_rates)
{
	const uint64_t n = 100000;
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_LOSS, VL_PPB / 10}, {VL_P_DUPLICATE, 3 * VL_PPB / 100}));
	uint64_t queued = 0;
	for (uint64_t i = 0; i < n; i++) {
		admit(&d, 100, T0 + i * 1000);
		queued += d.count;
		vl_sched_pop(&d, d.count);
	}
	cr_expect_eq(d.st.rx, n);
	binomial(d.st.dropped_loss, n, 0.10, "lost");
	/* Duplication applies to the frames that survived. */
	binomial(d.st.duplicated, n - d.st.dropped_loss, 0.03, "duplicated");
	cr_expect_eq(queued, n - d.st.dropped_loss + d.st.duplicated);
	cr_expect_eq(d.st.dropped_ber + d.st.dropped_queue, 0);
	vl_sched_fini(&d);

	/* The ends: 100% loss drops everything, 100% duplicate doubles. */
	init(&d, IMP({VL_P_LOSS, VL_PPB}));
	for (int i = 0; i < 1000; i++)
		admit(&d, 100, T0);
	cr_expect_eq(d.st.dropped_loss, 1000);
	cr_expect_eq(d.count, 0);
	vl_sched_fini(&d);
	init(&d, IMP({VL_P_DUPLICATE, VL_PPB}));
	for (int i = 0; i < 1000; i++)
		admit(&d, 100, T0);
	cr_expect_eq(d.st.duplicated, 1000);
	cr_expect_eq(d.count, 2000);
	vl_sched_fini(&d);
}

Test(pipe_sched, ber_by_frame_size)
{
	const uint64_t n = 100000;
	const double ber = 1e-5;
	const unsigned lens[] = {64, 1500};
	for (int k = 0; k < 2; k++) {
		struct vl_sched_dir d;
		init(&d, IMP({VL_P_BER, (uint64_t)(ber * 1e18)}));
		for (uint64_t i = 0; i < n; i++) {
			admit(&d, lens[k], T0 + i);
			vl_sched_pop(&d, d.count);
		}
		double p = 1 - pow(1 - ber, 8.0 * lens[k]);
		char what[32];
		snprintf(what, sizeof(what), "bit errors, %u bytes", lens[k]);
		binomial(d.st.dropped_ber, n, p, what);
		cr_expect_eq(d.st.dropped_loss + d.st.dropped_queue, 0);
		vl_sched_fini(&d);
	}
}

Test(pipe_sched, jitter_uniform)
{
	/* Frames 5 ms apart, more than 2 x jitter: the order clamp never
	 * bites, so due - t - delay is the jitter itself. */
	enum { N = 100000 };
	const int64_t j = 2 * MS, delay = 10 * MS;
	static int64_t off[N];
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, (uint64_t)delay}, {VL_P_JITTER, (uint64_t)j}));
	double sum = 0;
	for (uint64_t i = 0; i < N; i++) {
		uint64_t t = T0 + i * 5 * MS;
		admit(&d, 100, t);
		cr_assert_eq(d.count, 1);
		off[i] = (int64_t)(vl_sched_next_due(&d) - t) - delay;
		sum += (double)off[i];
		vl_sched_pop(&d, 1);
	}
	qsort(off, N, sizeof(off[0]), cmp_i64);
	cr_expect_geq(off[0], -j, "below -jitter: %ld", (long)off[0]);
	cr_expect_leq(off[N - 1], j, "above +jitter: %ld", (long)off[N - 1]);
	cr_expect_lt(off[0], -j * 99 / 100, "the low end is reached: %ld", (long)off[0]);
	cr_expect_gt(off[N - 1], j * 99 / 100, "the high end is reached: %ld", (long)off[N - 1]);
	/* Mean 0 within 5 standard errors of a uniform on [-j, j]. */
	double se = 2.0 * (double)j / sqrt(12.0) / sqrt((double)N);
	cr_expect(fabs(sum / N) <= 5 * se, "mean %.0f ns, expected 0 +- %.0f", sum / N, 5 * se);
	const double q[] = {0.1, 0.5, 0.9};
	for (int k = 0; k < 3; k++) {
		double want = -(double)j + q[k] * 2.0 * (double)j;
		double got = (double)off[(size_t)(q[k] * N)];
		cr_expect(fabs(got - want) <= 0.03 * 2.0 * (double)j,
			  "%.0f%% quantile %.0f ns, expected %.0f +- 3%% of 2j", q[k] * 100, got, want);
	}
	vl_sched_fini(&d);
}

Test(pipe_sched, jitter_never_reorders)
{
	/* Frames 0.1 ms apart with 2 ms of jitter: unclamped, they would
	 * overtake each other all the time. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, 10 * MS}, {VL_P_JITTER, 2 * MS}));
	uint64_t prev = 0;
	int raised = 0;
	for (uint64_t i = 0; i < 20000; i++) {
		uint64_t t = T0 + i * MS / 10;
		admit(&d, 100, t);
		uint64_t due = vl_sched_next_due(&d);
		cr_assert_geq(due, prev, "frame %lu leaves before frame %lu", (unsigned long)i,
			      (unsigned long)i - 1);
		cr_assert_leq(due, t + 12 * MS > prev ? t + 12 * MS : prev);
		raised += due == prev;
		prev = due;
		vl_sched_pop(&d, 1);
	}
	cr_expect_gt(raised, 1000, "the clamp was exercised (%d)", raised);
	vl_sched_fini(&d);

	/* More jitter than delay: never before the frame arrived. */
	init(&d, IMP({VL_P_DELAY, MS}, {VL_P_JITTER, 3 * MS}));
	for (uint64_t i = 0; i < 10000; i++) {
		uint64_t t = T0 + i * 10 * MS;
		admit(&d, 100, t);
		cr_assert_geq(vl_sched_next_due(&d), t);
		cr_assert_leq(vl_sched_next_due(&d), t + 4 * MS);
		vl_sched_pop(&d, 1);
	}
	vl_sched_fini(&d);
}

Test(pipe_sched, seeded_decisions_repeat)
{
	/* The same seed and calls give the same decisions. */
	uint64_t due[2][500], st[2][3];
	for (int r = 0; r < 2; r++) {
		seed = 42;
		struct vl_sched_dir d;
		init(&d, IMP({VL_P_LOSS, VL_PPB / 4}, {VL_P_JITTER, MS}, {VL_P_DUPLICATE, VL_PPB / 4}));
		for (uint64_t i = 0; i < 500; i++)
			admit(&d, 100, T0 + i * 10 * MS);
		uint32_t n = pop_all(&d, due[r], 500);
		st[r][0] = d.st.dropped_loss;
		st[r][1] = d.st.duplicated;
		st[r][2] = n;
		vl_sched_fini(&d);
	}
	cr_expect_arr_eq(st[0], st[1], sizeof(st[0]));
	cr_expect_arr_eq(due[0], due[1], st[0][2] * sizeof(uint64_t));
}

/* ---- live changes and an unplugged wire ------------------------------------------- */

Test(pipe_sched, cleared_direction_is_clear_at_once)
{
	/* `set delay 5s`, one ping, `clear`: the ping is due now, and the
	 * next one is not held behind it. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, 5 * S}));
	admit(&d, 98, T0);
	cr_assert_eq(vl_sched_next_due(&d), T0 + 5 * S);
	uint64_t now = T0 + 10 * MS;
	struct vl_impair none = NONE;
	vl_sched_retune(&d, &none);
	cr_expect_leq(vl_sched_next_due(&d), now, "the queued frame is due now");
	cr_expect_eq(vl_sched_next_due(&d), T0, "due at its arrival + the new delay (0)");
	admit(&d, 98, now);
	cr_assert_eq(d.count, 2);
	cr_expect_eq(vl_sched_at(&d, 1)->due, now, "a later frame is not held back");
	vl_sched_pop(&d, 2);
	admit(&d, 98, now + 1);
	cr_expect_eq(vl_sched_next_due(&d), now + 1);
	vl_sched_fini(&d);
}

Test(pipe_sched, retime_takes_the_earlier_and_keeps_order)
{
	/* Frames with 50 ms +- 20 ms, 1 ms apart; then delay 10 ms. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, 50 * MS}, {VL_P_JITTER, 20 * MS}));
	enum { N = 1000 };
	uint64_t old[N];
	for (uint64_t i = 0; i < N; i++)
		admit(&d, 100, T0 + i * MS);
	cr_assert_eq(d.count, N);
	for (uint32_t i = 0; i < N; i++)
		old[i] = vl_sched_at(&d, i)->due;
	struct vl_impair faster = IMP({VL_P_DELAY, 10 * MS});
	vl_sched_retune(&d, &faster);
	uint64_t prev = 0;
	for (uint32_t i = 0; i < N; i++) {
		uint64_t due = vl_sched_at(&d, i)->due, now = T0 + i * MS + 10 * MS;
		cr_assert_eq(due, old[i] < now ? old[i] : now, "frame %u", i);
		cr_assert_geq(due, prev, "frame %u overtakes", i);
		prev = due;
	}
	cr_expect_eq(d.last_due, prev);
	/* Slower again: what is queued keeps its time, new frames get the
	 * new delay. */
	struct vl_impair slower = IMP({VL_P_DELAY, 5 * S});
	vl_sched_retune(&d, &slower);
	for (uint32_t i = 0; i < N; i++)
		cr_assert_eq(vl_sched_at(&d, i)->due, T0 + i * MS + 10 * MS, "frame %u", i);
	admit(&d, 100, T0 + N * MS);
	cr_expect_eq(vl_sched_at(&d, N)->due, T0 + N * MS + 5 * S);
	vl_sched_fini(&d);
}

Test(pipe_sched, retime_bandwidth)
{
	/* 1 Mbit/s, 1250 bytes: 10 ms each. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_BANDWIDTH, 1000000}));
	for (int i = 0; i < 5; i++)
		admit(&d, 1250, T0);
	for (uint32_t k = 0; k < 5; k++)
		cr_assert_eq(vl_sched_at(&d, k)->due, T0 + (k + 1) * 10 * MS);
	/* Ten times faster: the five leave 1 ms apart, and the wire is
	 * free after the fifth. */
	struct vl_impair fast = IMP({VL_P_BANDWIDTH, 10000000});
	vl_sched_retune(&d, &fast);
	for (uint32_t k = 0; k < 5; k++)
		cr_expect_eq(vl_sched_at(&d, k)->due, T0 + (k + 1) * MS, "frame %u", k);
	admit(&d, 1250, T0 + MS);
	cr_expect_eq(vl_sched_at(&d, 5)->due, T0 + 6 * MS, "waits for the five, no longer");
	/* No bandwidth: every frame is due at its arrival, the wire gone. */
	struct vl_impair none = NONE;
	vl_sched_retune(&d, &none);
	for (uint32_t k = 0; k < 5; k++)
		cr_expect_eq(vl_sched_at(&d, k)->due, T0, "frame %u", k);
	cr_expect_eq(vl_sched_at(&d, 5)->due, T0 + MS);
	cr_expect_eq(d.busy_until, 0);
	/* Bandwidth again: the queued frames keep their (earlier) times,
	 * and a new frame finds the wire idle. */
	vl_sched_retune(&d, &fast);
	cr_expect_eq(vl_sched_at(&d, 5)->due, T0 + MS);
	admit(&d, 1250, T0 + 2 * MS);
	cr_expect_eq(vl_sched_at(&d, 6)->due, T0 + 3 * MS);
	vl_sched_fini(&d);
}

Test(pipe_sched, other_changes_leave_queued_frames_alone)
{
	/* A frame that waited for a wire now empty keeps its time when only
	 * the loss changes: nothing is re-timed. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_BANDWIDTH, 1000000}));
	admit(&d, 1250, T0);          /* wire: T0 .. T0 + 10 ms */
	admit(&d, 1250, T0 + MS);     /* T0 + 10 .. 20 ms */
	vl_sched_pop(&d, 1);          /* the first has left */
	struct vl_impair lossy = IMP({VL_P_BANDWIDTH, 1000000}, {VL_P_LOSS, VL_PPB / 100});
	vl_sched_retune(&d, &lossy);
	cr_expect_eq(vl_sched_next_due(&d), T0 + 20 * MS);
	cr_expect_eq(d.busy_until, T0 + 20 * MS);
	cr_expect_eq(d.im.v[VL_P_LOSS], VL_PPB / 100, "the new parameters are in");
	vl_sched_fini(&d);
}

Test(pipe_sched, flush_empties_and_forgets)
{
	/* delay 120s, a frame, clear, down, up: a working link. */
	struct vl_sched_dir d;
	init(&d, IMP({VL_P_DELAY, 120 * S}));
	admit(&d, 98, T0);
	admit(&d, 98, T0 + MS);
	struct vl_impair none = NONE;
	vl_sched_retune(&d, &none);
	vl_sched_flush(&d);
	cr_expect_eq(d.count, 0);
	cr_expect_eq(vl_sched_next_due(&d), UINT64_MAX);
	cr_expect_eq(d.st.dropped_queue, 2, "what the wire held is counted as lost");
	admit(&d, 98, T0 + 2 * MS);
	cr_expect_eq(vl_sched_next_due(&d), T0 + 2 * MS);
	vl_sched_fini(&d);

	/* Parameters unchanged: after a flush the direction decides as a
	 * new one would (no wire still busy, no order clamp left over). */
	struct vl_impair im = IMP({VL_P_BANDWIDTH, 1000000}, {VL_P_DELAY, 100 * MS}, {VL_P_JITTER, 100 * MS});
	struct vl_sched_dir fresh;
	init(&d, im);
	int differ = 0;
	for (uint64_t i = 0; i < 200; i++) {
		uint64_t t = T0 + i * S;
		for (int k = 0; k < 5; k++)
			admit(&d, 1250, t);
		uint64_t held = d.last_due;
		vl_sched_flush(&d);
		init(&fresh, im);
		uint64_t rng2 = seed;
		vl_sched_admit(&fresh, &rng2, frame, 1250, t + MS);
		admit(&d, 1250, t + MS);
		cr_assert_eq(d.count, 1);
		cr_assert_eq(vl_sched_next_due(&d), vl_sched_next_due(&fresh), "round %lu",
			     (unsigned long)i);
		differ += vl_sched_next_due(&d) < held;
		vl_sched_fini(&fresh);
		vl_sched_pop(&d, 1);
	}
	cr_expect_gt(differ, 10, "rounds where a stale clamp would have shown: %d", differ);
	vl_sched_fini(&d);
}
