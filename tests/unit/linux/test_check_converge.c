/* SPDX-License-Identifier: BSD-2-Clause */
/* check --wait's line and JSON (vl_convergence_print, _json) from
 * made-up results: how long, how many rounds, and which node pairs are
 * still silent — a pair counted once however many of its addresses are. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/check.h"

static struct vl_probe probe(size_t src, size_t dst, const char *ip, unsigned received)
{
	struct vl_probe p = {.src = src, .dst = dst, .sent = 3, .received = received,
			     .rtt_min = received ? 0.1 : -1, .rtt_max = received ? 0.2 : -1,
			     .rtt_sum = received ? 0.4 : 0};
	cr_assert_eq(vl_ip_parse(ip, false, &p.ip), 0, "%s", ip);
	return p;
}

/* Nodes a, b, c; probes in the order vl_check_run plans them (source by
 * source, target node by target node): a -> b twice (v4, v6), a -> c,
 * b -> a, b -> c, c -> a, c -> b. */
static void made_up(struct vl_check *c, struct vl_convergence *w, const uint8_t *silent)
{
	const struct vl_probe p[] = {
		probe(0, 1, "10.0.0.2", 3), probe(0, 1, "fd00::2", 0), probe(0, 2, "10.0.0.3", 0),
		probe(1, 0, "10.0.0.1", 3), probe(1, 2, "10.0.0.3", 0), probe(2, 0, "10.0.0.1", 3),
		probe(2, 1, "10.0.0.2", 3),
	};
	size_t n = sizeof(p) / sizeof(p[0]);
	memset(c, 0, sizeof(*c));
	c->opts.count = 3;
	c->state = json_tokener_parse("{\"name\": \"lab1\", \"backend\": \"linux\", \"nodes\": ["
				      "{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]}");
	cr_assert_not_null(c->state);
	c->probes = calloc(n, sizeof(*p));
	memcpy(c->probes, p, sizeof(p));
	c->n_probes = n;
	memset(w, 0, sizeof(*w));
	w->limit_ms = 60000;
	w->silent = calloc(n, 1);
	for (size_t i = 0; silent && i < n; i++)
		w->n_silent += (w->silent[i] = silent[i]);
}

static char *line(const struct vl_check *c, const struct vl_convergence *w)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vl_convergence_print(c, w, f);
	fclose(f);
	return buf;
}

static void done(struct vl_check *c, struct vl_convergence *w, char *s)
{
	free(s);
	vl_check_free(c);
	vl_convergence_free(w);
}

Test(check_converge, converged_says_how_long_and_how_many_rounds)
{
	struct vl_check c;
	struct vl_convergence w;
	made_up(&c, &w, NULL);
	w.converged = true;
	w.took_ms = 3449;
	w.rounds = 5;
	w.full_rounds = 2;
	char *s = line(&c, &w);
	cr_expect_str_eq(s, "converged after 3.4 s (5 rounds)\n");
	free(s);
	w.took_ms = 12;
	w.rounds = w.full_rounds = 1;
	s = line(&c, &w);
	cr_expect_str_eq(s, "converged after 0.0 s (1 round)\n");
	done(&c, &w, s);
}

/* a -> b is one pair whichever of its two addresses is silent; pairs in
 * probe order; the count is of node pairs, as the matrix's. */
Test(check_converge, not_converged_names_the_silent_pairs)
{
	struct vl_check c;
	struct vl_convergence w;
	const uint8_t silent[] = {0, 1, 1, 0, 1, 0, 0};
	made_up(&c, &w, silent);
	w.took_ms = 60012;
	w.rounds = 298;
	w.full_rounds = 1;
	char *s = line(&c, &w);
	cr_expect_str_eq(s, "not converged after 60.0 s (298 rounds): 3 of 6 node pairs "
			    "still silent: a -> b, a -> c, b -> c\n");
	free(s);
	/* Both addresses of a -> b silent: still one pair. */
	w.silent[0] = 1;
	w.n_silent++;
	w.answered_since = 1;
	w.interrupted = true;
	s = line(&c, &w);
	cr_expect_str_eq(s, "not converged after 60.0 s (298 rounds, interrupted): 3 of 6 "
			    "node pairs still silent: a -> b, a -> c, b -> c; 1 address answered "
			    "after the last full round, too late for another\n");
	free(s);
	/* None silent but no confirmation in time. */
	memset(w.silent, 0, c.n_probes);
	w.n_silent = 0;
	w.interrupted = false;
	w.answered_since = 3;
	s = line(&c, &w);
	cr_expect_str_eq(s, "not converged after 60.0 s (298 rounds): 0 of 6 node pairs still "
			    "silent; 3 addresses answered after the last full round, too late "
			    "for another\n");
	done(&c, &w, s);
}

