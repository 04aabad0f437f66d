/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts.c — the hosts file of a lab over several hosts (hosts.h).
 *
 * Read as the topology is: one YAML tree (yamltree.h), the loader's value
 * readers and its error collection (topo_read.h), so a hosts file's
 * mistakes read "HOSTS.yaml:line:col: error: ..." like a topology's, all of
 * them in one run.  The builder's empty model only carries the file name
 * for the messages; nothing of a topology is made. */
#include "vnetlab/hosts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "topo_read.h"
#include "vnetlab/yamltree.h"

/* A NULL-terminated copy of words (n of them); NULL on ENOMEM. */
static char **words_dup(const char *const *w, size_t n)
{
	char **out = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = strdup(w[i]))) {
			for (size_t j = 0; j < i; j++)
				free(out[j]);
			free(out);
			return NULL;
		}
	return out;
}

static void words_free(char **w)
{
	for (size_t i = 0; w && w[i]; i++)
		free(w[i]);
	free(w);
}

/* A list of strings (each a scalar), or with split, one scalar split at
 * blanks; at least one word unless may_be_empty. */
static int get_words(struct pctx *c, const struct vl_ynode *v, const char *what, bool split,
		     bool may_be_empty, char ***out, size_t *n)
{
	const char *w[256];
	size_t k = 0;
	char *copy = NULL;
	if (split && v->type == VL_Y_SCALAR) {
		if (!(copy = strdup(v->str)))
			return perr(c, v, "out of memory");
		char *save = NULL;
		for (char *s = strtok_r(copy, " \t", &save); s; s = strtok_r(NULL, " \t", &save)) {
			if (k == sizeof(w) / sizeof(w[0])) {
				free(copy);
				return perr(c, v, "%s has more than %zu words", what,
					    sizeof(w) / sizeof(w[0]));
			}
			w[k++] = s;
		}
	} else {
		if (v->type != VL_Y_SEQ)
			return perr(c, v, "%s must be %s, not %s", what,
				    split ? "a string or a list of strings" : "a list of strings",
				    v->type == VL_Y_MAP ? "a mapping" : "a scalar");
		if (v->n > sizeof(w) / sizeof(w[0]))
			return perr(c, v, "%s has more than %zu words", what,
				    sizeof(w) / sizeof(w[0]));
		for (size_t i = 0; i < v->n; i++) {
			if (want(c, v->kv[i], VL_Y_SCALAR, "each word") < 0)
				return -1;
			if (!v->kv[i]->str[0])
				return perr(c, v->kv[i], "%s: a word must not be empty", what);
			w[k++] = v->kv[i]->str;
		}
	}
	int rc = 0;
	if (k == 0 && !may_be_empty)
		rc = perr(c, v, "%s must have at least one word", what);
	else if (!(*out = words_dup(w, k)))
		rc = perr(c, v, "out of memory");
	else
		*n = k;
	free(copy);
	return rc;
}

/* One host: NAME: {ssh, underlay, vnetlab, capacity, options}. */
static int parse_host(struct pctx *c, struct vl_host *h, const struct vl_ynode *key,
		      const struct vl_ynode *m)
{
	static const char *const keys[] = {"ssh", "underlay", "vnetlab", "capacity",
					   "options", NULL};
	h->pos = pos_of(key);
	h->capacity = 1;
	if (key->type != VL_Y_SCALAR)
		return perr(c, key, "a host's name must be a plain name");
	const char *why = vl_check_host_name(key->str);
	if (why)
		return perr(c, key, "host name '%s' %s", key->str, why);
	snprintf(h->name, sizeof(h->name), "%s", key->str);
	if (want(c, m, VL_Y_MAP, "a host") < 0)
		return -1;
	int rc = known_keys(c, m, "a host", keys);
	const struct vl_ynode *v;
	const char *s;
	if (!(v = vl_ymap_get(m, "ssh")))
		rc = perr(c, m, "host '%s' needs 'ssh' (its OpenSSH destination, e.g. "
			  "root@192.0.2.1)", h->name);
	else if (get_str(c, v, "ssh", &s) < 0)
		rc = -1;
	else if (!s[0] || s[0] == '-' || strpbrk(s, " \t\n"))
		rc = perr(c, v, "ssh '%s' is not a destination ([user@]host, not empty, "
			  "no blanks, not starting with '-')", s);
	else if (!(h->ssh = strdup(s)))
		rc = perr(c, v, "out of memory");
	if (!(v = vl_ymap_get(m, "underlay")))
		rc = perr(c, m, "host '%s' needs 'underlay' (its tunnel address, IPv4 or "
			  "IPv6)", h->name);
	else if (get_ip(c, v, false, "underlay", &h->underlay) < 0)
		rc = -1;
	else if (strchr(v->str, '/'))
		rc = perr(c, v, "underlay '%s' must be a bare address, without a prefix "
			  "length", v->str);
	if ((v = vl_ymap_get(m, "vnetlab")))
		rc |= get_words(c, v, "vnetlab", true, false, &h->vnetlab, &h->n_vnetlab);
	unsigned long cap;
	if ((v = vl_ymap_get(m, "capacity")))
		rc |= get_uint(c, v, "capacity", 1, 1000000, &cap) < 0
			      ? -1
			      : (h->capacity = (unsigned)cap, 0);
	if ((v = vl_ymap_get(m, "options")))
		rc |= get_words(c, v, "options", false, true, &h->options, &h->n_options);
	if (!h->vnetlab) {
		static const char *const def[] = {"vnetlab"};
		if (!(h->vnetlab = words_dup(def, 1)))
			return perr(c, key, "out of memory");
		h->n_vnetlab = 1;
	}
	if (!h->options && !(h->options = words_dup(NULL, 0)))
		return perr(c, key, "out of memory");
	return rc;
}

