/* SPDX-License-Identifier: BSD-2-Clause */
/* one_input.c — parse, validate and plan one input; see one_input.h. */
#include "one_input.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/freebsd.h"
#include "vnetlab/plan.h"
#include "vnetlab/topo.h"

#define FUZZ_FILE "fuzz.yaml"

static bool has(const char *s, size_t n, const char *what)
{
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, what, w) == 0)
			return true;
	return false;
}

/* Every line of a refusal must tell the user where: "fuzz.yaml:L:C: error:"
 * or, for whole-file problems (empty, too big), "fuzz.yaml: error:". */
static void check_message(const struct vl_err *err)
{
	if (err->count == 0 || err->msg[0] == '\0')
		abort();
	/* A full buffer cuts its last line short: judge that one by its
	 * prefix only. */
	bool full = err->len + 2 >= sizeof(err->msg);
	const char *line = err->msg;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		if (n < sizeof(FUZZ_FILE) || memcmp(line, FUZZ_FILE ":", sizeof(FUZZ_FILE)))
			abort();
		if (!has(line, n, "error: ") && !has(line, n, " more errors not shown") &&
		    !(full && !nl))
			abort();
		line = nl ? nl + 1 : line + n;
	}
}

static void plan_linux(const struct vl_topo *t, unsigned qdiscs, FILE *sink)
{
	struct vl_plan_opts o = {.qdiscs = qdiscs};
	struct vl_plan p;
	struct vl_err err;
	vl_err_init(&err);
	/* A topology that validated must plan: a refusal here means the
	 * validator let through something the planner cannot build. */
	if (vl_plan_build(t, &o, &p, &err) < 0) {
		/* Kernel limits (e.g. bridge ports) are the planner's to
		 * refuse; they still need a message. */
		check_message(&err);
		return;
	}
	vl_plan_render(&p, sink);
	vl_plan_free(&p);
}

int vl_fuzz_topo(const uint8_t *data, size_t len)
{
	struct vl_topo *t = NULL;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_topo_load_buffer(FUZZ_FILE, (const char *)data, len, &t, &err) < 0) {
		if (t)
			abort(); /* the promise: *out is NULL on failure */
		check_message(&err);
		return 1;
	}
	FILE *sink = fopen("/dev/null", "we");
	if (!sink)
		abort();
	plan_linux(t, 0, sink);
	plan_linux(t, VL_QDISC_TBF | VL_QDISC_HTB, sink);
	plan_linux(t, VL_QDISC_NETEM | VL_QDISC_TBF | VL_QDISC_HTB, sink);
	vl_err_init(&err);
	if (vl_freebsd_render(t, sink, &err) < 0)
		check_message(&err);
	fclose(sink);
	vl_topo_free(t);
	return 0;
}
