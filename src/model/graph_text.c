/* SPDX-License-Identifier: BSD-2-Clause */
/* graph_text.c — a topology as dot, Mermaid or the json document (see
 * graph_text.h, vnetlab/graph.h).  Every label is made once here as plain
 * text and then escaped for the format that carries it, so a hostname or
 * service name with quotes or backslashes can never end a string early. */
#include "model/graph_text.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What each kind looks like: the drawing's own table, one row per kind
 * (as each backend has its own), so the writers never ask which kind a
 * node is.  dot shapes, and Mermaid's brackets around a label. */
struct gr_look {
	const char *shape, *style, *fill;
	const char *mm_open, *mm_close;
};

static const struct gr_look looks[VL_KIND__COUNT] = {
	[VL_KIND_VNET] = {"box", "rounded,filled", "#dbe9f6", "[", "]"},
	[VL_KIND_BRIDGE] = {"box3d", "filled", "#e3f1dc", "[[", "]]"},
	[VL_KIND_HUB] = {"octagon", "filled", "#f6ecd2", "{{", "}}"},
	[VL_KIND_TEE] = {"invtriangle", "filled", "#eadcf2", "[/", "\\]"},
	[VL_KIND_PIPE] = {"cds", "filled", "#f6dcdc", "[/", "/]"},
};

static const char *const impl_names[] = {"auto", "kernel", "userspace"};

/* ---- a running lab's state (inspect --json), looked up by name ---- */

static struct json_object *get(const struct json_object *o, const char *key)
{
	return json_object_object_get(o, key);
}

