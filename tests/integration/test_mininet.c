/* SPDX-License-Identifier: BSD-2-Clause */
/* Mininet's habits (docs/mininet.md): `vnetlab run --topo linear,4` is
 * `mn --topo linear,4 --test pingall` (and says how long it took), and
 * `--link delay=5ms` gives each direction of each link 5 ms, as TCLink
 * does on both interfaces: h1 to h4 of tree,2,2 crosses 4 links, so
 * their round trip is at least 4 x 2 x 5 ms = 40 ms (h1 to h2, 2 links:
 * 20 ms). */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

Test(mininet, run_linear_4_is_pingall, .timeout = 120)
{
	need_labs();
	char out[1 << 15];
	const char *l = lab("mnlin");
	const char *argv[] = {bin(), "run", "--topo", "linear,4", "--name", l, NULL};
	double t0 = now();
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	double took = now() - t0;
	cr_assert_eq(rc, 0, "run --topo linear,4: %d\n%s", rc, out);
	cr_expect(strstr(out, "12/12 node pairs reachable") != NULL, "%s", out);
	for (int h = 1; h <= 4; h++) {
		char name[8];
		snprintf(name, sizeof(name), "h%d ", h);
		cr_expect(strstr(out, name) != NULL, "no %s in\n%s", name, out);
	}
	cr_expect(strstr(out, "8 nodes, 7 links") != NULL, "%s", out);
	fprintf(stderr, "mininet: `vnetlab run --topo linear,4` took %.3f s (%s mode)\n", took,
		lab_mode());
	assert_gone(l);
}

/* ring,4 loops: its switches run the spanning tree, so `run` waits for
 * the ports to forward and every pair answers; once it has converged a
 * broadcast is seen once, not for ever (a loop without STP would carry
 * h1's broadcasts round the ring at line rate: thousands of frames a
 * second on every port). */
Test(mininet, ring_runs_a_spanning_tree, .timeout = 120)
{
	need_labs();
	char out[1 << 15];
	const char *l = lab("mnring");
	const char *argv[] = {bin(), "run", "--topo", "ring,4", "--name", l, NULL};
	double t0 = now();
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	cr_assert_eq(rc, 0, "run --topo ring,4: %d\n%s", rc, out);
	cr_expect(strstr(out, "12/12 node pairs reachable") != NULL, "%s", out);
	fprintf(stderr, "mininet: `vnetlab run --topo ring,4` took %.3f s (%s mode)\n",
		now() - t0, lab_mode());
	assert_gone(l);

	const char *up[] = {bin(), "up", "-q", "--topo", "ring,4", "--name", l, NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *chk[] = {bin(), "check", l, "--wait", "20", NULL};
	rc = run(chk, NULL, out, sizeof(out), NULL);
	cr_expect_eq(rc, 0, "check --wait 20: %s", out);
	const char *bcast[] = {"ping", "-b", "-q", "-c", "5", "-i", "0.2", "-W", "1",
			       "10.255.255.255", NULL};
	run_in(l, "h1", bcast, out, sizeof(out)); /* hosts ignore it; switches flood it */
	unsigned long long a = iface_counter(l, "h2", "h2-eth0", "rx_packets");
	struct timespec sec = {1, 0};
	nanosleep(&sec, NULL);
	unsigned long long b = iface_counter(l, "h2", "h2-eth0", "rx_packets");
	fprintf(stderr, "mininet: ring,4 after 5 broadcasts: h2 received %llu frames in 1 s\n",
		b - a);
	/* BPDUs come each second (hello time 1 s); a storm is thousands. */
	cr_expect_lt(b - a, 20, "h2 received %llu frames in 1 s: the ring loops", b - a);
	const char *down[] = {bin(), "down", l, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
}

/* The lowest RTT from src to dst in a `check --json` report. */
static double min_rtt(struct json_object *rep, const char *src, const char *dst)
{
	struct json_object *rs = json_object_object_get(rep, "results");
	for (size_t i = 0; i < json_object_array_length(rs); i++) {
		struct json_object *r = json_object_array_get_idx(rs, i);
		if (strcmp(json_object_get_string(json_object_object_get(r, "src")), src) ||
		    strcmp(json_object_get_string(json_object_object_get(r, "dst")), dst))
			continue;
		struct json_object *rtt = json_object_object_get(r, "rtt_ms");
		return json_object_get_double(json_object_object_get(rtt, "min"));
	}
	cr_assert_fail("no %s -> %s in the report", src, dst);
	return 0;
}

Test(mininet, tree_link_delay_is_per_direction, .timeout = 120)
{
	need_labs();
	char out[1 << 16];
	const char *l = lab("mntree");
	const char *up[] = {bin(), "up", "-q", "--topo", "tree,2,2", "--link", "delay=5ms",
			    "--name", l, NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *chk[] = {bin(), "check", l, "--json", "--count", "5", NULL};
	int rc = run(chk, NULL, out, sizeof(out), NULL);
	const char *down[] = {bin(), "down", l, NULL};
	char dout[4096];
	cr_expect_eq(run(down, NULL, dout, sizeof(dout), NULL), 0, "%s", dout);
	assert_gone(l);
	cr_assert_eq(rc, 0, "check: %s", out);
	struct json_object *rep = json_tokener_parse(strchr(out, '{') ? strchr(out, '{') : out);
	cr_assert_not_null(rep, "not JSON: %s", out);
	double far = min_rtt(rep, "h1", "h4"), near = min_rtt(rep, "h1", "h2");
	fprintf(stderr, "mininet: tree,2,2 delay=5ms: h1->h2 %.2f ms (20 expected), "
		"h1->h4 %.2f ms (40 expected)\n", near, far);
	/* The delay is a floor; a loaded host only adds to it. */
	cr_expect_geq(near, 19.8, "h1 -> h2: %.3f ms", near);
	cr_expect_geq(far, 39.8, "h1 -> h4: %.3f ms", far);
	cr_expect_lt(far, 200, "h1 -> h4: %.3f ms", far);
	cr_expect_lt(near, far, "h1 -> h2 %.3f ms, h1 -> h4 %.3f ms", near, far);
	json_object_put(rep);
}

/* The refusals reach the user as the --topo argument, before anything
 * is built. */
Test(mininet, refusals_name_the_argument)
{
	char out[4096];
	const char *a[] = {bin(), "up", "--topo", "ring,2", NULL};
	cr_expect_eq(run(a, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "--topo ring,2: error:") != NULL, "%s", out);
	const char *b[] = {bin(), "run", "--topo", "linear,2", "--link", "delay=5", NULL};
	cr_expect_eq(run(b, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "--link delay=5: error:") != NULL, "%s", out);
	const char *c[] = {bin(), "plan", "--link", "delay=5ms", "x.yaml", NULL};
	cr_expect_eq(run(c, NULL, out, sizeof(out), NULL), 2, "%s", out);
	cr_expect(strstr(out, "--link belongs to --topo") != NULL, "%s", out);
	const char *d[] = {bin(), "up", "--topo", "linear,2", "x.yaml", NULL};
	cr_expect_eq(run(d, NULL, out, sizeof(out), NULL), 2, "%s", out);
}
