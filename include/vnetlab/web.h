/* SPDX-License-Identifier: BSD-2-Clause */
/* web.h — `vnetlab web`: the caller's running labs in a browser, live.
 *
 * Promise: one HTTP server (libmicrohttpd, a thread per connection) that
 * serves one page built into the binary (web/: nothing is fetched from
 * anywhere) and a small JSON API over the labs of the state root of the
 * user who started it, and no other: the topology drawn by graph.h, each
 * node's interfaces, addresses and routes read live inside it
 * (labview.h), each link's state, impairments and counters, pushed once
 * a second as Server-Sent Events; link edits through the keeper by
 * vl_ctl_link (the path `vnetlab link` takes); a hook's capture as pcap.
 *
 * Every request needs the token, the page included: in the X-Vnetlab-Token
 * header, the `token` query parameter, or the HttpOnly, SameSite=Strict
 * cookie a request with a good token in its query sets.  No token: 401;
 * a wrong one: 403 (compared in constant time).  A change is a POST that
 * carries the token in the header (a cookie alone is what a forged
 * cross-site request would carry); a change by GET is 405.  Requests are
 * bounded (headers, body, connections, idle time): what does not fit is
 * refused with 400, 413 or 431, or the connection is closed, and the
 * server serves on.  It listens on loopback unless told otherwise with
 * `expose`.  No globals: everything lives in the struct vl_web.
 */
#ifndef VNETLAB_WEB_H
#define VNETLAB_WEB_H

#include <stdbool.h>

#include "vnetlab/err.h"

/* A token is 16..128 of [A-Za-z0-9_-]; a made one is 32 random bytes
 * (getrandom) as 64 hex digits. */
#define VL_WEB_TOKEN_MIN 16
#define VL_WEB_TOKEN_MAX 128
/* Limits a request meets (413 past the body's, 431 past the headers'). */
#define VL_WEB_MAX_BODY 8192
#define VL_WEB_MAX_HEADERS 16384
#define VL_WEB_MAX_CONNECTIONS 256
#define VL_WEB_IDLE_TIMEOUT_S 15
/* A capture download's length, in seconds. */
#define VL_WEB_CAPTURE_MAX_S 300

struct vl_web_opts {
	const char *listen; /* "ADDR:PORT", "[V6]:PORT" or "PORT"; NULL: 127.0.0.1:0 */
	bool expose;        /* an address other than loopback is allowed */
	const char *token;  /* NULL: a random one */
};

struct vl_web;

/* Listening and serving (its own threads) when it returns; NULL with err
 * set: a bad address, a non-loopback one without expose, a bad token, a
 * port in use. */
struct vl_web *vl_web_start(const struct vl_web_opts *o, struct vl_err *err);
/* "http://ADDR:PORT/?token=TOKEN": the port the kernel chose for 0. */
const char *vl_web_url(const struct vl_web *w);
/* Whether it listens on a loopback address only. */
bool vl_web_loopback(const struct vl_web *w);
/* Ends every connection (an event stream or a capture in progress too)
 * and frees w. */
void vl_web_stop(struct vl_web *w);

/* A token from text (a --token-file's first line): 0, or -EINVAL with
 * the rule in err. */
int vl_web_token_check(const char *token, struct vl_err *err);
/* A new random token into buf (at least 65 bytes). */
int vl_web_token_new(char *buf, struct vl_err *err);

#endif
