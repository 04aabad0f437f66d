/* SPDX-License-Identifier: BSD-2-Clause */
/* web_int.h — shared by the web server's files (src/web/): the context,
 * one request's state, and what each file offers the others.
 *   server.c  the daemon, its limits, the router, the responses
 *   auth.c    the token: made, checked in constant time, the cookie
 *   api.c     the JSON endpoints: labs, a lab, its drawing, a link edit
 *   events.c  the live stream (Server-Sent Events) of one lab
 *   capture.c a hook's capture as a pcap download
 *   assets.c  the page (web/ compiled in by scripts/embed.sh)
 */
#ifndef VNETLAB_WEB_INT_H
#define VNETLAB_WEB_INT_H

#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/lab.h"
#include "vnetlab/web.h"

struct json_object;

struct vl_web {
	struct MHD_Daemon *daemon;
	char token[VL_WEB_TOKEN_MAX + 1];
	size_t token_len;
	char url[320];
	char root[PATH_MAX / 2 - 64]; /* the state root of the user who started it */
	bool loopback;
	/* Written once at stop: streams waiting for their next second wake
	 * and end, so stopping never waits for a client. */
	int quit[2];
	/* Graphviz keeps state of its own in globals: one drawing at a time. */
	pthread_mutex_t draw;
};

/* One request, from its first call to its end (MHD's con_cls). */
struct web_req {
	char *body;
	size_t len;
	bool too_big;
};

/* ---- auth.c ---- */
enum web_auth { WEB_AUTH_OK, WEB_AUTH_NONE, WEB_AUTH_BAD };
/* The token from the header, the query or the cookie, in that order.
 * *in_header: it came in X-Vnetlab-Token (what a change needs);
 * *in_query: in ?token= (the cookie is set from it). */
enum web_auth web_auth(const struct vl_web *w, struct MHD_Connection *c, bool *in_header,
		       bool *in_query);
/* "vnetlab_token=...; HttpOnly; SameSite=Strict; Path=/" into buf. */
void web_cookie(const struct vl_web *w, char *buf, size_t len);

/* ---- server.c: responses ---- */
/* A response with the headers every answer carries (no caching, no
 * sniffing, no framing, no referrer: the token never leaves in one). */
struct MHD_Response *web_response(const void *body, size_t len, const char *type);
/* Queue r with status, then destroy it (cookie: a Set-Cookie, or NULL). */
enum MHD_Result web_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r);
enum MHD_Result web_send(struct MHD_Connection *c, unsigned status, const char *type,
			 const void *body, size_t len);
/* {"error": "..."} with status. */
enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* o as JSON with status 200; o is put. */
enum MHD_Result web_json(struct MHD_Connection *c, struct json_object *o);
/* A lab of w's state root that is running: 0, or the answer (400 a bad
 * name, 404 none running) already queued in *sent and -1. */
int web_lab(const struct vl_web *w, struct MHD_Connection *c, const char *name,
	    struct vl_lab_paths *p, enum MHD_Result *sent);
/* The running lab's state document (inspect), or NULL with err set. */
struct json_object *web_inspect(const struct vl_lab_paths *p, struct vl_err *err);
/* Wait up to ms for the quit pipe: true when the server is stopping. */
bool web_quitting(const struct vl_web *w, int ms);

/* ---- api.c ---- */
enum MHD_Result web_api_labs(struct vl_web *w, struct MHD_Connection *c);
enum MHD_Result web_api_lab(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p);
enum MHD_Result web_api_graph(struct vl_web *w, struct MHD_Connection *c,
			      const struct vl_lab_paths *p, bool svg);
enum MHD_Result web_api_link(struct vl_web *w, struct MHD_Connection *c,
			     const struct vl_lab_paths *p, const struct web_req *r);

/* ---- events.c ---- */
enum MHD_Result web_events(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p);
/* The sample one event carries (also GET .../live): the state document
 * with each vnet node's netstat ("live") and each piped link's counters. */
struct json_object *web_sample(const struct vl_lab_paths *p, struct vl_err *err);

/* ---- capture.c ---- */
enum MHD_Result web_capture(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p);

/* ---- assets.c ---- */
struct web_asset {
	const char *path, *type;
	const char *data;
	const size_t *len;
};
const struct web_asset *web_asset(const char *path);

#endif
