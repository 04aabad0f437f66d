/* SPDX-License-Identifier: BSD-2-Clause */
/* check_report: a made-up check's matrix, its JSON (docs/topology.md's
 * "check --json"), and the rule behind `vnetlab check`'s exit status. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/check.h"
#include "vnetlab/compare.h"

static struct vl_probe probe(size_t src, size_t dst, const char *ip, unsigned sent,
			     unsigned received, double min, double max, double sum)
{
	struct vl_probe p = {.src = src, .dst = dst, .sent = sent, .received = received,
			     .rtt_min = received ? min : -1, .rtt_max = received ? max : -1,
			     .rtt_sum = received ? sum : 0};
	cr_assert_eq(vl_ip_parse(ip, false, &p.ip), 0, "%s", ip);
	return p;
}

/* Nodes a, b, c and router-with-a-long-name; a and b probe, c and the
 * router do not (no address of a family they share, say). */
static void made_up(struct vl_check *c, const struct vl_probe *probes, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->opts.count = 3;
	c->state = json_tokener_parse(
		"{\"name\": \"lab1\", \"backend\": \"linux\", \"nodes\": ["
		"{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"},"
		"{\"name\": \"router-with-a-long-name\"}]}");
	cr_assert_not_null(c->state);
	c->probes = calloc(n ? n : 1, sizeof(*probes));
	if (n)
		memcpy(c->probes, probes, n * sizeof(*probes));
	c->n_probes = n;
}

/* a -> b: v4 all answered, v6 one of three lost; a -> c: nothing back;
 * b -> a: all answered. */
static void sample(struct vl_check *c)
{
	const struct vl_probe p[] = {
		probe(0, 1, "10.0.0.2", 3, 3, 0.1, 0.3, 0.6),
		probe(0, 1, "fd00::2", 3, 2, 0.2, 0.5, 0.7),
		probe(0, 2, "10.0.1.3", 3, 0, 0, 0, 0),
		probe(1, 0, "10.0.0.1", 3, 3, 1.5, 2.5, 6.0),
	};
	made_up(c, p, 4);
}

static char *matrix(const struct vl_check *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vl_check_print_matrix(c, f);
	fclose(f);
	return buf;
}

/* The whitespace-separated words of line i of s, joined by one space. */
static void words(const char *s, int i, char *out, size_t len)
{
	const char *l = s;
	for (int k = 0; k < i && l; k++)
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
	out[0] = '\0';
	if (!l)
		return;
	size_t o = 0;
	bool space = false;
	for (; *l && *l != '\n' && o + 2 < len; l++) {
		if (*l == ' ') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		space = false;
		out[o++] = *l;
	}
	out[o] = '\0';
}

static size_t line_len(const char *s, int i)
{
	for (int k = 0; k < i; k++)
		s = strchr(s, '\n') + 1;
	return (size_t)(strchr(s, '\n') - s);
}

Test(check_report, matrix)
{
	struct vl_check c;
	sample(&c);
	char *m = matrix(&c), w[256];
	words(m, 0, w, sizeof(w));
	cr_expect_str_eq(w, "RTT in ms (lowest of 3 probes; worst address per node)");
	/* Columns: the nodes something was sent to, in state order. */
	words(m, 1, w, sizeof(w));
	cr_expect_str_eq(w, "from\\to a b c", "%s", m);
	/* A cell is the worst of the addresses' lowest RTTs, FAIL when one
	 * address never answered, n/a when nothing was sent, - on itself. */
	words(m, 2, w, sizeof(w));
	cr_expect_str_eq(w, "a - 0.200 FAIL", "%s", m);
	words(m, 3, w, sizeof(w));
	cr_expect_str_eq(w, "b 1.500 - n/a", "%s", m);
	/* Rows are sources only; the table's columns line up. */
	cr_expect_eq(line_len(m, 2), line_len(m, 1));
	cr_expect_eq(line_len(m, 3), line_len(m, 1));
	words(m, 4, w, sizeof(w));
	cr_expect_str_eq(w, "2/3 node pairs reachable (3/4 addresses answered)", "%s", m);
	words(m, 5, w, sizeof(w));
	cr_expect_str_eq(w, "loss a -> b (fd00::2): 1/3 lost (33.3%), RTT min/avg/max "
			    "0.200/0.350/0.500 ms", "%s", m);
	words(m, 6, w, sizeof(w));
	cr_expect_str_eq(w, "FAIL a -> c (10.0.1.3): 0/3 answered", "%s", m);
	words(m, 7, w, sizeof(w));
	cr_expect_str_eq(w, "", "nothing more: %s", m);
	free(m);
	vl_check_free(&c);
}

