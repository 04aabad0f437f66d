/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_clab.c — libFuzzer entry point over the containerlab importer.
 * Built and run by `make fuzz` (clang); see docs/reliability.md. */
#include "clab_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vl_fuzz_clab(data, size);
	return 0;
}
