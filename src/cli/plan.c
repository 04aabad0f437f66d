/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.c — `vnetlab plan` and `vnetlab validate`: no side effects. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/freebsd.h"
#include "vnetlab/plan.h"
#include "vnetlab/privs.h"
#if VL_LINUX
#include "vnetlab/probe.h"
#endif

/* What up would find: the kernel's qdiscs, probed as this user's labs meet
 * them, unless the caller states them (reproducible plans). */
int cli_plan_opts(const char *qdiscs, struct vl_plan_opts *o, struct vl_err *err)
{
	if (qdiscs)
		return vl_plan_opts_qdiscs(qdiscs, o, err);
	unsigned q = 0;
#if VL_LINUX
	vl_probe_qdiscs(vl_privs_mode() == VL_MODE_ROOTLESS, &q);
#endif
	o->qdiscs = q;
	o->qdiscs_known = true;
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"backend", required_argument, NULL, 'b'},
		{"qdiscs", required_argument, NULL, 'q'}, {0}};
	const char *backend = VL_LINUX ? "linux" : "freebsd", *qdiscs = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (c == 'b')
			backend = optarg;
		else if (c == 'q')
			qdiscs = optarg;
		else
			return cli_usage("plan");
	}
	if (optind + 1 != argc)
		return cli_usage("plan");
	struct vl_err err;
	vl_err_init(&err);
	bool freebsd = strcmp(backend, "freebsd") == 0;
	if (!freebsd && strcmp(backend, "linux") != 0) {
		vl_errf(&err, "backend '%s': expected linux or freebsd", backend);
		return cli_fail(&err);
	}
	struct vl_topo *t;
	if (cli_load(argv[optind], &t, &err) < 0)
		return cli_fail(&err);
	if (freebsd) {
		int rc = vl_freebsd_render(t, stdout, &err);
		vl_topo_free(t);
		return rc < 0 ? cli_fail(&err) : 0;
	}
	struct vl_plan_opts po = {0};
	int rc = cli_plan_opts(qdiscs, &po, &err);
	if (rc == 0)
		rc = vl_plan_print(t, &po, "linux", stdout, &err);
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
		if (vl_topo_load_file(argv[i], &t, &err) < 0) {
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
