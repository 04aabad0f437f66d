/* SPDX-License-Identifier: BSD-2-Clause */
/* render.c — vl_graph_render (vnetlab/graph.h): dot and Mermaid are the
 * text writers' (src/model/graph_text.c); svg, png and json are Graphviz's
 * layout of that same dot text, read back by its own parser (agmemread),
 * laid out and rendered in-process by libgvc.  Never a forked `dot`: the
 * binary need not be installed, and no shell sees a hostile name. */
#include "vnetlab/graph.h"

#include <errno.h>
#include <gvc.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/graph_text.h"

static const char *const format_names[] = {
	[VL_GRAPH_DOT] = "dot", [VL_GRAPH_SVG] = "svg", [VL_GRAPH_PNG] = "png",
	[VL_GRAPH_MERMAID] = "mermaid", [VL_GRAPH_JSON] = "json",
};

int vl_graph_format_parse(const char *name, enum vl_graph_format *out)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (name && !strcmp(name, format_names[i])) {
			*out = (enum vl_graph_format)i;
			return 0;
		}
	return -1;
}

const char *vl_graph_format_name(enum vl_graph_format f)
{
	return (unsigned)f < sizeof(format_names) / sizeof(format_names[0]) ? format_names[f]
									  : NULL;
}

/* Graphviz's `dot` ranks and orders every node, which grows much faster
 * than the graph: measured here (bench/graph.sh, 2 cores), a 1,000-node
 * chain takes dot ~1 s but a 1,000-leaf star or a 32x32 grid several
 * seconds and more.  Up to VL_GRAPH_DOT_MAX nodes dot's tidy layered
 * picture is worth it; above, sfdp (multilevel force-directed, near
 * linear) draws the same graph in well under a second. */
const char *vl_graph_engine(size_t nodes)
{
	return nodes <= VL_GRAPH_DOT_MAX ? "dot" : "sfdp";
}

static size_t drawn_nodes(const struct vl_topo *t)
{
	size_t n = t->n_nodes;
	for (size_t l = 0; l < t->n_links; l++)
		n += t->links[l].via[0] != '\0';
	return n;
}

/* The engine's options that the dot text leaves to it: sfdp's straight
 * edges and its overlap removal (labels stay readable). */
static void engine_attrs(Agraph_t *g, const char *engine)
{
	if (strcmp(engine, "dot") != 0) {
		agsafeset(g, "overlap", "scale", "");
		agsafeset(g, "splines", "false", "");
		agsafeset(g, "sep", "+6", "");
	}
}

#define PNG_MAX_IN "60"

struct gv {
	GVC_t *gvc;
	Agraph_t *g;
	bool laid_out;
};

static void gv_close(struct gv *v)
{
	if (v->laid_out)
		gvFreeLayout(v->gvc, v->g);
	if (v->g)
		agclose(v->g);
	if (v->gvc)
		gvFreeContext(v->gvc);
}

/* t's dot text, parsed and laid out. */
static int gv_layout(const struct vl_topo *t, const struct vl_graph_opts *o, struct gv *v,
		     const char **engine, struct vl_err *err)
{
	size_t len;
	char *dot = gr_dot(t, o, &len);
	if (!dot)
		return vl_errf(err, "graph: out of memory"), -ENOMEM;
	v->gvc = gvContext();
	v->g = v->gvc ? agmemread(dot) : NULL;
	free(dot);
	if (!v->g)
		return vl_errf(err, "graph: Graphviz could not %s", v->gvc ? "read the dot text"
			       : "start (gvContext)"), -EIO;
	*engine = o->engine ? o->engine : vl_graph_engine(drawn_nodes(t));
	engine_attrs(v->g, *engine);
	/* A bitmap grows with the square of the drawing: 1,000 nodes at their
	 * natural size are some 25,000 pixels a side, gigabytes and most of a
	 * minute in cairo.  Shrunk to fit PNG_MAX_IN inches at 72 dpi (a
	 * small lab keeps its size: size only shrinks), it stays seconds and
	 * megabytes.  Read by the layout, so set before it. */
	if (o->format == VL_GRAPH_PNG) {
		agsafeset(v->g, "size", PNG_MAX_IN "," PNG_MAX_IN, "");
		agsafeset(v->g, "dpi", "72", "");
	}
	if (gvLayout(v->gvc, v->g, *engine) != 0)
		return vl_errf(err, "graph: Graphviz has no '%s' layout here", *engine), -ENOTSUP;
	v->laid_out = true;
	return 0;
}

/* gvRender into memory (open_memstream): the same call on every Graphviz
 * version, where gvRenderData's length type has changed. */
static int gv_render(struct gv *v, const char *fmt, char **out, size_t *len,
		     struct vl_err *err)
{
	FILE *f = open_memstream(out, len);
	if (!f)
		return vl_err_sys(err, errno, "graph"), -errno;
	int rc = gvRender(v->gvc, v->g, fmt, f);
	if (fclose(f) != 0 || rc != 0) {
		free(*out);
		*out = NULL;
		return vl_errf(err, "graph: Graphviz could not render %s (is its %s plugin "
			       "installed? Debian: libgvc6)", fmt,
			       strcmp(fmt, "png") ? "core" : "cairo/pango"), -ENOTSUP;
	}
	return 0;
}

/* ---- the layout into the json document, in the svg's coordinates ---- */

struct frame {
	double x0, y1; /* the layout's left and top (GD_bb) */
};

