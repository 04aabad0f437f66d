/* SPDX-License-Identifier: BSD-2-Clause */
/* convert.c — `vnetlab convert FILE`: any topology vnetlab reads (its
 * own, IMUNES's, containerlab's) as the equivalent vnetlab YAML on
 * stdout; what the import ignored or approximated goes to stderr.
 * `convert --topo SPEC [--link OPTS] [--mac]`: a Mininet topology, as the
 * file to edit further. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/topo_json.h"
#include "vnetlab/yaml_emit.h"

int cmd_convert(int argc, char **argv)
{
	static const struct option opts[] = {CLI_MN_OPTS, {0}};
	struct cli_mn mn = {0};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cli_mn_opt(&mn, c, optarg))
			return cli_usage("convert");
	int bad = cli_mn_check(&mn, "convert", argc - optind);
	if (bad)
		return bad;
	if (optind + !mn.topo != argc)
		return cli_usage("convert");
	const char *file = mn.topo ? NULL : argv[optind];
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	if (cli_load_mn(&mn, file, &t, &err) < 0)
		return cli_fail(&err);
	struct json_object *doc = vl_topo_to_json(t);
	if (mn.topo)
		printf("# vnetlab topology converted from Mininet's --topo %s%s%s%s\n", mn.topo,
		       mn.link ? " --link " : "", mn.link ? mn.link : "", mn.mac ? " --mac" : "");
	else
		printf("# vnetlab topology converted from %s\n", file);
	int rc = doc ? vl_yaml_emit(doc, stdout) : -1;
	json_object_put(doc);
	vl_topo_free(t);
	if (rc < 0 || fflush(stdout) != 0) {
		vl_errf(&err, "convert: writing the output failed");
		return cli_fail(&err);
	}
	return 0;
}
