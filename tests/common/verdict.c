/* SPDX-License-Identifier: BSD-2-Clause */
/* verdict.c — the main() of both test binaries.
 *
 * Criterion decides pass/fail per test, but three things it cannot see
 * would let a broken build go green: a test that skips is left out of its
 * summary; a sanitizer report from a process other than the test worker
 * (the CLI, the keeper, `exec`) reaches a log nobody reads; and a worker's
 * exit status after its test has "passed" is ignored.  So this file wraps
 * Criterion's runner and adds its own verdict:
 *
 *   - every skip is listed with its reason, and counted;
 *   - VNETLAB_SAN_DIR (set by scripts/testrun.sh in sanitized runs) is
 *     the log_path of every sanitized process; a report there fails the run,
 *     attributed to the test during which it appeared;
 *   - VNETLAB_ITEST_STATE (the integration harness's state directory) and
 *     /run/netns must hold, after each test, nothing the test did not
 *     find there: whatever it left fails it;
 *   - every test gets a default time limit (its own .timeout wins).
 *
 * The closing line is "NAME: N passed, N failed, N skipped", counted here
 * from Criterion's own per-test results plus the failures above; the exit
 * status is 0 only when nothing failed.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/options.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "verdict.h"

#define MAX_NAMES 1024
#define MAX_EXTRA 64
#define AFTER_ALL "(after the last test)"

struct names {
	size_t n;
	char *v[MAX_NAMES];
};

static struct {
	struct names state, netns, san;
	char *extra[MAX_EXTRA];   /* "suite::test: why" */
	size_t n_extra;
	struct names flunked;     /* tests Criterion passed that failed here */
	struct names started;     /* the others were filtered out */
	const char *current;      /* the test being judged */
	bool current_passed;
	size_t passed, failed, skipped;
	char *skips;              /* one line per skip */
	size_t skips_len;
} v;

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	n->n = 0;
}

