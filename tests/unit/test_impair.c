/* SPDX-License-Identifier: BSD-2-Clause */
/* Units of link parameters: what people write is read exactly; anything
 * else is refused with the forms accepted. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vnetlab/impair.h"
#include "vnetlab/topo.h"

static uint64_t ok(enum vl_param p, const char *s)
{
	uint64_t v;
	char why[200] = "";
	cr_assert_eq(vl_param_parse(p, s, &v, why, sizeof(why)), 0, "%s: %s", s, why);
	return v;
}

static void bad(enum vl_param p, const char *s, const char *want)
{
	uint64_t v;
	char why[200] = "";
	cr_expect_neq(vl_param_parse(p, s, &v, why, sizeof(why)), 0, "'%s' accepted", s);
	cr_expect(strstr(why, want), "'%s': %s", s, why);
}

Test(impair, bandwidth)
{
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10Mbit"), 10000000);
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10mbit"), 10000000);
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10Mbps"), 10000000, "Mbps is megabit");
	cr_expect_eq(ok(VL_P_BANDWIDTH, "1.5Gbit"), 1500000000);
	cr_expect_eq(ok(VL_P_BANDWIDTH, "512kbit"), 512000);
	cr_expect_eq(ok(VL_P_BANDWIDTH, "64000"), 64000, "plain bit/s");
	bad(VL_P_BANDWIDTH, "10MB/s", "bytes per second");
	bad(VL_P_BANDWIDTH, "fast", "10Mbit");
	bad(VL_P_BANDWIDTH, "-5Mbit", "not understood");
	bad(VL_P_BANDWIDTH, "10bit", "out of range");
}

Test(impair, times)
{
	cr_expect_eq(ok(VL_P_DELAY, "5ms"), 5000000);
	cr_expect_eq(ok(VL_P_DELAY, "1.5ms"), 1500000);
	cr_expect_eq(ok(VL_P_DELAY, "250us"), 250000);
	cr_expect_eq(ok(VL_P_JITTER, "2s"), 2000000000);
	bad(VL_P_DELAY, "5", "needs a unit");
	bad(VL_P_DELAY, "5 days", "not understood");
	bad(VL_P_DELAY, "2h", "not understood");
	bad(VL_P_DELAY, "4000s", "over 60 s");
}

Test(impair, ratios)
{
	cr_expect_eq(ok(VL_P_LOSS, "0.1%"), 1000000);
	cr_expect_eq(ok(VL_P_LOSS, "10%"), 100000000);
	cr_expect_eq(ok(VL_P_DUPLICATE, "100%"), VL_PPB);
	cr_expect_eq(ok(VL_P_BER, "1e-6"), 1000000000000ull);
	bad(VL_P_LOSS, "0.1", "percentage");
	bad(VL_P_LOSS, "120%", "percentage");
	bad(VL_P_BER, "1.5", "below 1");
	cr_expect_eq(ok(VL_P_QUEUE, "50"), 50);
	bad(VL_P_QUEUE, "0", "1 to 1000000");
	bad(VL_P_QUEUE, "5.5", "number of frames");
}

Test(impair, format_round_trips)
{
	static const struct { enum vl_param p; const char *s; } cases[] = {
		{VL_P_BANDWIDTH, "10Mbit"}, {VL_P_BANDWIDTH, "1.500Gbit"},
		{VL_P_DELAY, "5ms"}, {VL_P_DELAY, "250us"}, {VL_P_LOSS, "0.1%"},
		{VL_P_BER, "1e-06"}, {VL_P_QUEUE, "50"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = ok(cases[i].p, cases[i].s), again;
		char buf[32], why[200];
		vl_param_format(cases[i].p, v, buf, sizeof(buf));
		cr_expect_eq(vl_param_parse(cases[i].p, buf, &again, why, sizeof(why)), 0,
			     "%s -> %s: %s", cases[i].s, buf, why);
		cr_expect_eq(again, v, "%s -> %s", cases[i].s, buf);
	}
}

Test(impair, link_directions_from_a_file)
{
	const char *y = "nodes: { a: {}, b: {} }\n"
			"links:\n"
			"  - endpoints: [a:eth0, b:eth0]\n"
			"    delay: 10ms\n"
			"    loss: 1%\n"
			"    downstream: { bandwidth: 10Mbit }\n"
			"    upstream: { delay: 20ms }\n"
			"    impl: userspace\n";
	struct vl_topo *t;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_topo_load_buffer("t.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	const struct vl_link *l = &t->links[0];
	cr_expect_eq(l->impl, VL_IMPL_USERSPACE);
	cr_expect_eq(l->dir[0].v[VL_P_DELAY], 10000000);
	cr_expect_eq(l->dir[1].v[VL_P_DELAY], 20000000, "upstream overrides");
	cr_expect_eq(l->dir[0].v[VL_P_BANDWIDTH], 10000000);
	cr_expect_not(vl_impair_has(&l->dir[1], VL_P_BANDWIDTH));
	cr_expect_eq(l->dir[1].v[VL_P_LOSS], 10000000);
	char buf[128];
	vl_impair_format(&l->dir[0], buf, sizeof(buf));
	cr_expect_str_eq(buf, "bandwidth 10Mbit delay 10ms loss 1%");
	vl_topo_free(t);
}

/* Zero bandwidth passes nothing: refused, in every spelling. */
Test(impair, zero_bandwidth_is_refused)
{
	bad(VL_P_BANDWIDTH, "0bit", "is zero");
	bad(VL_P_BANDWIDTH, "0Mbit", "is zero");
	bad(VL_P_BANDWIDTH, "0", "is zero");
	bad(VL_P_BANDWIDTH, "0.0kbit", "is zero");
	/* Other parameters: zero is a value (the caller removes it). */
	cr_expect_eq(ok(VL_P_DELAY, "0ms"), 0);
	cr_expect_eq(ok(VL_P_LOSS, "0%"), 0);
}

