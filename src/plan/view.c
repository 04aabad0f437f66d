/* SPDX-License-Identifier: BSD-2-Clause */
/* view.c — a node's filesystem view as a list of mounts (view.h). */
#include "vnetlab/view.h"
#include "vnetlab/service.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int vl_view_add(struct vl_view *v, enum vl_view_kind kind, const char *path,
		const char *src, const char *content, size_t len, struct vl_pos pos)
{
	struct vl_view_ent *e = realloc(v->e, (v->n + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	v->e = e;
	e = &v->e[v->n];
	*e = (struct vl_view_ent){.kind = kind, .pos = pos, .len = len, .seq = v->n,
				  .mode = kind == VL_VIEW_FILE ? 0644 : 0755};
	e->path = strdup(path);
	e->src = src ? strdup(src) : NULL;
	if (content && (e->content = malloc(len + 1))) {
		memcpy(e->content, content, len);
		e->content[len] = '\0';
	}
	if (!e->path || (src && !e->src) || (content && !e->content)) {
		free(e->path);
		free(e->src);
		free(e->content);
		return -ENOMEM;
	}
	v->n++;
	return 0;
}

void vl_view_free(struct vl_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->e[i].path);
		free(v->e[i].src);
		free(v->e[i].content);
	}
	free(v->e);
	*v = (struct vl_view){0};
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0' ||
					  (n == 1 && dir[0] == '/'));
}

const struct vl_view_ent *vl_view_tmpfs_of(const struct vl_view *v, const char *path)
{
	const struct vl_view_ent *best = NULL;
	for (size_t i = 0; i < v->n; i++)
		if (v->e[i].kind == VL_VIEW_TMPFS && under(path, v->e[i].path) &&
		    (!best || strlen(v->e[i].path) > strlen(best->path)))
			best = &v->e[i];
	return best;
}

bool vl_view_eager(const struct vl_node *n)
{
	return n->n_binds || n->n_files || n->n_services || n->private_set;
}

/* Tmpfs first, shallow before deep; then the rest by path, so what is
 * mounted inside something else comes after it.  Stable for equal keys
 * (a directory and the defaults written in it keep their order). */
static int rank(const struct vl_view_ent *e)
{
	return e->kind == VL_VIEW_TMPFS ? 0 : 1;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct vl_view_ent *x = a, *y = b;
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	size_t dx = 0, dy = 0;
	for (const char *p = x->path; *p; p++)
		dx += *p == '/';
	for (const char *p = y->path; *p; p++)
		dy += *p == '/';
	if (dx != dy)
		return dx < dy ? -1 : 1;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int add_private(const struct vl_node *n, struct vl_view *v)
{
	static const struct vl_pos none;
	if (!n->private_set) {
		for (const char *const *d = vl_node_private_default(); *d; d++)
			if (vl_view_add(v, VL_VIEW_TMPFS, *d, NULL, NULL, 0, none) < 0)
				return -ENOMEM;
	}
	for (size_t i = 0; i < n->n_private; i++)
		if (vl_view_add(v, VL_VIEW_TMPFS, n->private[i], NULL, NULL, 0, n->pos) < 0)
			return -ENOMEM;
	/* Scratch directories are everyone's, with the sticky bit. */
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->e[i].path, "/tmp") || !strcmp(v->e[i].path, "/var/tmp"))
			v->e[i].mode = 01777;
	return 0;
}

/* Every entry at or under /run, at or under run_dir instead. */
static int move_run(struct vl_view *v, const char *run_dir)
{
	for (size_t i = 0; i < v->n; i++) {
		char *p = v->e[i].path;
		if (strcmp(run_dir, "/run") == 0 || !under(p, "/run"))
			continue;
		char *q = malloc(strlen(run_dir) + strlen(p + 4) + 1);
		if (!q)
			return -ENOMEM;
		strcpy(q, run_dir);
		strcat(q, p + 4);
		free(p);
		v->e[i].path = q;
	}
	return 0;
}

int vl_view_build(const struct vl_node *n, const struct vl_view_opts *o,
		  struct vl_view *out, struct vl_err *err)
{
	*out = (struct vl_view){0};
	if (!vl_kind_has(n->kind, VL_KF_STACK))
		return 0;
	int rc = add_private(n, out);
	for (size_t i = 0; rc == 0 && i < n->n_binds; i++) {
		const struct vl_bind *b = &n->binds[i];
		rc = vl_view_add(out, VL_VIEW_BIND, b->dst, b->src, NULL, 0, b->pos);
		if (rc == 0)
			out->e[out->n - 1].ro = b->ro;
	}
	for (size_t i = 0; rc == 0 && i < n->n_files; i++) {
		const struct vl_file *f = &n->files[i];
		rc = vl_view_add(out, VL_VIEW_FILE, f->path, NULL, f->content, f->len, f->pos);
	}
	if (rc < 0) {
		vl_view_free(out);
		return vl_err_sys(err, -rc, "node %s: its filesystem view", n->name);
	}
	for (size_t i = 0; rc == 0 && i < n->n_services; i++)
		rc = vl_service_view(&n->services[i], n, o, out, err);
	if (rc == 0 && o->run_dir && (rc = move_run(out, o->run_dir)) < 0)
		vl_err_sys(err, -rc, "node %s: its filesystem view", n->name);
	if (rc < 0) {
		vl_view_free(out);
		return rc;
	}
	if (out->n > 1) /* qsort of no array is undefined */
		qsort(out->e, out->n, sizeof(*out->e), cmp_ent);
	return 0;
}
