/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzzer findings stay fixed: every input in tests/fuzz/regress/ goes
 * through the fuzzer's own pipeline (one_input.c), which aborts on a
 * malformed refusal; under SANITIZE=1 ASan/UBSan watch it too.  Then the
 * classes of hostile input the fuzzer met, each with a bounded time. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "one_input.h"
#include "verbs_input.h"
#include "vnetlab/topo.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int replay(const char *dir, int (*one)(const unsigned char *, size_t))
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t len;
		char *buf = slurp(path, &len);
		one((const unsigned char *)buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

/* The verbs fuzzer's findings and seeds: vl_fuzz_verbs aborts when an
 * accepted command sequence leaves a model the loader refuses. */
Test(fuzz, verbs_regressions_replay)
{
	int n = replay(SRCDIR "/tests/fuzz/verbs-regress", vl_fuzz_verbs);
	cr_assert_geq(n, 2, "regression corpus went missing: %d files", n);
	cr_assert_geq(replay(SRCDIR "/tests/fuzz/verbs-seeds", vl_fuzz_verbs), 2);
}

Test(fuzz, regressions_replay)
{
	int n = replay(SRCDIR "/tests/fuzz/regress", vl_fuzz_topo);
	cr_assert_geq(n, 2, "regression corpus went missing: %d files", n);
}

static int load(const char *y, size_t len, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	vl_err_init(err);
	int rc = vl_topo_load_buffer("x.yaml", y, len, &t, err);
	vl_topo_free(t);
	return rc;
}

/* Found by the fuzzer: a list as a mapping key reached strlen(NULL). */
Test(fuzz, complex_keys_are_refused)
{
	const char *y = "nodes:\n  a: { ifaces: { [e0]: {} } }\n";
	struct vl_err err;
	cr_assert_neq(load(y, strlen(y), &err), 0);
	cr_assert(strstr(err.msg, "x.yaml:2:18: error: a key must be a plain value"),
		  "%s", err.msg);
}

/* Found by the fuzzer: a key holding newlines forged extra error lines;
 * one with ESC could drive the user's terminal. */
Test(fuzz, control_characters_are_escaped_in_messages)
{
	const char *y = "nodes:\n  a: { \"bad\\nx.yaml:9:9: error: forged\\e[2J\": 1 }\n";
	struct vl_err err;
	cr_assert_neq(load(y, strlen(y), &err), 0);
	cr_assert_eq(err.count, 1, "%s", err.msg);
	cr_assert_null(strchr(err.msg, '\n'), "%s", err.msg);
	cr_assert_null(strchr(err.msg, '\033'), "%s", err.msg);
	cr_assert(strstr(err.msg, "bad\\x0ax.yaml:9:9: error: forged\\x1b[2J"), "%s",
		  err.msg);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Over the size limit: refused before libyaml sees a byte. */
Test(fuzz, file_over_64_mib_is_refused_at_once)
{
	size_t len = (64u << 20) + 1;
	char *y = malloc(len);
	memset(y, '#', len);
	struct vl_err err;
	double t0 = now();
	cr_assert_neq(load(y, len, &err), 0);
	cr_expect_lt(now() - t0, 0.5);
	cr_assert(strstr(err.msg, "x.yaml: error: file larger than 64 MiB"), "%s", err.msg);
	free(y);
}

/* Large but legal: a chain of 40,000 nodes (about 2 MB) loads in bounded
 * time.  Duplicate-key checks at each insert and linear node lookups per
 * link made it quadratic: 3 s for the nodes alone, 5 s with links, minutes
 * for a hostile file at the size limits. */
Test(fuzz, large_file_loads_in_bounded_time, .timeout = 30)
{
	size_t cap = 64u << 20, n = 0;
	char *y = malloc(cap);
	n += (size_t)sprintf(y + n, "nodes:\n");
	for (int i = 0; i < 40000; i++)
		n += (size_t)sprintf(y + n, "  n%d: {}\n", i);
	n += (size_t)sprintf(y + n, "links:\n");
	for (int i = 0; i + 1 < 40000; i++)
		n += (size_t)sprintf(y + n, "  - [n%d:a, n%d:b]\n", i, i + 1);
	struct vl_err err;
	double t0 = now();
	int rc = load(y, n, &err);
	double dt = now() - t0;
	cr_expect_eq(rc, 0, "%s", err.msg);
	/* ~0.5 s here, ~1.5 s under ASan; quadratic was over 5 s. */
	cr_expect_lt(dt, 4.0, "40,000 nodes took %.1f s", dt);
	free(y);
}

/* Many addresses and routes on one node: checked by sorting (pairwise,
 * 100,000 routes took 18 s), and duplicates still found. */
Test(fuzz, many_routes_and_addresses_in_bounded_time, .timeout = 30)
{
	size_t cap = 16u << 20, n = 0;
	char *y = malloc(cap);
	n += (size_t)sprintf(y + n, "nodes:\n  a:\n    ifaces:\n      e0:\n        addrs:\n");
	for (int i = 0; i < 50000; i++)
		n += (size_t)sprintf(y + n, "          - 10.%d.%d.%d/8\n", (i >> 16) & 255,
				     (i >> 8) & 255, i & 255);
	n += (size_t)sprintf(y + n, "    routes:\n");
	for (int i = 0; i < 50000; i++)
		n += (size_t)sprintf(y + n, "      - { to: 11.%d.%d.%d/32, via: 10.0.0.2 }\n",
				     (i >> 16) & 255, (i >> 8) & 255, i & 255);
	size_t body = n;
	n += (size_t)sprintf(y + n, "  b: {}\nlinks:\n  - [a:e0, b:e0]\n");
	struct vl_err err;
	double t0 = now();
	int rc = load(y, n, &err);
	double dt = now() - t0;
	cr_expect_eq(rc, 0, "%s", err.msg);
	cr_expect_lt(dt, 4.0, "50,000 addresses and routes took %.1f s", dt);
	/* The same with one address, one route and one default twice. */
	n = body;
	n += (size_t)sprintf(y + n, "      - { to: 11.0.0.7/32, via: 10.0.0.3 }\n"
				    "      - { to: default, via: 10.0.0.2 }\n"
				    "      - { to: default, via: 10.0.0.3 }\n"
				    "  b: { ifaces: { e0: { addrs: [10.200.0.1/8, 10.200.0.2/8, "
				    "10.200.0.1/8] } } }\n"
				    "links:\n  - [a:e0, b:e0]\n");
	cr_expect_neq(load(y, n, &err), 0);
	/* 11.0.0.7 is route 8, on line 50,007 + 7 (header 5 + addrs + 2). */
	cr_expect(strstr(err.msg, "already has a route to this destination (line 50014)"),
		  "%s", err.msg);
	cr_expect(strstr(err.msg, "x.yaml:100009:9: error: node 'a' already has a route to "
			 "this destination (line 100008)"), "%s", err.msg);
	cr_expect(strstr(err.msg, "address 10.200.0.1 is already on b:e0"), "%s", err.msg);
	cr_expect_eq(err.count, 3, "%s", err.msg);
	free(y);
}
