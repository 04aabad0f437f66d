/* SPDX-License-Identifier: BSD-2-Clause */
/* userns.h — user namespaces for rootless labs and for `exec --user`.
 *
 * Promise: vl_userns_create() leaves the calling (single-threaded) process
 * in a new user namespace where exactly one uid and one gid are mapped:
 * `inner` inside is `outer` outside.  Mapping only one's own ids needs no
 * privilege, no /etc/subuid and no setuid helper.  Errors name the step
 * (unshare, setgroups, uid_map, gid_map) with its errno, so `up` and
 * `doctor` can say which host policy stopped it.
 */
#ifndef VNETLAB_USERNS_H
#define VNETLAB_USERNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "vnetlab/err.h"

int vl_userns_create(uid_t inner_uid, uid_t outer_uid, gid_t inner_gid,
		     gid_t outer_gid, struct vl_err *err);
/* Join the user namespace behind fd unless this process is already in it
 * (setns() to one's own user namespace is EINVAL).  *joined says which. */
int vl_userns_join(int fd, bool *joined, struct vl_err *err);

#endif
