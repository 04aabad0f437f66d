/* SPDX-License-Identifier: BSD-2-Clause */
/* view.c — a vnet jail's root: the host's / by nullfs, a devfs, and the
 * node's filesystem view (vnetlab/view.h) on top, as commands each with
 * its undo (be.h).
 *
 * Why the commands look as they do:
 *  - A jail sees what is under its path=.  A node sees the host's
 *    filesystem as it is (as on Linux: read-write for its root), so the
 *    jail's root is a nullfs of / on a directory of its own,
 *    FB_JAILS_DIR/LAB.NODE/root; what is mounted there is the jail's
 *    only.  nullfs does not carry the host's other mounts along: a file
 *    system mounted below / on the host (a ZFS dataset such as /usr/home)
 *    shows as its empty mount point unless the node binds it.
 *  - devfs, a jail's own /dev, with no ruleset: every device, as the
 *    jails of path=/ saw the host's /dev and as a Linux node sees it (the
 *    jail rulesets hide bpf(4), which tcpdump in a node needs).
 *  - Then the view's entries, in its order: a tmpfs per private
 *    directory (nosuid, size=, mode= as on Linux), a nullfs per bind (a
 *    file onto a file too, FreeBSD 14), each file written where it goes
 *    inside a tmpfs of the view, elsewhere written beside the root and
 *    mounted on its path.  Mount points inside a tmpfs of the view are
 *    made (mkdir -p, touch); anywhere else they must exist, since nothing
 *    of the host is written (Linux makes them with an overlay; FreeBSD's
 *    unionfs is not one to build on), and fb_view_check says so first.
 *  - A file's content goes to dd(1) on its standard input, as netgraph's
 *    script goes to ngctl: no shell, and the plan shows it.
 *  - FreeBSD has no /run: the view's /run is /var/run (view.h's run_dir),
 *    and a private /var/run gets a copy of the runtime linker's hints,
 *    without which no program of a package (/usr/local/lib) starts.
 *  - Undone by `umount -f` (by then the jail is gone: a process of it still
 *    exiting must not keep the lab from coming down), rm and rmdir.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "be.h"
#include "vnetlab/view.h"

#define FB_PATH (PATH_MAX + 192)
#define HINTS VL_FBSD_RUN_DIR "/ld-elf.so.hints"

/* One node's root in the making. */
struct vctx {
	struct fbsd_be *b;
	const struct vl_view *v;
	char dir[128];  /* FB_JAILS_DIR/LAB.NODE */
	char root[160]; /* dir/root, the jail's path= */
	char **made;    /* directories mkdir -p made in tmpfs of the view */
	size_t n_made;
};

/* dir is a strict ancestor of path. */
static bool inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && path[n] == '/';
}

static bool is_mount(const struct vl_view_ent *e)
{
	return e->kind == VL_VIEW_TMPFS || e->kind == VL_VIEW_BIND;
}

/* The mount (before entry k) that path lies in, the one on top; NULL:
 * the host's / itself. */
static const struct vl_view_ent *container(const struct vl_view *v, size_t k, const char *path)
{
	const struct vl_view_ent *best = NULL;
	for (size_t j = 0; j < k; j++)
		if (is_mount(&v->e[j]) && inside(path, v->e[j].path) &&
		    (!best || strlen(v->e[j].path) >= strlen(best->path)))
			best = &v->e[j];
	return best;
}

/* Something (before entry k) is mounted on path itself. */
static bool mounted_at(const struct vl_view *v, size_t k, const char *path)
{
	for (size_t j = 0; j < k; j++)
		if (is_mount(&v->e[j]) && !strcmp(v->e[j].path, path))
			return true;
	return false;
}

static bool in_tmpfs(const struct vl_view_ent *in)
{
	return in && in->kind == VL_VIEW_TMPFS;
}

/* A bind's source is a directory (the loader saw it exist). */
static bool src_is_dir(const struct vl_view_ent *e)
{
	struct stat st;
	return stat(e->src, &st) < 0 || S_ISDIR(st.st_mode);
}

/* ---- making it -------------------------------------------------------------- */

