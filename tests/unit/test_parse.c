/* SPDX-License-Identifier: BSD-2-Clause */
/* Parser and validator: shipped topologies load; every file of the broken
 * corpus fails with the message and position its first line names. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/topo.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static struct vl_topo *load_ok(const char *path)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	int rc = vl_topo_load_file(path, &t, &err);
	cr_assert_eq(rc, 0, "%s should load: %s", path, err.msg);
	return t;
}

Test(parse, shipped_topologies_load)
{
	const char *files[] = {"demo", "chain14", "hub-lan", "dualstack", "wan", "tap"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), SRCDIR "/topologies/%s.yaml", files[i]);
		vl_topo_free(load_ok(path));
	}
}

Test(parse, demo_model)
{
	struct vl_topo *t = load_ok(SRCDIR "/topologies/demo.yaml");
	cr_assert_str_eq(t->name, "demo");
	cr_assert_eq(t->n_nodes, 3);
	cr_assert_eq(t->n_links, 2);
	long n1 = vl_topo_find_node(t, "n1");
	cr_assert_geq(n1, 0);
	const struct vl_iface *f = &t->nodes[n1].ifaces[0];
	cr_assert_str_eq(f->name, "eth0");
	cr_assert(f->has_mac);
	cr_assert_eq(f->mac[0], 0x02);
	cr_assert_eq(f->mac[5], 0x0e);
	cr_assert_eq(f->n_addrs, 1);
	cr_assert_eq(f->addrs[0].ip.plen, 24);
	long br = vl_topo_find_node(t, "bridge");
	cr_assert_eq(t->nodes[br].kind, VL_KIND_BRIDGE);
	cr_assert_eq(t->nodes[br].n_ifaces, 2, "hooks come into being from links");
	vl_topo_free(t);
}

Test(parse, routes_and_exec)
{
	const char *y = "name: r\nnodes:\n"
			"  r1:\n    forwarding: yes\n    hostname: router-one\n"
			"    ifaces: { e0: { addrs: [192.0.2.1/24, \"2001:db8::1/64\"] } }\n"
			"    routes:\n"
			"      - { to: default, via: 192.0.2.2 }\n"
			"      - { to: \"2001:db8:1::/48\", via: \"2001:db8::2\", metric: 5 }\n"
			"    exec: [ [echo, hi], [true] ]\n"
			"  h: {}\nlinks: [ [r1:e0, h:eth0] ]\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("mem.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	const struct vl_node *r = &t->nodes[0];
	cr_assert(r->forwarding);
	cr_assert_str_eq(r->hostname, "router-one");
	cr_assert_eq(r->n_routes, 2);
	cr_assert(r->routes[0].is_default);
	cr_assert_eq(r->routes[0].to.family, AF_INET);
	cr_assert_eq(r->routes[1].to.plen, 48);
	cr_assert_eq(r->routes[1].metric, 5);
	cr_assert_eq(r->n_cmds, 2);
	cr_assert_str_eq(r->cmds[0].argv[1], "hi");
	cr_assert_null(r->cmds[0].argv[2]);
	vl_topo_free(t);
}

/* Each bad file's first line: "# expect: LINE:COL: message substring". */
static void check_bad(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	char first[512];
	cr_assert_not_null(fgets(first, sizeof(first), f));
	fclose(f);
	first[strcspn(first, "\n")] = '\0';
	int line, col, off = 0;
	cr_assert_eq(sscanf(first, "# expect: %d:%d: %n", &line, &col, &off), 2,
		     "%s: malformed expect line", path);
	const char *want = first + off;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	int rc = vl_topo_load_file(path, &t, &err);
	cr_expect_neq(rc, 0, "%s must be rejected", path);
	cr_expect_null(t);
	char pos[600];
	snprintf(pos, sizeof(pos), "%s:%d:%d: error: ", path, line, col);
	cr_expect(strstr(err.msg, pos) != NULL, "%s: want position %d:%d, got: %s",
		  path, line, col, err.msg);
	cr_expect(strstr(err.msg, want) != NULL, "%s: want '%s', got: %s", path,
		  want, err.msg);
}

Test(parse, broken_corpus)
{
	DIR *d = opendir(SRCDIR "/tests/data/bad");
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".yaml"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), SRCDIR "/tests/data/bad/%s", e->d_name);
		check_bad(path);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 20, "corpus went missing: %d files", n);
}

Test(parse, reports_several_errors_at_once)
{
	const char *y = "nodes:\n  a: { kindd: vnet }\n  b: { forwarding: 3 }\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_neq(vl_topo_load_buffer("m.yaml", y, strlen(y), &t, &err), 0);
	cr_assert_eq(err.count, 2, "%s", err.msg);
	cr_assert(strstr(err.msg, "m.yaml:2:8:"), "%s", err.msg);
	cr_assert(strstr(err.msg, "m.yaml:3:20:"), "%s", err.msg);
}

Test(parse, lab_name_defaults_to_file_name)
{
	const char *y = "nodes: { a: {} }\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("dir/my-lab.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	cr_assert_str_eq(t->name, "my-lab");
	vl_topo_free(t);
}
