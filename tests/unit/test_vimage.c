/* SPDX-License-Identifier: BSD-2-Clause */
/* The jails/netgraph model: what ngctl and ifconfig do to it, and the
 * topology it becomes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/topo.h"
#include "vnetlab/vimage.h"

static int ng(struct json_object *m, const char *line, struct vl_err *err)
{
	char buf[256], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 0;
	for (char *s, *t = strtok_r(buf, " ", &s); t; t = strtok_r(NULL, " ", &s))
		w[n++] = t;
	bool changed = false;
	vl_err_init(err);
	FILE *out = fopen("/dev/null", "w");
	int rc = vl_vimage_ngctl(m, n, w, out, &changed, err);
	fclose(out);
	vl_vimage_ngctl_done(m);
	return rc;
}

static int ifc(struct json_object *m, const char *where, const char *line, struct vl_err *err)
{
	char buf[256], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 0;
	for (char *s, *t = strtok_r(buf, " ", &s); t; t = strtok_r(NULL, " ", &s))
		w[n++] = t;
	bool changed = false;
	struct json_object *i;
	vl_err_init(err);
	FILE *out = fopen("/dev/null", "w");
	int rc = vl_vimage_ifconfig(m, where, n, w, out, &changed, &i, err);
	fclose(out);
	return rc;
}

/* The model's topology loads, and says what the graph says. */
static struct vl_topo *topology(struct json_object *m)
{
	char *y = vl_vimage_topology(m);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("vimage", y, strlen(y), &t, &err), 0, "%s\n%s", err.msg, y);
	free(y);
	return t;
}

Test(vimage, pipe_and_tee_become_links)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "a", NULL, &err), 0);
	cr_assert_eq(vl_vimage_jail_create(m, "b", NULL, &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ifc(m, "host", "ngeth0 vnet a", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "ngeth1 vnet b", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer ngeth0: pipe ether upper", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "name ngeth0:ether p", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "connect p: ngeth1: lower ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "msg p: setcfg { downstream={ bandwidth=2000000 } delay=10000 }", &err),
		     0, "%s", err.msg);
	struct vl_topo *t = topology(m);
	cr_assert_eq(t->n_links, 2, "a-b through the pipe, and em0 on its own");
	const struct vl_link *l = NULL;
	for (size_t i = 0; i < t->n_links; i++)
		if (t->links[i].via[0])
			l = &t->links[i];
	cr_assert_not_null(l, "the pipe was not folded into a link");
	cr_expect_eq(l->dir[0].v[VL_P_BANDWIDTH], 2000000);
	cr_expect_eq(l->dir[0].v[VL_P_DELAY], 10000000);
	cr_expect_eq(l->dir[1].v[VL_P_DELAY], 10000000, "ng_pipe's delay is both ways");
	vl_topo_free(t);
	json_object_put(m);
}

Test(vimage, ngctl_rules)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	/* A bridge nobody keeps dies with ngctl's socket; a persistent one stays. */
	cr_assert_eq(ng(m, "mkpeer bridge b link0", &err), 0);
	cr_expect_neq(ng(m, "msg [2]: setpersistent", &err), 0, "the bridge outlived ngctl");
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_expect_eq(ng(m, "mkpeer ngeth0: bridge ether link0", &err), 0, "%s", err.msg);
	cr_expect_eq(ng(m, "name ngeth0:ether br", &err), 0, "%s", err.msg);
	cr_expect_neq(ng(m, "connect ngeth0: br: ether link1", &err), 0, "a hook took two peers");
	cr_expect_not_null(strstr(err.msg, "File exists"), "%s", err.msg);
	cr_expect_neq(ng(m, "mkpeer br: bridge p0 link0", &err), 0, "ng_bridge took hook p0");
	cr_expect_neq(ng(m, "mkpeer br: router link1 x", &err), 0);
	cr_expect_not_null(strstr(err.msg, "router: No such file"), "%s", err.msg);
	cr_expect_neq(ng(m, "shutdown nosuch:", &err), 0);
	cr_expect_eq(ng(m, "shutdown br:", &err), 0);
	struct vl_topo *t = topology(m);
	cr_expect_eq(vl_topo_find_node(t, "br"), -1, "shut down, still in the topology");
	vl_topo_free(t);
	json_object_put(m);
}

