/* The jails/netgraph model: what ngctl and ifconfig do to it, and the
 * topology it becomes. */
#include <criterion/criterion.h>
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
