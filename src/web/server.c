/* SPDX-License-Identifier: BSD-2-Clause */
/* server.c — the daemon (web.h): where it listens, the limits a request
 * meets, the token asked of every request, and the router.
 *
 * A thread per connection: an event stream's reader and a capture's wait
 * block for a second at a time in their own thread, and the connection
 * limit bounds the threads. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/lifecycle.h"
#include "web/web_int.h"

/* Each connection's thread: the handlers keep a few lab paths and
 * keeper replies on the stack, far below this. */
#define WEB_STACK (512 * 1024)

struct MHD_Response *web_response(const void *body, size_t len, const char *type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	/* The page is self-contained: nothing from elsewhere, no inline script
	 * (Graphviz's svg styles by attribute, the page by its stylesheet). */
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; "
				"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
	return r;
}

enum MHD_Result web_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

enum MHD_Result web_send(struct MHD_Connection *c, unsigned status, const char *type,
			 const void *body, size_t len)
{
	return web_queue(c, status, web_response(body, len, type));
}

enum MHD_Result web_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	msg[strcspn(msg, "\n")] = '\0';
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "error", json_object_new_string(msg));
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	enum MHD_Result rc = web_send(c, status, "application/json", text, strlen(text));
	json_object_put(o);
	return rc;
}

enum MHD_Result web_json(struct MHD_Connection *c, struct json_object *o)
{
	const char *text = json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	enum MHD_Result rc = web_send(c, MHD_HTTP_OK, "application/json", text, strlen(text));
	json_object_put(o);
	return rc;
}

int web_lab(const struct vl_web *w, struct MHD_Connection *c, const char *name,
	    struct vl_lab_paths *p, enum MHD_Result *sent)
{
	struct vl_err err;
	vl_err_init(&err);
	if (vl_lab_paths(w->root, name, p, &err) < 0) {
		*sent = web_error(c, MHD_HTTP_BAD_REQUEST, "%s", err.msg);
		return -1;
	}
	if (!vl_lab_ops_choose(NULL, p, NULL)->alive(p)) {
		*sent = web_error(c, MHD_HTTP_NOT_FOUND, "lab '%s' is not running", p->name);
		return -1;
	}
	return 0;
}

struct json_object *web_inspect(const struct vl_lab_paths *p, struct vl_err *err)
{
	return vl_lab_ops_choose(NULL, p, NULL)->inspect(p, err);
}

bool web_quitting(const struct vl_web *w, int ms)
{
	struct pollfd pf = {.fd = w->quit[0], .events = POLLIN};
	return poll(&pf, 1, ms < 0 ? 0 : ms) > 0;
}

/* ---- the router ---- */

/* "/api/labs/LAB/WHAT": the lab and what of it (both "" when absent);
 * false for anything else under /api. */
static bool api_path(const char *url, char *lab, size_t lablen, char *what, size_t whatlen)
{
	*lab = *what = '\0';
	if (!strcmp(url, "/api/labs"))
		return true;
	if (strncmp(url, "/api/labs/", 10))
		return false;
	const char *s = url + 10, *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (!n || n >= lablen || (slash && (strchr(slash + 1, '/') || strlen(slash + 1) >= whatlen)))
		return false;
	memcpy(lab, s, n);
	lab[n] = '\0';
	if (slash)
		snprintf(what, whatlen, "%s", slash + 1);
	return true;
}

static enum MHD_Result not_allowed(struct MHD_Connection *c, const char *allow)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "{\"error\":\"method not allowed: use %s\"}", allow);
	struct MHD_Response *r = web_response(msg, (size_t)n, "application/json");
	if (r)
		MHD_add_response_header(r, "Allow", allow);
	return web_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
}

