/* SPDX-License-Identifier: BSD-2-Clause */
/* doc.c — the model's topology as a document (vimage.h): what a running
 * lab's keeper is handed to become (its "apply" takes a file), and what
 * the tests read.  Made from the topology to_topo.c built and checked,
 * never from the model again. */
#include "vimage/vimage_int.h"

#include <stdlib.h>
#include <string.h>

#include "vnetlab/topo_json.h"

/* Every interface a vnet node declares, in the node's order (the
 * document leaves bare ones to their links, which may order them
 * otherwise). */
static void declare_ifaces(struct json_object *doc, const struct vl_topo *t)
{
	struct json_object *nodes = json_object_object_get(doc, "nodes");
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		if (!vl_kind_has(n->kind, VL_KF_STACK) || !n->n_ifaces)
			continue;
		struct json_object *o = json_object_object_get(nodes, n->name);
		struct json_object *had = json_object_object_get(o, "ifaces");
		struct json_object *ifs = json_object_new_object();
		for (size_t j = 0; j < n->n_ifaces; j++) {
			if (!n->ifaces[j].declared)
				continue;
			struct json_object *v = json_object_object_get(had, n->ifaces[j].name);
			json_object_object_add(ifs, n->ifaces[j].name,
					       v ? json_object_get(v) : json_object_new_object());
		}
		json_object_object_add(o, "ifaces", ifs);
	}
}

/* The pipe node link l stands for, its parameters its own. */
static struct json_object *pipe_node(const struct vl_link *l)
{
	static const char *const impls[] = {"auto", "kernel", "userspace"};
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string("pipe"));
	if (l->impl != VL_IMPL_AUTO)
		json_object_object_add(o, "impl", json_object_new_string(impls[l->impl]));
	if (l->dir[0].set)
		json_object_object_add(o, "downstream", vl_impair_to_json(&l->dir[0]));
	if (l->dir[1].set)
		json_object_object_add(o, "upstream", vl_impair_to_json(&l->dir[1]));
	return o;
}

static struct json_object *plain_link(const char *a, const char *z)
{
	struct json_object *o = json_object_new_object(), *eps = json_object_new_array();
	json_object_array_add(eps, json_object_new_string(a));
	json_object_array_add(eps, json_object_new_string(z));
	json_object_object_add(o, "endpoints", eps);
	return o;
}

/* Each link that stands for a pipe (vl_link.via) back as that pipe node
 * between the link's ends, its upper hook to ep[0] as the loader folds
 * it: the lab keeps the pipes' names (state.json's "via"). */
static void unfold_pipes(struct json_object *doc, const struct vl_topo *t)
{
	struct json_object *nodes = json_object_object_get(doc, "nodes");
	struct json_object *had = json_object_object_get(doc, "links");
	struct json_object *links = json_object_new_array();
	for (size_t i = 0; i < t->n_links; i++) {
		const struct vl_link *l = &t->links[i];
		if (!l->via[0]) {
			struct json_object *same = json_object_array_get_idx(had, i);
			json_object_array_add(links, json_object_get(same));
			continue;
		}
		char a[2 * VL_NAME_MAX + 2], z[2 * VL_NAME_MAX + 2], up[32], lo[32];
		vl_endpoint_name(t, &l->ep[0], a, sizeof(a));
		vl_endpoint_name(t, &l->ep[1], z, sizeof(z));
		snprintf(up, sizeof(up), "%s:upper", l->via);
		snprintf(lo, sizeof(lo), "%s:lower", l->via);
		json_object_object_add(nodes, l->via, pipe_node(l));
		json_object_array_add(links, plain_link(a, up));
		json_object_array_add(links, plain_link(lo, z));
	}
	json_object_object_add(doc, "links", links);
}

char *vl_vimage_topo_text(const struct vl_topo *t)
{
	struct json_object *doc = vl_topo_to_json(t);
	if (!doc)
		return NULL;
	declare_ifaces(doc, t);
	unfold_pipes(doc, t);
	char *text = vl_topo_json_text(doc);
	json_object_put(doc);
	return text;
}

char *vl_vimage_topology(struct json_object *m)
{
	struct vl_topo *t;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_vimage_topo(m, NULL, &t, &err) < 0)
		return NULL;
	char *text = vl_vimage_topo_text(t);
	vl_topo_free(t);
	return text;
}
