/* SPDX-License-Identifier: BSD-2-Clause */
/* The model made a topology directly (vl_vimage_topo): held to a file's
 * rules, its refusals naming what the user made, and its document
 * loading back into the same lab. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/topo.h"
#include "vnetlab/vimage.h"

static int run(struct json_object *m, const char *where, const char *line, struct vl_err *err)
{
	char buf[256], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 0;
	for (char *s, *t = strtok_r(buf, " ", &s); t && n < 16; t = strtok_r(NULL, " ", &s))
		w[n++] = t;
	bool changed = false;
	struct json_object *i;
	vl_err_init(err);
	FILE *out = fopen("/dev/null", "w");
	int rc = where ? vl_vimage_ifconfig(m, where, n, w, out, &changed, &i, err)
		       : vl_vimage_ngctl(m, n, w, out, &changed, err);
	fclose(out);
	if (!where)
		vl_vimage_ngctl_done(m);
	return rc;
}

/* Two jails, an eiface in each, on one bridge br0: the talk's shape. */
static struct json_object *on_a_bridge(void)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_vimage_jail_create(m, "n1", NULL, &err), 0);
	cr_assert_eq(vl_vimage_jail_create(m, "n2", NULL, &err), 0);
	static const char *const ng[] = {"mkpeer eiface ether ether", "mkpeer eiface ether ether",
					 "mkpeer ngeth0: bridge ether link0",
					 "name ngeth0:ether br0", "connect br0: ngeth1: link1 ether"};
	for (size_t i = 0; i < sizeof(ng) / sizeof(ng[0]); i++)
		cr_assert_eq(run(m, NULL, ng[i], &err), 0, "%s: %s", ng[i], err.msg);
	cr_assert_eq(run(m, "host", "ngeth0 vnet n1", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, "host", "ngeth1 vnet n2", &err), 0, "%s", err.msg);
	return m;
}

/* A refusal names the command that made the element, not a line of text
 * the user never saw. */
