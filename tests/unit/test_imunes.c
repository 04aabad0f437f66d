/* SPDX-License-Identifier: BSD-2-Clause */
/* The IMUNES importer (import.h): both forms of the shipped examples load
 * into the model they describe; broken and hostile files are refused at
 * the file's line:col, never crash or hang. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/import.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static struct vl_topo *load(const char *file, struct vl_err *warn, struct vl_err *err)
{
	char path[512];
	snprintf(path, sizeof(path), SRCDIR "/tests/data/imunes/%s", file);
	struct vl_topo *t = NULL;
	vl_err_init(warn);
	vl_err_init(err);
	vl_topo_load_any(path, &t, NULL, warn, err);
	return t;
}

static int buf_load(const char *text, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	struct vl_err warn;
	vl_err_init(&warn);
	vl_err_init(err);
	int rc = vl_topo_load_any_buffer("x.imn", text, strlen(text), &t, NULL, &warn, err);
	vl_topo_free(t);
	return rc;
}

static const struct vl_node *node(const struct vl_topo *t, const char *name)
{
	long i = vl_topo_find_node(t, name);
	cr_assert(i >= 0, "no node %s", name);
	return &t->nodes[i];
}

static const char *file_of(const struct vl_node *n, const char *path)
{
	for (size_t i = 0; i < n->n_files; i++)
		if (!strcmp(n->files[i].path, path))
			return n->files[i].content;
	return NULL;
}

static void same_ospf_chain(const char *file, enum vl_format want)
{
	struct vl_err warn, err;
	char path[512];
	snprintf(path, sizeof(path), SRCDIR "/tests/data/imunes/%s", file);
	struct vl_topo *t = NULL;
	enum vl_format f;
	vl_err_init(&warn);
	vl_err_init(&err);
	cr_assert_eq(vl_topo_load_any(path, &t, &f, &warn, &err), 0, "%s", err.msg);
	cr_assert_eq(f, want);
	cr_assert_eq(t->n_nodes, 6);
	cr_assert_eq(t->n_links, 5);
	const struct vl_node *r2 = node(t, "router2");
	cr_assert(r2->forwarding);
	cr_assert_eq(r2->n_services, 1);
	cr_assert_eq(r2->services[0].kind, VL_SVC_FRR);
	const char *conf = file_of(r2, "/etc/frr/frr.conf");
	cr_assert(conf && strstr(conf, "router ospf\n ospf router-id 0.0.0.2\n"), "%s", conf);
	cr_assert(strstr(conf, "router ospf6\n ospf6 router-id 0.0.0.2\n"));
	cr_assert(strstr(conf, "interface eth0\n ip ospf area 0.0.0.0\n"));
	cr_assert(strstr(conf, "hostname router2\n"));
	const struct vl_node *pc1 = node(t, "pc1");
	cr_assert(!pc1->forwarding);
	cr_assert_eq(pc1->n_routes, 2, "auto default routes, v4 and v6");
	char b[64];
	cr_assert_str_eq(vl_ip_str(&pc1->routes[0].via, false, b, sizeof(b)), "10.0.10.1");
	cr_assert_str_eq(vl_ip_str(&pc1->routes[1].via, false, b, sizeof(b)), "fc00:10::1");
	/* l2: 100 Mbit/s, 2.5 ms, both directions */
	bool found = false;
	for (size_t i = 0; i < t->n_links; i++)
		if (vl_impair_has(&t->links[i].dir[0], VL_P_DELAY)) {
			found = true;
			cr_assert_eq(t->links[i].dir[0].v[VL_P_DELAY], 2500000);
			cr_assert_eq(t->links[i].dir[1].v[VL_P_BANDWIDTH], 100000000);
		}
	cr_assert(found);
	cr_assert(strstr(warn.msg, "GUI only"), "%s", warn.msg);
	vl_topo_free(t);
}

Test(imunes, legacy_ospf_chain)
{
	same_ospf_chain("ospf-legacy.imn", VL_FMT_IMUNES_TCL);
}

Test(imunes, json_ospf_chain)
{
	same_ospf_chain("ospf-json.imn", VL_FMT_IMUNES_JSON);
}

