/* SPDX-License-Identifier: BSD-2-Clause */
/* auth.c — the web server's one secret: a token made from getrandom,
 * asked of every request, compared in constant time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "web/web_int.h"

int vl_web_token_new(char *buf, struct vl_err *err)
{
	unsigned char raw[32];
	size_t got = 0;
	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vl_err_sys(err, errno, "getrandom");
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int vl_web_token_check(const char *t, struct vl_err *err)
{
	size_t n = strnlen(t, VL_WEB_TOKEN_MAX + 1);
	bool ok = n >= VL_WEB_TOKEN_MIN && n <= VL_WEB_TOKEN_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		     (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_';
	if (!ok)
		return vl_errf(err, "a token is %d to %d characters of A-Z, a-z, 0-9, '-' "
			       "and '_'", VL_WEB_TOKEN_MIN, VL_WEB_TOKEN_MAX), -EINVAL;
	return 0;
}

/* Every byte of the real token is looked at whatever was given, so the
 * time taken says nothing of how much of a guess was right. */
static bool same_token(const struct vl_web *w, const char *given)
{
	size_t n = strnlen(given, VL_WEB_TOKEN_MAX + 1);
	unsigned char diff = n != w->token_len;
	for (size_t i = 0; i < w->token_len; i++)
		diff |= (unsigned char)(w->token[i] ^ (i < n ? given[i] : 0));
	return diff == 0;
}

enum web_auth web_auth(const struct vl_web *w, struct MHD_Connection *c, bool *in_header,
		       bool *in_query)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Vnetlab-Token");
	const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
	const char *k = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "vnetlab_token");
	const char *given = h ? h : q ? q : k;
	*in_header = false;
	*in_query = false;
	if (!given || !*given)
		return WEB_AUTH_NONE;
	if (!same_token(w, given))
		return WEB_AUTH_BAD;
	*in_header = h != NULL;
	*in_query = !h && q != NULL;
	return WEB_AUTH_OK;
}

void web_cookie(const struct vl_web *w, char *buf, size_t len)
{
	snprintf(buf, len, "vnetlab_token=%s; HttpOnly; SameSite=Strict; Path=/", w->token);
}
