/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_soft.c — the software side of a vnet node in a topology file: its
 * filesystem view (private directories, binds, inline files) and its
 * services.  Shape and spelling only, with the file's positions; what a
 * host lacks (FRR not installed) is `up`'s to say. */
#include "topo_read.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_MAX_BYTES (1u << 20) /* "small inline files" */

/* Normalise an absolute path into out: no "//", "." or trailing '/'.
 * NULL, or why it cannot be used. */
static const char *norm_abs(const char *in, char *out, size_t len)
{
	if (in[0] != '/')
		return "must be an absolute path";
	if (strlen(in) >= len)
		return "is too long";
	size_t o = 0;
	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		const char *e = p + strcspn(p, "/");
		size_t n = (size_t)(e - p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "must not contain '..'";
		if (n && !(n == 1 && p[0] == '.')) {
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = e;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return NULL;
}

/* Where nothing of a node may be mounted: the root itself, and the
 * kernel's own filesystems, which the node's view sets up. */
static const char *forbidden(const char *p)
{
	static const char *const kernel[] = {"/proc", "/sys", "/dev"};
	if (strcmp(p, "/") == 0)
		return "would hide the whole filesystem";
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(kernel[i]);
		if (!strncmp(p, kernel[i], n) && (p[n] == '\0' || p[n] == '/'))
			return "is the kernel's (the node's view makes /proc, /sys and /dev)";
	}
	return NULL;
}

/* A path the node's view will mount something on. */
static int get_target(struct pctx *c, const struct vl_ynode *n, const char *s,
		      const char *what, char *out, size_t len)
{
	const char *why = norm_abs(s, out, len);
	if (!why)
		why = forbidden(out);
	return why ? perr(c, n, "%s '%s' %s", what, s, why) : 0;
}

/* The directory relative sources are taken from: the topology file's. */
static void base_dir(const struct pctx *c, char *out, size_t len)
{
	const char *slash = strrchr(c->file, '/');
	if (!slash)
		snprintf(out, len, ".");
	else if (slash == c->file)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - c->file), c->file);
}

int parse_bind(struct pctx *c, struct vl_node *node, const struct vl_ynode *n)
{
	const char *s;
	if (get_str(c, n, "a bind", &s) < 0)
		return -1;
	/* containerlab's syntax: SRC:DST[:ro|:rw] */
	char buf[PATH_MAX * 2 + 8];
	snprintf(buf, sizeof(buf), "%s", s);
	char *dst = strchr(buf, ':'), *mode = dst ? strchr(dst + 1, ':') : NULL;
	if (!dst || dst == buf || !dst[1] || (mode && strcmp(mode + 1, "ro") &&
					       strcmp(mode + 1, "rw")))
		return perr(c, n, "bind '%s' must be SRC:DST, SRC:DST:ro or SRC:DST:rw", s);
	*dst++ = '\0';
	if (mode)
		*mode++ = '\0';
	char to[PATH_MAX], from[PATH_MAX], base[PATH_MAX];
	if (get_target(c, n, dst, "bind target", to, sizeof(to)) < 0)
		return -1;
	/* Relative to the file's directory, wherever vnetlab runs from. */
	char joined[PATH_MAX];
	const char *why = NULL;
	if (buf[0] == '/') {
		why = norm_abs(buf, from, sizeof(from));
	} else {
		base_dir(c, base, sizeof(base));
		if (!realpath(base, joined))
			return perr(c, n, "bind source '%s': the topology's directory: %s",
				    buf, strerror(errno));
		size_t jl = strlen(joined);
		if (jl + 1 + strlen(buf) >= sizeof(joined))
			return perr(c, n, "bind source '%s' is too long", buf);
		joined[jl] = '/';
		memcpy(joined + jl + 1, buf, strlen(buf) + 1);
		why = norm_abs(joined, from, sizeof(from));
	}
	struct stat st;
	if (why)
		return perr(c, n, "bind source '%s' %s", buf, why);
	if (stat(from, &st) < 0)
		return perr(c, n, "bind source '%s' (%s): %s", buf, from, strerror(errno));
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return perr(c, n, "bind source '%s' is neither a file nor a directory", buf);
	struct vl_bind *b = grow((void **)&node->binds, &node->n_binds, sizeof(*b));
	if (!b || !(b->src = strdup(from)) || !(b->dst = strdup(to)))
		return perr(c, n, "out of memory");
	b->ro = mode && !strcmp(mode, "ro");
	b->pos = pos_of(n);
	return 0;
}

