/* SPDX-License-Identifier: BSD-2-Clause */
/* The graph of a running lab changes in place (issue 14 item 3): nodes
 * and links added and removed by `vnetlab node|link add|rm` and by the
 * FreeBSD verbs leave everything else — its processes and sessions
 * included — as it was, and state.json, inspect, check and capture see
 * the lab as it now is. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char out[1 << 16];

static int vn(const char *const argv[])
{
	return run(argv, NULL, out, sizeof(out), NULL);
}

/* A process left running in a node; its pid as the lab sees it. */
static long start_sleeper(const char *l, const char *node)
{
	const char *argv[] = {bin(), "exec", l, node, "--", "sh", "-c",
			      "sleep 1000 >/dev/null 2>&1 & echo $!", NULL};
	cr_assert_eq(vn(argv), 0, "%s", out);
	return strtol(out, NULL, 10);
}

static bool alive(const char *l, const char *node, long pid)
{
	char p[32];
	snprintf(p, sizeof(p), "%ld", pid);
	const char *argv[] = {bin(), "exec", l, node, "--", "kill", "-0", p, NULL};
	return vn(argv) == 0;
}

static struct json_object *inspect(const char *l)
{
	const char *argv[] = {bin(), "inspect", l, "--json", NULL};
	cr_assert_eq(vn(argv), 0, "%s", out);
	struct json_object *o = json_tokener_parse(out);
	cr_assert_not_null(o, "%s", out);
	return o;
}

static struct json_object *find_named(struct json_object *arr, const char *key,
				      const char *name)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *x = json_object_array_get_idx(arr, i);
		if (!strcmp(json_object_get_string(json_object_object_get(x, key)), name))
			return x;
	}
	return NULL;
}

Test(graph, node_and_link_add_rm_leave_the_rest_alone, .timeout = 90)
{
	need_labs();
	char file[64], l[64];
	up_text("graph",
		"nodes:\n"
		"  n1: { ifaces: { eth0: { addrs: [192.168.0.1/24] } } }\n"
		"  n2: { ifaces: { eth0: { addrs: [192.168.0.2/24] } } }\n"
		"  br: { kind: bridge }\n"
		"links:\n  - [n1:eth0, br:p1]\n  - [n2:eth0, br:p2]\n",
		file, l);
	long s1 = start_sleeper(l, "n1"), s2 = start_sleeper(l, "n2");
	cr_assert(alive(l, "n1", s1) && alive(l, "n2", s2));

	/* A node and a link to it, with an address and a delay. */
	const char *nadd[] = {bin(), "node", "add", l, "n3", "--hostname", "third", NULL};
	cr_assert_eq(vn(nadd), 0, "%s", out);
	const char *ladd[] = {bin(), "link", "add", l, "n3:eth0=192.168.0.3/24", "br:p3",
			      "delay", "5ms", NULL};
	cr_assert_eq(vn(ladd), 0, "%s", out);
	cr_expect(alive(l, "n1", s1) && alive(l, "n2", s2), "a node added killed others'"
		  " processes");
	const char *check[] = {bin(), "check", l, NULL};
	cr_expect_eq(vn(check), 0, "%s", out);
	cr_expect(strstr(out, "6/6 node pairs reachable"), "%s", out);
	struct json_object *st = inspect(l);
	struct json_object *n3 = find_named(json_object_object_get(st, "nodes"), "name", "n3");
	cr_assert_not_null(n3, "inspect does not show n3");
	cr_expect_str_eq(json_object_get_string(json_object_object_get(n3, "hostname")), "third");
	cr_expect_eq(json_object_array_length(json_object_object_get(st, "links")), 3);
	json_object_put(st);
	const char *show[] = {bin(), "link", l, "n3:eth0", "br:p3", "--json", NULL};
	cr_expect_eq(vn(show), 0, "%s", out);
	cr_expect(strstr(out, "\"delay\""), "the new link's delay is not shown:\n%s", out);
	/* capture sees the new hook. */
	const char *ping[] = {bin(), "exec", l, "n1", "--", "ping", "-c", "3", "-i", "0.2",
			      "-q", "192.168.0.3", NULL};
	cr_expect_eq(vn(ping), 0, "%s", out);
	const char *host[] = {bin(), "exec", l, "n3", "--", "hostname", NULL};
	cr_expect_eq(vn(host), 0, "%s", out);
	cr_expect(!strncmp(out, "third", 5), "%s", out);

	/* Out again, in the other order; what is left still works. */
	const char *lrm[] = {bin(), "link", "rm", l, "br:p3", "n3:eth0", NULL};
	cr_expect_eq(vn(lrm), 0, "%s", out);
	const char *nrm3[] = {bin(), "node", "rm", l, "n3", NULL};
	cr_expect_eq(vn(nrm3), 0, "%s", out);
	cr_expect_eq(vn(check), 0, "%s", out);
	cr_expect(strstr(out, "2/2 node pairs reachable"), "%s", out);
	/* Removing a node ends its processes (as jail -r does), not others'. */
	const char *nrm1[] = {bin(), "node", "rm", l, "n1", NULL};
	cr_expect_eq(vn(nrm1), 0, "%s", out);
	cr_expect(!alive(l, "n2", s1), "n1's process outlived n1");
	cr_expect(alive(l, "n2", s2), "n2's process died with n1");
	st = inspect(l);
	cr_expect_null(find_named(json_object_object_get(st, "nodes"), "name", "n1"));
	json_object_put(st);
	char ns[128];
	snprintf(ns, sizeof(ns), "/run/netns/%s.n1", l);
	cr_expect_neq(access(ns, F_OK), 0, "%s outlived its node", ns);
	down_text(file, l);
}