static void at(const struct vctx *c, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", c->root, path);
}

static int step(struct vctx *c, const char *const *words, const char *const *undo,
		struct vl_err *err)
{
	return fb_issue(c->b, fb_cmd_make(words), undo ? fb_cmd_make(undo) : fb_none(), err);
}

/* mount WORDS... ROOT/path, undone by umount -f. */
static int mount_on(struct vctx *c, const char *const *words, const char *path,
		    struct vl_err *err)
{
	char p[FB_PATH];
	at(c, path, p, sizeof(p));
	struct fb_cmd m = fb_cmd_make((const char *[]){"mount", NULL});
	for (; *words; words++)
		fb_cmd_add(&m, *words);
	fb_cmd_add(&m, p);
	return fb_issue(c->b, m, fb_cmd_make((const char *[]){"umount", "-f", p, NULL}), err);
}

/* mkdir -p of a directory inside a tmpfs of the view, once. */
static int mkdirs(struct vctx *c, const char *path, struct vl_err *err)
{
	for (size_t i = 0; i < c->n_made; i++)
		if (!strcmp(c->made[i], path) || inside(c->made[i], path))
			return 0;
	char **m = realloc(c->made, (c->n_made + 1) * sizeof(*m));
	if (m)
		c->made = m;
	if (!m || !(m[c->n_made] = strdup(path)))
		return vl_errf(err, "out of memory"), -ENOMEM;
	c->n_made++;
	char p[FB_PATH];
	at(c, path, p, sizeof(p));
	return step(c, (const char *[]){"mkdir", "-p", p, NULL}, NULL, err);
}

/* The directory path is in, made when it is not the tmpfs in itself. */
static int parent_dir(struct vctx *c, const struct vl_view_ent *in, const char *path,
		      struct vl_err *err)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	return strcmp(parent, in->path) ? mkdirs(c, parent, err) : 0;
}

/* Entry k's mount point, made where the view's own tmpfs holds it. */
static int mount_point(struct vctx *c, size_t k, bool dir, struct vl_err *err)
{
	const struct vl_view_ent *e = &c->v->e[k], *in = container(c->v, k, e->path);
	if (!in_tmpfs(in) || mounted_at(c->v, k, e->path))
		return 0;
	if (dir)
		return mkdirs(c, e->path, err);
	char p[FB_PATH];
	at(c, e->path, p, sizeof(p));
	int rc = parent_dir(c, in, e->path, err);
	return rc < 0 ? rc : step(c, (const char *[]){"touch", p, NULL}, NULL, err);
}

static int make_tmpfs(struct vctx *c, size_t k, struct vl_err *err)
{
	const struct vl_view_ent *e = &c->v->e[k];
	char opts[64], p[FB_PATH];
	snprintf(opts, sizeof(opts), "nosuid,size=%s,mode=%o", VL_VIEW_TMPFS_SIZE, e->mode);
	int rc = mount_point(c, k, true, err);
	if (rc == 0)
		rc = mount_on(c, (const char *[]){"-t", "tmpfs", "-o", opts, "tmpfs", NULL},
			      e->path, err);
	if (rc == 0 && !strcmp(e->path, VL_FBSD_RUN_DIR)) {
		at(c, HINTS, p, sizeof(p));
		rc = step(c, (const char *[]){"cp", HINTS, p, NULL}, NULL, err);
	}
	return rc;
}

static int make_bind(struct vctx *c, size_t k, struct vl_err *err)
{
	const struct vl_view_ent *e = &c->v->e[k];
	int rc = mount_point(c, k, src_is_dir(e), err);
	if (rc < 0)
		return rc;
	if (e->ro)
		return mount_on(c, (const char *[]){"-t", "nullfs", "-o", "ro", e->src, NULL},
				e->path, err);
	return mount_on(c, (const char *[]){"-t", "nullfs", e->src, NULL}, e->path, err);
}