static int parse_vxlan(struct pctx *c, struct vl_hosts *hs, const struct vl_ynode *m)
{
	static const char *const keys[] = {"port", "vni_base", "underlay_mtu", NULL};
	if (want(c, m, VL_Y_MAP, "vxlan") < 0)
		return -1;
	int rc = known_keys(c, m, "vxlan", keys);
	const struct vl_ynode *v;
	unsigned long u;
	if ((v = vl_ymap_get(m, "port")))
		rc |= get_uint(c, v, "vxlan port", 1, 65535, &u) < 0
			      ? -1
			      : (hs->vxlan_port = (uint16_t)u, 0);
	if ((v = vl_ymap_get(m, "vni_base")))
		rc |= get_uint(c, v, "vni_base", 1, 16777215, &u) < 0
			      ? -1
			      : (hs->vni_base = (uint32_t)u, 0);
	if ((v = vl_ymap_get(m, "underlay_mtu")))
		rc |= get_uint(c, v, "underlay_mtu", 1280, 65535, &u) < 0
			      ? -1
			      : (hs->underlay_mtu = (unsigned)u, 0);
	return rc;
}

static int parse_top(struct pctx *c, struct vl_hosts *hs, const struct vl_ynode *root)
{
	static const char *const keys[] = {"hosts", "vxlan", NULL};
	if (want(c, root, VL_Y_MAP, "the hosts file") < 0)
		return -1;
	int rc = known_keys(c, root, "the hosts file", keys);
	const struct vl_ynode *v;
	if ((v = vl_ymap_get(root, "vxlan")))
		rc |= parse_vxlan(c, hs, v);
	const struct vl_ynode *m = vl_ymap_get(root, "hosts");
	if (!m)
		return perr(c, root, "the hosts file needs a 'hosts:' mapping "
			    "(NAME: {ssh: ..., underlay: ...})");
	if (want(c, m, VL_Y_MAP, "hosts") < 0)
		return -1;
	if (m->n == 0)
		return perr(c, m, "'hosts:' is empty: a lab needs at least one host");
	if (!(hs->hosts = calloc(m->n, sizeof(*hs->hosts))))
		return perr(c, m, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		struct vl_host *h = &hs->hosts[hs->n++];
		const struct vl_ynode *key = m->kv[2 * i];
		if (parse_host(c, h, key, m->kv[2 * i + 1]) < 0) {
			rc = -1;
			continue;
		}
		const struct vl_ynode *u = vl_ymap_get(m->kv[2 * i + 1], "underlay");
		/* Every host of a lab on one underlay: one family, each address
		 * once (the tunnels' two ends are the two hosts' addresses). */
		for (size_t j = 0; j + 1 < hs->n && h->underlay.family; j++) {
			const struct vl_host *o = &hs->hosts[j];
			if (!o->underlay.family)
				continue;
			if (o->underlay.family != h->underlay.family) {
				rc = perr(c, u, "underlay '%s' is IPv%d but host '%s''s (line %d) "
					  "is IPv%d: every host's underlay is of one family",
					  u->str, h->underlay.family == AF_INET ? 4 : 6, o->name,
					  o->pos.line, o->underlay.family == AF_INET ? 4 : 6);
				break;
			}
			if (vl_ip_same_addr(&o->underlay, &h->underlay)) {
				rc = perr(c, u, "underlay '%s' is host '%s''s already (line %d)",
					  u->str, o->name, o->pos.line);
				break;
			}
		}
	}
	return rc;
}

int vl_hosts_load_buffer(const char *file, const char *buf, size_t len,
			 struct vl_hosts **out, struct vl_err *err)
{
	*out = NULL;
	struct vl_ynode *root;
	int rc = vl_yaml_parse(file, buf, len, &root, err);
	if (rc < 0)
		return rc;
	struct pctx c = {.file = file};
	if ((rc = vl_build_begin(&c.b, file, NULL, err)) < 0) {
		vl_ynode_free(root);
		return rc;
	}
	c.t = c.b.t;
	struct vl_hosts *hs = calloc(1, sizeof(*hs));
	if (!hs || !(hs->file = strdup(file))) {
		free(hs);
		vl_ynode_free(root);
		vl_topo_free(c.t);
		return vl_errf(err, "%s: error: out of memory", file), -ENOMEM;
	}
	hs->vxlan_port = 4789;
	hs->vni_base = 4096;
	hs->underlay_mtu = 1500;
	parse_top(&c, hs, root);
	vl_ynode_free(root);
	vl_topo_free(c.t);
	if (c.b.errors) {
		if (c.b.errors > 20)
			vl_errf(err, "%s: %d more errors not shown", file, c.b.errors - 20);
		vl_hosts_free(hs);
		return -EINVAL;
	}
	*out = hs;
	return 0;
}

int vl_hosts_load_file(const char *path, struct vl_hosts **out, struct vl_err *err)
{
	*out = NULL;
	char *buf;
	size_t len;
	int rc = vl_topo_read_file(path, &buf, &len, err);
	if (rc < 0)
		return rc;
	rc = vl_hosts_load_buffer(path, buf, len, out, err);
	free(buf);
	return rc;
}

void vl_hosts_free(struct vl_hosts *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->hosts[i].ssh);
		words_free(h->hosts[i].vnetlab);
		words_free(h->hosts[i].options);
	}
	free(h->hosts);
	free(h->file);
	free(h);
}

long vl_hosts_find(const struct vl_hosts *h, const char *name)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (strcmp(h->hosts[i].name, name) == 0)
			return (long)i;
	return -1;
}