Test(check_report, matrix_column_width_follows_names)
{
	const struct vl_probe p[] = {probe(3, 0, "10.0.0.1", 1, 1, 2, 2, 2)};
	struct vl_check c;
	made_up(&c, p, 1);
	char *m = matrix(&c), w[256];
	words(m, 2, w, sizeof(w));
	cr_expect_str_eq(w, "router-with-a-long-name 2.000", "%s", m);
	/* 23 characters and a space per column, two columns. */
	cr_expect_eq(line_len(m, 1), 2 * 24 + 1, "%s", m);
	cr_expect_eq(line_len(m, 2), line_len(m, 1), "%s", m);
	free(m);
	vl_check_free(&c);
}

static struct json_object *at(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  json_object_to_json_string(o));
	return v;
}

static void keys_are(struct json_object *o, const char *want)
{
	char got[256] = "";
	json_object_object_foreach(o, k, v) {
		(void)v;
		strncat(got, got[0] ? " " : "", sizeof(got) - strlen(got) - 1);
		strncat(got, k, sizeof(got) - strlen(got) - 1);
	}
	cr_expect_str_eq(got, want);
}

Test(check_report, json)
{
	struct vl_check c;
	sample(&c);
	struct json_object *j = vl_check_json(&c);
	keys_are(j, "lab backend probes_per_target results summary");
	cr_expect_str_eq(json_object_get_string(at(j, "lab")), "lab1");
	cr_expect_str_eq(json_object_get_string(at(j, "backend")), "linux");
	cr_expect_eq(json_object_get_int(at(j, "probes_per_target")), 3);
	struct json_object *r = at(j, "results");
	cr_assert_eq(json_object_array_length(r), 4, "one result per (source, address)");
	static const char *const want[4][4] = {{"a", "b", "10.0.0.2", "ipv4"},
					       {"a", "b", "fd00::2", "ipv6"},
					       {"a", "c", "10.0.1.3", "ipv4"},
					       {"b", "a", "10.0.0.1", "ipv4"}};
	static const int counts[4][2] = {{3, 3}, {3, 2}, {3, 0}, {3, 3}};
	for (size_t i = 0; i < 4; i++) {
		struct json_object *o = json_object_array_get_idx(r, i);
		keys_are(o, "src dst addr family sent received rtt_ms");
		cr_expect_str_eq(json_object_get_string(at(o, "src")), want[i][0]);
		cr_expect_str_eq(json_object_get_string(at(o, "dst")), want[i][1]);
		cr_expect_str_eq(json_object_get_string(at(o, "addr")), want[i][2]);
		cr_expect_str_eq(json_object_get_string(at(o, "family")), want[i][3]);
		cr_expect_eq(json_object_get_int(at(o, "sent")), counts[i][0]);
		cr_expect_eq(json_object_get_int(at(o, "received")), counts[i][1]);
	}
	/* rtt_ms: min, avg over the replies received, max; null for none. */
	struct json_object *v6 = at(json_object_array_get_idx(r, 1), "rtt_ms");
	keys_are(v6, "min avg max");
	cr_expect_float_eq(json_object_get_double(at(v6, "min")), 0.2, 1e-9);
	cr_expect_float_eq(json_object_get_double(at(v6, "avg")), 0.35, 1e-9);
	cr_expect_float_eq(json_object_get_double(at(v6, "max")), 0.5, 1e-9);
	struct json_object *b = at(json_object_array_get_idx(r, 3), "rtt_ms");
	cr_expect_float_eq(json_object_get_double(at(b, "avg")), 2.0, 1e-9);
	cr_expect_null(at(json_object_array_get_idx(r, 2), "rtt_ms"));
	struct json_object *s = at(j, "summary");
	keys_are(s, "targets answered ok");
	cr_expect_eq(json_object_get_int(at(s, "targets")), 4);
	cr_expect_eq(json_object_get_int(at(s, "answered")), 3);
	cr_expect(!json_object_get_boolean(at(s, "ok")));

	/* What `compare` reads: the report against itself differs nowhere. */
	struct vl_tolerance tol = {0, 0};
	struct vl_err err;
	vl_err_init(&err);
	FILE *devnull = fopen("/dev/null", "we");
	cr_expect_eq(vl_compare(j, j, "x", "y", &tol, devnull, &err), 0, "%s", err.msg);
	fclose(devnull);
	json_object_put(j);
	vl_check_free(&c);
}

