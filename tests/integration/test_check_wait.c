/* SPDX-License-Identifier: BSD-2-Clause */
/* check --wait and run --wait (issue 16): a lab whose pair answers only
 * after a while passes once it does, and says after how long; one that
 * never answers fails in about its wait, naming the silent pairs; bad
 * values are refused at once; without --wait nothing changed.
 *
 * The lab that converges late is two nodes with b's address taken away
 * (a's echoes go unanswered, b has no route back); about a second into
 * the check it is given back, as a routing daemon would bring a route. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char pair[] =
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
	"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n  - [a:eth0, b:eth0]\n";

static void b_addr(const char *l, const char *verb)
{
	char out[4096];
	const char *cmd[] = {"ip", "addr", verb, "10.9.0.2/24", "dev", "eth0", NULL};
	cr_assert_eq(run_in(l, "b", cmd, out, sizeof(out)), 0, "ip addr %s: %s", verb, out);
}

/* The seconds of "converged after S s" / "not converged after S s". */
static double after(const char *out, const char *what)
{
	const char *p = strstr(out, what);
	cr_assert_not_null(p, "no '%s' in:\n%s", what, out);
	return strtod(p + strlen(what), NULL);
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

Test(check_wait, converges_when_the_address_comes, .timeout = 90)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("wait", pair, file, l);
	b_addr(l, "del");
	/* Broken at first: a check without --wait fails now. */
	const char *once[] = {bin(), "check", l, "--count", "1", "--timeout", "200", NULL};
	cr_expect_eq(run(once, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "0/2 node pairs reachable"), "%s", out);
	cr_expect_null(strstr(out, "converged"), "no line of --wait without it:\n%s", out);

	const char *chk[] = {bin(), "check", l, "--wait", "10", NULL};
	struct bg b;
	double t0 = now();
	bg_start(&b, chk);
	sleep_ms(1200);
	b_addr(l, "add");
	double fixed = now() - t0;
	int rc = bg_finish(&b);
	double took = now() - t0;
	cr_expect_eq(rc, 0, "check --wait 10: exit %d\n%s", rc, b.out);
	cr_expect(strstr(b.out, "2/2 node pairs reachable"), "%s", b.out);
	double s = after(b.out, "converged after ");
	cr_expect_null(strstr(b.out, "not converged"), "%s", b.out);
	/* Not before the address came back (1.2 s after t0, less the
	 * check's start-up), and soon after it: re-probes every 200 ms,
	 * then one full round. */
	cr_expect(s >= 0.5 && s <= fixed + 2.5, "converged after %.1f s; address back after "
		  "%.1f s:\n%s", s, fixed, b.out);
	cr_expect_lt(took, fixed + 3.5, "check --wait 10 ran %.1f s", took);
	cr_expect(strstr(b.out, " rounds)"), "%s", b.out);

	/* The same in JSON: converged, how long, how many rounds. */
	b_addr(l, "del");
	const char *chkj[] = {bin(), "check", l, "--json", "-w", "10", NULL};
	t0 = now();
	bg_start(&b, chkj);
	sleep_ms(1000);
	b_addr(l, "add");
	rc = bg_finish(&b);
	cr_expect_eq(rc, 0, "exit %d\n%s", rc, b.out);
	struct json_object *j = json_tokener_parse(b.out), *w = NULL, *v;
	cr_assert_not_null(j, "not JSON:\n%s", b.out);
	cr_assert(json_object_object_get_ex(j, "wait", &w), "no wait member:\n%s", b.out);
	cr_expect(json_object_object_get_ex(w, "converged", &v) && json_object_get_boolean(v));
	cr_expect(json_object_object_get_ex(w, "seconds", &v) &&
			  json_object_get_double(v) >= 0.5 && json_object_get_double(v) < 10,
		  "%s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "rounds", &v) && json_object_get_int(v) >= 2,
		  "%s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "full_rounds", &v) && json_object_get_int(v) >= 2,
		  "a full round confirms: %s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "silent", &v) &&
			  json_object_array_length(v) == 0, "%s", json_object_to_json_string(w));
	cr_expect(json_object_get_boolean(json_object_object_get(
			  json_object_object_get(j, "summary"), "ok")));
	json_object_put(j);
	down_text(file, l);
}

/* A pair that never answers: exit 1 after about the wait, the silent
 * pairs named in the line and in JSON. */
