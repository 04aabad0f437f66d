/* SPDX-License-Identifier: BSD-2-Clause */
/* compare.c — cross-run comparison of check reports (compare.h). */
#include "vnetlab/compare.h"
#include "vnetlab/impair.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int vl_tolerance_parse(const char *s, struct vl_tolerance *t, struct vl_err *err)
{
	*t = (struct vl_tolerance){0, 0};
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	int n = 0;
	for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const char *end;
		double v;
		if (vl_decimal(tok, &v, &end) < 0) /* strict: no hex, inf, signs */
			n = -1;
		else if (!strcmp(end, "%"))
			t->rel = v / 100;
		else if (!strcmp(end, "ms"))
			t->abs_ms = v;
		else if (!strcmp(end, "us"))
			t->abs_ms = v / 1000;
		else
			n = -1;
		if (n < 0)
			break;
		n++;
	}
	if (n <= 0)
		return vl_errf(err, "--rtt-tolerance '%s': write e.g. 2ms, 10%%, or "
			       "0.5ms,20%% (either bound passes)", s), -EINVAL;
	return 0;
}

static const char *str(struct json_object *o, const char *k)
{
	const char *s = json_object_get_string(json_object_object_get(o, k));
	return s ? s : "";
}

static struct json_object *results(struct json_object *r)
{
	struct json_object *a = json_object_object_get(r, "results");
	return json_object_is_type(a, json_type_array) ? a : NULL;
}

static struct json_object *find(struct json_object *arr, struct json_object *key)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *r = json_object_array_get_idx(arr, i);
		if (!strcmp(str(r, "src"), str(key, "src")) &&
		    !strcmp(str(r, "dst"), str(key, "dst")) &&
		    !strcmp(str(r, "addr"), str(key, "addr")))
			return r;
	}
	return NULL;
}

/* "3/3 0.061" into buf; the lowest RTT (ms) or -1. */
static double cell(struct json_object *r, char *buf, size_t len)
{
	if (!r) {
		snprintf(buf, len, "(absent)");
		return -1;
	}
	int sent = json_object_get_int(json_object_object_get(r, "sent"));
	int got = json_object_get_int(json_object_object_get(r, "received"));
	struct json_object *rtt = json_object_object_get(r, "rtt_ms");
	double min = rtt ? json_object_get_double(json_object_object_get(rtt, "min")) : -1;
	if (got > 0 && rtt)
		snprintf(buf, len, "%d/%d %.3f", got, sent, min);
	else
		snprintf(buf, len, "%d/%d -", got, sent);
	return got > 0 && rtt ? min : -1;
}

static const char *verdict(struct json_object *ra, struct json_object *rb, double a,
			   double b, const struct vl_tolerance *t)
{
	if (!ra || !rb)
		return "DIFF: only in one run";
	if ((a < 0) != (b < 0))
		return "DIFF: reachability";
	if (a < 0)
		return "same (unreachable)";
	double d = fabs(a - b), m = a > b ? a : b;
	if (d <= t->abs_ms || d <= t->rel * m)
		return "ok";
	return "DIFF: rtt";
}

/* One row; true when it differs. */
static bool row(struct json_object *key, struct json_object *ra, struct json_object *rb,
		const struct vl_tolerance *t, FILE *out)
{
	char ca[48], cb[48];
	double a = cell(ra, ca, sizeof(ca)), b = cell(rb, cb, sizeof(cb));
	const char *v = verdict(ra, rb, a, b, t);
	fprintf(out, "%-12s %-12s %-26s %-16s %-16s %s\n", str(key, "src"), str(key, "dst"),
		str(key, "addr"), ca, cb, v);
	return !strncmp(v, "DIFF", 4);
}

int vl_compare(struct json_object *a, struct json_object *b, const char *name_a,
	       const char *name_b, const struct vl_tolerance *tol, FILE *out,
	       struct vl_err *err)
{
	struct json_object *ra = results(a), *rb = results(b);
	if (!ra || !rb)
		return vl_errf(err, "%s: not a `vnetlab check --json` report",
			       ra ? name_b : name_a), -EINVAL;
	fprintf(out, "A: %s (lab %s, %s)\nB: %s (lab %s, %s)\n", name_a, str(a, "lab"),
		str(a, "backend"), name_b, str(b, "lab"), str(b, "backend"));
	fprintf(out, "RTT: lowest of each run's probes, in ms; tolerance %gms or %g%%\n\n",
		tol->abs_ms, tol->rel * 100);
	fprintf(out, "%-12s %-12s %-26s %-16s %-16s %s\n", "SRC", "DST", "ADDR", "A", "B",
		"VERDICT");
	int diffs = 0;
	size_t n = 0;
	for (size_t i = 0; i < json_object_array_length(ra); i++, n++) {
		struct json_object *x = json_object_array_get_idx(ra, i);
		diffs += row(x, x, find(rb, x), tol, out);
	}
	for (size_t i = 0; i < json_object_array_length(rb); i++) {
		struct json_object *y = json_object_array_get_idx(rb, i);
		if (!find(ra, y)) {
			diffs += row(y, NULL, y, tol, out);
			n++;
		}
	}
	fprintf(out, "\n%zu pairs: %zu alike, %d differ\n", n, n - (size_t)diffs, diffs);
	return diffs;
}
