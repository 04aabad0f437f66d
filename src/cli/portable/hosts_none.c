/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts_none.c — the portable build has no labs over several hosts
 * (their control is the Linux build's: ssh, threads, the check): up
 * --hosts says so, and the other verbs never find such a lab. */
#include <errno.h>

#include "cli/cli.h"

bool cli_mh_is(const char *lab)
{
	(void)lab;
	return false;
}

int cli_up_hosts(struct cli_up_args *a, const char *hosts_file, struct vl_err *err)
{
	vl_topo_free(a->topo);
	a->topo = NULL;
	return vl_errf(err, "up --hosts %s: labs over several hosts need vnetlab's Linux build",
		       hosts_file), -ENOTSUP;
}

int cli_mh_down(const char *lab)
{
	(void)lab;
	return 1;
}

int cli_mh_inspect(const char *lab, bool json)
{
	(void)lab, (void)json;
	return 1;
}

int cli_mh_ls(bool json, struct json_object *list)
{
	(void)json, (void)list;
	return 0;
}

void cli_mh_complete(const char *lab)
{
	(void)lab;
}

int cli_mh_graph_load(const char *lab, struct vl_topo **t, struct json_object **state,
		      struct vl_err *err)
{
	(void)t, (void)state;
	return vl_errf(err, "%s: labs over several hosts need the Linux build", lab), -ENOTSUP;
}

int cli_mh_cleanup(bool all)
{
	(void)all;
	return 0;
}
