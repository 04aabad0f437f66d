/* Issue 14, what a demanding user broke: zero that was not zero, a check
 * that never returned or always waited its whole timeout, numbers read
 * loosely, and concurrent up/down that said misleading things.  Each test
 * failed before its fix (see the commit that made it). */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char pair_plain[] =
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
	"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n  - [a:eth0, b:eth0]\n";

/* Item 6: --timeout 2147483647 (or inf, 1e300) never returned, nan was
 * taken, --count 1e3 was 1, and a healthy lab always cost the whole
 * timeout (5.06 s for --timeout 5000).  Bad values exit 2 at once with
 * the range; a check ends when every probe has its answer. */
Test(fixes, check_bounds_its_values_and_stops_when_answered, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("chk", pair_plain, file, l);
	static const char *const timeouts[] = {"2147483647", "inf", "1e300", "nan", "0",
					       "-5", "0x10", "1e3x"};
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		const char *argv[] = {bin(), "check", l, "--timeout", timeouts[i], NULL};
		double t0 = now();
		cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 2, "--timeout %s: %s",
			     timeouts[i], out);
		cr_expect_lt(now() - t0, 1.0, "--timeout %s took %.1f s", timeouts[i], now() - t0);
		cr_expect(strstr(out, "from 1 to 600000 ms"), "--timeout %s: %s", timeouts[i], out);
	}
	static const char *const counts[] = {"1e3", "0", "-1", "10001", "1.5", ""};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		const char *argv[] = {bin(), "check", l, "--count", counts[i], NULL};
		cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 2, "--count '%s': %s",
			     counts[i], out);
		cr_expect(strstr(out, "from 1 to 10000"), "--count '%s': %s", counts[i], out);
	}
	static const char *const long_waits[] = {"5000", "600000"};
	for (int i = 0; i < 2; i++) {
		const char *argv[] = {bin(), "check", l, "--timeout", long_waits[i], NULL};
		double t0 = now();
		cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
		double dt = now() - t0;
		cr_expect_lt(dt, 2.0, "--timeout %s on a healthy lab took %.2f s", long_waits[i],
			     dt);
		cr_expect(strstr(out, "2/2 node pairs reachable"), "%s", out);
	}
	const char *argv[] = {bin(), "check", l, "--count", "20", "--timeout", "100", NULL};
	cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "lowest of 20 probes"), "%s", out);
	const char *runc[] = {bin(), "run", file, "--count", "1e3", NULL};
	cr_expect_eq(run(runc, NULL, out, sizeof(out), NULL), 2, "%s", out);
	cr_expect(strstr(out, "run: --count '1e3'"), "%s", out);
	down_text(file, l);
}

/* Low items: a target the kernel has no route to showed "0/0 answered";
 * a lab with nothing to probe passed check and run with "0/0". */
