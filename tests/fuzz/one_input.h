/* SPDX-License-Identifier: BSD-2-Clause */
/* one_input.h — what the topology fuzzer does with one input.
 *
 * Shared by the libFuzzer entry point (fuzz_topo.c) and the unit test that
 * replays tests/fuzz/regress/ under Criterion, so a crash the fuzzer found
 * stays a test in `make check` on machines without clang.
 *
 * Promise: vl_fuzz_topo() runs the whole pure pipeline a user's file meets
 * (parse, validate, plan for Linux under three kernels, FreeBSD render) and
 * returns 0 when the file loaded, 1 when it was refused with a well-formed
 * error, and aborts (a fuzzer finding) when a refusal carries no message or
 * a message without "file:line:col: error:" or its "file: error:" form.
 */
#ifndef VNETLAB_FUZZ_ONE_INPUT_H
#define VNETLAB_FUZZ_ONE_INPUT_H

#include <stddef.h>
#include <stdint.h>

int vl_fuzz_topo(const uint8_t *data, size_t len);

#endif
