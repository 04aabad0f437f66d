/* SPDX-License-Identifier: BSD-2-Clause */
/* cdp.c — see cdp.h. */
#include "cdp.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cdp_start(struct cdp *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	int cmd[2], ans[2];
	cr_assert_eq(pipe2(cmd, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(ans, O_CLOEXEC), 0);
	snprintf(c->profile, sizeof(c->profile), "/tmp/vnetlab-chromium-XXXXXX");
	cr_assert_not_null(mkdtemp(c->profile));
	char dir[96];
	snprintf(dir, sizeof(dir), "--user-data-dir=%s", c->profile);
	c->pid = fork();
	cr_assert(c->pid >= 0);
	if (c->pid == 0) {
		/* Its fd 3 reads our commands, its fd 4 writes its answers. */
		dup2(cmd[0], 3);
		dup2(ans[1], 4);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close_range(5, ~0U, 0);
		/* Root needs --no-sandbox; the test's pages are its own. */
		execl(path, path, "--headless", "--no-sandbox", "--disable-gpu",
		      "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-pipe",
		      "--window-size=1280,800", "--hide-scrollbars", dir, "about:blank", (char *)NULL);
		_exit(127);
	}
	close(cmd[0]);
	close(ans[1]);
	c->to = cmd[1];
	c->from = ans[0];
	c->cap = 1 << 20;
	c->buf = malloc(c->cap);
	cr_assert_not_null(c->buf);
}

/* The next whole message (NUL-terminated on the pipe), parsed, or NULL at
 * the deadline or the browser's end. */
static struct json_object *next_message(struct cdp *c, long long deadline)
{
	for (;;) {
		char *nul = memchr(c->buf, '\0', c->len);
		if (nul) {
			struct json_object *o = json_tokener_parse(c->buf);
			size_t used = (size_t)(nul - c->buf) + 1;
			memmove(c->buf, nul + 1, c->len - used);
			c->len -= used;
			return o;
		}
		if (c->len == c->cap) {
			c->cap *= 2;
			c->buf = realloc(c->buf, c->cap);
			cr_assert_not_null(c->buf);
		}
		long long left = deadline - now_ms();
		struct pollfd p = {.fd = c->from, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return NULL;
		ssize_t n = read(c->from, c->buf + c->len, c->cap - c->len);
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

struct json_object *cdp_call(struct cdp *c, const char *method, struct json_object *params,
			     int timeout_ms)
{
	int id = ++c->next_id;
	struct json_object *m = json_object_new_object();
	json_object_object_add(m, "id", json_object_new_int(id));
	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params ? params : json_object_new_object());
	if (c->session[0])
		json_object_object_add(m, "sessionId", json_object_new_string(c->session));
	const char *text = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(text) + 1; /* the NUL ends the message */
	cr_assert_eq(write(c->to, text, len), (ssize_t)len, "writing to chromium");
	json_object_put(m);
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		struct json_object *o = next_message(c, deadline);
		if (!o)
			return NULL;
		struct json_object *oid = json_object_object_get(o, "id");
		if (!oid || json_object_get_int(oid) != id) { /* an event, or another answer */
			json_object_put(o);
			continue;
		}
		struct json_object *r = json_object_get(json_object_object_get(o, "result"));
		if (json_object_object_get(o, "error"))
			cr_log_error("cdp %s: %s", method,
				     json_object_to_json_string(json_object_object_get(o, "error")));
		json_object_put(o);
		return r;
	}
}

void cdp_open(struct cdp *c, const char *url)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "url", json_object_new_string(url));
	struct json_object *r = cdp_call(c, "Target.createTarget", p, 30000);
	cr_assert_not_null(r, "chromium made no page (is it working at all?)");
	char target[128];
	snprintf(target, sizeof(target), "%s",
		 json_object_get_string(json_object_object_get(r, "targetId")));
	json_object_put(r);
	p = json_object_new_object();
	json_object_object_add(p, "targetId", json_object_new_string(target));
	json_object_object_add(p, "flatten", json_object_new_boolean(1));
	r = cdp_call(c, "Target.attachToTarget", p, 30000);
	cr_assert_not_null(r);
	snprintf(c->session, sizeof(c->session), "%s",
		 json_object_get_string(json_object_object_get(r, "sessionId")));
	json_object_put(r);
}

bool cdp_eval(struct cdp *c, const char *expr, char *out, size_t len)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "expression", json_object_new_string(expr));
	json_object_object_add(p, "returnByValue", json_object_new_boolean(1));
	json_object_object_add(p, "awaitPromise", json_object_new_boolean(1));
	struct json_object *r = cdp_call(c, "Runtime.evaluate", p, 30000);
	bool ok = r && !json_object_object_get(r, "exceptionDetails");
	struct json_object *v = json_object_object_get(json_object_object_get(r, "result"), "value");
	snprintf(out, len, "%s", !v ? "" : json_object_is_type(v, json_type_string)
					   ? json_object_get_string(v)
					   : json_object_to_json_string(v));
	json_object_put(r);
	return ok;
}

static int b64(char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	return ch == '+' ? 62 : ch == '/' ? 63 : -1;
}

size_t cdp_screenshot(struct cdp *c, const char *file)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "format", json_object_new_string("png"));
	struct json_object *r = cdp_call(c, "Page.captureScreenshot", p, 30000);
	const char *data = json_object_get_string(json_object_object_get(r, "data"));
	size_t n = data ? strlen(data) : 0, got = 0;
	unsigned char *png = malloc(n / 4 * 3 + 3);
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; png && i < n; i++) {
		int v = b64(data[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			png[got++] = (unsigned char)(acc >> bits);
		}
	}
	FILE *f = got ? fopen(file, "we") : NULL;
	if (f) {
		got = fwrite(png, 1, got, f) == got ? got : 0;
		fclose(f);
	}
	free(png);
	json_object_put(r);
	return f ? got : 0;
}

void cdp_stop(struct cdp *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	close(c->to);
	close(c->from);
	free(c->buf);
	/* The profile: removed as the browser left it. */
	if (c->profile[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "%s", c->profile);
		const char *argv[] = {"/bin/rm", "-rf", cmd, NULL};
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[0], (char *const *)argv);
			_exit(127);
		}
		while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}
