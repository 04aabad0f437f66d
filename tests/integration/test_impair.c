/* SPDX-License-Identifier: BSD-2-Clause */
/* Link impairments do what they say, in the direction they are set, with
 * bounds a wrong implementation fails (issues 4 and 13).  Two nodes, one
 * link, parameters per test; the userspace pipe runs everywhere, tbf
 * where the kernel has it (doctor's probe says; this suite's machine has
 * no netem: delay and loss always take the pipe).
 *
 * A round trip looks the same whichever direction carries an impairment,
 * so these tests measure each direction on its own with owd
 * (tests/tools/owd.c): sequence-numbered UDP datagrams carrying their
 * CLOCK_MONOTONIC send time, which every namespace of the machine shares,
 * so the receiver sees the one-way delay, losses, copies and order.  Each
 * link sets different values downstream (a -> b) and upstream (b -> a):
 * swapping the directions anywhere (plan, pipe ports, tbf) fails them.
 *
 * Bounds: counts of random events lie in the binomial's interval of
 * z = 3.89 sd (1 in 10,000 two-sided, so the suite's dozens of counts
 * stay well clear of flaking).  A delay is never shorter than configured
 * and its median within 5% plus a fixed allowance (the stacks, the veths,
 * a loaded 2-core machine's scheduling); the shape of jitter is judged
 * against what the machine adds at the same moment (a reference flow);
 * rates never above the configured one by more than 2%, below it by what
 * a busy machine costs each carrier.  Numbers measured on the suite's
 * machine, quiet and beside a fuzzer, are given where each bound is set.
 * Every test runs as root and rootless alike. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char file[64], labname[64];

/* Up a lab from YAML text. */
static void up_yaml(const char *name, const char *yaml)
{
	up_text(name, yaml, file, labname);
}

/* Fixed MACs, so each node can know the other's without ARP (below). */
#define MAC_A "02:00:0a:09:00:01"
#define MAC_B "02:00:0a:09:00:02"
#define MAC_A2 "02:00:0a:09:01:01"
#define MAC_C "02:00:0a:09:01:02"

/* Node holds addr (on dev) at mac as a permanent neighbour. */
static void static_neighbour(const char *node, const char *addr, const char *mac,
			     const char *dev)
{
	char out[4096];
	const char *argv[] = {bin(), "exec", labname, node, "--", "ip", "neigh", "replace",
			      addr, "lladdr", mac, "dev", dev, "nud", "permanent", NULL};
	cr_assert_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
}

/* Each node of the pair holds the other's MAC as a permanent neighbour:
 * no ARP exchange crosses the impaired link, so none is lost or delayed
 * and none holds the first datagrams of a test back. */
static void static_neighbours(void)
{
	static_neighbour("a", "10.9.0.2", MAC_B, "eth0");
	static_neighbour("b", "10.9.0.1", MAC_A, "eth0");
}

/* Up a two-node lab whose link carries `params` (YAML lines). */
static void up_pair(const char *name, const char *params)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml), "nodes:\n"
		 "  a: { ifaces: { eth0: { mac: '" MAC_A "', addrs: [10.9.0.1/24] } } }\n"
		 "  b: { ifaces: { eth0: { mac: '" MAC_B "', addrs: [10.9.0.2/24] } } }\n"
		 "links:\n  - endpoints: [a:eth0, b:eth0]\n%s", params);
	up_yaml(name, yaml);
	static_neighbours();
}

static void down_pair(void)
{
	down_text(file, labname);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- one-way flows (owd) ------------------------------------------------ */

struct owd {
	long received, unique, duplicates, reordered, lost;
	double min, p10, p50, p90, p95, p99, max; /* one-way delay, us */
	double rate;                         /* frame bit/s at the receiver */
	double ahead_p50, ahead_p90;         /* datagrams ahead at a bottleneck */
};

/* One flow: COUNT datagrams of SIZE bytes at PPS from node FROM to TO. */
struct flow {
	const char *from, *to;
	int count, pps, size;
	struct owd r;
};

/* The pair's addresses; c (the jitter test's) is on a's second link. */
static const char *addr_of(const char *node)
{
	return !strcmp(node, "a") ? "10.9.0.1" : !strcmp(node, "b") ? "10.9.0.2" : "10.9.1.2";
}

static double key(const char *out, const char *k)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "\n%s=", k);
	const char *p = strstr(out, pat);
	cr_assert_not_null(p, "owd recv said no %s:\n%s", k, out);
	return atof(p + strlen(pat));
}

/* Run flows at once (each to its own port), every receiver ready before
 * any sender starts; a receiver ends idle_ms after its last datagram. */
