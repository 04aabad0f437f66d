/* SPDX-License-Identifier: BSD-2-Clause */
/* graph.h — a topology as a picture: dot, svg, png, mermaid or json.
 *
 * The drawing is made from the model (any input format vnetlab loads)
 * and, for a running lab, from what `inspect --json` reports of it: a
 * link that is down is dashed, an impairment is labelled on its edge
 * with the side that carries it, a vnet node shows its services' states.
 * svg and png are laid out and rendered in-process by Graphviz's
 * libgvc/libcgraph (never by forking `dot`); dot, mermaid and json are
 * text this module writes.  json holds nodes (kind, hooks, addresses,
 * services, the layout's position), links (ends, state, impairments per
 * direction, the layout's edge path) and the drawing's size: what
 * `vnetlab web` draws from.  Pure: no kernel calls, no globals of its
 * own; Graphviz keeps some (its error state, its plugin tables), so
 * callers on several threads serialise their calls.
 *
 * Ids, stable for anything that draws from the svg or json (vnetlab web):
 *  - node NAME's group in the svg is <g id="node-NAME" class="node">; a
 *    link's pipe node (a link with `via`) is node-VIA, as it is named;
 *  - link INDEX (its index in t->links, the json's "index") is the group
 *    <g id="link-INDEX" class="edge">; a link with `via` is two edges,
 *    link-INDEX (ep[0] to the pipe) and link-INDEX-2 (the pipe to ep[1]);
 *  - the dot text carries the same ids as `id` attributes.
 *
 * json: {name, running, engine, width, height, nodes: [NODE], links: [LINK]}
 * with NODE = {name, kind, hostname?, stp?, hooks: [HOOK], addresses:
 * [{hook, addr}], services: [{name, state?}], x, y, width, height} (a pipe
 * node: {name, kind: "pipe", hooks: ["upper", "lower"], link: INDEX, x,
 * y, width, height}) and LINK = {index, endpoints: ["a:hook", "b:hook"],
 * via?, state: "up"|"down", impl, pipe? (running lab: the userspace pipe
 * carries some of it), downstream: DIR, upstream: DIR, label, path:
 * [[x, y]...]} where DIR = {PARAM: {value, by?}} (by: "tbf", "netem" or
 * "pipe", a running lab's carrier) and path is the layout's spline
 * control points (cubic Bézier, 3k+1 of them per edge; a piped link's two
 * edges one after the other).  Every x, y, width, height is in points in
 * the svg's own coordinates (its viewBox is 0 0 width height; y grows
 * downwards); x, y of a node is its centre. */
#ifndef VNETLAB_GRAPH_H
#define VNETLAB_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"
#include "vnetlab/topo.h"

struct json_object;

enum vl_graph_format {
	VL_GRAPH_DOT,
	VL_GRAPH_SVG,
	VL_GRAPH_PNG,
	VL_GRAPH_MERMAID,
	VL_GRAPH_JSON,
};

struct vl_graph_opts {
	enum vl_graph_format format;
	bool addrs; /* interface addresses on the drawing (`--addrs`) */
	/* A running lab's `inspect --json` document, or NULL for a file. */
	const struct json_object *state;
	/* Graphviz's layout engine ("dot", "neato", "sfdp", ...) for svg,
	 * png and json; NULL: vl_graph_engine() of the drawing's size. */
	const char *engine;
};

/* Up to this many nodes (pipes included) the drawing is laid out by
 * `dot`; above, by `sfdp` (see vl_graph_engine). */
#define VL_GRAPH_DOT_MAX 500

/* The layout engine for a drawing of that many nodes: "dot" or "sfdp". */
const char *vl_graph_engine(size_t nodes);

/* The name of a format ("dot" ...), NULL for none. */
const char *vl_graph_format_name(enum vl_graph_format f);

/* "dot", "svg" ... to a format; -1 for a name that is none. */
int vl_graph_format_parse(const char *name, enum vl_graph_format *out);

/* Draws t in o->format into a malloc'd buffer (*out, *len; text formats
 * NUL-terminated, png binary).  Returns 0, or -errno with err set. */
int vl_graph_render(const struct vl_topo *t, const struct vl_graph_opts *o, char **out,
		    size_t *len, struct vl_err *err);

#endif
