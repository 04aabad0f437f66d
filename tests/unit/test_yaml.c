/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile YAML: bounded time and memory, clear errors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/topo.h"
#include "vnetlab/yamltree.h"

static int parse(const char *buf, size_t len, struct vl_err *err)
{
	struct vl_ynode *root = NULL;
	vl_err_init(err);
	int rc = vl_yaml_parse("x.yaml", buf, len, &root, err);
	vl_ynode_free(root);
	return rc;
}

Test(yaml, deep_nesting_is_refused)
{
	size_t depth = 10000;
	char *buf = malloc(2 * depth + 1);
	memset(buf, '[', depth);
	memset(buf + depth, ']', depth);
	buf[2 * depth] = '\0';
	struct vl_err err;
	cr_assert_neq(parse(buf, 2 * depth, &err), 0);
	cr_assert(strstr(err.msg, "nesting too deep"), "%s", err.msg);
	free(buf);
}

Test(yaml, alias_bomb_is_refused)
{
	const char *y = "a: &a [x, x, x, x, x, x, x, x, x]\n"
			"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
	struct vl_err err;
	cr_assert_neq(parse(y, strlen(y), &err), 0);
	cr_assert(strstr(err.msg, "x.yaml:2:8: error: YAML aliases"), "%s", err.msg);
}

Test(yaml, invalid_utf8_is_refused)
{
	const char y[] = "nodes: { \"\xff\xfe\": {} }\n";
	struct vl_err err;
	cr_assert_neq(parse(y, sizeof(y) - 1, &err), 0);
	cr_assert(strstr(err.msg, "x.yaml:1:"), "%s", err.msg);
}

Test(yaml, two_documents_are_refused)
{
	const char *y = "a: 1\n---\nb: 2\n";
	struct vl_err err;
	cr_assert_neq(parse(y, strlen(y), &err), 0);
	cr_assert(strstr(err.msg, "more than one YAML document"), "%s", err.msg);
}

Test(yaml, positions_are_one_based)
{
	const char *y = "a:\n  b: [c, d]\n";
	struct vl_ynode *root;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_yaml_parse("x", y, strlen(y), &root, &err), 0);
	struct vl_ynode *b = vl_ymap_get(vl_ymap_get(root, "a"), "b");
	cr_assert_not_null(b);
	cr_assert_eq(b->line, 2);
	cr_assert_eq(b->col, 6);
	cr_assert_eq(b->n, 2);
	cr_assert_str_eq(b->kv[1]->str, "d");
	cr_assert_eq(b->kv[1]->col, 10);
	vl_ynode_free(root);
}

Test(yaml, huge_number_is_a_clear_error)
{
	const char *y = "nodes:\n  a: { ifaces: { e0: { mtu: 99999999999999999999 } } }\n"
			"  b: {}\nlinks: [[a:e0, b:e0]]\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_neq(vl_topo_load_buffer("x.yaml", y, strlen(y), &t, &err), 0);
	cr_assert(strstr(err.msg, "x.yaml:2:29: error: mtu must be a whole number"), "%s", err.msg);
}