static void owd_flows(struct flow *f, int n, int idle_ms)
{
	static struct bg rx[4], tx[4];
	char num[4][4][16];
	cr_assert(n <= 4);
	const char *owd = owd_bin();
	cr_assert_eq(access(owd, X_OK), 0, "no owd tool at %s (make build/tests/owd, or OWD=)",
		     owd);
	for (int i = 0; i < n; i++) {
		snprintf(num[i][0], 16, "%d", 7100 + i);
		snprintf(num[i][1], 16, "%d", f[i].count);
		snprintf(num[i][2], 16, "%d", f[i].pps);
		snprintf(num[i][3], 16, "%d", f[i].size);
		char idle[16];
		snprintf(idle, sizeof(idle), "%d", idle_ms);
		const char *argv[] = {bin(), "exec", labname, f[i].to, "--", owd, "recv",
				      num[i][0], num[i][1], idle, NULL};
		bg_start(&rx[i], argv);
		cr_assert(bg_wait_text(&rx[i], "ready\n", 10000), "owd recv in %s: %s",
			  f[i].to, rx[i].out);
	}
	for (int i = 0; i < n; i++) {
		const char *argv[] = {bin(), "exec", labname, f[i].from, "--", owd, "send",
				      addr_of(f[i].to), num[i][0], num[i][1], num[i][2],
				      num[i][3], NULL};
		bg_start(&tx[i], argv);
	}
	for (int i = 0; i < n; i++) {
		int rc = bg_finish(&tx[i]);
		cr_assert_eq(rc, 0, "owd send in %s: exit %d\n%s", f[i].from, rc, tx[i].out);
	}
	for (int i = 0; i < n; i++) {
		int rc = bg_finish(&rx[i]);
		const char *o = rx[i].out;
		cr_assert_eq(rc, 0, "owd recv in %s: exit %d\n%s", f[i].to, rc, o);
		struct owd *r = &f[i].r;
		r->received = (long)key(o, "received");
		r->unique = (long)key(o, "unique");
		r->duplicates = (long)key(o, "duplicates");
		r->reordered = (long)key(o, "reordered");
		r->lost = (long)key(o, "lost");
		r->min = key(o, "min_us");
		r->p10 = key(o, "p10_us");
		r->p50 = key(o, "p50_us");
		r->p90 = key(o, "p90_us");
		r->p95 = key(o, "p95_us");
		r->p99 = key(o, "p99_us");
		r->max = key(o, "max_us");
		r->rate = key(o, "rate_bps");
		r->ahead_p50 = key(o, "ahead_p50");
		r->ahead_p90 = key(o, "ahead_p90");
		cr_log_info("owd %s->%s %d x %dB @%d/s: received %ld unique %ld dup %ld "
			    "reordered %ld lost %ld; us min %.0f p10 %.0f p50 %.0f p90 %.0f "
			    "p99 %.0f max %.0f; %.3f Mbit/s; ahead p50 %.0f p90 %.0f\n",
			    f[i].from, f[i].to, f[i].count, f[i].size, f[i].pps, r->received,
			    r->unique, r->duplicates, r->reordered, r->lost, r->min, r->p10,
			    r->p50, r->p90, r->p99, r->max, r->rate / 1e6, r->ahead_p50,
			    r->ahead_p90);
	}
}

/* A flow each way at once: downstream a -> b, upstream b -> a. */
static void owd_both(struct flow *down, struct flow *up, int count, int pps, int size,
		     int idle_ms)
{
	struct flow f[2] = {{"a", "b", count, pps, size}, {"b", "a", count, pps, size}};
	owd_flows(f, 2, idle_ms);
	*down = f[0];
	*up = f[1];
}

/* What a datagram of `size` payload bytes is on the wire: UDP, IPv4 and
 * Ethernet headers (no FCS), the length the pipe and tbf count. */
static int frame_len(int size)
{
	return size + 8 + 20 + 14;
}

/* Fixed allowance of one-way delay over the configured one (stacks,
 * veths, the pipe's wake-up on a loaded machine).  Measured medians: +0.1
 * ms on a quiet machine, +0.8 and +1.3 ms while other suites ran (a
 * fuzzer; a test making namespaces). */
#define ALLOW_US 1000.0
/* The same for the waits in a full queue, where a thread or softirq of a
 * loaded machine stalled for a few ms delays the frames queued behind it
 * (measured: 5.6 ms gaps in tbf's output; p90 up to 7 ms over the bound
 * beside a fuzzer).  The queue's length in frames needs none (below). */
#define QALLOW_US 5000.0

/* The one-way delay of a flow is the configured `ms`: never less, median
 * within 5% plus the allowance. */
static void expect_delay(const char *dir, const struct owd *r, double ms)
{
	double want = ms * 1000;
	/* 20 us: owd's moving kernel timestamps between clocks. */
	cr_expect_geq(r->min, want - 20, "%s: a datagram in %.1f us, under the delay %.0f us",
		      dir, r->min, want);
	cr_expect(fabs(r->p50 - want) <= 0.05 * want + ALLOW_US,
		  "%s: median one-way delay %.1f us, want %.0f ± %.0f", dir, r->p50, want,
		  0.05 * want + ALLOW_US);
}

/* k of n events of probability p: inside the z = 3.89 interval. */
static void expect_binomial(const char *what, long k, long n, double p)
{
	double mean = n * p, sd = sqrt(n * p * (1 - p)), w = 3.89 * sd;
	cr_expect(fabs((double)k - mean) <= w, "%s: %ld of %ld, want %.0f..%.0f (p = %g)",
		  what, k, n, mean - w, mean + w, p);
}

static void expect_clean(const char *dir, const struct owd *r)
{
	cr_expect_eq(r->lost, 0, "%s: %ld lost", dir, r->lost);
	cr_expect_eq(r->duplicates, 0, "%s: %ld copies", dir, r->duplicates);
	cr_expect_eq(r->reordered, 0, "%s: %ld out of order", dir, r->reordered);
}

/* ---- delay, loss, duplication, jitter, BER: the pipe, per direction ----- */

/* 30 ms downstream, 10 ms upstream: each direction alone carries its own
 * delay (a round trip would be 40 ms either way round). */
Test(impair, delay_per_direction, .timeout = 60)
{
	need_labs();
	up_pair("delay", "    downstream: { delay: 30ms }\n    upstream: { delay: 10ms }\n");
	struct flow d, u;
	owd_both(&d, &u, 500, 200, 64, 300);
	expect_delay("a->b (30 ms)", &d.r, 30);
	expect_delay("b->a (10 ms)", &u.r, 10);
	expect_clean("a->b", &d.r);
	expect_clean("b->a", &u.r);
	down_pair();
}

/* 20% of frames lost downstream, 5% upstream, 2000 each way. */
Test(impair, loss_per_direction_is_binomial, .timeout = 60)
{
	need_labs();
	up_pair("loss", "    downstream: { loss: 20% }\n    upstream: { loss: 5% }\n");
	struct flow d, u;
	owd_both(&d, &u, 2000, 1000, 64, 300);
	expect_binomial("a->b lost (20%)", d.r.lost, 2000, 0.20);
	expect_binomial("b->a lost (5%)", u.r.lost, 2000, 0.05);
	cr_expect_eq(d.r.duplicates + u.r.duplicates, 0);
	down_pair();
}

/* 10% of frames sent twice downstream, 30% upstream; nothing lost, and a
 * copy leaves right after its original (never out of order). */
