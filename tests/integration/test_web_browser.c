/* SPDX-License-Identifier: BSD-2-Clause */
/* The web page in a real browser (issue 18): headless Chromium loads the
 * page of a running lab from the URL `vnetlab web` printed, every node is
 * drawn, a delay set through the page's form is what `vnetlab link ...
 * show` reports, and a link's counters move while a ping runs.  The
 * screenshot it takes is build/web.png (the README's docs/web.png is
 * one of these), or /tmp/vnetlab-web-UID.png where build/ is not ours. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cdp.h"
#include "harness.h"
#include "webclient.h"

#define CHROMIUM "/usr/bin/chromium"

static char file[64], name[64], out[1 << 16];

static const char *yaml =
	"name: webview\n"
	"nodes:\n"
	"  h1: { ifaces: { eth0: { addrs: [10.78.1.10/24] } }, routes: [ { to: default, via: 10.78.1.1 } ] }\n"
	"  r1:\n"
	"    forwarding: true\n"
	"    ifaces: { lan: { addrs: [10.78.1.1/24] }, wan: { addrs: [10.78.2.1/24] } }\n"
	"  sw: { kind: bridge }\n"
	"  h2: { ifaces: { eth0: { addrs: [10.78.2.20/24] } }, routes: [ { to: default, via: 10.78.2.1 } ] }\n"
	"  h3: { ifaces: { eth0: { addrs: [10.78.2.30/24] } }, routes: [ { to: default, via: 10.78.2.1 } ] }\n"
	"links:\n"
	"  - endpoints: [h1:eth0, r1:lan]\n"
	"    delay: 2ms\n"
	"  - [r1:wan, sw:p1]\n"
	"  - [h2:eth0, sw:p2]\n"
	"  - [h3:eth0, sw:p3]\n";

static const char *nodes[] = {"h1", "r1", "sw", "h2", "h3"};

static void pause_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Evaluate expr until it gives want (at most ms): a condition polled. */
static bool eval_until(struct cdp *c, const char *expr, const char *want, int ms, char *got,
		       size_t len)
{
	for (int waited = 0;; waited += 100) {
		if (cdp_eval(c, expr, got, len) && !strcmp(got, want))
			return true;
		if (waited >= ms)
			return false;
		pause_ms(100);
	}
}

static unsigned long long counter(struct cdp *c, const char *id)
{
	char expr[256], v[64];
	snprintf(expr, sizeof(expr), "String(document.getElementById('%s')?.dataset.value ?? '')", id);
	cdp_eval(c, expr, v, sizeof(v));
	return strtoull(v, NULL, 10);
}

/* build/ beside the binary under test: where the screenshot goes; when
 * this user may not write there (the unprivileged pass over a tree root
 * built), /tmp/vnetlab-web-UID.png. */
static void shot_path(char *buf, size_t len)
{
	char b[4096];
	snprintf(b, sizeof(b), "%s", bin());
	snprintf(buf, len, "%s/build", dirname(b));
	if (access(buf, W_OK) == 0)
		snprintf(buf + strlen(buf), len - strlen(buf), "/web.png");
	else
		snprintf(buf, len, "/tmp/vnetlab-web-%u.png", (unsigned)getuid());
}

Test(web, browser, .timeout = 170)
{
	need_labs();
	need_tool(CHROMIUM, "chromium");
	up_text("webview", yaml, file, name);
	struct websrv w;
	web_start(&w);
	struct cdp c;
	cdp_start(&c, CHROMIUM);
	cdp_open(&c, w.url);
	char got[4096];
	/* Every node drawn: one node-NAME element each, from the layout. */
	cr_expect(eval_until(&c, "String(document.querySelectorAll('#graph [id^=\"node-\"]').length)",
			     "5", 20000, got, sizeof(got)), "nodes drawn: %s", got);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char expr[160];
		snprintf(expr, sizeof(expr), "String(!!document.getElementById('node-%s'))", nodes[i]);
		cr_expect(eval_until(&c, expr, "true", 1000, got, sizeof(got)), "node-%s is not drawn",
			  nodes[i]);
	}
	/* The stream runs: two samples at least. */
	cr_expect(eval_until(&c, "String(Number(document.body.dataset.ticks || 0) >= 2)", "true",
			     10000, got, sizeof(got)), "no live samples");
	/* The link h1 -- r1 (link-0) chosen, a delay set through its form. */
	cr_assert(cdp_eval(&c, "document.getElementById('link-0').dispatchEvent("
			   "new MouseEvent('click', {bubbles: true})); "
			   "String(!!document.getElementById('imp-form'))", got, sizeof(got)) &&
		  !strcmp(got, "true"), "no link panel: %s", got);
	cr_assert(cdp_eval(&c, "document.getElementById('imp-param').value = 'delay';"
			   "document.getElementById('imp-value').value = '37ms';"
			   "document.getElementById('imp-set').click(); 'sent'", got, sizeof(got)));
	const char *show[] = {bin(), "link", name, "h1:eth0", "r1:lan", "show", NULL};
	bool seen = false;
	for (int k = 0; k < 100 && !seen; k++) {
		run(show, NULL, out, sizeof(out), NULL);
		seen = strstr(out, "delay 37ms") != NULL;
		if (!seen)
			pause_ms(100);
	}
	cr_expect(seen, "the page's delay is not what link show reports: %s", out);
	/* Counters move while a ping runs across that link. */
	struct bg ping;
	const char *pargv[] = {bin(), "exec", name, "h1", "--", "ping", "-i", "0.05", "-c", "300",
			       "10.78.2.20", NULL};
	bg_start(&ping, pargv);
	unsigned long long before = counter(&c, "lc-a-tx_packets");
	unsigned long long after = before;
	for (int k = 0; k < 100 && after < before + 20; k++) {
		pause_ms(100);
		after = counter(&c, "lc-a-tx_packets");
	}
	fprintf(stderr, "web: browser: h1:eth0 tx packets %llu -> %llu on the page\n", before, after);
	cr_expect_geq(after, before + 20, "the page's counters did not move: %llu -> %llu", before,
		      after);
	/* The picture, once the rates show. */
	cr_expect(eval_until(&c, "String(/[0-9]/.test(document.getElementById('lc-a-tx_packets')"
			     "?.textContent || ''))", "true", 5000, got, sizeof(got)));
	char png[4200];
	shot_path(png, sizeof(png));
	size_t n = cdp_screenshot(&c, png);
	cr_expect_gt(n, 1000, "no screenshot at %s", png);
	FILE *f = fopen(png, "re");
	unsigned char magic[8] = {0};
	if (f) {
		cr_expect_eq(fread(magic, 1, 8, f), 8);
		fclose(f);
	}
	cr_expect(!memcmp(magic, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", png);
	fprintf(stderr, "web: browser: screenshot %s (%zu bytes)\n", png, n);
	kill(ping.pid, SIGTERM);
	bg_finish(&ping);
	cdp_stop(&c);
	cr_expect_eq(web_stop(&w), 0, "%s", w.bg.out);
	down_text(file, name);
}