static const char *get_str(const struct json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static size_t arr_len(const struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *state_node(const struct vl_graph_opts *o, const char *name)
{
	struct json_object *nodes = get(o->state, "nodes");
	for (size_t i = 0; i < arr_len(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		const char *s = get_str(n, "name");
		if (s && !strcmp(s, name))
			return n;
	}
	return NULL;
}

static bool same_end(struct json_object *eps, int i, const char *want)
{
	const char *s = json_object_get_string(json_object_array_get_idx(eps, i));
	return s && !strcmp(s, want);
}

/* Link l's entry: by index where the keeper kept the order (always, so
 * far), else by its ends, so a reordered document still matches. */
static struct json_object *state_link(const struct vl_topo *t, const struct vl_graph_opts *o,
				      size_t l)
{
	struct json_object *links = get(o->state, "links");
	char a[2 * VL_NAME_MAX + 2], b[2 * VL_NAME_MAX + 2];
	vl_endpoint_name(t, &t->links[l].ep[0], a, sizeof(a));
	vl_endpoint_name(t, &t->links[l].ep[1], b, sizeof(b));
	size_t n = arr_len(links);
	for (size_t k = 0; k < n; k++) {
		struct json_object *x = json_object_array_get_idx(links, (k + l) % n);
		struct json_object *eps = get(x, "endpoints");
		if (same_end(eps, 0, a) && same_end(eps, 1, b))
			return x;
	}
	return NULL;
}

static bool link_down(const struct vl_topo *t, const struct vl_graph_opts *o, size_t l)
{
	const char *s = o->state ? get_str(state_link(t, o, l), "state") : NULL;
	return s && !strcmp(s, "down");
}

/* ---- impairments: one direction as values with their carriers ---- */

struct gr_val {
	enum vl_param p;
	char value[40];
	const char *by; /* "tbf", "netem", "pipe"; NULL for a file */
};

struct gr_dir {
	struct gr_val v[VL_P__COUNT];
	int n;
};

static void dir_from_model(const struct vl_impair *im, struct gr_dir *d)
{
	d->n = 0;
	for (int p = 0; p < VL_P__COUNT; p++)
		if (vl_impair_has(im, (enum vl_param)p)) {
			struct gr_val *v = &d->v[d->n++];
			v->p = (enum vl_param)p;
			vl_param_format(v->p, im->v[p], v->value, sizeof(v->value));
			v->by = NULL;
		}
}

/* A running lab says what applies now (live edits included) and who
 * carries it; kept in parameter order, whatever the document's. */
static void dir_from_state(struct json_object *dj, struct gr_dir *d)
{
	d->n = 0;
	for (int p = 0; p < VL_P__COUNT; p++) {
		struct json_object *x = get(dj, vl_param_name((enum vl_param)p));
		if (!x)
			continue;
		struct gr_val *v = &d->v[d->n++];
		v->p = (enum vl_param)p;
		const char *s = get_str(x, "value");
		snprintf(v->value, sizeof(v->value), "%s", s ? s : "?");
		v->by = get_str(x, "by");
	}
}

static void link_dirs(const struct vl_topo *t, const struct vl_graph_opts *o, size_t l,
		      struct gr_dir d[2])
{
	struct json_object *sl = o->state ? state_link(t, o, l) : NULL;
	static const char *const names[2] = {"downstream", "upstream"};
	for (int i = 0; i < 2; i++)
		if (sl)
			dir_from_state(get(sl, names[i]), &d[i]);
		else
			dir_from_model(&t->links[l].dir[i], &d[i]);
}

/* "10Mbit 20ms ±2ms 1%", each run of one carrier followed by it:
 * "10Mbit [tbf] 20ms 1% [pipe]". */
static void dir_text(FILE *f, const struct gr_dir *d)
{
	static const char *const pre[VL_P__COUNT] = {
		[VL_P_JITTER] = "±", [VL_P_DUPLICATE] = "dup ", [VL_P_BER] = "ber ",
		[VL_P_QUEUE] = "queue "};
	for (int i = 0; i < d->n; i++) {
		const struct gr_val *v = &d->v[i];
		fprintf(f, "%s%s%s", i ? " " : "", pre[v->p] ? pre[v->p] : "", v->value);
		const char *next = i + 1 < d->n ? d->v[i + 1].by : NULL;
		if (v->by && (!next || strcmp(next, v->by)))
			fprintf(f, " [%s]", v->by);
	}
}

static char *mem_close(FILE *f, char **buf)
{
	if (fclose(f) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

/* The impairments of link l: one line when both directions agree, else
 * "→ ..." (ep[0] to ep[1]) and "← ..." lines; "" without any. */
static char *impair_label(const struct vl_topo *t, const struct vl_graph_opts *o, size_t l)
{
	struct gr_dir d[2];
	link_dirs(t, o, l, d);
	char *buf = NULL, *a = NULL, *b = NULL;
	size_t len, alen, blen;
	FILE *fa = open_memstream(&a, &alen), *fb = open_memstream(&b, &blen);
	FILE *f = open_memstream(&buf, &len);
	if (fa)
		dir_text(fa, &d[0]);
	if (fb)
		dir_text(fb, &d[1]);
	a = fa ? mem_close(fa, &a) : NULL;
	b = fb ? mem_close(fb, &b) : NULL;
	if (f && a && b) {
		if (!strcmp(a, b))
			fputs(a, f);
		else
			fprintf(f, "→ %s\n← %s", *a ? a : "none", *b ? b : "none");
	}
	free(a);
	free(b);
	return f ? mem_close(f, &buf) : NULL;
}

/* ---- node labels ---- */

static const char *svc_state(const struct vl_graph_opts *o, const struct vl_node *n,
			     const char *svc)
{
	struct json_object *svcs = o->state ? get(state_node(o, n->name), "services") : NULL;
	for (size_t i = 0; i < arr_len(svcs); i++) {
		struct json_object *s = json_object_array_get_idx(svcs, i);
		const char *name = get_str(s, "service");
		if (name && !strcmp(name, svc))
			return get_str(s, "state");
	}
	return NULL;
}

/* The name, the hostname where it differs, STP, addresses (--addrs) and
 * services (with their states in a running lab), one a line. */
static char *node_label(const struct vl_topo *t, const struct vl_graph_opts *o, size_t i)
{
	const struct vl_node *n = &t->nodes[i];
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs(n->name, f);
	if (n->hostname[0] && strcmp(n->hostname, n->name))
		fprintf(f, " (%s)", n->hostname);
	if (n->stp)
		fputs("\nSTP", f);
	for (size_t k = 0; o->addrs && k < n->n_ifaces; k++)
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++) {
			char ip[64];
			fprintf(f, "\n%s %s", n->ifaces[k].name,
				vl_ip_str(&n->ifaces[k].addrs[a].ip, true, ip, sizeof(ip)));
		}
	for (size_t s = 0; s < n->n_services; s++) {
		const char *st = svc_state(o, n, n->services[s].name);
		fprintf(f, "\n%s%s%s", n->services[s].name, st ? ": " : "", st ? st : "");
	}
	return mem_close(f, &buf);
}

/* A pipe node stands for link l: its name, then its impairments. */
static char *pipe_label(const struct vl_topo *t, const struct vl_graph_opts *o, size_t l)
{
	char *im = impair_label(t, o, l), *buf = NULL;
	size_t len;
	FILE *f = im ? open_memstream(&buf, &len) : NULL;
	if (f)
		fprintf(f, "%s%s%s", t->links[l].via, *im ? "\n" : "", im);
	free(im);
	return f ? mem_close(f, &buf) : NULL;
}

/* ---- dot ---- */

/* A dot string: quotes and backslashes escaped (a backslash starts
 * Graphviz's own escapes, \N \G \l), newlines as \n, other control bytes
 * dropped. */
static void dot_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c >= 0x20 && c != 0x7f)
			fputc(c, f);
	}
	fputc('"', f);
}

static void dot_node(FILE *f, const char *name, enum vl_kind k, const char *label,
		     bool stp)
{
	const struct gr_look *lk = &looks[k];
	char id[VL_NAME_MAX + 8];
	snprintf(id, sizeof(id), "node-%s", name);
	fputc('\t', f);
	dot_str(f, name);
	fputs(" [id=", f);
	dot_str(f, id);
	fprintf(f, ", shape=%s, style=\"%s\", fillcolor=\"%s\"%s, label=", lk->shape, lk->style,
		lk->fill, stp ? ", peripheries=2" : "");
	dot_str(f, label ? label : name);
	fputs("];\n", f);
}

/* One edge of link l: from node a's hook ha to node b's hook hb; half 2
 * is a piped link's second edge (pipe to ep[1]). */
struct dot_edge {
	const char *a, *ha, *b, *hb, *label;
	size_t link;
	int half;
	bool down;
};

static void dot_edge(FILE *f, const struct dot_edge *e)
{
	char id[48];
	snprintf(id, sizeof(id), "link-%zu%s", e->link, e->half == 2 ? "-2" : "");
	fputc('\t', f);
	dot_str(f, e->a);
	fputs(" -- ", f);
	dot_str(f, e->b);
	fputs(" [id=", f);
	dot_str(f, id);
	fputs(", taillabel=", f);
	dot_str(f, e->ha);
	fputs(", headlabel=", f);
	dot_str(f, e->hb);
	if (e->label && *e->label) {
		fputs(", label=", f);
		dot_str(f, e->label);
	}
	fputs(e->down ? ", style=dashed, color=\"#b03030\"];\n" : "];\n", f);
}

/* A tunnel end's far side, drawn as a node of its own: "~tunnelL" (no
 * node's name starts with '~'), "vxlan VNI" toward the remote host. */
static void tunnel_name(size_t l, char out[32])
{
	snprintf(out, 32, "~tunnel%zu", l);
}

static char *tunnel_node_label(const struct vl_link *lk)
{
	char r[64], *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "vxlan %u\n→ %s", (unsigned)lk->tunnel.vni,
		vl_ip_str(&lk->tunnel.remote, false, r, sizeof(r)));
	return mem_close(f, &buf);
}

