/* SPDX-License-Identifier: BSD-2-Clause */
/* Concurrency: labs built and removed by separate processes at once, one
 * name claimed twice at once, and the control path answering while a
 * pipe forwards at full rate. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "residue.h"

#define NLABS 8

struct job {
	pid_t pid;
	char log[128];
};

/* Run argv in a child process of its own; its output goes to a file. */
static void start(struct job *j, const char *const argv[])
{
	snprintf(j->log, sizeof(j->log), "%s.job-%d-XXXXXX", state_dir(), (int)getpid());
	int fd = mkstemp(j->log);
	cr_assert(fd >= 0);
	close(fd);
	fflush(NULL);
	j->pid = fork();
	cr_assert(j->pid >= 0);
	if (j->pid == 0) {
		static char out[1 << 16];
		int rc = run(argv, NULL, out, sizeof(out), NULL);
		FILE *f = fopen(j->log, "w");
		if (f)
			fputs(out, f), fclose(f);
		_exit(rc);
	}
}

/* Its exit status, and its output into out. */
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

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Eight chains of 16 nodes, each by its own `up`, all at once; each
 * answers `check` (all at once); eight `down`s at once; nothing left. */
Test(concurrency, eight_labs_at_once, .timeout = 180)
{
	need_labs();
	struct sysview before;
	sysview_take(&before);
	char path[256], names[NLABS][64], out[1 << 16];
	topo("chain14", path, sizeof(path));
	struct job jobs[NLABS];
	const char *verbs[] = {"up", "check", "down"};
	for (int v = 0; v < 3; v++) {
		double t0 = now();
		for (int i = 0; i < NLABS; i++) {
			char base[32];
			snprintf(base, sizeof(base), "par%d", i);
			if (v == 0)
				snprintf(names[i], sizeof(names[i]), "%s", lab(base));
			const char *up[] = {bin(), "up", path, "--name", names[i], "--quiet", NULL};
			const char *other[] = {bin(), verbs[v], names[i], NULL};
			start(&jobs[i], v == 0 ? up : other);
		}
		int ok = 0;
		for (int i = 0; i < NLABS; i++) {
			int rc = finish(&jobs[i], out, sizeof(out));
			cr_expect_eq(rc, 0, "%s %s: exit %d:\n%s", verbs[v], names[i], rc, out);
			if (v == 1)
				cr_expect(strstr(out, "240/240 node pairs reachable"), "%s: %s",
					  names[i], out);
			ok += rc == 0;
		}
		cr_log_info("%d labs: %d/%d `%s` succeeded at once in %.2f s", NLABS, ok, NLABS,
			    verbs[v], now() - t0);
	}
	for (int i = 0; i < NLABS; i++)
		assert_gone(names[i]);
	assert_no_residue(&before, "eight labs at once");
	sysview_free(&before);
}

/* Two `up`s of one name at the same moment: one lab, and a clear error
 * for the other that does not harm it.  Several rounds, as it is a race. */
Test(concurrency, one_name_claimed_twice_at_once, .timeout = 120)
{
	need_labs();
	struct sysview before;
	sysview_take(&before);
	char path[256], out[2][1 << 14], l[64];
	topo("chain14", path, sizeof(path));
	snprintf(l, sizeof(l), "%s", lab("twice"));
	for (int round = 0; round < 5; round++) {
		struct job j[2];
		const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
		start(&j[0], up);
		start(&j[1], up);
		int rc[2] = {finish(&j[0], out[0], sizeof(out[0])),
			     finish(&j[1], out[1], sizeof(out[1]))};
		int won = rc[0] == 0 ? 0 : 1, lost = 1 - won;
		cr_expect_eq(rc[won], 0, "round %d: neither up succeeded:\n%s\n%s", round,
			     out[0], out[1]);
		cr_expect_eq(rc[lost], 1, "round %d: both or neither:\n%s\n%s", round, out[0],
			     out[1]);
		cr_expect(strstr(out[lost], "is already running"), "round %d: %s", round,
			  out[lost]);
		const char *check[] = {bin(), "check", l, NULL};
		cr_expect_eq(run(check, NULL, out[0], sizeof(out[0]), NULL), 0, "%s", out[0]);
		cr_expect(strstr(out[0], "240/240 node pairs reachable"), "%s", out[0]);
		const char *down[] = {bin(), "down", l, NULL};
		cr_expect_eq(run(down, NULL, out[0], sizeof(out[0]), NULL), 0, "%s", out[0]);
		assert_gone(l);
	}
	assert_no_residue(&before, "one name twice");
	sysview_free(&before);
}