Test(imunes, static_lan)
{
	struct vl_err warn, err;
	struct vl_topo *t = load("static-lan.imn", &warn, &err);
	cr_assert(t, "%s", err.msg);
	cr_assert_eq(node(t, "switch1")->kind, VL_KIND_BRIDGE);
	cr_assert_eq(node(t, "hub1")->kind, VL_KIND_HUB);
	const struct vl_node *gw = node(t, "gw");
	cr_assert(gw->forwarding);
	cr_assert_eq(gw->n_services, 0);
	cr_assert_eq(gw->n_routes, 1);
	/* lo0's 10.255.0.1/32 is a loopback address of the model, no command */
	cr_assert_eq(gw->n_cmds, 0);
	cr_assert_eq(gw->n_lo_addrs, 1);
	cr_assert_eq(gw->lo_addrs[0].ip.plen, 32);
	cr_assert_eq(gw->lo_addrs[0].ip.a[0], 10);
	cr_assert_eq(gw->lo_addrs[0].ip.a[3], 1);
	cr_assert(gw->ifaces[0].has_mac);
	const struct vl_node *n6 = node(t, "n6");
	cr_assert_str_eq(n6->hostname, "a-name-much-too-long-for-vnetlab");
	cr_assert(strstr(warn.msg, "static-lan.imn:98:11: warning: node 'n6' is called 'n6'"),
		  "%s", warn.msg);
	cr_assert_eq(node(t, "pc1")->n_routes, 2);
	/* delay {1000 3000}: per direction; ber 1000000 is 1e-6; loss 1% */
	bool delay = false, ber = false, loss = false;
	for (size_t i = 0; i < t->n_links; i++) {
		const struct vl_link *l = &t->links[i];
		if (l->dir[0].v[VL_P_DELAY] == 1000000 && l->dir[1].v[VL_P_DELAY] == 3000000)
			delay = true;
		if (l->dir[0].v[VL_P_BER] == 1000000000000ull)
			ber = true;
		if (l->dir[1].v[VL_P_LOSS] == 10000000 && l->dir[0].v[VL_P_DUPLICATE] == 5000000)
			loss = true;
	}
	cr_assert(delay && ber && loss);
	vl_topo_free(t);
}

Test(imunes, bad_files_refused_at_their_position)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"node n0 {\n    type rj45\n}\n", "x.imn:2:10: error: node 'n0': IMUNES type 'rj45'"},
		{"node n0 {\n    type toaster\n}\n", "x.imn:2:10: error: node 'n0': unknown IMUNES"},
		{"node n0 {\n    type pc\n", "x.imn:1:9: error: this '{' is never closed"},
		{"node n0 {\n  type router\n  model cisco\n}\n", "x.imn:3:9: error: router model"},
		{"node n0 {\n type pc\n network-config {\n\tinterface eth0\n\t ip address 10.0.0.300/24\n"
		 "\t!\n }\n}\n", "x.imn:5:14: error: '10.0.0.300/24' is not an address"},
		{"node n0 {\n type pc\n}\nlink l0 {\n nodes {n0 n9}\n}\n", "x.imn:5:12: error: link l0: no node 'n9'"},
		{"{\"nodes\": {\"n0\": {\"type\": \"wlan\"}}}", "x.imn:1:27: error: node 'n0': IMUNES type 'wlan'"},
		{"{\"nodes\": {\"n0\": {\"type\": \"pc\", \"ifaces\": [1]}}}", "x.imn:1:43: error: ifaces should"},
		{"{\"nodes\": {\"n0\": {\"type\": \"pc\"}}, \"links\": {\"l0\": {\"peers\": [\"n0\"]}}}",
		 "x.imn:1:61: error: link 'l0' needs"},
		{"{\"nodes\": {\"n0\": {\"type\": \"pc\", }}", "x.imn:"}, /* not JSON: YAML's */
		{"{\"nodes\": {\"n0\": {\"type\": \"pc\"", "x.imn:"}, /* truncated: YAML's too */
		{"node n0 {\n type pc\n interface-peer {eth0 n1}\n}\nnode n1 {\n type pc\n"
		 " interface-peer {eth0 n0}\n}\nlink l0 {\n nodes {n0 n1}\n bandwidth fast\n}\n",
		 "x.imn:11:12: error: link l0: 'fast' is not a number"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vl_err err;
		cr_assert_neq(buf_load(bad[i].text, &err), 0, "%zu should fail", i);
		cr_assert(strstr(err.msg, bad[i].msg), "%zu: want '%s', got: %s", i, bad[i].msg,
			  err.msg);
	}
}