/* A capital B is a byte: such rates are refused with the bits proposed,
 * never read as bits (10MBps was 10 Mbit/s). */
Test(impair, byte_rates_are_refused_with_the_bits)
{
	bad(VL_P_BANDWIDTH, "10MBps", "write 80Mbit");
	bad(VL_P_BANDWIDTH, "1GB/s", "write 8Gbit");
	bad(VL_P_BANDWIDTH, "512kB", "write 4096kbit");
	bad(VL_P_BANDWIDTH, "2Mbyte/s", "bytes per second");
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10MBit"), 10000000, "MBit is a bit");
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10mbps"), 10000000, "b is a bit");
}

/* Numbers are decimals as people write them: not hex, inf, nan, signs. */
Test(impair, strict_numbers)
{
	bad(VL_P_LOSS, "0x10%", "not understood");
	bad(VL_P_DELAY, "0x10ms", "not understood");
	bad(VL_P_BANDWIDTH, "0x1p20bit", "not understood");
	bad(VL_P_BANDWIDTH, "infbit", "not understood");
	bad(VL_P_DELAY, "nanms", "not understood");
	bad(VL_P_DELAY, "+5ms", "not understood");
	bad(VL_P_DELAY, " 5ms", "not understood");
	bad(VL_P_BER, "1e999", "not understood");
	bad(VL_P_QUEUE, "+5", "number of frames");
	cr_expect_eq(ok(VL_P_DELAY, ".5ms"), 500000);
	cr_expect_eq(ok(VL_P_DELAY, "1e1ms"), 10000000);
	cr_expect_eq(ok(VL_P_BANDWIDTH, "10 Mbit"), 10000000);

	double d;
	unsigned long long u;
	const char *rest;
	cr_expect_eq(vl_decimal("1.5ms", &d, &rest), 0);
	cr_expect_str_eq(rest, "ms");
	cr_expect_lt(vl_decimal("1.5ms", &d, NULL), 0, "NULL rest: the whole string");
	static const char *const not_real[] = {"inf", "nan", "0x10", "-1", "", " 1",
					       "1 ", "1e", "e5", "."};
	for (size_t i = 0; i < sizeof(not_real) / sizeof(not_real[0]); i++)
		cr_expect_lt(vl_real_arg(not_real[i], 0, 1e9, &d), 0, "'%s'", not_real[i]);
	cr_expect_eq(vl_real_arg("1e300", 0, 600000, &d), -ERANGE);
	cr_expect_eq(vl_real_arg("1e999", 0, 600000, &d), -ERANGE);
	cr_expect_eq(vl_real_arg("2.5", 1, 10, &d), 0);
	cr_expect_eq(d, 2.5);
	cr_expect_eq(vl_uint_arg("1e3", 1, 10000, &u), -EINVAL, "1e3 is not a count");
	cr_expect_eq(vl_uint_arg("-1", 0, 10, &u), -EINVAL);
	cr_expect_eq(vl_uint_arg("", 0, 10, &u), -EINVAL);
	cr_expect_eq(vl_uint_arg("99999999999999999999999", 0, ~0ull, &u), -ERANGE);
	cr_expect_eq(vl_uint_arg("0", 1, 10, &u), -ERANGE);
	cr_expect_eq(vl_uint_arg("10", 1, 10, &u), 0);
	cr_expect_eq(u, 10);
}

