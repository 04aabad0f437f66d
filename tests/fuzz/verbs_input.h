/* SPDX-License-Identifier: BSD-2-Clause */
/* verbs_input.h — what the verbs fuzzer does with one input.
 *
 * The input is a script, one command a line, of the commands a user types
 * at vnetlab's FreeBSD verbs and at `vnetlab link`:
 *   jail NAME | unjail NAME | ngctl WORDS... | ngscript WORDS [; WORDS]... |
 *   ifconfig WHERE WORDS... | link A:IF B:IF WORDS...
 * jail/ngctl/ifconfig change one vimage model, as `vnetlab jail -c`,
 * `ngctl` and `ifconfig` do; ngscript is one `ngctl -f` (its socket
 * node's hooks live from one command to the next; a refusal undoes the
 * script, as the CLI saves none of it); link edits are parsed and applied
 * against a fixed topology with a piped, a tbf and a plain link, as the
 * keeper does.
 *
 * Promise: vl_fuzz_verbs() aborts (a finding) when a refused command
 * carries no message, or when the model, after any sequence of commands
 * it accepted, becomes a topology the loader refuses — such a model
 * could never be brought up again — keeps anything of ngctl's socket
 * node once ngctl is done, has a hook whose other end does not name it
 * back, or holds what Linux refuses at build (a zero or multicast MAC,
 * IPv6 loopback/unspecified/multicast or under MTU 1280); or when, from
 * the final model, a jail or a node cannot be removed, a removal leaves a
 * model the loader refuses, or removing every jail and node (jails first,
 * or nodes first) leaves more than em0 without hooks.
 */
#ifndef VNETLAB_FUZZ_VERBS_INPUT_H
#define VNETLAB_FUZZ_VERBS_INPUT_H

#include <stddef.h>
#include <stdint.h>

int vl_fuzz_verbs(const uint8_t *data, size_t len);

#endif