static int parse_file(struct pctx *c, struct vl_node *node, const struct vl_ynode *k,
		      const struct vl_ynode *v)
{
	const char *path, *text;
	char to[PATH_MAX];
	if (get_str(c, k, "a file's path", &path) < 0 ||
	    get_target(c, k, path, "file", to, sizeof(to)) < 0)
		return -1;
	if (get_str(c, v, "a file's content", &text) < 0)
		return -1;
	size_t len = strlen(text);
	if (len > FILE_MAX_BYTES)
		return perr(c, v, "file '%s' is larger than 1 MiB (bind it instead)", path);
	struct vl_file *f = grow((void **)&node->files, &node->n_files, sizeof(*f));
	if (!f || !(f->path = strdup(to)) || !(f->content = strdup(text)))
		return perr(c, k, "out of memory");
	f->len = len;
	f->pos = pos_of(k);
	return 0;
}

static int add_private(struct pctx *c, struct vl_node *node, const struct vl_ynode *n,
		       const char *path)
{
	for (size_t i = 0; i < node->n_private; i++)
		if (!strcmp(node->private[i], path))
			return 0;
	char **slot = grow((void **)&node->private, &node->n_private, sizeof(*slot));
	if (!slot || !(*slot = strdup(path)))
		return perr(c, n, "out of memory");
	return 0;
}

/* private: [PATH...] replaces the default list; the word `default` in it
 * stands for that list (so [default, /srv] adds one). */
static int parse_private(struct pctx *c, struct vl_node *node, const struct vl_ynode *seq)
{
	if (want(c, seq, VL_Y_SEQ, "private") < 0)
		return -1;
	node->private_set = true;
	int rc = 0;
	for (size_t i = 0; i < seq->n; i++) {
		const struct vl_ynode *n = seq->kv[i];
		const char *s;
		char to[PATH_MAX];
		if (get_str(c, n, "a private directory", &s) < 0) {
			rc = -1;
			continue;
		}
		if (!strcmp(s, "default") && !n->quoted) {
			for (const char *const *d = vl_node_private_default(); *d; d++)
				rc |= add_private(c, node, n, *d);
			continue;
		}
		if (get_target(c, n, s, "private directory", to, sizeof(to)) < 0)
			rc = -1;
		else
			rc |= add_private(c, node, n, to);
	}
	return rc;
}

static int get_argv(struct pctx *c, const struct vl_ynode *seq, const char *what,
		    char ***out)
{
	if (seq->type != VL_Y_SEQ || seq->n == 0)
		return perr(c, seq, "%s must be a non-empty argv list, e.g. [bird, -f]", what);
	char **argv = calloc(seq->n + 1, sizeof(char *));
	if (!argv)
		return perr(c, seq, "out of memory");
	*out = argv;
	for (size_t i = 0; i < seq->n; i++) {
		if (want(c, seq->kv[i], VL_Y_SCALAR, "an argument") < 0)
			return -1;
		if (!(argv[i] = strdup(seq->kv[i]->str)))
			return perr(c, seq, "out of memory");
	}
	return 0;
}

static int service_by_name(struct pctx *c, const struct vl_ynode *n, const char *s,
			   struct vl_service *svc)
{
	if (!strcmp(s, "frr"))
		svc->kind = VL_SVC_FRR;
	else if (!strcmp(s, "bird"))
		svc->kind = VL_SVC_BIRD;
	else
		return perr(c, n, "unknown service '%s' (known: frr, bird; anything else "
			    "says its commands: {name: %s, start: [ARGV...]})", s, s);
	snprintf(svc->name, sizeof(svc->name), "%s", s);
	return 0;
}

