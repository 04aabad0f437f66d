/* SPDX-License-Identifier: BSD-2-Clause */
/* Tunnel ends (a lab over several hosts, docs/multihost.md): the model a
 * file gives, its JSON written back, its plan, its live edits, the MACs
 * of two parts of one lab, and the FreeBSD backend's refusal.  Each
 * refusal of the loader is a file of tests/data/bad/tunnel-*.yaml. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/freebsd.h"
#include "vnetlab/graph.h"
#include "vnetlab/linkedit.h"
#include "vnetlab/plan.h"
#include "vnetlab/plan_diff.h"
#include "vnetlab/probe.h"
#include "vnetlab/topo_json.h"

#include <json-c/json.h>

static struct vl_topo *load(const char *y)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_topo_load_buffer("t.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	return t;
}

static const char *refused(const char *y)
{
	static struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_neq(vl_topo_load_buffer("t.yaml", y, strlen(y), &t, &err), 0);
	cr_assert_null(t);
	return err.msg;
}

static const char *const two =
	"name: two\n"
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.0.0.1/24] } } }\n"
	"  sw: { kind: bridge }\n"
	"links:\n"
	"  - { endpoints: [a:eth0], tunnel: { vxlan: 4096, local: 192.0.2.1, remote: 192.0.2.2, port: 8472, mtu: 1400 }, delay: 5ms }\n"
	"  - { endpoints: [sw:t1], tunnel: { vxlan: 4097, local: '2001:db8::1', remote: '2001:db8::2' },\n"
	"      downstream: { bandwidth: 10Mbit } }\n";

Test(tunnel, model)
{
	struct vl_topo *t = load(two);
	cr_assert_eq(t->n_links, 2);
	const struct vl_link *l = &t->links[0];
	cr_assert(l->has_tunnel);
	cr_expect_eq(l->ep[1].node, l->ep[0].node, "ep[1] is ep[0]'s copy");
	cr_expect_eq(l->ep[1].iface, l->ep[0].iface);
	cr_expect_eq(l->tunnel.vni, 4096);
	cr_expect_eq(l->tunnel.local.family, AF_INET);
	cr_expect_eq(l->tunnel.remote.a[3], 2);
	cr_expect_eq(vl_tunnel_port(&l->tunnel), 8472);
	cr_expect_eq(vl_tunnel_mtu(&l->tunnel), 1400);
	cr_expect(vl_impair_has(&l->dir[0], VL_P_DELAY), "the plain keys are the leaving direction");
	cr_expect_eq(l->dir[1].set, 0, "nothing arrives by this end's parameters");
	const struct vl_link *v6 = &t->links[1];
	cr_expect_eq(v6->tunnel.remote.family, AF_INET6);
	cr_expect_eq(vl_tunnel_port(&v6->tunnel), 4789, "default port");
	cr_expect_eq(vl_tunnel_mtu(&v6->tunnel), 1430, "1500 - 70 over IPv6");
	cr_expect(vl_impair_has(&v6->dir[0], VL_P_BANDWIDTH));
	char name[64];
	vl_link_name(t, 0, name, sizeof(name));
	cr_expect_str_eq(name, "a:eth0 vxlan:4096");
	vl_link_name(t, 1, name, sizeof(name));
	cr_expect_str_eq(name, "sw:t1 vxlan:4097");
	vl_topo_free(t);
	struct vl_topo *d = load("nodes: { a: {} }\nlinks:\n"
				 "  - { endpoints: [a:eth0], tunnel: { vxlan: 1, local: 192.0.2.1, remote: 192.0.2.2 } }\n");
	cr_expect_eq(vl_tunnel_mtu(&d->links[0].tunnel), 1450, "1500 - 50 over IPv4");
	vl_topo_free(d);
}

Test(tunnel, one_vni_per_remote_and_port)
{
	/* The same VNI to another remote, or on another port, is another tunnel. */
	struct vl_topo *t = load("nodes: { a: {}, b: {}, c: {} }\nlinks:\n"
				 "  - { endpoints: [a:e], tunnel: { vxlan: 5, local: 192.0.2.1, remote: 192.0.2.2 } }\n"
				 "  - { endpoints: [b:e], tunnel: { vxlan: 5, local: 192.0.2.1, remote: 192.0.2.3 } }\n"
				 "  - { endpoints: [c:e], tunnel: { vxlan: 5, local: 192.0.2.1, remote: 192.0.2.2, port: 4790 } }\n");
	vl_topo_free(t);
	const char *m = refused("nodes: { a: {}, b: {} }\nlinks:\n"
				"  - { endpoints: [a:e], tunnel: { vxlan: 5, local: 192.0.2.1, remote: 192.0.2.2 } }\n"
				"  - { endpoints: [b:e], tunnel: { vxlan: 5, local: 192.0.2.1, remote: 192.0.2.2 } }\n");
	cr_expect(strstr(m, "t.yaml:4:33: error: tunnel vxlan 5 to 192.0.2.2 port 4789 is already "
			    "the tunnel at line 3"), "%s", m);
}

