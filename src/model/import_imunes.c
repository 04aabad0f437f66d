/* SPDX-License-Identifier: BSD-2-Clause */
/* import_imunes.c — IMUNES .imn files (import.h).  Not yet: refused. */
#include "vnetlab/import.h"

#include <errno.h>

int vl_import_imunes_json(const char *file, const char *buf, size_t len,
			  struct vl_topo **out, struct vl_err *warn, struct vl_err *err)
{
	(void)buf, (void)len, (void)warn;
	*out = NULL;
	return vl_errf(err, "%s: error: IMUNES files are not supported yet", file), -ENOTSUP;
}

int vl_import_imunes_tcl(const char *file, const char *buf, size_t len,
			 struct vl_topo **out, struct vl_err *warn, struct vl_err *err)
{
	return vl_import_imunes_json(file, buf, len, out, warn, err);
}
