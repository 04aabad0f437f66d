/* SPDX-License-Identifier: BSD-2-Clause */
/* topo.c — the topology model's own functions: the name rules, lookups,
 * names for messages, and freeing a model (the node kinds are kind.c's).
 * Everything that reads or checks a model (topo_parse.c, validate.c, the
 * planner, the backends) may call these; they call nothing of those, so
 * the model sits below both the loader and the validator (no circle). */
#include "vnetlab/topo.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---- names ------------------------------------------------------------ */

static const char *check_name(const char *s, size_t max, bool allow_dot)
{
	size_t len = strlen(s);
	if (len == 0)
		return "must not be empty";
	if (len > max)
		return "is too long";
	if (!isalnum((unsigned char)s[0]))
		return "must start with a letter or digit";
	for (const char *p = s; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (!(isalnum(ch) || ch == '-' || ch == '_' || (allow_dot && ch == '.')))
			return "may contain only letters, digits, '-' and '_'";
	}
	return NULL;
}

const char *vl_check_node_name(const char *s)
{
	/* Bridges become interfaces in the core namespace, and every node
	 * becomes LAB.NODE in /run/netns: keep one rule for all kinds. */
	const char *why = check_name(s, VL_NAME_MAX, false);
	return why && strcmp(why, "is too long") == 0
		       ? "is longer than 15 bytes (it becomes an interface name)"
		       : why;
}

const char *vl_check_lab_name(const char *s)
{
	const char *why = check_name(s, VL_LABNAME_MAX, false);
	return why && strcmp(why, "is too long") == 0 ? "is longer than 32 bytes"
						      : why;
}

const char *vl_check_host_name(const char *s)
{
	const char *why = check_name(s, VL_HOST_NAME_MAX, false);
	return why && strcmp(why, "is too long") == 0 ? "is longer than 31 bytes" : why;
}

const char *vl_check_ifname(const char *s)
{
	/* Linux allows any bytes but '/', ':', whitespace, "." and "..";
	 * FreeBSD is stricter.  Accept what both take. */
	const char *why = check_name(s, VL_NAME_MAX, true);
	if (why && strcmp(why, "is too long") == 0)
		return "is longer than 15 bytes (Linux's IFNAMSIZ)";
	if (!why && strcmp(s, "lo") == 0)
		return "is the loopback interface, which every node already has";
	return why;
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* A node's files, binds, private directories and services. */
static void node_free_soft(struct vl_node *n)
{
	for (size_t j = 0; j < n->n_binds; j++) {
		free(n->binds[j].src);
		free(n->binds[j].dst);
	}
	for (size_t j = 0; j < n->n_files; j++) {
		free(n->files[j].path);
		free(n->files[j].content);
	}
	for (size_t j = 0; j < n->n_private; j++)
		free(n->private[j]);
	for (size_t j = 0; j < n->n_services; j++) {
		free_argv(n->services[j].start);
		free_argv(n->services[j].stop);
		free_argv(n->services[j].ready);
	}
	free(n->binds);
	free(n->files);
	free(n->private);
	free(n->services);
}

const char *const *vl_node_private_default(void)
{
	/* Where programs keep their pid files, sockets, scratch and logs:
	 * two nodes running the same daemon must not meet there.  /var/run
	 * is /run on every current distribution (a symlink). */
	static const char *const dirs[] = {"/tmp", "/run", "/var/tmp", "/var/log", NULL};
	return dirs;
}

void vl_topo_free(struct vl_topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct vl_node *n = &t->nodes[i];
		for (size_t j = 0; j < n->n_ifaces; j++)
			free(n->ifaces[j].addrs);
		for (size_t j = 0; j < n->n_cmds; j++) {
			for (size_t k = 0; k < n->cmds[j].argc; k++)
				free(n->cmds[j].argv[k]);
			free(n->cmds[j].argv);
		}
		free(n->ifaces);
		free(n->lo_addrs);
		free(n->routes);
		free(n->cmds);
		node_free_soft(n);
	}
	free(t->nodes);
	free(t->by_name);
	free(t->links);
	free(t->file);
	free(t);
}

void vl_endpoint_name(const struct vl_topo *t, const struct vl_endpoint *ep,
		      char *buf, size_t len)
{
	const struct vl_node *n = &t->nodes[ep->node];
	snprintf(buf, len, "%s:%s", n->name, n->ifaces[ep->iface].name);
}

void vl_link_name(const struct vl_topo *t, size_t l, char *buf, size_t len)
{
	char a[2 * VL_NAME_MAX + 2], b[2 * VL_NAME_MAX + 2];
	vl_endpoint_name(t, &t->links[l].ep[0], a, sizeof(a));
	if (t->links[l].has_tunnel) {
		snprintf(buf, len, "%s vxlan:%u", a, (unsigned)t->links[l].tunnel.vni);
		return;
	}
	vl_endpoint_name(t, &t->links[l].ep[1], b, sizeof(b));
	snprintf(buf, len, "%s <-> %s", a, b);
}

unsigned vl_tunnel_mtu(const struct vl_tunnel *tn)
{
	if (tn->mtu)
		return tn->mtu;
	return tn->remote.family == AF_INET6 ? 1500 - 70 : 1500 - 50;
}

uint16_t vl_tunnel_port(const struct vl_tunnel *tn)
{
	return tn->port ? tn->port : 4789;
}

/* qsort has no context argument in C11: sort (name, index) pairs. */
struct name_ix {
	const char *name;
	size_t i;
};

static int cmp_name_ix(const void *a, const void *b)
{
	return strcmp(((const struct name_ix *)a)->name, ((const struct name_ix *)b)->name);
}

void vl_topo_index(struct vl_topo *t)
{
	free(t->by_name);
	t->by_name = NULL;
	t->n_indexed = 0;
	struct name_ix *v = malloc((t->n_nodes ? t->n_nodes : 1) * sizeof(*v));
	size_t *ix = malloc((t->n_nodes ? t->n_nodes : 1) * sizeof(*ix));
	if (v && ix) {
		for (size_t i = 0; i < t->n_nodes; i++)
			v[i] = (struct name_ix){t->nodes[i].name, i};
		qsort(v, t->n_nodes, sizeof(*v), cmp_name_ix);
		for (size_t i = 0; i < t->n_nodes; i++)
			ix[i] = v[i].i;
		t->by_name = ix, ix = NULL;
		t->n_indexed = t->n_nodes;
	}
	free(v);
	free(ix);
}

long vl_topo_find_node(const struct vl_topo *t, const char *name)
{
	if (t->by_name && t->n_indexed == t->n_nodes) {
		size_t lo = 0, hi = t->n_nodes;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(t->nodes[t->by_name[mid]].name, name);
			if (c == 0)
				return (long)t->by_name[mid];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return -1;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		if (strcmp(t->nodes[i].name, name) == 0)
			return (long)i;
	return -1;
}

long vl_node_find_iface(const struct vl_node *n, const char *name)
{
	for (size_t i = 0; i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, name) == 0)
			return (long)i;
	return -1;
}