Test(impair, duplicate_per_direction, .timeout = 60)
{
	need_labs();
	up_pair("dup", "    downstream: { duplicate: 10% }\n    upstream: { duplicate: 30% }\n");
	struct flow d, u;
	owd_both(&d, &u, 2000, 1000, 64, 300);
	expect_binomial("a->b copies (10%)", d.r.duplicates, 2000, 0.10);
	expect_binomial("b->a copies (30%)", u.r.duplicates, 2000, 0.30);
	cr_expect_eq(d.r.lost + u.r.lost, 0, "lost %ld / %ld", d.r.lost, u.r.lost);
	cr_expect_eq(d.r.reordered + u.r.reordered, 0);
	down_pair();
}

/* Jitter j makes the delay uniform on [delay - j, delay + j] (docs/
 * topology.md): quantile p of it is Q(p) = delay - j + 2 j p, so the
 * median is the delay and the 10th and 90th percentiles delay ∓ 0.8 j.
 * The pipe never reorders a direction, so a frame drawn earlier than the
 * one before it leaves with it: at 80 frames/s (12.5 ms apart, more than
 * 2 j = 10 ms) that never happens and the distribution is the drawn one.
 * At 2000 frames/s it happens all the time, and order must still hold.
 *
 * What the machine adds (L >= 0: the pipe thread woken late, a sender
 * preempted) shifts the upper quantiles by up to milliseconds on a busy
 * machine, so L is measured beside: a third node c behind a link with the
 * same delay and no jitter, a flow to it at the same rate, through the
 * same pipe thread.  With b its 95th percentile over the delay, the
 * observed quantile p lies in [Q(p - s), Q(p + s + 0.05) + b]: never
 * below the drawn one (L >= 0), and above it only by L (P(L > b) <= 5%);
 * s = 0.04 covers the sampling (3 sd of a quantile of 600 samples). */
static void expect_uniform(const char *dir, const struct owd *r, double ms, double jms,
			   double b)
{
	double d = ms * 1000, j = jms * 1000, s = 0.04, eps = 20; /* us: clocks */
#define Q(p) (d - j + 2 * j * fmin(fmax((p), 0), 1))
	const double ps[3] = {0.10, 0.50, 0.90}, got[3] = {r->p10, r->p50, r->p90};
	for (int i = 0; i < 3; i++)
		cr_expect(got[i] >= Q(ps[i] - s) - eps && got[i] <= Q(ps[i] + s + 0.05) + b + eps,
			  "%s: p%.0f %.1f us, want %.0f (%.0f .. %.0f; the machine adds %.0f)",
			  dir, ps[i] * 100, got[i], Q(ps[i]), Q(ps[i] - s) - eps,
			  Q(ps[i] + s + 0.05) + b + eps, b);
	cr_expect_geq(r->min, d - j - eps, "%s: min %.1f us, below delay - jitter", dir, r->min);
#undef Q
}

Test(impair, jitter_is_uniform_per_direction, .timeout = 60)
{
	need_labs();
	up_yaml("jitter", "nodes:\n"
		"  a: { ifaces: { eth0: { mac: '" MAC_A "', addrs: [10.9.0.1/24] },\n"
		"                 eth1: { mac: '" MAC_A2 "', addrs: [10.9.1.1/24] } } }\n"
		"  b: { ifaces: { eth0: { mac: '" MAC_B "', addrs: [10.9.0.2/24] } } }\n"
		"  c: { ifaces: { eth0: { mac: '" MAC_C "', addrs: [10.9.1.2/24] } } }\n"
		"links:\n"
		"  - endpoints: [a:eth0, b:eth0]\n"
		"    downstream: { delay: 20ms, jitter: 5ms }\n"
		"    upstream: { delay: 10ms, jitter: 2ms }\n"
		"  - { endpoints: [a:eth1, c:eth0], impl: userspace, delay: 20ms }\n");
	static_neighbours();
	static_neighbour("a", "10.9.1.2", MAC_C, "eth1");
	static_neighbour("c", "10.9.1.1", MAC_A2, "eth0");
	struct flow f[3] = {{"a", "b", 600, 80, 64}, {"b", "a", 600, 80, 64},
			    {"a", "c", 600, 80, 64}};
	owd_flows(f, 3, 300);
	double b = fmax(f[2].r.p95 - 20000, 0);
	cr_log_info("jitter: the machine adds %.0f us (p95 of a->c over its 20 ms)\n", b);
	expect_delay("a->c (20 ms, no jitter)", &f[2].r, 20);
	expect_uniform("a->b (20 ± 5 ms)", &f[0].r, 20, 5, b);
	expect_uniform("b->a (10 ± 2 ms)", &f[1].r, 10, 2, b);
	for (int i = 0; i < 3; i++)
		expect_clean(i == 0 ? "a->b" : i == 1 ? "b->a" : "a->c", &f[i].r);
	/* Fast: delays drawn out of order are held back, never reordered. */
	struct flow d, u;
	owd_both(&d, &u, 2000, 2000, 64, 300);
	expect_clean("a->b at 2000/s", &d.r);
	expect_clean("b->a at 2000/s", &u.r);
	cr_expect_geq(d.r.min, 15000 - 20, "a->b at 2000/s: min %.1f us", d.r.min);
	down_pair();
}

/* A bit-error rate drops a frame of L bytes with p = 1 - (1 - ber)^(8 L):
 * 2e-5 downstream, so 15.3% of 1042-byte frames, 2.2% of 142-byte ones;
 * upstream has none. */
Test(impair, ber_by_frame_size_per_direction, .timeout = 60)
{
	need_labs();
	up_pair("ber", "    downstream: { ber: 2e-5 }\n");
	struct flow f[3] = {{"a", "b", 2000, 1000, 1000},
			    {"a", "b", 2000, 1000, 100},
			    {"b", "a", 1000, 1000, 1000}};
	owd_flows(f, 3, 300);
	double ber = 2e-5;
	expect_binomial("a->b 1042-byte frames lost", f[0].r.lost, 2000,
			1 - pow(1 - ber, 8.0 * frame_len(1000)));
	expect_binomial("a->b 142-byte frames lost", f[1].r.lost, 2000,
			1 - pow(1 - ber, 8.0 * frame_len(100)));
	expect_clean("b->a (no ber)", &f[2].r);
	down_pair();
}

