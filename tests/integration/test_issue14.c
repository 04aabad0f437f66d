/* SPDX-License-Identifier: BSD-2-Clause */
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

static const char pair_piped[] =
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
	"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n"
	"  - { endpoints: [a:eth0, b:eth0], impl: userspace, delay: 5ms, loss: 1%,\n"
	"      duplicate: 1% }\n";

static const char pair_plain[] =
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
	"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n  - [a:eth0, b:eth0]\n";

/* `vnetlab link L a:eth0 b:eth0 WORDS... --json`: status; the answer in out. */
static int link_set(const char *l, const char *words, char *out, size_t len)
{
	const char *argv[24] = {bin(), "link", l, "a:eth0", "b:eth0"};
	int n = 5;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", words);
	for (char *save, *w = strtok_r(buf, " ", &save); w && n < 22; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n++] = "--json";
	argv[n] = NULL;
	return run(argv, NULL, out, len, NULL);
}

static void state_created(const char *l, char *buf, size_t len)
{
	char out[1 << 15];
	const char *argv[] = {bin(), "inspect", l, "--json", NULL};
	cr_assert_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	struct json_object *o = json_tokener_parse(out);
	cr_assert_not_null(o, "%s", out);
	snprintf(buf, len, "%s", json_object_get_string(json_object_object_get(o, "created")));
	json_object_put(o);
}

/* Item 5: delay 0ms, 0s, loss 0%, duplicate 0%, jitter 0 left the old
 * value in place and exited 0.  Now each removes its parameter, live and
 * in state.json; bandwidth 0bit is refused with the reason, changing
 * nothing.  And (Low) a link change no longer rewrites `created`. */
Test(fixes, zero_removes_a_live_value, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15], created[64], again[64];
	up_text("zero", pair_piped, file, l);
	state_created(l, created, sizeof(created));
	sleep(1); /* created has seconds: a rewrite would show */
	cr_expect_eq(link_set(l, "set delay 0ms", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "\"delay\""), "delay 0ms left a delay: %s", out);
	cr_expect(strstr(out, "\"loss\""), "loss went too: %s", out);
	cr_expect_eq(link_set(l, "set loss 0%", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "\"loss\""), "loss 0%% left a loss: %s", out);
	cr_expect_eq(link_set(l, "set duplicate 0%", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "\"duplicate\""), "%s", out);
	cr_expect_eq(link_set(l, "set delay 5ms jitter 1ms", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "\"jitter\""), "%s", out);
	cr_expect_eq(link_set(l, "set jitter 0", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "\"jitter\""), "jitter 0 left a jitter: %s", out);
	cr_expect_eq(link_set(l, "set delay 0s", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "\"delay\""), "delay 0s left a delay: %s", out);
	/* Bandwidth has no zero: refused, and the link as it was. */
	cr_expect_eq(link_set(l, "set bandwidth 10Mbit", out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(link_set(l, "set bandwidth 0bit", out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "bandwidth '0bit' is zero"), "%s", out);
	const char *insp[] = {bin(), "inspect", l, "--json", NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "\"value\":\"10Mbit\""), "bandwidth lost: %s", out);
	cr_expect_null(strstr(out, "\"delay\""), "state.json: %s", out);
	state_created(l, again, sizeof(again));
	cr_expect_str_eq(again, created, "a link change rewrote the lab's created time");
	down_text(file, l);
}

/* Item 4's remainder and the Low link items: absurd or ambiguous values
 * are refused with the reason (exit 1), --force allows a long delay. */
Test(fixes, live_values_are_bounded_and_unambiguous, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 15];
	up_text("bound", pair_piped, file, l);
	static const struct { const char *words, *why; } refused[] = {
		{"set delay 61s", "is over 60 s"},
		{"set jitter 6ms", "jitter 6ms is larger than the delay 5ms"},
		{"set delay none", "jitter"}, /* only when jitter is set: below */
		{"set delay 5ms delay 6ms", "delay is given twice for downstream"},
		{"set downstream upstream delay 1ms", "'downstream' is followed by another"},
		{"set delay 1ms upstream", "'upstream' ends the command"},
		{"set loss 0x10%", "loss '0x10%' is not understood"},
		{"set bandwidth 10MBps", "write 80Mbit"},
		{"set delay infms", "is not understood"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (i == 2) {
			cr_expect_eq(link_set(l, "set jitter 2ms", out, sizeof(out)), 0, "%s", out);
		}
		cr_expect_eq(link_set(l, refused[i].words, out, sizeof(out)), 1, "%s: %s",
			     refused[i].words, out);
		cr_expect(strstr(out, refused[i].why), "%s: %s", refused[i].words, out);
		if (i == 2)
			cr_expect_eq(link_set(l, "set jitter none", out, sizeof(out)), 0, "%s", out);
	}
	cr_expect_eq(link_set(l, "set delay 61s --force", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "\"value\":\"61s\""), "%s", out);
	cr_expect_eq(link_set(l, "set delay 3601s --force", out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "over an hour"), "%s", out);
	cr_expect_eq(link_set(l, "clear", out, sizeof(out)), 0, "%s", out);
	down_text(file, l);
}

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

