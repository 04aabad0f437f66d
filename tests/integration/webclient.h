/* SPDX-License-Identifier: BSD-2-Clause */
/* webclient.h — `vnetlab web` from the web tests: the server started in
 * the background and its URL read, a plain HTTP/1.1 client over a socket
 * (raw bytes in, status out), and the server's descriptors and memory. */
#ifndef VNETLAB_TEST_WEBCLIENT_H
#define VNETLAB_TEST_WEBCLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

struct websrv {
	struct bg bg;
	int port;
	char token[160];
	char url[256];
};

/* `vnetlab web --listen 127.0.0.1:0`, returning once it printed its URL. */
void web_start(struct websrv *w);
/* SIGTERM, and its exit status (0: it ended cleanly). */
int web_stop(struct websrv *w);

/* Send len bytes of req on a new connection (then shut our side when
 * half_close), read the answer until the server closes or timeout_ms:
 * the status, or 0 when it closed with none.  The answer into out. */
int http_raw(int port, const void *req, size_t len, bool half_close, int timeout_ms,
	     char *out, size_t outlen);
/* A request with the token in its header ("" body: none): the status. */
int http_req(const struct websrv *w, const char *method, const char *path, const char *body,
	     char *out, size_t outlen);

/* /proc/PID/fd entries, and VmRSS in KiB. */
int proc_fds(int pid);
long proc_rss_kb(int pid);

#endif