/* A tunnel end's one direction, the one leaving this host: "→ ...". */
static char *tunnel_impair_label(const struct vl_topo *t, const struct vl_graph_opts *o,
				 size_t l)
{
	struct gr_dir d[2];
	link_dirs(t, o, l, d);
	char *buf = NULL, *a = NULL;
	size_t len, alen;
	FILE *fa = open_memstream(&a, &alen), *f = open_memstream(&buf, &len);
	if (fa)
		dir_text(fa, &d[0]);
	a = fa ? mem_close(fa, &a) : NULL;
	if (f && a && *a)
		fprintf(f, "→ %s", a);
	free(a);
	return f ? mem_close(f, &buf) : NULL;
}

static void dot_link(FILE *f, const struct vl_topo *t, const struct vl_graph_opts *o,
		     size_t l)
{
	const struct vl_link *lk = &t->links[l];
	const struct vl_node *na = &t->nodes[lk->ep[0].node], *nb = &t->nodes[lk->ep[1].node];
	struct dot_edge e = {na->name, na->ifaces[lk->ep[0].iface].name, nb->name,
			     nb->ifaces[lk->ep[1].iface].name, NULL, l, 1, link_down(t, o, l)};
	if (lk->has_tunnel) {
		char name[32], id[40];
		tunnel_name(l, name);
		snprintf(id, sizeof(id), "tunnel-%zu", l);
		char *nl = tunnel_node_label(lk), *label = tunnel_impair_label(t, o, l);
		fputc('\t', f);
		dot_str(f, name);
		fputs(" [id=", f);
		dot_str(f, id);
		fputs(", shape=cds, style=\"dashed\", label=", f);
		dot_str(f, nl ? nl : name);
		fputs("];\n", f);
		e.b = name, e.hb = "", e.label = label;
		dot_edge(f, &e);
		free(nl), free(label);
		return;
	}
	if (lk->via[0]) {
		char *label = pipe_label(t, o, l);
		dot_node(f, lk->via, VL_KIND_PIPE, label, false);
		free(label);
		struct dot_edge e2 = e;
		e.b = lk->via, e.hb = "upper";
		e2.a = lk->via, e2.ha = "lower", e2.half = 2;
		dot_edge(f, &e);
		dot_edge(f, &e2);
		return;
	}
	char *label = impair_label(t, o, l);
	e.label = label;
	dot_edge(f, &e);
	free(label);
}