Test(tunnel, every_mistake_of_a_link_is_said)
{
	/* Errors are collected: an upstream and a bad VNI, both said. */
	const char *m = refused("nodes: { a: {} }\nlinks:\n"
				"  - { endpoints: [a:e], tunnel: { vxlan: 0, local: 192.0.2.1, remote: 192.0.2.2 },\n"
				"      upstream: { delay: 1ms } }\n");
	cr_expect(strstr(m, "vxlan must be a whole number"), "%s", m);
	cr_expect(strstr(m, "t.yaml:4:17: error: a tunnel end carries only the direction leaving "
			    "this host; set it on the other host's end"), "%s", m);
}

Test(tunnel, json_round_trip_in_the_same_syntax)
{
	struct vl_topo *a = load(two);
	struct json_object *doc = vl_topo_to_json(a);
	char *text = vl_topo_json_text(doc);
	cr_assert_not_null(text);
	const char *plain = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	cr_expect(strstr(plain, "\"endpoints\":[\"a:eth0\"]"), "%s", plain);
	cr_expect(strstr(plain, "\"tunnel\":{\"vxlan\":4096,\"local\":\"192.0.2.1\",\"remote\":"
			       "\"192.0.2.2\",\"port\":8472,\"mtu\":1400}"), "%s", plain);
	cr_expect(strstr(plain, "\"tunnel\":{\"vxlan\":4097,\"local\":\"2001:db8::1\",\"remote\":"
			       "\"2001:db8::2\"}"), "defaults stay unwritten: %s", plain);
	cr_expect(!strstr(plain, "upstream"), "%s", plain);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *b = NULL;
	cr_assert_eq(vl_topo_load_buffer("doc", text, strlen(text), &b, &err), 0, "%s\n%s",
		     err.msg, text);
	for (size_t l = 0; l < a->n_links; l++) {
		const struct vl_tunnel *x = &a->links[l].tunnel, *y = &b->links[l].tunnel;
		cr_expect(b->links[l].has_tunnel);
		cr_expect_eq(x->vni, y->vni);
		cr_expect(vl_ip_same_addr(&x->local, &y->local));
		cr_expect(vl_ip_same_addr(&x->remote, &y->remote));
		cr_expect_eq(x->port, y->port);
		cr_expect_eq(x->mtu, y->mtu);
		cr_expect_eq(memcmp(&a->links[l].dir, &b->links[l].dir, sizeof(a->links[l].dir)), 0);
	}
	struct json_object *doc2 = vl_topo_to_json(b);
	char *again = vl_topo_json_text(doc2);
	cr_expect_str_eq(text, again, "a fixed point");
	free(text);
	free(again);
	json_object_put(doc2);
	json_object_put(doc);
	vl_topo_free(a);
	vl_topo_free(b);
}

static char *plan_text(const struct vl_topo *t, unsigned qdiscs)
{
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_plan_opts o = {.qdiscs = qdiscs, .qdiscs_known = true};
	cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0, "%s", err.msg);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vl_plan_render(&p, f);
	fclose(f);
	vl_plan_free(&p);
	return buf;
}

