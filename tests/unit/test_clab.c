/* SPDX-License-Identifier: BSD-2-Clause */
/* containerlab topologies (import_clab.c): what maps to what, settings
 * inheritance (defaults < kinds < groups < node), warnings, and bad and
 * hostile inputs refused at the file's own line:col. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clab_input.h"
#include "vnetlab/import.h"
#include "vnetlab/topo.h"

#define DATA SRCDIR "/tests/data/clab"

static struct vl_err warn;

static struct vl_topo *imp(const char *file, const char *yaml, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	vl_err_init(err);
	vl_err_init(&warn);
	vl_import_clab(file, yaml, strlen(yaml), &t, &warn, err);
	return t;
}

static void refused(const char *yaml, const char *want)
{
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/x.clab.yml", yaml, &err);
	cr_assert_null(t, "accepted: %s", yaml);
	cr_assert(strstr(err.msg, want), "wanted '%s' in: %s", want, err.msg);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static const struct vl_node *node(const struct vl_topo *t, const char *name)
{
	long i = vl_topo_find_node(t, name);
	cr_assert_geq(i, 0, "no node %s", name);
	return &t->nodes[i];
}

Test(clab, detected_by_content)
{
	const char *y = "name: x\ntopology:\n  nodes: {a: {kind: linux}}\n";
	cr_assert_eq(vl_format_detect(y, strlen(y)), VL_FMT_CLAB);
	const char *v = "name: x\nnodes: {a: }\n";
	cr_assert_eq(vl_format_detect(v, strlen(v)), VL_FMT_VNETLAB);
}

Test(clab, three_frr_routers_and_two_hosts)
{
	struct vl_topo *t = NULL;
	struct vl_err err;
	vl_err_init(&err);
	vl_err_init(&warn);
	enum vl_format f;
	int rc = vl_topo_load_any(DATA "/frr3.clab.yml", &t, &f, &warn, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_eq(f, VL_FMT_CLAB);
	cr_assert_str_eq(t->name, "clab-frr3");
	cr_assert_eq(t->n_nodes, 5);
	cr_assert_eq(t->n_links, 5);
	const struct vl_node *r1 = node(t, "router1"), *r2 = node(t, "router2");
	cr_assert_eq(r1->n_services, 1);
	cr_assert_eq(r1->services[0].kind, VL_SVC_FRR);
	cr_assert(r1->forwarding);
	cr_assert_eq(r1->n_binds, 2);
	cr_assert_str_eq(r1->binds[0].src, DATA "/router1/daemons");
	cr_assert_str_eq(r1->binds[0].dst, "/etc/frr/daemons");
	cr_assert(!r1->binds[1].ro);
	cr_assert(r2->binds[1].ro, "router2/frr.conf:/etc/frr/frr.conf:ro");
	long e2 = vl_node_find_iface(r1, "eth2");
	cr_assert_geq(e2, 0);
	cr_assert(r1->ifaces[e2].has_mac);
	cr_assert_eq(r1->ifaces[e2].mac[5], 0x01);
	cr_assert_eq(r1->ifaces[e2].mtu, 9000);
	/* host1: addresses and routes from its exec; the rest a command with env. */
	const struct vl_node *h1 = node(t, "host1");
	cr_assert_eq(h1->n_services, 0);
	cr_assert(!h1->forwarding);
	cr_assert_eq(h1->ifaces[0].n_addrs, 1);
	cr_assert_eq(h1->n_routes, 2);
	cr_assert_eq(h1->routes[0].to.plen, 8);
	cr_assert_eq(h1->n_cmds, 1);
	const char *argv[] = {"env", "LAB=frr3", "sh", "-c", "echo host1 up for $LAB > /tmp/ready"};
	cr_assert_eq(h1->cmds[0].argc, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_str_eq(h1->cmds[0].argv[i], argv[i]);
	cr_assert_eq(h1->cmds[0].pos.line, 42);
	const struct vl_node *h2 = node(t, "host2");
	cr_assert(h2->routes[0].is_default);
	cr_assert_eq(h2->routes[0].to.family, AF_INET);
	/* One warning per image, labels once, the management network once. */
	cr_assert_eq(count(warn.msg, "is not pulled"), 5, "%s", warn.msg);
	cr_assert_eq(count(warn.msg, "warning: labels are ignored"), 1, "%s", warn.msg);
	cr_assert_eq(count(warn.msg, "management network"), 1, "%s", warn.msg);
	cr_assert(strstr(warn.msg, "frr3.clab.yml:14:14: warning: image 'quay.io/frrouting/frr:9.1.0'"),
		  "%s", warn.msg);
	cr_assert(strstr(warn.msg, "frr3.clab.yml:26:14: warning: image 'frrouting/frr:v8.4.1'"),
		  "%s", warn.msg);
	vl_topo_free(t);
}

