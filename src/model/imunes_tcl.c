/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes_tcl.c — the legacy IMUNES .imn: Tcl lists ("node n0 { type
 * router ... }"), read one level at a time (no recursion, so no nesting
 * can exhaust the stack), every word with its line:col.  What each field
 * means follows IMUNES's own legacy loader. */
#include "imunes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tw {
	const char *s;
	size_t len;
	struct vl_pos pos;
	bool braced;
};

static void adv(struct vl_pos *p, char c)
{
	if (c == '\n')
		p->line++, p->col = 1;
	else
		p->col++;
}

/* The words of one Tcl list level.  top: '#' at a word's start is a
 * comment to the end of the line. 0, or -1 said. */
static int words(struct im_topo *t, const char *s, size_t len, struct vl_pos pos, bool top,
		 struct tw **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0, i = 0;
	while (i < len) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		    c == '\0') { /* a NUL separates too: a word never is empty */
			adv(&pos, c), i++;
			continue;
		}
		if (top && c == '#') {
			while (i < len && s[i] != '\n')
				adv(&pos, s[i]), i++;
			continue;
		}
		struct tw w = {.pos = pos};
		if (c == '{' || c == '"') {
			struct vl_pos open = pos;
			int depth = 1;
			adv(&pos, c), i++;
			w.s = s + i;
			w.pos = pos;
			w.braced = c == '{';
			size_t st = i;
			while (i < len) {
				char d = s[i];
				if (d == '\\' && i + 1 < len) {
					adv(&pos, d), i++;
				} else if (c == '{' && d == '{') {
					depth++;
				} else if ((c == '{' && d == '}') || (c == '"' && d == '"')) {
					if (--depth == 0)
						break;
				}
				adv(&pos, s[i]), i++;
			}
			if (i >= len) {
				free(*out);
				*out = NULL;
				return im_errf(t, open, "this '%c' is never closed", c);
			}
			w.len = i - st;
			adv(&pos, s[i]), i++;
		} else {
			w.s = s + i;
			while (i < len && s[i] && !strchr(" \t\n\r\f\v", s[i]))
				adv(&pos, s[i]), i++;
			w.len = (size_t)(s + i - w.s);
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct tw *g = realloc(*out, cap * sizeof(**out));
			if (!g) {
				free(*out);
				*out = NULL;
				return im_errf(t, w.pos, "out of memory");
			}
			*out = g;
		}
		(*out)[(*n)++] = w;
	}
	return 0;
}

static bool is(const struct tw *w, const char *s)
{
	return w->len == strlen(s) && !memcmp(w->s, s, w->len);
}

/* s starts with the word w (then a blank or its end) */
static bool prefixed_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	return !strncmp(s, w, n) && (s[n] == ' ' || s[n] == '\0');
}

static char *dup_w(const struct tw *w)
{
	return im_strndup(w->s, w->len);
}

/* ---- network-config: IOS-like lines ---------------------------------- */

/* The words of one line (split on blanks), at most max. */
static size_t line_words(const char *s, size_t len, struct vl_pos pos, struct tw *w, size_t max)
{
	size_t n = 0, i = 0;
	while (i < len && n < max) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			adv(&pos, s[i]), i++;
		if (i >= len)
			break;
		w[n] = (struct tw){.s = s + i, .pos = pos};
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			adv(&pos, s[i]), i++;
		w[n].len = (size_t)(s + i - w[n].s);
		n++;
	}
	return n;
}

/* A line of a `router PROTO` section: what IMUNES's own configuration
 * says already is regenerated (imunes_frr.c); anything else the user
 * wrote (`redistribute kernel`, a neighbor, a timer) is kept for frr.conf,
 * its words one blank apart. */
static int keep_router_line(struct im_topo *t, struct im_node *n, unsigned proto,
			    const char *s, size_t len, struct vl_pos pos)
{
	char *line = malloc(len + 1);
	if (!line)
		return im_errf(t, pos, "out of memory");
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		bool blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r';
		if (!blank)
			line[o++] = s[i];
		else if (o && line[o - 1] != ' ')
			line[o++] = ' ';
	}
	while (o && line[o - 1] == ' ')
		o--;
	line[o] = '\0';
	/* A network in another area than the backbone: OSPF's areas become
	 * the section's network lines, the backbone's too (FRR takes either
	 * network lines or per-interface areas, not both). */
	const char *sp = strrchr(line, ' ');
	if (proto == IM_OSPF && prefixed_word(line, "network") && sp && sp - line > 5 &&
	    !strncmp(sp - 5, " area", 5)) {
		if (strcmp(sp + 1, "0.0.0.0") && strcmp(sp + 1, "0"))
			n->ospf_networks = true;
		return im_add_str(t, &n->ospf_nets, &n->n_ospf_nets, line, pos);
	}
	if (!o || im_frr_covers(proto, line)) {
		free(line);
		return 0;
	}
	int i = 0;
	while (proto != 1u << i)
		i++;
	if (!t->n_kept++) {
		t->kept_pos = pos;
		snprintf(t->kept_first, sizeof(t->kept_first), "%.60s", line);
	}
	return im_add_str(t, &n->extra[i], &n->n_extra[i], line, pos);
}