/* ---- bandwidth and queue, per direction: the pipe and tbf --------------- */

/* tbf where doctor's probe finds it, else SKIP. */
static void need_tbf(void)
{
	if (!have_qdisc("tbf"))
		cr_skip_test("SKIP: this kernel has no tbf qdisc (vnetlab doctor)");
}

/* Offered 1.5 times the rate for 2 s, the receiver sees the rate: the
 * bottleneck sends back to back while its queue holds frames.  Never more
 * than 2% over it, whatever the machine does; under it by at most 10%:
 * on a busy machine every stall is rate lost, tbf's (it keeps a burst of
 * 1 ms only) and the pipe's (frames wait in its receive ring, unseen).
 * Measured: tbf 7.96..8.00 of 8 Mbit/s quiet, 7.49 beside a fuzzer, 6.96
 * in the sanitized rootless pass of a CI run; the pipe 3.999 of 4 quiet,
 * 3.848 while another suite made namespaces.  20% still fails a swap of
 * the directions (2 against 8 Mbit/s) by far. */
#define LO_RATE 0.20

static void expect_rate(const char *dir, const struct owd *r, double mbit)
{
	double got = r->rate / 1e6;
	cr_expect(got >= (1 - LO_RATE) * mbit && got <= 1.02 * mbit,
		  "%s: %.3f Mbit/s of frames, want %.1f (-%.0f%%, +2%%)", dir, got, mbit,
		  LO_RATE * 100);
}

/* 8 Mbit/s downstream, 2 Mbit/s upstream, with 1042-byte frames. */
static void bandwidth_per_direction(const char *impl)
{
	char params[160];
	snprintf(params, sizeof(params), "    impl: %s\n    downstream: { bandwidth: 8Mbit }\n"
		 "    upstream: { bandwidth: 2Mbit }\n", impl);
	up_pair("bwdir", params);
	int fps8 = 8000000 / (8 * frame_len(1000)), fps2 = 2000000 / (8 * frame_len(1000));
	struct flow f[2] = {{"a", "b", 3 * fps8, 3 * fps8 / 2, 1000},
			    {"b", "a", 3 * fps2, 3 * fps2 / 2, 1000}};
	owd_flows(f, 2, 500);
	expect_rate("a->b (8 Mbit/s)", &f[0].r, 8);
	expect_rate("b->a (2 Mbit/s)", &f[1].r, 2);
	cr_expect_gt(f[0].r.lost, 0, "a->b offered 1.5 x its rate, nothing lost");
	/* The pipe keeps order; a kernel qdisc on a veth may not (whichever
	 * CPU dequeues a frame hands it to its own backlog: seen, 1..4 of
	 * 2000 frames through tbf, on a loaded machine). */
	if (!strcmp(impl, "userspace"))
		cr_expect_eq(f[0].r.reordered + f[1].r.reordered, 0);
	down_pair();
}

Test(impair, bandwidth_per_direction_userspace, .timeout = 60)
{
	need_labs();
	bandwidth_per_direction("userspace");
}

Test(impair, bandwidth_per_direction_tbf, .timeout = 60)
{
	need_labs();
	need_tbf();
	bandwidth_per_direction("kernel");
}

/* A queue of q frames (q x 1514 bytes waiting for the wire) in front of a
 * 4 Mbit/s wire, with twice the rate offered in 1042-byte frames.
 *
 * Its length is counted in frames, which the machine's timing hardly
 * changes: through a FIFO bottleneck, what reaches the receiver while a
 * frame is on its way was ahead of it (owd's `ahead`).  At most
 * q x 1514 / 1042 whole frames wait, plus the one on the wire: 8 for the
 * small queue (5, downstream), 146 for the large one (100, upstream),
 * which fills and stays full (median at most 3 below).  Measured: 6 and
 * 144 through tbf, 7 and 145 through the pipe.  p90, not p99: a stalled
 * pipe thread leaves frames in its receive ring, a queue it does not
 * count (p99 11 and 151 seen while another suite made namespaces).
 *
 * In time: the small queue keeps the wait (p90) under q x 1514 bytes plus
 * the frame's own at the rate (seen to drain at: a busy machine slows
 * tbf), with QALLOW for stalls; the large one's median wait is nearly its
 * whole length, twenty times as long.  The small queue drops about half. */
static void queue_per_direction(const char *impl)
{
	char params[200];
	snprintf(params, sizeof(params), "    impl: %s\n    bandwidth: 4Mbit\n"
		 "    downstream: { queue: 5 }\n    upstream: { queue: 100 }\n", impl);
	up_pair("queue", params);
	int fps = 4000000 / (8 * frame_len(1000));
	struct flow d, u;
	owd_both(&d, &u, 4 * fps, 2 * fps, 1000, 500);
	int small_n = 5 * 1514 / frame_len(1000) + 1, big_n = 100 * 1514 / frame_len(1000) + 1;
	cr_expect_leq(d.r.ahead_p90, small_n, "a->b (queue 5): %.0f frames ahead (p90), want <= %d",
		      d.r.ahead_p90, small_n);
	cr_expect(u.r.ahead_p50 >= big_n - 3 && u.r.ahead_p90 <= big_n,
		  "b->a (queue 100): %.0f frames ahead (median), %.0f (p90), want %d..%d",
		  u.r.ahead_p50, u.r.ahead_p90, big_n - 3, big_n);
	/* Waits at the rate the queue was seen to drain at (bit/us), which
	 * expect_rate below holds to 4 Mbit/s. */
	double bd = fmax(d.r.rate, 1) / 1e6, bu = fmax(u.r.rate, 1) / 1e6;
	double small_us = (5 * 1514 + frame_len(1000)) * 8 / bd;
	double frame_us = frame_len(1000) * 8 / bu, big_us = 100 * 1514 * 8 / bu;
	cr_expect_leq(d.r.p90, small_us + QALLOW_US,
		      "a->b (queue 5): waited %.0f us (p90), the queue holds %.0f us", d.r.p90,
		      small_us);
	cr_expect(u.r.p50 >= 0.8 * big_us && u.r.p50 <= big_us + frame_us + QALLOW_US,
		  "b->a (queue 100): waited %.0f us (median), a full queue is %.0f us", u.r.p50,
		  big_us + frame_us);
	cr_expect(d.r.lost >= 4 * fps * 35 / 100 && d.r.lost <= 4 * fps * 60 / 100,
		  "a->b (queue 5) at twice the rate: %ld of %d lost, want 35..60%%", d.r.lost,
		  4 * fps);
	cr_expect_gt(u.r.lost, 0, "b->a (queue 100): nothing lost at twice the rate");
	expect_rate("a->b (4 Mbit/s)", &d.r, 4);
	expect_rate("b->a (4 Mbit/s)", &u.r, 4);
	down_pair();
}

