/* SPDX-License-Identifier: BSD-2-Clause */
/* Startup commands (a topology's `exec:`) that fail or never finish:
 * `up` fails within its limit, rolls back, and shows what the command
 * wrote — the log it went to is in the state directory the rollback
 * removes, so pointing there would point at nothing (issue 14 item 8). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_topo(char *path, const char *a_cmd, const char *b_cmd)
{
	snprintf(path, 64, "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	dprintf(fd,
		"nodes:\n"
		"  a: { ifaces: { e0: { addrs: [10.9.0.1/24] } }, exec: [[sh, -c, '%s']] }\n"
		"  b: { ifaces: { e0: { addrs: [10.9.0.2/24] } }, exec: [[sh, -c, '%s']] }\n"
		"links:\n  - [a:e0, b:e0]\n", a_cmd, b_cmd);
	close(fd);
}

Test(startup, a_failing_command_shows_its_output, .timeout = 60)
{
	need_labs();
	char path[64], out[16384];
	write_topo(path, "true", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line $i; done; exit 3");
	const char *up[] = {bin(), "up", path, "--name", lab("fail"), NULL};
	cr_expect_eq(run(up, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "exited with status 3"), "%s", out);
	/* The last lines, whole, and no more than 8 of them. */
	cr_expect(strstr(out, "b| line 12\n"), "%s", out);
	cr_expect(strstr(out, "b| line 5\n"), "%s", out);
	cr_expect_null(strstr(out, "b| line 4\n"), "%s", out);
	cr_expect_null(strstr(out, "/logs/"), "points at a log the rollback removed:\n%s", out);
	assert_gone(lab("fail"));
	unlink(path);
}

Test(startup, a_command_that_never_ends_is_stopped, .timeout = 60)
{
	need_labs();
	char path[64], out[16384];
	write_topo(path, "echo starting; exec sleep 100", "true");
	const char *up[] = {bin(), "up", path, "--name", lab("hang"), "--cmd-timeout", "500",
			    NULL};
	double t0 = now();
	cr_expect_eq(run(up, NULL, out, sizeof(out), NULL), 1, "%s", out);
	double took = now() - t0;
	cr_expect_lt(took, 5.0, "up took %.1f s with a 500 ms limit", took);
	cr_expect(strstr(out, "still running after 500 ms"), "%s", out);
	cr_expect(strstr(out, "a| starting"), "%s", out);
	assert_gone(lab("hang"));
	/* Limits that would mean "forever" or nothing are refused. */
	const char *bad[][2] = {{"-1", NULL}, {"0", NULL}, {"1e3", NULL}, {"99999999999", NULL}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *upb[] = {bin(), "up", path, "--name", lab("hang"), "--cmd-timeout",
				     bad[i][0], NULL};
		cr_expect_eq(run(upb, NULL, out, sizeof(out), NULL), 2, "%s: %s", bad[i][0], out);
		cr_expect(strstr(out, "milliseconds from 1 to 3600000"), "%s", out);
	}
	unlink(path);
}