Test(fixes, check_says_no_route_and_nothing_to_check, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("noroute",
		"nodes:\n"
		"  a: { ifaces: { eth0: { addrs: [10.1.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { addrs: [10.2.0.1/24] } } }\n"
		"links:\n  - [a:eth0, b:eth0]\n",
		file, l);
	const char *chk[] = {bin(), "check", l, "--count", "1", NULL};
	cr_expect_eq(run(chk, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "FAIL a -> b (10.2.0.1): no route\n"), "%s", out);
	cr_expect_null(strstr(out, "0/0 answered"), "%s", out);
	down_text(file, l);

	up_text("noaddr", "nodes: { a: {}, b: {} }\nlinks:\n  - [a:eth0, b:eth0]\n", file, l);
	const char *chk2[] = {bin(), "check", l, NULL};
	cr_expect_eq(run(chk2, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "nothing to check"), "%s", out);
	const char *chkj[] = {bin(), "check", l, "--json", NULL};
	cr_expect_eq(run(chkj, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "\"ok\":false"), "%s", out);
	down_text(file, l);
	char name[64];
	snprintf(name, sizeof(name), "%s", lab("noaddr-run"));
	char path[] = "/tmp/vnetlab-test-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	const char y[] = "nodes: { a: {}, b: {} }\nlinks:\n  - [a:eth0, b:eth0]\n";
	cr_assert_eq(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	const char *runv[] = {bin(), "run", path, "--name", name, NULL};
	cr_expect_eq(run(runv, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "nothing to check"), "%s", out);
	unlink(path);
	assert_gone(name);
}

/* Item 6's last part and Low items of capture: -c -1 was taken, and a
 * write that failed (/dev/full) was reported only at the end, or (text
 * mode) never. */
Test(fixes, capture_values_and_write_errors, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("cap", pair_plain, file, l);
	static const char *const bad[][2] = {{"-c", "-1"}, {"-c", "1.5"}, {"-c", "0"},
					     {"-c", "1e3"}, {"--duration", "nan"},
					     {"--duration", "-1"}, {"--duration", "inf"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = {bin(), "capture", l, "a:eth0", bad[i][0], bad[i][1], NULL};
		cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 2, "%s %s: %s", bad[i][0],
			     bad[i][1], out);
		cr_expect(strstr(out, bad[i][0]) && strstr(out, "from"), "%s", out);
	}
	const char *full[] = {bin(), "capture", l, "a:eth0", "-w", "/dev/full", NULL};
	cr_expect_eq(run(full, NULL, out, sizeof(out), NULL), 1, "%s", out);
	char *e = strstr(out, "ENOSPC"), *stop = strstr(out, "capture stopped after 0 frames");
	cr_expect(e && stop && e < stop, "the error first, then the count: %s", out);
	/* Text mode: the first line that cannot be written stops it. */
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "exec %s capture %s a:eth0 -c 5 > /dev/full", bin(), l);
	const char *sh[] = {"/bin/sh", "-c", cmd, NULL};
	struct bg b;
	bg_start(&b, sh);
	cr_expect(bg_wait_text(&b, "capturing on", 5000), "%s", b.out);
	const char *ping[] = {bin(), "exec", l, "a", "--", "ping", "-c", "1", "-W", "1",
			      "10.9.0.2", NULL};
	cr_expect_eq(run(ping, NULL, out, sizeof(out), NULL), 0, "%s", out);
	int rc = bg_finish(&b);
	cr_expect_eq(rc, 1, "capture into /dev/full: %s", b.out);
	cr_expect(strstr(b.out, "writing a frame's line: No space left on device (ENOSPC)"),
		  "%s", b.out);
	down_text(file, l);
}

/* ---- item 9: concurrent up and down of one name ----------------------- */

struct job {
	pid_t pid;
	char log[128];
};

static void start(struct job *j, const char *const argv[], int delay_ms)
{
	snprintf(j->log, sizeof(j->log), "%s.i14-%d-XXXXXX", state_dir(), (int)getpid());
	int fd = mkstemp(j->log);
	cr_assert(fd >= 0);
	close(fd);
	fflush(NULL);
	j->pid = fork();
	cr_assert(j->pid >= 0);
	if (j->pid == 0) {
		static char out[1 << 16];
		usleep((useconds_t)delay_ms * 1000);
		int rc = run(argv, NULL, out, sizeof(out), NULL);
		FILE *f = fopen(j->log, "w");
		if (f)
			fputs(out, f), fclose(f);
		_exit(rc);
	}
}

