/* SPDX-License-Identifier: BSD-2-Clause */
/* A node's filesystem view and its services (issue 16): private /tmp,
 * /run and /var/log per node; binds and inline files that never touch
 * the host's files; services started in the view, watched, restarted,
 * stopped before the network goes; FRR with each node's own /etc/frr. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "residue.h"

static int exec_in(const char *l, const char *node, const char *sh, char *out, size_t len)
{
	const char *cmd[] = {"sh", "-c", sh, NULL};
	return run_in(l, node, cmd, out, len);
}

/* A file of the host's, with content. */
static void host_file(char *path, size_t len, const char *content)
{
	snprintf(path, len, "/tmp/vnetlab-itest-host-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	chmod(path, 0644);
}

Test(view, each_node_has_its_own_tmp_run_and_logs, .timeout = 60)
{
	need_labs();
	char host[64], file[64], name[64], out[8192], sh[256];
	host_file(host, sizeof(host), "the host's\n");
	up_text("view", "nodes:\n  a:\n  b:\n", file, name);
	snprintf(sh, sizeof(sh), "cat %s; echo a > /tmp/mine; ls /run /var/log; "
		 "grep ' /tmp ' /proc/self/mounts", host);
	cr_expect_eq(exec_in(name, "a", sh, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "No such file"), "the host's /tmp is not the node's: %s", out);
	cr_expect(strstr(out, "tmpfs /tmp tmpfs") && strstr(out, "size=65536k"),
		  "a private 64 MiB tmpfs: %s", out);
	cr_expect_eq(exec_in(name, "a", "cat /tmp/mine", out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "a\n", "a node's /tmp lives as long as the node");
	cr_expect_neq(exec_in(name, "b", "cat /tmp/mine", out, sizeof(out)), 0,
		      "b sees a's /tmp: %s", out);
	cr_expect_neq(access("/tmp/mine", F_OK), 0, "the node wrote the host's /tmp");
	/* What is not private is the host's, as before: /etc, /usr. */
	cr_expect_eq(exec_in(name, "a", "test -s /etc/passwd && test -x /bin/sh", out,
			     sizeof(out)), 0, "%s", out);
	down_text(file, name);
	unlink(host);
}

Test(view, binds_and_files_never_write_the_host, .timeout = 60)
{
	need_labs();
	char src[] = "/tmp/vnetlab-itest-src-XXXXXX", yaml[2048], file[64], name[64];
	char out[8192], path[PATH_MAX + 16];
	cr_assert(mkdtemp(src));
	chmod(src, 0755);
	snprintf(path, sizeof(path), "%s/conf", src);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("from the host\n", f);
	fclose(f);
	/* A read-only directory, a read-write file, an inline file where
	 * the host has nothing (no /etc/vnetlab-itest), one in /run. */
	snprintf(yaml, sizeof(yaml),
		 "nodes:\n"
		 "  a:\n"
		 "    binds: [\"%s:/srv/ro:ro\", \"%s/conf:/etc/vnetlab-itest-rw\"]\n"
		 "    files: {\"/etc/vnetlab-itest/x.conf\": \"inline\\n\", \"/run/y/z\": \"z\\n\"}\n",
		 src, src);
	up_text("binds", yaml, file, name);
	cr_expect_eq(exec_in(name, "a", "cat /srv/ro/conf /etc/vnetlab-itest/x.conf /run/y/z",
			     out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "from the host\ninline\nz\n");
	cr_expect_neq(exec_in(name, "a", "touch /srv/ro/new", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "Read-only"), "%s", out);
	cr_expect_eq(exec_in(name, "a", "echo changed > /etc/vnetlab-itest-rw", out, sizeof(out)),
		     0, "%s", out);
	f = fopen(path, "r");
	cr_assert(f);
	char got[64] = "";
	cr_expect(fgets(got, sizeof(got), f));
	fclose(f);
	cr_expect_str_eq(got, "changed\n", "a read-write bind is the host's file");
	cr_expect_neq(access("/etc/vnetlab-itest", F_OK), 0, "the view wrote the host's /etc");
	cr_expect_neq(access("/etc/vnetlab-itest-rw", F_OK), 0);
	/* inspect names every mount of the view. */
	const char *insp[] = {bin(), "inspect", name, NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0, "%s", out);
	char want[PATH_MAX + 64];
	snprintf(want, sizeof(want), "bind /srv/ro <- %s (ro)", src);
	cr_expect(strstr(out, want), "%s", out);
	cr_expect(strstr(out, "tmpfs /tmp") && strstr(out, "file /etc/vnetlab-itest/x.conf"),
		  "%s", out);
	down_text(file, name);
	cr_expect_neq(access("/etc/vnetlab-itest", F_OK), 0);
	unlink(path);
	rmdir(src);
}

Test(view, private_replaces_the_default_and_startup_commands_see_the_view, .timeout = 60)
{
	need_labs();
	char host[64], yaml[1024], file[64], name[64], out[8192], sh[256];
	host_file(host, sizeof(host), "shared\n");
	snprintf(yaml, sizeof(yaml),
		 "nodes:\n"
		 "  a:\n"
		 "    private: [/var/tmp]\n"
		 "    exec: [[sh, -c, 'echo started > /var/tmp/flag']]\n");
	up_text("private", yaml, file, name);
	snprintf(sh, sizeof(sh), "cat %s /var/tmp/flag", host);
	cr_expect_eq(exec_in(name, "a", sh, out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "shared\nstarted\n",
			 "/tmp is the host's again; the startup command wrote the view");
	cr_expect_neq(access("/var/tmp/flag", F_OK), 0);
	down_text(file, name);
	unlink(host);
}

Test(view, bad_software_is_a_file_error, .timeout = 60)
{
	char path[64], out[4096];
	static const struct {
		const char *yaml, *want;
	} bad[] = {
		{"nodes:\n  a: {binds: [\"/nonexistent-vnetlab-src:/x\"]}\n",
		 ":2:15: error: bind source '/nonexistent-vnetlab-src'"},
		{"nodes:\n  a: {binds: [\"/tmp:/proc/x\"]}\n", ":2:15: error: bind target '/proc/x'"},
		{"nodes:\n  a: {private: [/]}\n", ":2:17: error: private directory '/'"},
		{"nodes:\n  a: {services: [sshd]}\n", ":2:18: error: unknown service 'sshd'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/vnetlab-itest-XXXXXX");
		int fd = mkstemp(path);
		cr_assert(fd >= 0);
		dprintf(fd, "%s", bad[i].yaml);
		close(fd);
		const char *v[] = {bin(), "validate", path, NULL};
		cr_expect_eq(run(v, NULL, out, sizeof(out), NULL), 1, "%s", out);
		cr_expect(strstr(out, bad[i].want), "wanted '%s': %s", bad[i].want, out);
		unlink(path);
	}
}

/* ---- services ------------------------------------------------------------- */

/* What inspect --json says of service svc of node n ("state", "code"). */
static void service_field(const char *l, const char *n, const char *svc, const char *key,
			  char *buf, size_t len)
{
	char out[65536];
	const char *insp[] = {bin(), "inspect", l, "--json", NULL};
	buf[0] = '\0';
	cr_assert_eq(run(insp, NULL, out, sizeof(out), NULL), 0, "%s", out);
	struct json_object *st = json_tokener_parse(out);
	struct json_object *nodes = json_object_object_get(st, "nodes");
	for (size_t i = 0; i < json_object_array_length(nodes); i++) {
		struct json_object *node = json_object_array_get_idx(nodes, i);
		if (strcmp(json_object_get_string(json_object_object_get(node, "name")), n))
			continue;
		struct json_object *s = json_object_object_get(node, "services");
		for (size_t j = 0; s && j < json_object_array_length(s); j++) {
			struct json_object *x = json_object_array_get_idx(s, j);
			if (!strcmp(json_object_get_string(json_object_object_get(x, "service")), svc))
				snprintf(buf, len, "%s", json_object_get_string(
								 json_object_object_get(x, key)) ?: "");
		}
	}
	json_object_put(st);
}

/* Wait (at most 10 s) until the service's state is want. */
static bool wait_state(const char *l, const char *n, const char *svc, const char *want)
{
	char got[64];
	for (int i = 0; i < 200; i++) {
		service_field(l, n, svc, "state", got, sizeof(got));
		if (!strcmp(got, want))
			return true;
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
	return false;
}

static const char web_yaml[] =
	"nodes:\n"
	"  a:\n"
	"    services:\n"
	"      - name: web\n"
	"        start: [sh, -c, 'echo serving from $(hostname); exec sleep 1000']\n"
	"        ready: [sh, -c, 'test -d /proc/1']\n";

Test(services, a_service_is_watched_restarted_and_stopped, .timeout = 90)
{
	need_labs();
	char file[64], name[64], out[8192], got[64];
	up_text("svc", web_yaml, file, name);
	service_field(name, "a", "web", "state", got, sizeof(got));
	cr_expect_str_eq(got, "running");
	const char *ls[] = {bin(), "ls", NULL};
	cr_expect_eq(run(ls, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "1/1 up"), "%s", out);
	const char *logs[] = {bin(), "logs", name, "a", "web", NULL};
	cr_expect_eq(run(logs, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "serving from a"), "its output, in its node: %s", out);
	/* It dies: the keeper notices and says how. */
	cr_expect_eq(exec_in(name, "a", "kill -TERM $(pgrep -x sleep)", out, sizeof(out)), 0,
		     "%s", out);
	cr_expect(wait_state(name, "a", "web", "exited"));
	service_field(name, "a", "web", "code", got, sizeof(got));
	cr_expect_str_eq(got, "143", "128 + SIGTERM");
	const char *insp[] = {bin(), "inspect", name, NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "service web: exited (143, web)"), "%s", out);
	const char *restart[] = {bin(), "service", name, "a", "web", "restart", NULL};
	cr_expect_eq(run(restart, NULL, out, sizeof(out), NULL), 0, "%s", out);
	service_field(name, "a", "web", "state", got, sizeof(got));
	cr_expect_str_eq(got, "running");
	const char *stop[] = {bin(), "service", name, "a", "web", "stop", NULL};
	cr_expect_eq(run(stop, NULL, out, sizeof(out), NULL), 0, "%s", out);
	service_field(name, "a", "web", "state", got, sizeof(got));
	cr_expect_str_eq(got, "stopped");
	cr_expect_neq(exec_in(name, "a", "pgrep -x sleep", out, sizeof(out)), 0,
		      "stopped, yet running: %s", out);
	const char *nosuch[] = {bin(), "service", name, "a", "db", "start", NULL};
	cr_expect_eq(run(nosuch, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, "has no service 'db' on node 'a'"), "%s", out);
	down_text(file, name);
}

Test(services, a_service_that_fails_to_start_fails_up, .timeout = 90)
{
	need_labs();
	char path[64], out[16384], name[64];
	snprintf(path, sizeof(path), "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	dprintf(fd, "nodes:\n  a:\n    services:\n      - {name: broken, start: [sh, -c, "
		"'echo bad config line 7; exit 3']}\n");
	close(fd);
	snprintf(name, sizeof(name), "%s", lab("broken"));
	const char *up[] = {bin(), "up", path, "--name", name, NULL};
	cr_expect_eq(run(up, NULL, out, sizeof(out), NULL), 1, "%s", out);
	cr_expect(strstr(out, ":4:9: error: node a: service broken: broken exited (3)"), "%s",
		  out);
	cr_expect(strstr(out, "broken| bad config line 7\n"), "its last lines: %s", out);
	assert_gone(name);
	/* --keep-going: the lab stays, the failure is said and shown. */
	const char *keep[] = {bin(), "up", path, "--name", name, "--keep-going", NULL};
	cr_expect_eq(run(keep, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "warning:") && strstr(out, "exited (3)"), "%s", out);
	char got[64];
	service_field(name, "a", "broken", "state", got, sizeof(got));
	cr_expect_str_eq(got, "failed");
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(name);
	unlink(path);
}

/* ---- FRR ------------------------------------------------------------------ */

static const char frr_yaml[] =
	"nodes:\n"
	"  r1:\n"
	"    forwarding: true\n"
	"    ifaces: {e0: {addrs: [10.7.0.1/24]}}\n"
	"    services: [frr]\n"
	"    files:\n"
	"      /etc/frr/frr.conf: |\n"
	"        router ospf\n"
	"         ospf router-id 10.%d.0.1\n"
	"         network 10.7.0.0/24 area 0\n"
	"  r2:\n"
	"    forwarding: true\n"
	"    ifaces: {e0: {addrs: [10.7.0.2/24]}}\n"
	"    services: [frr]\n"
	"    files:\n"
	"      /etc/frr/frr.conf: |\n"
	"        router ospf\n"
	"         ospf router-id 10.%d.0.2\n"
	"         network 10.7.0.0/24 area 0\n"
	"links:\n  - [r1:e0, r2:e0]\n";

/* Bytes and mtime of every file under the host's /etc/frr, as one string
 * (a root-mode lab must not change it; rootless cannot read it all). */
static void etc_frr(char *buf, size_t len)
{
	buf[0] = '\0';
	DIR *d = opendir("/etc/frr");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char p[PATH_MAX];
		struct stat st;
		snprintf(p, sizeof(p), "/etc/frr/%s", e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s:%lld:%lld ", e->d_name,
				 (long long)st.st_size, (long long)st.st_mtime);
	}
	if (d)
		closedir(d);
}

/* Router ids 10.ID.0.1 and .2: what tells two labs' routers apart. */
static void up_frr(const char *base, int id, char *file, char *name)
{
	char yaml[2048];
	snprintf(yaml, sizeof(yaml), frr_yaml, id, id);
	up_text(base, yaml, file, name);
}

Test(frr, each_router_has_its_own_etc_frr_and_sockets, .timeout = 120)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	char before[4096], after[4096], f1[64], n1[64], f2[64], n2[64], out[16384];
	etc_frr(before, sizeof(before));
	bool host_vty = access("/run/frr/zebra.vty", F_OK) == 0;
	up_frr("frra", 71, f1, n1);
	up_frr("frrb", 72, f2, n2);
	/* Each node's own file, its own daemons: vtysh reaches its node's. */
	const char *rid = "grep router-id /etc/frr/frr.conf; "
			  "vtysh -c 'show ip ospf' | grep -o 'Router ID: [0-9.]*'";
	cr_expect_eq(exec_in(n1, "r1", rid, out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, " ospf router-id 10.71.0.1\nRouter ID: 10.71.0.1\n");
	cr_expect_eq(exec_in(n2, "r1", rid, out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, " ospf router-id 10.72.0.1\nRouter ID: 10.72.0.1\n",
			 "another lab's r1 answers: %s", out);
	cr_expect_eq(exec_in(n1, "r2", "ls /run/frr", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "zebra.vty") && strstr(out, "ospfd.vty"), "%s", out);
	cr_expect_eq(access("/run/frr/zebra.vty", F_OK) == 0, host_vty,
		     "the host's /run/frr got a node's sockets");
	/* The neighbours meet (convergence itself: the ospf topology's test). */
	bool full = false;
	for (int i = 0; i < 120 && !full; i++) {
		exec_in(n1, "r1", "vtysh -c 'show ip ospf neighbor'", out, sizeof(out));
		full = strstr(out, "10.7.0.2") != NULL;
		if (!full)
			nanosleep(&(struct timespec){0, 250 * 1000 * 1000}, NULL);
	}
	cr_expect(full, "r1 never saw r2: %s", out);
	down_text(f1, n1);
	down_text(f2, n2);
	etc_frr(after, sizeof(after));
	cr_expect_str_eq(before, after, "the host's /etc/frr changed");
}

/* Nothing of a routing lab outlives it: its daemons hold the lab's
 * namespaces, which the whole-system snapshot lists, so a daemon left
 * running would show.  After `down`, and after the keeper is killed
 * outright and `cleanup` runs. */
Test(frr, nothing_of_a_routing_lab_outlives_down_or_kill, .timeout = 120)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	struct sysview before;
	sysview_take(&before);
	char f1[64], n1[64], out[8192];
	up_frr("frrgone", 73, f1, n1);
	down_text(f1, n1);
	assert_no_residue(&before, "after down of a lab running FRR");
	char yaml[2048], path[64], l[64];
	snprintf(yaml, sizeof(yaml), frr_yaml, 74, 74);
	snprintf(path, sizeof(path), "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	dprintf(fd, "%s", yaml);
	close(fd);
	snprintf(l, sizeof(l), "%s", lab("frrkill"));
	const char *up[] = {bin(), "up", path, "--name", l, NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	char *k = strstr(out, "keeper pid ");
	cr_assert_not_null(k);
	pid_t keeper = (pid_t)atoi(k + 11);
	cr_assert_eq(kill(keeper, SIGKILL), 0);
	for (int i = 0; i < 300 && kill(keeper, 0) == 0; i++)
		usleep(10000);
	const char *clean[] = {bin(), "cleanup", NULL};
	cr_expect_eq(run(clean, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(l);
	unlink(path);
	assert_no_residue(&before, "after kill -9 of the keeper of a lab running FRR");
	sysview_free(&before);
}

Test(frr, a_host_without_frr_is_told_what_to_install, .timeout = 60)
{
	need_labs();
	char path[64], out[8192];
	snprintf(path, sizeof(path), "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	dprintf(fd, "nodes:\n  r1:\n    services: [frr]\n");
	close(fd);
	const char *up[] = {bin(), "up", path, "--name", lab("nofrr"), NULL};
	struct runopt o = {.env = {"VNETLAB_FRR_DIR=/nonexistent-frr", NULL}};
	cr_expect_eq(runx(up, &o, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, ":3:16: error: node r1: service frr needs FRR "
			      "(/nonexistent-frr/zebra and vtysh), which this host lacks: "
			      "install the Debian package frr"), "%s", out);
	assert_gone(lab("nofrr"));
	unlink(path);
}

/* containerlab's way: the router's /etc/frr is a directory of the host's,
 * bound.  Its frr.conf is the one FRR reads (no default over it), and
 * nothing of vnetlab's lands in it. */
Test(frr, a_bound_etc_frr_is_the_routers_own, .timeout = 90)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	char dir[] = "/tmp/vnetlab-itest-frr-XXXXXX", path[PATH_MAX], yaml[1024];
	char file[64], name[64], out[8192];
	cr_assert(mkdtemp(dir));
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/frr.conf", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("router ospf\n ospf router-id 10.75.0.1\n", f);
	fclose(f);
	chmod(path, 0644);
	snprintf(yaml, sizeof(yaml), "nodes:\n  r1:\n    services: [frr]\n    binds: [\"%s:/etc/frr\"]\n",
		 dir);
	up_text("frrbind", yaml, file, name);
	cr_expect_eq(exec_in(name, "r1", "vtysh -c 'show ip ospf' | grep -o 'Router ID: [0-9.]*'",
			     out, sizeof(out)), 0, "%s", out);
	/* (vtysh also says the directory has no vtysh.conf: it is the user's) */
	cr_expect(strstr(out, "Router ID: 10.75.0.1\n"), "ospfd runs the bound frr.conf: %s", out);
	down_text(file, name);
	snprintf(path, sizeof(path), "%s/vtysh.conf", dir);
	cr_expect_neq(access(path, F_OK), 0, "vnetlab wrote into the bound directory");
	snprintf(path, sizeof(path), "%s/frr.conf", dir);
	unlink(path);
	rmdir(dir);
}

/* ---- the shipped routing topologies ---------------------------------------- */

static void up_shipped(const char *which, char *name)
{
	char path[256], out[8192];
	topo(which, path, sizeof(path));
	snprintf(name, 64, "%s", lab(which));
	const char *up[] = {bin(), "up", path, "--name", name, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *check[] = {bin(), "check", name, "--wait", "60", NULL};
	cr_expect_eq(run(check, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "converged after"), "%s", out);
}

/* The reply's TTL from h1 to addr, polled until it is want (10 s). */
static bool ttl_becomes(const char *l, const char *addr, const char *want)
{
	char out[4096], sh[128];
	snprintf(sh, sizeof(sh), "ping -c1 -W1 %s | grep -o 'ttl=[0-9]*'", addr);
	for (int i = 0; i < 40; i++) {
		if (exec_in(l, "h1", sh, out, sizeof(out)) == 0 && strstr(out, want))
			return true;
		nanosleep(&(struct timespec){0, 250 * 1000 * 1000}, NULL);
	}
	return false;
}

/* topologies/ospf.yaml: h1 (on r1) reaches h2 (on r3) by r2, 3 routers
 * (ttl 61); r1-r2 down, OSPF takes the long way by r6 r5 r4, 5 routers
 * (ttl 59), IPv4 and IPv6; up again, the short way comes back. */
Test(frr, the_ospf_ring_converges_and_reroutes_round_a_cut_link, .timeout = 180)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	char name[64], out[8192];
	up_shipped("ospf", name);
	cr_expect_eq(exec_in(name, "r1", "vtysh -c 'show ip ospf neighbor'", out, sizeof(out)), 0,
		     "%s", out);
	cr_expect(strstr(out, "Full"), "%s", out);
	static const char *const h2[] = {"10.1.2.10", "fd00:1:2::10"};
	for (int f = 0; f < 2; f++)
		cr_expect(ttl_becomes(name, h2[f], "ttl=61"), "short path to %s", h2[f]);
	const char *cut[] = {bin(), "link", name, "r1:eth1", "r2:eth2", "down", NULL};
	cr_expect_eq(run(cut, NULL, out, sizeof(out), NULL), 0, "%s", out);
	for (int f = 0; f < 2; f++)
		cr_expect(ttl_becomes(name, h2[f], "ttl=59"), "no long way round to %s", h2[f]);
	const char *mend[] = {bin(), "link", name, "r1:eth1", "r2:eth2", "up", NULL};
	cr_expect_eq(run(mend, NULL, out, sizeof(out), NULL), 0, "%s", out);
	for (int f = 0; f < 2; f++)
		cr_expect(ttl_becomes(name, h2[f], "ttl=61"), "the short path to %s is back",
			  h2[f]);
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(name);
}

/* topologies/bgp.yaml: three ASes, BIRD in r2, FRR in r1 and r3. */
Test(bird, the_bgp_triangle_of_frr_and_bird_converges, .timeout = 180)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	need_tool("/usr/sbin/bird", "bird2");
	char name[64], out[8192];
	up_shipped("bgp", name);
	cr_expect_eq(exec_in(name, "r2", "birdc show protocols", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "Established"), "%s", out);
	cr_expect_eq(exec_in(name, "r1", "vtysh -c 'show bgp summary'", out, sizeof(out)), 0, "%s",
		     out);
	cr_expect(strstr(out, "65002"), "%s", out);
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(name);
}
