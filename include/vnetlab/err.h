/* SPDX-License-Identifier: BSD-2-Clause */
/* err.h — error context carried through every call.
 *
 * Promise: a function that fails returns a negative errno and has appended
 * one human-readable line per problem to the vl_err it was handed.  The
 * caller decides how to print it.  Validation appends several lines so a
 * user sees every mistake in one run; other code stops at the first.
 */
#ifndef VNETLAB_ERR_H
#define VNETLAB_ERR_H

#include <stddef.h>

struct vl_err {
	char msg[4096]; /* newline-separated lines, NUL-terminated */
	size_t len;
	int count;      /* lines appended */
};

void vl_err_init(struct vl_err *e);

/* Append one line.  Always returns -1 so callers may `return vl_errf(...)`
 * and then map to an errno themselves if they need to. */
int vl_errf(struct vl_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append "<what>: <strerror> (<ERRNAME>)" and return -errnum. errnum > 0. */
int vl_err_sys(struct vl_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Symbolic name for an errno ("EEXIST"), or "E?" when unknown. */
const char *vl_errno_name(int errnum);

#endif
