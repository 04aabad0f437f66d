/* SPDX-License-Identifier: BSD-2-Clause */
/* harness.c — see harness.h. */
#include "harness.h"
#include "nouserns.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char state[64];

/* One private state directory for the whole run, made before Criterion
 * forks the tests so all of them share it, removed at the end. */
__attribute__((constructor)) static void make_state_dir(void)
{
	/* Criterion may re-execute this binary for each test: reuse. */
	const char *mine = getenv("VNETLAB_ITEST_STATE");
	if (mine && strlen(mine) < sizeof(state)) {
		snprintf(state, sizeof(state), "%s", mine);
		return;
	}
	snprintf(state, sizeof(state), "/tmp/vnetlab-itest-XXXXXX");
	if (!mkdtemp(state)) {
		perror("mkdtemp");
		exit(2);
	}
	setenv("VNETLAB_STATE_DIR", state, 1);
	setenv("VNETLAB_ITEST_STATE", state, 1);
	/* Every lab of this run is named "t<tag>..." (lab()), so what the run
	 * left in the shared /run/netns is told from other runs' labs. */
	char tag[8];
	unsigned v = (unsigned)getpid() % (36 * 36 * 36);
	const char *digits = "0123456789abcdefghijklmnopqrstuvwxyz";
	snprintf(tag, sizeof(tag), "t%c%c%c", digits[v / 1296], digits[v / 36 % 36],
		 digits[v % 36]);
	setenv("VNETLAB_ITEST_TAG", tag, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	if (rmdir(state) == 0)
		return;
	/* Something outlived its test: say what, loudly. */
	fprintf(stderr, "harness: WARNING: %s is not empty; left behind:\n", state);
	DIR *d = opendir(state);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fprintf(stderr, "harness:   %s\n", e->d_name);
	if (d)
		closedir(d);
}

const char *state_dir(void)
{
	return state;
}

const char *bin(void)
{
	const char *b = getenv("VNETLAB");
	return b ? b : "./vnetlab";
}

static bool root_caps(void)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t a = CAP_CLEAR, n = CAP_CLEAR;
	if (c) {
		cap_get_flag(c, CAP_SYS_ADMIN, CAP_EFFECTIVE, &a);
		cap_get_flag(c, CAP_NET_ADMIN, CAP_EFFECTIVE, &n);
		cap_free(c);
	}
	return a == CAP_SET && n == CAP_SET;
}

const char *required_mode(void)
{
	const char *r = getenv("VNETLAB_TEST_REQUIRE");
	if (!r || !*r)
		return NULL;
	if (strcmp(r, "root") && strcmp(r, "rootless"))
		cr_assert_fail("VNETLAB_TEST_REQUIRE=%s: must be root or rootless", r);
	return r;
}

const char *lab_mode(void)
{
	/* What the run was told beats what the harness can see: a wrong
	 * capability rule in the program must not be matched by the same
	 * rule here. */
	const char *r = required_mode();
	if (r)
		return r;
	return root_caps() ? "root" : "rootless";
}

/* Can this process make a user namespace?  Tried in a child. */
static int userns_errno(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) < 0 ? errno : 0);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
}

/* A skip for something this host lacks; in a required-mode run (CI's),
 * a failure, since the run promised that mode works here. */
static void lacking(const char *fmt, const char *a, const char *b)
{
	char why[512];
	snprintf(why, sizeof(why), fmt, a, b);
	if (required_mode())
		cr_assert_fail("VNETLAB_TEST_REQUIRE=%s, but %s", required_mode(), why);
	cr_skip_test("SKIP: %s", why);
}

void need_labs(void)
{
	const char *r = required_mode();
	bool caps = root_caps();
	if (r && !strcmp(r, "root") && !caps)
		lacking("this process lacks %s%s (CAP_SYS_ADMIN and CAP_NET_ADMIN)",
			"root mode's capabilities", "");
	if (r && !strcmp(r, "rootless") && caps)
		cr_assert_fail("VNETLAB_TEST_REQUIRE=rootless, but this process has "
			       "CAP_SYS_ADMIN and CAP_NET_ADMIN: its labs would be root mode");
	if (caps)
		return;
	int e = userns_errno();
	if (e)
		lacking("not root, and this host forbids user namespaces (unshare: %s)%s",
			strerror(e), "; `vnetlab doctor` says why");
}

void need_root(const char *why)
{
	const char *r = required_mode();
	/* In a rootless run, a test that needs root is rightly skipped. */
	if (r && !strcmp(r, "rootless")) {
		cr_skip_test("SKIP: needs root (this is the rootless run): %s", why);
		return;
	}
	if (!root_caps())
		lacking("needs root: %s%s", why, "");
}

void need_tool(const char *path, const char *package)
{
	if (access(path, X_OK) != 0)
		lacking("%s is not installed (Debian package %s)", path, package);
}

