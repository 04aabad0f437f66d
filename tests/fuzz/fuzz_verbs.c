/* SPDX-License-Identifier: BSD-2-Clause */
/* fuzz_verbs.c — libFuzzer entry point over the FreeBSD verbs' model and
 * live link edits.  Built and run by `make fuzz`; see verbs_input.h. */
#include "verbs_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vl_fuzz_verbs(data, size);
	return 0;
}
