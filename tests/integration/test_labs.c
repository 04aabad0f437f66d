/* SPDX-License-Identifier: BSD-2-Clause */
/* Integration: real labs through the vnetlab binary, in whichever mode
 * this process gets (root, or rootless through a user namespace); see
 * harness.h.  Every test checks what it left behind. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "residue.h"

static void run_topology(const char *name, const char *expect)
{
	need_labs();
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
Test(labs, wan) { run_topology("wan", "12/12 node pairs reachable"); }
Test(labs, tap) { run_topology("tap", "6/6 node pairs reachable"); }

/* The README's demo, in this user's real default state directory (not
 * the suite's private one), so the default paths of both modes are the
 * ones exercised. */
Test(labs, builtin_demo_in_default_state_dir)
{
	need_labs();
	char out[8192], l[64];
	snprintf(l, sizeof(l), "%s", lab("builtin"));
	const char *argv[] = {bin(), "run", "--name", l, NULL};
	cr_expect_eq(run(argv, NULL, out, sizeof(out), "VNETLAB_STATE_DIR="), 0, "%s", out);
	cr_expect(strstr(out, "2/2 node pairs reachable"), "%s", out);
	char mode[32];
	snprintf(mode, sizeof(mode), "up (%s)", lab_mode());
	cr_expect(strstr(out, mode), "up must say '%s':\n%s", mode, out);
	const char *ls[] = {bin(), "ls", NULL};
	cr_expect_eq(run(ls, NULL, out, sizeof(out), "VNETLAB_STATE_DIR="), 0, "%s", out);
	cr_expect_null(strstr(out, l), "lab left behind:\n%s", out);
}

Test(labs, check_can_fail)
{
	need_labs();
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
	const char *l = lab("unreach");
	const char *argv[] = {bin(), "run", path, "--name", l, "--count", "1", NULL};
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	unlink(path);
	cr_expect_eq(rc, 1, "unreachable pairs must fail the check:\n%s", out);
	cr_expect(strstr(out, "0/2 node pairs reachable"), "%s", out);
	assert_gone(l);
}

