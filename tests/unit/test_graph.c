/* SPDX-License-Identifier: BSD-2-Clause */
/* The drawing (graph.h), checked by structure, not by picture: the dot
 * text read back by Graphviz's own parser, the svg by an XML parser (one
 * node-NAME and one link-N group each), Mermaid naming every node, the
 * json's positions inside the drawing, png's signature; hostile names
 * escaped; a running lab's state (down, carriers) on the edges. */
#include <criterion/criterion.h>
#include <errno.h>
#include <expat.h>
#include <gvc.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/graph.h"

static const char lab[] =
	"name: gr\n"
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.0.0.1/24] } } }\n"
	"  b: { ifaces: { eth0: { addrs: [10.0.0.2/24] }, eth1: { addrs: [10.0.1.1/24] } } }\n"
	"  c: { ifaces: { eth0: { addrs: [10.0.1.2/24] } } }\n"
	"  p: { kind: pipe, delay: 5ms }\n"
	"  sw: { kind: bridge, stp: true }\n"
	"  h: { kind: hub }\n"
	"  t: { kind: tee }\n"
	"  d: {}\n"
	"links:\n"
	"  - { endpoints: [a:eth0, b:eth0], bandwidth: 10Mbit, delay: 20ms, loss: 1% }\n"
	"  - [b:eth1, p:upper]\n"
	"  - [p:lower, sw:p1]\n"
	"  - [c:eth0, sw:p2]\n"
	"  - [sw:p3, h:x]\n"
	"  - [h:y, t:left]\n"
	"  - { endpoints: [t:right, d:e0], downstream: { delay: 1ms }, upstream: { delay: 2ms } }\n";

static struct vl_topo *load(void)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_topo_load_buffer("gr.yaml", lab, sizeof(lab) - 1, &t, &err), 0, "%s",
		     err.msg);
	return t;
}

static char *render(const struct vl_topo *t, enum vl_graph_format f,
		    const struct json_object *state, size_t *len)
{
	struct vl_graph_opts o = {.format = f, .addrs = true, .state = state};
	struct vl_err err;
	vl_err_init(&err);
	char *out = NULL;
	size_t n = 0;
	int rc = vl_graph_render(t, &o, &out, &n, &err);
	cr_assert_eq(rc, 0, "format %d: %s", (int)f, err.msg);
	cr_assert(out && n > 0);
	if (len)
		*len = n;
	return out;
}

static size_t pipes(const struct vl_topo *t)
{
	size_t n = 0;
	for (size_t l = 0; l < t->n_links; l++)
		n += t->links[l].via[0] != '\0';
	return n;
}

static Agraph_t *parse_dot(const char *dot)
{
	Agraph_t *g = agmemread(dot);
	cr_assert(g, "Graphviz refused the dot text:\n%s", dot);
	return g;
}

Test(graph, dot_parses_one_node_per_node_one_edge_per_link)
{
	struct vl_topo *t = load();
	cr_assert_eq(pipes(t), 1);
	char *dot = render(t, VL_GRAPH_DOT, NULL, NULL);
	Agraph_t *g = parse_dot(dot);
	cr_expect_eq((size_t)agnnodes(g), t->n_nodes + pipes(t), "%s", dot);
	/* A piped link is two edges, through its pipe node. */
	cr_expect_eq((size_t)agnedges(g), t->n_links + pipes(t), "%s", dot);
	for (size_t i = 0; i < t->n_nodes; i++)
		cr_expect(agnode(g, t->nodes[i].name, 0), "node %s missing", t->nodes[i].name);
	Agnode_t *sw = agnode(g, "sw", 0);
	cr_assert(sw);
	cr_expect_str_eq(agget(sw, "peripheries"), "2", "an STP bridge is marked");
	cr_expect(strstr(agget(sw, "label"), "STP"));
	cr_expect_str_eq(agget(agnode(g, "p", 0), "shape"), "cds");
	cr_expect(strstr(dot, "label=\"10Mbit 20ms 1%\""), "%s", dot);
	cr_expect(strstr(dot, "label=\"→ 1ms\\n← 2ms\""), "directions differ:\n%s", dot);
	cr_expect(strstr(dot, "taillabel=\"eth0\", headlabel=\"eth0\""), "%s", dot);
	cr_expect(strstr(dot, "10.0.1.1/24"), "--addrs:\n%s", dot);
	agclose(g);
	free(dot);
	vl_topo_free(t);
}