Test(graph, a_refused_edit_changes_nothing, .timeout = 60)
{
	need_labs();
	char file[64], l[64];
	up_text("graphbad",
		"nodes:\n"
		"  a: { ifaces: { e0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { e0: { addrs: [10.9.0.2/24] } } }\n"
		"links:\n  - [a:e0, b:e0]\n",
		file, l);
	long s = start_sleeper(l, "a");
	struct {
		const char *argv[10];
		const char *says;
	} bad[] = {
		{{"node", "add", l, "a", NULL}, "already has a node 'a'"},
		{{"node", "add", l, "p", "--kind", "pipe", NULL}, "a pipe is a link's parameters"},
		{{"node", "rm", l, "zz", NULL}, "has no node 'zz'"},
		{{"link", "add", l, "a:e1", "zz:e0", NULL}, "no node 'zz'"},
		{{"link", "add", l, "a:e1", "b:e1", "delay", "fast", NULL}, "delay"},
		{{"link", "add", l, "a:e1", "b:e1", "colour", "red", NULL}, "not a link parameter"},
		{{"link", "add", l, "a:e0", "b:e1", NULL}, "e0"},
		{{"link", "add", l, "a:e1=10.9.0.1/24", "b:e1", NULL}, "10.9.0.1"},
		{{"link", "rm", l, "a:e0", "b:e9", NULL}, "has no link"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[12] = {bin()};
		for (size_t k = 0; bad[i].argv[k]; k++)
			argv[k + 1] = bad[i].argv[k];
		cr_expect_eq(vn(argv), 1, "%s %s: %s", bad[i].argv[0], bad[i].argv[1], out);
		cr_expect(strstr(out, bad[i].says), "wanted '%s':\n%s", bad[i].says, out);
	}
	cr_expect(alive(l, "a", s), "a refused edit killed a process");
	const char *check[] = {bin(), "check", l, NULL};
	cr_expect_eq(vn(check), 0, "%s", out);
	struct json_object *st = inspect(l);
	cr_expect_eq(json_object_array_length(json_object_object_get(st, "nodes")), 2);
	cr_expect_eq(json_object_array_length(json_object_object_get(st, "links")), 1);
	json_object_put(st);
	down_text(file, l);
}

/* The FreeBSD verbs: a jail made or removed beside a running session
 * leaves that session running (it used to take the whole lab down and
 * up, killing every process in every jail). */
Test(graph, a_jail_made_or_removed_touches_no_other, .timeout = 90)
{
	need_labs();
	char env[96];
	snprintf(env, sizeof(env), "VNETLAB_VIMAGE_LAB=%s", lab("vjail"));
	const char *l = lab("vjail");
	struct runopt o = {.env = {env, NULL}};
	const char *steps[][8] = {
		{"jail", "-c", "name=j1", "vnet", "persist", NULL},
		{"ngctl", "mkpeer", "eiface", "ether", "ether", NULL},
		{"ifconfig", "ngeth0", "vnet", "j1", NULL},
		{"jexec", "j1", "ifconfig", "ngeth0", "10.7.0.1/24", "up", NULL},
	};
	for (size_t i = 0; i < 4; i++) {
		const char *argv[10] = {bin()};
		for (size_t k = 0; steps[i][k]; k++)
			argv[k + 1] = steps[i][k];
		cr_assert_eq(runx(argv, &o, out, sizeof(out)), 0, "%s: %s", steps[i][0], out);
	}
	const char *bg[] = {bin(), "jexec", "j1", "sh", "-c",
			    "sleep 1000 >/dev/null 2>&1 & echo $!", NULL};
	cr_assert_eq(runx(bg, &o, out, sizeof(out)), 0, "%s", out);
	char pid[32];
	snprintf(pid, sizeof(pid), "%ld", strtol(out, NULL, 10));
	const char *still[] = {bin(), "jexec", "j1", "kill", "-0", pid, NULL};
	const char *more[][8] = {
		{"jail", "-c", "name=j2", "vnet", "persist", NULL},
		{"ngctl", "mkpeer", "eiface", "ether", "ether", NULL},
		{"ifconfig", "ngeth1", "vnet", "j2", NULL},
		{"jail", "-r", "j2", NULL},
	};
	for (size_t i = 0; i < 4; i++) {
		const char *argv[10] = {bin()};
		for (size_t k = 0; more[i][k]; k++)
			argv[k + 1] = more[i][k];
		cr_expect_eq(runx(argv, &o, out, sizeof(out)), 0, "%s %s: %s", more[i][0],
			     more[i][1], out);
		cr_expect_eq(runx(still, &o, out, sizeof(out)), 0,
			     "after %s %s %s, j1's process is gone", more[i][0], more[i][1],
			     more[i][2]);
	}
	char down[64];
	snprintf(down, sizeof(down), "%s", l);
	const char *dn[] = {bin(), "down", down, NULL};
	cr_expect_eq(runx(dn, &o, out, sizeof(out)), 0, "%s", out);
	assert_gone(l);
}