Test(imunes, hostile_inputs_end)
{
	size_t n = 4u << 20;
	char *b = malloc(n + 64);
	cr_assert(b);
	/* deep JSON nesting */
	strcpy(b, "{\"nodes\": {\"n0\": {\"type\": \"pc\", \"x\": ");
	size_t o = strlen(b);
	for (size_t i = 0; i < 100000; i++)
		b[o++] = '[';
	b[o] = '\0';
	struct vl_err err;
	cr_assert_neq(buf_load(b, &err), 0);
	cr_assert(strstr(err.msg, "x.imn:1:"), "%s", err.msg); /* too deep to tell IMUNES */
	/* deep Tcl braces: balanced, a huge field value */
	strcpy(b, "node n0 {\n type pc\n x ");
	o = strlen(b);
	for (size_t i = 0; i < 1000000; i++)
		b[o++] = '{';
	for (size_t i = 0; i < 1000000; i++)
		b[o++] = '}';
	strcpy(b + o, "\n}\n");
	cr_assert_eq(buf_load(b, &err), 0, "%s", err.msg);
	/* unbalanced */
	b[o] = '\0';
	b[o - 1] = ' ';
	cr_assert_neq(buf_load(b, &err), 0);
	/* many nodes, one line */
	o = 0;
	for (size_t i = 0; o + 64 < n; i++)
		o += (size_t)sprintf(b + o, "node n%zu { type hub } ", i);
	b[o] = '\0';
	buf_load(b, &err); /* whatever it says, it ends */
	/* truncations of a good file */
	struct vl_err w;
	char path[512];
	snprintf(path, sizeof(path), SRCDIR "/tests/data/imunes/ospf-json.imn");
	FILE *f = fopen(path, "r");
	cr_assert(f);
	size_t len = fread(b, 1, n, f);
	fclose(f);
	for (size_t cut = 0; cut < len; cut += 7) {
		struct vl_topo *t = NULL;
		vl_err_init(&w);
		vl_err_init(&err);
		vl_import_imunes_json("x.imn", b, cut, &t, &w, &err);
		vl_topo_free(t);
		vl_import_imunes_tcl("x.imn", b, cut, &t, &w, &err);
		vl_topo_free(t);
	}
	free(b);
}

/* As IMUNES 2.x writes its JSON (its own examples, OSPF/OSPF.imn): lo0
 * among "ifaces" with "type": "lo", and router_config a Tcl dict in a
 * string ("ospf 1"). */
