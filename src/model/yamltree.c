/* SPDX-License-Identifier: BSD-2-Clause */
/* yamltree.c — libyaml's event stream folded into a positioned tree.
 *
 * We use the event API rather than libyaml's document loader because the
 * loader expands aliases (unbounded memory on an alias bomb) and keeps no
 * cheap way to reject duplicate keys with their position.
 */
#include "vnetlab/yamltree.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct builder {
	const char *file;
	struct vl_err *err;
	struct vl_ynode *stack[VL_YAML_MAX_DEPTH + 1];
	int depth;
	size_t nodes;
	struct vl_ynode *root;
	int docs;
};

void vl_ynode_free(struct vl_ynode *n)
{
	if (!n)
		return;
	size_t items = n->type == VL_Y_MAP ? 2 * n->n + n->key_open : n->n;
	for (size_t i = 0; i < items; i++)
		vl_ynode_free(n->kv[i]);
	free(n->kv);
	free(n->str);
	free(n);
}

struct vl_ynode *vl_ymap_get(const struct vl_ynode *m, const char *key)
{
	if (!m || m->type != VL_Y_MAP)
		return NULL;
	for (size_t i = 0; i < m->n; i++) {
		const struct vl_ynode *k = m->kv[2 * i];
		if (k->type == VL_Y_SCALAR && strcmp(k->str, key) == 0)
			return m->kv[2 * i + 1];
	}
	return NULL;
}

static int fail(struct builder *b, const yaml_mark_t *m, const char *msg)
{
	vl_errf(b->err, "%s:%zu:%zu: error: %s", b->file, m->line + 1,
		m->column + 1, msg);
	return -1;
}

