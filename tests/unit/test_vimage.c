/* The jails/netgraph model: what ngctl and ifconfig do to it, and the
 * topology it becomes. */
#include <criterion/criterion.h>
#include <string.h>

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
	cr_assert_eq(vl_vimage_jail_remove(m, "n1", &err), 0);
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