Test(clab, bridges_renames_and_forwarding)
{
	struct vl_topo *t = NULL;
	struct vl_err err;
	vl_err_init(&err);
	vl_err_init(&warn);
	int rc = vl_topo_load_any(DATA "/bridge.clab.yml", &t, NULL, &warn, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_assert_str_eq(t->name, "clab-bridge-lab");
	cr_assert_eq(node(t, "br-lan")->kind, VL_KIND_BRIDGE);
	cr_assert_eq(node(t, "ovs1")->kind, VL_KIND_BRIDGE);
	const struct vl_node *a = node(t, "a-host");
	cr_assert(a->forwarding, "sysctls net.ipv4.ip_forward: 1");
	cr_assert_eq(a->ifaces[vl_node_find_iface(a, "eth1")].n_addrs, 2);
	cr_assert_eq(a->ifaces[vl_node_find_iface(a, "eth2")].mtu, 1400);
	cr_assert_geq(vl_node_find_iface(node(t, "br-lan"), "link1"), 0);
	const struct vl_node *c = node(t, "c");
	cr_assert_eq(c->n_routes, 1);
	cr_assert_eq(c->routes[0].metric, 5);
	cr_assert_str_eq(c->routes[0].dev, "");
	cr_assert(strstr(warn.msg, "node 'a.host' is 'a-host' here"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "br-lan:eth2 is br-lan:link1"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "not Open vSwitch"), "%s", warn.msg);
	vl_topo_free(t);
}

Test(clab, settings_inherit_defaults_kinds_groups_node)
{
	char dir[] = "/tmp/vnetlab-clab-XXXXXX";
	cr_assert(mkdtemp(dir));
	char path[256], yaml[2048];
	const char *files[] = {"d", "k", "g", "n"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		FILE *f = fopen(path, "w");
		cr_assert(f);
		fclose(f);
	}
	snprintf(yaml, sizeof(yaml),
		 "name: inherit\n"
		 "topology:\n"
		 "  defaults:\n"
		 "    kind: linux\n"
		 "    image: alpine\n"
		 "    binds: [d:/x, d:/d]\n"
		 "    env: {A: d, D: d}\n"
		 "    exec: [\"echo defaults\"]\n"
		 "  kinds:\n"
		 "    linux:\n"
		 "      image: frrouting/frr\n"
		 "      binds: [k:/x, k:/k]\n"
		 "      env: {A: k, K: k}\n"
		 "  groups:\n"
		 "    g1:\n"
		 "      binds: [g:/x]\n"
		 "      env: {A: g}\n"
		 "      exec: [\"echo group\"]\n"
		 "  nodes:\n"
		 "    n1: {group: g1, binds: [n:/n], env: {A: n}}\n"
		 "    n2:\n"
		 "    n3: {group: nosuch, image: debian}\n");
	snprintf(path, sizeof(path), "%s/i.clab.yml", dir);
	struct vl_err err;
	struct vl_topo *t = imp(path, yaml, &err);
	cr_assert_not_null(t, "%s", err.msg);
	const struct vl_node *n1 = node(t, "n1"), *n2 = node(t, "n2"), *n3 = node(t, "n3");
	/* image from kinds (over defaults): FRR; n3's own is not. */
	cr_assert_eq(n1->n_services, 1);
	cr_assert_eq(n2->n_services, 1);
	cr_assert_eq(n3->n_services, 0);
	/* binds merge, a destination of a higher level hiding the lower's. */
	cr_assert_eq(n1->n_binds, 4, "%zu", n1->n_binds);
	for (size_t i = 0; i < n1->n_binds; i++)
		if (!strcmp(n1->binds[i].dst, "/x"))
			cr_assert(strstr(n1->binds[i].src, "/g"), "%s", n1->binds[i].src);
	/* exec: the group's replaces the defaults'; env merged, node first. */
	cr_assert_eq(n1->n_cmds, 1);
	char **a = n1->cmds[0].argv;
	cr_assert_str_eq(a[0], "env");
	cr_assert_str_eq(a[1], "A=n");
	cr_assert_str_eq(a[2], "K=k");
	cr_assert_str_eq(a[3], "D=d");
	cr_assert_str_eq(a[4], "echo");
	cr_assert_str_eq(a[5], "group");
	cr_assert_str_eq(n2->cmds[0].argv[5], "defaults");
	vl_topo_free(t);
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

Test(clab, refusals_name_the_file_position)
{
	refused("name: x\ntopology:\n  nodes:\n    s1:\n      kind: ceos\n",
		"/tmp/x.clab.yml:5:13: error: node 's1': kind 'ceos' is refused: vnetlab runs no "
		"VM/NOS images");
	refused("name: x\ntopology:\n  nodes:\n    h: {kind: host}\n", "4:15: error: node 'h': "
		"kind 'host' is refused");
	refused("name: x\ntopology:\n  nodes:\n    v: {kind: vr-sros}\n", "kind 'vr-sros'");
	refused("name: x\ntopology:\n  nodes:\n    a:\n", "4:5: error: node 'a' has no kind");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth1\", \"mgmt-net:a-eth1\"]\n",
		"5:29: error: 'mgmt-net:' endpoints are refused");
	/* as containerlab's own dep_test lab writes them */
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth3\", \"macvtap:enp4s0f0\"]\n",
		"5:29: error: 'macvtap:' endpoints are refused: they are the host's interfaces");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - type: macvtap\n      endpoint: {node: a, interface: e1}\n",
		"5:13: error: link type 'macvtap' is refused: it joins the host's interfaces");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - type: vxlan\n      endpoint: {node: a, interface: e1}\n      remote: 1.2.3.4\n",
		"5:13: error: link type 'vxlan' is refused");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - type: dummy\n      endpoint: {node: a, interface: e1}\n", "'dummy'");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n"
		"    - type: host\n      endpoint: {node: a, interface: e1}\n", "'host'");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, network-mode: host}}\n",
		"3:42: error: network-mode 'host'");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, imag: x}}\n",
		"3:28: error: unknown key 'imag'");
	refused("topology:\n  nodes: {a: {kind: linux}}\n", "needs 'name:'");
	refused("name: x\n", "needs 'topology:'");
	refused("name: x\ntopology: [1]\n", "topology must be a mapping");
	refused("name: x\ntopology:\n  nodes: {}\n", "topology.nodes is empty");
	refused("name: x\ntopology:\n  nodes: {a: {kind: [linux]}}\n", "kind must be a scalar");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, env: [A]}}\n",
		"env must be a mapping");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, env: {\"A=B\": 1}}}\n",
		"env name 'A=B'");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, exec: [\"sh -c 'x\"]}}\n",
		"exec 'sh -c 'x': ");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, exec: [[ls]]}}\n",
		"an exec command must be a scalar");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, binds: [\"/nonexistent-xyz:/a\"]}}\n",
		"bind source '/nonexistent-xyz'");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth1\"]\n", "exactly two endpoints");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth1\", \"zz:eth1\"]\n", "'zz:eth1' names no node");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth1\", \"b\"]\n", "must be NODE:INTERFACE");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - endpoints: [\"a:eth1\", \"b:eth1\"]\n    - endpoints: [\"a:eth1\", \"b:eth2\"]\n",
		"error:");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - type: veth\n      endpoints: [{node: a}, {node: b, interface: e1}]\n",
		"needs node: and interface:");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux}, b: {kind: linux}}\n  links:\n"
		"    - type: veth\n      mtu: 10\n      endpoints: [\"a:e\", \"b:e\"]\n", "mtu");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux, exec: [\"ip addr add 10.0.0.1/24 "
		"dev eth9\"]}}\n", "3:35: error: node 'a' has no interface 'eth9'");
	refused("name: x\ntopology:\n  nodes: {\"-x\": {kind: linux}}\n", "cannot be made a vnetlab name");
	refused("name: \"..\"\ntopology:\n  nodes: {a: {kind: linux}}\n", "1:7: error:");
	refused("name: x\ntopology:\n  nodes:\n    a: {kind: linux}\n    b: &x {kind: linux}\n"
		"    c: *x\n", "aliases");
	refused("", "error:");
	refused("name: x\ntopology:\n  nodes: {a: {kind: linux\n", "error:");
}