static struct vl_ynode *new_node(struct builder *b, enum vl_ytype t,
				 const yaml_mark_t *m)
{
	if (++b->nodes > VL_YAML_MAX_NODES) {
		fail(b, m, "document has too many nodes");
		return NULL;
	}
	struct vl_ynode *n = calloc(1, sizeof(*n));
	if (!n) {
		fail(b, m, "out of memory");
		return NULL;
	}
	n->type = t;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

static int push_child(struct vl_ynode *parent, struct vl_ynode *child)
{
	size_t used = parent->type == VL_Y_MAP ? 2 * parent->n + parent->key_open
					       : parent->n;
	if (used == parent->cap) {
		size_t cap = parent->cap ? 2 * parent->cap : 4;
		void *p = realloc(parent->kv, cap * sizeof(*parent->kv));
		if (!p)
			return -1;
		parent->kv = p;
		parent->cap = cap;
	}
	parent->kv[used] = child;
	if (parent->type == VL_Y_SEQ) {
		parent->n++;
	} else if (parent->key_open) { /* value completes a pair */
		parent->key_open = false;
		parent->n++;
	} else {                       /* key opens a pair */
		parent->key_open = true;
	}
	return 0;
}

/* Duplicate keys are an error, not "last one wins": in a topology file a
 * repeated node name is almost always a copy-paste mistake.  Checked once
 * per mapping when it closes, by sorting its keys: a check at each insert
 * was quadratic, minutes for a hostile file of a million keys. */
static int by_key_then_position(const void *a, const void *b)
{
	const struct vl_ynode *x = *(const struct vl_ynode *const *)a;
	const struct vl_ynode *y = *(const struct vl_ynode *const *)b;
	int c = strcmp(x->str, y->str);
	if (c)
		return c;
	return x->line != y->line ? x->line - y->line : x->col - y->col;
}

static bool earlier(const struct vl_ynode *x, const struct vl_ynode *y)
{
	return x->line < y->line || (x->line == y->line && x->col < y->col);
}

static int check_dup_keys(struct builder *b, const struct vl_ynode *map)
{
	if (map->n < 2)
		return 0;
	const struct vl_ynode **keys = malloc(map->n * sizeof(*keys));
	if (!keys)
		return vl_errf(b->err, "%s: error: out of memory", b->file);
	for (size_t i = 0; i < map->n; i++)
		keys[i] = map->kv[2 * i]; /* scalars: complex keys are refused */
	qsort(keys, map->n, sizeof(*keys), by_key_then_position);
	/* Report the repeat that comes first in the file, as a reader
	 * going down the file would meet it. */
	const struct vl_ynode *dup = NULL, *first = NULL, *group = keys[0];
	for (size_t i = 1; i < map->n; i++) {
		if (strcmp(keys[i]->str, group->str) != 0) {
			group = keys[i];
			continue;
		}
		if (!dup || earlier(keys[i], dup))
			dup = keys[i], first = group;
	}
	free(keys);
	if (!dup)
		return 0;
	return vl_errf(b->err, "%s:%d:%d: error: duplicate key '%s' (first at line %d)",
		       b->file, dup->line, dup->col, dup->str, first->line);
}

static int attach(struct builder *b, struct vl_ynode *n)
{
	if (b->depth == 0) {
		if (b->root) {
			vl_ynode_free(n);
			return 0; /* unreachable: one document enforced */
		}
		b->root = n;
		return 0;
	}
	struct vl_ynode *parent = b->stack[b->depth - 1];
	if (push_child(parent, n) < 0) {
		vl_ynode_free(n);
		return vl_errf(b->err, "%s: error: out of memory", b->file);
	}
	return 0;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct vl_ynode *n = new_node(b, VL_Y_SCALAR, &ev->start_mark);
	if (!n)
		return -1;
	size_t len = ev->data.scalar.length;
	if (memchr(ev->data.scalar.value, '\0', len)) {
		vl_ynode_free(n);
		return fail(b, &ev->start_mark, "NUL byte in a scalar");
	}
	n->str = malloc(len + 1);
	if (!n->str) {
		vl_ynode_free(n);
		return fail(b, &ev->start_mark, "out of memory");
	}
	memcpy(n->str, ev->data.scalar.value, len);
	n->str[len] = '\0';
	n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	return attach(b, n);
}

static int on_open(struct builder *b, const yaml_event_t *ev, enum vl_ytype t)
{
	if (b->depth >= VL_YAML_MAX_DEPTH)
		return fail(b, &ev->start_mark, "nesting too deep");
	/* Complex keys ("? [a, b]: x") are legal YAML that no topology uses;
	 * refusing them here means every consumer may read key->str. */
	const struct vl_ynode *parent = b->depth ? b->stack[b->depth - 1] : NULL;
	if (parent && parent->type == VL_Y_MAP && !parent->key_open)
		return fail(b, &ev->start_mark,
			    "a key must be a plain value, not a list or mapping");
	struct vl_ynode *n = new_node(b, t, &ev->start_mark);
	if (!n)
		return -1;
	if (attach(b, n) < 0)
		return -1;
	b->stack[b->depth++] = n;
	return 0;
}

static int on_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1)
			return fail(b, &ev->start_mark,
				    "more than one YAML document in the file");
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(b, &ev->start_mark,
			    "YAML aliases (*name) are not supported in topology files");
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_open(b, ev, VL_Y_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_open(b, ev, VL_Y_MAP);
	case YAML_SEQUENCE_END_EVENT:
		b->depth--;
		return 0;
	case YAML_MAPPING_END_EVENT:
		return check_dup_keys(b, b->stack[--b->depth]);
	default:
		return 0;
	}
}

int vl_yaml_parse(const char *file, const char *buf, size_t len,
		  struct vl_ynode **out, struct vl_err *err)
{
	struct builder b = {.file = file, .err = err};
	yaml_parser_t p;
	*out = NULL;
	if (len > VL_YAML_MAX_BYTES)
		return vl_errf(err, "%s: error: file larger than %u MiB", file,
			       VL_YAML_MAX_BYTES >> 20), -EFBIG;
	if (!yaml_parser_initialize(&p))
		return vl_errf(err, "%s: error: cannot initialise libyaml", file),
		       -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			vl_errf(err, "%s:%zu:%zu: error: %s%s%s", file,
				p.problem_mark.line + 1, p.problem_mark.column + 1,
				p.problem ? p.problem : "invalid YAML",
				p.context ? " " : "", p.context ? p.context : "");
			rc = -EINVAL;
			break;
		}
		int r = on_event(&b, &ev);
		int done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (r < 0) {
			rc = -EINVAL;
			break;
		}
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	if (rc == 0 && !b.root) {
		vl_errf(err, "%s:1:1: error: the file is empty", file);
		rc = -EINVAL;
	}
	if (rc < 0) {
		vl_ynode_free(b.root);
		return rc;
	}
	*out = b.root;
	return 0;
}
