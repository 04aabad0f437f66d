/* SPDX-License-Identifier: BSD-2-Clause */
/* clab_input.h — what the containerlab fuzzer does with one input.
 *
 * Shared by the libFuzzer entry point (fuzz_clab.c) and the unit test that
 * replays tests/fuzz/clab-regress/ (tests/unit/test_clab.c).
 *
 * Promise: vl_fuzz_clab() imports data as a containerlab file named
 * "tests/data/clab/fuzz.clab.yml" and returns 0 when it loaded, 1 when it was refused;
 * it aborts (a finding) when a refusal has no message, when an error or
 * warning line does not start with that name and ":LINE:COL: " (or
 * ": error:"), when *out is set on failure, or when the
 * model it gave, written as vnetlab YAML (`vnetlab convert`), does not
 * load back.
 */
#ifndef VNETLAB_FUZZ_CLAB_INPUT_H
#define VNETLAB_FUZZ_CLAB_INPUT_H

#include <stddef.h>
#include <stdint.h>

int vl_fuzz_clab(const uint8_t *data, size_t len);

#endif