Test(clab, ignored_settings_warn_once)
{
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/x.clab.yml",
				"name: x\nprefix: p\ntopology:\n"
				"  nodes:\n"
				"    a: {kind: linux, ports: [\"80:80\"], labels: {x: y}, mgmt-ipv4: 1.2.3.4}\n"
				"    b: {kind: linux, ports: [\"81:81\"], labels: {x: y}, "
				"exec: [\"\"], sysctls: {net.core.x: 1}}\n"
				"  links:\n    - endpoints: [\"a:eth0\", \"b:eth0\"]\n"
				"      labels: {a: b}\n",
				&err);
	cr_assert_not_null(t, "%s", err.msg);
	cr_assert_eq(count(warn.msg, "'ports'"), 1, "%s", warn.msg);
	cr_assert_eq(count(warn.msg, "warning: labels are ignored"), 1, "%s", warn.msg);
	cr_assert_eq(count(warn.msg, "'mgmt-ipv4'"), 1, "%s", warn.msg);
	cr_assert(strstr(warn.msg, "2:9: warning: prefix is ignored"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "eth0 is containerlab's management interface"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "empty exec command"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "sysctl 'net.core.x'"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "vars and labels"), "%s", warn.msg);
	vl_topo_free(t);
}

Test(clab, exec_ip_commands_not_understood_stay_commands)
{
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/x.clab.yml",
				"name: x\ntopology:\n  nodes:\n    a:\n      kind: linux\n      exec:\n"
				"        - ip addr add 10.0.0.1/24 dev eth1 label x\n"
				"        - ip route add 10.9.0.0/16 via 10.0.0.2 proto static\n"
				"        - ip route add 10.9.0.1/16 via 10.0.0.2\n"
				"        - ip -6 route add default via 10.0.0.2\n"
				"        - ip link set eth1 up\n"
				"        - /usr/sbin/ip -6 addr add 2001:db8::1/64 dev eth1\n"
				"        - ip route add 10.8.0.0/16 dev eth1 metric 3\n"
				"    b: {kind: linux}\n"
				"  links: [{endpoints: [\"a:eth1\", \"b:eth1\"]}]\n",
				&err);
	cr_assert_not_null(t, "%s", err.msg);
	const struct vl_node *a = node(t, "a");
	cr_assert_eq(a->n_cmds, 5, "%zu", a->n_cmds);
	cr_assert_eq(a->ifaces[0].n_addrs, 1);
	cr_assert_eq(a->n_routes, 1);
	cr_assert_str_eq(a->routes[0].dev, "eth1");
	cr_assert_eq(a->routes[0].metric, 3);
	vl_topo_free(t);
}