static int service_of_map(struct pctx *c, const struct vl_ynode *m, struct vl_service *svc)
{
	static const char *const keys[] = {"name", "start", "stop", "ready", NULL};
	if (known_keys(c, m, "a service", keys) < 0)
		return -1;
	const struct vl_ynode *v = vl_ymap_get(m, "name");
	const char *s;
	if (!v)
		return perr(c, m, "a service needs a name");
	if (get_str(c, v, "a service's name", &s) < 0)
		return -1;
	const char *why = vl_check_lab_name(s);
	if (why || strlen(s) > VL_SVC_NAME_MAX)
		return perr(c, v, "service name '%s' %s", s, why ? why : "is longer than 31 bytes");
	snprintf(svc->name, sizeof(svc->name), "%s", s);
	if (!(v = vl_ymap_get(m, "start")))
		return (!strcmp(s, "frr") || !strcmp(s, "bird"))
			       ? service_by_name(c, m, s, svc)
			       : perr(c, m, "service '%s' needs start: [ARGV...]", s);
	if (!strcmp(s, "frr") || !strcmp(s, "bird"))
		return perr(c, v, "service '%s' is vnetlab's own; give yours another name", s);
	svc->kind = VL_SVC_CMD;
	int rc = get_argv(c, v, "start", &svc->start);
	if ((v = vl_ymap_get(m, "stop")))
		rc |= get_argv(c, v, "stop", &svc->stop);
	if ((v = vl_ymap_get(m, "ready")))
		rc |= get_argv(c, v, "ready", &svc->ready);
	return rc;
}

static int parse_service(struct pctx *c, struct vl_node *node, const struct vl_ynode *n)
{
	struct vl_service svc = {.pos = pos_of(n)};
	int rc = n->type == VL_Y_SCALAR ? service_by_name(c, n, n->str, &svc)
		 : n->type == VL_Y_MAP	? service_of_map(c, n, &svc)
					: perr(c, n, "a service is a name (frr, bird) or a "
						  "mapping {name, start, stop, ready}");
	for (size_t i = 0; rc == 0 && i < node->n_services; i++)
		if (!strcmp(node->services[i].name, svc.name))
			rc = perr(c, n, "service '%s' is given twice", svc.name);
	struct vl_service *slot = NULL;
	if (rc == 0 && !(slot = grow((void **)&node->services, &node->n_services, sizeof(svc))))
		rc = perr(c, n, "out of memory");
	if (slot) {
		*slot = svc;
		return 0;
	}
	for (char **v[] = {svc.start, svc.stop, svc.ready}, **const *p = v; p < v + 3; p++)
		for (size_t i = 0; *p && (*p)[i]; i++)
			free((*p)[i]);
	free(svc.start);
	free(svc.stop);
	free(svc.ready);
	return -1;
}

/* Two things mounted on one path would hide one another. */
static int check_targets(struct pctx *c, const struct vl_node *node)
{
	int rc = 0;
	for (size_t i = 0; i < node->n_binds; i++) {
		for (size_t j = 0; j < i; j++)
			if (!strcmp(node->binds[i].dst, node->binds[j].dst))
				rc = perr_at(c, node->binds[i].pos, "'%s' is bound twice",
					     node->binds[i].dst);
		for (size_t j = 0; j < node->n_files; j++)
			if (!strcmp(node->binds[i].dst, node->files[j].path))
				rc = perr_at(c, node->files[j].pos, "'%s' is both bound and "
					     "written", node->files[j].path);
	}
	return rc;
}

int parse_soft(struct pctx *c, struct vl_node *node, const struct vl_ynode *m)
{
	const struct vl_ynode *v;
	int rc = 0;
	if ((v = vl_ymap_get(m, "private")))
		rc |= parse_private(c, node, v);
	if ((v = vl_ymap_get(m, "binds"))) {
		if (want(c, v, VL_Y_SEQ, "binds") < 0)
			rc = -1;
		else
			for (size_t i = 0; i < v->n; i++)
				rc |= parse_bind(c, node, v->kv[i]);
	}
	if ((v = vl_ymap_get(m, "files"))) {
		if (want(c, v, VL_Y_MAP, "files") < 0)
			rc = -1;
		else
			for (size_t i = 0; i < v->n; i++)
				rc |= parse_file(c, node, v->kv[2 * i], v->kv[2 * i + 1]);
	}
	if ((v = vl_ymap_get(m, "services"))) {
		if (want(c, v, VL_Y_SEQ, "services") < 0)
			rc = -1;
		else
			for (size_t i = 0; i < v->n; i++)
				rc |= parse_service(c, node, v->kv[i]);
	}
	return rc == 0 ? check_targets(c, node) : rc;
}
