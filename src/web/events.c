/* SPDX-License-Identifier: BSD-2-Clause */
/* events.c — one lab, live: a sample a second as Server-Sent Events.
 *
 * A sample is the lab's state document (inspect: links' states and
 * impairments, nodes' configured addresses, routes and services) with
 * what is true now added: each vnet node's interfaces, counters,
 * addresses and routes read inside it ("live", labview.h), and each
 * piped link's counters from its keeper ("counters", as `vnetlab link
 * ... show` gives them).  Rates are the page's to work out: a sample
 * carries its time. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnetlab/ctl.h"
#include "vnetlab/kind.h"
#include "vnetlab/labview.h"
#include "web/web_int.h"

#define WEB_TICK_MS 1000
/* A node read that takes longer than this is given up for the tick. */
#define WEB_SAMPLE_TIMEOUT_MS 3000

static long long wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t arr_len(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* The names of the nodes with a network stack of their own: the ones
 * netstat can be read in. */
static struct json_object *stack_nodes(struct json_object *nodes)
{
	struct json_object *names = json_object_new_array();
	for (size_t i = 0; i < arr_len(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		const struct vl_kind_type *k = vl_kind_by_name(
			json_object_get_string(json_object_object_get(n, "kind")));
		if (k && vl_kind_has(k->kind, VL_KF_STACK))
			json_object_array_add(names, json_object_get(json_object_object_get(n, "name")));
	}
	return names;
}

/* Each piped link's counters, asked of the keeper as `link ... show`. */
static void add_link_counters(const struct vl_lab_paths *p, struct json_object *links)
{
	for (size_t i = 0; i < arr_len(links); i++) {
		struct json_object *l = json_object_array_get_idx(links, i);
		struct json_object *eps = json_object_object_get(l, "endpoints");
		if (!json_object_get_boolean(json_object_object_get(l, "pipe")) || arr_len(eps) != 2)
			continue;
		/* A tunnel end is named by its far end: "a:eth0 vxlan:VNI". */
		struct json_object *tn = json_object_object_get(l, "tunnel");
		char far[32];
		snprintf(far, sizeof(far), "vxlan:%s",
			 json_object_get_string(json_object_object_get(tn, "vxlan")));
		char *const words[] = {(char *)json_object_get_string(json_object_array_get_idx(eps, 0)),
				       tn ? far : (char *)json_object_get_string(
							  json_object_array_get_idx(eps, 1))};
		char reply[VL_CTL_MAX];
		struct vl_err err;
		vl_err_init(&err);
		if (!words[0] || !words[1] || vl_ctl_link(p, 2, words, reply, sizeof(reply), &err) < 0)
			continue;
		struct json_object *now = json_tokener_parse(reply + 3);
		struct json_object *cs = json_object_object_get(now, "counters");
		if (cs)
			json_object_object_add(l, "counters", json_object_get(cs));
		json_object_put(now);
	}
}

struct json_object *web_sample(const struct vl_lab_paths *p, struct vl_err *err)
{
	struct json_object *st = web_inspect(p, err);
	if (!st)
		return NULL;
	struct json_object *nodes = json_object_object_get(st, "nodes");
	struct json_object *names = stack_nodes(nodes);
	struct json_object *live = vl_labview_nodes(p, names, WEB_SAMPLE_TIMEOUT_MS, err);
	json_object_put(names);
	for (size_t i = 0; live && i < arr_len(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		struct json_object *v = json_object_object_get(
			live, json_object_get_string(json_object_object_get(n, "name")));
		if (v)
			json_object_object_add(n, "live", json_object_get(v));
	}
	json_object_put(live);
	add_link_counters(p, json_object_object_get(st, "links"));
	json_object_object_add(st, "t", json_object_new_int64(wall_ms()));
	return st;
}

/* One client's stream: the text of the event being sent, and when the
 * next one is due. */
struct stream {
	struct vl_web *w;
	struct vl_lab_paths p;
	char *text;
	size_t len, off;
	long long next;
	bool gone; /* the lab ended: its last event is out, then the stream ends */
};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next event: "data: SAMPLE", or "event: gone" when the lab cannot be
 * read any more. */
static void refill(struct stream *s)
{
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *o = web_sample(&s->p, &err);
	free(s->text);
	s->text = NULL;
	s->off = s->len = 0;
	const char *body = o ? json_object_to_json_string_ext(
				       o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
			     : NULL;
	int n = o ? asprintf(&s->text, "data: %s\n\n", body)
		  : asprintf(&s->text, "event: gone\ndata: {\"error\":\"lab %s: %s\"}\n\n",
			     s->p.name, "no longer running");
	json_object_put(o);
	s->gone = !o;
	s->len = n > 0 ? (size_t)n : 0;
}

static ssize_t ev_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	while (s->off == s->len) {
		if (s->gone)
			return MHD_CONTENT_READER_END_OF_STREAM;
		/* Blocking is fine in this connection's own thread; the quit
		 * pipe ends the wait when the server stops. */
		if (web_quitting(s->w, (int)(s->next - mono_ms())))
			return MHD_CONTENT_READER_END_OF_STREAM;
		s->next = mono_ms() + WEB_TICK_MS;
		refill(s);
	}
	size_t n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(buf, s->text + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void ev_free(void *cls)
{
	struct stream *s = cls;
	free(s->text);
	free(s);
}

enum MHD_Result web_events(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p)
{
	struct stream *s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	s->w = w;
	s->p = *p;
	s->next = mono_ms();
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
								    ev_read, s, ev_free);
	if (!r) {
		ev_free(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	return web_queue(c, MHD_HTTP_OK, r);
}