static int netconf(struct im_topo *t, struct im_node *n, const struct tw *v)
{
	struct im_iface *f = NULL;
	bool in_router = false, in_other = false;
	unsigned proto = 0; /* of the router section we are in */
	struct vl_pos pos = v->pos;
	size_t i = 0;
	/* IMUNES indents a section's lines one blank deeper than the
	 * section's first line; the text's own indentation is the first
	 * non-blank line's. */
	long base = -1;
	while (i < v->len) {
		const char *ls = v->s + i;
		const char *nl = memchr(ls, '\n', v->len - i);
		size_t ll = nl ? (size_t)(nl - ls) : v->len - i;
		struct vl_pos lp = pos;
		for (size_t k = 0; k < ll; k++)
			adv(&pos, ls[k]);
		if (nl)
			adv(&pos, '\n');
		i += ll + (nl ? 1 : 0);
		struct tw w[6];
		size_t nw = line_words(ls, ll, lp, w, 6);
		if (nw == 0)
			continue;
		long ind = (long)(w[0].s - ls);
		if (base < 0)
			base = ind;
		bool indented = ind > base;
		if (is(&w[0], "!")) {
			f = NULL, in_router = in_other = false;
			continue;
		}
		if (f && indented) {
			if (nw >= 3 && is(&w[0], "ip") && is(&w[1], "address"))
				im_add_str(t, &f->addrs, &f->n_addrs, dup_w(&w[2]), w[2].pos);
			else if (nw >= 3 && is(&w[0], "ipv6") && is(&w[1], "address"))
				im_add_str(t, &f->addrs, &f->n_addrs, dup_w(&w[2]), w[2].pos);
			else if (nw >= 3 && is(&w[0], "mac") && is(&w[1], "address"))
				im_set(&f->mac, w[2].s, w[2].len, w[2].pos);
			else if (nw >= 2 && is(&w[0], "type"))
				f->lo = is(&w[1], "lo");
			else if (is(&w[0], "shutdown"))
				f->down = true;
			else if (nw >= 2 && is(&w[0], "mtu"))
				im_set(&f->mtu, w[1].s, w[1].len, w[1].pos);
			else
				im_ignore(t, "interface settings (queues, vlan, ...)", w[0].pos);
			continue;
		}
		if (indented && (in_router || in_other)) {
			if (in_other)
				im_ignore(t, "network-config sections other than interfaces and routers",
					  w[0].pos);
			else if (proto && keep_router_line(t, n, proto, ls, ll, w[0].pos) < 0)
				return -1;
			continue;
		}
		f = NULL, in_router = in_other = false;
		if (is(&w[0], "hostname") && nw >= 2) {
			im_set(&n->name, w[1].s, w[1].len, w[1].pos);
		} else if (is(&w[0], "interface") && nw >= 2) {
			char *name = dup_w(&w[1]);
			if (!name)
				return im_errf(t, w[1].pos, "out of memory");
			for (size_t k = 0; k < n->n_ifs; k++)
				if (!strcmp(n->ifs[k].name, name))
					f = &n->ifs[k];
			if (!f)
				f = im_add_iface(t, n, name, w[1].pos);
			free(name);
			if (!f)
				return -1;
			f->lo = f->lo || !strncmp(f->name, "lo", 2);
		} else if (nw >= 4 && (is(&w[0], "ip") || is(&w[0], "ipv6")) && is(&w[1], "route")) {
			char buf[256];
			snprintf(buf, sizeof(buf), "%.*s %.*s", (int)w[2].len, w[2].s, (int)w[3].len,
				 w[3].s);
			if (is(&w[0], "ip"))
				im_add_str(t, &n->routes4, &n->n_routes4, strdup(buf), w[2].pos);
			else
				im_add_str(t, &n->routes6, &n->n_routes6, strdup(buf), w[2].pos);
		} else if (is(&w[0], "router") && nw >= 2) {
			char *p = dup_w(&w[1]);
			unsigned pr = p ? im_proto(p) : 0;
			free(p);
			if (!pr)
				im_warnf(t, w[1].pos, "routing protocol '%.*s' is not one IMUNES "
					 "configures (rip, ripng, ospf, ospf6, bgp): ignored",
					 (int)w[1].len, w[1].s);
			n->protos |= pr;
			proto = pr;
			in_router = true;
			if (pr == IM_BGP && nw >= 3) {
				char as[16];
				snprintf(as, sizeof(as), "%.*s", (int)w[2].len, w[2].s);
				char *end;
				unsigned long long asn = strtoull(as, &end, 10);
				if (w[2].len > 10 || *end || !asn || asn > 4294967295ull ||
				    as[0] == '+')
					return im_errf(t, w[2].pos, "router bgp '%.*s': an AS number "
						       "from 1 to 4294967295", (int)w[2].len, w[2].s);
				snprintf(n->bgp_as, sizeof(n->bgp_as), "%llu", asn);
			}
		} else {
			im_ignore(t, "network-config sections other than interfaces and routers",
				  w[0].pos);
			in_other = true;
		}
	}
	return 0;
}