struct probe_stats {
	int calls, failed;
	double worst;
	char worst_what[32];
};

static void timed(struct probe_stats *s, const char *what, const char *const argv[])
{
	char out[1 << 15];
	double t0 = now();
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	double dt = now() - t0;
	s->calls++;
	if (rc != 0) {
		s->failed++;
		cr_expect_eq(rc, 0, "%s under load: %s", what, out);
	}
	if (dt > s->worst) {
		s->worst = dt;
		snprintf(s->worst_what, sizeof(s->worst_what), "%s", what);
	}
}

/* TCP at full rate through a userspace pipe (the keeper's own forwarder,
 * so the keeper is as busy as it gets) for 8 s; meanwhile inspect, exec
 * and live link changes keep coming.  Each must answer, and within 2 s
 * (unloaded they take ~10-30 ms). */
Test(concurrency, control_answers_under_full_load, .timeout = 120)
{
	need_labs();
	need_tool("/usr/bin/iperf3", "iperf3");
	char file[64], l[64], out[1 << 15];
	up_text("load",
		"nodes:\n"
		"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"links:\n  - { endpoints: [a:eth0, b:eth0], impl: userspace }\n",
		file, l);
	const char *srv[] = {bin(), "exec", l, "b", "--", "iperf3", "-s", "-D", "-1", NULL};
	cr_assert_eq(run(srv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	wait_listening(l, "b", 5201);
	struct job traffic;
	const char *cli[] = {bin(), "exec", l, "a", "--", "iperf3", "-c", "10.9.0.2", "-t",
			     "8", "-f", "m", NULL};
	start(&traffic, cli);
	/* Probe only once the link carries the load: 10 MB through it. */
	unsigned long long rx0 = iface_counter(l, "b", "eth0", "rx_bytes");
	for (int i = 0; i < 250 && iface_counter(l, "b", "eth0", "rx_bytes") < rx0 + 10000000;
	     i++)
		usleep(20000);
	struct probe_stats s = {0};
	double t0 = now();
	while (now() - t0 < 6.0) {
		const char *insp[] = {bin(), "inspect", l, "--json", NULL};
		const char *ex[] = {bin(), "exec", l, "a", "--", "true", NULL};
		const char *set[] = {bin(), "link", l, "a:eth0", "b:eth0", "set", "delay",
				     "1ms", NULL};
		const char *clr[] = {bin(), "link", l, "a:eth0", "b:eth0", "clear", NULL};
		timed(&s, "inspect", insp);
		timed(&s, "exec", ex);
		timed(&s, "link set", set);
		timed(&s, "link clear", clr);
	}
	int rc = finish(&traffic, out, sizeof(out));
	cr_expect_eq(rc, 0, "iperf3: %s", out);
	char *r = strstr(out, "receiver");
	double mbit = 0;
	if (r) {
		while (r > out && r[-1] != '\n')
			r--;
		char *m = strstr(r, " Mbits/sec");
		while (m && m > r && m[-1] != ' ')
			m--;
		mbit = m ? atof(m) : 0;
	}
	cr_log_info("under %.0f Mbit/s through the pipe: %d requests, %d failed, slowest "
		    "%.3f s (%s)", mbit, s.calls, s.failed, s.worst, s.worst_what);
	cr_expect_gt(mbit, 100.0, "the link was not loaded: %.0f Mbit/s\n%s", mbit, out);
	cr_expect_geq(s.calls, 20, "only %d requests in 6 s", s.calls);
	cr_expect_eq(s.failed, 0);
	cr_expect_lt(s.worst, 2.0, "%s took %.3f s under load", s.worst_what, s.worst);
	down_text(file, l);
}
