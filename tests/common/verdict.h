/* SPDX-License-Identifier: BSD-2-Clause */
/* verdict.h — the test binaries' own main (see verdict.c): Criterion's
 * runner, plus skips listed with their reasons, sanitizer reports and
 * leftovers counted as failures, a default time limit per test, and the
 * closing line "NAME: N passed, N failed, N skipped". */
#ifndef VNETLAB_TEST_VERDICT_H
#define VNETLAB_TEST_VERDICT_H

/* Run the tests; 0 when every test ran and nothing failed. */
int vl_verdict_main(int argc, char *argv[], const char *name, double timeout);

#endif
