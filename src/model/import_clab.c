/* SPDX-License-Identifier: BSD-2-Clause */
/* import_clab.c — containerlab topologies (import.h).  Not yet: refused. */
#include "vnetlab/import.h"

#include <errno.h>

int vl_import_clab(const char *file, const char *buf, size_t len, struct vl_topo **out,
		   struct vl_err *warn, struct vl_err *err)
{
	(void)buf, (void)len, (void)warn;
	*out = NULL;
	return vl_errf(err, "%s: error: containerlab files are not supported yet", file),
	       -ENOTSUP;
}
