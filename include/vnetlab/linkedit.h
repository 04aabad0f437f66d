/* SPDX-License-Identifier: BSD-2-Clause */
/* linkedit.h — a live change to one link: `vnetlab link LAB A:IF B:IF ...`.
 *
 * Promise: pure.  Words in, an edit out, with every mistake named; the
 * keeper applies edits (see keeper.c).  Directions are the user's: after
 * `A:IF B:IF`, "downstream" is A to B whichever way the topology wrote the
 * link, and the edit is stored in the topology's own direction numbers.
 *
 *   A:IF B:IF [show]                          the link now, with counters
 *   A:IF B:IF set [downstream|upstream|both] PARAM VALUE ...   (repeatable)
 *   A:IF B:IF clear                           every impairment removed
 *   A:IF B:IF up | down                       the wire plugged / unplugged
 * VALUE "none", "off", "0" or any zero value ("0ms", "0%") removes that
 * parameter; bandwidth has no zero (refused: it would pass nothing).  A
 * parameter given twice for one direction, a direction word followed by
 * no parameter, and delay or jitter over a minute are refused; the word
 * "--force", anywhere, allows delay and jitter up to an hour.
 */
#ifndef VNETLAB_LINKEDIT_H
#define VNETLAB_LINKEDIT_H

#include "vnetlab/topo.h"

enum vl_link_action {
	VL_LINK_SHOW,
	VL_LINK_SET,
	VL_LINK_CLEAR,
	VL_LINK_UP,
	VL_LINK_DOWN,
};

struct vl_link_edit {
	size_t link;
	enum vl_link_action action;
	struct vl_impair set[2]; /* values given, by topology direction */
	unsigned unset[2];       /* (1 << vl_param) removed, likewise */
	bool swapped;            /* the user named the ends the other way round */
	bool force;              /* --force given */
};

int vl_link_edit_parse(const struct vl_topo *t, int argc, char *const argv[],
		       struct vl_link_edit *e, struct vl_err *err);
/* out = cur with the edit applied (SET and CLEAR; others copy cur). */
void vl_link_edit_apply(const struct vl_link_edit *e, const struct vl_impair cur[2],
			struct vl_impair out[2]);
/* The result of an edit (out, by topology direction) makes sense
 * (vl_impair_check per direction), else -EINVAL with the reason, the
 * direction named as the user named it. */
int vl_link_edit_check(const struct vl_link_edit *e, const struct vl_impair out[2],
		       struct vl_err *err);

#endif
