/* SPDX-License-Identifier: BSD-2-Clause */
/* validate.h — cross-object checks on a parsed topology.
 *
 * Promise: vl_validate() reports every problem it finds (one line each,
 * with the position of the offending element) and returns -EINVAL if there
 * was any.  It never changes the model.  Called by vl_topo_load_*; exposed
 * for unit tests.
 */
#ifndef VNETLAB_VALIDATE_H
#define VNETLAB_VALIDATE_H

#include "vnetlab/topo.h"

int vl_validate(const struct vl_topo *t, struct vl_err *err);
/* The same for a model whose positions are not a file's: names (may be
 * NULL, a file) writes them out in the messages (topo_build.h). */
struct vl_pos_names;
int vl_validate_named(const struct vl_topo *t, const struct vl_pos_names *names,
		      struct vl_err *err);

/* L2 segment of every hook: a malloc'd array indexed by vl_iface.gid, equal
 * numbers for hooks that share a broadcast domain.  NULL on ENOMEM. */
size_t *vl_l2_segments(const struct vl_topo *t);

#endif