/* dd of=PATH status=none, the content on its standard input. */
static int write_to(struct vctx *c, const struct vl_view_ent *e, const char *path,
		    struct fb_cmd undo, struct vl_err *err)
{
	char of[FB_PATH + 8];
	snprintf(of, sizeof(of), "of=%s", path);
	struct fb_cmd w = fb_cmd_make((const char *[]){"dd", of, "status=none", NULL});
	if (!(w.input = strndup(e->content ? e->content : "", e->len))) {
		fb_cmd_free(&w);
		fb_cmd_free(&undo);
		return vl_errf(err, "out of memory"), -ENOMEM;
	}
	return fb_issue(c->b, w, undo, err);
}

/* A default (if_absent) goes only where nothing can be yet: a tmpfs of
 * the view, with no other entry at its path. */
static bool default_has_room(const struct vl_view *v, size_t k)
{
	if (!in_tmpfs(container(v, k, v->e[k].path)))
		return false;
	for (size_t j = 0; j < v->n; j++)
		if (j != k && !v->e[j].if_absent && !strcmp(v->e[j].path, v->e[k].path))
			return false;
	return true;
}

static int make_file(struct vctx *c, size_t k, struct vl_err *err)
{
	const struct vl_view_ent *e = &c->v->e[k], *in = container(c->v, k, e->path);
	char p[FB_PATH];
	if (e->if_absent && !default_has_room(c->v, k))
		return 0;
	if (in_tmpfs(in)) {
		int rc = parent_dir(c, in, e->path, err);
		at(c, e->path, p, sizeof(p));
		return rc < 0 ? rc : write_to(c, e, p, fb_none(), err);
	}
	/* On the host's file or a bind's: written beside the root, mounted there. */
	snprintf(p, sizeof(p), "%s/f%zu", c->dir, k);
	int rc = write_to(c, e, p, fb_cmd_make((const char *[]){"rm", "-f", p, NULL}), err);
	return rc < 0 ? rc : mount_on(c, (const char *[]){"-t", "nullfs", p, NULL}, e->path, err);
}

static int make_entry(struct vctx *c, size_t k, struct vl_err *err)
{
	const struct vl_view_ent *e = &c->v->e[k];
	int rc = e->kind == VL_VIEW_TMPFS ? make_tmpfs(c, k, err)
		 : e->kind == VL_VIEW_BIND ? make_bind(c, k, err)
		 : e->kind == VL_VIEW_FILE ? make_file(c, k, err)
					   : mount_point(c, k, true, err); /* DIR */
	if (rc == 0 && e->owner[0]) {
		char p[FB_PATH];
		at(c, e->path, p, sizeof(p));
		rc = step(c, (const char *[]){"chown", e->owner, p, NULL}, NULL, err);
	}
	return rc;
}

int fb_view_base(struct fbsd_be *b, struct vl_err *err)
{
	/* Every lab's: made once, kept (as the state root is). */
	return fb_issue(b, fb_cmd_make((const char *[]){"mkdir", "-p", FB_JAILS_DIR, NULL}),
			fb_none(), err);
}

static int view_of(struct fbsd_be *b, size_t i, struct vl_view *v, struct vl_err *err)
{
	struct vl_view_opts o = {.run_dir = VL_FBSD_RUN_DIR};
	return vl_view_build(&topo_of(b)->nodes[i], &o, v, err);
}

int fb_view_make(struct fbsd_be *b, size_t i, char *root, size_t len, struct vl_err *err)
{
	const struct vl_topo *t = topo_of(b);
	struct vl_view v;
	int rc = view_of(b, i, &v, err);
	if (rc < 0)
		return rc;
	struct vctx c = {.b = b, .v = &v};
	snprintf(c.dir, sizeof(c.dir), "%s/%s.%s", FB_JAILS_DIR, t->name, t->nodes[i].name);
	snprintf(c.root, sizeof(c.root), "%s/root", c.dir);
	snprintf(root, len, "%s", c.root);
	/* The jail's directory is its own (staged files wait there). */
	rc = step(&c, (const char *[]){"mkdir", "-m", "0700", c.dir, NULL},
		  (const char *[]){"rmdir", c.dir, NULL}, err);
	if (rc == 0)
		rc = step(&c, (const char *[]){"mkdir", c.root, NULL},
			  (const char *[]){"rmdir", c.root, NULL}, err);
	if (rc == 0)
		rc = mount_on(&c, (const char *[]){"-t", "nullfs", "/", NULL}, "", err);
	if (rc == 0)
		rc = mount_on(&c, (const char *[]){"-t", "devfs", "devfs", NULL}, "/dev", err);
	for (size_t k = 0; rc == 0 && k < v.n; k++)
		rc = make_entry(&c, k, err);
	for (size_t k = 0; k < c.n_made; k++)
		free(c.made[k]);
	free(c.made);
	vl_view_free(&v);
	return rc;
}

