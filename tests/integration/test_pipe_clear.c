/* SPDX-License-Identifier: BSD-2-Clause */
/* A pipe changed while frames wait in it (issue 14 item 4): after `clear`
 * the link is clear at once, and `down` empties it, so a long delay set by
 * mistake never holds a link hostage. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static char out[16384];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int link_cmd(const char *l, const char *const words[])
{
	const char *argv[16] = {bin(), "link", l, "a:e0", "b:e0"};
	size_t n = 5;
	for (size_t i = 0; words[i] && n < 15; i++)
		argv[n++] = words[i];
	argv[n] = NULL;
	return run(argv, NULL, out, sizeof(out), NULL);
}

/* One ping from a to b, its RTT in ms, or -1 when none came back in w s. */
static double one_ping(const char *l, const char *w)
{
	const char *argv[] = {bin(), "exec", l, "a", "--", "ping", "-n", "-c", "1", "-W", w,
			      "10.9.0.2", NULL};
	run(argv, NULL, out, sizeof(out), NULL);
	const char *t = strstr(out, "time=");
	return t ? atof(t + 5) : -1;
}

Test(live, clear_is_clear_at_once_and_down_empties_the_pipe, .timeout = 90)
{
	need_labs();
	char file[64], l[64];
	up_text("clear",
		"nodes:\n"
		"  a: { ifaces: { e0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { e0: { addrs: [10.9.0.2/24] } } }\n"
		"links:\n  - { endpoints: [a:e0, b:e0], impl: userspace }\n",
		file, l);
	cr_assert_gt(one_ping(l, "2"), 0, "no reply before any change: %s", out);
	/* 5 s each way: a ping now waits in the pipe. */
	const char *slow[] = {"set", "delay", "5s", NULL};
	cr_assert_eq(link_cmd(l, slow), 0, "%s", out);
	cr_expect_lt(one_ping(l, "1"), 0, "a reply came through a 5 s pipe in 1 s");
	const char *clear[] = {"clear", NULL};
	cr_assert_eq(link_cmd(l, clear), 0, "%s", out);
	double t0 = now();
	for (int i = 0; i < 3; i++) {
		double rtt = one_ping(l, "2");
		cr_expect(rtt >= 0 && rtt < 50, "ping %d after clear: %.1f ms (frames kept "
			  "their old release time?)", i, rtt);
	}
	cr_expect_lt(now() - t0, 3.0, "three pings after clear took %.1f s", now() - t0);
	/* Past the 60 s bound only with --force; then unplugging empties it. */
	const char *huge[] = {"set", "delay", "120s", NULL};
	cr_expect_eq(link_cmd(l, huge), 1, "%s", out);
	const char *forced[] = {"set", "delay", "120s", "--force", NULL};
	cr_assert_eq(link_cmd(l, forced), 0, "%s", out);
	cr_expect_lt(one_ping(l, "1"), 0);
	const char *down[] = {"down", NULL}, *up[] = {"up", NULL};
	cr_assert_eq(link_cmd(l, clear), 0, "%s", out);
	cr_assert_eq(link_cmd(l, down), 0, "%s", out);
	cr_assert_eq(link_cmd(l, up), 0, "%s", out);
	double rtt = -1;
	for (int i = 0; i < 5 && rtt < 0; i++)
		rtt = one_ping(l, "1");
	cr_expect(rtt >= 0 && rtt < 50, "after delay 120s, clear, down, up: %.1f ms", rtt);
	down_text(file, l);
}