static void child(const char *const argv[], const struct runopt *o, int in,
		  int out)
{
	if (o->pty) {
		setsid();
		ioctl(out, TIOCSCTTY, 0);
	}
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	for (int i = 0; i < 6 && o->env[i]; i++)
		putenv((char *)o->env[i]);
	if (o->as_uid && (setgroups(0, NULL) < 0 || setresgid(o->gid, o->gid, o->gid) < 0 ||
			  setresuid(o->uid, o->uid, o->uid) < 0)) {
		perror("becoming the test user");
		_exit(125);
	}
	if (o->deny_userns && vl_deny_userns() < 0) {
		perror("seccomp");
		_exit(125);
	}
	/* vnetlab starts with 0, 1 and 2 only, as from a shell: what it
	 * passes on is then its own doing (test_hygiene checks that). */
	close_range(3, ~0U, 0);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

/* vnetlab refuses with 1 (2 for usage); a crash or a sanitizer report
 * must never pass for a refusal, so they fail the test here, whatever
 * the test expected. */
static void no_crash(const char *const argv[], int st, const char *out)
{
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		if (sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGILL ||
		    sig == SIGFPE)
			cr_assert_fail("%s %s crashed (%s):\n%s", argv[0], argv[1] ? argv[1] : "",
				       strsignal(sig), out);
	}
	const char *san = getenv("VNETLAB_SAN_DIR");
	if (san && *san && WIFEXITED(st) && WEXITSTATUS(st) == VL_SAN_EXIT)
		cr_assert_fail("%s %s: sanitizer report (exit %d), in %s:\n%s", argv[0],
			       argv[1] ? argv[1] : "", VL_SAN_EXIT, san, out);
}

static void collect(int fd, char *out, size_t len)
{
	size_t got = 0;
	ssize_t r;
	char sink[4096];
	while ((r = read(fd, got + 1 < len ? out + got : sink,
			 got + 1 < len ? len - 1 - got : sizeof(sink))) > 0 ||
	       (r < 0 && errno == EINTR))
		if (r > 0 && got + 1 < len)
			got += (size_t)r;
	out[got] = '\0';
}

