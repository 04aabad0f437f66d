/* SPDX-License-Identifier: BSD-2-Clause */
/* mininet.c — Mininet's --topo (import.h).  Not yet: refused. */
#include "vnetlab/import.h"

#include <errno.h>

int vl_topo_mininet(const char *spec, const char *link, struct vl_topo **out,
		    struct vl_err *err)
{
	(void)link;
	*out = NULL;
	return vl_errf(err, "--topo %s: Mininet topologies are not supported yet", spec),
	       -ENOTSUP;
}
