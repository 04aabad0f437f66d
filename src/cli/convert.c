/* SPDX-License-Identifier: BSD-2-Clause */
/* convert.c — `vnetlab convert FILE`: any topology vnetlab reads (its
 * own, IMUNES's, containerlab's) as the equivalent vnetlab YAML on
 * stdout; what the import ignored or approximated goes to stderr. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/topo_json.h"
#include "vnetlab/yaml_emit.h"

int cmd_convert(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage("convert");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	if (cli_load(argv[1], &t, &err) < 0)
		return cli_fail(&err);
	struct json_object *doc = vl_topo_to_json(t);
	printf("# vnetlab topology converted from %s\n", argv[1]);
	int rc = doc ? vl_yaml_emit(doc, stdout) : -1;
	json_object_put(doc);
	vl_topo_free(t);
	if (rc < 0 || fflush(stdout) != 0) {
		vl_errf(&err, "convert: writing the output failed");
		return cli_fail(&err);
	}
	return 0;
}