/* The entries of dir (none when it does not exist), for `prefix` only. */
static void names_take(struct names *n, const char *dir, const char *prefix)
{
	names_free(n);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	while (d && (e = readdir(d)) && n->n < MAX_NAMES) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (prefix && strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		n->v[n->n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
}

static bool names_has(const struct names *n, const char *s)
{
	for (size_t i = 0; i < n->n; i++)
		if (!strcmp(n->v[i], s))
			return true;
	return false;
}

/* Entries of now that were not in before, as "a b c" (empty: none). */
static void names_new(const struct names *before, const struct names *now, char *out,
		      size_t len)
{
	out[0] = '\0';
	for (size_t i = 0; i < now->n; i++)
		if (!names_has(before, now->v[i])) {
			size_t l = strlen(out);
			snprintf(out + l, len - l, "%s%s", l ? " " : "", now->v[i]);
		}
}

static void add_extra(const char *test, const char *fmt, const char *what)
{
	char line[1024];
	int k = snprintf(line, sizeof(line), "%s: ", test);
	snprintf(line + k, sizeof(line) - (size_t)k, fmt, what);
	fprintf(stderr, "[FAIL] %s\n", line);
	if (v.current_passed && v.current && !names_has(&v.flunked, v.current) &&
	    v.flunked.n < MAX_NAMES)
		v.flunked.v[v.flunked.n++] = strdup(v.current);
	if (v.n_extra < MAX_EXTRA)
		v.extra[v.n_extra++] = strdup(line);
}

static const char *san_dir(void)
{
	const char *d = getenv("VNETLAB_SAN_DIR");
	return d && *d ? d : NULL;
}

/* Print every report file in the sanitizer directory that is new, and
 * fail `test` for it.  Reports are kept (renamed .seen) for the shell
 * check after the run. */
static void san_scan(const char *test)
{
	const char *dir = san_dir();
	if (!dir)
		return;
	struct names now = {0};
	names_take(&now, dir, NULL);
	for (size_t i = 0; i < now.n; i++) {
		if (names_has(&v.san, now.v[i]))
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, now.v[i]);
		fprintf(stderr, "---- sanitizer report %s ----\n", path);
		FILE *f = fopen(path, "r");
		char buf[4096];
		size_t r;
		while (f && (r = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, r, stderr);
		if (f)
			fclose(f);
		add_extra(test, "sanitizer report %s", now.v[i]);
	}
	names_free(&v.san);
	v.san = now;
}

/* The prefix of this run's lab names (harness.c); NULL: check nothing. */
static const char *run_tag(void)
{
	const char *t = getenv("VNETLAB_ITEST_TAG");
	return t && *t ? t : NULL;
}

/* A test that failed half-way left its labs up: take them down (and
 * clean up what a killed keeper left) so the next test starts clean. */
static void take_down(char *labs)
{
	const char *vnetlab = getenv("VNETLAB");
	if (!vnetlab)
		return;
	for (char *save, *l = strtok_r(labs, " ", &save); l; l = strtok_r(NULL, " ", &save)) {
		for (int verb = 0; verb < 2; verb++) {
			pid_t pid = fork();
			if (pid == 0) {
				int null = open("/dev/null", O_WRONLY);
				dup2(null, 1);
				dup2(null, 2);
				execl(vnetlab, vnetlab, verb ? "cleanup" : "down", verb ? NULL : l,
				      (char *)NULL);
				_exit(127);
			}
			if (pid > 0)
				waitpid(pid, NULL, 0);
		}
	}
}

/* What a test left behind, with a grace period: `down` returns when the
 * keeper is told to go, and its last removals may trail by a moment. */
static void leftovers(const char *test)
{
	const char *state = getenv("VNETLAB_ITEST_STATE");
	char left[2048], left_ns[2048];
	struct names now = {0}, ns = {0};
	for (int tries = 0; tries < 40; tries++) {
		names_take(&now, state, NULL);
		names_take(&ns, run_tag() ? "/run/netns" : NULL, run_tag());
		names_new(&v.state, &now, left, sizeof(left));
		names_new(&v.netns, &ns, left_ns, sizeof(left_ns));
		if (!left[0] && !left_ns[0])
			break;
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
	if (left[0]) {
		add_extra(test, "left in the state directory: %s", left);
		take_down(left);
	}
	if (left_ns[0])
		add_extra(test, "left in /run/netns: %s", left_ns);
	names_free(&now);
	names_free(&ns);
}

static void test_name(const char *suite, const char *test, char *out, size_t len)
{
	snprintf(out, len, "%s::%s", suite, test);
}

ReportHook(PRE_TEST)(struct criterion_test *t)
{
	char name[256];
	test_name(t->category, t->name, name, sizeof(name));
	if (v.started.n < MAX_NAMES)
		v.started.v[v.started.n++] = strdup(name);
	names_take(&v.state, getenv("VNETLAB_ITEST_STATE"), NULL);
	names_take(&v.netns, run_tag() ? "/run/netns" : NULL, run_tag());
}

/* After the test's fini: what the fini removes is not left behind. */
ReportHook(POST_FINI)(struct criterion_test_stats *ts)
{
	char name[256];
	test_name(ts->test->category, ts->test->name, name, sizeof(name));
	v.current = name;
	v.current_passed = ts->test_status == CR_STATUS_PASSED;
	san_scan(name);
	/* With parallel jobs a new entry could be another test's. */
	if (ts->test_status != CR_STATUS_SKIPPED && criterion_options.jobs == 1)
		leftovers(name);
	v.current = NULL;
}

static void add_skip(const char *name, const char *why)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "[SKIP] %s: %s\n", name, why && *why ? why : "(no reason given)");
	char *s = realloc(v.skips, v.skips_len + (size_t)n + 1);
	if (!s)
		return;
	memcpy(s + v.skips_len, line, (size_t)n + 1);
	v.skips = s;
	v.skips_len += (size_t)n;
}

ReportHook(POST_ALL)(struct criterion_global_stats *gs)
{
	v.current = AFTER_ALL;
	v.current_passed = true;
	san_scan(v.current);
	for (struct criterion_suite_stats *ss = gs->suites; ss; ss = ss->next)
		for (struct criterion_test_stats *t = ss->tests; t; t = t->next) {
			char name[256];
			test_name(ss->suite->name, t->test->name, name, sizeof(name));
			/* Criterion counts a test the filter left out as skipped. */
			if (!names_has(&v.started, name) && t->test_status == CR_STATUS_SKIPPED)
				continue;
			if (t->test_status == CR_STATUS_SKIPPED) {
				v.skipped++;
				add_skip(name, t->message);
			} else if (t->test_status == CR_STATUS_PASSED && !t->crashed &&
				   !t->timed_out) {
				v.passed++;
			} else {
				v.failed++;
			}
		}
}

int vl_verdict_main(int argc, char *argv[], const char *name, double timeout)
{
	struct criterion_test_set *tests = criterion_initialize();
	criterion_options.timeout = timeout;
	int ok = 0, rc = 0;
	if ((rc = criterion_handle_args(argc, argv, true)) > 0)
		ok = criterion_run_all_tests(tests);
	criterion_finalize(tests);
	if (rc <= 0) /* --help, --list and the like */
		return -rc;
	if (v.skips)
		fputs(v.skips, stderr);
	for (size_t i = 0; i < v.n_extra; i++)
		fprintf(stderr, "[FAIL] %s\n", v.extra[i]);
	/* A test Criterion passed but that failed a check here counts once,
	 * as failed; a report that came after the last test (a worker's leak
	 * check runs at its exit) counts as one failure more. */
	size_t late = names_has(&v.flunked, AFTER_ALL);
	size_t extra = v.flunked.n - late;
	size_t passed = v.passed - (extra < v.passed ? extra : v.passed);
	size_t failed = v.failed + v.flunked.n;
	fflush(stdout);
	fprintf(stderr, "%s: %zu passed, %zu failed, %zu skipped\n", name, passed, failed,
		v.skipped);
	return ok && failed == 0 ? 0 : 1;
}
