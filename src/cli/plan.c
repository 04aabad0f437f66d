/* plan.c — `vnetlab plan` and `vnetlab validate`: no side effects. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/plan.h"

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"backend", required_argument, NULL, 'b'}, {0}};
	const char *backend = "linux";
	int c;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (c != 'b')
			return cli_usage("plan");
		backend = optarg;
	}
	if (optind + 1 != argc)
		return cli_usage("plan");
	struct vl_err err;
	vl_err_init(&err);
	if (strcmp(backend, "linux") != 0) {
		vl_errf(&err, "backend '%s' is not available (FreeBSD plans are "
			"tracked in issue 5)", backend);
		return cli_fail(&err);
	}
	struct vl_topo *t;
	if (cli_load(argv[optind], &t, &err) < 0)
		return cli_fail(&err);
	struct vl_plan p;
	if (vl_plan_build(t, &p, &err) < 0) {
		vl_topo_free(t);
		return cli_fail(&err);
	}
	printf("# lab %s: %zu operations, backend linux\n", t->name, p.n_ops);
	vl_plan_render(&p, stdout);
	vl_plan_free(&p);
	vl_topo_free(t);
	return 0;
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
		if (vl_topo_load_file(argv[i], &t, &err) < 0) {
			status = cli_fail(&err);
			continue;
		}
		printf("%s: ok (lab %s: %zu nodes, %zu links)\n", argv[i], t->name,
		       t->n_nodes, t->n_links);
		vl_topo_free(t);
	}
	return status;
}
