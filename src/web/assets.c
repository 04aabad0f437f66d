/* SPDX-License-Identifier: BSD-2-Clause */
/* assets.c — the page: web/index.html, app.js and style.css, compiled in
 * (the Makefile runs scripts/embed.sh on each), so the binary needs no
 * file beside it and the browser fetches nothing from anywhere else. */
#include <string.h>

#include "web/web_int.h"

extern const char vl_web_index_html[], vl_web_app_js[], vl_web_style_css[];
extern const size_t vl_web_index_html_len, vl_web_app_js_len, vl_web_style_css_len;

static const struct web_asset assets[] = {
	{"/", "text/html; charset=utf-8", vl_web_index_html, &vl_web_index_html_len},
	{"/index.html", "text/html; charset=utf-8", vl_web_index_html, &vl_web_index_html_len},
	{"/app.js", "text/javascript; charset=utf-8", vl_web_app_js, &vl_web_app_js_len},
	{"/style.css", "text/css; charset=utf-8", vl_web_style_css, &vl_web_style_css_len},
};

const struct web_asset *web_asset(const char *path)
{
	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++)
		if (!strcmp(assets[i].path, path))
			return &assets[i];
	return NULL;
}
