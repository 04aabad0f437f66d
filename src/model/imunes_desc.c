/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes_desc.c — the description both IMUNES readers fill (imunes.h):
 * its lists, messages and the warnings of what is ignored. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imunes.h"

int im_errf(struct im_topo *t, struct vl_pos pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->errors++;
	if (t->errors <= 20)
		vl_errf(t->err, "%s:%d:%d: error: %s", t->file, pos.line, pos.col, msg);
	else if (t->errors == 21)
		vl_errf(t->err, "%s: error: more errors not shown", t->file);
	return -1;
}

void im_warnf(struct im_topo *t, struct vl_pos pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->warn)
		vl_errf(t->warn, "%s:%d:%d: warning: %s", t->file, pos.line, pos.col, msg);
}

void im_ignore(struct im_topo *t, const char *what, struct vl_pos pos)
{
	char cut[sizeof(t->ign[0].what)]; /* as it is kept, so one kind stays one */
	snprintf(cut, sizeof(cut), "%s", what);
	what = cut;
	for (size_t i = 0; i < t->n_ign; i++)
		if (!strcmp(t->ign[i].what, what)) {
			t->ign[i].count++;
			return;
		}
	size_t i = t->n_ign < sizeof(t->ign) / sizeof(t->ign[0]) ? t->n_ign++ : t->n_ign - 1;
	if (i + 1 == sizeof(t->ign) / sizeof(t->ign[0]))
		what = "other fields";
	snprintf(t->ign[i].what, sizeof(t->ign[i].what), "%s", what);
	t->ign[i].pos = pos;
	t->ign[i].count++;
}

char *im_strndup(const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		n = strlen(s);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

void im_set(struct im_str *dst, const char *s, size_t len, struct vl_pos pos)
{
	free(dst->s);
	dst->s = im_strndup(s, len);
	dst->pos = pos;
}

static void *grow(void **arr, size_t *n, size_t size)
{
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 4;
		void *g = realloc(*arr, cap * size);
		if (!g)
			return NULL;
		*arr = g;
	}
	void *e = (char *)*arr + (*n)++ * size;
	memset(e, 0, size);
	return e;
}

struct im_node *im_add_node(struct im_topo *t, const char *id, struct vl_pos pos)
{
	/* a node given twice: im_check_ids, once all are in (no n^2) */
	struct im_node *n = grow((void **)&t->nodes, &t->n_nodes, sizeof(*n));
	if (!n || !(n->id = strdup(id))) {
		if (n)
			t->n_nodes--;
		return im_errf(t, pos, "out of memory"), NULL;
	}
	n->pos = pos;
	n->auto_default = -1;
	n->built = -1;
	return n;
}

struct im_link *im_add_link(struct im_topo *t, const char *id, struct vl_pos pos)
{
	struct im_link *l = grow((void **)&t->links, &t->n_links, sizeof(*l));
	if (!l || !(l->id = strdup(id))) {
		if (l)
			t->n_links--;
		return im_errf(t, pos, "out of memory"), NULL;
	}
	l->pos = pos;
	return l;
}

struct im_iface *im_add_iface(struct im_topo *t, struct im_node *n, const char *id,
			      struct vl_pos pos)
{
	if (n->n_ifs >= IM_MAX_IFACES)
		return im_errf(t, pos, "node '%s' has more than %d interfaces", n->id,
			       IM_MAX_IFACES), NULL;
	for (size_t i = 0; i < n->n_ifs; i++)
		if (!strcmp(n->ifs[i].id, id))
			return im_errf(t, pos, "interface '%s' of node '%s' is given twice", id,
				       n->id), NULL;
	struct im_iface *f = grow((void **)&n->ifs, &n->n_ifs, sizeof(*f));
	if (!f || !(f->id = strdup(id)) || !(f->name = strdup(id))) {
		if (f) {
			free(f->id);
			n->n_ifs--;
		}
		return im_errf(t, pos, "out of memory"), NULL;
	}
	f->pos = pos;
	return f;
}

int im_add_str(struct im_topo *t, struct im_str **arr, size_t *n, char *s, struct vl_pos pos)
{
	struct im_str *e = s ? grow((void **)arr, n, sizeof(*e)) : NULL;
	if (!e) {
		free(s);
		return im_errf(t, pos, "out of memory");
	}
	e->s = s;
	e->pos = pos;
	return 0;
}

unsigned im_proto(const char *s)
{
	static const char *const names[] = {"rip", "ripng", "ospf", "ospf6", "bgp"};
	for (unsigned i = 0; i < IM_N_PROTOS; i++)
		if (!strcmp(s, names[i]))
			return 1u << i;
	return 0;
}

static void free_strs(struct im_str *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i].s);
	free(a);
}

void im_topo_free(struct im_topo *t)
{
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct im_node *n = &t->nodes[i];
		for (size_t j = 0; j < n->n_ifs; j++) {
			struct im_iface *f = &n->ifs[j];
			free(f->id), free(f->name), free(f->mac.s), free(f->mtu.s), free(f->peer), free(f->hook);
			free_strs(f->addrs, f->n_addrs);
		}
		free(n->ifs);
		free(n->id), free(n->type.s), free(n->model.s), free(n->name.s);
		free(n->custom_cmd.s), free(n->custom_cfg.s);
		free_strs(n->routes4, n->n_routes4);
		free_strs(n->routes6, n->n_routes6);
		for (int j = 0; j < IM_N_PROTOS; j++)
			free_strs(n->extra[j], n->n_extra[j]);
		free_strs(n->ospf_nets, n->n_ospf_nets);
	}
	free(t->nodes);
	for (size_t i = 0; i < t->n_links; i++) {
		struct im_link *l = &t->links[i];
		free(l->id), free(l->mirror.s);
		for (int j = 0; j < 2; j++)
			free(l->peers[j].s), free(l->ifs[j].s);
		for (int j = 0; j < IM_L__N; j++)
			free(l->p[j].s);
	}
	free(t->links);
}


struct idx {
	const char *id;
	struct vl_pos pos;
};

static int by_id(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;
	int d = strcmp(x->id, y->id);
	return d ? d : x->pos.line != y->pos.line ? x->pos.line - y->pos.line
						  : x->pos.col - y->pos.col;
}

/* Ids given twice, nodes' and links', in O(n log n): the later copies
 * are refused at their positions. */
int im_check_ids(struct im_topo *t)
{
	for (int k = 0; k < 2; k++) {
		size_t n = k ? t->n_links : t->n_nodes;
		struct idx *v = calloc(n + 1, sizeof(*v));
		if (!v)
			return im_errf(t, (struct vl_pos){1, 1}, "out of memory");
		for (size_t i = 0; i < n; i++)
			v[i] = k ? (struct idx){t->links[i].id, t->links[i].pos}
				 : (struct idx){t->nodes[i].id, t->nodes[i].pos};
		qsort(v, n, sizeof(*v), by_id);
		for (size_t i = 1; i < n; i++)
			if (!strcmp(v[i].id, v[i - 1].id))
				im_errf(t, v[i].pos, "%s '%s' is given twice (line %d)",
					k ? "link" : "node", v[i].id, v[i - 1].pos.line);
		free(v);
	}
	return t->errors ? -1 : 0;
}