/* An API request whose token was good; change: it came in the header. */
static enum MHD_Result api(struct vl_web *w, struct MHD_Connection *c, const char *url,
			   bool post, bool in_header, const struct web_req *r)
{
	char name[256], what[32];
	if (!api_path(url, name, sizeof(name), what, sizeof(what)))
		return web_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
	bool change = !strcmp(what, "link");
	if (change != post)
		return not_allowed(c, change ? "POST" : "GET");
	/* A cookie comes with a forged cross-site request too; the header
	 * only with a request this page's script makes. */
	if (change && !in_header)
		return web_error(c, MHD_HTTP_FORBIDDEN,
				 "a change needs the token in the X-Vnetlab-Token header");
	if (!*name)
		return web_api_labs(w, c);
	struct vl_lab_paths p;
	enum MHD_Result sent;
	if (web_lab(w, c, name, &p, &sent) < 0)
		return sent;
	if (!*what)
		return web_api_lab(w, c, &p);
	if (!strcmp(what, "graph.svg") || !strcmp(what, "graph.json"))
		return web_api_graph(w, c, &p, !strcmp(what, "graph.svg"));
	if (!strcmp(what, "events"))
		return web_events(w, c, &p);
	if (!strcmp(what, "live")) {
		struct vl_err err;
		vl_err_init(&err);
		struct json_object *o = web_sample(&p, &err);
		return o ? web_json(c, o) : web_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "%s", err.msg);
	}
	if (!strcmp(what, "capture"))
		return web_capture(w, c, &p);
	return web_api_link(w, c, &p, r);
}

static enum MHD_Result page(struct MHD_Connection *c, const char *url, bool in_query,
			    const struct vl_web *w)
{
	const struct web_asset *a = web_asset(url);
	if (!a)
		return web_error(c, MHD_HTTP_NOT_FOUND, "no such resource");
	struct MHD_Response *r = web_response(a->data, *a->len, a->type);
	if (r && in_query) {
		char cookie[VL_WEB_TOKEN_MAX + 80];
		web_cookie(w, cookie, sizeof(cookie));
		MHD_add_response_header(r, "Set-Cookie", cookie);
	}
	return web_queue(c, MHD_HTTP_OK, r);
}

/* The whole request is in (body included): who asks, then what. */
static enum MHD_Result dispatch(struct vl_web *w, struct MHD_Connection *c, const char *url,
				const char *method, const struct web_req *r)
{
	bool in_header, in_query;
	switch (web_auth(w, c, &in_header, &in_query)) {
	case WEB_AUTH_NONE:
		return web_error(c, MHD_HTTP_UNAUTHORIZED, "this needs the token: open the URL "
				 "`vnetlab web` printed");
	case WEB_AUTH_BAD:
		return web_error(c, MHD_HTTP_FORBIDDEN, "wrong token");
	case WEB_AUTH_OK:
		break;
	}
	bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
	if (r->too_big)
		return web_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "a request body is at most %d bytes",
				 VL_WEB_MAX_BODY);
	if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api"))
		return get || post ? api(w, c, url, post, in_header, r) : not_allowed(c, "GET, POST");
	return get ? page(c, url, in_query, w) : not_allowed(c, "GET");
}

/* A body declared bigger than the limit is refused before it is read. */
static bool declared_too_big(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	return cl && strtoull(cl, NULL, 10) > VL_WEB_MAX_BODY;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_len, void **con_cls)
{
	(void)version;
	struct vl_web *w = cls;
	struct web_req *r = *con_cls;
	if (!r) {
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*con_cls = r;
		if (declared_too_big(c))
			return web_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
					 "a request body is at most %d bytes", VL_WEB_MAX_BODY);
		return MHD_YES;
	}
	if (*upload_len) {
		size_t n = *upload_len;
		*upload_len = 0;
		if (r->too_big)
			return MHD_YES;
		char *more = r->len + n > VL_WEB_MAX_BODY ? NULL
			     : realloc(r->body, r->len + n + 1);
		/* Answered at once: MHD then closes the connection instead of
		 * reading (and keeping alive) the rest of a body nobody wants. */
		if (!more) {
			r->too_big = true;
			return web_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
					 "a request body is at most %d bytes", VL_WEB_MAX_BODY);
		}
		memcpy(more + r->len, upload, n);
		r->body = more;
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	return dispatch(w, c, url, method, r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	struct web_req *r = *con_cls;
	if (r)
		free(r->body);
	free(r);
	*con_cls = NULL;
}

/* ---- where it listens ---- */