Test(check_wait, never_converges_in_its_wait, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("nowait", pair, file, l);
	b_addr(l, "del");
	const char *chk[] = {bin(), "check", l, "--wait", "1", NULL};
	double t0 = now();
	int rc = run(chk, NULL, out, sizeof(out), NULL);
	double took = now() - t0;
	cr_expect_eq(rc, 1, "%s", out);
	cr_expect(took >= 0.95 && took < 2.5, "--wait 1 took %.2f s", took);
	double s = after(out, "not converged after ");
	cr_expect(s >= 0.95 && s < 1.5, "%s", out);
	cr_expect(strstr(out, "2 of 2 node pairs still silent: a -> b, b -> a\n"), "%s", out);
	cr_expect(strstr(out, "FAIL a -> b (10.9.0.2)"), "%s", out);
	cr_expect(strstr(out, "FAIL b -> a (10.9.0.1): no route"), "%s", out);

	/* Shorter than one timeout, with re-probes after a short round. */
	const char *chkj[] = {bin(), "check", l, "--json", "--timeout", "200", "--wait", "0.9",
			      NULL};
	t0 = now();
	rc = run(chkj, NULL, out, sizeof(out), NULL);
	took = now() - t0;
	cr_expect_eq(rc, 1, "%s", out);
	cr_expect(took >= 0.85 && took < 2.5, "--wait 0.9 took %.2f s", took);
	struct json_object *j = json_tokener_parse(strchr(out, '{')), *w = NULL, *v;
	cr_assert_not_null(j, "not JSON:\n%s", out);
	cr_assert(json_object_object_get_ex(j, "wait", &w), "%s", out);
	cr_expect(json_object_object_get_ex(w, "converged", &v) && !json_object_get_boolean(v));
	cr_expect(json_object_object_get_ex(w, "limit_s", &v) &&
		  json_object_get_double(v) == 0.9, "%s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "seconds", &v) &&
			  json_object_get_double(v) >= 0.85 && json_object_get_double(v) < 1.2,
		  "%s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "rounds", &v) && json_object_get_int(v) >= 3,
		  "re-probes every 200 ms: %s", json_object_to_json_string(w));
	cr_expect(json_object_object_get_ex(w, "silent", &v) && json_object_array_length(v) == 2,
		  "%s", json_object_to_json_string(w));
	struct json_object *first = json_object_array_get_idx(v, 0);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(first, "src")), "a");
	cr_expect_str_eq(json_object_get_string(json_object_object_get(first, "addr")),
			 "10.9.0.2");
	json_object_put(j);
	down_text(file, l);
}

/* Values: more than 0, at most 3600 s, plain decimals; refused at once
 * with the range (exit 2, as --count and --timeout).  A healthy lab
 * converges in its first round; without --wait there is no "wait". */
Test(check_wait, values_and_a_healthy_lab, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("waitv", pair, file, l);
	static const char *const bad[] = {"0", "0.0", "-1", "3601", "1e4", "soon", "inf",
					  "nan", "", "0x10"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = {bin(), "check", l, "--wait", bad[i], NULL};
		double t0 = now();
		cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 2, "--wait '%s': %s",
			     bad[i], out);
		cr_expect_lt(now() - t0, 1.0, "--wait '%s'", bad[i]);
		cr_expect(strstr(out, "more than 0 and at most 3600"), "--wait '%s': %s", bad[i],
			  out);
		const char *runv[] = {bin(), "run", file, "-w", bad[i], NULL};
		cr_expect_eq(run(runv, NULL, out, sizeof(out), NULL), 2, "run -w '%s': %s",
			     bad[i], out);
		cr_expect(strstr(out, "run: --wait"), "%s", out);
	}
	const char *ok[] = {bin(), "check", l, "-w", "0.5", NULL};
	cr_expect_eq(run(ok, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "converged after 0."), "%s", out);
	cr_expect(strstr(out, "(1 round)"), "%s", out);
	const char *plain[] = {bin(), "check", l, "--json", NULL};
	cr_expect_eq(run(plain, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_null(strstr(out, "\"wait\""), "%s", out);
	down_text(file, l);
}

/* run --wait: up, the wait, down; the lab goes whatever the verdict. */
Test(check_wait, run_waits_too, .timeout = 60)
{
	need_labs();
	char out[1 << 15], name[64];
	snprintf(name, sizeof(name), "%s", lab("runwait"));
	char path[] = "/tmp/vnetlab-test-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, pair, strlen(pair)), (ssize_t)strlen(pair));
	close(fd);
	const char *runv[] = {bin(), "run", path, "--name", name, "--wait", "5", NULL};
	cr_expect_eq(run(runv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "converged after "), "%s", out);
	assert_gone(name);
	/* Different subnets: no route either way, ever. */
	const char never[] = "nodes:\n"
			     "  a: { ifaces: { eth0: { addrs: [10.1.0.1/24] } } }\n"
			     "  b: { ifaces: { eth0: { addrs: [10.2.0.1/24] } } }\n"
			     "links:\n  - [a:eth0, b:eth0]\n";
	fd = open(path, O_WRONLY | O_TRUNC);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, never, strlen(never)), (ssize_t)strlen(never));
	close(fd);
	const char *runn[] = {bin(), "run", path, "--name", name, "--wait", "1.5", NULL};
	double t0 = now();
	cr_expect_eq(run(runn, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(now() - t0 < 5, "run --wait 1.5 took %.1f s", now() - t0);
	cr_expect(strstr(out, "not converged after 1.5 s"), "%s", out);
	cr_expect(strstr(out, "2 of 2 node pairs still silent"), "%s", out);
	unlink(path);
	assert_gone(name);
}