/* Low items of exec: -U '' ran the command as root (uid 0), an empty
 * SHELL was run as a command. */
Test(fixes, exec_user_and_shell, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[8192];
	up_text("exec", pair_plain, file, l);
	const char *empty[] = {bin(), "exec", "-U", "", l, "a", "--", "id", "-u", NULL};
	cr_expect_eq(run(empty, NULL, out, sizeof(out), NULL), 2, "%s", out);
	cr_expect(strstr(out, "-U needs a user"), "%s", out);
	cr_expect_null(strstr(out, "\n0\n"), "ran as root: %s", out);
	const char *minus[] = {bin(), "exec", "-U", "-1", l, "a", "--", "id", "-u", NULL};
	cr_expect_eq(run(minus, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "no user named '-1'"), "%s", out);
	const char *sh[] = {bin(), "exec", l, "a", NULL};
	cr_expect_eq(run(sh, "echo shell=$0\n", out, sizeof(out), "SHELL="), 0, "%s", out);
	cr_expect(strstr(out, "shell=/bin/sh"), "%s", out);
	down_text(file, l);
}

/* Low items without a lab: a relative VNETLAB_STATE_DIR was taken (and
 * stored), validate said "1 links", compare's errors ended in "\x0a". */
Test(fixes, words_of_the_small_verbs, .timeout = 30)
{
	char out[8192];
	const char *ls[] = {bin(), "ls", NULL};
	cr_expect_eq(run(ls, NULL, out, sizeof(out), "VNETLAB_STATE_DIR=relative/dir"), 1,
		     "%s", out);
	cr_expect(strstr(out, "VNETLAB_STATE_DIR 'relative/dir' is not an absolute path"),
		  "%s", out);
	char path[] = "/tmp/vnetlab-test-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	const char y[] = "name: one\nnodes: { a: {}, b: {} }\nlinks:\n  - [a:eth0, b:eth0]\n";
	cr_assert_eq(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	const char *val[] = {bin(), "validate", path, NULL};
	cr_expect_eq(run(val, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "(lab one: 2 nodes, 1 link)"), "%s", out);
	char name[64];
	snprintf(name, sizeof(name), "%s", lab("one"));
	const char *upd[] = {bin(), "up", path, "--name", name, NULL};
	int up_rc = run(upd, NULL, out, sizeof(out), NULL);
	if (up_rc == 0) { /* where labs can be made: up says it the same way */
		cr_expect(strstr(out, ": 2 nodes, 1 link in "), "%s", out);
		const char *dn[] = {bin(), "down", name, NULL};
		cr_expect_eq(run(dn, NULL, out, sizeof(out), NULL), 0, "%s", out);
	}
	/* Strict numbers everywhere: strtol took " 5" and "+5". */
	static const char *const ms[] = {"+5", " 5", "5 "};
	for (int i = 0; i < 3; i++) {
		const char *up[] = {bin(), "up", path, "--cmd-timeout", ms[i], NULL};
		cr_expect_eq(run(up, NULL, out, sizeof(out), NULL), 2, "'%s': %s", ms[i], out);
		cr_expect(strstr(out, "milliseconds from 1 to 3600000"), "%s", out);
	}
	const char *cmp[] = {bin(), "compare", path, path, NULL};
	cr_expect_eq(run(cmp, NULL, out, sizeof(out), NULL), 2, "%s", out);
	cr_expect(strstr(out, "cannot read it as JSON"), "%s", out);
	cr_expect_null(strstr(out, "\\x0a"), "%s", out);
	unlink(path);
}

/* Low item: `ls` printed MODE in 5 columns, so "rootless" pushed the rest
 * of its line out of line with the header. */
Test(fixes, ls_columns_line_up, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[8192];
	up_text("lscol", pair_plain, file, l);
	const char *ls[] = {bin(), "ls", NULL};
	cr_expect_eq(run(ls, NULL, out, sizeof(out), NULL), 0, "%s", out);
	char *head = strstr(out, "LAB "), *row = strstr(out, l);
	cr_assert(head && row, "%s", out);
	while (row > out && row[-1] != '\n')
		row--;
	const char *mode = lab_mode();
	char *m = strstr(row, mode);
	cr_assert(m, "%s", out);
	cr_expect_eq(m - row, strstr(head, "MODE") - head, "MODE column: %s", out);
	/* The keeper pid ends where KEEPER does (right-aligned). */
	char *k = m + strlen(mode);
	while (*k == ' ')
		k++;
	while (*k >= '0' && *k <= '9')
		k++;
	cr_expect_eq(k - row, strstr(head, "KEEPER") + 6 - head, "KEEPER column: %s", out);
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
	int ups_won = 0;
	for (int round = 0; round < 10; round++) {
		struct job j[4];
		/* Mixes of up/down, staggered by a few ms so that each meets
		 * the other in a different phase. */
		static const bool is_up[10][4] = {
			{1, 0, 1, 0}, {1, 1, 0, 0}, {0, 1, 0, 1}, {1, 0, 0, 1}, {1, 1, 1, 0},
			{1, 0, 1, 0}, {0, 0, 1, 1}, {1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 1, 0}};
		/* Rounds 0-6 start all within 40 ms (up meets down while it
		 * builds); 7-9 give the first up 300 ms, so that two downs and an
		 * up meet a running lab (down beside down, up while stopping). */
		for (int i = 0; i < 4; i++)
			start(&j[i], is_up[round][i] ? up : down,
			      round < 7 ? (round * 7 + i * 11) % 40 : i ? 300 + i : 0);
		for (int i = 0; i < 4; i++) {
			int rc = finish(&j[i], out, sizeof(out));
			cr_expect(rc == 0 || rc == 1, "round %d, %s: exit %d:\n%s", round,
				  is_up[round][i] ? "up" : "down", rc, out);
			if (rc == 0 && is_up[round][i])
				ups_won++;
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
}

/* ---- FreeBSD verbs ---------------------------------------------------- */

/* `vnetlab LINE` in the FreeBSD verbs' lab l. */
static int verb(const char *l, const char *line, char *out, size_t len)
{
	static char env[96];
	snprintf(env, sizeof(env), "VNETLAB_VIMAGE_LAB=%s", l);
	const char *argv[24] = {bin()};
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 1;
	for (char *save, *w = strtok_r(buf, " ", &save); w && n < 23; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	struct runopt o = {.env = {env, NULL}};
	return runx(argv, &o, out, len);
}

/* The "ether" line of an ifconfig listing, and the kernel's address. */
static void same_mac(const char *l, const char *listing, const char *node, const char *ifname)
{
	char out[8192], sys[256], cmd[160];
	cr_assert_eq(verb(l, listing, out, sizeof(out)), 0, "%s: %s", listing, out);
	cr_expect_null(strstr(out, "as the kernel chose"), "%s: %s", listing, out);
	char *e = strstr(out, "\tether ");
	cr_assert(e, "%s: %s", listing, out);
	e += 7;
	snprintf(cmd, sizeof(cmd), "exec %s %s -- cat /sys/class/net/%s/address", l, node, ifname);
	cr_assert_eq(verb(l, cmd, sys, sizeof(sys)), 0, "%s", sys);
	cr_expect_eq(strncmp(e, sys, 17), 0, "%s shows %.17s, the kernel has %s", listing, e, sys);
}

/* Low item: the FreeBSD ifconfig listing said "ether (as the kernel
 * chose)" for an interface whose MAC nobody set; FreeBSD's shows the MAC. */
Test(fixes, ifconfig_lists_the_kernels_mac, .timeout = 90)
{
	need_labs();
	char l[64], out[8192];
	snprintf(l, sizeof(l), "%s", lab("vmac"));
	static const char *const session[] = {
		"jail -c name=j1 host.hostname=j1 vnet persist", "ngctl mkpeer eiface ether ether",
		"ngctl mkpeer eiface ether ether", "ngctl connect ngeth0: ngeth1: ether ether",
		"ifconfig ngeth0 vnet j1"};
	for (size_t i = 0; i < sizeof(session) / sizeof(session[0]); i++)
		cr_assert_eq(verb(l, session[i], out, sizeof(out)), 0, "%s: %s", session[i], out);
	same_mac(l, "jexec j1 ifconfig ngeth0", "j1", "ngeth0");
	same_mac(l, "ifconfig ngeth1", "host", "ngeth1");
	char down[96];
	snprintf(down, sizeof(down), "down %s", l);
	cr_expect_eq(verb(l, down, out, sizeof(out)), 0, "%s", out);
	assert_gone(l);
}