Test(check_report, exit_status_rule)
{
	/* `vnetlab check` exits 0 when every target answered at least once
	 * (loss alone is not failure), 1 when one never did. */
	struct vl_check c;
	sample(&c);
	cr_expect(!vl_check_ok(&c), "a -> c never answered");
	c.probes[2].received = 1;
	c.probes[2].rtt_min = c.probes[2].rtt_max = c.probes[2].rtt_sum = 4;
	cr_expect(vl_check_ok(&c), "2 of 3 answered on one address is still reachable");
	struct json_object *j = vl_check_json(&c);
	cr_expect(json_object_get_boolean(at(at(j, "summary"), "ok")), "JSON agrees");
	json_object_put(j);
	c.probes[0].received = 0;
	cr_expect(!vl_check_ok(&c), "the first probe failing counts too");
	c.probes[0].received = 3;
	c.probes[3].received = 0;
	cr_expect(!vl_check_ok(&c), "the last probe failing counts too");
	/* (A check with nothing to probe is left to check.h's own rule.) */
	vl_check_free(&c);
}

/* A check over several hosts: two hosts' reports, each from its own
 * sources, merged into one check that says what one report of the whole
 * lab would. */
Test(check_report, reports_of_two_hosts_merge_into_one_matrix)
{
	struct vl_probe one[] = {probe(0, 1, "10.0.0.2", 3, 3, 0.1, 0.3, 0.6)};
	struct vl_check h1, h2, all;
	made_up(&h1, one, 1);
	struct vl_probe two[] = {probe(1, 0, "10.0.0.1", 3, 2, 0.2, 0.4, 0.6),
				 probe(1, 2, "10.0.0.3", 3, 0, 0, 0, 0)};
	made_up(&h2, two, 2);
	struct json_object *r1 = vl_check_json(&h1), *r2 = vl_check_json(&h2);
	made_up(&all, NULL, 0);
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_check_add_json(&all, r1, &err), 0, "%s", err.msg);
	cr_assert_eq(vl_check_add_json(&all, r2, &err), 0, "%s", err.msg);
	cr_assert_eq(all.n_probes, 3);
	cr_expect_eq(all.probes[1].src, 1);
	cr_expect_eq(all.probes[1].received, 2);
	cr_expect_float_eq(all.probes[1].rtt_min, 0.2, 1e-9);
	cr_expect_float_eq(all.probes[1].rtt_sum / all.probes[1].received, 0.3, 1e-9);
	cr_expect_not(vl_check_ok(&all), "b -> c never answered");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	vl_check_print_matrix(&all, f);
	fclose(f);
	cr_expect(strstr(text, "2/3 node pairs reachable"), "%s", text);
	free(text);
	/* a report naming a node this lab does not have is refused */
	struct json_object *bad = json_tokener_parse(
		"{\"results\": [{\"src\": \"a\", \"dst\": \"zz\", \"addr\": \"10.0.0.9\","
		" \"sent\": 1, \"received\": 1}]}");
	cr_expect_lt(vl_check_add_json(&all, bad, &err), 0);
	cr_expect(strstr(err.msg, "zz"), "%s", err.msg);
	json_object_put(bad);
	json_object_put(r1);
	json_object_put(r2);
	vl_check_free(&h1);
	vl_check_free(&h2);
	vl_check_free(&all);
}
