/* SPDX-License-Identifier: BSD-2-Clause */
/* undo.c — the FreeBSD backend's steps: each command issued (run, or
 * printed when rendering) and the undo of what it made, kept newest
 * last; a teardown runs them newest first, here or, from teardown.json,
 * in the process of `down` (freebsd.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"

static void push_undo(struct fbsd_be *b, struct fb_cmd undo)
{
	if (b->n_undo == b->cap_undo) {
		size_t cap = b->cap_undo ? b->cap_undo * 2 : 64;
		void *p = realloc(b->undo, cap * sizeof(*b->undo));
		if (!p) {
			fb_cmd_free(&undo);
			return;
		}
		b->undo = p;
		b->cap_undo = cap;
	}
	b->undo[b->n_undo++] = (struct undo){undo, b->step};
}

int fb_issue(struct fbsd_be *b, struct fb_cmd c, struct fb_cmd undo, struct vl_err *err)
{
	b->step++;
	int rc = 0;
	if (b->o.render)
		fb_cmd_render(&c, NULL, b->o.render);
	else
		rc = fb_cmd_run(&c, err);
	fb_cmd_free(&c);
	if (rc == 0 && undo.argv[0])
		push_undo(b, undo);
	else
		fb_cmd_free(&undo);
	return rc;
}

struct fb_cmd fb_none(void)
{
	return (struct fb_cmd){{NULL}, NULL};
}

int fb_undo_all(struct fbsd_be *b, struct vl_err *err)
{
	int rc = 0;
	while (b->n_undo) {
		struct undo *u = &b->undo[--b->n_undo];
		if (b->o.render) {
			char note[32];
			snprintf(note, sizeof(note), "undoes %zu", u->step);
			fb_cmd_render(&u->cmd, note, b->o.render);
		} else {
			/* Keep going: the rest must still be undone. */
			int r = fb_cmd_run(&u->cmd, err);
			rc = rc ? rc : r;
		}
		fb_cmd_free(&u->cmd);
	}
	return rc;
}

void fb_undo_free(struct fbsd_be *b)
{
	for (size_t i = 0; i < b->n_undo; i++)
		fb_cmd_free(&b->undo[i].cmd);
	free(b->undo);
	b->undo = NULL;
	b->n_undo = b->cap_undo = 0;
}

struct json_object *vl_freebsd_teardown_json(struct vl_backend *be)
{
	struct fbsd_be *b = FB(be);
	struct json_object *a = json_object_new_array();
	for (size_t i = b->n_undo; i-- > 0;) {
		struct json_object *c = json_object_new_object(), *argv = json_object_new_array();
		for (size_t k = 0; b->undo[i].cmd.argv[k]; k++)
			json_object_array_add(argv, json_object_new_string(b->undo[i].cmd.argv[k]));
		json_object_object_add(c, "argv", argv);
		if (b->undo[i].cmd.input)
			json_object_object_add(c, "input",
					       json_object_new_string(b->undo[i].cmd.input));
		json_object_array_add(a, c);
	}
	return a;
}

int vl_freebsd_run_json(struct json_object *cmds, struct vl_err *err)
{
	int rc = 0;
	size_t n = json_object_is_type(cmds, json_type_array) ? json_object_array_length(cmds) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(cmds, i);
		struct json_object *argv = json_object_object_get(c, "argv");
		struct json_object *in = json_object_object_get(c, "input");
		struct fb_cmd cmd = {{NULL}, NULL};
		for (size_t k = 0; k < json_object_array_length(argv); k++)
			fb_cmd_add(&cmd, json_object_get_string(json_object_array_get_idx(argv, k)));
		if (in)
			cmd.input = strdup(json_object_get_string(in));
		int r = cmd.argv[0] ? fb_cmd_run(&cmd, err) : -EINVAL;
		rc = rc ? rc : r;
		fb_cmd_free(&cmd);
	}
	return rc;
}