Test(tunnel, plan_kernel_and_pipe)
{
	struct vl_topo *t = load(two);
	char *k = plan_text(t, VL_QDISC_TBF | VL_QDISC_NETEM);
	cr_expect(strstr(k, "link a:eth0 vxlan:4096 -> 192.0.2.2 (local 192.0.2.1, port 8472, "
			    "mtu 1400)  [eth0#2 = vxlan]"), "%s", k);
	cr_expect(strstr(k, "netem on egress of a:eth0 (toward 192.0.2.2): delay 5ms"), "%s", k);
	cr_expect(strstr(k, "link sw:t1 vxlan:4097 -> 2001:db8::2 (local 2001:db8::1, port 4789, "
			    "mtu 1430)  [core/sw.t1#3 = vxlan]"), "%s", k);
	cr_expect(strstr(k, "tbf on egress of sw:t1 (toward 2001:db8::2): bandwidth 10Mbit"), "%s", k);
	cr_expect(!strstr(k, "pipe"), "%s", k);
	/* Without netem the delay goes to the pipe: node end, pipe, device. */
	char *u = plan_text(t, VL_QDISC_TBF);
	cr_expect(strstr(u, "[eth0#2 = core/~p0a#4 + vxlan core/~p0b#5]"), "%s", u);
	cr_expect(strstr(u, "userspace pipe a:eth0 -> vxlan:4096: leaving delay 5ms"), "%s", u);
	free(k);
	free(u);
	vl_topo_free(t);
}

Test(tunnel, live_edits_name_the_tunnel)
{
	struct vl_topo *t = load(two);
	struct vl_link_edit e;
	struct vl_err err;
	vl_err_init(&err);
	char *set[] = {"a:eth0", "vxlan:4096", "set", "delay", "7ms"};
	cr_assert_eq(vl_link_edit_parse(t, 5, set, &e, &err), 0, "%s", err.msg);
	cr_expect_eq(e.link, 0);
	cr_expect(vl_impair_has(&e.set[0], VL_P_DELAY));
	cr_expect_eq(e.set[1].set, 0, "set means the leaving direction only");
	char *back[] = {"vxlan:4096", "a:eth0", "set", "delay", "7ms"};
	cr_assert_eq(vl_link_edit_parse(t, 5, back, &e, &err), 0, "%s", err.msg);
	cr_expect(vl_impair_has(&e.set[0], VL_P_DELAY), "either order, one direction");
	char *up[] = {"a:eth0", "vxlan:4096", "set", "upstream", "delay", "7ms"};
	vl_err_init(&err);
	cr_expect_lt(vl_link_edit_parse(t, 6, up, &e, &err), 0);
	cr_expect(strstr(err.msg, "a tunnel end carries only the direction leaving this host"),
		  "%s", err.msg);
	char *down[] = {"sw:t1", "vxlan:4097", "down"};
	cr_assert_eq(vl_link_edit_parse(t, 3, down, &e, &err), 0, "%s", err.msg);
	cr_expect_eq(e.link, 1);
	cr_expect_eq(e.action, VL_LINK_DOWN);
	/* The placement refuses an arriving direction however it comes. */
	struct vl_plan p;
	struct vl_plan_opts o = {.qdiscs = VL_QDISC_TBF, .qdiscs_known = true};
	cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0);
	struct vl_link_live lv = {0};
	struct vl_impair dir[2] = {{0}, {0}};
	vl_impair_set(&dir[1], VL_P_DELAY, 1000000);
	vl_err_init(&err);
	cr_expect_lt(vl_link_place(&p, 0, dir, &lv, &err), 0);
	cr_expect(strstr(err.msg, "is a tunnel end"), "%s", err.msg);
	vl_plan_free(&p);
	vl_topo_free(t);
}

/* Two parts of one lab have its name and number their hooks alike: their
 * generated MACs must still differ, or the tunnel's two ends collide. */
Test(tunnel, parts_of_one_lab_get_other_macs)
{
	struct vl_topo *a = load("name: lab\nnodes: { a: {} }\nlinks:\n"
				 "  - { endpoints: [a:eth0], tunnel: { vxlan: 1, local: 192.0.2.1, remote: 192.0.2.2 } }\n");
	struct vl_topo *b = load("name: lab\nnodes: { b: {} }\nlinks:\n"
				 "  - { endpoints: [b:eth0], tunnel: { vxlan: 1, local: 192.0.2.2, remote: 192.0.2.1 } }\n");
	uint8_t ma[6], mb[6];
	vl_plan_hook_mac(a, 0, ma);
	vl_plan_hook_mac(b, 0, mb);
	cr_expect_neq(memcmp(ma, mb, 6), 0);
	cr_expect_eq(ma[0], 0x02);
	vl_topo_free(a);
	vl_topo_free(b);
}

