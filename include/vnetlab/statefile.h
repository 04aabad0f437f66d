/* SPDX-License-Identifier: BSD-2-Clause */
/* statefile.h — state.json: what a running lab is, for ls/inspect/check.
 *
 * Promise: written atomically (temp file + rename, mode 0600) by the keeper
 * once the lab is up; its schema is documented in docs/topology.md
 * ("inspect --json").  Readers get a json-c object they must put.
 */
#ifndef VNETLAB_STATEFILE_H
#define VNETLAB_STATEFILE_H

#include <json-c/json.h>

#include "vnetlab/lifecycle.h" /* vl_up_opts: what state.json records of `up` */
#include "vnetlab/plan.h"

/* live: every link as it is now (by link index).  "created" is kept from
 * the file already at path (a rewrite after a live change), else now. */
int vl_statefile_write(const char *path, const struct vl_plan *p,
		       const struct vl_link_live *live, const struct vl_up_opts *o,
		       struct vl_err *err);
/* One link's entry of "links": {"endpoints", "state", "pipe", "impl",
 * "downstream", "upstream"}, each direction {PARAM: {"value", "by"}}. */
struct json_object *vl_statefile_link(const struct vl_plan *p, size_t l,
				      const struct vl_link_live *lv);
struct json_object *vl_statefile_read(const char *path, struct vl_err *err);

/* Replace path with text: written to path.tmp (mode 0600 from creation,
 * whatever the umask) and renamed over path, so a reader sees the old
 * file or the new one, never half of one.  Every state file goes here. */
int vl_file_write_atomic(const char *path, const char *text, struct vl_err *err);
/* All of buf written to fd, through short writes and EINTR: 0, or -errno
 * (-EIO when write makes no progress). */
int vl_write_all(int fd, const void *buf, size_t len);

#endif
