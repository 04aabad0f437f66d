/* Units of link parameters: what people write is read exactly; anything
 * else is refused with the forms accepted. */
#include <criterion/criterion.h>
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
	bad(VL_P_BANDWIDTH, "10MB/s", "not understood");
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
	bad(VL_P_DELAY, "4000s", "over an hour");
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