int runx(const char *const argv[], const struct runopt *o, char *out, size_t len)
{
	int ip[2], op[2];
	cr_assert_eq(pipe2(ip, O_CLOEXEC), 0);
	if (o->pty) {
		int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		cr_assert(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
		int s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
		cr_assert(s >= 0);
		op[0] = m, op[1] = s;
	} else {
		cr_assert_eq(pipe2(op, O_CLOEXEC), 0);
	}
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0)
		child(argv, o, o->pty ? op[1] : ip[0], op[1]);
	close(ip[0]);
	close(op[1]);
	if (o->in) {
		ssize_t w = write(ip[1], o->in, strlen(o->in));
		(void)w;
	}
	close(ip[1]);
	collect(op[0], out, len); /* a pty master reads EIO once all closed */
	close(op[0]);
	int st;
	waitpid(pid, &st, 0);
	if (!strcmp(argv[0], bin()))
		no_crash(argv, st, out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int run(const char *const argv[], const char *in, char *out, size_t len,
	const char *env)
{
	struct runopt o = {.in = in, .env = {env, NULL}};
	return runx(argv, &o, out, len);
}

int run_in(const char *l, const char *node, const char *const cmd[], char *out, size_t len)
{
	const char *argv[16] = {bin(), "exec", l, node, "--"};
	size_t n = 5;
	for (size_t i = 0; cmd[i] && n < 15; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	return run(argv, NULL, out, len, NULL);
}

/* Poll `cond` (a shell-free argv run inside the node) until it exits 0. */
static bool until_ok(const char *l, const char *node, const char *const cmd[],
		     double seconds)
{
	char out[4096];
	for (double waited = 0; waited < seconds; waited += 0.02) {
		if (run_in(l, node, cmd, out, sizeof(out)) == 0)
			return true;
		usleep(20000);
	}
	return false;
}

void wait_listening(const char *l, const char *node, int port)
{
	char filt[64];
	snprintf(filt, sizeof(filt), "( sport = :%d )", port);
	/* ss prints a header-less line per listener; an empty answer is
	 * "not yet".  grep's status says which. */
	const char *cmd[] = {"/bin/sh", "-c", "ss -Hltn \"$0\" | grep -q .", filt, NULL};
	cr_assert(until_ok(l, node, cmd, 10), "nothing listens on port %d in %s.%s", port,
		  l, node);
}

unsigned long long iface_counter(const char *l, const char *node, const char *ifname,
				 const char *counter)
{
	char path[160], out[256];
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname, counter);
	const char *argv[] = {bin(), "exec", l, node, "--", "cat", path, NULL};
	cr_assert_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	return strtoull(out, NULL, 10);
}

static char lab_name[64];

const char *lab(const char *base)
{
	const char *tag = getenv("VNETLAB_ITEST_TAG");
	snprintf(lab_name, sizeof(lab_name), "%s%d-%s", tag ? tag : "t", (int)getpid(), base);
	return lab_name;
}

void topo(const char *name, char *path, size_t len)
{
	const char *dir = getenv("TOPOLOGIES");
	snprintf(path, len, "%s/%s.yaml", dir ? dir : "topologies", name);
}

void assert_gone(const char *l)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", state, l);
	cr_expect_neq(stat(p, &st), 0, "state directory %s left behind", p);
	DIR *d = opendir("/run/netns");
	struct dirent *e;
	size_t ln = strlen(l);
	while (d && (e = readdir(d)))
		cr_expect(!(strncmp(e->d_name, l, ln) == 0 && e->d_name[ln] == '.'),
			  "netns link %s left behind", e->d_name);
	if (d)
		closedir(d);
}

void up_text(const char *base, const char *yaml, char *file, char *name)
{
	snprintf(file, 64, "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(file);
	cr_assert(fd >= 0);
	dprintf(fd, "%s", yaml);
	close(fd);
	snprintf(name, 64, "%s", lab(base));
	char out[4096];
	const char *up[] = {bin(), "up", file, "--name", name, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
}

void down_text(const char *file, const char *name)
{
	char out[4096];
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	unlink(file);
	assert_gone(name);
}

/* ---- one-way measurements (test_impair) ---------------------------------- */

#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <time.h>

const char *owd_bin(void)
{
	static char path[PATH_MAX];
	const char *o = getenv("OWD");
	if (!o || !*o)
		o = "build/tests/owd";
	if (!realpath(o, path))
		snprintf(path, sizeof(path), "%s", o);
	return path;
}

bool doctor_value(const char *id, char *buf, size_t len)
{
	static char out[1 << 16];
	const char *argv[] = {bin(), "doctor", "--json", NULL};
	run(argv, NULL, out, sizeof(out), NULL); /* exit 1 when a check fails */
	struct json_object *d = json_tokener_parse(out), *checks;
	bool found = false;
	if (d && json_object_object_get_ex(d, "checks", &checks) &&
	    json_object_is_type(checks, json_type_array))
		for (size_t i = 0; i < json_object_array_length(checks) && !found; i++) {
			struct json_object *c = json_object_array_get_idx(checks, i), *v;
			const char *cid = json_object_get_string(json_object_object_get(c, "id"));
			if (cid && !strcmp(cid, id) && json_object_object_get_ex(c, "value", &v)) {
				snprintf(buf, len, "%s", json_object_get_string(v));
				found = true;
			}
		}
	json_object_put(d);
	return found;
}

bool have_qdisc(const char *kind)
{
	char id[64], v[64];
	snprintf(id, sizeof(id), "qdisc.%s", kind);
	return doctor_value(id, v, sizeof(v)) && !strcmp(v, "present");
}

void bg_start(struct bg *b, const char *const argv[])
{
	int op[2];
	cr_assert_eq(pipe2(op, O_CLOEXEC), 0);
	b->got = 0;
	b->out[0] = '\0';
	b->pid = fork();
	cr_assert(b->pid >= 0);
	if (b->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(op[1], 1);
		dup2(op[1], 2);
		close_range(3, ~0U, 0);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(op[1]);
	b->fd = op[0];
}

/* Read what is there (waiting at most ms); false at end of output. */
static bool bg_read(struct bg *b, int ms)
{
	struct pollfd p = {.fd = b->fd, .events = POLLIN};
	int r = poll(&p, 1, ms);
	if (r < 0 && errno == EINTR)
		return true;
	if (r <= 0)
		return r == 0;
	char sink[4096];
	bool room = b->got + 1 < sizeof(b->out);
	ssize_t n = read(b->fd, room ? b->out + b->got : sink,
			 room ? sizeof(b->out) - 1 - b->got : sizeof(sink));
	if (n < 0)
		return errno == EINTR;
	if (n == 0)
		return false;
	if (room)
		b->got += (size_t)n;
	b->out[b->got] = '\0';
	return true;
}

static long long mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool bg_wait_text(struct bg *b, const char *text, int timeout_ms)
{
	long long end = mono_ms() + timeout_ms;
	while (!strstr(b->out, text)) {
		long long left = end - mono_ms();
		if (left <= 0 || !bg_read(b, (int)left))
			return strstr(b->out, text) != NULL;
	}
	return true;
}

int bg_finish(struct bg *b)
{
	while (bg_read(b, -1))
		;
	close(b->fd);
	int st;
	while (waitpid(b->pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