Test(clab, huge_and_deep_inputs_are_bounded)
{
	/* 20000 nodes in a chain: loads, and in reasonable time. */
	size_t n = 20000, cap = n * 120 + 256, len = 0;
	char *buf = malloc(cap);
	cr_assert(buf);
	len += (size_t)snprintf(buf + len, cap - len, "name: big\ntopology:\n  nodes:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "    n%zu: {kind: linux}\n", i);
	len += (size_t)snprintf(buf + len, cap - len, "  links:\n");
	for (size_t i = 0; i + 1 < n; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					"    - endpoints: [\"n%zu:e1\", \"n%zu:e0\"]\n", i, i + 1);
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/big.clab.yml", buf, &err);
	cr_assert_not_null(t, "%s", err.msg);
	cr_assert_eq(t->n_nodes, n);
	cr_assert_eq(t->n_links, n - 1);
	vl_topo_free(t);
	/* Nesting past the YAML tree's depth. */
	len = (size_t)snprintf(buf, cap, "name: deep\ntopology:\n  nodes:\n    a: ");
	for (int i = 0; i < 200; i++)
		buf[len++] = '[';
	buf[len] = '\0';
	refused(buf, "error:");
	/* A NUL byte inside. */
	struct vl_topo *t2 = NULL;
	vl_err_init(&err);
	const char nul[] = "name: x\ntopology:\n  nodes: {a\0: {kind: linux}}\n";
	cr_assert_lt(vl_import_clab("/tmp/x.clab.yml", nul, sizeof(nul) - 1, &t2, &warn, &err), 0);
	cr_assert_null(t2);
	free(buf);
}

Test(clab, bad_examples_refused_with_positions)
{
	DIR *d = opendir(DATA "/bad");
	cr_assert(d);
	int seen = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (!strstr(e->d_name, ".clab.yml"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), DATA "/bad/%s", e->d_name);
		struct vl_topo *t = NULL;
		struct vl_err err;
		vl_err_init(&err);
		vl_err_init(&warn);
		cr_assert_lt(vl_topo_load_any(path, &t, NULL, &warn, &err), 0, "%s loaded", path);
		cr_assert_null(t);
		char want[600];
		snprintf(want, sizeof(want), "%s:", path);
		cr_assert(!strncmp(err.msg, want, strlen(want)) && strstr(err.msg, ": error: "),
			  "%s: %s", path, err.msg);
		seen++;
	}
	closedir(d);
	cr_assert_geq(seen, 5);
}

