/* SPDX-License-Identifier: BSD-2-Clause */
/* The unit tests' main: Criterion's runner with the project's verdict
 * (tests/common/verdict.h); 60 s a test unless it says otherwise. */
#include "verdict.h"

int main(int argc, char *argv[])
{
	return vl_verdict_main(argc, argv, VL_LINUX ? "unit" : "unit (portable)", 60);
}