Test(vimage, ifconfig_rules)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "n1", "one", &err), 0);
	cr_expect_neq(vl_vimage_jail_create(m, "host", NULL, &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_expect_neq(ifc(m, "n1", "ngeth0 name eth0", &err), 0, "an interface not yet moved in");
	cr_assert_eq(ifc(m, "host", "ngeth0 vnet n1", &err), 0);
	cr_expect_neq(ifc(m, "n1", "ngeth0 vnet n1", &err), 0, "a jail moved an interface");
	cr_assert_eq(ifc(m, "n1", "ngeth0 name eth0", &err), 0);
	/* 10/8 by class; then a /24 replaces it; alias adds; inet6 adds. */
	cr_assert_eq(ifc(m, "n1", "eth0 10.1.2.3", &err), 0);
	cr_assert_eq(ifc(m, "n1", "eth0 inet 10.1.2.4 netmask 255.255.255.0", &err), 0);
	cr_assert_eq(ifc(m, "n1", "eth0 inet 10.1.2.5/24 alias", &err), 0);
	cr_assert_eq(ifc(m, "n1", "eth0 inet6 2001:db8::1", &err), 0);
	cr_expect_neq(ifc(m, "n1", "eth0 link zz:zz", &err), 0);
	struct vl_topo *t = topology(m);
	const struct vl_node *n = &t->nodes[vl_topo_find_node(t, "n1")];
	cr_assert_eq(n->n_ifaces, 1);
	cr_expect_str_eq(n->ifaces[0].name, "eth0");
	cr_expect_str_eq(n->hostname, "one");
	cr_expect_eq(n->ifaces[0].n_addrs, 3);
	cr_expect_eq(n->ifaces[0].addrs[0].ip.plen, 24);
	cr_expect_eq(n->ifaces[0].addrs[2].ip.plen, 64);
	vl_topo_free(t);
	/* A jail removed gives its interfaces back to the host. */
	cr_assert_eq(vl_vimage_jail_remove(m, "n1", NULL, &err), 0);
	t = topology(m);
	cr_expect_geq(vl_node_find_iface(&t->nodes[vl_topo_find_node(t, "host")], "eth0"), 0);
	vl_topo_free(t);
	json_object_put(m);
}

/* Found by the verbs fuzzer: the model took what the loader refuses. */
Test(vimage, model_refuses_what_no_lab_could_hold)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "n1", NULL, &err), 0);
	cr_expect_neq(vl_vimage_jail_create(m, "ng4", NULL, &err), 0, "ngN is reserved");
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	/* One address on two interfaces of one vnet: EEXIST, as on FreeBSD. */
	cr_assert_eq(ifc(m, "host", "ngeth0 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(ifc(m, "host", "ngeth1 inet 192.0.2.1/24", &err), 0);
	cr_expect(strstr(err.msg, "File exists"), "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(ifc(m, "host", "ngeth1 link 01:00:00:00:00:01", &err), 0, "multicast MAC");
	/* Moving to another vnet purges addresses (if_vmove), so the address
	 * is free again on the host. */
	vl_err_init(&err);
	cr_assert_eq(ifc(m, "host", "ngeth0 vnet n1", &err), 0, "%s", err.msg);
	cr_expect_eq(ifc(m, "host", "ngeth1 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(ng(m, "mkpeer ngeth1: bridge ether link1234567890123", &err), 0,
		      "a hook longer than an interface name");
	cr_expect(strstr(err.msg, "Invalid argument"), "%s", err.msg);
	vl_err_init(&err);
	cr_expect_eq(ng(m, "mkpeer ngeth1: bridge ether link12", &err), 0, "%s", err.msg);
	char *yaml = vl_vimage_topology(m);
	struct vl_topo *t = NULL;
	vl_err_init(&err);
	cr_expect_eq(vl_topo_load_buffer("v.yaml", yaml, strlen(yaml), &t, &err), 0, "%s\n%s",
		     err.msg, yaml);
	vl_topo_free(t);
	free(yaml);
	json_object_put(m);
}

/* FreeBSD allows one address in two jails on one bridge; a lab does not.
 * vl_vimage_check says so, and the verbs refuse such a change before
 * saving it (found by the verbs fuzzer). */
Test(vimage, check_refuses_a_model_no_lab_can_be)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "n1", NULL, &err), 0);
	cr_assert_eq(vl_vimage_jail_create(m, "n2", NULL, &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ifc(m, "host", "ngeth0 vnet n1", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "ngeth1 vnet n2", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer ngeth0: bridge ether link0", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "name ngeth0:ether br0", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "connect br0: ngeth1: link1 ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "n1", "ngeth0 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "n2", "ngeth1 inet 192.0.2.2/24", &err), 0, "%s", err.msg);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "n2", "ngeth1 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(vl_vimage_check(m, &err), 0);
	cr_expect(strstr(err.msg, "192.0.2.1 is also on n1:ngeth0 in the same L2 segment"), "%s",
		  err.msg);
	json_object_put(m);
}

/* The model as text, to see that a refused command left it as it was. */
static char *text(struct json_object *m)
{
	return strdup(json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY));
}

/* The model's text equals `was` (a refused command changed nothing). */
#define expect_same_text(m, was, ...)                                                   \
	do {                                                                           \
		char *now_ = text(m);                                                  \
		cr_expect_str_eq(now_, was, __VA_ARGS__);                              \
		free(now_);                                                            \
	} while (0)

/* An interface of node `node` in the model's topology: its index, or -1. */
static long iface_in(struct json_object *m, const char *node, const char *ifname,
		     size_t *n_addrs)
{
	struct vl_topo *t = topology(m);
	long ni = vl_topo_find_node(t, node);
	cr_assert_geq(ni, 0, "no node %s", node);
	long fi = vl_node_find_iface(&t->nodes[ni], ifname);
	if (fi >= 0 && n_addrs)
		*n_addrs = t->nodes[ni].ifaces[fi].n_addrs;
	vl_topo_free(t);
	return fi;
}

/* The talk's two jails, each with an eiface renamed eth0 and addressed. */
static struct json_object *two_jails_with_eth0(void)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "j1", NULL, &err), 0);
	cr_assert_eq(vl_vimage_jail_create(m, "j2", NULL, &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ifc(m, "host", "ngeth0 vnet j1", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "ngeth1 vnet j2", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer em0: bridge upper link0", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "name em0:upper bridge", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "connect ngeth0: bridge: ether link2", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "connect ngeth1: bridge: ether link3", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "j1", "ngeth0 name eth0", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "j1", "eth0 192.168.0.123", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "j2", "ngeth1 name eth0", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "j2", "eth0 192.168.0.124", &err), 0, "%s", err.msg);
	cr_assert_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	return m;
}

/* Issue 14 item 1: after `jail -r j1` the host had j1's eth0, and j2's
 * eth0 could never come home ("duplicate key 'eth0'"): j2 stayed for good. */
Test(vimage, removed_jails_return_interfaces_under_names_that_cannot_clash)
{
	struct json_object *m = two_jails_with_eth0();
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_remove(m, "j1", NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	size_t na = 99;
	cr_expect_geq(iface_in(m, "host", "eth0", &na), 0, "j1's eth0 keeps its name at home");
	cr_expect_eq(na, 0, "j1's address came home with eth0 (if_vmove purges them)");
	char *notes = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&notes, &len);
	cr_assert_eq(vl_vimage_jail_remove(m, "j2", out, &err), 0, "%s", err.msg);
	fclose(out);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "j2's removal left a model no lab can be: %s",
		     err.msg);
	cr_expect_geq(iface_in(m, "host", "ngeth1", &na), 0, "j2's eth0 is not back as ngeth1");
	cr_expect_eq(na, 0);
	cr_expect_geq(iface_in(m, "host", "eth0", NULL), 0);
	cr_expect(strstr(notes, "j2: its eth0 is back on the host as ngeth1"), "%s", notes);
	free(notes);
	cr_expect(!vl_vimage_has_jail(m, "j1") && !vl_vimage_has_jail(m, "j2"));
	cr_expect_neq(vl_vimage_jail_remove(m, "j2", NULL, &err), 0, "removed twice");
	cr_expect(strstr(err.msg, "jail: \"j2\" not found"), "%s", err.msg);
	json_object_put(m);
}

/* A name taken twice over (the host renamed another interface to the
 * returning one's birth name) still finds a free one: the driver's lowest. */
Test(vimage, a_returning_interface_whose_birth_name_is_taken_takes_a_free_one)
{
	struct json_object *m = two_jails_with_eth0();
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0, "%s", err.msg); /* ngeth2 */
	cr_assert_eq(ifc(m, "host", "ngeth2 name eth0", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0, "%s", err.msg); /* ngeth3 */
	cr_assert_eq(ifc(m, "host", "ngeth3 name ngeth0", &err), 0, "%s", err.msg);
	cr_assert_eq(vl_vimage_jail_remove(m, "j1", NULL, &err), 0, "%s", err.msg);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	/* eth0 and ngeth0 are taken, ngeth1 is j2's unit but no name here. */
	cr_expect_geq(iface_in(m, "host", "ngeth1", NULL), 0, "%s", vl_vimage_topology(m));
	/* em0 moved into a jail comes home as em0, or em1 when em0 was taken. */
	cr_assert_eq(ifc(m, "host", "em0 vnet j2", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "eth0 name em0", &err), 0, "%s", err.msg);
	cr_assert_eq(vl_vimage_jail_remove(m, "j2", NULL, &err), 0, "%s", err.msg);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	cr_expect_geq(iface_in(m, "host", "em1", NULL), 0);
	json_object_put(m);
}

/* FreeBSD refuses `ifconfig IF vnet J` when J has an IF (if_vmove_loan);
 * for -vnet it does not, and a second one would follow: vnetlab refuses. */
Test(vimage, moving_an_interface_where_its_name_is_taken_is_refused)
{
	struct json_object *m = two_jails_with_eth0();
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "ngeth2 name eth0", &err), 0, "%s", err.msg);
	char *was = text(m);
	cr_expect_neq(ifc(m, "host", "eth0 vnet j1", &err), 0, "two eth0 in j1");
	cr_expect(strstr(err.msg, "SIOCSIFVNET: File exists"), "%s", err.msg);
	cr_expect_neq(ifc(m, "host", "eth0 -vnet j1", &err), 0, "two eth0 on the host");
	cr_expect(strstr(err.msg, "SIOCSIFRVNET: File exists"), "%s", err.msg);
	expect_same_text(m, was, "a refused move changed the model");
	free(was);
	/* Moved: down and without addresses in the new vnet. */
	cr_assert_eq(ifc(m, "host", "eth0 name eth9", &err), 0, "%s", err.msg);
	cr_assert_eq(ifc(m, "host", "eth0 -vnet j1", &err), 0, "%s", err.msg);
	size_t na = 99;
	cr_expect_geq(iface_in(m, "host", "eth0", &na), 0);
	cr_expect_eq(na, 0);
	json_object_put(m);
}

