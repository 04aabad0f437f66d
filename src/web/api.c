/* SPDX-License-Identifier: BSD-2-Clause */
/* api.c — the JSON endpoints (docs/web.md): the labs, one lab's state,
 * its drawing (graph.h), and a link edit through the keeper. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/ctl.h"
#include "vnetlab/graph.h"
#include "vnetlab/lifecycle.h"
#include "web/web_int.h"

/* A link edit's words: `vnetlab link`'s, at most this many. */
#define WEB_MAX_WORDS 48

static int add_lab(const struct vl_lab_paths *p, void *arg)
{
	const struct vl_lab_ops *ops = vl_lab_ops_choose(NULL, p, NULL);
	bool alive = ops->alive(p);
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *st = alive ? ops->inspect(p, &err) : NULL;
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "status", json_object_new_string(
				       !alive ? "stale" : st ? "running" : "starting"));
	struct json_object *nodes = json_object_object_get(st, "nodes");
	if (json_object_is_type(nodes, json_type_array))
		json_object_object_add(o, "nodes",
				       json_object_new_int((int)json_object_array_length(nodes)));
	json_object_array_add(arg, o);
	json_object_put(st);
	return 0;
}

enum MHD_Result web_api_labs(struct vl_web *w, struct MHD_Connection *c)
{
	struct json_object *arr = json_object_new_array();
	int rc = vl_lab_foreach(w->root, add_lab, arr);
	if (rc < 0) {
		json_object_put(arr);
		return web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "reading the state root: %s",
				 strerror(-rc));
	}
	return web_json(c, arr);
}

enum MHD_Result web_api_lab(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p)
{
	(void)w;
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *st = web_inspect(p, &err);
	return st ? web_json(c, st) : web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err.msg);
}

/* The lab as it runs now, in the topology format: the keeper keeps it
 * in topology.json beside state.json (graph edits change it). */
static int running_topo(const struct vl_lab_paths *p, struct vl_topo **t, struct vl_err *err)
{
	char path[sizeof(p->dir) + 16];
	snprintf(path, sizeof(path), "%s/topology.json", p->dir);
	return vl_topo_load_file(path, t, err);
}

enum MHD_Result web_api_graph(struct vl_web *w, struct MHD_Connection *c,
			      const struct vl_lab_paths *p, bool svg)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	struct json_object *st = web_inspect(p, &err);
	if (!st || running_topo(p, &t, &err) < 0) {
		json_object_put(st);
		return web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err.msg);
	}
	struct vl_graph_opts o = {.format = svg ? VL_GRAPH_SVG : VL_GRAPH_JSON, .addrs = true,
				  .state = st};
	char *out = NULL;
	size_t len = 0;
	pthread_mutex_lock(&w->draw);
	int rc = vl_graph_render(t, &o, &out, &len, &err);
	pthread_mutex_unlock(&w->draw);
	vl_topo_free(t);
	json_object_put(st);
	enum MHD_Result sent = rc < 0 ? web_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "%s", err.msg)
			       : web_send(c, MHD_HTTP_OK, svg ? "image/svg+xml" : "application/json",
					  out, len);
	free(out);
	return sent;
}

/* {"ends": ["A:IF", "B:IF"], "words": ["set", "delay", "20ms"]}: the
 * words of `vnetlab link LAB A:IF B:IF ...`, into words (pointing into
 * o); their count, or -1 with the reason in err. */
static int edit_words(struct json_object *o, const char *words[WEB_MAX_WORDS],
		      struct vl_err *err)
{
	struct json_object *ends = json_object_object_get(o, "ends");
	struct json_object *ws = json_object_object_get(o, "words");
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_is_type(ends, json_type_array) || json_object_array_length(ends) != 2 ||
	    (ws && !json_object_is_type(ws, json_type_array)))
		return vl_errf(err, "write {\"ends\": [\"A:IF\", \"B:IF\"], \"words\": "
			       "[...]}, the words of `vnetlab link`"), -1;
	size_t nw = ws ? json_object_array_length(ws) : 0;
	if (nw + 2 > WEB_MAX_WORDS)
		return vl_errf(err, "at most %d words", WEB_MAX_WORDS - 2), -1;
	int n = 0;
	for (size_t i = 0; i < 2 + nw; i++) {
		struct json_object *v = i < 2 ? json_object_array_get_idx(ends, i)
					      : json_object_array_get_idx(ws, i - 2);
		if (!json_object_is_type(v, json_type_string))
			return vl_errf(err, "every end and word is a string"), -1;
		words[n++] = json_object_get_string(v);
	}
	return n;
}

enum MHD_Result web_api_link(struct vl_web *w, struct MHD_Connection *c,
			     const struct vl_lab_paths *p, const struct web_req *r)
{
	(void)w;
	struct vl_err err;
	vl_err_init(&err);
	struct json_tokener *tok = json_tokener_new_ex(8);
	struct json_object *o = tok && r->body ? json_tokener_parse_ex(tok, r->body, (int)r->len)
				: NULL;
	bool whole = tok && o && json_tokener_get_parse_end(tok) == r->len;
	json_tokener_free(tok);
	const char *words[WEB_MAX_WORDS];
	int n = whole ? edit_words(o, words, &err) : (vl_errf(&err, "the body is not JSON"), -1);
	char reply[VL_CTL_MAX];
	int rc = n < 0 ? -EINVAL
		       : vl_ctl_link(p, n, (char *const *)words, reply, sizeof(reply), &err);
	json_object_put(o);
	if (rc < 0)
		/* The keeper's refusal (-EPROTO) and ours are the request's fault. */
		return web_error(c, rc == -EINVAL || rc == -EPROTO ? MHD_HTTP_BAD_REQUEST
								   : MHD_HTTP_SERVICE_UNAVAILABLE,
				 "%s", err.msg);
	return web_send(c, MHD_HTTP_OK, "application/json", reply + 3, strlen(reply + 3));
}