Test(tunnel, freebsd_refuses_with_the_line)
{
	struct vl_topo *t = load(two);
	struct vl_err err;
	vl_err_init(&err);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_expect_lt(vl_freebsd_render(t, f, &err), 0);
	fclose(f);
	cr_expect(strstr(err.msg, "t.yaml:6:5: error: the FreeBSD backend cannot carry this link: "
			    "it is a tunnel end"), "%s", err.msg);
	cr_expect(strstr(err.msg, "ng_ksocket"), "%s", err.msg);
	free(buf);
	vl_topo_free(t);
}

/* A running lab given a new file keeps a tunnel end only while it is the
 * same device: another VNI (or remote, port, MTU) is a new one. */
Test(tunnel, plan_diff_keeps_only_the_same_device)
{
	const char *base = "name: d\nnodes: { a: {} }\nlinks:\n"
			   "  - { endpoints: [a:eth0], tunnel: { vxlan: %d, local: 192.0.2.1, "
			   "remote: 192.0.2.%d } }\n";
	char y[3][256];
	snprintf(y[0], sizeof(y[0]), base, 10, 2);
	snprintf(y[1], sizeof(y[1]), base, 10, 2);
	snprintf(y[2], sizeof(y[2]), base, 11, 2);
	struct vl_topo *t[3];
	struct vl_plan p[3];
	struct vl_err err;
	vl_err_init(&err);
	for (int i = 0; i < 3; i++) {
		t[i] = load(y[i]);
		cr_assert_eq(vl_plan_build(t[i], NULL, &p[i], &err), 0, "%s", err.msg);
	}
	struct vl_plan_diff d;
	cr_assert_eq(vl_plan_diff(&p[0], &p[1], &d, &err), 0, "%s", err.msg);
	cr_expect_eq(d.link_from[0], 0, "the same tunnel is kept");
	vl_plan_diff_free(&d);
	cr_assert_eq(vl_plan_diff(&p[0], &p[2], &d, &err), 0, "%s", err.msg);
	cr_expect_eq(d.link_from[0], -1, "another VNI is another device");
	vl_plan_diff_free(&d);
	for (int i = 0; i < 3; i++) {
		vl_plan_free(&p[i]);
		vl_topo_free(t[i]);
	}
}

/* The drawing gives a tunnel end's far side a node of its own, toward
 * the remote, rather than a loop from the hook to itself. */
Test(tunnel, drawn_toward_the_remote)
{
	struct vl_topo *t = load(two);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_graph_opts o = {.format = VL_GRAPH_DOT};
	char *out = NULL;
	size_t len = 0;
	cr_assert_eq(vl_graph_render(t, &o, &out, &len, &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "\"~tunnel0\" [id=\"tunnel-0\", shape=cds, style=\"dashed\", "
			      "label=\"vxlan 4096\\n→ 192.0.2.2\"]"), "%s", out);
	cr_expect(strstr(out, "\"a\" -- \"~tunnel0\" [id=\"link-0\", taillabel=\"eth0\", "
			      "headlabel=\"\", label=\"→ 5ms\"]"), "%s", out);
	cr_expect(!strstr(out, "\"a\" -- \"a\""), "%s", out);
	free(out);
	o.format = VL_GRAPH_MERMAID;
	cr_assert_eq(vl_graph_render(t, &o, &out, &len, &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "n0 ---|\"eth0 — vxlan<br/>→ 5ms\"| v0"), "%s", out);
	free(out);
	o.format = VL_GRAPH_JSON;
	cr_assert_eq(vl_graph_render(t, &o, &out, &len, &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "\"kind\":\"tunnel\"") || strstr(out, "\"kind\": \"tunnel\""), "%s",
		  out);
	free(out);
	vl_topo_free(t);
}