/* Every node can be shut down; em0 (ng_ether) keeps its node and loses
 * its hooks, as ng_ether(4) says.  Then nothing of the graph is left. */
Test(vimage, every_node_can_be_shut_down)
{
	struct json_object *m = two_jails_with_eth0();
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_eq(ng(m, "shutdown em0:", &err), 0, "%s", err.msg);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	cr_expect_eq(ng(m, "shutdown bridge:", &err), 0, "%s", err.msg);
	cr_expect_eq(ng(m, "shutdown [2]:", &err), 0, "%s", err.msg);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	cr_expect_lt(iface_in(m, "j1", "eth0", NULL), 0, "shut down, still in j1");
	cr_expect_eq(ng(m, "shutdown [3]:", &err), 0, "%s", err.msg);
	cr_assert_eq(vl_vimage_jail_remove(m, "j1", NULL, &err), 0);
	cr_assert_eq(vl_vimage_jail_remove(m, "j2", NULL, &err), 0);
	struct json_object *nodes = json_object_object_get(m, "nodes");
	cr_expect_eq(json_object_array_length(nodes), 1, "%s", text(m));
	cr_expect_eq(json_object_object_length(json_object_object_get(
			     json_object_array_get_idx(nodes, 0), "hooks")), 0);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	json_object_put(m);
}