Test(impair, queue_per_direction_userspace, .timeout = 60)
{
	need_labs();
	queue_per_direction("userspace");
}

Test(impair, queue_per_direction_tbf, .timeout = 60)
{
	need_labs();
	need_tbf();
	queue_per_direction("kernel");
}

/* ---- TCP across a limited link (iperf3), each way ----------------------- */

/* iperf3 from a to b (reverse: b sends), Mbit/s the receiver saw.  The
 * server says when it listens (--forceflush: at once, through a pipe);
 * -1 makes it leave after the one test. */
static double iperf_mbit(bool reverse)
{
	struct bg srv;
	const char *sv[] = {bin(), "exec", labname, "b", "--", "iperf3", "-s", "-1",
			    "--forceflush", NULL};
	bg_start(&srv, sv);
	cr_assert(bg_wait_text(&srv, "Server listening", 10000), "iperf3 -s: %s", srv.out);
	static char out[65536];
	const char *cli[] = {bin(), "exec", labname, "a", "--", "iperf3", "-c", "10.9.0.2",
			     "-t", "3", "-f", "m", reverse ? "-R" : NULL, NULL};
	int rc = run(cli, NULL, out, sizeof(out), NULL);
	/* Failed, the server would wait for its one test forever. */
	cr_assert_eq(rc, 0, "%s", out);
	bg_finish(&srv);
	char *r = strstr(out, "receiver");
	cr_assert_not_null(r, "%s", out);
	while (r > out && r[-1] != '\n')
		r--;
	char *m = strstr(r, "MBytes");
	cr_assert_not_null(m);
	return atof(m + 6);
}

static void need_iperf3(void)
{
	if (access("/usr/bin/iperf3", X_OK) != 0)
		cr_skip_test("SKIP: iperf3 is not installed");
}

/* TCP is no rate meter (owd's UDP above is): what it gets of a limited
 * link, never more than 5% over, may fall 20% under on a busy machine
 * (4.22 of 5 Mbit/s over tbf seen while other suites ran; 9.5 of 10 and
 * 4.8 of 5 usually). */
#define TCP_LO 0.80

/* 10 Mbit/s downstream, 5 upstream: TCP gets each, in its direction. */
static void bandwidth_tcp(const char *impl)
{
	char params[160];
	snprintf(params, sizeof(params), "    impl: %s\n    downstream: { bandwidth: 10Mbit }\n"
		 "    upstream: { bandwidth: 5Mbit }\n", impl);
	up_pair("bw", params);
	double down = iperf_mbit(false), up = iperf_mbit(true);
	cr_log_info("iperf3 %s: a->b %.2f, b->a %.2f Mbit/s\n", impl, down, up);
	cr_expect(down >= TCP_LO * 10 && down <= 10.5, "%s: a->b %.2f Mbit/s over 10 Mbit/s",
		  impl, down);
	cr_expect(up >= TCP_LO * 5 && up <= 5.25, "%s: b->a %.2f Mbit/s over 5 Mbit/s", impl, up);
	down_pair();
}

Test(impair, bandwidth_tcp_userspace, .timeout = 60)
{
	need_labs();
	need_iperf3();
	bandwidth_tcp("userspace");
}

Test(impair, bandwidth_tcp_kernel, .timeout = 60)
{
	need_labs();
	need_iperf3();
	need_tbf();
	bandwidth_tcp("kernel");
}

/* ---- live changes: `vnetlab link LAB A:IF B:IF ...` ------------------------- */