Test(vimage_topo, refusals_name_what_the_user_made)
{
	struct json_object *m = on_a_bridge();
	struct vl_err err;
	cr_assert_eq(run(m, "n1", "ngeth0 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, "n2", "ngeth1 inet 192.0.2.1/24", &err), 0, "%s", err.msg);
	struct vl_topo *t = NULL;
	vl_err_init(&err);
	cr_expect_eq(vl_vimage_topo(m, NULL, &t, &err), -EINVAL);
	cr_expect_null(t);
	cr_expect_str_eq(err.msg, "jexec n2 ifconfig ngeth1 inet 192.0.2.1/24: error: address "
				  "192.0.2.1 is also on n1:ngeth0 in the same L2 segment");
	json_object_put(m);

	/* A wire the lab cannot hold names the connect that made it. */
	m = on_a_bridge();
	cr_assert_eq(run(m, NULL, "connect br0: br0: link2 link3", &err), 0, "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(vl_vimage_check(m, &err), 0);
	cr_expect(strstr(err.msg, "ngctl connect br0: br0: link2 link3: error: a link from "
			 "bridge 'br0' to itself makes a loop"), "%s", err.msg);
	json_object_put(m);
}

/* What ng_pipe refuses to hold, named by the setcfg that said it. */
Test(vimage_topo, a_pipe_parameter_out_of_range_names_its_setcfg)
{
	struct json_object *m = on_a_bridge();
	struct vl_err err;
	cr_assert_eq(run(m, NULL, "shutdown br0:", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "mkpeer ngeth0: pipe ether upper", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "name ngeth0:ether p", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "connect p: ngeth1: lower ether", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "msg p: setcfg { duplicate=200 }", &err), 0, "%s", err.msg);
	vl_err_init(&err);
	cr_expect_neq(vl_vimage_check(m, &err), 0);
	cr_expect(strstr(err.msg, "ngctl msg p: setcfg duplicate=200: error: duplicate '200%'"),
		  "%s", err.msg);
	json_object_put(m);
}

/* A later setcfg changes a pipe, as on FreeBSD (the YAML the model used
 * to be written as refused a parameter given twice: a duplicate key). */
Test(vimage_topo, a_later_setcfg_changes_the_pipe)
{
	struct json_object *m = on_a_bridge();
	struct vl_err err;
	static const char *const ng[] = {"shutdown br0:", "mkpeer ngeth0: pipe ether upper",
					 "name ngeth0:ether p", "connect p: ngeth1: lower ether",
					 "msg p: setcfg { bandwidth=1000000 delay=100 }",
					 "msg p: setcfg { upstream={ bandwidth=3000000 } }",
					 "msg p: setcfg { downstream={ bandwidth=2000000 } }",
					 "msg p: setcfg { downstream={ bandwidth=2500000 } }"};
	for (size_t i = 0; i < sizeof(ng) / sizeof(ng[0]); i++)
		cr_assert_eq(run(m, NULL, ng[i], &err), 0, "%s: %s", ng[i], err.msg);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_vimage_topo(m, NULL, &t, &err), 0, "%s", err.msg);
	cr_assert_eq(t->n_links, 2, "the pipe's link, and em0's lone one");
	const struct vl_link *l = &t->links[0];
	cr_expect_str_eq(l->via, "p");
	cr_expect_eq(l->dir[0].v[VL_P_BANDWIDTH], 2500000, "the later downstream value");
	cr_expect_eq(l->dir[1].v[VL_P_BANDWIDTH], 3000000, "upstream's own value");
	cr_expect_eq(l->dir[0].v[VL_P_DELAY], 100000);
	cr_expect_eq(l->dir[1].v[VL_P_DELAY], 100000);
	vl_topo_free(t);
	json_object_put(m);
}

/* The document a running lab's keeper is handed loads into the lab the
 * direct build made: interfaces in their order, the pipe's name kept. */
Test(vimage_topo, the_document_loads_back_into_the_same_lab)
{
	struct json_object *m = on_a_bridge();
	struct vl_err err;
	cr_assert_eq(run(m, NULL, "mkpeer em0: pipe upper upper", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "connect em0:upper br0: lower link5", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, "host", "em0 inet 192.0.2.9/24", &err), 0, "%s", err.msg);
	cr_assert_eq(run(m, NULL, "mkpeer eiface ether ether", &err), 0, "%s", err.msg);
	struct vl_topo *t = NULL, *back = NULL;
	cr_assert_eq(vl_vimage_topo(m, "model.json", &t, &err), 0, "%s", err.msg);
	cr_expect_str_eq(t->file, "model.json");
	char *doc = vl_vimage_topo_text(t);
	cr_assert_not_null(doc);
	cr_assert_eq(vl_topo_load_buffer("doc", doc, strlen(doc), &back, &err), 0, "%s\n%s",
		     err.msg, doc);
	cr_assert_eq(back->n_nodes, t->n_nodes);
	cr_assert_eq(back->n_links, t->n_links);
	for (size_t i = 0; i < t->n_nodes; i++) {
		cr_expect_str_eq(back->nodes[i].name, t->nodes[i].name);
		if (t->nodes[i].kind != VL_KIND_VNET)
			continue;
		cr_assert_eq(back->nodes[i].n_ifaces, t->nodes[i].n_ifaces);
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++)
			cr_expect_str_eq(back->nodes[i].ifaces[j].name, t->nodes[i].ifaces[j].name);
	}
	for (size_t l = 0; l < t->n_links; l++) {
		char a[64], b[64];
		vl_link_name(t, l, a, sizeof(a));
		vl_link_name(back, l, b, sizeof(b));
		cr_expect_str_eq(b, a);
		cr_expect_str_eq(back->links[l].via, t->links[l].via);
	}
	free(doc);
	vl_topo_free(back);
	vl_topo_free(t);
	json_object_put(m);
}
