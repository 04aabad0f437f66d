/* privs.h — what this process is allowed to do, asked of libcap.
 *
 * Promise: answers from the process's effective capability set, not from
 * its uid, so a root shell with capabilities dropped is told the truth.
 */
#ifndef VNETLAB_PRIVS_H
#define VNETLAB_PRIVS_H

#include <stdbool.h>

#include "vnetlab/err.h"

/* CAP_SYS_ADMIN and CAP_NET_ADMIN effective: can make namespaces, mounts
 * and links in the initial user namespace ("root mode"). */
bool vl_privs_root_mode(void);
/* 0 when lab-making is allowed, else a one-line reason in err. */
int vl_privs_require(struct vl_err *err);

#endif