/* Run `vnetlab link labname WORDS...`; the answer parsed (--json). */
static struct json_object *link_cmd(const char *const words[], int want_rc)
{
	const char *argv[16] = {bin(), "link", labname, "--json"};
	int n = 4;
	for (int i = 0; words[i] && n < 15; i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	static char out[16384];
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	cr_assert_eq(rc, want_rc, "link %s %s: exit %d\n%s", words[0], words[2], rc, out);
	return rc == 0 ? json_tokener_parse(out) : NULL;
}

/* "by" of PARAM in DIR of a link answer, or NULL when it is not set. */
static const char *carrier(struct json_object *l, const char *dir, const char *param)
{
	struct json_object *p = json_object_object_get(json_object_object_get(l, dir), param);
	return p ? json_object_get_string(json_object_object_get(p, "by")) : NULL;
}

/* ping from a to b; RTTs (ms) of the replies into rtt, count returned. */
static size_t ping_rtts(const char *count, const char *interval, double *rtt,
			size_t max, char *out, size_t len)
{
	const char *argv[] = {bin(), "exec", labname, "a", "--", "ping", "-n", "-c",
			      count, "-i", interval, "-W", "2", "10.9.0.2", NULL};
	run(argv, NULL, out, len, NULL);
	size_t n = 0;
	for (const char *p = out; (p = strstr(p, "time=")) && n < max; p += 5)
		rtt[n++] = atof(p + 5);
	return n;
}

static double median_rtt(const char *count)
{
	static char out[1 << 16];
	double rtt[200];
	size_t n = ping_rtts(count, "0.02", rtt, 200, out, sizeof(out));
	cr_assert_geq(n, 1, "no replies\n%s", out);
	qsort(rtt, n, sizeof(double), cmp_double);
	return rtt[n / 2];
}

static size_t replies(const char *node, const char *dst)
{
	char out[8192];
	const char *argv[] = {bin(), "exec", labname, node, "--", "ping", "-n", "-c", "3",
			      "-i", "0.2", "-W", "1", dst, NULL};
	run(argv, NULL, out, sizeof(out), NULL);
	const char *r = strstr(out, " received");
	if (!r)
		return 0;
	while (r > out && r[-1] != ' ')
		r--;
	return (size_t)atoi(r);
}

/* Delay set and cleared while the lab runs, through the pipe; the wire
 * unplugged and plugged again; `link` reports what carries what. */
Test(live, delay_set_clear_and_unplug, .timeout = 90)
{
	need_labs();
	up_pair("live", "    impl: userspace\n");
	double base = median_rtt("20");
	cr_expect_lt(base, 2.0, "unimpaired pipe: median RTT %.3f ms", base);

	const char *set[] = {"a:eth0", "b:eth0", "set", "delay", "10ms", NULL};
	struct json_object *l = link_cmd(set, 0);
	cr_expect_str_eq(carrier(l, "downstream", "delay"), "pipe");
	cr_expect_str_eq(carrier(l, "upstream", "delay"), "pipe");
	json_object_put(l);
	double m = median_rtt("50");
	cr_expect(m >= 19.0 && m <= 21.0, "after set delay 10ms: median %.3f ms", m);

	const char *down[] = {"a:eth0", "b:eth0", "down", NULL};
	l = link_cmd(down, 0);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(l, "state")), "down");
	json_object_put(l);
	cr_expect_eq(replies("a", "10.9.0.2"), 0, "frames crossed an unplugged link");
	const char *up[] = {"a:eth0", "b:eth0", "up", NULL};
	json_object_put(link_cmd(up, 0));
	cr_expect_eq(replies("a", "10.9.0.2"), 3);

	const char *clear[] = {"a:eth0", "b:eth0", "clear", NULL};
	l = link_cmd(clear, 0);
	cr_expect_null(carrier(l, "downstream", "delay"));
	json_object_put(l);
	m = median_rtt("20");
	cr_expect_lt(m, 2.0, "after clear: median %.3f ms", m);

	/* inspect shows the lab as it is now. */
	char out[1 << 15];
	const char *insp[] = {bin(), "inspect", labname, NULL};
	run(insp, NULL, out, sizeof(out), NULL);
	cr_expect_not_null(strstr(out, "a:eth0 <-> b:eth0  up  userspace pipe"), "%s", out);
	down_pair();
}

/* A change to one direction changes that one only, in the directions the
 * user named: after `a:eth0 b:eth0`, upstream is b -> a; after `b:eth0
 * a:eth0`, downstream is b -> a.  Measured one way each. */
Test(live, one_direction_changes_alone, .timeout = 60)
{
	need_labs();
	up_pair("livedir", "    impl: userspace\n    delay: 10ms\n");
	struct flow d, u;
	const char *up_delay[] = {"a:eth0", "b:eth0", "set", "upstream", "delay", "25ms", NULL};
	struct json_object *l = link_cmd(up_delay, 0);
	cr_expect_str_eq(carrier(l, "upstream", "delay"), "pipe");
	json_object_put(l);
	owd_both(&d, &u, 200, 200, 64, 300);
	expect_delay("a->b (still 10 ms)", &d.r, 10);
	expect_delay("b->a (set upstream 25 ms)", &u.r, 25);

	/* Named the other way round: downstream is b -> a. */
	const char *rev[] = {"b:eth0", "a:eth0", "set", "downstream", "delay", "5ms",
			     "loss", "20%", NULL};
	json_object_put(link_cmd(rev, 0));
	owd_both(&d, &u, 2000, 1000, 64, 300);
	expect_delay("a->b (still 10 ms)", &d.r, 10);
	expect_delay("b->a (set 5 ms as b:eth0 a:eth0 downstream)", &u.r, 5);
	cr_expect_eq(d.r.lost, 0, "a->b: %ld lost, loss was set on b -> a", d.r.lost);
	expect_binomial("b->a lost (20%)", u.r.lost, 2000, 0.20);

	/* And removing it there leaves the other direction's delay. */
	const char *none[] = {"b:eth0", "a:eth0", "set", "downstream", "loss", "none",
			      "delay", "none", NULL};
	json_object_put(link_cmd(none, 0));
	owd_both(&d, &u, 200, 200, 64, 300);
	expect_delay("a->b (still 10 ms)", &d.r, 10);
	cr_expect_leq(u.r.p50, ALLOW_US + 700, "b->a, delay removed: median %.0f us", u.r.p50);
	expect_clean("b->a", &u.r);
	down_pair();
}

/* Live `set bandwidth 5Mbit` on the pair made with params: carried by
 * tbf, and iperf3 measures it.  SKIP without iperf3 or tbf. */
static void live_bandwidth_5mbit(const char *lab_base, const char *params)
{
	need_labs();
	need_iperf3();
	need_tbf();
	up_pair(lab_base, params);
	const char *set[] = {"a:eth0", "b:eth0", "set", "bandwidth", "5Mbit", NULL};
	struct json_object *l = link_cmd(set, 0);
	cr_expect_str_eq(carrier(l, "downstream", "bandwidth"), "tbf");
	json_object_put(l);
	double mbit = iperf_mbit(false);
	cr_expect(mbit >= TCP_LO * 5 && mbit <= 5.25, "%.2f Mbit/s after set bandwidth 5Mbit", mbit);
}

/* A link the kernel carries (tbf) takes a new rate live: 10 -> 5 Mbit/s. */
Test(live, bandwidth_change_on_tbf, .timeout = 90)
{
	live_bandwidth_5mbit("livebw", "    bandwidth: 10Mbit\n    impl: kernel\n");
	/* A kernel-only link cannot take what only the pipe does. */
	const char *bad[] = {"a:eth0", "b:eth0", "set", "ber", "1e-6", NULL};
	link_cmd(bad, 1);
	down_pair();
}

