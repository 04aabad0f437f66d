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
 * `vnetlab web` draws from.  Pure: no kernel calls, no globals. */
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
};

/* "dot", "svg" ... to a format; -1 for a name that is none. */
int vl_graph_format_parse(const char *name, enum vl_graph_format *out);

/* Draws t in o->format into a malloc'd buffer (*out, *len; text formats
 * NUL-terminated, png binary).  Returns 0, or -errno with err set. */
int vl_graph_render(const struct vl_topo *t, const struct vl_graph_opts *o, char **out,
		    size_t *len, struct vl_err *err);

#endif