static int finish(struct job *j, char *out, size_t len)
{
	int st;
	cr_assert_eq(waitpid(j->pid, &st, 0), j->pid);
	FILE *f = fopen(j->log, "r");
	size_t n = f ? fread(out, 1, len - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
	unlink(j->log);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* "(pid N)" with N > 0 between pre and post. */
static bool with_pid(const char *line, const char *pre, const char *post)
{
	size_t a = strlen(pre), b = strlen(post), n = strlen(line);
	if (n < a + b + 1 || strncmp(line, pre, a) || strcmp(line + n - b, post))
		return false;
	char *end;
	long pid = strtol(line + a, &end, 10);
	return pid > 0 && end == line + n - b;
}

/* One line of a concurrent up's or down's output is one of the clear
 * messages; which one depends on who came first. */
static bool clear_line(const char *l, const char *line)
{
	char s[8][256];
	snprintf(s[0], sizeof(s[0]), "vnetlab: no lab named '%s' (see: vnetlab ls)", l);
	snprintf(s[1], sizeof(s[1]), "vnetlab: lab '%s' down", l);
	snprintf(s[2], sizeof(s[2]), "vnetlab: lab '%s' down (another vnetlab was taking it "
		 "down at the same time)", l);
	snprintf(s[3], sizeof(s[3]), "vnetlab: lab '%s' is already running (stop it with: "
		 "vnetlab down %s)", l, l);
	snprintf(s[4], sizeof(s[4]), "vnetlab: lab '%s' is being taken down by another "
		 "vnetlab; waiting for it to finish", l);
	snprintf(s[5], sizeof(s[5]), "%s", l); /* up's stdout */
	for (int i = 0; i < 6; i++)
		if (!strcmp(line, s[i]))
			return true;
	char pre[256], post[256];
	snprintf(pre, sizeof(pre), "vnetlab: lab '%s' is already running: another vnetlab "
		 "(pid ", l);
	if (with_pid(line, pre, ") is building it now"))
		return true;
	snprintf(pre, sizeof(pre), "vnetlab: lab '%s' is being built by another vnetlab (pid ",
		 l);
	snprintf(post, sizeof(post), "): there is nothing to take down yet; run `vnetlab "
		 "down %s` when its `up` is done", l);
	return with_pid(line, pre, post);
}

/* Item 9: concurrent up/down ended right but said "Connection reset by
 * peer (E?)", "/run/netns/LAB.NODE exists: ... someone else's" (the lab's
 * own previous copy), "creating .../logs: ENOENT", "is not running" (while
 * being built).  Now every line says what is happening, every exit
 * status is 0 or 1, and the name ends usable. */
Test(fixes, concurrent_up_and_down_say_what_happens, .timeout = 240)
{
	need_labs();
	char path[256], l[64], out[1 << 14];
	topo("chain14", path, sizeof(path));
	snprintf(l, sizeof(l), "%s", lab("updown"));
	const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
	const char *down[] = {bin(), "down", l, NULL};
	int ups_won = 0, downs_done = 0;
	for (int round = 0; round < 10; round++) {
		struct job j[4];
		/* Mixes of up/down, staggered by a few ms so that each meets
		 * the other in a different phase. */
		static const bool is_up[10][4] = {
			{1, 0, 1, 0}, {1, 1, 0, 0}, {0, 1, 0, 1}, {1, 0, 0, 1}, {1, 1, 1, 0},
			{1, 0, 1, 0}, {0, 0, 1, 1}, {1, 0, 0, 0}, {1, 1, 0, 1}, {0, 1, 1, 0}};
		for (int i = 0; i < 4; i++)
			start(&j[i], is_up[round][i] ? up : down, (round * 7 + i * 11) % 40);
		for (int i = 0; i < 4; i++) {
			int rc = finish(&j[i], out, sizeof(out));
			cr_expect(rc == 0 || rc == 1, "round %d, %s: exit %d:\n%s", round,
				  is_up[round][i] ? "up" : "down", rc, out);
			if (rc == 0 && is_up[round][i])
				ups_won++;
			if (rc == 0 && !is_up[round][i])
				downs_done++;
			for (char *save, *line = strtok_r(out, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save))
				cr_expect(clear_line(l, line), "round %d, %s said: '%s'", round,
					  is_up[round][i] ? "up" : "down", line);
		}
		/* Whatever the round left, the name is usable again. */
		run(down, NULL, out, sizeof(out), NULL);
		assert_gone(l);
	}
	cr_expect_gt(ups_won, 0, "no up ever won");
	cr_expect_gt(downs_done, 0, "no down ever took a lab down");
}
