/* SPDX-License-Identifier: BSD-2-Clause */
/* clab_input.c — import one containerlab input; see clab_input.h. */
#include "clab_input.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/import.h"
#include "vnetlab/topo_json.h"
#include "vnetlab/yaml_emit.h"

/* Beside the test data, so their relative binds resolve (make fuzz runs
 * from the top of the tree). */
#define FUZZ_FILE "tests/data/clab/fuzz.clab.yml"

static bool has(const char *s, size_t n, const char *what)
{
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, what, w) == 0)
			return true;
	return false;
}

/* Each line "fuzz.clab.yml:L:C: KIND: " or "fuzz.clab.yml: error: ". */
static void check_lines(const struct vl_err *e, const char *kind, bool need)
{
	if (need && (e->count == 0 || e->msg[0] == '\0'))
		abort();
	bool full = e->len + 2 >= sizeof(e->msg);
	const char *line = e->msg;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		if (n < sizeof(FUZZ_FILE) || memcmp(line, FUZZ_FILE ":", sizeof(FUZZ_FILE)))
			abort();
		if (!has(line, n, kind) && !has(line, n, " more errors not shown") &&
		    !(full && !nl))
			abort();
		line = nl ? nl + 1 : line + n;
	}
}

int vl_fuzz_clab(const uint8_t *data, size_t len)
{
	struct vl_topo *t = (struct vl_topo *)1;
	struct vl_err err, warn;
	vl_err_init(&err);
	vl_err_init(&warn);
	if (vl_import_clab(FUZZ_FILE, (const char *)data, len, &t, &warn, &err) < 0) {
		if (t)
			abort();
		check_lines(&err, "error: ", true);
		check_lines(&warn, "warning: ", false);
		return 1;
	}
	check_lines(&warn, "warning: ", false);
	/* What `vnetlab convert` writes loads back as vnetlab's own. */
	struct json_object *doc = vl_topo_to_json(t);
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	if (!doc || !f || vl_yaml_emit(doc, f) < 0 || fclose(f) != 0)
		abort();
	json_object_put(doc);
	struct vl_topo *back = NULL;
	vl_err_init(&err);
	if (vl_topo_load_buffer("converted.yaml", text, n, &back, &err) < 0) {
		fprintf(stderr, "converted model refused:\n%s\n--\n%s\n", err.msg, text);
		abort();
	}
	if (back->n_nodes != t->n_nodes || back->n_links != t->n_links)
		abort();
	vl_topo_free(back);
	free(text);
	vl_topo_free(t);
	return 0;
}
