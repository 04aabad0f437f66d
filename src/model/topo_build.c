/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_build.c — the loader's model-level steps (topo_build.h): what a
 * YAML file and a program's model share, from adding a node to
 * validation.  topo_parse.c reads YAML into these calls; nothing here
 * knows YAML. */
#include "vnetlab/topo_build.h"

#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/validate.h"

#define MAX_ERRORS 20

void vl_pos_where(const struct vl_topo *t, const struct vl_pos_names *names,
		  struct vl_pos pos, char *buf, size_t len)
{
	if (names)
		names->name(names->arg, pos, buf, len);
	else
		snprintf(buf, len, "%s:%d:%d", t->file, pos.line, pos.col);
}

void vl_pos_ref(const struct vl_pos_names *names, struct vl_pos pos, char *buf, size_t len)
{
	if (names)
		names->name(names->arg, pos, buf, len);
	else
		snprintf(buf, len, "line %d", pos.line);
}

int vl_build_verrf(struct vl_build *b, struct vl_pos pos, const char *fmt, va_list ap)
{
	char msg[512], where[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (++b->errors <= MAX_ERRORS) {
		vl_pos_where(b->t, b->names, pos, where, sizeof(where));
		vl_errf(b->err, "%s: error: %s", where, msg);
	}
	return -1;
}

int vl_build_errf(struct vl_build *b, struct vl_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vl_build_verrf(b, pos, fmt, ap);
	va_end(ap);
	return -1;
}

int vl_build_begin(struct vl_build *b, const char *file, const struct vl_pos_names *names,
		   struct vl_err *err)
{
	*b = (struct vl_build){.err = err, .names = names};
	b->t = calloc(1, sizeof(*b->t));
	if (!b->t || !(b->t->file = strdup(file))) {
		free(b->t);
		b->t = NULL;
		return vl_errf(err, "%s: error: out of memory", file), -ENOMEM;
	}
	return 0;
}

/* Append one zeroed element.  Capacity doubles when the count reaches a
 * power of two (so no capacity field is needed, and a count that shrank
 * still fits): growing by one each time was quadratic under allocators
 * that move on every realloc (ASan's: 30 s for a 40,000-node file). */
void *vl_build_grow(void **arr, size_t *n, size_t size)
{
	if (*n == 0 || (*n & (*n - 1)) == 0) {
		void *p = realloc(*arr, (*n ? 2 * *n : 1) * size);
		if (!p)
			return NULL;
		*arr = p;
	}
	void *p = *arr;
	memset((char *)p + *n * size, 0, size);
	return (char *)p + (*n)++ * size;
}

/* ---- nodes and interfaces ------------------------------------------------ */

int vl_build_lab(struct vl_build *b, const char *name, struct vl_pos pos)
{
	const char *why = vl_check_lab_name(name);
	if (why)
		return vl_build_errf(b, pos, "lab name '%s' %s", name, why);
	snprintf(b->t->name, sizeof(b->t->name), "%s", name);
	return 0;
}

long vl_build_node(struct vl_build *b, const char *name, enum vl_kind kind, struct vl_pos pos)
{
	struct vl_topo *t = b->t;
	const char *why = vl_check_node_name(name);
	if (why)
		return vl_build_errf(b, pos, "node name '%s' %s", name, why);
	struct vl_node *node = vl_build_grow((void **)&t->nodes, &t->n_nodes, sizeof(*node));
	if (!node)
		return vl_build_errf(b, pos, "out of memory");
	snprintf(node->name, sizeof(node->name), "%s", name);
	snprintf(node->hostname, sizeof(node->hostname), "%s", name);
	node->pos = pos;
	node->kind = kind;
	return (long)t->n_nodes - 1;
}

int vl_build_hostname(struct vl_build *b, struct vl_node *n, const char *s, struct vl_pos pos)
{
	if (!*s || strlen(s) > VL_HOSTNAME_MAX || strchr(s, '/'))
		return vl_build_errf(b, pos, "hostname must be 1 to 64 bytes without '/'");
	snprintf(n->hostname, sizeof(n->hostname), "%s", s);
	return 0;
}

int vl_build_host_pin(struct vl_build *b, struct vl_node *n, const char *s, struct vl_pos pos)
{
	const char *why = vl_check_host_name(s);
	if (why)
		return vl_build_errf(b, pos, "host '%s' of node %s %s", s, n->name, why);
	snprintf(n->host, sizeof(n->host), "%s", s);
	n->host_pos = pos;
	return 0;
}

static struct vl_iface *add_iface(struct vl_node *node, const char *name, struct vl_pos pos)
{
	struct vl_iface *f = vl_build_grow((void **)&node->ifaces, &node->n_ifaces, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->pos = pos;
	f->link = -1;
	return f;
}

struct vl_iface *vl_build_iface(struct vl_build *b, struct vl_node *n, const char *name,
				struct vl_pos pos)
{
	const char *why = vl_check_ifname(name);
	if (why)
		return vl_build_errf(b, pos, "interface name '%s' %s", name, why), NULL;
	if (!vl_kind_has(n->kind, VL_KF_STACK))
		return vl_build_errf(b, pos, "a %s has no interfaces to configure "
				     "(its hooks are made by links)", vl_kind_type(n->kind)->name),
		       NULL;
	struct vl_iface *f = add_iface(n, name, pos);
	if (!f)
		return vl_build_errf(b, pos, "out of memory"), NULL;
	f->declared = true;
	return f;
}

int vl_build_mac(struct vl_build *b, struct vl_iface *f, const char *s, struct vl_pos pos)
{
	if (vl_mac_parse(s, f->mac) < 0)
		return vl_build_errf(b, pos, "mac '%s' is not a MAC address "
				     "(six hex bytes, e.g. 02:00:00:00:00:01)", s);
	if (f->mac[0] & 1)
		return vl_build_errf(b, pos, "mac '%s' is a multicast address", s);
	f->has_mac = true;
	f->mac_pos = pos;
	return 0;
}

int vl_build_addr(struct vl_build *b, struct vl_iface *f, const struct vl_ip *ip,
		  struct vl_pos pos)
{
	struct vl_addr *a = vl_build_grow((void **)&f->addrs, &f->n_addrs, sizeof(*a));
	if (!a)
		return vl_build_errf(b, pos, "out of memory");
	a->ip = *ip;
	a->pos = pos;
	return 0;
}

int vl_build_lo_addr(struct vl_build *b, struct vl_node *n, const struct vl_ip *ip,
		     struct vl_pos pos)
{
	static const struct vl_ip lo4 = {.family = AF_INET, .plen = 8, .a = {127}};
	static const struct vl_ip lo6 = {.family = AF_INET6, .plen = 128, .a = {[15] = 1}};
	char s[64];
	if (vl_ip_in_prefix(ip, &lo4) || (ip->family == AF_INET6 && vl_ip_same_addr(ip, &lo6)))
		return vl_build_errf(b, pos, "loopback address %s: lo has 127.0.0.1/8 and "
				     "::1/128 already; give others", vl_ip_str(ip, true, s, sizeof(s)));
	struct vl_addr *a = vl_build_grow((void **)&n->lo_addrs, &n->n_lo_addrs, sizeof(*a));
	if (!a)
		return vl_build_errf(b, pos, "out of memory");
	a->ip = *ip;
	a->pos = pos;
	return 0;
}

/* ---- names given twice ----------------------------------------------------- */

struct name_ix {
	const char *name;
	size_t i;
};

/* By name, then by order of appearance: the second of two is refused. */
static int cmp_name_ix(const void *pa, const void *pb)
{
	const struct name_ix *x = pa, *y = pb;
	int c = strcmp(x->name, y->name);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Interfaces declared twice on node n (sorted, not pairwise: a node may
 * declare very many). */
static int unique_ifaces(struct vl_build *b, const struct vl_node *n)
{
	if (n->n_ifaces < 2)
		return 0;
	struct name_ix *v = malloc(n->n_ifaces * sizeof(*v));
	if (!v)
		return vl_build_errf(b, n->pos, "out of memory");
	size_t k = 0;
	for (size_t j = 0; j < n->n_ifaces; j++)
		if (n->ifaces[j].declared)
			v[k++] = (struct name_ix){n->ifaces[j].name, j};
	qsort(v, k, sizeof(*v), cmp_name_ix);
	int rc = 0;
	for (size_t i = 1; i < k; i++)
		if (!strcmp(v[i].name, v[i - 1].name))
			rc = vl_build_errf(b, n->ifaces[v[i].i].pos, "interface '%s:%s' is "
					   "declared twice", n->name, v[i].name);
	free(v);
	return rc;
}

int vl_build_nodes_done(struct vl_build *b)
{
	struct vl_topo *t = b->t;
	vl_topo_index(t);
	int rc = 0;
	/* The index sorts by name; equal names are neighbours.  The later
	 * node is the one refused, as YAML refuses the later key. */
	for (size_t i = 1; t->by_name && i < t->n_indexed; i++) {
		size_t x = t->by_name[i - 1], y = t->by_name[i];
		if (strcmp(t->nodes[x].name, t->nodes[y].name))
			continue;
		size_t later = x > y ? x : y;
		rc = vl_build_errf(b, t->nodes[later].pos, "node name '%s' is given twice",
				   t->nodes[later].name);
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		rc |= unique_ifaces(b, &t->nodes[i]);
	return rc;
}

/* ---- links ----------------------------------------------------------------- */

/* The hook "node:hook" s names, made if the node's kind has it. */
static int resolve_endpoint(struct vl_build *b, const char *s, struct vl_pos pos,
			    struct vl_endpoint *ep)
{
	struct vl_topo *t = b->t;
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || !colon[1] || strchr(colon + 1, ':'))
		return vl_build_errf(b, pos, "endpoint '%s' must be written node:hook", s);
	char node[64];
	size_t nlen = (size_t)(colon - s);
	if (nlen >= sizeof(node))
		return vl_build_errf(b, pos, "endpoint '%s': no such node", s);
	memcpy(node, s, nlen);
	node[nlen] = '\0';
	long ni = vl_topo_find_node(t, node);
	if (ni < 0)
		return vl_build_errf(b, pos, "endpoint '%s': no node named '%s'", s, node);
	struct vl_node *nd = &t->nodes[ni];
	const char *hook = colon + 1;
	const char *why = vl_check_ifname(hook);
	if (why)
		return vl_build_errf(b, pos, "endpoint '%s': hook name '%s' %s", s, hook, why);
	if (!vl_kind_takes_hook(nd->kind, hook))
		return vl_build_errf(b, pos, "endpoint '%s': a %s has the hooks %s; not '%s'", s,
				     vl_kind_type(nd->kind)->name, vl_kind_type(nd->kind)->hook_rule,
				     hook);
	long fi = vl_node_find_iface(nd, hook);
	if (fi < 0) {
		/* Hooks come into being when a link names them, as with
		 * netgraph's mkpeer/connect. */
		if (!add_iface(nd, hook, pos))
			return vl_build_errf(b, pos, "out of memory");
		fi = (long)nd->n_ifaces - 1;
	}
	ep->node = (size_t)ni;
	ep->iface = (size_t)fi;
	ep->pos = pos;
	return 0;
}

/* A hook carries one link, as a netgraph hook connects to one peer. */
static int claim_hooks(struct vl_build *b, struct vl_pos at, const struct vl_link *l)
{
	struct vl_topo *t = b->t;
	const struct vl_endpoint *a = &l->ep[0], *z = &l->ep[1];
	if (a->node == z->node && a->iface == z->iface)
		return vl_build_errf(b, at, "a link cannot connect a hook to itself");
	if (a->node == z->node && vl_kind_has(t->nodes[a->node].kind, VL_KF_SWITCH))
		return vl_build_errf(b, at, "a link from %s '%s' to itself makes a loop",
				     vl_kind_type(t->nodes[a->node].kind)->name,
				     t->nodes[a->node].name);
	int rc = 0;
	for (int i = 0; i < 2; i++) {
		const struct vl_endpoint *ep = &l->ep[i];
		struct vl_iface *f = &t->nodes[ep->node].ifaces[ep->iface];
		char other[256];
		if (f->link < 0)
			continue;
		vl_pos_ref(b->names, t->links[f->link].pos, other, sizeof(other));
		rc = vl_build_errf(b, ep->pos, "hook '%s:%s' is already used by the link at %s",
				   t->nodes[ep->node].name, f->name, other);
	}
	if (rc == 0) {
		t->nodes[a->node].ifaces[a->iface].link = (long)t->n_links;
		t->nodes[z->node].ifaces[z->iface].link = (long)t->n_links;
	}
	return rc;
}

int vl_build_link(struct vl_build *b, const struct vl_link *l, struct vl_pos at,
		  const char *const ends[2], const struct vl_pos end_pos[2])
{
	struct vl_link k = *l;
	int rc = 0;
	if (l->has_tunnel) {
		/* A tunnel end: one endpoint, ep[1] its copy (topo.h). */
		if (!ends[0] || resolve_endpoint(b, ends[0], end_pos[0], &k.ep[0]) < 0)
			return -1;
		k.ep[1] = k.ep[0];
		const struct vl_node *n = &b->t->nodes[k.ep[0].node];
		if (vl_kind_has(n->kind, VL_KF_FOLDED))
			return vl_build_errf(b, end_pos[0], "a tunnel end cannot end on "
					     "pipe '%s': give the impairments on the "
					     "tunnel link itself", n->name);
		if (vl_kind_has(n->kind, VL_KF_FORWARD))
			return vl_build_errf(b, end_pos[0], "a tunnel end cannot end on "
					     "%s '%s': link it to a vnet node or a bridge "
					     "or hub port", vl_kind_type(n->kind)->name, n->name);
		struct vl_iface *f = &b->t->nodes[k.ep[0].node].ifaces[k.ep[0].iface];
		if (f->link >= 0) {
			char other[256];
			vl_pos_ref(b->names, b->t->links[f->link].pos, other, sizeof(other));
			return vl_build_errf(b, end_pos[0], "hook '%s:%s' is already used by "
					     "the link at %s", n->name, f->name, other);
		}
		f->link = (long)b->t->n_links;
	} else {
		for (int e = 0; e < 2; e++)
			rc |= ends[e] ? resolve_endpoint(b, ends[e], end_pos[e], &k.ep[e]) : -1;
		if (rc < 0 || claim_hooks(b, at, &k) < 0)
			return -1;
	}
	struct vl_link *slot = vl_build_grow((void **)&b->t->links, &b->t->n_links, sizeof(k));
	if (!slot)
		return vl_build_errf(b, l->pos, "out of memory");
	*slot = k;
	return 0;
}

/* ---- pipe nodes: folded into the links they stand for ------------------------ */

/* The end of link l that is not on node `node`. */
static struct vl_endpoint far_end(const struct vl_topo *t, long l, size_t node)
{
	const struct vl_link *lk = &t->links[l];
	return lk->ep[0].node == node ? lk->ep[1] : lk->ep[0];
}

/* The link on hook h (0: upper, 1: lower) of pipe node p, checked:
 * linked, plain, not to another pipe. */
static long pipe_side(struct vl_build *b, size_t p, int h)
{
	const struct vl_topo *t = b->t;
	const struct vl_node *n = &t->nodes[p];
	const char *const *hooks = vl_kind_type(n->kind)->hooks;
	long f = vl_node_find_iface(n, hooks[h]);
	long l = f < 0 ? -1 : n->ifaces[f].link;
	if (l < 0)
		return vl_build_errf(b, n->pos, "pipe '%s' needs both hooks linked: "
				     "%s and %s ('%s' is not)", n->name, hooks[0], hooks[1],
				     hooks[h]);
	const struct vl_link *lk = &t->links[l];
	if (lk->dir[0].set || lk->dir[1].set || lk->impl != VL_IMPL_AUTO)
		return vl_build_errf(b, lk->pos, "this link joins pipe '%s': give its "
				     "parameters on the pipe, not on the link", n->name);
	size_t far = far_end(t, l, p).node;
	bool folded = vl_kind_has(t->nodes[far].kind, VL_KF_FOLDED);
	if (folded && far < p)
		return -1; /* said once, by the first of the two */
	if (folded)
		return vl_build_errf(b, lk->pos, "pipes '%s' and '%s' are chained: merge "
				     "their parameters into one pipe", n->name,
				     t->nodes[far_end(t, l, p).node].name);
	return l;
}

/* Renumber after dropping: keep[i] false drops node/link i. */
static void drop_links(struct vl_topo *t, const bool *keep)
{
	size_t w = 0;
	for (size_t l = 0; l < t->n_links; l++) {
		if (!keep[l])
			continue;
		t->links[w] = t->links[l];
		for (int e = 0; e < 2; e++) {
			struct vl_endpoint *ep = &t->links[w].ep[e];
			t->nodes[ep->node].ifaces[ep->iface].link = (long)w;
		}
		w++;
	}
	t->n_links = w;
}

static void drop_pipe_nodes(struct vl_topo *t)
{
	size_t *to = malloc((t->n_nodes ? t->n_nodes : 1) * sizeof(*to)), w = 0;
	for (size_t i = 0; i < t->n_nodes; i++) {
		if (vl_kind_has(t->nodes[i].kind, VL_KF_FOLDED)) {
			free(t->nodes[i].ifaces);
			continue;
		}
		if (to)
			to[i] = w;
		t->nodes[w++] = t->nodes[i];
	}
	t->n_nodes = w;
	for (size_t l = 0; to && l < t->n_links; l++)
		for (int e = 0; e < 2; e++)
			t->links[l].ep[e].node = to[t->links[l].ep[e].node];
	free(to);
}

static int fold_pipes(struct vl_build *b)
{
	struct vl_topo *t = b->t;
	bool *keep = malloc((t->n_links ? t->n_links : 1) * sizeof(*keep));
	if (!keep)
		return vl_build_errf(b, (struct vl_pos){1, 1}, "out of memory");
	for (size_t l = 0; l < t->n_links; l++)
		keep[l] = true;
	int rc = 0;
	for (size_t p = 0; p < t->n_nodes; p++) {
		const struct vl_node *n = &t->nodes[p];
		if (!vl_kind_has(n->kind, VL_KF_FOLDED))
			continue;
		long up = pipe_side(b, p, 0), lo = pipe_side(b, p, 1);
		if (up < 0 || lo < 0) {
			rc = -1;
			continue;
		}
		struct vl_link m = {.ep = {far_end(t, up, p), far_end(t, lo, p)},
				    .pos = n->pos, .dir = {n->pipe_dir[0], n->pipe_dir[1]},
				    .impl = n->pipe_impl};
		snprintf(m.via, sizeof(m.via), "%s", n->name);
		t->links[up] = m;
		keep[lo] = false;
	}
	if (rc == 0) {
		drop_links(t, keep);
		drop_pipe_nodes(t);
	}
	free(keep);
	return rc;
}

static void number_hooks(struct vl_topo *t)
{
	size_t gid = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++)
			t->nodes[i].ifaces[j].gid = gid++;
	t->n_hooks = gid;
}

int vl_build_finish(struct vl_build *b, struct vl_topo **out)
{
	struct vl_topo *t = b->t;
	*out = NULL;
	if (b->errors > MAX_ERRORS)
		vl_errf(b->err, "%s: %d more errors not shown", t->file, b->errors - MAX_ERRORS);
	int rc = b->errors ? -1 : fold_pipes(b);
	if (rc == 0) {
		vl_topo_index(t); /* folding removed the pipe nodes */
		number_hooks(t);
		rc = vl_validate_named(t, b->names, b->err);
	}
	b->t = NULL;
	if (rc < 0) {
		vl_topo_free(t);
		return -EINVAL;
	}
	*out = t;
	return 0;
}