char *gr_dot(const struct vl_topo *t, const struct vl_graph_opts *o, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fputs("graph ", f);
	dot_str(f, t->name);
	/* pad: GR_PAD_PT; edges first, so labels and nodes are drawn over
	 * them; LR, as the Mermaid form. */
	fputs(" {\n\tgraph [pad=\"0.125\", rankdir=LR, outputorder=edgesfirst, "
	      "fontname=\"Helvetica\"];\n"
	      "\tnode [fontname=\"Helvetica\", fontsize=10];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=8, labelfontsize=7, "
	      "labelfontcolor=\"#505050\"];\n", f);
	for (size_t i = 0; i < t->n_nodes; i++) {
		char *label = node_label(t, o, i);
		dot_node(f, t->nodes[i].name, t->nodes[i].kind, label, t->nodes[i].stp);
		free(label);
	}
	for (size_t l = 0; l < t->n_links; l++)
		dot_link(f, t, o, l);
	fputs("}\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- mermaid ---- */

/* Mermaid's strings know no backslash escapes: quotes, '#', '<', '>',
 * '&' and backslashes become its entity codes (#quot; ...), newlines
 * <br/>.  Node ids are made by vnetlab (n0, p3), never a name. */
static void mm_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"')
			fputs("#quot;", f);
		else if (c == '#' || c == '<' || c == '>' || c == '&' || c == '\\' || c == '|')
			fprintf(f, "#%u;", c);
		else if (c == '\n')
			fputs("<br/>", f);
		else if (c >= 0x20 && c != 0x7f)
			fputc(c, f);
	}
	fputc('"', f);
}

static void mm_node(FILE *f, const char *id, enum vl_kind k, const char *label)
{
	fprintf(f, "    %s%s", id, looks[k].mm_open);
	mm_str(f, label);
	fprintf(f, "%s\n", looks[k].mm_close);
}

static void mm_edge(FILE *f, const char *a, const char *b, const char *label, bool down)
{
	fprintf(f, "    %s %s|", a, down ? "-.-" : "---");
	mm_str(f, label);
	fprintf(f, "| %s\n", b);
}

/* "eth0 — eth1" and the impairments under it. */
static char *mm_edge_label(const char *ha, const char *hb, const char *im)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "%s — %s%s%s", ha, hb, im && *im ? "\n" : "", im ? im : "");
	return mem_close(f, &buf);
}