/* ---- checking the host first ------------------------------------------------ */

static int problem(const struct vl_topo *t, size_t i, const struct vl_view_ent *e,
		   const char *host, const char *why, struct vl_err *err)
{
	static const char *const what[] = {"private directory", "bind", "file", "directory"};
	const char *node = t->nodes[i].name;
	if (e->pos.line)
		vl_errf(err, "%s:%d:%d: error: node %s: %s %s: %s %s", t->file, e->pos.line,
			e->pos.col, node, what[e->kind], e->path, host, why);
	else
		vl_errf(err, "%s: error: node %s: %s %s: %s %s", t->file, node, what[e->kind],
			e->path, host, why);
	return -ENOENT;
}

/* Where path (a prefix of entry k's) is on the host: under the bind it
 * lies in, else under the host's root. */
static void host_path(const struct fbsd_be *b, const struct vl_view_ent *in, const char *path,
		      char *buf, size_t len)
{
	if (in)
		snprintf(buf, len, "%s%s", in->src, path + strlen(in->path));
	else
		snprintf(buf, len, "%s%s", strcmp(b->o.host_root, "/") ? b->o.host_root : "",
			 path);
}

static int check_entry(struct fbsd_be *b, size_t i, const struct vl_view *v, size_t k,
		       struct vl_err *err)
{
	const struct vl_view_ent *e = &v->e[k];
	if (in_tmpfs(container(v, k, e->path)) || mounted_at(v, k, e->path) ||
	    (e->kind == VL_VIEW_FILE && e->if_absent))
		return 0; /* made in the view's own tmpfs, or on a mount of it */
	bool dir = e->kind == VL_VIEW_BIND ? src_is_dir(e) : e->kind != VL_VIEW_FILE;
	const char *path = e->path;
	char p[PATH_MAX], host[FB_PATH];
	for (size_t end = 1;; end++) {
		if (path[end] != '/' && path[end] != '\0')
			continue;
		bool last = path[end] == '\0';
		snprintf(p, sizeof(p), "%.*s", (int)end, path);
		const struct vl_view_ent *in = container(v, k, p);
		if (mounted_at(v, k, p) || in_tmpfs(in)) {
			if (last)
				return 0; /* a mount of the view, or made inside one */
			continue;
		}
		host_path(b, in, p, host, sizeof(host));
		struct stat st;
		if (lstat(host, &st) < 0)
			return problem(topo_of(b), i, e, host,
				       errno == ENOENT ? "does not exist on this host (the FreeBSD "
				       "backend makes mount points only inside the node's private "
				       "directories: it writes nothing of the host's)"
						       : strerror(errno), err);
		if (S_ISLNK(st.st_mode))
			return problem(topo_of(b), i, e, host, "is a symbolic link on this host "
				       "(mounted from outside the jail it would lead out of the "
				       "jail's root: name where it points)", err);
		if (last && dir != !!S_ISDIR(st.st_mode))
			return problem(topo_of(b), i, e, host, dir ? "is not a directory on this "
				       "host" : "is not a file on this host (nullfs mounts a file "
				       "only on a file)", err);
		if (last)
			return 0;
	}
}

int fb_view_check(struct fbsd_be *b, size_t i, struct vl_err *err)
{
	struct vl_view v;
	int rc = view_of(b, i, &v, err);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < v.n; k++)
		if (check_entry(b, i, &v, k, err) < 0)
			rc = -ENOENT;
	vl_view_free(&v);
	return rc;
}