struct ids {
	char **want;
	size_t n_want;
	int *seen;
	int elements;
};

static void on_start(void *data, const XML_Char *el, const XML_Char **attr)
{
	struct ids *ids = data;
	(void)el;
	ids->elements++;
	for (int i = 0; attr[i]; i += 2)
		if (!strcmp(attr[i], "id"))
			for (size_t k = 0; k < ids->n_want; k++)
				ids->seen[k] += !strcmp(attr[i + 1], ids->want[k]);
}

static void add_want(struct ids *ids, const char *id)
{
	ids->want[ids->n_want++] = strdup(id);
}

Test(graph, svg_is_xml_with_one_group_per_node_and_link)
{
	struct vl_topo *t = load();
	size_t len;
	char *svg = render(t, VL_GRAPH_SVG, NULL, &len);
	struct ids ids = {calloc(64, sizeof(char *)), 0, calloc(64, sizeof(int)), 0};
	char id[64];
	for (size_t i = 0; i < t->n_nodes; i++) {
		snprintf(id, sizeof(id), "node-%s", t->nodes[i].name);
		add_want(&ids, id);
	}
	add_want(&ids, "node-p");
	for (size_t l = 0; l < t->n_links; l++) {
		snprintf(id, sizeof(id), "link-%zu", l);
		add_want(&ids, id);
	}
	XML_Parser x = XML_ParserCreate("UTF-8");
	XML_SetUserData(x, &ids);
	XML_SetStartElementHandler(x, on_start);
	cr_assert_eq(XML_Parse(x, svg, (int)len, 1), XML_STATUS_OK, "not well-formed: %s, line %lu",
		     XML_ErrorString(XML_GetErrorCode(x)), XML_GetCurrentLineNumber(x));
	XML_ParserFree(x);
	cr_expect_gt(ids.elements, 10);
	for (size_t k = 0; k < ids.n_want; k++) {
		cr_expect_eq(ids.seen[k], 1, "id %s: %d elements", ids.want[k], ids.seen[k]);
		free(ids.want[k]);
	}
	free(ids.want);
	free(ids.seen);
	free(svg);
	vl_topo_free(t);
}

Test(graph, mermaid_names_every_node)
{
	struct vl_topo *t = load();
	char *mm = render(t, VL_GRAPH_MERMAID, NULL, NULL);
	cr_expect_eq(strncmp(mm, "graph LR\n", 9), 0, "%s", mm);
	for (size_t i = 0; i < t->n_nodes; i++) {
		char want[64];
		snprintf(want, sizeof(want), "    n%zu", i);
		const char *line = strstr(mm, want);
		cr_assert(line, "node %s has no line:\n%s", t->nodes[i].name, mm);
		snprintf(want, sizeof(want), "\"%s", t->nodes[i].name);
		cr_expect(strstr(line, want) && strstr(line, want) < strchr(line + 1, '\n'),
			  "node %s not named:\n%s", t->nodes[i].name, mm);
	}
	cr_expect(strstr(mm, "[/\"p<br/>5ms\"/]"), "the pipe node:\n%s", mm);
	cr_expect(strstr(mm, "[[\"sw<br/>STP"), "%s", mm);
	free(mm);
	vl_topo_free(t);
}

static double num(struct json_object *o, const char *k)
{
	struct json_object *v = json_object_object_get(o, k);
	cr_assert(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int),
		  "%s missing in %s", k, json_object_to_json_string(o));
	return json_object_get_double(v);
}

