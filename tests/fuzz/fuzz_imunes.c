/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_imunes.c — libFuzzer entry point over the IMUNES importer: each
 * input through both readers (legacy Tcl lists and JSON) and through
 * vl_topo_load_any's detection.  Built and run by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (int k = 0; k < 3; k++) {
		struct vl_topo *t = NULL;
		struct vl_err warn, err;
		vl_err_init(&warn);
		vl_err_init(&err);
		if (k == 0)
			vl_import_imunes_tcl("f.imn", buf, size, &t, &warn, &err);
		else if (k == 1)
			vl_import_imunes_json("f.imn", buf, size, &t, &warn, &err);
		else
			vl_topo_load_any_buffer("f.imn", buf, size, &t, NULL, &warn, &err);
		vl_topo_free(t);
	}
	free(buf);
	return 0;
}
