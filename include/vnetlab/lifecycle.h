/* SPDX-License-Identifier: BSD-2-Clause */
/* lifecycle.h — a lab's life, whatever backend holds it: what `up` is
 * asked to do.
 *
 * Promise: these options mean the same to every backend; one that has no
 * use for a member (FreeBSD: a mode, /run/netns links, a keeper's report)
 * ignores it.  state.json records them (statefile.h), so they live here
 * rather than with one backend's keeper.
 */
#ifndef VNETLAB_LIFECYCLE_H
#define VNETLAB_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/plan.h"
#include "vnetlab/privs.h"

/* What `up` hears from the keeper while it builds (NULL members: ignored). */
struct vl_up_report {
	void (*progress)(void *arg, size_t done, size_t total);
	void (*phase)(void *arg, const char *name, double seconds, size_t count);
	void *arg;
};

struct vl_up_opts {
	bool netns_links;     /* /run/netns/LAB.NODE (root mode only) */
	int cmd_timeout_ms;   /* per startup command */
	enum vl_mode mode;    /* rootless: the lab gets its own user namespace */
	struct vl_plan_opts plan; /* what the kernel offers (qdiscs) */
	const char *backend;  /* for state.json; NULL: "linux" */
	const struct vl_up_report *report;
};

#endif
