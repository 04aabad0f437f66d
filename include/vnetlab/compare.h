/* SPDX-License-Identifier: BSD-2-Clause */
/* compare.h — two `check --json` reports side by side (cross-OS runs).
 *
 * Promise: pure.  Results are matched by (src, dst, addr).  A pair differs
 * when one run reached the address and the other did not, when only one run
 * has it, or when the lowest RTTs differ by more than the tolerance (the
 * lowest is the path's own latency, the least disturbed by scheduling).
 */
#ifndef VNETLAB_COMPARE_H
#define VNETLAB_COMPARE_H

#include <json-c/json.h>
#include <stdio.h>

#include "vnetlab/err.h"

/* A pair passes when |a - b| <= abs_ms or |a - b| <= rel * max(a, b). */
struct vl_tolerance {
	double abs_ms;
	double rel;
};

/* "2ms", "10%", "0.5ms,20%" (either bound passes). */
int vl_tolerance_parse(const char *s, struct vl_tolerance *t, struct vl_err *err);

/* Print the table to out; returns the number of differing pairs, or
 * -EINVAL when a report is not one (names say which, for messages). */
int vl_compare(struct json_object *a, struct json_object *b, const char *name_a,
	       const char *name_b, const struct vl_tolerance *tol, FILE *out,
	       struct vl_err *err);

#endif
