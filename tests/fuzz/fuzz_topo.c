/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_topo.c — libFuzzer entry point over the topology loader.
 * Built and run by `make fuzz` (clang); see docs/reliability.md. */
#include "one_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vl_fuzz_topo(data, size);
	return 0;
}