Test(graph, json_has_a_position_for_every_node)
{
	struct vl_topo *t = load();
	char *js = render(t, VL_GRAPH_JSON, NULL, NULL);
	struct json_object *doc = json_tokener_parse(js);
	cr_assert(doc, "not json:\n%s", js);
	double w = num(doc, "width"), h = num(doc, "height");
	struct json_object *nodes = json_object_object_get(doc, "nodes");
	cr_assert_eq(json_object_array_length(nodes), t->n_nodes + pipes(t));
	for (size_t i = 0; i < json_object_array_length(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		double x = num(n, "x"), y = num(n, "y");
		cr_expect(x > 0 && x < w && y > 0 && y < h, "%s outside the drawing",
			  json_object_to_json_string(n));
		cr_expect_gt(num(n, "width"), 0);
		cr_expect_gt(num(n, "height"), 0);
	}
	struct json_object *links = json_object_object_get(doc, "links");
	cr_assert_eq(json_object_array_length(links), t->n_links);
	for (size_t l = 0; l < t->n_links; l++) {
		struct json_object *k = json_object_array_get_idx(links, l);
		cr_expect_eq(json_object_get_int(json_object_object_get(k, "index")), (int)l);
		cr_expect_geq(json_object_array_length(json_object_object_get(k, "path")), 4);
	}
	struct json_object *l0 = json_object_array_get_idx(links, 0);
	struct json_object *bw = json_object_object_get(
		json_object_object_get(json_object_object_get(l0, "downstream"), "bandwidth"),
		"value");
	cr_expect_str_eq(json_object_get_string(bw), "10Mbit");
	json_object_put(doc);
	free(js);
	vl_topo_free(t);
}

Test(graph, png_starts_with_the_signature)
{
	struct vl_topo *t = load();
	size_t len;
	char *png = render(t, VL_GRAPH_PNG, NULL, &len);
	cr_assert_gt(len, 8);
	cr_expect_eq(memcmp(png, "\x89PNG\r\n\x1a\n", 8), 0);
	free(png);
	vl_topo_free(t);
}

Test(graph, formats_by_name)
{
	static const char *const good[] = {"dot", "svg", "png", "mermaid", "json"};
	for (size_t i = 0; i < 5; i++) {
		enum vl_graph_format f;
		cr_expect_eq(vl_graph_format_parse(good[i], &f), 0, "%s", good[i]);
		cr_expect_str_eq(vl_graph_format_name(f), good[i]);
	}
	static const char *const bad[] = {"gif", "", "SVG", "dotx", "svg ", NULL};
	for (size_t i = 0; i < 6; i++) {
		enum vl_graph_format f = VL_GRAPH_DOT;
		cr_expect_eq(vl_graph_format_parse(bad[i], &f), -1, "%s", bad[i] ? bad[i] : "NULL");
	}
	struct vl_topo *t = load();
	struct vl_graph_opts o = {.format = (enum vl_graph_format)42};
	struct vl_err err;
	vl_err_init(&err);
	char *out;
	size_t len;
	cr_expect_eq(vl_graph_render(t, &o, &out, &len, &err), -EINVAL);
	cr_expect_null(out);
	vl_topo_free(t);
}

/* Quotes, backslashes (Graphviz's \N \G escapes), newlines and Mermaid's
 * own specials in a hostname and a service name. */
Test(graph, hostile_names_are_escaped)
{
	static const char host[] = "q\"x\\N\\\" ]; evil [\n#<b>|";
	struct vl_topo *t = load();
	struct vl_node *a = &t->nodes[vl_topo_find_node(t, "a")];
	snprintf(a->hostname, sizeof(a->hostname), "%s", host);
	a->services = calloc(1, sizeof(*a->services));
	a->n_services = 1;
	a->services[0].kind = VL_SVC_FRR;
	snprintf(a->services[0].name, sizeof(a->services[0].name), "s\"v\\c");
	char *dot = render(t, VL_GRAPH_DOT, NULL, NULL);
	Agraph_t *g = parse_dot(dot);
	cr_expect_eq((size_t)agnnodes(g), t->n_nodes + pipes(t), "%s", dot);
	cr_expect_eq((size_t)agnedges(g), t->n_links + pipes(t), "%s", dot);
	/* The label Graphviz reads back: the escapes undone, nothing lost. */
	const char *label = agget(agnode(g, "a", 0), "label");
	/* (the parser undoes \" only; \\ and \n stay for the renderer) */
	cr_expect(strstr(label, "a (q\"x\\\\N\\\\\" ]; evil [\\n#<b>|)"), "read back: %s\n%s",
		  label, dot);
	cr_expect(strstr(label, "s\"v\\\\c"), "%s", label);
	agclose(g);
	char *mm = render(t, VL_GRAPH_MERMAID, NULL, NULL);
	const char *line = strstr(mm, "    n0");
	cr_assert(line);
	const char *end = strchr(line, '\n');
	int quotes = 0;
	for (const char *p = line; p < end; p++) {
		quotes += *p == '"';
		bool br = !strncmp(p, "<br/>", 5);
		cr_expect(*p != '\\' && (*p != '<' || br) && *p != '|',
			  "raw special in %.*s", (int)(end - line), line);
		p += br ? 4 : 0;
	}
	cr_expect_eq(quotes, 2, "one quoted label: %.*s", (int)(end - line), line);
	cr_expect(strstr(line, "#quot;") && strstr(line, "#92;"), "%.*s", (int)(end - line), line);
	char *svg = render(t, VL_GRAPH_SVG, NULL, NULL);
	XML_Parser x = XML_ParserCreate("UTF-8");
	cr_expect_eq(XML_Parse(x, svg, (int)strlen(svg), 1), XML_STATUS_OK);
	XML_ParserFree(x);
	free(svg);
	free(mm);
	free(dot);
	vl_topo_free(t);
}

/* A running lab's document: link 0 down, its carriers; a service's state. */
Test(graph, running_state_dashes_and_names_carriers)
{
	struct vl_topo *t = load();
	struct vl_node *a = &t->nodes[vl_topo_find_node(t, "a")];
	a->services = calloc(1, sizeof(*a->services));
	a->n_services = 1;
	a->services[0].kind = VL_SVC_FRR;
	snprintf(a->services[0].name, sizeof(a->services[0].name), "frr");
	struct json_object *st = json_tokener_parse(
		"{\"nodes\": [{\"name\": \"a\", \"services\": [{\"service\": \"frr\", "
		"\"state\": \"running\"}]}], \"links\": [{\"endpoints\": [\"a:eth0\", \"b:eth0\"], "
		"\"state\": \"down\", \"pipe\": true, \"downstream\": {\"bandwidth\": {\"value\": "
		"\"10Mbit\", \"by\": \"tbf\"}, \"delay\": {\"value\": \"20ms\", \"by\": \"pipe\"}, "
		"\"loss\": {\"value\": \"1%\", \"by\": \"pipe\"}}, \"upstream\": {\"bandwidth\": "
		"{\"value\": \"10Mbit\", \"by\": \"tbf\"}, \"delay\": {\"value\": \"20ms\", \"by\": "
		"\"pipe\"}, \"loss\": {\"value\": \"1%\", \"by\": \"pipe\"}}}]}");
	cr_assert(st);
	char *dot = render(t, VL_GRAPH_DOT, st, NULL);
	Agraph_t *g = parse_dot(dot);
	Agedge_t *e = agedge(g, agnode(g, "a", 0), agnode(g, "b", 0), NULL, 0);
	cr_assert(e, "%s", dot);
	cr_expect_str_eq(agget(e, "style"), "dashed");
	cr_expect_str_eq(agget(e, "label"), "10Mbit [tbf] 20ms 1% [pipe]");
	cr_expect(strstr(agget(agnode(g, "a", 0), "label"), "frr: running"), "%s", dot);
	Agedge_t *up = agedge(g, agnode(g, "c", 0), agnode(g, "sw", 0), NULL, 0);
	cr_expect(up && strcmp(agget(up, "style"), "dashed"), "only the down link is dashed");
	agclose(g);
	char *mm = render(t, VL_GRAPH_MERMAID, st, NULL);
	cr_expect(strstr(mm, "n0 -.-|"), "down is dotted in Mermaid:\n%s", mm);
	free(mm);
	free(dot);
	json_object_put(st);
	vl_topo_free(t);
}
