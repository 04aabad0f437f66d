/* SPDX-License-Identifier: BSD-2-Clause */
/* state.json's "created" is when the lab was made: a rewrite after a
 * live change (link, ifconfig) keeps it (issue 14: every `link` change
 * made the lab look new).  And json-c's trailing newline never reaches a
 * message as "\x0a". */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/plan.h"
#include "vnetlab/statefile.h"

static char dir[64];

static void mk(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vl-created-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(statefile_created, .init = mk, .fini = rm);

static const char *created_of(const char *path, char *buf, size_t len)
{
	struct json_object *o = json_object_from_file(path);
	cr_assert_not_null(o);
	snprintf(buf, len, "%s", json_object_get_string(json_object_object_get(o, "created")));
	json_object_put(o);
	return buf;
}

Test(statefile_created, a_rewrite_keeps_the_lab_s_birth)
{
	const char *y = "nodes: {a: {}, b: {}}\nlinks:\n  - [a:eth0, b:eth0]\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("c.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	struct vl_plan pl;
	cr_assert_eq(vl_plan_build(t, NULL, &pl, &err), 0, "%s", err.msg);
	struct vl_link_live live[1];
	memset(live, 0, sizeof(live));
	struct vl_up_opts o = {.mode = VL_MODE_ROOT};
	char path[128], a[64], b[64];
	snprintf(path, sizeof(path), "%s/state.json", dir);
	cr_assert_eq(vl_statefile_write(path, &pl, live, &o, &err), 0, "%s", err.msg);
	created_of(path, a, sizeof(a));
	cr_expect_eq(strlen(a), 20, "a fresh state is stamped now: '%s'", a);
	/* As if the lab had been made long ago: a rewrite keeps that. */
	struct json_object *st = json_object_from_file(path);
	json_object_object_add(st, "created", json_object_new_string("2020-01-02T03:04:05Z"));
	cr_assert_eq(json_object_to_file(path, st), 0);
	json_object_put(st);
	live[0].down = true;
	cr_assert_eq(vl_statefile_write(path, &pl, live, &o, &err), 0, "%s", err.msg);
	cr_expect_str_eq(created_of(path, b, sizeof(b)), "2020-01-02T03:04:05Z");
	vl_plan_free(&pl);
	vl_topo_free(t);
}

Test(statefile_created, read_errors_carry_no_escaped_newline)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/state.json", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"name\": \"half", f);
	fclose(f);
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_null(vl_statefile_read(path, &err));
	cr_expect(strstr(err.msg, "cannot read lab state ("), "%s", err.msg);
	cr_expect_null(strstr(err.msg, "\\x0a"), "%s", err.msg);
}
