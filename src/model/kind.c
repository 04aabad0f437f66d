/* SPDX-License-Identifier: BSD-2-Clause */
/* kind.c — the node kinds' descriptors (kind.h), one row per kind, and
 * their lookups.  Like topo.c it calls nothing of the loader, the
 * validator or the planner: all of them may ask it. */
#include "vnetlab/kind.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- hook rules: netgraph's, one per node type -------------------------------- */

static bool listed(const char *const *list, const char *hook)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], hook))
			return true;
	return false;
}

/* ng_eiface has one hook. */
static bool eiface_hook_ok(const char *hook)
{
	return !strcmp(hook, "ether");
}

/* ng_bridge(4): "linkN" or "uplinkN", N a decimal number. */
static bool bridge_hook_ok(const char *hook)
{
	const char *d = !strncmp(hook, "uplink", 6) ? hook + 6
			: !strncmp(hook, "link", 4) ? hook + 4
						    : NULL;
	return d && *d && strspn(d, "0123456789") == strlen(d);
}

/* ng_hub(4) takes any hook. */
static bool hub_hook_ok(const char *hook)
{
	return *hook != '\0';
}

static const char *const tee_hooks[] = {"left", "right", "left2right", "right2left", NULL};
static const char *const pipe_hooks[] = {"upper", "lower", NULL};

static bool tee_hook_ok(const char *hook)
{
	return listed(tee_hooks, hook);
}

static bool pipe_hook_ok(const char *hook)
{
	return listed(pipe_hooks, hook);
}

/* ---- the kinds ------------------------------------------------------------------ */

static const struct vl_kind_type kinds[VL_KIND__COUNT] = {
	[VL_KIND_VNET] = {
		.kind = VL_KIND_VNET,
		.name = "vnet",
		.ngtype = "eiface",
		.flags = VL_KF_STACK,
		.hook_ok = eiface_hook_ok,
		.hook_rule = "ether",
	},
	[VL_KIND_BRIDGE] = {
		.kind = VL_KIND_BRIDGE,
		.name = "bridge",
		.ngtype = "bridge",
		.flags = VL_KF_SWITCH | VL_KF_BRIDGE | VL_KF_STP,
		.hook_ok = bridge_hook_ok,
		.hook_rule = "linkN, uplinkN",
	},
	[VL_KIND_HUB] = {
		.kind = VL_KIND_HUB,
		.name = "hub",
		.ngtype = "hub",
		.flags = VL_KF_SWITCH | VL_KF_BRIDGE,
		.hook_ok = hub_hook_ok,
		.hook_rule = "any name",
	},
	[VL_KIND_TEE] = {
		.kind = VL_KIND_TEE,
		.name = "tee",
		.ngtype = "tee",
		.flags = VL_KF_SWITCH | VL_KF_FORWARD,
		.hooks = tee_hooks,
		.hook_ok = tee_hook_ok,
		.hook_rule = "left, right, left2right, right2left",
		.passes = "left <-> right, copies to left2right / right2left",
	},
	/* A switch so the loader's switch rules (no addresses, no self
	 * loop) hold for it until it is folded. */
	[VL_KIND_PIPE] = {
		.kind = VL_KIND_PIPE,
		.name = "pipe",
		.ngtype = "pipe",
		.flags = VL_KF_SWITCH | VL_KF_FOLDED,
		.hooks = pipe_hooks,
		.hook_ok = pipe_hook_ok,
		.hook_rule = "upper, lower",
	},
};

const struct vl_kind_type *vl_kind_type(enum vl_kind k)
{
	return &kinds[k];
}

const struct vl_kind_type *vl_kind_by_name(const char *name)
{
	for (size_t k = 0; k < VL_KIND__COUNT; k++)
		if (!strcmp(kinds[k].name, name))
			return &kinds[k];
	return NULL;
}

const struct vl_kind_type *vl_kind_by_ngtype(const char *ngtype)
{
	for (size_t k = 0; k < VL_KIND__COUNT; k++)
		if (!strcmp(kinds[k].ngtype, ngtype))
			return &kinds[k];
	return NULL;
}

bool vl_kind_has(enum vl_kind k, unsigned flags)
{
	return (kinds[k].flags & flags) == flags;
}

bool vl_kind_takes_hook(enum vl_kind k, const char *hook)
{
	return !kinds[k].hooks || listed(kinds[k].hooks, hook);
}

int vl_kind_names(unsigned without, char *buf, size_t len)
{
	const char *pick[VL_KIND__COUNT];
	size_t n = 0;
	for (size_t k = 0; k < VL_KIND__COUNT; k++)
		if (!(kinds[k].flags & without))
			pick[n++] = kinds[k].name;
	int out = 0;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		size_t at = (size_t)out;
		out += at < len ? snprintf(buf + at, len - at, "%s%s", sep, pick[i])
				: snprintf(NULL, 0, "%s%s", sep, pick[i]);
	}
	return out;
}

/* ---- libvnetlab 0.1's view ---------------------------------------------------- */

static struct vl_kind_info infos[VL_KIND__COUNT];
static pthread_once_t infos_once = PTHREAD_ONCE_INIT;

/* Derived from the descriptors, so a kind is still written once. */
static void fill_infos(void)
{
	for (size_t k = 0; k < VL_KIND__COUNT; k++)
		infos[k] = (struct vl_kind_info){
			.name = kinds[k].name,
			.is_switch = (kinds[k].flags & VL_KF_SWITCH) != 0,
			.bridge = (kinds[k].flags & VL_KF_BRIDGE) != 0,
			.hooks = kinds[k].hooks,
		};
}

const struct vl_kind_info *vl_kind_info(enum vl_kind k)
{
	pthread_once(&infos_once, fill_infos);
	return &infos[k];
}

int vl_kind_from_name(const char *s, enum vl_kind *out)
{
	const struct vl_kind_type *k = vl_kind_by_name(s);
	if (!k)
		return -EINVAL;
	*out = k->kind;
	return 0;
}
