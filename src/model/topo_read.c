/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_read.c — the loader's readers of YAML values: errors at a node's
 * position (collected by the model's builder, topo_build.h), type and key
 * checks, scalars.  Shared by topo_parse.c (nodes, links) and
 * topo_soft.c (a node's files, binds and services). */
#include "topo_read.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vl_pos pos_of(const struct vl_ynode *n)
{
	return (struct vl_pos){n->line, n->col};
}

__attribute__((format(printf, 3, 4))) int
perr(struct pctx *c, const struct vl_ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vl_build_verrf(&c->b, n ? pos_of(n) : (struct vl_pos){1, 1}, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(const struct vl_ynode *n)
{
	return n->type == VL_Y_MAP ? "a mapping"
	       : n->type == VL_Y_SEQ ? "a list"
				     : "a scalar";
}

int want(struct pctx *c, const struct vl_ynode *n, enum vl_ytype t,
		const char *what)
{
	if (n->type == t)
		return 0;
	static const char *names[] = {"a scalar", "a mapping", "a list"};
	return perr(c, n, "%s must be %s, not %s", what, names[t], type_name(n));
}

/* Every mapping is checked against the keys its reader knows, so a typo
 * ("adresses") is an error instead of a silently ignored setting. */
int known_keys(struct pctx *c, const struct vl_ynode *m,
		      const char *where, const char *const *keys)
{
	int rc = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct vl_ynode *k = m->kv[2 * i];
		if (k->type != VL_Y_SCALAR) {
			rc = perr(c, k, "%s: keys must be plain names", where);
			continue;
		}
		bool ok = false;
		for (const char *const *p = keys; *p; p++)
			ok = ok || strcmp(*p, k->str) == 0;
		if (!ok) {
			/* As many as fit, then "...": a long list (the
			 * containerlab importer's node keys) must not run
			 * past the buffer. */
			char list[256] = "";
			size_t o = 0;
			for (const char *const *p = keys; *p; p++) {
				int w = snprintf(list + o, sizeof(list) - o, "%s%s", *p,
						 p[1] ? ", " : "");
				if (w < 0 || (size_t)w >= sizeof(list) - o - 4) {
					snprintf(list + o, sizeof(list) - o, "...");
					break;
				}
				o += (size_t)w;
			}
			rc = perr(c, k, "unknown key '%s' in %s (expected one of: %s)",
				  k->str, where, list);
		}
	}
	return rc;
}

__attribute__((format(printf, 3, 4))) int
perr_at(struct pctx *c, struct vl_pos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vl_build_verrf(&c->b, pos, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- scalars ---------------------------------------------------------- */

int get_str(struct pctx *c, const struct vl_ynode *n, const char *what,
		   const char **out)
{
	if (want(c, n, VL_Y_SCALAR, what) < 0)
		return -1;
	*out = n->str;
	return 0;
}

int get_bool(struct pctx *c, const struct vl_ynode *n, const char *what,
		    bool *out)
{
	static const char *yes[] = {"true", "yes", "on"};
	static const char *no[] = {"false", "no", "off"};
	if (want(c, n, VL_Y_SCALAR, what) < 0)
		return -1;
	for (size_t i = 0; i < 3 && !n->quoted; i++) {
		if (strcmp(n->str, yes[i]) == 0)
			return *out = true, 0;
		if (strcmp(n->str, no[i]) == 0)
			return *out = false, 0;
	}
	return perr(c, n, "%s must be true or false, not '%s'", what, n->str);
}

int get_uint(struct pctx *c, const struct vl_ynode *n, const char *what,
		    unsigned long lo, unsigned long hi, unsigned long *out)
{
	if (want(c, n, VL_Y_SCALAR, what) < 0)
		return -1;
	const char *s = n->str;
	bool digits = *s != '\0' && strlen(s) <= 10;
	for (const char *p = s; *p; p++)
		digits = digits && isdigit((unsigned char)*p);
	unsigned long v = digits ? strtoul(s, NULL, 10) : 0;
	if (!digits || v < lo || v > hi)
		return perr(c, n, "%s must be a whole number from %lu to %lu, not '%s'",
			    what, lo, hi, s);
	*out = v;
	return 0;
}

int get_ip(struct pctx *c, const struct vl_ynode *n, bool need_plen,
		  const char *what, struct vl_ip *out)
{
	if (want(c, n, VL_Y_SCALAR, what) < 0)
		return -1;
	int r = vl_ip_parse(n->str, need_plen, out);
	if (r == -EDESTADDRREQ)
		return perr(c, n, "%s '%s' needs a prefix length (e.g. %s/24)",
			    what, n->str, n->str);
	if (r == -ERANGE)
		return perr(c, n, "%s '%s': prefix length out of range", what, n->str);
	if (r < 0)
		return perr(c, n, "%s '%s' is not an IPv4 or IPv6 address", what,
			    n->str);
	return 0;
}

