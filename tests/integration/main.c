/* SPDX-License-Identifier: BSD-2-Clause */
/* The integration tests' main: Criterion's runner with the project's
 * verdict (tests/common/verdict.h): skips listed, leftovers and sanitizer
 * reports failing the test they came from; 180 s a test unless it says
 * otherwise, so a hang fails instead of stalling CI. */
#include "verdict.h"

int main(int argc, char *argv[])
{
	return vl_verdict_main(argc, argv, "integration", 180);
}