/* "ADDR:PORT", "[V6]:PORT" or "PORT" into ss; 0 or -EINVAL. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *v6, struct vl_err *err)
{
	char host[64] = "127.0.0.1";
	const char *port = s;
	const char *colon = strrchr(s, ':');
	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(end - s - 1), s + 1);
		port = end + 2;
	} else if (colon) {
		if ((size_t)(colon - s) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
		port = colon + 1;
	}
	char *end;
	unsigned long pn = strtoul(port, &end, 10);
	if (!*port || *end || pn > 65535 || port[0] == '-' || port[0] == '+')
		goto bad;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)pn);
		*v6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)pn);
		*v6 = true;
		return 0;
	}
bad:
	return vl_errf(err, "--listen '%s': write ADDR:PORT (an IPv4 address), [ADDR]:PORT "
		       "(IPv6) or PORT; port 0 lets the kernel choose", s), -EINVAL;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

static int start_daemon(struct vl_web *w, struct sockaddr_storage *ss, bool v6,
			struct vl_err *err)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 (v6 ? MHD_USE_IPv6 : 0);
	w->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, ss,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)VL_WEB_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)VL_WEB_MAX_HEADERS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)VL_WEB_IDLE_TIMEOUT_S,
		MHD_OPTION_THREAD_STACK_SIZE, (size_t)WEB_STACK,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 512u,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, w, MHD_OPTION_END);
	if (!w->daemon)
		return vl_errf(err, "cannot listen there (address in use, or not this host's?)"),
		       -EADDRINUSE;
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = i ? i->port : 0;
	char host[INET6_ADDRSTRLEN];
	inet_ntop(ss->ss_family,
		  v6 ? (void *)&((struct sockaddr_in6 *)ss)->sin6_addr
		     : (void *)&((struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
	snprintf(w->url, sizeof(w->url), "http://%s%s%s:%u/?token=%s", v6 ? "[" : "", host,
		 v6 ? "]" : "", port, w->token);
	return 0;
}

struct vl_web *vl_web_start(const struct vl_web_opts *o, struct vl_err *err)
{
	struct sockaddr_storage ss;
	bool v6 = false;
	if (parse_listen(o->listen ? o->listen : "127.0.0.1:0", &ss, &v6, err) < 0)
		return NULL;
	if (!is_loopback(&ss) && !o->expose) {
		vl_errf(err, "--listen %s is not a loopback address: anyone who reaches it "
			"with the token could see and change your labs; add --expose to mean it",
			o->listen);
		return NULL;
	}
	if (o->token && vl_web_token_check(o->token, err) < 0)
		return NULL;
	struct vl_web *w = calloc(1, sizeof(*w));
	if (!w)
		return vl_errf(err, "out of memory"), NULL;
	w->quit[0] = w->quit[1] = -1;
	pthread_mutex_init(&w->draw, NULL);
	w->loopback = is_loopback(&ss);
	if ((o->token ? (snprintf(w->token, sizeof(w->token), "%s", o->token), 0)
		      : vl_web_token_new(w->token, err)) < 0 ||
	    !(w->token_len = strlen(w->token)) ||
	    vl_state_root(w->root, sizeof(w->root), true, err) < 0 ||
	    (pipe2(w->quit, O_CLOEXEC) < 0 && vl_err_sys(err, errno, "pipe")) ||
	    start_daemon(w, &ss, v6, err) < 0) {
		vl_web_stop(w);
		return NULL;
	}
	return w;
}

const char *vl_web_url(const struct vl_web *w)
{
	return w->url;
}

bool vl_web_loopback(const struct vl_web *w)
{
	return w->loopback;
}

void vl_web_stop(struct vl_web *w)
{
	if (!w)
		return;
	/* A full or broken pipe still leaves the streams woken by the
	 * daemon's own shutdown of their sockets: nothing else to do. */
	if (w->quit[1] >= 0 && write(w->quit[1], "q", 1) < 0) {
	}
	if (w->daemon)
		MHD_stop_daemon(w->daemon);
	for (int i = 0; i < 2; i++)
		if (w->quit[i] >= 0)
			close(w->quit[i]);
	pthread_mutex_destroy(&w->draw);
	free(w);
}
