/* Link impairments do what they say, with bounds a wrong implementation
 * fails (issue 4).  Two nodes, one link, parameters per test; the
 * userspace pipe runs everywhere, tbf where the kernel has it (this
 * suite's machine has no netem: delay and loss always take the pipe). */
#include <criterion/criterion.h>
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

/* Up a two-node lab whose link carries `params` (YAML lines). */
static void up_pair(const char *name, const char *params)
{
	char yaml[1024];
	snprintf(yaml, sizeof(yaml), "nodes:\n"
		 "  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		 "  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		 "links:\n  - endpoints: [a:eth0, b:eth0]\n%s", params);
	up_yaml(name, yaml);
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

Test(impair, delay_10ms_each_way_is_20ms_rtt, .timeout = 60)
{
	need_labs();
	up_pair("delay", "    delay: 10ms\n");
	static char out[1 << 16];
	double rtt[200];
	size_t n = ping_rtts("100", "0.02", rtt, 200, out, sizeof(out));
	cr_expect_geq(n, 99, "replies: %zu\n%s", n, out);
	qsort(rtt, n, sizeof(double), cmp_double);
	double median = rtt[n / 2];
	cr_expect(median >= 19.0 && median <= 21.0, "median RTT %.3f ms, want 20 ± 1", median);
	down_pair();
}

/* 10% loss one way over 2000 frames: the count lost must fall inside the
 * 99.9% binomial interval (p = 0.1, n = 2000: 200 ± 3.29 sd = 156..244). */
Test(impair, loss_10_percent_is_binomial, .timeout = 120)
{
	need_labs();
	up_pair("loss", "    downstream: { loss: 10% }\n");
	static char out[1 << 18];
	double rtt[2100];
	size_t n = ping_rtts("2000", "0.002", rtt, 2100, out, sizeof(out));
	size_t lost = 2000 - n;
	double sd = sqrt(2000 * 0.1 * 0.9);
	cr_expect(fabs((double)lost - 200) <= 3.29 * sd,
		  "lost %zu of 2000, want 156..244", lost);
	down_pair();
}

/* 20% duplication one way over 1000 requests: duplicate replies inside the
 * 99.9% interval (200 ± 3.29 sd = 158..242). */
Test(impair, duplicate_20_percent, .timeout = 60)
{
	need_labs();
	up_pair("dup", "    downstream: { duplicate: 20% }\n");
	static char out[1 << 17];
	double rtt[2200];
	ping_rtts("1000", "0.002", rtt, 2200, out, sizeof(out));
	const char *d = strstr(out, "duplicates");
	cr_assert_not_null(d, "%s", out);
	while (d > out && d[-1] != '+')
		d--;
	int dups = atoi(d);
	double sd = sqrt(1000 * 0.2 * 0.8);
	cr_expect(fabs(dups - 200.0) <= 3.29 * sd, "%d duplicates, want 158..242", dups);
	down_pair();
}

/* Jitter spreads the delay: with 10 ms ± 5 ms one way, RTTs lie in
 * 5..15 ms (5th to 95th percentile: the machine's own scheduling noise,
 * e.g. the kernel freeing the previous test's namespaces, may add a
 * millisecond to a few) and are not all alike. */
Test(impair, jitter_spreads_delay, .timeout = 60)
{
	need_labs();
	up_pair("jitter", "    downstream: { delay: 10ms, jitter: 5ms }\n");
	static char out[1 << 16];
	double rtt[200];
	size_t n = ping_rtts("100", "0.02", rtt, 200, out, sizeof(out));
	cr_expect_geq(n, 99);
	qsort(rtt, n, sizeof(double), cmp_double);
	double p5 = rtt[n / 20], p95 = rtt[n - 1 - n / 20];
	cr_expect(p5 >= 4.9 && p95 <= 15.5, "RTTs p5 %.2f, p95 %.2f ms", p5, p95);
	cr_expect(rtt[n * 3 / 4] - rtt[n / 4] >= 2.0, "interquartile %.2f ms: no jitter",
		  rtt[n * 3 / 4] - rtt[n / 4]);
	down_pair();
}

static double iperf_mbit(void)
{
	char out[65536];
	const char *srv[] = {bin(), "exec", labname, "b", "--", "iperf3", "-s", "-D", "-1", NULL};
	cr_assert_eq(run(srv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	usleep(300000);
	const char *cli[] = {bin(), "exec", labname, "a", "--", "iperf3", "-c", "10.9.0.2",
			     "-t", "3", "-f", "m", NULL};
	cr_assert_eq(run(cli, NULL, out, sizeof(out), NULL), 0, "%s", out);
	char *r = strstr(out, "receiver");
	cr_assert_not_null(r, "%s", out);
	while (r > out && r[-1] != '\n')
		r--;
	char *m = strstr(r, "MBytes");
	cr_assert_not_null(m);
	return atof(m + 6);
}

static void bandwidth_10mbit(const char *impl)
{
	if (access("/usr/bin/iperf3", X_OK) != 0)
		cr_skip_test("SKIP: iperf3 is not installed");
	char params[128];
	snprintf(params, sizeof(params), "    bandwidth: 10Mbit\n    impl: %s\n", impl);
	up_pair("bw", params);
	double mbit = iperf_mbit();
	cr_expect(mbit >= 9.0 && mbit <= 10.5, "%s: %.2f Mbit/s over a 10 Mbit/s link",
		  impl, mbit);
	down_pair();
}

Test(impair, bandwidth_10mbit_userspace, .timeout = 60)
{
	need_labs();
	bandwidth_10mbit("userspace");
}

Test(impair, bandwidth_10mbit_kernel, .timeout = 60)
{
	need_labs();
	char out[8192];
	const char *doc[] = {bin(), "doctor", NULL};
	run(doc, NULL, out, sizeof(out), NULL);
	if (!strstr(out, "qdisc.tbf                                     present"))
		cr_skip_test("SKIP: this kernel has no tbf qdisc");
	bandwidth_10mbit("kernel");
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

	/* Named the other way round, downstream is b -> a: 10 + 5 ms. */
	const char *one[] = {"b:eth0", "a:eth0", "set", "downstream", "delay", "5ms", NULL};
	json_object_put(link_cmd(one, 0));
	m = median_rtt("50");
	cr_expect(m >= 14.0 && m <= 16.0, "10 ms + 5 ms: median %.3f ms", m);

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

/* Live `set bandwidth 5Mbit` on the pair made with params: carried by
 * tbf, and iperf3 measures it.  SKIP without iperf3 or tbf. */
static void live_bandwidth_5mbit(const char *lab_base, const char *params)
{
	need_labs();
	if (access("/usr/bin/iperf3", X_OK) != 0)
		cr_skip_test("SKIP: iperf3 is not installed");
	char out[8192];
	const char *doc[] = {bin(), "doctor", NULL};
	run(doc, NULL, out, sizeof(out), NULL);
	if (!strstr(out, "qdisc.tbf                                     present"))
		cr_skip_test("SKIP: this kernel has no tbf qdisc");
	up_pair(lab_base, params);
	const char *set[] = {"a:eth0", "b:eth0", "set", "bandwidth", "5Mbit", NULL};
	struct json_object *l = link_cmd(set, 0);
	cr_expect_str_eq(carrier(l, "downstream", "bandwidth"), "tbf");
	json_object_put(l);
	double mbit = iperf_mbit();
	cr_expect(mbit >= 4.5 && mbit <= 5.25, "%.2f Mbit/s after set bandwidth 5Mbit", mbit);
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

/* A pipe node written the netgraph way is the link it stands for: 10 ms
 * downstream only (upper to lower) gives a 10 ms RTT, and the link says
 * which node it came from. */
Test(impair, pipe_node_is_an_impaired_link, .timeout = 60)
{
	need_labs();
	up_yaml("pipenode", "nodes:\n"
		"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"  p: { kind: pipe, downstream: { delay: 10ms } }\n"
		"links:\n  - [a:eth0, p:upper]\n  - [p:lower, b:eth0]\n");
	double m = median_rtt("50");
	cr_expect(m >= 9.0 && m <= 11.0, "median RTT %.3f ms, want 10 ± 1", m);
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

/* The kernel path for delay: netem where the kernel has it (this suite's
 * machine has none, and says so); same bound as the pipe's. */
Test(impair, delay_10ms_kernel_netem, .timeout = 60)
{
	need_labs();
	char out[8192];
	const char *doc[] = {bin(), "doctor", NULL};
	run(doc, NULL, out, sizeof(out), NULL);
	const char *line = strstr(out, "qdisc.netem");
	const char *eol = line ? strchr(line, '\n') : NULL;
	const char *present = line ? strstr(line, "present") : NULL;
	if (!present || (eol && present > eol))
		cr_skip_test("SKIP: this kernel has no netem qdisc (delay goes to the "
			     "userspace pipe, tested above)");
	up_pair("netem", "    delay: 10ms\n    impl: kernel\n");
	double m = median_rtt("50");
	cr_expect(m >= 19.0 && m <= 21.0, "netem: median RTT %.3f ms, want 20 ± 1", m);
	down_pair();
}
