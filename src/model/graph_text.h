/* SPDX-License-Identifier: BSD-2-Clause */
/* graph_text.h — the drawing's words (vnetlab/graph.h), shared by the text
 * writers (graph_text.c: dot, mermaid, the json document) and the Graphviz
 * renderer (src/draw/render.c), which lays out the very dot text written
 * here, so the picture and the dot output can never disagree.  Pure. */
#ifndef VNETLAB_GRAPH_TEXT_H
#define VNETLAB_GRAPH_TEXT_H

#include <stddef.h>

#include "vnetlab/graph.h"

struct json_object;

/* Points of padding around the drawing (the dot text's pad, 0.125 in): the
 * renderer's svg coordinates are the layout's shifted by it. */
#define GR_PAD_PT 9.0

/* t as dot text (NUL-terminated, malloc'd, *len its length); NULL on ENOMEM.
 * A link with `via` is two edges through a node of the pipe's name. */
char *gr_dot(const struct vl_topo *t, const struct vl_graph_opts *o, size_t *len);
/* t as a Mermaid flowchart (`graph LR`); NULL on ENOMEM. */
char *gr_mermaid(const struct vl_topo *t, const struct vl_graph_opts *o, size_t *len);
/* The json document without the layout's members (graph.h says which the
 * renderer adds); NULL on ENOMEM. */
struct json_object *gr_json(const struct vl_topo *t, const struct vl_graph_opts *o);

#endif