/* A lab with no impairments skips the qdisc probe at up; its first live
 * change must probe then, not refuse as if the kernel had no tbf (found
 * by the soak run). */
Test(live, bandwidth_on_a_lab_without_impairments, .timeout = 90)
{
	live_bandwidth_5mbit("liveplain", "");
	down_pair();
}

/* tbf on one direction, live: `set upstream bandwidth 2Mbit` replaces
 * b's qdisc and not a's (8 Mbit/s stays downstream); then the reverse
 * naming's downstream is b -> a too. */
Test(live, one_direction_bandwidth_on_tbf, .timeout = 60)
{
	need_labs();
	need_tbf();
	up_pair("livetbf", "    impl: kernel\n    bandwidth: 8Mbit\n");
	const char *set[] = {"a:eth0", "b:eth0", "set", "upstream", "bandwidth", "2Mbit", NULL};
	struct json_object *l = link_cmd(set, 0);
	cr_expect_str_eq(carrier(l, "upstream", "bandwidth"), "tbf");
	json_object_put(l);
	int fps8 = 8000000 / (8 * frame_len(1000)), fps2 = 2000000 / (8 * frame_len(1000));
	struct flow f[2] = {{"a", "b", 3 * fps8, 3 * fps8 / 2, 1000},
			    {"b", "a", 3 * fps2, 3 * fps2 / 2, 1000}};
	owd_flows(f, 2, 500);
	expect_rate("a->b (8 Mbit/s, untouched)", &f[0].r, 8);
	expect_rate("b->a (set upstream 2 Mbit/s)", &f[1].r, 2);

	const char *rev[] = {"b:eth0", "a:eth0", "set", "downstream", "bandwidth", "4Mbit", NULL};
	json_object_put(link_cmd(rev, 0));
	int fps4 = 4000000 / (8 * frame_len(1000));
	struct flow g[2] = {{"a", "b", 3 * fps8, 3 * fps8 / 2, 1000},
			    {"b", "a", 3 * fps4, 3 * fps4 / 2, 1000}};
	owd_flows(g, 2, 500);
	expect_rate("a->b (8 Mbit/s, untouched)", &g[0].r, 8);
	expect_rate("b->a (b:eth0 a:eth0 set downstream 4 Mbit/s)", &g[1].r, 4);
	down_pair();
}

/* Unplugging a direct node-to-node link sets its ends down, which makes
 * the kernel drop routes through them; plugging it back restores the
 * topology's routes, so traffic across a router flows again. */
Test(live, direct_link_unplug_keeps_routes, .timeout = 60)
{
	need_labs();
	up_yaml("liveroute",
		"nodes:\n"
		"  a: { ifaces: { e0: { addrs: [10.9.0.1/24, 'fd00:9::1/64'] } },\n"
		"       routes: [{ to: default, via: 10.9.0.254 }, { to: default, via: 'fd00:9::fe' }] }\n"
		"  r: { forwarding: true, ifaces: { e0: { addrs: [10.9.0.254/24, 'fd00:9::fe/64'] },\n"
		"                                  e1: { addrs: [10.9.1.254/24] } } }\n"
		"  b: { ifaces: { e0: { addrs: [10.9.1.1/24] } }, routes: [{ to: default, via: 10.9.1.254 }] }\n"
		"links:\n  - [a:e0, r:e0]\n  - [r:e1, b:e0]\n");
	cr_assert_eq(replies("a", "10.9.1.1"), 3);
	const char *down[] = {"a:e0", "r:e0", "down", NULL};
	json_object_put(link_cmd(down, 0));
	cr_expect_eq(replies("a", "10.9.1.1"), 0);
	const char *up[] = {"r:e0", "a:e0", "up", NULL};
	json_object_put(link_cmd(up, 0));
	cr_expect_eq(replies("a", "10.9.1.1"), 3, "routes not restored after up");
	cr_expect_eq(replies("a", "fd00:9::fe"), 3, "IPv6 address lost over down/up");
	down_pair();
}

/* A delay on a plain (`impl: auto`) link of a kernel without netem: the
 * link moves onto the userspace pipe live, keeping what it carried, and
 * the routes through it are made again with it (the kernel took them
 * with the old veth end), so traffic across the router flows again. */
Test(live, a_delay_without_netem_moves_the_link_onto_the_pipe, .timeout = 60)
{
	need_labs();
	up_yaml("liverepipe",
		"nodes:\n"
		"  a: { ifaces: { e0: { addrs: [10.9.0.1/24] } }, routes: [{ to: default, via: 10.9.0.254 }] }\n"
		"  r: { forwarding: true, ifaces: { e0: { addrs: [10.9.0.254/24] },\n"
		"                                  e1: { addrs: [10.9.1.254/24] } } }\n"
		"  b: { ifaces: { e0: { addrs: [10.9.1.1/24] } }, routes: [{ to: default, via: 10.9.1.254 }] }\n"
		"links:\n  - [a:e0, r:e0]\n  - { endpoints: [r:e1, b:e0], bandwidth: 50Mbit }\n");
	cr_assert_eq(replies("a", "10.9.1.1"), 3);
	const char *set[] = {"r:e1", "b:e0", "set", "delay", "30ms", NULL};
	struct json_object *l = link_cmd(set, 0);
	bool netem = have_qdisc("netem");
	cr_expect_str_eq(carrier(l, "downstream", "delay"), netem ? "netem" : "pipe");
	/* what the link carried before goes along */
	cr_expect_str_eq(carrier(l, "downstream", "bandwidth"), netem ? "netem" : "pipe");
	json_object_put(l);
	cr_expect_eq(replies("a", "10.9.1.1"), 3, "routes across the remade link lost");
	char out[8192];
	const char *ping[] = {bin(), "exec", labname, "a", "--", "ping", "-n", "-c", "3", "-i",
			      "0.2", "-W", "2", "10.9.1.1", NULL};
	run(ping, NULL, out, sizeof(out), NULL);
	const char *m = strstr(out, "rtt min/avg/max/mdev = ");
	cr_assert_not_null(m, "%s", out);
	double min = atof(m + strlen("rtt min/avg/max/mdev = "));
	/* 30 ms each way on r <-> b */
	cr_expect_geq(min, 59.5, "a -> b: %.3f ms", min);
	cr_expect_lt(min, 200, "a -> b: %.3f ms", min);
	down_pair();
}