static struct json_object *svg_point(const struct frame *fr, pointf p)
{
	struct json_object *a = json_object_new_array();
	json_object_array_add(a, json_object_new_double(p.x - fr->x0 + GR_PAD_PT));
	json_object_array_add(a, json_object_new_double(fr->y1 - p.y + GR_PAD_PT));
	return a;
}

static void put_num(struct json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(v));
}

/* x, y: the centre; width, height: in points, as the svg's. */
static void json_nodes(struct gv *v, const struct frame *fr, struct json_object *nodes)
{
	for (size_t i = 0; i < json_object_array_length(nodes); i++) {
		struct json_object *j = json_object_array_get_idx(nodes, i);
		const char *name = json_object_get_string(json_object_object_get(j, "name"));
		Agnode_t *n = name ? agnode(v->g, (char *)name, 0) : NULL;
		if (!n)
			continue;
		put_num(j, "x", ND_coord(n).x - fr->x0 + GR_PAD_PT);
		put_num(j, "y", fr->y1 - ND_coord(n).y + GR_PAD_PT);
		put_num(j, "width", ND_width(n) * 72.0);
		put_num(j, "height", ND_height(n) * 72.0);
	}
}

/* The edge's spline points appended to path (a piped link's two edges
 * follow each other through the pipe). */
static void edge_points(const struct frame *fr, Agedge_t *e, struct json_object *pts)
{
	splines *s = ED_spl(e);
	for (int b = 0; s && b < s->size; b++)
		for (int k = 0; k < s->list[b].size; k++)
			json_object_array_add(pts, svg_point(fr, s->list[b].list[k]));
}

static void json_edges(struct gv *v, const struct frame *fr, struct json_object *links)
{
	size_t n = json_object_array_length(links);
	struct json_object **paths = calloc(n ? n : 1, 2 * sizeof(*paths));
	if (!paths)
		return;
	for (Agnode_t *a = agfstnode(v->g); a; a = agnxtnode(v->g, a))
		for (Agedge_t *e = agfstout(v->g, a); e; e = agnxtout(v->g, e)) {
			const char *id = agget(e, "id");
			size_t l;
			int used = 0;
			if (!id || sscanf(id, "link-%zu%n", &l, &used) != 1 || l >= n)
				continue;
			int half = !strcmp(id + used, "-2");
			if (!paths[2 * l + half])
				paths[2 * l + half] = json_object_new_array();
			edge_points(fr, e, paths[2 * l + half]);
		}
	for (size_t l = 0; l < n; l++) {
		struct json_object *all = paths[2 * l] ? paths[2 * l] : json_object_new_array();
		struct json_object *second = paths[2 * l + 1];
		for (size_t k = 0; second && k < json_object_array_length(second); k++)
			json_object_array_add(all, json_object_get(
							    json_object_array_get_idx(second, k)));
		json_object_put(second);
		json_object_object_add(json_object_array_get_idx(links, l), "path", all);
	}
	free(paths);
}

static int render_json(const struct vl_topo *t, const struct vl_graph_opts *o, char **out,
		       size_t *len, struct vl_err *err)
{
	struct gv v = {0};
	const char *engine = NULL;
	int rc = gv_layout(t, o, &v, &engine, err);
	struct json_object *doc = rc == 0 ? gr_json(t, o) : NULL;
	if (rc == 0 && !doc)
		rc = (vl_errf(err, "graph: out of memory"), -ENOMEM);
	if (rc == 0) {
		boxf bb = GD_bb(v.g);
		struct frame fr = {bb.LL.x, bb.UR.y};
		put_num(doc, "width", bb.UR.x - bb.LL.x + 2 * GR_PAD_PT);
		put_num(doc, "height", bb.UR.y - bb.LL.y + 2 * GR_PAD_PT);
		json_object_object_add(doc, "engine", json_object_new_string(engine));
		json_nodes(&v, &fr, json_object_object_get(doc, "nodes"));
		json_edges(&v, &fr, json_object_object_get(doc, "links"));
		const char *s = json_object_to_json_string_ext(
			doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
		/* A text format: ends in a newline, as dot and Mermaid do. */
		int n = s ? asprintf(out, "%s\n", s) : -1;
		*len = n > 0 ? (size_t)n : 0;
		if (n < 0)
			*out = NULL;
		if (!*out)
			rc = (vl_errf(err, "graph: out of memory"), -ENOMEM);
	}
	json_object_put(doc);
	gv_close(&v);
	return rc;
}

static int render_gv(const struct vl_topo *t, const struct vl_graph_opts *o, char **out,
		     size_t *len, struct vl_err *err)
{
	struct gv v = {0};
	const char *engine = NULL;
	int rc = gv_layout(t, o, &v, &engine, err);
	if (rc == 0)
		rc = gv_render(&v, o->format == VL_GRAPH_PNG ? "png" : "svg", out, len, err);
	gv_close(&v);
	return rc;
}

int vl_graph_render(const struct vl_topo *t, const struct vl_graph_opts *o, char **out,
		    size_t *len, struct vl_err *err)
{
	*out = NULL;
	*len = 0;
	switch (o->format) {
	case VL_GRAPH_DOT:
	case VL_GRAPH_MERMAID:
		*out = o->format == VL_GRAPH_DOT ? gr_dot(t, o, len) : gr_mermaid(t, o, len);
		return *out ? 0 : (vl_errf(err, "graph: out of memory"), -ENOMEM);
	case VL_GRAPH_SVG:
	case VL_GRAPH_PNG:
		return render_gv(t, o, out, len, err);
	case VL_GRAPH_JSON:
		return render_json(t, o, out, len, err);
	}
	return vl_errf(err, "graph: unknown format %d", (int)o->format), -EINVAL;
}