Test(labs, up_exec_down)
{
	need_labs();
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
	/* In root mode `ip netns` sees the node; rootless there is no link
	 * (the host's /run/netns is not the user's to write). */
	char ipns[128];
	snprintf(ipns, sizeof(ipns), "/run/netns/%s.h1", l);
	bool root = strcmp(lab_mode(), "root") == 0;
	cr_expect_eq(access(ipns, F_OK) == 0, root, "%s: link %s in %s mode", ipns,
		     root ? "missing" : "present", lab_mode());
	if (root) {
		const char *ipx[] = {"/usr/bin/ip", "netns", "exec", ipns + 11, "ip",
				     "-br", "addr", NULL};
		cr_expect_eq(run(ipx, NULL, out, sizeof(out), NULL), 0, "%s", out);
		cr_expect(strstr(out, "192.0.2.10/24"), "%s", out);
	}
	const char *insp[] = {bin(), "inspect", l, "--json", NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0);
	cr_expect(strstr(out, "\"hostname\":\"server\""), "%s", out);
	char want[64];
	snprintf(want, sizeof(want), "\"mode\":\"%s\"", lab_mode());
	cr_expect(strstr(out, want), "inspect must say %s:\n%s", want, out);
	const char *again[] = {bin(), "up", path, "--name", l, NULL};
	cr_expect_eq(run(again, NULL, out, sizeof(out), NULL), 1);
	cr_expect(strstr(out, "already running"), "%s", out);
	const char *down[] = {bin(), "down", l, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
}

Test(labs, bad_file_changes_nothing)
{
	need_labs();
	char out[8192];
	const char *dir = getenv("TOPOLOGIES");
	char path[512];
	snprintf(path, sizeof(path), "%s/../tests/data/bad/l2-conflict.yaml", dir ? dir : "topologies");
	const char *l = lab("bad");
	const char *argv[] = {bin(), "up", path, "--name", l, NULL};
	cr_expect_eq(run(argv, NULL, out, sizeof(out), NULL), 1);
	cr_expect(strstr(out, "l2-conflict.yaml:4:34: error:"), "%s", out);
	assert_gone(l);
}

/* Root mode shares /run/netns with everyone: a name taken there (another
 * lab of the same name under another state directory, `ip netns add`)
 * must fail the build and must survive its rollback (found by the soak
 * run: the journal removed the other lab's link). */
Test(labs, someone_elses_netns_name_is_left_alone)
{
	need_labs();
	if (strcmp(lab_mode(), "root") != 0)
		cr_skip_test("SKIP: only root mode makes /run/netns links");
	char path[256], out[8192], l[64], taken[128];
	topo("demo", path, sizeof(path));
	snprintf(l, sizeof(l), "%s", lab("taken"));
	snprintf(taken, sizeof(taken), "%s.n2", l);
	const char *add[] = {"/usr/bin/ip", "netns", "add", taken, NULL};
	cr_assert_eq(run(add, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *up[] = {bin(), "up", path, "--name", l, NULL};
	cr_expect_eq(run(up, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "is someone else's"), "%s", out);
	char p[160];
	snprintf(p, sizeof(p), "/run/netns/%s", taken);
	cr_expect_eq(access(p, F_OK), 0, "the rollback removed %s, which was not ours", p);
	snprintf(p, sizeof(p), "/run/netns/%s.n1", l);
	cr_expect_neq(access(p, F_OK), 0, "%s left behind", p);
	const char *del[] = {"/usr/bin/ip", "netns", "del", taken, NULL};
	cr_expect_eq(run(del, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
}

/* How many steps a fault walk takes: plan steps, or (nlfail) the netlink
 * requests a clean `up -v` reports. */
static int walk_length(const char *path, const char *mode)
{
	char out[16384];
	if (strcmp(mode, "nlfail") != 0) {
		const char *plan[] = {bin(), "plan", path, NULL};
		cr_assert_eq(run(plan, NULL, out, sizeof(out), NULL), 0);
		int steps = 0;
		sscanf(strstr(out, ": ") + 2, "%d", &steps);
		return steps;
	}
	char l[64];
	snprintf(l, sizeof(l), "%s", lab("count"));
	const char *up[] = {bin(), "up", path, "--name", l, "-v", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *down[] = {bin(), "down", l, NULL};
	char ignored[4096];
	run(down, NULL, ignored, sizeof(ignored), NULL);
	char *n = strstr(out, " netlink requests");
	cr_assert_not_null(n, "%s", out);
	while (n > out && n[-1] >= '0' && n[-1] <= '9')
		n--;
	return atoi(n);
}

/* After an injected failure that up survived: does `check` pass? */
static int lab_is_healthy(const char *l, int k)
{
	char out[8192];
	const char *check[] = {bin(), "check", l, "--json", NULL};
	int rc = run(check, NULL, out, sizeof(out), NULL);
	cr_expect_eq(rc, 0, "nlfail:%d: up succeeded, but check fails:\n%s", k, out);
	return rc == 0;
}

/* Walk an injected fault (fault.h) over every step of a topology's `up`.
 * After each, what the system holds must be what it held before: no
 * namespace, link, mount, process, socket or state file of the lab —
 * after `vnetlab down` and `cleanup` where a process was killed, as a
 * user would recover. */
static void fault_walk(const char *name, const char *mode)
{
	need_labs();
	char path[256], out[16384];
	topo(name, path, sizeof(path));
	int steps = walk_length(path, mode);
	cr_assert_gt(steps, 5);
	struct sysview before;
	sysview_take(&before);
	bool killed = strncmp(mode, "kill", 4) == 0;
	int failed = 0, healthy = 0;
	for (int k = 1; k <= steps; k++) {
		char env[64], l[64], ctx[128];
		snprintf(env, sizeof(env), "VNETLAB_FAULT=%s:%d", mode, k);
		snprintf(l, sizeof(l), "%s", lab(name));
		const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
		int rc = run(up, NULL, out, sizeof(out), env);
		if (strcmp(mode, "killup") == 0)
			cr_expect_eq(rc, 128 + SIGKILL, "killup:%d: up should die:\n%s", k, out);
		else if (strcmp(mode, "nlfail") == 0 && rc == 0)
			/* A request up may lose harmlessly (a probe): then the
			 * lab it built must work, every pair. */
			healthy += lab_is_healthy(l, k);
		else
			cr_expect_eq(rc, 1, "%s at step %d: up should fail:\n%s", mode, k, out);
		if (strcmp(mode, "kill") != 0 && strcmp(mode, "killup") != 0 && rc == 1)
			cr_expect(strstr(out, "injected fault"), "%s:%d: %s", mode, k, out);
		failed += rc != 0;
		char ignored[4096];
		if (rc == 0 || strcmp(mode, "killup") == 0) {
			/* The keeper may have finished before it saw up die:
			 * then the lab runs, listed, and down removes it. */
			const char *down[] = {bin(), "down", l, NULL};
			run(down, NULL, ignored, sizeof(ignored), NULL);
		}
		if (killed) {
			const char *clean[] = {bin(), "cleanup", NULL};
			cr_expect_eq(run(clean, NULL, ignored, sizeof(ignored), NULL), 0,
				     "%s", ignored);
		}
		snprintf(ctx, sizeof(ctx), "%s %s:%d", name, mode, k);
		assert_no_residue(&before, ctx);
		assert_gone(l);
	}
	sysview_free(&before);
	cr_log_info("%s %s: %d steps walked, %d made up fail, %d left a working lab", name,
		    mode, steps, failed, healthy);
	/* docs/reliability.md: every step fails `up`, or (a harmless
	 * request) leaves a lab that passes `check`. */
	cr_expect_eq(failed + healthy, steps, "%s %s: %d of %d steps neither failed nor "
		     "left a working lab", name, mode, steps - failed - healthy, steps);
}

Test(rollback, every_step_of_demo_fails_cleanly) { fault_walk("demo", "fail"); }
Test(rollback, every_step_of_dualstack_fails_cleanly, .timeout = 240)
{
	fault_walk("dualstack", "fail");
}
Test(rollback, every_netlink_request_of_demo_fails_cleanly) { fault_walk("demo", "nlfail"); }
Test(rollback, every_netlink_request_of_dualstack_fails_cleanly, .timeout = 240)
{
	fault_walk("dualstack", "nlfail");
}
Test(rollback, keeper_killed_at_every_step_of_demo) { fault_walk("demo", "kill"); }
Test(rollback, keeper_killed_at_every_step_of_dualstack, .timeout = 240)
{
	fault_walk("dualstack", "kill");
}
Test(rollback, up_killed_at_every_step_of_demo) { fault_walk("demo", "killup"); }
Test(rollback, up_killed_at_every_step_of_dualstack, .timeout = 240)
{
	fault_walk("dualstack", "killup");
}

Test(rollback, keeper_killed_then_cleanup)
{
	need_labs();
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

/* Who a command runs as, and that it keeps the caller's files and
 * terminal: root of the node by default, the caller with --user (rootless:
 * your own uid; root mode: $SUDO_UID, or any user with -U). */
Test(exec, identity_files_and_terminal)
{
	need_labs();
	char path[256], out[8192], l[64];
	topo("demo", path, sizeof(path));
	snprintf(l, sizeof(l), "%s", lab("who"));
	const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	bool root = strcmp(lab_mode(), "root") == 0;

	const char *id[] = {bin(), "exec", l, "n1", "--", "id", "-u", NULL};
	cr_expect_eq(run(id, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_str_eq(out, "0\n", "root of the node by default");

	char want[32];
	if (root) {
		const char *as[] = {bin(), "exec", "-U", "65534", l, "n1", "--", "id", "-u", NULL};
		cr_expect_eq(run(as, NULL, out, sizeof(out), NULL), 0, "%s", out);
		cr_expect_str_eq(out, "65534\n");
		const char *me[] = {bin(), "exec", "--user", l, "n1", "--", "id", "-u", NULL};
		struct runopt o = {.env = {"SUDO_UID=4242", "SUDO_GID=4243", NULL}};
		cr_expect_eq(runx(me, &o, out, sizeof(out)), 0, "%s", out);
		cr_expect_str_eq(out, "4242\n", "--user under sudo is the sudo caller");
	} else {
		const char *me[] = {bin(), "exec", "--user", l, "n1", "--", "id", "-u", NULL};
		cr_expect_eq(run(me, NULL, out, sizeof(out), NULL), 0, "%s", out);
		snprintf(want, sizeof(want), "%u\n", (unsigned)getuid());
		cr_expect_str_eq(out, want, "--user is the caller's own uid");
		const char *other[] = {bin(), "exec", "-U", "0", l, "n1", "--", "true", NULL};
		cr_expect_eq(run(other, NULL, out, sizeof(out), NULL), 1, "%s", out);
		cr_expect(strstr(out, "maps only your own uid"), "%s", out);
	}

	/* A private file of the caller's is readable both ways, and an
	 * unprivileged command can still ping (ping_group_range).  Not in
	 * /tmp: a node has its own (view.h); the working directory is the
	 * host's in the node too. */
	char file[PATH_MAX];
	cr_assert(getcwd(file, sizeof(file) - 32));
	if (!strncmp(file, "/tmp", 4) || !strncmp(file, "/var/tmp", 8))
		snprintf(file, sizeof(file) - 32, "%s", getenv("HOME") ? getenv("HOME") : "/");
	strcat(file, "/vnetlab-itest-file-XXXXXX");
	int fd = mkstemp(file);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "mine\n", 5), 5);
	close(fd);
	chmod(file, 0600);
	const char *cat[] = {bin(), "exec", l, "n1", "--", "cat", file, NULL};
	cr_expect_eq(run(cat, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_str_eq(out, "mine\n");
	const char *ucat[] = {bin(), "exec", "--user", l, "n1", "--", "cat", file, NULL};
	cr_expect_eq(run(ucat, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_str_eq(out, "mine\n");
	unlink(file);
	const char *ping_root[] = {bin(), "exec", "-U", "65534", l, "n1", "--", "ping",
				   "-c1", "-W2", "192.168.0.124", NULL};
	const char *ping_user[] = {bin(), "exec", "--user", l, "n1", "--", "ping",
				   "-c1", "-W2", "192.168.0.124", NULL};
	cr_expect_eq(run(root ? ping_root : ping_user, NULL, out, sizeof(out), NULL), 0,
		     "ping as an unprivileged user in the node:\n%s", out);

	/* The caller's terminal is the command's terminal. */
	const char *tty[] = {bin(), "exec", l, "n1", "--", "sh", "-c",
			     "test -t 0 && test -t 1 && tty", NULL};
	struct runopt t = {.pty = true};
	cr_expect_eq(runx(tty, &t, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "/dev/pts/"), "%s", out);

	const char *down[] = {bin(), "down", l, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
}

/* A container's seccomp profile (Docker's default denies CLONE_NEWUSER)
 * must produce an error that names the cause and points to doctor, and
 * doctor must give the fix.  As root, the test first drops to a uid of no
 * one, so the lab would be rootless. */
Test(rootless, seccomp_denial_is_explained)
{
	need_labs();
	char path[256], out[8192], dir[] = "/tmp/vnetlab-itest-sc-XXXXXX";
	topo("demo", path, sizeof(path));
	bool root = strcmp(lab_mode(), "root") == 0;
	cr_assert_not_null(mkdtemp(dir));
	struct runopt o = {.deny_userns = true};
	if (root) {
		o.as_uid = true;
		o.uid = o.gid = 61999;
		cr_assert_eq(chown(dir, 61999, 61999), 0);
	}
	char env[128];
	snprintf(env, sizeof(env), "VNETLAB_STATE_DIR=%s", dir);
	o.env[0] = env;
	const char *up[] = {bin(), "up", path, "--name", lab("seccomp"), NULL};
	cr_expect_eq(runx(up, &o, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "seccomp filter denies CLONE_NEWUSER"), "%s", out);
	cr_expect(strstr(out, "vnetlab doctor"), "%s", out);
	const char *doc[] = {bin(), "doctor", NULL};
	cr_expect_eq(runx(doc, &o, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "rootless mode: NOT available"), "%s", out);
	cr_expect(strstr(out, "seccomp=unconfined"), "%s", out);
	cr_expect_eq(rmdir(dir), 0, "the failed up left files in %s", dir);
}
