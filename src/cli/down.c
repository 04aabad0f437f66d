/* SPDX-License-Identifier: BSD-2-Clause */
/* down.c — `vnetlab down` and `vnetlab cleanup`. */
#include <getopt.h>
#include <stdio.h>
#include <sys/file.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/vimage.h"

/* By the backend that made the lab, as its directory records. */
int cli_down(const struct vl_lab_paths *p, struct vl_err *err)
{
	return vl_lab_ops_choose(NULL, p, NULL)->down(p, err);
}

/* `down` of a lab the FreeBSD verbs made also forgets their model.  With
 * orphan set, only a model whose lab is gone (looked at under the model's
 * lock, so a verb bringing the lab up now is not undone); true when a
 * model was removed. */
static bool forget_vimage(const struct vl_lab_paths *p, bool orphan)
{
	char root[sizeof(p->dir)], path[sizeof(p->dir) + 128];
	snprintf(root, sizeof(root), "%s", p->dir);
	char *slash = strrchr(root, '/');
	if (!slash)
		return false;
	*slash = '\0';
	/* Under the model's lock, so a verb running now finishes first (and a
	 * waiting one sees its lock file gone and starts afresh). */
	snprintf(path, sizeof(path), "%s/.vimage-%s.json.lock", root, p->name);
	int lock = open(path, O_RDWR | O_CLOEXEC);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	bool removed = false;
	if (!orphan || !vl_lab_exists(p)) {
		static const char *const ext[] = {"json", "yaml", "json.lock"};
		for (int i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/.vimage-%s.%s", root, p->name, ext[i]);
			removed |= unlink(path) == 0 && i == 0;
		}
	}
	if (lock >= 0)
		close(lock);
	return removed;
}

/* A lab being built: until its `up` is done or gone (then its keeper
 * rolls back), at most 10 minutes.  The controller of a lab over several
 * hosts rolls back a host whose ssh connection was lost while the
 * remote `up` was still building there. */
static void wait_built(const struct vl_lab_paths *p)
{
	for (int i = 0; i < 6000 && vl_lab_phase(p, NULL) == VL_LAB_BUILDING; i++) {
		if (i == 10)
			fprintf(stderr, "vnetlab: lab '%s' is being built; waiting for its "
				"`up` to end\n", p->name);
		usleep(100000);
	}
}

int cmd_down(int argc, char **argv)
{
	/* --missing-ok: a lab that is not here is no error (the controller
	 * of a lab over several hosts takes every host's part down, made or
	 * not). */
	bool missing_ok = false;
	int first = 1;
	if (argc > 1 && !strcmp(argv[1], "--missing-ok"))
		missing_ok = true, first = 2;
	if (argc < first + 1)
		return cli_usage("down");
	int status = 0;
	for (int i = first; i < argc; i++) {
		if (cli_mh_is(argv[i])) {
			int s = cli_mh_down(argv[i]);
			status = status ? status : s;
			continue;
		}
		struct vl_err err;
		vl_err_init(&err);
		struct vl_lab_paths p;
		int rc = cli_lab(argv[i], &p, &err);
		/* The jails' model outlived its lab (killed, its state directory
		 * removed): down forgets it. */
		if (rc == 0 && !vl_lab_exists(&p) && forget_vimage(&p, true)) {
			fprintf(stderr, "vnetlab: lab '%s' was not running; its jails' model "
				"is forgotten\n", argv[i]);
			continue;
		}
		if (rc == 0 && missing_ok)
			wait_built(&p);
		if (rc == 0 && missing_ok && !vl_lab_exists(&p)) {
			fprintf(stderr, "vnetlab: no lab named '%s' here; nothing to take down\n",
				argv[i]);
			continue;
		}
		if (rc == 0)
			rc = cli_down(&p, &err);
		if (rc < 0) {
			status = cli_fail(&err);
		} else {
			forget_vimage(&p, false);
			fprintf(stderr, "vnetlab: lab '%s' down%s\n", argv[i],
				rc == 1 ? " (another vnetlab was taking it down at the "
					  "same time)" : "");
		}
	}
	return status;
}

struct cleanup_ctx {
	bool all;
	int removed, stopped, failed;
};

static int cleanup_one(const struct vl_lab_paths *p, void *arg)
{
	struct cleanup_ctx *c = arg;
	if (!vl_lab_alive(p)) {
		/* Under the root lock: an `up` may be claiming the name now. */
		if (vl_lab_remove_stale(p)) {
			printf("removed stale lab %s\n", p->name);
			c->removed++;
		}
		return 0;
	}
	if (!c->all)
		return 0;
	struct vl_err err;
	vl_err_init(&err);
	if (cli_down(p, &err) < 0) {
		cli_fail(&err);
		c->failed++;
	} else {
		printf("stopped lab %s\n", p->name);
		c->stopped++;
	}
	return 0;
}

static int cleanup_model(const char *lab, const char *path, void *arg)
{
	(void)path;
	struct cleanup_ctx *c = arg;
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	if (cli_lab(lab, &p, &err) == 0 && !vl_lab_exists(&p) && forget_vimage(&p, true)) {
		printf("removed the jails' model of lab %s (the lab was gone)\n", lab);
		c->removed++;
	}
	return 0;
}

int cmd_cleanup(int argc, char **argv)
{
	struct cleanup_ctx c = {0};
	if (argc == 2 && strcmp(argv[1], "--all") == 0)
		c.all = true;
	else if (argc != 1)
		return cli_usage("cleanup");
	if (cli_foreach_lab(cleanup_one, &c) != 0)
		return 1;
	/* Labs over several hosts whose `up` died, or all of them. */
	cli_mh_cleanup(c.all);
	/* What else a dead lab left: the FreeBSD verbs' model of it. */
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) == 0)
		vl_vimage_models(root, cleanup_model, &c);
	if (!c.removed && !c.stopped && !c.failed)
		printf("nothing to clean up\n");
	return c.failed ? 1 : 0;
}