static void mm_link(FILE *f, const struct vl_topo *t, const struct vl_graph_opts *o,
		    size_t l)
{
	const struct vl_link *lk = &t->links[l];
	const struct vl_node *na = &t->nodes[lk->ep[0].node], *nb = &t->nodes[lk->ep[1].node];
	const char *ha = na->ifaces[lk->ep[0].iface].name, *hb = nb->ifaces[lk->ep[1].iface].name;
	char a[24], b[24], p[24];
	snprintf(a, sizeof(a), "n%zu", lk->ep[0].node);
	snprintf(b, sizeof(b), "n%zu", lk->ep[1].node);
	bool down = link_down(t, o, l);
	if (lk->has_tunnel) {
		snprintf(p, sizeof(p), "v%zu", l);
		char *nl = tunnel_node_label(lk), *im = tunnel_impair_label(t, o, l),
		     *e = mm_edge_label(ha, "vxlan", im);
		fprintf(f, "    %s>", p);
		mm_str(f, nl ? nl : "vxlan");
		fputs("]\n", f);
		mm_edge(f, a, p, e ? e : "", down);
		free(nl), free(im), free(e);
		return;
	}
	if (lk->via[0]) {
		snprintf(p, sizeof(p), "p%zu", l);
		char *pl = pipe_label(t, o, l), *e1 = mm_edge_label(ha, "upper", NULL),
		     *e2 = mm_edge_label("lower", hb, NULL);
		mm_node(f, p, VL_KIND_PIPE, pl ? pl : lk->via);
		mm_edge(f, a, p, e1 ? e1 : "", down);
		mm_edge(f, p, b, e2 ? e2 : "", down);
		free(pl), free(e1), free(e2);
		return;
	}
	char *im = impair_label(t, o, l), *e = mm_edge_label(ha, hb, im);
	mm_edge(f, a, b, e ? e : "", down);
	free(im), free(e);
}

