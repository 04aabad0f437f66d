/* SPDX-License-Identifier: BSD-2-Clause */
/* compare: matching, reachability and RTT verdicts, tolerance forms. */
#include <criterion/criterion.h>
#include <string.h>

#include "vnetlab/compare.h"

static struct json_object *report(const char *results)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "{\"lab\": \"x\", \"backend\": \"linux\", \"results\": [%s]}",
		 results);
	struct json_object *o = json_tokener_parse(buf);
	cr_assert_not_null(o, "%s", buf);
	return o;
}

#define R(src, dst, addr, got, min)                                                    \
	"{\"src\": \"" src "\", \"dst\": \"" dst "\", \"addr\": \"" addr "\", \"sent\": 3, " \
	"\"received\": " #got ", \"rtt_ms\": " min "}"

static int diffs(const char *a, const char *b, const char *tol, char *out, size_t len)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_tolerance t;
	cr_assert_eq(vl_tolerance_parse(tol, &t, &err), 0, "%s", err.msg);
	struct json_object *x = report(a), *y = report(b);
	FILE *f = fmemopen(out, len, "w");
	int n = vl_compare(x, y, "a.json", "b.json", &t, f, &err);
	fclose(f);
	json_object_put(x);
	json_object_put(y);
	return n;
}

Test(compare, verdicts)
{
	char out[4096];
	const char *a = R("n1", "n2", "10.0.0.2", 3, "{\"min\": 1.0}") ","
			R("n1", "n3", "10.0.0.3", 3, "{\"min\": 1.0}") ","
			R("n1", "n4", "10.0.0.4", 3, "{\"min\": 10.0}");
	cr_expect_eq(diffs(a, a, "1ms", out, sizeof(out)), 0, "%s", out);

	/* n3 unreachable in b; n4 20% slower; n5 only in b. */
	const char *b = R("n1", "n2", "10.0.0.2", 3, "{\"min\": 1.5}") ","
			R("n1", "n3", "10.0.0.3", 0, "null") ","
			R("n1", "n4", "10.0.0.4", 3, "{\"min\": 12.0}") ","
			R("n1", "n5", "10.0.0.5", 3, "{\"min\": 1.0}");
	cr_expect_eq(diffs(a, b, "1ms", out, sizeof(out)), 3, "%s", out);
	cr_expect_not_null(strstr(out, "DIFF: reachability"), "%s", out);
	cr_expect_not_null(strstr(out, "DIFF: rtt"), "%s", out);
	cr_expect_not_null(strstr(out, "DIFF: only in one run"), "%s", out);
	/* 2 ms apart on 12 ms is within 25%: then only two differ. */
	cr_expect_eq(diffs(a, b, "1ms,25%", out, sizeof(out)), 2, "%s", out);
}

Test(compare, tolerance_forms)
{
	struct vl_err err;
	struct vl_tolerance t;
	vl_err_init(&err);
	cr_expect_eq(vl_tolerance_parse("0.5ms,20%", &t, &err), 0);
	cr_expect_float_eq(t.abs_ms, 0.5, 1e-9);
	cr_expect_float_eq(t.rel, 0.2, 1e-9);
	cr_expect_eq(vl_tolerance_parse("250us", &t, &err), 0);
	cr_expect_float_eq(t.abs_ms, 0.25, 1e-9);
	cr_expect_lt(vl_tolerance_parse("5", &t, &err), 0);
	cr_expect_lt(vl_tolerance_parse("-1ms", &t, &err), 0);
	cr_expect_not_null(strstr(err.msg, "either bound passes"));
}

Test(compare, not_a_report)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_tolerance t = {1, 0};
	struct json_object *x = report(""), *y = json_tokener_parse("{\"nodes\": []}");
	FILE *f = fopen("/dev/null", "w");
	cr_expect_lt(vl_compare(x, y, "a.json", "b.json", &t, f, &err), 0);
	fclose(f);
	cr_expect_not_null(strstr(err.msg, "b.json: not a `vnetlab check --json` report"),
			   "%s", err.msg);
	json_object_put(x);
	json_object_put(y);
}