Test(imunes, json_as_imunes_writes_it)
{
	static const char text[] =
		"{\"nodes\": {\n"
		" \"n0\": {\"type\": \"router\", \"model\": \"frr\", \"name\": \"router0\",\n"
		"  \"router_config\": \"ospf 1\",\n"
		"  \"ifaces\": {\"ifc0\": {\"name\": \"lo0\", \"type\": \"lo\",\n"
		"     \"ipv4_addrs\": [\"127.0.0.1/8\"], \"ipv6_addrs\": [\"::1/128\"]},\n"
		"   \"ifc1\": {\"name\": \"eth0\", \"type\": \"phys\", \"link\": \"l0\",\n"
		"     \"ipv4_addrs\": [\"10.0.0.1/24\"]}}},\n"
		" \"n1\": {\"type\": \"pc\", \"name\": \"pc1\",\n"
		"  \"ifaces\": {\"ifc0\": {\"name\": \"lo0\", \"type\": \"lo\"},\n"
		"   \"ifc1\": {\"name\": \"eth0\", \"type\": \"phys\", \"link\": \"l0\",\n"
		"     \"ipv4_addrs\": [\"10.0.0.2/24\"]}},\n"
		"  \"croutes4\": [\"0.0.0.0/0 10.0.0.1\"]}},\n"
		" \"links\": {\"l0\": {\"peers\": \"n0 n1\", \"peers_ifaces\": \"ifc1 ifc1\"}},\n"
		" \"options\": {\"version\": \"2\"}}\n";
	struct vl_topo *t = NULL;
	struct vl_err warn, err;
	vl_err_init(&warn);
	vl_err_init(&err);
	cr_assert_eq(vl_topo_load_any_buffer("x.imn", text, strlen(text), &t, NULL, &warn, &err), 0,
		     "%s", err.msg);
	const struct vl_node *r = node(t, "router0");
	cr_assert_eq(r->n_ifaces, 1, "lo0 is the node's loopback, not an interface to link");
	const char *conf = file_of(r, "/etc/frr/frr.conf");
	cr_assert(conf && strstr(conf, "router ospf"), "%s", conf ? conf : "(none)");
	cr_assert_eq(node(t, "pc1")->n_routes, 1);
	vl_topo_free(t);
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* Text to a model, with its warnings (err says why when NULL). */
static struct vl_topo *buf_topo(const char *text, struct vl_err *warn, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	vl_err_init(warn);
	vl_err_init(err);
	if (vl_topo_load_any_buffer("x.imn", text, strlen(text), &t, NULL, warn, err) < 0) {
		vl_topo_free(t);
		return NULL;
	}
	return t;
}

/* Older IMUNES wrote lo0 as 127.0.0.1/24: lo's own address, taken with a
 * warning, not refused as a loopback address lo already has. */
Test(imunes, legacy_lo0_slash24)
{
	static const char text[] =
		"node n0 {\n type pc\n network-config {\n\thostname pc1\n\t!\n"
		"\tinterface eth0\n\t ip address 10.0.0.1/24\n\t!\n"
		"\tinterface lo0\n\t type lo\n\t ip address 127.0.0.1/24\n\t ipv6 address ::1/128\n"
		"\t!\n }\n interface-peer {eth0 n1}\n}\n"
		"node n1 {\n type pc\n network-config {\n\tinterface eth0\n\t ip address 10.0.0.2/24\n"
		"\t!\n\tinterface lo0\n\t type lo\n\t ip address 127.0.0.1/24\n\t!\n }\n"
		" interface-peer {eth0 n0}\n}\n"
		"link l0 {\n nodes {n0 n1}\n}\n";
	struct vl_err warn, err;
	struct vl_topo *t = buf_topo(text, &warn, &err);
	cr_assert(t, "%s", err.msg);
	cr_assert_eq(node(t, "pc1")->n_lo_addrs, 0);
	cr_assert(strstr(warn.msg, "x.imn:11:14: warning: lo0's 127.0.0.1/24 is lo's"), "%s",
		  warn.msg);
	cr_assert_eq(count(warn.msg, "lo0's"), 1, "said once: %s", warn.msg);
	vl_topo_free(t);
	/* another loopback address in 127/8 is still refused */
	static const char other[] =
		"node n0 {\n type pc\n network-config {\n\tinterface lo0\n\t type lo\n"
		"\t ip address 127.0.0.2/8\n\t!\n }\n}\n";
	cr_assert_null(buf_topo(other, &warn, &err));
	cr_assert(strstr(err.msg, "x.imn:6:14: error: loopback address"), "%s", err.msg);
}

/* A legacy router section's own lines: what IMUNES's configuration says
 * already (router ids, OSPF's network ... area 0.0.0.0) is regenerated;
 * what the user added stays in that section, with one warning. */
Test(imunes, legacy_router_section_lines_kept)
{
	static const char text[] =
		"node n0 {\n type router\n model quagga\n network-config {\n\thostname r0\n\t!\n"
		"\tinterface eth0\n\t ip address 10.0.0.1/24\n\t!\n"
		"\trouter rip\n\t redistribute static\n\t redistribute   kernel\n"
		"\t network 0.0.0.0/0\n\t!\n"
		"\trouter ospf\n\t router-id 9.9.9.9\n\t network 0.0.0.0/0 area 0.0.0.0\n"
		"\t passive-interface eth0\n\t!\n"
		"\trouter ospf6\n\t router-id 9.9.9.9\n\t interface eth0 area 0.0.0.0\n\t!\n"
		" }\n interface-peer {eth0 n1}\n}\n"
		"node n1 {\n type pc\n network-config {\n\tinterface eth0\n"
		"\t ip address 10.0.0.2/24\n\t!\n }\n interface-peer {eth0 n0}\n}\n"
		"link l0 {\n nodes {n0 n1}\n}\n";
	struct vl_err warn, err;
	struct vl_topo *t = buf_topo(text, &warn, &err);
	cr_assert(t, "%s", err.msg);
	const char *conf = file_of(node(t, "r0"), "/etc/frr/frr.conf");
	cr_assert(conf);
	cr_assert(strstr(conf, "router rip\n redistribute static\n redistribute connected\n"
			       " redistribute ospf\n network 0.0.0.0/0\n redistribute kernel\n!\n"),
		  "%s", conf);
	cr_assert(strstr(conf, " redistribute rip\n passive-interface eth0\n!\n"), "%s", conf);
	cr_assert_null(strstr(conf, "9.9.9.9"), "router ids are IMUNES's: %s", conf);
	cr_assert_null(strstr(conf, "network 0.0.0.0/0 area"), "%s", conf);
	cr_assert_null(strstr(conf, "interface eth0 area"), "%s", conf);
	cr_assert(strstr(warn.msg, "x.imn:12:3: warning: lines of network-config's router "
				   "sections beyond IMUNES's own kept in frr.conf after them "
				   "('redistribute kernel', 2 in the file)"), "%s", warn.msg);
	vl_topo_free(t);
}

/* Interface fields: mtu is the interface's (both forms); what has no
 * place (STP port settings, queues, unknown fields, a switch port's MAC)
 * is one warning a kind with its count, never dropped without a word. */
Test(imunes, interface_mtu_and_fields_said)
{
	static const char json[] =
		"{\"nodes\": {\n"
		" \"n0\": {\"type\": \"pc\", \"name\": \"pc1\", \"ifaces\": {\n"
		"  \"ifc1\": {\"name\": \"eth0\", \"link\": \"l0\", \"mtu\": \"1400\",\n"
		"   \"ifc_qdisc\": \"FIFO\", \"queue_len\": \"50\", \"colour\": \"red\",\n"
		"   \"ipv4_addrs\": [\"10.0.0.1/24\"]}}},\n"
		" \"n1\": {\"type\": \"stpswitch\", \"name\": \"sw\", \"bridge\": \"protocol rstp\",\n"
		"  \"ifaces\": {\"ifc1\": {\"name\": \"eth0\", \"link\": \"l0\", \"mac\": \"42:00:aa:00:00:09\",\n"
		"   \"stp_enabled\": \"1\", \"stp_priority\": \"128\"}}}},\n"
		" \"links\": {\"l0\": {\"peers\": \"n0 n1\", \"peers_ifaces\": \"ifc1 ifc1\"}}}\n";
	struct vl_err warn, err;
	struct vl_topo *t = buf_topo(json, &warn, &err);
	cr_assert(t, "%s", err.msg);
	cr_assert_eq(node(t, "pc1")->ifaces[0].mtu, 1400);
	cr_assert(strstr(warn.msg, "x.imn:4:4: warning: interface queues (ifc_qdisc, queue_len, "
				   "...) ignored (2 in the file)"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "x.imn:4:44: warning: interface field 'colour' ignored (1"),
		  "%s", warn.msg);
	cr_assert(strstr(warn.msg, "x.imn:8:4: warning: STP port settings (stp_*) ignored (2 in"),
		  "%s", warn.msg);
	cr_assert(strstr(warn.msg, "x.imn:6:44: warning: stpswitch settings (rstp, priority, "
				   "timers) ignored (1"), "%s", warn.msg);
	cr_assert(strstr(warn.msg, "x.imn:7:60: warning: switch ports' MACs, MTUs and addresses "
				   "ignored (1 in the file)"), "%s", warn.msg);
	vl_topo_free(t);

	static const char tcl[] =
		"node n0 {\n type pc\n network-config {\n\tinterface eth0\n\t mtu 9000\n"
		"\t ip address 10.0.0.1/24\n\t!\n }\n interface-peer {eth0 n1}\n}\n"
		"node n1 {\n type pc\n network-config {\n\tinterface eth0\n\t ip address 10.0.0.2/24\n"
		"\t!\n }\n interface-peer {eth0 n0}\n}\nlink l0 {\n nodes {n0 n1}\n}\n";
	t = buf_topo(tcl, &warn, &err);
	cr_assert(t, "%s", err.msg);
	cr_assert_eq(node(t, "n0")->ifaces[0].mtu, 9000);
	cr_assert_eq(node(t, "n1")->ifaces[0].mtu, 0);
	cr_assert_null(strstr(warn.msg, "interface settings"), "%s", warn.msg);
	vl_topo_free(t);
	char bad[sizeof(tcl)];
	memcpy(bad, tcl, sizeof(tcl));
	memcpy(strstr(bad, "9000"), "9x00", 4);
	cr_assert_null(buf_topo(bad, &warn, &err));
	cr_assert(strstr(err.msg, "x.imn:5:7: error: interface eth0: mtu '9x00'"), "%s", err.msg);
}

/* A legacy `router bgp N` keeps its AS; an OSPF area other than the
 * backbone makes the section's network lines the areas (FRR takes them
 * or per-interface areas, not both). */
Test(imunes, legacy_bgp_as_and_ospf_areas)
{
	const char *imn =
		"node n0 {\n"
		"    type router\n"
		"    model frr\n"
		"    network-config {\n"
		"\thostname r1\n"
		"\t!\n"
		"\tinterface eth0\n"
		"\t ip address 10.0.0.1/24\n"
		"\t!\n"
		"\tinterface eth1\n"
		"\t ip address 10.0.1.1/24\n"
		"\t!\n"
		"\trouter ospf\n"
		"\t network 10.0.0.0/24 area 0.0.0.0\n"
		"\t network 10.0.1.0/24 area 0.0.0.7\n"
		"\t!\n"
		"\trouter bgp 65001\n"
		"\t neighbor 10.0.0.2 remote-as 65002\n"
		"\t!\n"
		"    }\n"
		"    interface-peer {eth0 n1}\n"
		"    interface-peer {eth1 n2}\n"
		"}\n"
		"node n1 {\n    type pc\n    network-config {\n\thostname p1\n\t!\n"
		"\tinterface eth0\n\t ip address 10.0.0.2/24\n\t!\n    }\n"
		"    interface-peer {eth0 n0}\n}\n"
		"node n2 {\n    type pc\n    network-config {\n\thostname p2\n\t!\n"
		"\tinterface eth0\n\t ip address 10.0.1.2/24\n\t!\n    }\n"
		"    interface-peer {eth0 n0}\n}\n"
		"link l0 {\n    nodes {n0 n1}\n}\n"
		"link l1 {\n    nodes {n0 n2}\n}\n";
	struct vl_topo *t = NULL;
	struct vl_err warn, err;
	vl_err_init(&warn);
	vl_err_init(&err);
	int rc = vl_topo_load_any_buffer("x.imn", imn, strlen(imn), &t, NULL, &warn, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	const char *conf = file_of(node(t, "r1"), "/etc/frr/frr.conf");
	cr_assert_not_null(conf);
	cr_expect(strstr(conf, "router bgp 65001\n"), "%s", conf);
	cr_expect(strstr(conf, "neighbor DEFAULT remote-as 65001\n"), "%s", conf);
	cr_expect(strstr(conf, " neighbor 10.0.0.2 remote-as 65002\n"), "%s", conf);
	cr_expect(strstr(conf, " network 10.0.1.0/24 area 0.0.0.7\n"), "%s", conf);
	cr_expect(strstr(conf, " network 10.0.0.0/24 area 0.0.0.0\n"), "%s", conf);
	cr_expect_null(strstr(conf, "ip ospf area"), "per-interface areas beside networks: %s",
		       conf);
	vl_topo_free(t);
	cr_expect_eq(buf_load("node n0 {\n    type router\n    network-config {\n"
			      "\trouter bgp 99999999999\n\t!\n    }\n}\n", &err), -EINVAL);
	cr_expect(strstr(err.msg, "x.imn:4:13: error: router bgp '99999999999'"), "%s", err.msg);
}