/* Delay and jitter: up to a minute, or an hour with --force. */
Test(impair, delay_bound_and_force)
{
	cr_expect_eq(ok(VL_P_DELAY, "60s"), 60000000000ull);
	bad(VL_P_DELAY, "61s", "over 60 s");
	bad(VL_P_JITTER, "120s", "--force");
	uint64_t v;
	char why[256];
	cr_expect_eq(vl_param_parse_opt(VL_P_DELAY, "120s", VL_PARAM_FORCE, &v, why,
					sizeof(why)), 0, "%s", why);
	cr_expect_eq(v, 120000000000ull);
	cr_expect_neq(vl_param_parse_opt(VL_P_DELAY, "3601s", VL_PARAM_FORCE, &v, why,
					 sizeof(why)), 0);
	cr_expect(strstr(why, "over an hour"), "%s", why);
}

/* Jitter varies a delay: none without one, never more than it. */
Test(impair, jitter_needs_a_delay_at_least_as_large)
{
	struct vl_impair im = {0};
	char why[256] = "";
	cr_expect_eq(vl_impair_check(&im, why, sizeof(why)), 0);
	vl_impair_set(&im, VL_P_JITTER, 2000000);
	cr_expect_lt(vl_impair_check(&im, why, sizeof(why)), 0);
	cr_expect(strstr(why, "jitter 2ms without a delay"), "%s", why);
	vl_impair_set(&im, VL_P_DELAY, 1000000);
	cr_expect_lt(vl_impair_check(&im, why, sizeof(why)), 0);
	cr_expect(strstr(why, "larger than the delay 1ms"), "%s", why);
	vl_impair_set(&im, VL_P_DELAY, 2000000);
	cr_expect_eq(vl_impair_check(&im, why, sizeof(why)), 0, "jitter = delay is fine");
}

/* In a file, the same rules with file:line:col. */
Test(impair, file_values_are_checked_with_positions)
{
	static const struct { const char *link, *msg; } cases[] = {
		{"delay: 61s", "f.yaml:3:36: error: delay '61s' is over 60 s"},
		{"delay: 5ms, jitter: 6ms", "f.yaml:3:49: error: downstream: jitter 6ms is larger"},
		{"delay: 5ms, upstream: { jitter: 1ms, delay: 0ms }",
		 "f.yaml:3:61: error: upstream: jitter 1ms without a delay"},
		{"bandwidth: 0Mbit", "f.yaml:3:40: error: bandwidth '0Mbit' is zero"},
		{"bandwidth: 10MBps", "write 80Mbit"},
		{"loss: 0x10%", "f.yaml:3:35: error: loss '0x10%' is not understood"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char y[256];
		snprintf(y, sizeof(y), "nodes: {a: {}, b: {}}\nlinks:\n"
			 "  - {endpoints: [a:e, b:e], %s}\n", cases[i].link);
		struct vl_topo *t;
		struct vl_err err;
		vl_err_init(&err);
		cr_expect_neq(vl_topo_load_buffer("f.yaml", y, strlen(y), &t, &err), 0,
			      "%s accepted", cases[i].link);
		cr_expect(strstr(err.msg, cases[i].msg), "%s: %s", cases[i].link, err.msg);
	}
	const char *pipe = "nodes: {a: {}, b: {}, p: {kind: pipe, jitter: 1ms}}\n"
			   "links: [[a:e, p:upper], [p:lower, b:e]]\n";
	struct vl_topo *t;
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_neq(vl_topo_load_buffer("p.yaml", pipe, strlen(pipe), &t, &err), 0);
	cr_expect(strstr(err.msg, "p.yaml:1:47: error: downstream: jitter 1ms without"),
		  "%s", err.msg);
}
