/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.c — `vnetlab plan` and `vnetlab validate`: no side effects. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/hosts.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/place.h"

/* Host i's part: its plan, as `plan` shows a lab's. */
static int plan_part(const struct vl_lab_ops *ops, const struct vl_topo *t,
		     const struct vl_hosts *h, const struct vl_placement *p, size_t i,
		     const char *qdiscs, struct vl_err *err)
{
	printf("\n== part on %s ==\n", h->hosts[i].name);
	if (p->load[i] == 0) {
		printf("(no nodes)\n");
		return 0;
	}
	struct json_object *doc = vl_place_part(t, h, p, i);
	const char *text = doc ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
									  JSON_C_TO_STRING_NOSLASHESCAPE)
			       : NULL;
	if (!text) {
		json_object_put(doc);
		return vl_errf(err, "part on %s: out of memory", h->hosts[i].name), -1;
	}
	char name[VL_HOST_NAME_MAX + 16];
	snprintf(name, sizeof(name), "part on %s", h->hosts[i].name);
	struct vl_topo *pt;
	struct vl_err perr;
	vl_err_init(&perr);
	int rc = vl_topo_load_buffer(name, text, strlen(text), &pt, &perr);
	if (rc == 0) {
		fflush(stdout);
		rc = ops->render_plan(pt, qdiscs, stdout, err);
		vl_topo_free(pt);
	} else {
		/* A part the loader refuses is a bug of the split: say it. */
		vl_errf(err, "%s", perr.msg);
	}
	json_object_put(doc);
	return rc;
}

/* `plan FILE --hosts HOSTS`: where each node goes, the tunnels, each
 * host's part. */
static int plan_hosts(const struct vl_lab_ops *ops, const struct vl_topo *t,
		      const char *hosts_file, const char *qdiscs, struct vl_err *err)
{
	struct vl_hosts *h;
	if (vl_hosts_load_file(hosts_file, &h, err) < 0)
		return -1;
	struct vl_placement p;
	int rc = vl_place(t, h, &p, err);
	if (rc == 0) {
		vl_place_print(stdout, t, h, &p);
		for (size_t i = 0; rc == 0 && i < h->n; i++)
			rc = plan_part(ops, t, h, &p, i, qdiscs, err);
		vl_placement_free(&p);
	}
	vl_hosts_free(h);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{"backend", required_argument, NULL, 'b'},
		{"qdiscs", required_argument, NULL, 'q'},
		{"hosts", required_argument, NULL, 'H'}, CLI_MN_OPTS, {0}};
	struct cli_mn mn = {0};
	const char *backend = NULL, *qdiscs = NULL; /* NULL: the build's default */
	const char *hosts = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "b:", opts, NULL)) != -1) {
		if (cli_mn_opt(&mn, c, optarg))
			continue;
		if (c == 'b')
			backend = optarg;
		else if (c == 'q')
			qdiscs = optarg;
		else if (c == 'H')
			hosts = optarg;
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
	int rc = hosts ? plan_hosts(ops, t, hosts, qdiscs, &err)
		       : ops->render_plan(t, qdiscs, stdout, &err);
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
