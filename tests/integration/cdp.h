/* SPDX-License-Identifier: BSD-2-Clause */
/* cdp.h — headless Chromium driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: NUL-terminated JSON on its fds 3 and 4), for
 * the web page's browser test.  No WebSocket, no npm package, no browser
 * download: Debian's chromium is all it needs. */
#ifndef VNETLAB_TEST_CDP_H
#define VNETLAB_TEST_CDP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct json_object;

struct cdp {
	pid_t pid;
	int to, from;        /* our ends of its fds 3 (commands) and 4 (answers) */
	int next_id;
	char session[128];   /* the page's session, once attached */
	char profile[64];    /* a throwaway --user-data-dir */
	char *buf;
	size_t len, cap;
};

/* Start chromium (path) headless with a fresh profile. */
void cdp_start(struct cdp *c, const char *path);
/* A new page at url, attached: later calls go to it. */
void cdp_open(struct cdp *c, const char *url);
/* method with params (taken, may be NULL): its "result" (the caller's to
 * put), or NULL on an error answer or no answer within timeout_ms. */
struct json_object *cdp_call(struct cdp *c, const char *method, struct json_object *params,
			     int timeout_ms);
/* The page evaluates expr (a promise is awaited); its value as a string
 * into out (JSON for objects); false when it threw. */
bool cdp_eval(struct cdp *c, const char *expr, char *out, size_t len);
/* A PNG of the page into file; its size, 0 on failure. */
size_t cdp_screenshot(struct cdp *c, const char *file);
void cdp_stop(struct cdp *c);

#endif