Test(clab, fuzz_regressions_replay)
{
	/* clab_input's file name is relative to the top of the tree. */
	cr_assert_eq(chdir(SRCDIR), 0);
	DIR *d = opendir("tests/fuzz/clab-regress");
	cr_assert(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "tests/fuzz/clab-regress/%s", e->d_name);
		FILE *f = fopen(path, "rb");
		cr_assert(f);
		static uint8_t buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		vl_fuzz_clab(buf, len);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 1);
	/* The good examples load and convert back. */
	const char *good[] = {"tests/data/clab/frr3.clab.yml", "tests/data/clab/bridge.clab.yml"};
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(good[i], "rb");
		cr_assert(f);
		static uint8_t buf[1 << 16];
		size_t len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		cr_assert_eq(vl_fuzz_clab(buf, len), 0, "%s", good[i]);
	}
}

/* containerlab's own FRR kind: its startup-config is the node's frr.conf
 * (inline here; a path is read beside the file), extras.frr.daemons the
 * daemons, zebra and staticd always. */
Test(clab, the_frr_kind_with_startup_config_and_daemons)
{
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/frrkind.clab.yml",
				"name: k\n"
				"topology:\n"
				"  kinds:\n"
				"    frr:\n"
				"      image: quay.io/frrouting/frr:10.1.1\n"
				"      extras: {frr: {daemons: [ospfd, bgpd]}}\n"
				"  nodes:\n"
				"    r1:\n"
				"      kind: frr\n"
				"      startup-config: |\n"
				"        router ospf\n"
				"         network 10.0.0.0/8 area 0\n"
				"    h1: {kind: linux}\n"
				"  links:\n"
				"    - endpoints: [r1:eth1, h1:eth1]\n",
				&err);
	cr_assert_not_null(t, "%s", err.msg);
	const struct vl_node *r1 = node(t, "r1");
	cr_assert_eq(r1->n_services, 1);
	cr_assert_eq(r1->services[0].kind, VL_SVC_FRR);
	cr_assert(r1->forwarding);
	const char *conf = NULL, *daemons = NULL;
	for (size_t i = 0; i < r1->n_files; i++) {
		if (!strcmp(r1->files[i].path, "/etc/frr/frr.conf"))
			conf = r1->files[i].content;
		if (!strcmp(r1->files[i].path, "/etc/frr/daemons"))
			daemons = r1->files[i].content;
	}
	cr_assert_str_eq(conf, "router ospf\n network 10.0.0.0/8 area 0\n");
	cr_assert_str_eq(daemons, "zebra=yes\nstaticd=yes\nospfd=yes\nbgpd=yes\n");
	cr_expect_eq(count(warn.msg, "startup-config"), 0, "used, not ignored: %s", warn.msg);
	vl_topo_free(t);
	refused("name: k\ntopology:\n  nodes:\n    r1: {kind: frr, startup-config: nothere.conf}\n",
		":4:37: error: startup-config 'nothere.conf': No such file or directory");
}

