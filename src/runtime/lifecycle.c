/* SPDX-License-Identifier: BSD-2-Clause */
/* lifecycle.c — which backend a lab's life goes through, chosen once
 * (lifecycle.h).  The build decides what it can run here, and only here:
 * the verbs hold a table and never ask which one. */
#include "vnetlab/lifecycle.h"
#include "vnetlab/freebsd.h"

#include <errno.h>
#include <string.h>

#if VL_LINUX
#include "vnetlab/keeper.h"

/* Linux labs by a keeper, and FreeBSD labs by the jail(8), ngctl(8) &c.
 * on PATH (how the tests run them). */
#define LINUX_OPS (&vl_keeper_lab_ops)
#define BUILD_DEFAULT (&vl_keeper_lab_ops)
#else
/* A build without Linux still plans Linux labs (the plan is pure), from
 * the qdiscs stated or none: there is no Linux kernel here to probe. */
static int plan_unprobed(const struct vl_topo *t, const char *qdiscs, FILE *out,
			 struct vl_err *err)
{
	struct vl_plan_opts o = {.qdiscs_known = true};
	if (qdiscs && vl_plan_opts_qdiscs(qdiscs, &o, err) < 0)
		return -EINVAL;
	return vl_plan_print(t, &o, "linux", out, err);
}

/* Everything else of a Linux lab needs Linux. */
static int cannot(struct vl_err *err)
{
	return vl_errf(err, "this build of vnetlab has the FreeBSD backend only"), -ENOTSUP;
}

static int no_up(const struct vl_topo *t, const char *root, const struct vl_up_opts *o,
		 pid_t *keeper, struct vl_err *err)
{
	(void)t, (void)root, (void)o;
	*keeper = 0;
	return cannot(err);
}

static int no_down(const struct vl_lab_paths *p, struct vl_err *err)
{
	(void)p;
	return cannot(err);
}

static struct json_object *no_inspect(const struct vl_lab_paths *p, struct vl_err *err)
{
	(void)p;
	cannot(err);
	return NULL;
}

static bool never(const struct vl_lab_paths *p)
{
	(void)p;
	return false;
}

static void nothing(const struct vl_lab_paths *p)
{
	(void)p;
}

/* Not called (nothing is alive), but every member is set. */
static enum vl_lab_phase no_phase(const struct vl_lab_paths *p, pid_t *pid)
{
	(void)p;
	*pid = 0;
	return VL_LAB_STALE;
}

static const struct vl_lab_ops linux_plan_only = {
	.name = "linux",
	.recorded = never,
	.up = no_up,
	.down = no_down,
	.alive = never,
	.phase = no_phase,
	.remove_outside = nothing,
	.inspect = no_inspect,
	.render_plan = plan_unprobed,
};
#define LINUX_OPS (&linux_plan_only)
#define BUILD_DEFAULT (&vl_freebsd_lab_ops)
#endif

/* Every backend this build knows, in the order `--backend` lists them. */
static const struct vl_lab_ops *const backends[] = {LINUX_OPS, &vl_freebsd_lab_ops};
#define N_BACKENDS (sizeof(backends) / sizeof(backends[0]))

static const struct vl_lab_ops *by_name(const char *name, struct vl_err *err)
{
	char known[128] = "";
	size_t len = 0;
	for (size_t i = 0; i < N_BACKENDS; i++) {
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
					i ? " or " : "", backends[i]->name);
	}
	vl_errf(err, "backend '%s': expected %s", name, known);
	return NULL;
}

const struct vl_lab_ops *vl_lab_ops_choose(const char *name, const struct vl_lab_paths *p,
					   struct vl_err *err)
{
	if (name)
		return by_name(name, err);
	for (size_t i = 0; p && i < N_BACKENDS; i++)
		if (backends[i]->recorded(p))
			return backends[i];
	return BUILD_DEFAULT;
}
