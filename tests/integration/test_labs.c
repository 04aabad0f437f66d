/* Integration: real labs through the vnetlab binary.  Needs root (issue 3
 * brings rootless); without CAP_SYS_ADMIN every test here reports SKIP
 * with the reason.  Lab names carry this process's pid, so tests never
 * touch a user's labs, and every test checks what it left behind. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *bin(void)
{
	const char *b = getenv("VNETLAB");
	return b ? b : "./vnetlab";
}

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("SKIP: needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN) to make "
			     "namespaces; rootless labs are issue 3");
}

/* Run argv with optional stdin text; capture stdout+stderr; return status. */
static int run(const char *const argv[], const char *in, char *out, size_t len,
	       const char *env)
{
	int ip[2], op[2];
	cr_assert_eq(pipe(ip), 0);
	cr_assert_eq(pipe(op), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(ip[0], 0);
		dup2(op[1], 1);
		dup2(op[1], 2);
		close(ip[1]);
		close(op[0]);
		if (env)
			putenv((char *)env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(ip[0]);
	close(op[1]);
	if (in) {
		ssize_t w = write(ip[1], in, strlen(in));
		(void)w;
	}
	close(ip[1]);
	size_t got = 0;
	ssize_t r;
	char sink[4096];
	while ((r = read(op[0], got + 1 < len ? out + got : sink,
			 got + 1 < len ? len - 1 - got : sizeof(sink))) > 0)
		if (got + 1 < len)
			got += (size_t)r;
	out[got] = '\0';
	close(op[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char lab_name[64];

static const char *lab(const char *base)
{
	snprintf(lab_name, sizeof(lab_name), "t%d-%s", (int)getpid(), base);
	return lab_name;
}

static void topo(const char *name, char *path, size_t len)
{
	const char *dir = getenv("TOPOLOGIES");
	snprintf(path, len, "%s/%s.yaml", dir ? dir : "topologies", name);
}

/* Nothing of lab L may remain: state dir, /run/netns links. */
static void assert_gone(const char *l)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "/run/vnetlab/%s", l);
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

static void run_topology(const char *name, const char *expect)
{
	need_root();
	char path[256], out[65536];
	topo(name, path, sizeof(path));
	const char *l = lab(name);
	const char *argv[] = {bin(), "run", path, "--name", l, NULL};
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	cr_expect_eq(rc, 0, "vnetlab run %s failed (%d):\n%s", name, rc, out);
	cr_expect(strstr(out, expect) != NULL, "want '%s' in:\n%s", expect, out);
	assert_gone(l);
}

Test(labs, demo) { run_topology("demo", "2/2 node pairs reachable"); }
Test(labs, chain14) { run_topology("chain14", "240/240 node pairs reachable"); }
Test(labs, hub_lan) { run_topology("hub-lan", "12/12 node pairs reachable"); }
Test(labs, dualstack) { run_topology("dualstack", "20/20 node pairs reachable (56/56"); }

Test(labs, builtin_demo)
{
	need_root();
	char out[8192];
	const char *argv[] = {bin(), "run", "--name", lab("builtin"), NULL};
	cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "2/2 node pairs reachable"), "%s", out);
}

Test(labs, check_can_fail)
{
	need_root();
	/* Two hosts on one bridge but in different subnets, no router. */
	char path[] = "/tmp/vnetlab-test-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	const char *y = "nodes:\n  br: { kind: bridge }\n"
			"  a: { ifaces: { eth0: { addrs: [10.1.0.1/24] } } }\n"
			"  b: { ifaces: { eth0: { addrs: [10.2.0.1/24] } } }\n"
			"links: [ [a:eth0, br:p0], [b:eth0, br:p1] ]\n";
	cr_assert_eq(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	char out[8192];
	const char *argv[] = {bin(), "run", path, "--name", lab("unreach"), "--count", "1", NULL};
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	unlink(path);
	cr_expect_eq(rc, 1, "unreachable pairs must fail the check:\n%s", out);
	cr_expect(strstr(out, "0/2 node pairs reachable"), "%s", out);
	assert_gone(lab_name);
}

Test(labs, up_exec_down)
{
	need_root();
	char path[256], out[8192];
	topo("dualstack", path, sizeof(path));
	char l[64];
	snprintf(l, sizeof(l), "%s", lab("life"));
	const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *host[] = {bin(), "exec", l, "h3", "--", "hostname", NULL};
	cr_expect_eq(run(host, NULL, out, sizeof(out), NULL), 0);
	cr_expect_str_eq(out, "server\n");
	const char *cat[] = {bin(), "exec", l, "h1", "--", "cat", NULL};
	cr_expect_eq(run(cat, "through stdin\n", out, sizeof(out), NULL), 0);
	cr_expect_str_eq(out, "through stdin\n");
	const char *ex[] = {bin(), "exec", l, "h1", "--", "sh", "-c", "exit 42", NULL};
	cr_expect_eq(run(ex, NULL, out, sizeof(out), NULL), 42, "exit status passes through");
	const char *missing[] = {bin(), "exec", l, "h1", "--", "/nonexistent", NULL};
	cr_expect_eq(run(missing, NULL, out, sizeof(out), NULL), 127);
	const char *nonode[] = {bin(), "exec", l, "nope", "--", "true", NULL};
	cr_expect_eq(run(nonode, NULL, out, sizeof(out), NULL), 1);
	cr_expect(strstr(out, "no vnet node 'nope'"), "%s", out);
	/* ip netns sees the node, as root. */
	char ipns[128];
	snprintf(ipns, sizeof(ipns), "%s.h1", l);
	const char *ipx[] = {"/usr/bin/ip", "netns", "exec", ipns, "ip", "-br", "addr", NULL};
	cr_expect_eq(run(ipx, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "192.0.2.10/24"), "%s", out);
	const char *insp[] = {bin(), "inspect", l, "--json", NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0);
	cr_expect(strstr(out, "\"hostname\":\"server\""), "%s", out);
	const char *again[] = {bin(), "up", path, "--name", l, NULL};
	cr_expect_eq(run(again, NULL, out, sizeof(out), NULL), 1);
	cr_expect(strstr(out, "already running"), "%s", out);
	const char *down[] = {bin(), "down", l, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
}

Test(labs, bad_file_changes_nothing)
{
	need_root();
	char out[8192];
	const char *dir = getenv("TOPOLOGIES");
	char path[512];
	snprintf(path, sizeof(path), "%s/../tests/data/bad/l2-conflict.yaml", dir ? dir : "topologies");
	const char *argv[] = {bin(), "up", path, "--name", lab("bad"), NULL};
	cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 1);
	cr_expect(strstr(out, "l2-conflict.yaml:4:34: error:"), "%s", out);
	assert_gone(lab_name);
}

/* Walk an injected failure over every step of a topology's plan. */
static void fault_walk(const char *name, const char *mode)
{
	need_root();
	char path[256], out[16384];
	topo(name, path, sizeof(path));
	const char *plan[] = {bin(), "plan", path, NULL};
	cr_assert_eq(run(plan, NULL, out, sizeof(out), NULL), 0);
	int steps = 0;
	sscanf(strstr(out, ": ") + 2, "%d", &steps);
	cr_assert_gt(steps, 5);
	for (int k = 1; k <= steps; k++) {
		char env[64], l[64];
		snprintf(env, sizeof(env), "VNETLAB_FAULT=%s:%d", mode, k);
		snprintf(l, sizeof(l), "%s", lab(name));
		const char *up[] = {bin(), "up", path, "--name", l, NULL};
		int rc = run(up, NULL, out, sizeof(out), env);
		cr_expect_eq(rc, 1, "%s at step %d: up should fail:\n%s", mode, k, out);
		if (strcmp(mode, "fail") == 0)
			cr_expect(strstr(out, "injected fault"), "step %d: %s", k, out);
		assert_gone(l);
	}
}

Test(rollback, every_step_of_demo_fails_cleanly) { fault_walk("demo", "fail"); }
Test(rollback, every_step_of_dualstack_fails_cleanly) { fault_walk("dualstack", "fail"); }
Test(rollback, killed_at_every_step_of_demo) { fault_walk("demo", "kill"); }

Test(rollback, keeper_killed_then_cleanup)
{
	need_root();
	char path[256], out[8192];
	topo("demo", path, sizeof(path));
	char l[64];
	snprintf(l, sizeof(l), "%s", lab("crash"));
	const char *up[] = {bin(), "up", path, "--name", l, NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	char *k = strstr(out, "keeper pid ");
	cr_assert_not_null(k);
	pid_t keeper = (pid_t)atoi(k + 11);
	cr_assert_eq(kill(keeper, SIGKILL), 0);
	for (int i = 0; i < 100 && kill(keeper, 0) == 0; i++)
		usleep(10000);
	const char *ls[] = {bin(), "ls", NULL};
	run(ls, NULL, out, sizeof(out), NULL);
	cr_expect(strstr(out, "stale"), "%s", out);
	const char *clean[] = {bin(), "cleanup", NULL};
	cr_expect_eq(run(clean, NULL, out, sizeof(out), NULL), 0);
	cr_expect(strstr(out, "removed stale lab"), "%s", out);
	assert_gone(l);
}
