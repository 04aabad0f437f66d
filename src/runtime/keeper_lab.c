/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper_lab.c — the Linux backend's lab life as lifecycle.h's table
 * ("linux"): a keeper process holds each lab (keeper.h), and the lab's
 * lock, stopping mark and control socket say what it is doing (lab.h). */
#include "vnetlab/keeper.h"
#include "vnetlab/lab.h"
#include "vnetlab/linux.h"
#include "vnetlab/probe.h"
#include "vnetlab/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* What the kernel offers a lab of this mode, probed as the lab would
 * meet it (rootless: inside a user namespace of its own).  A probe that
 * cannot run finds none: impairments then go to the userspace pipe. */
static void probe_qdiscs(enum vl_mode mode, struct vl_plan_opts *o)
{
	unsigned q = 0;
	vl_probe_qdiscs(mode == VL_MODE_ROOTLESS, &q);
	o->qdiscs = q;
	o->qdiscs_known = true;
}

static bool impaired(const struct vl_topo *t)
{
	for (size_t l = 0; l < t->n_links; l++)
		if (t->links[l].dir[0].set || t->links[l].dir[1].set ||
		    t->links[l].impl == VL_IMPL_USERSPACE)
			return true;
	return false;
}

/* The qdiscs are probed only when a link asks for impairments: a probe
 * forks, and most labs have none (the keeper probes at the first live
 * change, if one comes). */
/* A tunnel end's VXLAN device is made in the namespace `up` runs in,
 * which a rootless lab's user namespace gives no CAP_NET_ADMIN over:
 * refused, every one with its line, before anything is made. */
static int rootless_tunnels(const struct vl_topo *t, struct vl_err *err)
{
	int rc = 0;
	for (size_t l = 0; l < t->n_links; l++)
		if (t->links[l].has_tunnel)
			rc = vl_errf(err, "%s:%d:%d: error: rootless mode cannot make a "
				     "tunnel end: its VXLAN device needs CAP_NET_ADMIN "
				     "in the underlay's network namespace, which a user "
				     "namespace does not give; run `vnetlab up` as root",
				     t->file, t->links[l].tunnel.pos.line,
				     t->links[l].tunnel.pos.col);
	return rc;
}

static int up(const struct vl_topo *t, const char *root, const struct vl_up_opts *o,
	      pid_t *keeper, struct vl_err *err)
{
	if (o->mode == VL_MODE_ROOTLESS && rootless_tunnels(t, err) < 0)
		return -EPERM;
	struct vl_up_opts settled = *o;
	if (!o->plan.qdiscs_known && impaired(t))
		probe_qdiscs(o->mode, &settled.plan);
	return vl_keeper_up(t, root, &settled, keeper, err);
}

/* The keeper holds the lab's lock for its whole life: a lock nobody
 * holds is a dead keeper's, whatever pid a file names. */
static bool alive(const struct vl_lab_paths *p)
{
	int fd = open(p->lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/* The pid written in a file, if that process still exists. */
static pid_t live_pid_in(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *end;
	long pid = strtol(buf, &end, 10);
	if (pid <= 0 || (*end && *end != '\n'))
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM ? (pid_t)pid : 0;
}

/* A stopping mark of a live vnetlab: taken down.  No control socket yet:
 * the keeper is still building (the lock names the `up` doing it). */
static enum vl_lab_phase phase(const struct vl_lab_paths *p, pid_t *pid)
{
	if ((*pid = live_pid_in(p->stopping)))
		return VL_LAB_STOPPING;
	if (access(p->sock, F_OK) < 0) {
		*pid = live_pid_in(p->lock);
		return VL_LAB_BUILDING;
	}
	return VL_LAB_RUNNING;
}

/* Journaled before each was made, so none outlives the lab unseen. */
static void remove_outside(const struct vl_lab_paths *p)
{
	vl_netns_unlink_journal(p->journal, p->name);
}

/* state.json, with each node's services as the keeper last wrote them
 * (services.json: they start and exit while the lab runs). */
static struct json_object *inspect(const struct vl_lab_paths *p, struct vl_err *err)
{
	struct json_object *st = vl_statefile_read(p->state, err);
	char path[sizeof(p->dir) + 32];
	snprintf(path, sizeof(path), "%s/services.json", p->dir);
	struct vl_err quiet;
	vl_err_init(&quiet);
	struct json_object *svcs = st ? vl_statefile_read(path, &quiet) : NULL;
	struct json_object *nodes = json_object_object_get(st, "nodes");
	size_t ns = json_object_is_type(svcs, json_type_array) ? json_object_array_length(svcs) : 0;
	size_t nn = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes) : 0;
	for (size_t i = 0; i < nn; i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		const char *name = json_object_get_string(json_object_object_get(n, "name"));
		struct json_object *mine = json_object_new_array();
		for (size_t j = 0; j < ns; j++) {
			struct json_object *s = json_object_array_get_idx(svcs, j);
			const char *sn = json_object_get_string(json_object_object_get(s, "node"));
			if (name && sn && !strcmp(name, sn))
				json_object_array_add(mine, json_object_get(s));
		}
		if (json_object_array_length(mine))
			json_object_object_add(n, "services", mine);
		else
			json_object_put(mine);
	}
	json_object_put(svcs);
	return st;
}

/* Stated qdiscs make a plan reproducible; else it is what `up` would
 * find here. */
static int render_plan(const struct vl_topo *t, const char *qdiscs, FILE *out,
		       struct vl_err *err)
{
	struct vl_plan_opts o = {0};
	if (qdiscs && vl_plan_opts_qdiscs(qdiscs, &o, err) < 0)
		return -EINVAL;
	if (!qdiscs)
		probe_qdiscs(vl_privs_mode(), &o);
	return vl_plan_print(t, &o, vl_keeper_lab_ops.name, out, err);
}

/* No record of its own: every lab without another backend's is a
 * keeper's (the default of a Linux build). */
static bool recorded(const struct vl_lab_paths *p)
{
	(void)p;
	return false;
}

const struct vl_lab_ops vl_keeper_lab_ops = {
	.name = "linux",
	.keeper = true,
	.recorded = recorded,
	.up = up,
	.down = vl_keeper_down,
	.alive = alive,
	.phase = phase,
	.remove_outside = remove_outside,
	.inspect = inspect,
	.render_plan = render_plan,
};
