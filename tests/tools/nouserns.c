/* SPDX-License-Identifier: BSD-2-Clause */
/* nouserns CMD [ARG...] — run CMD on a simulated host that forbids user
 * namespaces (tests/common/nouserns.h), e.g.
 *   build/tests/nouserns make check-integration VNETLAB_TEST_REQUIRE=rootless
 * as an unprivileged user, which must fail. */
#include <stdio.h>
#include <unistd.h>

#include "nouserns.h"

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: nouserns CMD [ARG...]\n");
		return 2;
	}
	if (vl_deny_userns() < 0) {
		perror("nouserns: seccomp");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