/* Issue 14 item 2: what the kernel refuses (and what FreeBSD does not let
 * an interface own) is refused by the model, which stays as it was; before,
 * it was kept and the next build of the lab failed. */
Test(vimage, ifconfig_refuses_what_no_interface_may_have)
{
	struct json_object *m = two_jails_with_eth0();
	struct vl_err err;
	vl_err_init(&err);
	static const struct {
		const char *line, *says;
	} refused[] = {
		{"eth0 link 00:00:00:00:00:00", "SIOCSIFLLADDR): Can't assign requested address"},
		{"eth0 ether 01:02:03:04:05:06", "SIOCSIFLLADDR): Invalid argument"},
		{"eth0 inet6 ::1/128", "SIOCAIFADDR_IN6): Can't assign requested address (::1 is "
				       "the loopback address"},
		{"eth0 inet6 ff02::1/64", "SIOCAIFADDR_IN6): Can't assign requested address "
					  "(ff02::1 is a multicast group"},
		{"eth0 inet6 ::/64", "the unspecified address"},
		{"eth0 inet 127.0.0.5/8 alias", "SIOCAIFADDR): Can't assign requested address "
						"(127.0.0.5 is a loopback address"},
		{"eth0 inet localhost", "127.0.0.1 is a loopback address"},
		{"eth0 224.0.0.9/24", "224.0.0.9 is a multicast group"},
		{"eth0 0.0.0.0/8", "0.0.0.0/8"},
		{"eth0 255.255.255.255/32", "reserved"},
		{"eth0 name lo0", "SIOCSIFNAME (set name): File exists"},
		{"eth0 name lo", "loopback"},
		{"eth0 mtu 1000 inet6 2001:db8::1/64", "IPv6 needs 1280"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char *was = text(m);
		vl_err_init(&err);
		cr_expect_neq(ifc(m, "j1", refused[i].line, &err), 0, "taken: %s", refused[i].line);
		cr_expect(strstr(err.msg, refused[i].says), "%s: %s", refused[i].line, err.msg);
		/* The CLI keeps the model of a refused command; here the
		 * refusal must come before any change the command made. */
		if (strncmp(refused[i].line, "eth0 mtu", 8))
			expect_same_text(m, was, "%s changed the model", refused[i].line);
		free(was);
		json_object_put(m);
		m = two_jails_with_eth0();
	}
	/* And the other way round: an MTU IPv6 cannot live under. */
	cr_assert_eq(ifc(m, "j1", "eth0 inet6 2001:db8::1/64", &err), 0, "%s", err.msg);
	cr_expect_neq(ifc(m, "j1", "eth0 mtu 1000", &err), 0);
	cr_expect(strstr(err.msg, "IPv6 addresses, which need an MTU of 1280"), "%s", err.msg);
	cr_expect_eq(ifc(m, "j1", "eth0 mtu 1280", &err), 0, "%s", err.msg);
	/* Removing such an address is never refused; a link-local is fine. */
	cr_expect_eq(ifc(m, "j1", "eth0 inet6 fe80::1/64 alias", &err), 0, "%s", err.msg);
	json_object_put(m);
}

/* ng_eiface(4): "New nodes always take the first unused interface". */
Test(vimage, a_new_eiface_takes_the_lowest_free_unit)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_assert_eq(ng(m, "shutdown ngeth1:", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_expect_geq(iface_in(m, "host", "ngeth1", NULL), 0, "unit 1 was free");
	/* A unit whose name the host has (renamed to it) is skipped. */
	cr_assert_eq(ifc(m, "host", "ngeth0 name ngeth3", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0);
	cr_expect_geq(iface_in(m, "host", "ngeth4", NULL), 0, "%s", vl_vimage_topology(m));
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	json_object_put(m);
}

static int collect(const char *lab, const char *path, void *arg)
{
	char *buf = arg;
	snprintf(buf + strlen(buf), 256 - strlen(buf), "%s=%s;", lab, strrchr(path, '/') + 1);
	return 0;
}

/* The models of a state root, for ls, down and cleanup. */
Test(vimage, models_of_a_state_root)
{
	char dir[] = "/tmp/vl-vimage-models-XXXXXX", p[128], got[256] = "";
	cr_assert_not_null(mkdtemp(dir));
	static const char *const files[] = {".vimage-b.json", ".vimage-a.json",
					    ".vimage-a.json.lock", ".vimage-a.yaml",
					    ".vimage-.json", ".vimage-b/c.json", "x.json"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
	}
	cr_expect_eq(vl_vimage_models(dir, collect, got), 0);
	cr_expect_str_eq(got, "a=.vimage-a.json;b=.vimage-b.json;");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	cr_expect_eq(vl_vimage_models("/nonexistent/vl", collect, got), 0);
}

/* ---- ngctl's socket node and netgraph paths --------------------------------------- */

/* One command of an ngctl invocation that goes on (no vl_vimage_ngctl_done):
 * its output in out (may be NULL). */
static int ngc(struct json_object *m, const char *line, char *out, size_t len,
	       struct vl_err *err)
{
	char buf[256], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 0;
	for (char *s, *t = strtok_r(buf, " ", &s); t && n < 16; t = strtok_r(NULL, " ", &s))
		w[n++] = t;
	bool changed = false;
	vl_err_init(err);
	char *said = NULL;
	size_t sl = 0;
	FILE *f = open_memstream(&said, &sl);
	int rc = vl_vimage_ngctl(m, n, w, f, &changed, err);
	fclose(f);
	if (out)
		snprintf(out, len, "%s", said);
	free(said);
	return rc;
}

/* A script, as `ngctl -f`: one invocation, stopped at the first refusal;
 * rc of that line, else 0. */
static int script(struct json_object *m, const char *lines, struct vl_err *err)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", lines);
	int rc = 0;
	for (char *s, *l = strtok_r(buf, "\n", &s); l && rc == 0; l = strtok_r(NULL, "\n", &s))
		rc = ngc(m, l, NULL, 0, err);
	vl_vimage_ngctl_done(m);
	return rc;
}

/* The ID of the node a path names (`show PATH` in the invocation going
 * on), or the error. */
static long at(struct json_object *m, const char *path)
{
	char line[128], out[4096];
	struct vl_err err;
	snprintf(line, sizeof(line), "show %s", path);
	int rc = ngc(m, line, out, sizeof(out), &err);
	if (rc < 0)
		return rc;
	unsigned id = 0;
	const char *p = strstr(out, "ID: ");
	return p && sscanf(p, "ID: %x", &id) == 1 ? (long)id : -1000;
}

/* How many hooks the node at path has, or the error. */
static int hooks_at(struct json_object *m, const char *path)
{
	char line[128], out[4096];
	struct vl_err err;
	snprintf(line, sizeof(line), "show %s", path);
	int rc = ngc(m, line, out, sizeof(out), &err), n = -1;
	if (rc < 0)
		return rc;
	const char *p = strstr(out, "Num hooks: ");
	return p && sscanf(p, "Num hooks: %d", &n) == 1 ? n : -1000;
}

/* What vnetlab's FreeBSD backend writes (plan --backend freebsd): a node
 * made from the socket is named through the socket's hook, which is then
 * let go of (ngctl(8); netgraph(4): ".:tmp" is the peer of the local
 * node's hook tmp). */
Test(vimage, a_node_is_named_through_the_sockets_hook)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	cr_assert_eq(script(m, "mkpeer eiface tmp ether\nname .:tmp h1_eth0\nrmhook tmp", &err),
		     0, "%s", err.msg);
	cr_expect_eq(at(m, "h1_eth0:"), 2, "the eiface, named");
	cr_expect_eq(hooks_at(m, "h1_eth0:"), 0, "the socket's hook outlived rmhook");
	cr_expect_geq(iface_in(m, "host", "ngeth0", NULL), 0, "the eiface is gone");
	/* The same for the backend's bridge: persistent before the hook goes. */
	cr_assert_eq(script(m, "mkpeer bridge tmp link0\nname .:tmp bridge\n"
			    "msg bridge: setpersistent\nrmhook tmp\n"
			    "connect h1_eth0: bridge: ether link2", &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "bridge:"), 3);
	cr_expect_eq(at(m, "h1_eth0:ether"), 3);
	struct vl_topo *t = topology(m);
	cr_expect_geq(vl_topo_find_node(t, "bridge"), 0);
	vl_topo_free(t);
	vl_vimage_ngctl_done(m);
	json_object_put(m);
}

/* The socket's hooks last one invocation: what only they held goes with
 * them (a bridge, unless persistent; an eiface stays); within the
 * invocation a bridge whose last hook goes dies at once (ng_bridge(4)). */
Test(vimage, the_sockets_hooks_last_one_invocation)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	char out[4096];
	cr_assert_eq(ngc(m, "mkpeer eiface tmp ether", NULL, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(ngc(m, "mkpeer bridge b link0", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(hooks_at(m, "."), 2, "the socket's hooks");
	cr_expect_eq(at(m, "tmp"), 2);
	cr_expect_eq(at(m, "b"), 3);
	cr_expect_eq(hooks_at(m, "b"), 1, "the bridge's hook to the socket");
	cr_assert_eq(ngc(m, "list", out, sizeof(out), &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "Type: socket          ID: 7fffffff   Num hooks: 2\n"), "%s", out);
	cr_assert_eq(ngc(m, "show tmp", out, sizeof(out), &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "  ether           ngctl"), "%s", out);
	cr_expect(strstr(out, "socket       7fffffff          tmp"), "%s", out);
	vl_vimage_ngctl_done(m);
	cr_expect_null(json_object_object_get(m, "socket"), "the socket node was saved");
	cr_expect_eq(hooks_at(m, "ngeth0:"), 0, "a hook to a socket that is gone");
	cr_expect_eq(at(m, "[3]:"), -ENOENT, "the bridge outlived ngctl");
	cr_expect_eq(at(m, ".:tmp"), -ENOENT, "a hook outlived its socket");
	vl_vimage_ngctl_done(m);
	/* A hook of the socket is taken until ngctl exits (ng_base's
	 * ng_add_hook: EEXIST), so the same mkpeer twice in one script fails. */
	cr_expect_eq(script(m, "mkpeer eiface ether ether\nmkpeer eiface ether ether", &err),
		     -EEXIST);
	cr_expect(strstr(err.msg, "File exists (ngctl's own node \".\" has a hook ether"), "%s",
		  err.msg);
	cr_expect_eq(script(m, "mkpeer eiface ether ether\nrmhook ether\n"
			    "mkpeer eiface ether ether", &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "ngeth3:"), 6, "ngeth1, ngeth2 and ngeth3 (6) made");
	vl_vimage_ngctl_done(m);
	/* Let go of within the script, the bridge dies there and then. */
	cr_expect_eq(script(m, "mkpeer bridge b link0\nname .:b br\nrmhook b\nshow br:", &err),
		     -ENOENT);
	cr_expect_str_eq(err.msg, "br:: No such file or directory");
	json_object_put(m);
}

/* Paths as netgraph(4) has them: NODE: (a name, [ID] or "."), then hooks
 * separated by '.'; without NODE, hooks from the socket node. */
Test(vimage, paths_follow_netgraph_addressing)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	/* ngeth0 (2) -ether/link0- br (3) -link1/left- tee (4) -right/ether- ngeth1 (5) */
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer ngeth0: bridge ether link0", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "name ngeth0:ether br", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer br: tee link1 left", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "mkpeer eiface ether ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ng(m, "connect [4]: ngeth1: right ether", &err), 0, "%s", err.msg);
	cr_assert_eq(ngc(m, "connect . br: s link7", NULL, 0, &err), 0, "%s", err.msg);
	static const struct {
		const char *path;
		long id;
	} paths[] = {
		{"br:", 3}, {"[3]:", 3}, {"[03]:", 3}, {"ngeth0:", 2}, {"br:link1", 4},
		{"ngeth0:ether.link1", 4}, {"ngeth0:ether.link1.right", 5},
		{"[2]:ether.link1.right.ether.right", 5}, {"br:link1.", 4}, {"br:.link1", 4},
		{"s", 3}, {".:s", 3}, {".s.", 3}, {"s.link1", 4}, {".:s.link1.right", 5},
		{".", 0x7fffffff}, {".:", 0x7fffffff}, {"[7fffffff]:", 0x7fffffff},
		{"s.link7", 0x7fffffff}, {"br:link0.ether.link7", 0x7fffffff},
		/* ng_path_parse refuses these */
		{"s..link1", -EINVAL}, {":s", -EINVAL}, {"a.b:", -EINVAL}, {"br:link1:x", -EINVAL},
		/* and ng_path2noderef finds nothing at these */
		{"br:nosuch", -ENOENT}, {"br:link1.nosuch", -ENOENT}, {"[0]:", -ENOENT},
		{"[3x]:", -ENOENT}, {"nosuch:", -ENOENT}, {"[3]", -ENOENT}, {"br", -ENOENT},
		{"<unnamed>:", -ENOENT},
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		cr_expect_eq(at(m, paths[i].path), paths[i].id, "%s: %ld, not %ld", paths[i].path,
			     at(m, paths[i].path), paths[i].id);
	/* The socket goes by its name too. */
	char name[64];
	snprintf(name, sizeof(name), "ngctl%d:", (int)getpid());
	cr_expect_eq(at(m, name), 0x7fffffff, "%s", name);
	vl_vimage_ngctl_done(m);
	cr_expect_eq(at(m, "br:link7"), -ENOENT, "a hook outlived its socket");
	vl_vimage_ngctl_done(m);
	json_object_put(m);
}

/* Every command that takes a path takes all of them. */
Test(vimage, every_command_resolves_paths)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	char out[4096];
	/* mkpeer and msg through the socket's hook */
	cr_assert_eq(ngc(m, "mkpeer bridge b link0", NULL, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(ngc(m, "msg .:b setpersistent", NULL, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(ngc(m, "mkpeer b eiface link1 ether", NULL, 0, &err), 0, "%s", err.msg);
	cr_assert_eq(ngc(m, "msg b.link1 getifname", out, sizeof(out), &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "\"ngeth0\""), "%s", out);
	cr_assert_eq(ngc(m, "mkpeer .:b tee link2 left", NULL, 0, &err), 0, "%s", err.msg);
	/* connect: relpath from the node at path ("left" of the tee is br) */
	cr_assert_eq(ngc(m, "connect b.link2 left right link3", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "b.link3"), 4);
	cr_expect_eq(at(m, "[4]:right"), 2);
	cr_expect_eq(ngc(m, "connect [4]: . left2right right2left", NULL, 0, &err), 0,
		     "\".\" in relpath is the node at path: %s", err.msg);
	cr_expect_eq(at(m, "[4]:left2right"), 4);
	cr_expect_eq(ngc(m, "connect [4]: nosuch left2right link9", NULL, 0, &err), -ENOENT);
	/* rmhook, name and shutdown by path */
	cr_assert_eq(ngc(m, "rmhook b.link2 left2right", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "[4]:right2left"), -ENOENT, "rmhook cut one end only");
	cr_assert_eq(ngc(m, "name b.link1 e0", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "e0:"), 3);
	cr_assert_eq(ngc(m, "shutdown .:b.link3", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "[4]:"), -ENOENT);
	/* The socket itself: named, its hooks cut by rmhook with or without
	 * a path; shut down, never (it goes when ngctl exits). */
	cr_expect_neq(ngc(m, "shutdown .", NULL, 0, &err), 0);
	cr_assert_eq(ngc(m, "name . mine", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "mine:b"), 2);
	cr_expect_eq(ngc(m, "name e0: mine", NULL, 0, &err), -EEXIST);
	cr_assert_eq(ngc(m, "mkpeer eiface tmp ether", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "tmp"), 5);
	cr_assert_eq(ngc(m, "rmhook tmp", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(at(m, "tmp"), -ENOENT, "rmhook tmp left the socket's hook");
	cr_expect_eq(hooks_at(m, "[5]:"), 0);
	cr_assert_eq(ngc(m, "rmhook mine: b", NULL, 0, &err), 0, "%s", err.msg);
	cr_expect_eq(hooks_at(m, "."), 0);
	cr_expect_eq(hooks_at(m, "br:"), -ENOENT);
	cr_expect_eq(hooks_at(m, "[2]:"), 1, "the persistent bridge keeps e0");
	/* A hook name a path could not take is no hook's (netgraph(4)). */
	cr_expect_eq(ngc(m, "mkpeer [2]: hub link4 a.b", NULL, 0, &err), -EINVAL);
	cr_expect_eq(ngc(m, "mkpeer tee x:y left", NULL, 0, &err), -EINVAL);
	vl_vimage_ngctl_done(m);
	cr_expect_eq(vl_vimage_check(m, &err), 0, "%s", err.msg);
	json_object_put(m);
}

/* ngctl list names nodes, not interfaces: two eifaces renamed eth0 in two
 * jails are still ngeth0 and ngeth1 to netgraph, never two "eth0" (issue
 * 14, low), and each answers to that name. */
Test(vimage, list_shows_netgraph_names_not_interface_names)
{
	struct json_object *m = two_jails_with_eth0();
	char *said = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&said, &len);
	char *w[] = {"list"};
	bool changed = false;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_ngctl(m, 1, w, out, &changed, &err), 0, "%s", err.msg);
	vl_vimage_ngctl_done(m);
	fclose(out);
	cr_expect(strstr(said, "Name: ngeth0 "), "%s", said);
	cr_expect(strstr(said, "Name: ngeth1 "), "%s", said);
	cr_expect_null(strstr(said, "Name: eth0 "), "%s", said);
	free(said);
	cr_expect_eq(ng(m, "show ngeth1:", &err), 0, "%s", err.msg);
	json_object_put(m);
}