/* containerlab expands the host's environment in the file (envsubst's
 * rules); positions stay the original file's. */
Test(clab, environment_is_expanded_as_containerlab_does)
{
	setenv("VLT_IMG", "frrouting/frr:v8.4.1", 1);
	setenv("VLT_EMPTY", "", 1);
	unsetenv("VLT_UNSET");
	unsetenv("VLT_LAB");
	const char *y = "name: ${VLT_LAB:=fromdefault}\n"
			"topology:\n"
			"  nodes:\n"
			"    r${VLT_UNSET:-1}:\n"
			"      kind: linux\n"
			"      image: $VLT_IMG\n"
			"      exec: [\"echo ${VLT_LAB} ${VLT_EMPTY:-e} ${VLT_EMPTY-x}y $$HOME $1 ${VLT_IMG:+set}"
			" ${VLT_UNSET:+no}${VLT_UNSET}\"]\n"
			"    h1: { kind: linux }\n"
			"  links:\n"
			"    - endpoints: [\"r1:eth1\", \"h1:eth1\"]\n";
	struct vl_err err;
	struct vl_topo *t = imp("/tmp/x.clab.yml", y, &err);
	cr_assert_not_null(t, "%s", err.msg);
	cr_expect_str_eq(t->name, "fromdefault");
	const struct vl_node *r = node(t, "r1");
	cr_assert_eq(r->n_services, 1, "the expanded image is an FRR image");
	cr_assert_eq(r->n_cmds, 1);
	const char *want[] = {"echo", "fromdefault", "e", "y", "$HOME", "$1", "set", "${VLT_UNSET}",
			      NULL};
	for (size_t i = 0; want[i]; i++) {
		cr_assert_lt(i, r->cmds[0].argc);
		cr_expect_str_eq(r->cmds[0].argv[i], want[i], "word %zu", i);
	}
	cr_expect_eq(r->cmds[0].argc, 8);
	cr_expect_eq(count(warn.msg, "VLT_UNSET is not set"), 1, "%s", warn.msg);
	cr_expect(strstr(warn.msg, "/tmp/x.clab.yml:7:14: warning: environment variable "
				   "VLT_UNSET is not set: ${VLT_UNSET} stays as written"), "%s", warn.msg);
	vl_topo_free(t);
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"${VLT_UNSET:?give a kind}\" }\n",
		"/tmp/x.clab.yml:4:16: error: '${VLT_UNSET:?give a kind}': environment variable "
		"VLT_UNSET is not set: give a kind");
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"${VLT_EMPTY:?}\" }\n",
		"VLT_EMPTY is empty");
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"${VLT_IMG\" }\n",
		"4:16: error: '${VLT_IMG': a '${' that does not close");
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"${9x}\" }\n",
		"'${9x}' is not a variable containerlab expands");
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"${VLT_IMG/x/y}\" }\n",
		"containerlab's envsubst takes");
	setenv("VLT_NL", "linux\nimage: x", 1);
	refused("name: x\ntopology:\n  nodes:\n    a: { kind: \"$VLT_NL\" }\n", "newline");
	/* nested defaults, bounded */
	char deep[512] = "name: x\ntopology:\n  nodes:\n    a: { kind: \"";
	for (int i = 0; i < 12; i++)
		strcat(deep, "${VLT_UNSET:-");
	strcat(deep, "linux");
	for (int i = 0; i < 12; i++)
		strcat(deep, "}");
	strcat(deep, "\" }\n");
	refused(deep, "nested more than 8 deep");
	unsetenv("VLT_NL");
}