char *gr_mermaid(const struct vl_topo *t, const struct vl_graph_opts *o, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	fputs("graph LR\n", f);
	for (size_t i = 0; i < t->n_nodes; i++) {
		char id[24], *label = node_label(t, o, i);
		snprintf(id, sizeof(id), "n%zu", i);
		mm_node(f, id, t->nodes[i].kind, label ? label : t->nodes[i].name);
		free(label);
	}
	for (size_t l = 0; l < t->n_links; l++)
		mm_link(f, t, o, l);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* ---- the json document ---- */

static void put_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *json_node(const struct vl_topo *t, const struct vl_graph_opts *o,
				     size_t i)
{
	const struct vl_node *n = &t->nodes[i];
	struct json_object *j = json_object_new_object(), *hooks = json_object_new_array(),
			   *addrs = json_object_new_array(), *svcs = json_object_new_array();
	put_str(j, "name", n->name);
	put_str(j, "kind", vl_kind_type(n->kind)->name);
	if (n->hostname[0])
		put_str(j, "hostname", n->hostname);
	if (n->stp)
		json_object_object_add(j, "stp", json_object_new_boolean(true));
	for (size_t k = 0; k < n->n_ifaces; k++) {
		json_object_array_add(hooks, json_object_new_string(n->ifaces[k].name));
		for (size_t a = 0; a < n->ifaces[k].n_addrs; a++) {
			char ip[64];
			struct json_object *x = json_object_new_object();
			put_str(x, "hook", n->ifaces[k].name);
			put_str(x, "addr", vl_ip_str(&n->ifaces[k].addrs[a].ip, true, ip, sizeof(ip)));
			json_object_array_add(addrs, x);
		}
	}
	for (size_t s = 0; s < n->n_services; s++) {
		struct json_object *x = json_object_new_object();
		const char *st = svc_state(o, n, n->services[s].name);
		put_str(x, "name", n->services[s].name);
		if (st)
			put_str(x, "state", st);
		json_object_array_add(svcs, x);
	}
	json_object_object_add(j, "hooks", hooks);
	json_object_object_add(j, "addresses", addrs);
	json_object_object_add(j, "services", svcs);
	return j;
}

static struct json_object *json_pipe(const struct vl_link *lk, size_t l)
{
	struct json_object *j = json_object_new_object(), *hooks = json_object_new_array();
	put_str(j, "name", lk->via);
	put_str(j, "kind", "pipe");
	json_object_array_add(hooks, json_object_new_string("upper"));
	json_object_array_add(hooks, json_object_new_string("lower"));
	json_object_object_add(j, "hooks", hooks);
	json_object_object_add(j, "link", json_object_new_int64((int64_t)l));
	return j;
}

/* A tunnel end's far side as the drawing's node (see tunnel_name). */
static struct json_object *json_tunnel(const struct vl_link *lk, size_t l)
{
	struct json_object *j = json_object_new_object(), *hooks = json_object_new_array();
	char name[32];
	tunnel_name(l, name);
	put_str(j, "name", name);
	put_str(j, "kind", "tunnel");
	json_object_object_add(j, "hooks", hooks);
	json_object_object_add(j, "link", json_object_new_int64((int64_t)l));
	json_object_object_add(j, "vxlan", json_object_new_int64(lk->tunnel.vni));
	return j;
}

static struct json_object *json_dir(const struct gr_dir *d)
{
	struct json_object *j = json_object_new_object();
	for (int i = 0; i < d->n; i++) {
		struct json_object *x = json_object_new_object();
		put_str(x, "value", d->v[i].value);
		if (d->v[i].by)
			put_str(x, "by", d->v[i].by);
		json_object_object_add(j, vl_param_name(d->v[i].p), x);
	}
	return j;
}

static struct json_object *json_link(const struct vl_topo *t, const struct vl_graph_opts *o,
				     size_t l)
{
	const struct vl_link *lk = &t->links[l];
	struct json_object *j = json_object_new_object(), *eps = json_object_new_array();
	struct json_object *sl = o->state ? state_link(t, o, l) : NULL;
	json_object_object_add(j, "index", json_object_new_int64((int64_t)l));
	for (int e = 0; e < 2; e++) {
		char name[2 * VL_NAME_MAX + 2];
		vl_endpoint_name(t, &lk->ep[e], name, sizeof(name));
		json_object_array_add(eps, json_object_new_string(name));
	}
	json_object_object_add(j, "endpoints", eps);
	if (lk->via[0])
		put_str(j, "via", lk->via);
	if (lk->has_tunnel) {
		char name[32], r[64];
		tunnel_name(l, name);
		struct json_object *tj = json_object_new_object();
		put_str(tj, "node", name);
		json_object_object_add(tj, "vxlan", json_object_new_int64(lk->tunnel.vni));
		put_str(tj, "local", vl_ip_str(&lk->tunnel.local, false, r, sizeof(r)));
		put_str(tj, "remote", vl_ip_str(&lk->tunnel.remote, false, r, sizeof(r)));
		json_object_object_add(tj, "port", json_object_new_int(vl_tunnel_port(&lk->tunnel)));
		json_object_object_add(tj, "mtu", json_object_new_int((int)vl_tunnel_mtu(&lk->tunnel)));
		json_object_object_add(j, "tunnel", tj);
	}
	put_str(j, "state", link_down(t, o, l) ? "down" : "up");
	put_str(j, "impl", impl_names[lk->impl]);
	if (sl)
		json_object_object_add(j, "pipe", json_object_get(get(sl, "pipe")));
	struct gr_dir d[2];
	link_dirs(t, o, l, d);
	json_object_object_add(j, "downstream", json_dir(&d[0]));
	json_object_object_add(j, "upstream", json_dir(&d[1]));
	char *label = impair_label(t, o, l);
	put_str(j, "label", label ? label : "");
	free(label);
	return j;
}

struct json_object *gr_json(const struct vl_topo *t, const struct vl_graph_opts *o)
{
	struct json_object *doc = json_object_new_object(), *nodes = json_object_new_array(),
			   *links = json_object_new_array();
	if (!doc || !nodes || !links) {
		json_object_put(doc), json_object_put(nodes), json_object_put(links);
		return NULL;
	}
	put_str(doc, "name", t->name);
	json_object_object_add(doc, "running", json_object_new_boolean(o->state != NULL));
	for (size_t i = 0; i < t->n_nodes; i++)
		json_object_array_add(nodes, json_node(t, o, i));
	for (size_t l = 0; l < t->n_links; l++) {
		if (t->links[l].via[0])
			json_object_array_add(nodes, json_pipe(&t->links[l], l));
		if (t->links[l].has_tunnel)
			json_object_array_add(nodes, json_tunnel(&t->links[l], l));
		json_object_array_add(links, json_link(t, o, l));
	}
	json_object_object_add(doc, "nodes", nodes);
	json_object_object_add(doc, "links", links);
	return doc;
}
