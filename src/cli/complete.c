/* SPDX-License-Identifier: BSD-2-Clause */
/* complete.c — `vnetlab complete verbs | labs | nodes LAB | hooks LAB |
 * services LAB NODE`:
 * the words the shell completions (completion/) offer, one per line: the
 * verb table's verbs, this user's labs, a running lab's vnet nodes and its
 * NODE:HOOK endpoints (read from its state.json).  What it cannot read it
 * leaves out: a completion never prints an error into the user's line. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/kind.h"
#include "vnetlab/lifecycle.h"

static int print_lab(const struct vl_lab_paths *p, void *arg)
{
	(void)arg;
	printf("%s\n", p->name);
	return 0;
}

static struct json_object *state_of(const char *lab)
{
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	if (cli_lab(lab, &p, &err) < 0)
		return NULL;
	return json_object_from_file(p.state);
}

static void print_nodes(const char *lab, bool hooks)
{
	struct json_object *st = state_of(lab);
	struct json_object *nodes = st ? json_object_object_get(st, "nodes") : NULL;
	size_t n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes)
							      : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *node = json_object_array_get_idx(nodes, i);
		const char *name = json_object_get_string(json_object_object_get(node, "name"));
		const char *kind = json_object_get_string(json_object_object_get(node, "kind"));
		if (!name)
			continue;
		if (!hooks) {
			/* exec and capture's NODE: nodes with a stack of their own. */
			const struct vl_kind_type *k = kind ? vl_kind_by_name(kind) : NULL;
			if (k && vl_kind_has(k->kind, VL_KF_STACK))
				printf("%s\n", name);
			continue;
		}
		struct json_object *ifs = json_object_object_get(node, "ifaces");
		size_t k = json_object_is_type(ifs, json_type_array) ? json_object_array_length(ifs)
								    : 0;
		for (size_t j = 0; j < k; j++) {
			const char *hook = json_object_get_string(
				json_object_object_get(json_object_array_get_idx(ifs, j), "hook"));
			if (hook)
				printf("%s:%s\n", name, hook);
		}
	}
	json_object_put(st);
}

/* A running lab's services of one node (logs and service's SERVICE),
 * as inspect has them. */
static void print_services(const char *lab, const char *node)
{
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *st = cli_lab(lab, &p, &err) == 0
					 ? vl_lab_ops_choose(NULL, &p, NULL)->inspect(&p, &err)
					 : NULL;
	struct json_object *nodes = st ? json_object_object_get(st, "nodes") : NULL;
	size_t n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes)
							       : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *nd = json_object_array_get_idx(nodes, i);
		const char *name = json_object_get_string(json_object_object_get(nd, "name"));
		struct json_object *s = json_object_object_get(nd, "services");
		if (!name || strcmp(name, node) || !json_object_is_type(s, json_type_array))
			continue;
		for (size_t j = 0; j < json_object_array_length(s); j++)
			printf("%s\n", json_object_get_string(json_object_object_get(
						json_object_array_get_idx(s, j), "service")));
	}
	json_object_put(st);
}

int cmd_complete(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "verbs"))
		return cli_list_verbs(stdout), 0;
	if (argc == 2 && !strcmp(argv[1], "labs")) {
		cli_foreach_lab(print_lab, NULL);
		cli_mh_complete(NULL);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "nodes") && cli_mh_is(argv[2]))
		return cli_mh_complete(argv[2]), 0;
	if (argc == 3 && (!strcmp(argv[1], "nodes") || !strcmp(argv[1], "hooks"))) {
		print_nodes(argv[2], !strcmp(argv[1], "hooks"));
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "services")) {
		print_services(argv[2], argv[3]);
		return 0;
	}
	return cli_usage("complete");
}
