/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.c — a FreeBSD lab's life: up, its record, down (freebsd.h). */
#include "vnetlab/freebsd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/lab.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/statefile.h"

/* The lab's record once it is up: state.json for ls/inspect, and the
 * teardown, written last (its presence means "up"). */
static int record(const struct vl_lab_paths *lp, struct vl_plan *p,
		  struct vl_backend *be, struct vl_err *err)
{
	const struct vl_topo *t = p->topo;
	struct vl_link_live *live = calloc(t->n_links ? t->n_links : 1, sizeof(*live));
	if (!live)
		return vl_errf(err, "out of memory"), -ENOMEM;
	for (size_t l = 0; l < t->n_links; l++)
		vl_link_place(p, l, t->links[l].dir, &live[l], err);
	struct vl_up_opts o = {.mode = VL_MODE_ROOT, .backend = "freebsd"};
	int rc = vl_statefile_write(lp->state, p, live, &o, err);
	free(live);
	if (rc < 0)
		return rc;
	struct json_object *td = vl_freebsd_teardown_json(be);
	rc = vl_file_write_atomic(lp->teardown,
				  json_object_to_json_string_ext(td, JSON_C_TO_STRING_PRETTY),
				  err);
	json_object_put(td);
	return rc;
}

static void remove_record(const struct vl_lab_paths *lp)
{
	unlink(lp->teardown);
	unlink(lp->state);
	rmdir(lp->logs);
	rmdir(lp->dir);
}

int vl_freebsd_up(const struct vl_topo *t, const char *root, struct vl_err *err)
{
	struct vl_lab_paths lp;
	int rc = vl_lab_paths(root, t->name, &lp, err);
	if (rc < 0)
		return rc;
	int rootfd = vl_root_lock(root, err);
	if (rootfd < 0)
		return rootfd;
	if (mkdir(lp.dir, 0700) < 0) {
		rc = errno == EEXIST ? vl_errf(err, "lab '%s' already exists (stop it with: "
					       "vnetlab down %s)", t->name, t->name), -EEXIST
				     : vl_err_sys(err, errno, "creating %s", lp.dir);
		close(rootfd);
		return rc;
	}
	close(rootfd);
	struct vl_plan p;
	struct vl_plan_opts po = vl_freebsd_plan_opts();
	struct vl_fbsd_opts o = {0};
#ifdef __FreeBSD__
	/* The jails' mount points are the host's: looked at before anything
	 * is made (elsewhere only the tests' stand-ins run). */
	o.host_root = "/";
#endif
	struct vl_backend *be = NULL;
	rc = vl_plan_build(t, &po, &p, err);
	bool planned = rc == 0;
	if (rc == 0 && !(be = vl_freebsd_backend_new(&p, &o, err)))
		rc = -EOPNOTSUPP;
	if (rc == 0)
		rc = vl_backend_run(be, NULL, err); /* rolls back on failure */
	if (rc == 0 && (rc = record(&lp, &p, be, err)) < 0) {
		struct vl_err ignored;
		vl_err_init(&ignored);
		vl_freebsd_teardown(be, &ignored);
	}
	if (rc < 0)
		remove_record(&lp);
	vl_freebsd_backend_free(be);
	if (planned)
		vl_plan_free(&p);
	return rc;
}

int vl_freebsd_down(const struct vl_lab_paths *lp, struct vl_err *err)
{
	struct json_object *td = json_object_from_file(lp->teardown);
	if (!td)
		return vl_errf(err, "%s: cannot read the teardown", lp->teardown), -EIO;
	int rc = vl_freebsd_run_json(td, err);
	json_object_put(td);
	/* Keep the record when something could not be undone: `down` again
	 * retries, and the error says what is left. */
	if (rc == 0)
		remove_record(lp);
	return rc;
}

/* ---- lifecycle.h's table ------------------------------------------------------- */

/* No keeper, no mode (root is root), no report: of up's options only the
 * topology and the state root matter here. */
static int table_up(const struct vl_topo *t, const char *root, const struct vl_up_opts *o,
		    pid_t *keeper, struct vl_err *err)
{
	(void)o;
	*keeper = 0;
	return vl_freebsd_up(t, root, err);
}

static bool recorded(const struct vl_lab_paths *p)
{
	return vl_lab_is_freebsd(p);
}

/* The teardown is written last, once everything is up: a recorded lab
 * is neither being built nor taken down by anyone who could say so. */
static enum vl_lab_phase phase(const struct vl_lab_paths *p, pid_t *pid)
{
	(void)p;
	*pid = 0;
	return VL_LAB_RUNNING;
}

/* The jails and their roots (/var/run/vnetlab/LAB.NODE) are the
 * teardown's to undo (down); nothing else is made outside the lab's
 * directory. */
static void nothing_outside(const struct vl_lab_paths *p)
{
	(void)p;
}

static struct json_object *inspect(const struct vl_lab_paths *p, struct vl_err *err)
{
	return vl_statefile_read(p->state, err);
}

/* Its plan options are its own (every impairment is an ng_pipe), so a
 * stated --qdiscs changes nothing. */
static int render_plan(const struct vl_topo *t, const char *qdiscs, FILE *out,
		       struct vl_err *err)
{
	(void)qdiscs;
	return vl_freebsd_render(t, out, err);
}

const struct vl_lab_ops vl_freebsd_lab_ops = {
	.name = "freebsd",
	.keeper = false,
	.recorded = recorded,
	.up = table_up,
	.down = vl_freebsd_down,
	.alive = recorded,
	.phase = phase,
	.remove_outside = nothing_outside,
	.inspect = inspect,
	.render_plan = render_plan,
};