/* A long list is cut after eight names. */
Test(check_converge, many_silent_pairs_are_cut_short)
{
	struct vl_check c;
	memset(&c, 0, sizeof(c));
	c.opts.count = 1;
	char nodes[2048] = "{\"name\": \"l\", \"nodes\": [";
	for (int i = 0; i < 5; i++)
		snprintf(nodes + strlen(nodes), sizeof(nodes) - strlen(nodes),
			 "%s{\"name\": \"n%d\"}", i ? ", " : "", i);
	strcat(nodes, "]}");
	c.state = json_tokener_parse(nodes);
	cr_assert_not_null(c.state);
	c.probes = calloc(20, sizeof(*c.probes));
	for (size_t s = 0; s < 5; s++)
		for (size_t d = 0; d < 5; d++)
			if (s != d) {
				char ip[32];
				snprintf(ip, sizeof(ip), "10.0.0.%zu", d + 1);
				c.probes[c.n_probes++] = probe(s, d, ip, 0);
			}
	struct vl_convergence w = {.limit_ms = 1000, .took_ms = 1000, .rounds = 1,
				   .full_rounds = 1, .silent = calloc(20, 1)};
	memset(w.silent, 1, 20);
	w.n_silent = 20;
	char *s = line(&c, &w);
	cr_expect_str_eq(s, "not converged after 1.0 s (1 round): 20 of 20 node pairs still "
			    "silent: n0 -> n1, n0 -> n2, n0 -> n3, n0 -> n4, n1 -> n0, n1 -> n2, "
			    "n1 -> n3, n1 -> n4, and 12 more\n");
	done(&c, &w, s);
}

Test(check_converge, nothing_to_check_never_converges)
{
	struct vl_check c;
	memset(&c, 0, sizeof(c));
	c.opts.count = 3;
	c.state = json_tokener_parse("{\"name\": \"l\", \"nodes\": [{\"name\": \"a\"}]}");
	struct vl_convergence w = {.limit_ms = 5000, .rounds = 1, .full_rounds = 1};
	char *s = line(&c, &w);
	cr_expect_str_eq(s, "not converged after 0.0 s (1 round): nothing to check\n");
	done(&c, &w, s);
}

/* docs/topology.md: "wait": {limit_s, converged, seconds, rounds,
 * full_rounds, interrupted, silent: [{src, dst, addr}]}. */
Test(check_converge, json)
{
	struct vl_check c;
	struct vl_convergence w;
	const uint8_t silent[] = {0, 1, 0, 0, 0, 0, 0};
	made_up(&c, &w, silent);
	w.limit_ms = 500;
	w.took_ms = 500.4;
	w.rounds = 3;
	w.full_rounds = 1;
	struct json_object *j = vl_convergence_json(&c, &w);
	const char *txt = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
	cr_expect_str_eq(txt, "{\"limit_s\":0.5,\"converged\":false,\"seconds\":0.500,"
			      "\"rounds\":3,\"full_rounds\":1,\"interrupted\":false,"
			      "\"silent\":[{\"src\":\"a\",\"dst\":\"b\",\"addr\":\"fd00::2\"}]}");
	json_object_put(j);
	memset(w.silent, 0, c.n_probes);
	w.converged = true;
	w.limit_ms = 60000;
	w.took_ms = 3449.6;
	j = vl_convergence_json(&c, &w);
	cr_expect_eq(json_object_get_boolean(json_object_object_get(j, "converged")), true);
	cr_expect_float_eq(json_object_get_double(json_object_object_get(j, "seconds")), 3.45,
			   1e-9);
	cr_expect_float_eq(json_object_get_double(json_object_object_get(j, "limit_s")), 60,
			   1e-9);
	cr_expect_eq(json_object_array_length(json_object_object_get(j, "silent")), 0);
	json_object_put(j);
	done(&c, &w, NULL);
}
