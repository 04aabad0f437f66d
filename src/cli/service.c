/* SPDX-License-Identifier: BSD-2-Clause */
/* service.c — `vnetlab service LAB NODE SERVICE start|stop|restart`: the
 * lab's keeper does it (keeper_svc.c); the answer says how it went. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/ctl.h"

int cmd_service(int argc, char **argv)
{
	if (argc != 5 || (strcmp(argv[4], "start") && strcmp(argv[4], "stop") &&
			  strcmp(argv[4], "restart")))
		return cli_usage("service");
	struct vl_err err;
	vl_err_init(&err);
	if (vl_check_node_name(argv[2]) || vl_check_lab_name(argv[3]))
		return vl_errf(&err, "service: '%s' is not a node or service name",
			       vl_check_node_name(argv[2]) ? argv[2] : argv[3]),
		       cli_fail(&err);
	struct vl_lab_paths p;
	if (cli_lab(argv[1], &p, &err) < 0)
		return cli_fail(&err);
	if (!vl_lab_alive(&p))
		return vl_errf(&err, "lab '%s' is not running (see: vnetlab ls)", argv[1]),
		       cli_fail(&err);
	char req[256], reply[VL_CTL_MAX];
	snprintf(req, sizeof(req), "service %s %s %s", argv[2], argv[3], argv[4]);
	if (vl_ctl_request(&p, req, reply, sizeof(reply), NULL, 0, &err) < 0)
		return cli_fail(&err);
	static const char *const done[] = {"started", "stopped", "restarted"};
	int a = !strcmp(argv[4], "start") ? 0 : !strcmp(argv[4], "stop") ? 1 : 2;
	fprintf(stderr, "vnetlab: service %s of %s in lab '%s' %s\n", argv[3], argv[2],
		argv[1], done[a]);
	return 0;
}
