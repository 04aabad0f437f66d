/* SPDX-License-Identifier: BSD-2-Clause */
/* probe.h — ask the running kernel what it allows, by trying it.
 *
 * Promise: every probe runs in a short-lived child process inside fresh
 * namespaces of its own, so it changes nothing on the host and nothing in
 * the caller (which may stay multi-purpose and unprivileged).  Sysctls
 * say what *should* work; a probe says what does, including what a
 * seccomp filter or an LSM denies.
 */
#ifndef VNETLAB_PROBE_H
#define VNETLAB_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/impair.h" /* VL_QDISC_* */

/* Make what a rootless lab needs: a one-uid user namespace, a network
 * namespace inside it, a veth pair there.  0, or -errno with the step that
 * failed in step ("unshare(CLONE_NEWUSER)", "writing /proc/self/uid_map",
 * ...). */
int vl_probe_rootless(char *step, size_t len);

/* Which of netem/tbf/htb the kernel can instantiate (modules are loaded on
 * demand by the attempt, as tc would).  in_userns: probe inside a user
 * namespace, as a rootless lab would.  0 with *present set, or -errno when
 * no namespace could be made to probe in. */
int vl_probe_qdiscs(bool in_userns, unsigned *present);

#endif