/* ---- nodes, links ----------------------------------------------------- */

static int pairs(struct im_topo *t, const struct tw *body, struct tw **w, size_t *n,
		 const char *what)
{
	if (words(t, body->s, body->len, body->pos, false, w, n) < 0)
		return -1;
	if (*n % 2) {
		im_errf(t, (*w)[*n - 1].pos, "%s: '%.*s' has no value", what,
			(int)(*w)[*n - 1].len, (*w)[*n - 1].s);
		free(*w);
		return -1;
	}
	return 0;
}

/* custom-config { custom-config-id ID custom-command CMD config { ... } } */
static int custom_one(struct im_topo *t, struct im_node *n, const struct tw *v)
{
	struct tw *w;
	size_t nw;
	if (pairs(t, v, &w, &nw, "custom-config") < 0)
		return -1;
	for (size_t i = 0; i < nw; i += 2) {
		if (is(&w[i], "custom-command")) {
			im_set(&n->custom_cmd, w[i + 1].s, w[i + 1].len, w[i + 1].pos);
		} else if (is(&w[i], "config")) {
			im_set(&n->custom_cfg, w[i + 1].s, w[i + 1].len, w[i + 1].pos);
		}
	}
	free(w);
	return 0;
}

static int node_body(struct im_topo *t, struct im_node *n, const struct tw *body)
{
	struct tw *w;
	size_t nw;
	if (pairs(t, body, &w, &nw, "a node") < 0)
		return -1;
	int rc = 0;
	struct tw selected = {0};
	for (size_t i = 0; i < nw; i += 2) {
		const struct tw *k = &w[i], *v = &w[i + 1];
		if (is(k, "type")) {
			im_set(&n->type, v->s, v->len, v->pos);
		} else if (is(k, "model")) {
			im_set(&n->model, v->s, v->len, v->pos);
		} else if (is(k, "network-config")) {
			rc |= netconf(t, n, v);
		} else if (is(k, "interface-peer")) {
			struct tw *p;
			size_t np;
			if (words(t, v->s, v->len, v->pos, false, &p, &np) < 0) {
				rc = -1;
				continue;
			}
			if (np != 2) {
				rc = im_errf(t, v->pos, "interface-peer is {INTERFACE NODE}");
			} else {
				char *name = dup_w(&p[0]);
				struct im_iface *f = NULL;
				for (size_t j = 0; name && j < n->n_ifs; j++)
					if (!strcmp(n->ifs[j].name, name) && !n->ifs[j].peer)
						f = &n->ifs[j];
				if (!f && name)
					f = im_add_iface(t, n, name, p[0].pos);
				free(name);
				if (f) {
					f->peer = dup_w(&p[1]);
					f->peer_pos = p[1].pos;
				}
				rc |= f && f->peer ? 0 : -1;
			}
			free(p);
		} else if (is(k, "auto_default_routes")) {
			n->auto_default = is(v, "enabled") ? 1 : 0;
			n->auto_pos = v->pos;
		} else if (is(k, "custom-enabled")) {
			n->custom_enabled = is(v, "true") || is(v, "1");
		} else if (is(k, "custom-selected")) {
			selected = *v;
		} else if (is(k, "custom-command")) {
			im_set(&n->custom_cmd, v->s, v->len, v->pos);
		} else if (is(k, "custom-config")) {
			rc |= custom_one(t, n, v);
		} else if (is(k, "custom-configs")) {
			/* custom-config-id ID {custom-command C config {...}} ... */
			struct tw *c;
			size_t nc;
			if (words(t, v->s, v->len, v->pos, false, &c, &nc) < 0) {
				rc = -1;
				continue;
			}
			for (size_t j = 0; j + 2 < nc; j += 3) {
				bool pick = selected.s ? (c[j + 1].len == selected.len &&
							  !memcmp(c[j + 1].s, selected.s, selected.len))
						       : !n->custom_cfg.s;
				if (pick)
					rc |= custom_one(t, n, &c[j + 2]);
			}
			free(c);
		} else if (is(k, "canvas") || is(k, "iconcoords") || is(k, "labelcoords") ||
			   is(k, "customIcon")) {
			im_ignore(t, "canvases, icon and label positions (GUI only)", k->pos);
		} else if (is(k, "services")) {
			im_ignore(t, "IMUNES node services (ssh, ftp, ...)", k->pos);
		} else {
			char what[48];
			snprintf(what, sizeof(what), "node field '%.*s'", (int)(k->len > 30 ? 30 : k->len),
				 k->s);
			im_ignore(t, what, k->pos);
		}
	}
	free(w);
	return rc;
}

