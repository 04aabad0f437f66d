/* SPDX-License-Identifier: BSD-2-Clause */
/* nouserns.h — make this process (and all it starts) a host that forbids
 * user namespaces, as Docker's default seccomp profile does: unshare and
 * clone with CLONE_NEWUSER fail with EPERM, clone3 with ENOSYS (so libc
 * falls back to clone).  Used by the rootless tests' "host forbids it"
 * case and by tests/tools/nouserns, which runs a whole test pass that way
 * (a required rootless pass must then fail). */
#ifndef VNETLAB_TEST_NOUSERNS_H
#define VNETLAB_TEST_NOUSERNS_H

/* 0, or -1 with errno (prctl's). */
int vl_deny_userns(void);

#endif
