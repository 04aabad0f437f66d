/* SPDX-License-Identifier: BSD-2-Clause */
/* Error lines: errno names for every errno, in the "(ENAME)" form. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "vnetlab/err.h"

/* Issue 14 item 9: ECONNRESET, EROFS and EISDIR printed as "E?". */
Test(err, every_errno_has_its_name)
{
	static const struct { int n; const char *s; } named[] = {
		{ECONNRESET, "ECONNRESET"}, {EROFS, "EROFS"}, {EISDIR, "EISDIR"},
		{EEXIST, "EEXIST"}, {ELOOP, "ELOOP"}, {EXDEV, "EXDEV"},
		{ECONNABORTED, "ECONNABORTED"}, {EPROTO, "EPROTO"}, {EDQUOT, "EDQUOT"},
		{ENETRESET, "ENETRESET"}, {ENOTSOCK, "ENOTSOCK"}, {ESPIPE, "ESPIPE"},
		{EAFNOSUPPORT, "EAFNOSUPPORT"}, {EINPROGRESS, "EINPROGRESS"},
	};
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		cr_expect_str_eq(vl_errno_name(named[i].n), named[i].s);
#ifdef __linux__
	/* Every errno Linux defines (1..133) has a name. */
	for (int e = 1; e <= 133; e++) {
		if (e == 41 || e == 58) /* unused numbers on Linux */
			continue;
		cr_expect_neq(strcmp(vl_errno_name(e), "E?"), 0, "errno %d (%s) unnamed", e,
			      strerror(e));
	}
#endif
	cr_expect_str_eq(vl_errno_name(100000), "E?");
}

Test(err, sys_lines_keep_their_form)
{
	struct vl_err e;
	vl_err_init(&e);
	cr_expect_eq(vl_err_sys(&e, ECONNRESET, "reading the keeper's reply"), -ECONNRESET);
	cr_expect_str_eq(e.msg, "reading the keeper's reply: Connection reset by peer "
				"(ECONNRESET)");
}