static int link_body(struct im_topo *t, struct im_link *l, const struct tw *body)
{
	static const char *const params[IM_L__N] = {"bandwidth", "delay", "ber", "loss",
						    "duplicate", "jitter-upstream",
						    "jitter-downstream"};
	struct tw *w;
	size_t nw;
	if (pairs(t, body, &w, &nw, "a link") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < nw; i += 2) {
		const struct tw *k = &w[i], *v = &w[i + 1];
		int p = -1;
		for (int j = 0; j < IM_L__N; j++)
			if (is(k, params[j]))
				p = j;
		if (p >= 0) {
			im_set(&l->p[p], v->s, v->len, v->pos);
		} else if (is(k, "nodes")) {
			struct tw *e;
			size_t ne;
			if (words(t, v->s, v->len, v->pos, false, &e, &ne) < 0) {
				rc = -1;
				continue;
			}
			if (ne != 2)
				rc = im_errf(t, v->pos, "a link's nodes are {NODE NODE}");
			else
				for (int j = 0; j < 2; j++)
					im_set(&l->peers[j], e[j].s, e[j].len, e[j].pos);
			free(e);
		} else if (is(k, "mirror")) {
			im_set(&l->mirror, v->s, v->len, v->pos);
		} else if (is(k, "color") || is(k, "width")) {
			im_ignore(t, "link colours and widths (GUI only)", k->pos);
		} else if (is(k, "ifaces")) {
			continue; /* the interface-peer fields say the same */
		} else {
			char what[48];
			snprintf(what, sizeof(what), "link field '%.*s'", (int)(k->len > 30 ? 30 : k->len),
				 k->s);
			im_ignore(t, what, k->pos);
		}
	}
	free(w);
	return rc;
}

int im_read_tcl(struct im_topo *t, const char *buf, size_t len)
{
	struct tw *w;
	size_t nw;
	if (words(t, buf, len, (struct vl_pos){1, 1}, true, &w, &nw) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < nw;) {
		const struct tw *c = &w[i];
		bool obj = is(c, "node") || is(c, "link") || is(c, "canvas") || is(c, "annotation") ||
			   is(c, "image");
		bool opt = is(c, "option");
		if (!obj && !opt) {
			rc = im_errf(t, c->pos, "'%.*s' is not an IMUNES object (node, link, canvas, "
				     "annotation, option, image)", (int)(c->len > 40 ? 40 : c->len), c->s);
			break;
		}
		if (i + 2 >= nw || !w[i + 2].braced) {
			rc = im_errf(t, c->pos, "'%.*s' needs a name and a {...} body",
				     (int)c->len, c->s);
			break;
		}
		const struct tw *id = &w[i + 1], *body = &w[i + 2];
		char *ids = dup_w(id);
		if (!ids) {
			rc = im_errf(t, id->pos, "out of memory");
			break;
		}
		if (is(c, "node")) {
			struct im_node *n = im_add_node(t, ids, id->pos);
			rc |= n ? node_body(t, n, body) : -1;
		} else if (is(c, "link")) {
			struct im_link *l = im_add_link(t, ids, id->pos);
			rc |= l ? link_body(t, l, body) : -1;
		} else if (is(c, "canvas") || is(c, "annotation") || is(c, "image")) {
			im_ignore(t, is(c, "canvas")	   ? "canvases (GUI only)"
				     : is(c, "annotation") ? "annotations (GUI only)"
							   : "background images (GUI only)",
				  c->pos);
		} else {
			struct tw *o;
			size_t no;
			if (pairs(t, body, &o, &no, "an option") == 0) {
				for (size_t j = 0; j < no; j += 2)
					im_ignore(t, "display options (GUI only)", o[j].pos);
				free(o);
			} else {
				rc = -1;
			}
		}
		free(ids);
		i += 3;
	}
	free(w);
	return rc < 0 || t->errors ? -1 : 0;
}
