/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper.h — bringing a lab up (a keeper process that holds it) and down.
 *
 * Promise: vl_keeper_up() returns 0 only once the lab is completely up and
 * its keeper is serving; on any failure nothing of the lab remains (the
 * keeper rolls back, and `up` removes what a keeper that died left).
 * vl_keeper_down() returns once the keeper has exited, which is when the
 * lab's namespaces are released to the kernel: 0 when this call took the
 * lab down, 1 when another vnetlab was doing so at the same time (waited
 * for), and -EBUSY while an `up` is still building it.  A second `up` of
 * a name that is being taken down waits for that, then makes the lab.
 */
#ifndef VNETLAB_KEEPER_H
#define VNETLAB_KEEPER_H

#include <stdbool.h>
#include <sys/types.h>

#include "vnetlab/lab.h"
#include "vnetlab/lifecycle.h" /* vl_up_opts */
#include "vnetlab/topo.h"

#define VL_ERR_REPORT_MAX 4200

int vl_keeper_up(const struct vl_topo *t, const char *root,
		 const struct vl_up_opts *o, pid_t *keeper_pid, struct vl_err *err);
int vl_keeper_down(const struct vl_lab_paths *p, struct vl_err *err);
/* That life as lifecycle.h's table ("linux"), with what `up` and `plan`
 * need of the host around it: the kernel's qdiscs, probed. */
extern const struct vl_lab_ops vl_keeper_lab_ops;

#endif
