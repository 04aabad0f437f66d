/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.c — `vnetlab plan` and `vnetlab validate`: no side effects. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "vnetlab/lifecycle.h"

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"backend", required_argument, NULL, 'b'},
		{"qdiscs", required_argument, NULL, 'q'}, CLI_MN_OPTS, {0}};
	struct cli_mn mn = {0};
	const char *backend = NULL, *qdiscs = NULL; /* NULL: the build's default */
	int c;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (cli_mn_opt(&mn, c, optarg))
			continue;
		if (c == 'b')
			backend = optarg;
		else if (c == 'q')
			qdiscs = optarg;
		else
			return cli_usage("plan");
	}
	int bad = cli_mn_check(&mn, "plan", argc - optind);
	if (bad)
		return bad;
	if (optind + !mn.topo != argc)
		return cli_usage("plan");
	struct vl_err err;
	vl_err_init(&err);
	const struct vl_lab_ops *ops = vl_lab_ops_choose(backend, NULL, &err);
	if (!ops)
		return cli_fail(&err);
	struct vl_topo *t;
	if (cli_load_mn(&mn, argv[optind], &t, &err) < 0)
		return cli_fail(&err);
	int rc = ops->render_plan(t, qdiscs, stdout, &err);
	vl_topo_free(t);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_validate(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("validate");
	int status = 0;
	for (int i = 1; i < argc; i++) {
		struct vl_err err;
		vl_err_init(&err);
		struct vl_topo *t;
		if (cli_load(argv[i], &t, &err) < 0) {
			status = cli_fail(&err);
			continue;
		}
		printf("%s: ok (lab %s: %zu node%s, %zu link%s)\n", argv[i], t->name,
		       t->n_nodes, t->n_nodes == 1 ? "" : "s", t->n_links,
		       t->n_links == 1 ? "" : "s");
		vl_topo_free(t);
	}
	return status;
}