/* A pipe node written the netgraph way is the link it stands for: 10 ms
 * downstream only (upper to lower) is 10 ms a -> b and none b -> a, and
 * the link says which node it came from. */
Test(impair, pipe_node_is_an_impaired_link, .timeout = 60)
{
	need_labs();
	up_yaml("pipenode", "nodes:\n"
		"  a: { ifaces: { eth0: { mac: '" MAC_A "', addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { mac: '" MAC_B "', addrs: [10.9.0.2/24] } } }\n"
		"  p: { kind: pipe, downstream: { delay: 10ms } }\n"
		"links:\n  - [a:eth0, p:upper]\n  - [p:lower, b:eth0]\n");
	static_neighbours();
	struct flow d, u;
	owd_both(&d, &u, 200, 200, 64, 300);
	expect_delay("a->b (upper -> lower, 10 ms)", &d.r, 10);
	cr_expect_leq(u.r.p50, ALLOW_US + 700, "b->a (no delay): median %.0f us", u.r.p50);
	const char *show[] = {"a:eth0", "b:eth0", NULL};
	struct json_object *l = link_cmd(show, 0);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(l, "via")), "p");
	cr_expect_str_eq(carrier(l, "downstream", "delay"), "pipe");
	cr_expect_null(carrier(l, "upstream", "delay"));
	json_object_put(l);
	down_pair();
}

/* compare: two check reports of the same lab are alike; after the link is
 * unplugged, or slowed past the tolerance, compare says so and exits 1. */
static void check_json(const char *path)
{
	static char out[1 << 16];
	const char *argv[] = {bin(), "check", labname, "--json", NULL};
	run(argv, NULL, out, sizeof(out), NULL);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(out, f);
	fclose(f);
}

static int compare(const char *a, const char *b)
{
	static char out[1 << 16];
	const char *argv[] = {bin(), "compare", a, b, "--rtt-tolerance", "2ms", NULL};
	return run(argv, NULL, out, sizeof(out), NULL);
}

Test(live, compare_sees_what_changed, .timeout = 60)
{
	need_labs();
	up_pair("cmp", "    impl: userspace\n");
	char a[64], b[64], c[64], d[64];
	snprintf(a, sizeof(a), "/tmp/vnetlab-itest-%d-a.json", (int)getpid());
	snprintf(b, sizeof(b), "/tmp/vnetlab-itest-%d-b.json", (int)getpid());
	snprintf(c, sizeof(c), "/tmp/vnetlab-itest-%d-c.json", (int)getpid());
	snprintf(d, sizeof(d), "/tmp/vnetlab-itest-%d-d.json", (int)getpid());
	check_json(a);
	check_json(b);
	cr_expect_eq(compare(a, b), 0, "two runs of an unchanged lab differ");
	const char *slow[] = {"a:eth0", "b:eth0", "set", "delay", "5ms", NULL};
	json_object_put(link_cmd(slow, 0));
	check_json(c);
	cr_expect_eq(compare(a, c), 1, "10 ms more RTT within a 2 ms tolerance");
	const char *down[] = {"a:eth0", "b:eth0", "down", NULL};
	json_object_put(link_cmd(down, 0));
	check_json(d);
	cr_expect_eq(compare(a, d), 1, "reachability difference not seen");
	unlink(a), unlink(b), unlink(c), unlink(d);
	down_pair();
}

/* check's RTT matrix (the lowest of its probes, 20 of them) is the sum of
 * the two one-way delays (12 ms down, 6 ms up: 18 ms), both from a and
 * from b: never under it, at most 5% over.  The average is logged, not
 * bounded: one probe held up on a loaded machine moves it (+7% seen;
 * with 3 probes even the lowest was +6% once, beside a fuzzer). */
Test(impair, check_rtt_is_both_delays, .timeout = 60)
{
	need_labs();
	up_pair("checkrtt", "    downstream: { delay: 12ms }\n    upstream: { delay: 6ms }\n");
	static char out[1 << 16];
	const char *argv[] = {bin(), "check", labname, "--json", "--count", "20", NULL};
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	cr_assert_eq(rc, 0, "check: exit %d\n%s", rc, out);
	struct json_object *j = json_tokener_parse(out), *res;
	cr_assert(j && json_object_object_get_ex(j, "results", &res), "%s", out);
	size_t n = json_object_array_length(res);
	cr_expect_eq(n, 2, "one result per node and address: %s", out);
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(res, i);
		struct json_object *rtt = json_object_object_get(r, "rtt_ms");
		const char *src = json_object_get_string(json_object_object_get(r, "src"));
		cr_assert_not_null(rtt, "%s: no answer\n%s", src, out);
		double mn = json_object_get_double(json_object_object_get(rtt, "min"));
		double avg = json_object_get_double(json_object_object_get(rtt, "avg"));
		cr_log_info("check from %s: rtt min %.3f avg %.3f ms\n", src, mn, avg);
		cr_expect(mn >= 17.95 && mn <= 18.0 * 1.05,
			  "from %s: rtt min %.3f ms, want 18 .. 18.9", src, mn);
	}
	json_object_put(j);
	down_pair();
}

/* The kernel path for delay: netem where the kernel has it (this suite's
 * machine has none, and says so); one way, each direction its own. */
Test(impair, delay_per_direction_netem, .timeout = 60)
{
	need_labs();
	if (!have_qdisc("netem"))
		cr_skip_test("SKIP: this kernel has no netem qdisc (delay goes to the "
			     "userspace pipe, tested above)");
	up_pair("netem", "    impl: kernel\n    downstream: { delay: 30ms }\n"
			 "    upstream: { delay: 10ms }\n");
	struct flow d, u;
	owd_both(&d, &u, 500, 200, 64, 300);
	expect_delay("a->b (netem 30 ms)", &d.r, 30);
	expect_delay("b->a (netem 10 ms)", &u.r, 10);
	down_pair();
}
