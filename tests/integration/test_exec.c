/* SPDX-License-Identifier: BSD-2-Clause */
/* `vnetlab exec` and the life of its command (issue 14, low items): a
 * SIGTERM or SIGHUP to exec reaches the command, a SIGKILL of exec takes
 * the command with it (as killing jexec, which becomes the command, does),
 * and a lab taken down under a session says so. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

struct bgexec {
	pid_t pid;
	int out; /* its stdout and stderr */
};

/* vnetlab exec LAB NODE -- sleep 1000, in the background. */
static void start_exec(struct bgexec *b, const char *l)
{
	int p[2];
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
	b->pid = fork();
	cr_assert(b->pid >= 0);
	if (b->pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		setpgid(0, 0); /* no terminal signals of the test's */
		execl(bin(), bin(), "exec", l, "a", "--", "sleep", "1000", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	b->out = p[0];
}

/* Is a `sleep 1000` running anywhere in the lab (its /proc, from a node)? */
static bool sleeping(const char *l)
{
	char out[4096];
	const char *argv[] = {bin(), "exec", l, "b", "--", "pgrep", "-x", "sleep", NULL};
	return run(argv, NULL, out, sizeof(out), NULL) == 0;
}

static bool until(const char *l, bool want, double seconds)
{
	for (double t = 0; t < seconds; t += 0.05) {
		if (sleeping(l) == want)
			return true;
		usleep(50000);
	}
	return false;
}

static int finish(struct bgexec *b, char *out, size_t len)
{
	int st;
	waitpid(b->pid, &st, 0);
	/* A command left running would hold the pipe open: do not wait
	 * for it to end. */
	struct pollfd pf = {.fd = b->out, .events = POLLIN};
	ssize_t n = poll(&pf, 1, 3000) == 1 ? read(b->out, out, len - 1) : 0;
	out[n > 0 ? n : 0] = '\0';
	close(b->out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *pair =
	"nodes:\n"
	"  a: { ifaces: { e0: { addrs: [10.9.0.1/24] } } }\n"
	"  b: { ifaces: { e0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n  - [a:e0, b:e0]\n";

static void signal_reaches_the_command(int sig, int want_status)
{
	need_labs();
	need_tool("/usr/bin/pgrep", "procps");
	char file[64], l[64], out[4096];
	up_text("execsig", pair, file, l);
	struct bgexec b;
	start_exec(&b, l);
	cr_assert(until(l, true, 10), "the command never started");
	kill(b.pid, sig);
	cr_expect_eq(finish(&b, out, sizeof(out)), want_status, "%s", out);
	cr_expect(until(l, false, 5), "signal %d to vnetlab exec left its command running",
		  sig);
	down_text(file, l);
}

Test(exec, sigterm_reaches_the_command, .timeout = 60)
{
	signal_reaches_the_command(SIGTERM, 128 + SIGTERM);
}

Test(exec, sighup_reaches_the_command, .timeout = 60)
{
	signal_reaches_the_command(SIGHUP, 128 + SIGHUP);
}

Test(exec, sigkill_takes_the_command_along, .timeout = 60)
{
	signal_reaches_the_command(SIGKILL, 128 + SIGKILL);
}

Test(exec, a_lab_taken_down_under_a_session_says_so, .timeout = 60)
{
	need_labs();
	need_tool("/usr/bin/pgrep", "procps");
	char file[64], l[64], out[4096];
	up_text("execdown", pair, file, l);
	struct bgexec b;
	start_exec(&b, l);
	cr_assert(until(l, true, 10), "the command never started");
	down_text(file, l);
	cr_expect_eq(finish(&b, out, sizeof(out)), 128 + SIGKILL, "%s", out);
	cr_expect(strstr(out, "was taken down; the command ended with it"), "%s", out);
}
