/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes_json.c — the IMUNES .imn IMUNES writes today: JSON with
 * top-level nodes, links, options, canvases, annotations.  A small JSON
 * reader of its own, because every refusal must name the file's line:col
 * (json-c keeps no positions); nesting is bounded (IM_MAX_DEPTH). */
#include "imunes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jt { J_OBJ, J_ARR, J_STR, J_NUM, J_BOOL, J_NULL };

struct jv {
	enum jt t;
	char *s; /* string, number as written, "true"/"false" */
	size_t len;
	struct vl_pos pos;
	size_t n;
	char **keys;
	struct vl_pos *kpos;
	struct jv **kid;
};

struct jp {
	struct im_topo *t;
	const char *b;
	size_t len, i;
	struct vl_pos pos;
};

static void jfree(struct jv *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jfree(v->kid[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kid);
	free(v->keys);
	free(v->kpos);
	free(v->s);
	free(v);
}

static void step(struct jp *p)
{
	if (p->b[p->i] == '\n')
		p->pos.line++, p->pos.col = 1;
	else
		p->pos.col++;
	p->i++;
}

static void blanks(struct jp *p)
{
	while (p->i < p->len && strchr(" \t\r\n", p->b[p->i]) && p->b[p->i])
		step(p);
}

static void put_utf8(char *o, size_t *n, uint32_t c)
{
	if (c < 0x80) {
		o[(*n)++] = (char)c;
	} else if (c < 0x800) {
		o[(*n)++] = (char)(0xc0 | c >> 6);
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		o[(*n)++] = (char)(0xe0 | c >> 12);
		o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	} else {
		o[(*n)++] = (char)(0xf0 | c >> 18);
		o[(*n)++] = (char)(0x80 | ((c >> 12) & 0x3f));
		o[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[(*n)++] = (char)(0x80 | (c & 0x3f));
	}
}

static int hex4(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* A string at p->b[p->i] == '"'; *out malloc'd, NUL-free. */
static int jstring(struct jp *p, char **out, size_t *olen)
{
	struct vl_pos at = p->pos;
	step(p);
	size_t st = p->i;
	while (p->i < p->len && p->b[p->i] != '"') {
		if ((unsigned char)p->b[p->i] < 0x20)
			return im_errf(p->t, p->pos, "a control character inside a string");
		if (p->b[p->i] == '\\' && p->i + 1 < p->len)
			step(p);
		step(p);
	}
	if (p->i >= p->len)
		return im_errf(p->t, at, "this string is never closed");
	size_t raw = p->i - st;
	char *o = malloc(raw + 1);
	if (!o)
		return im_errf(p->t, at, "out of memory");
	size_t n = 0;
	for (size_t k = st; k < p->i; k++) {
		char c = p->b[k];
		if (c != '\\') {
			o[n++] = c;
			continue;
		}
		c = p->b[++k];
		const char *m = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", c);
		if (c && m && (m - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0) {
			o[n++] = m[1];
			continue;
		}
		uint32_t u;
		if (c != 'u' || k + 4 >= p->i || hex4(p->b + k + 1, &u) < 0 || u == 0 ||
		    (u >= 0xd800 && u < 0xe000)) {
			free(o);
			return im_errf(p->t, at, "a string with an escape this importer does not "
				       "take (\\u0000, surrogates, or not JSON)");
		}
		k += 4;
		if (n + 4 > raw) { /* \uXXXX is 6 bytes, at most 3 out */
			free(o);
			return im_errf(p->t, at, "out of memory");
		}
		put_utf8(o, &n, u);
	}
	o[n] = '\0';
	step(p);
	*out = o;
	*olen = n;
	return 0;
}

static struct jv *jvalue(struct jp *p, int depth);

static int add_kid(struct jp *p, struct jv *v, struct jv *k, char *key, struct vl_pos kp)
{
	if ((v->n & (v->n - 1)) == 0 || v->n == 0) {
		size_t cap = v->n ? v->n * 2 : 4;
		struct jv **g = realloc(v->kid, cap * sizeof(*g));
		if (g)
			v->kid = g;
		char **gk = key ? realloc(v->keys, cap * sizeof(*gk)) : NULL;
		if (gk)
			v->keys = gk;
		struct vl_pos *gp = key ? realloc(v->kpos, cap * sizeof(*gp)) : NULL;
		if (gp)
			v->kpos = gp;
		if (!g || (key && (!gk || !gp))) {
			jfree(k);
			free(key);
			return im_errf(p->t, kp, "out of memory");
		}
	}
	v->kid[v->n] = k;
	if (key) {
		v->keys[v->n] = key;
		v->kpos[v->n] = kp;
	}
	v->n++;
	return 0;
}

static struct jv *jvalue(struct jp *p, int depth)
{
	blanks(p);
	if (p->i >= p->len) {
		im_errf(p->t, p->pos, "the file ends where a value should be");
		return NULL;
	}
	struct jv *v = calloc(1, sizeof(*v));
	if (!v) {
		im_errf(p->t, p->pos, "out of memory");
		return NULL;
	}
	v->pos = p->pos;
	char c = p->b[p->i];
	if ((c == '{' || c == '[') && depth >= IM_MAX_DEPTH) {
		im_errf(p->t, p->pos, "nested deeper than %d levels", IM_MAX_DEPTH);
		free(v);
		return NULL;
	}
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		v->t = c == '{' ? J_OBJ : J_ARR;
		step(p);
		blanks(p);
		if (p->i < p->len && p->b[p->i] == close) {
			step(p);
			return v;
		}
		for (;;) {
			char *key = NULL;
			size_t kl;
			struct vl_pos kp = p->pos;
			blanks(p);
			kp = p->pos;
			if (v->t == J_OBJ) {
				if (p->i >= p->len || p->b[p->i] != '"') {
					im_errf(p->t, p->pos, "a key (a string) should be here");
					goto bad;
				}
				if (jstring(p, &key, &kl) < 0)
					goto bad;
				blanks(p);
				if (p->i >= p->len || p->b[p->i] != ':') {
					free(key);
					im_errf(p->t, p->pos, "':' should follow the key");
					goto bad;
				}
				step(p);
			}
			struct jv *k = jvalue(p, depth + 1);
			if (!k) {
				free(key);
				goto bad;
			}
			if (add_kid(p, v, k, key, kp) < 0)
				goto bad;
			blanks(p);
			if (p->i < p->len && p->b[p->i] == ',') {
				step(p);
				continue;
			}
			if (p->i < p->len && p->b[p->i] == close) {
				step(p);
				return v;
			}
			im_errf(p->t, p->pos, "',' or '%c' should be here", close);
			goto bad;
		}
	}
	if (c == '"') {
		v->t = J_STR;
		if (jstring(p, &v->s, &v->len) < 0)
			goto bad;
		return v;
	}
	size_t st = p->i;
	while (p->i < p->len && strchr("+-.0123456789eEtruefalsn", p->b[p->i]) && p->b[p->i])
		step(p);
	size_t n = p->i - st;
	if (n == 4 && !memcmp(p->b + st, "true", 4))
		v->t = J_BOOL;
	else if (n == 5 && !memcmp(p->b + st, "false", 5))
		v->t = J_BOOL;
	else if (n == 4 && !memcmp(p->b + st, "null", 4))
		v->t = J_NULL;
	else if (n && strspn(p->b + st, "+-.0123456789eE") >= n)
		v->t = J_NUM;
	else {
		im_errf(p->t, v->pos, "not a JSON value");
		goto bad;
	}
	if (!(v->s = im_strndup(p->b + st, n)))
		goto bad;
	v->len = n;
	return v;
bad:
	jfree(v);
	return NULL;
}

/* ---- IMUNES's fields -------------------------------------------------- */

static const struct jv *get(const struct jv *o, const char *key)
{
	if (!o || o->t != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->kid[i];
	return NULL;
}

/* A scalar's text (IMUNES writes numbers as strings, or not); NULL
 * (said) for anything else. */
static const char *scalar(struct im_topo *t, const struct jv *v, const char *what)
{
	if (v && (v->t == J_STR || v->t == J_NUM || v->t == J_BOOL))
		return v->s;
	if (v)
		im_errf(t, v->pos, "%s should be a string or a number", what);
	return NULL;
}

static int set_from(struct im_topo *t, struct im_str *dst, const struct jv *v, const char *what)
{
	const char *s = scalar(t, v, what);
	if (!s)
		return v ? -1 : 0;
	im_set(dst, s, strlen(s), v->pos);
	return 0;
}

/* A list: a JSON array of strings, or one string of blank-separated
 * words (both appear in files IMUNES wrote). */
static int list_of(struct im_topo *t, const struct jv *v, struct im_str *out, size_t max,
		   size_t *n, const char *what)
{
	*n = 0;
	if (!v)
		return 0;
	if (v->t == J_ARR) {
		for (size_t i = 0; i < v->n; i++) {
			const char *s = scalar(t, v->kid[i], what);
			if (!s)
				return -1;
			if (*n == max)
				return im_errf(t, v->kid[i]->pos, "%s has too many elements", what);
			out[(*n)++] = (struct im_str){(char *)s, v->kid[i]->pos};
		}
		return 0;
	}
	if (v->t != J_STR)
		return im_errf(t, v->pos, "%s should be a list", what);
	/* split in place: v->s is ours */
	char *s = v->s, *save = NULL;
	for (char *w = strtok_r(s, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (*n == max)
			return im_errf(t, v->pos, "%s has too many elements", what);
		out[(*n)++] = (struct im_str){w, {v->pos.line, v->pos.col + 1 + (int)(w - s)}};
	}
	return 0;
}

static int addrs(struct im_topo *t, struct im_iface *f, const struct jv *v, const char *what)
{
	if (!v)
		return 0;
	if (v->t != J_ARR && v->t != J_STR)
		return im_errf(t, v->pos, "%s should be a list of addresses", what);
	size_t n = v->t == J_ARR ? v->n : 64;
	struct im_str *tmp = calloc(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return im_errf(t, v->pos, "out of memory");
	int rc = list_of(t, v, tmp, n, &n, what);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (strcmp(tmp[i].s, "dhcp"))
			rc = im_add_str(t, &f->addrs, &f->n_addrs, strdup(tmp[i].s), tmp[i].pos);
	free(tmp);
	return rc;
}

/* k is one of the NULL-terminated names */
static bool one_of(const char *const *names, const char *k)
{
	for (; *names; names++)
		if (!strcmp(*names, k))
			return true;
	return false;
}

static int iface(struct im_topo *t, struct im_node *n, const char *id, struct vl_pos kp,
		 const struct jv *v, bool logical)
{
	if (v->t != J_OBJ)
		return im_errf(t, v->pos, "interface '%s' should be an object", id);
	struct im_iface *f = im_add_iface(t, n, id, kp);
	if (!f)
		return -1;
	struct im_str name = {0}, type = {0}, state = {0};
	int rc = set_from(t, &name, get(v, "name"), "an interface's name");
	rc |= set_from(t, &type, get(v, "type"), "an interface's type");
	rc |= set_from(t, &f->mac, get(v, "mac"), "a MAC address");
	rc |= set_from(t, &state, get(v, "oper_state"), "oper_state");
	if (name.s) {
		free(f->name);
		f->name = name.s;
	}
	/* IMUNES 2.x writes lo0 among "ifaces" with "type": "lo"; older
	 * JSON among "logifaces". */
	f->lo = (type.s && !strcmp(type.s, "lo")) || (logical && !type.s);
	if (logical && !f->lo)
		im_warnf(t, kp, "logical interface '%s' of type '%s' (vlan, ...) ignored", f->name,
			 type.s);
	f->down = state.s && !strcmp(state.s, "down");
	free(type.s);
	free(state.s);
	rc |= addrs(t, f, get(v, "ipv4_addrs"), "ipv4_addrs");
	rc |= addrs(t, f, get(v, "ipv6_addrs"), "ipv6_addrs");
	struct im_str link = {0};
	rc |= set_from(t, &link, get(v, "link"), "an interface's link");
	f->peer = link.s;
	f->peer_pos = link.pos;
	rc |= set_from(t, &f->mtu, get(v, "mtu"), "an interface's mtu");
	static const char *const known[] = {"name", "type", "mac", "oper_state", "ipv4_addrs",
					    "ipv6_addrs", "link", "mtu", NULL};
	for (size_t i = 0; i < v->n; i++) {
		const char *k = v->keys[i];
		if (one_of(known, k))
			continue;
		if (!strncmp(k, "stp_", 4))
			im_ignore(t, "STP port settings (stp_*)",
				  v->kpos[i]);
		else if (!strcmp(k, "ifc_qdisc") || !strcmp(k, "ifc_qdrop") ||
			 !strcmp(k, "queue_len"))
			im_ignore(t, "interface queues (ifc_qdisc, queue_len, ...)",
				  v->kpos[i]);
		else {
			char what[48];
			snprintf(what, sizeof(what), "interface field '%.26s'", k);
			im_ignore(t, what, v->kpos[i]);
		}
	}
	return rc;
}

static int custom(struct im_topo *t, struct im_node *n, const struct jv *cfgs,
		  const struct jv *sel)
{
	if (get(cfgs, "NODE_CONFIG"))
		cfgs = get(cfgs, "NODE_CONFIG");
	if (sel && sel->t == J_OBJ)
		sel = get(sel, "NODE_CONFIG");
	const char *want = sel && sel->t == J_STR ? sel->s : NULL;
	if (!cfgs || cfgs->t != J_OBJ)
		return 0;
	for (size_t i = 0; i < cfgs->n; i++) {
		if (want ? strcmp(cfgs->keys[i], want) : i > 0)
			continue;
		const struct jv *c = cfgs->kid[i];
		int rc = set_from(t, &n->custom_cmd, get(c, "custom_command"), "custom_command");
		const struct jv *cfg = get(c, "custom_config");
		if (cfg && cfg->t == J_ARR) { /* lines */
			size_t len = 1;
			for (size_t k = 0; k < cfg->n; k++)
				len += cfg->kid[k]->s ? strlen(cfg->kid[k]->s) + 1 : 1;
			char *s = malloc(len);
			if (!s)
				return im_errf(t, cfg->pos, "out of memory");
			s[0] = '\0';
			for (size_t k = 0; k < cfg->n; k++) {
				if (cfg->kid[k]->t == J_STR)
					strcat(s, cfg->kid[k]->s);
				strcat(s, "\n");
			}
			n->custom_cfg = (struct im_str){s, cfg->pos};
		} else {
			rc |= set_from(t, &n->custom_cfg, cfg, "custom_config");
		}
		return rc;
	}
	return 0;
}

static int node(struct im_topo *t, const char *id, struct vl_pos kp, const struct jv *v)
{
	if (v->t != J_OBJ)
		return im_errf(t, v->pos, "node '%s' should be an object", id);
	struct im_node *n = im_add_node(t, id, kp);
	if (!n)
		return -1;
	int rc = set_from(t, &n->type, get(v, "type"), "a node's type");
	rc |= set_from(t, &n->model, get(v, "model"), "a node's model");
	rc |= set_from(t, &n->name, get(v, "name"), "a node's name");
	if (!n->type.s)
		return im_errf(t, kp, "node '%s' has no \"type\"", id);
	for (int lg = 0; lg < 2; lg++) {
		const struct jv *fs = get(v, lg ? "logifaces" : "ifaces");
		if (fs && fs->t != J_OBJ)
			rc = im_errf(t, fs->pos, "%s should be an object", lg ? "logifaces" : "ifaces");
		else
			for (size_t i = 0; fs && i < fs->n; i++)
				rc |= iface(t, n, fs->keys[i], fs->kpos[i], fs->kid[i], lg);
	}
	const struct jv *rcfg = get(v, "router_config");
	/* IMUNES writes a Tcl dict as a string: "ospf 1 ospf6 1 rip 0". */
	if (rcfg && rcfg->t == J_STR && rcfg->s) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s", rcfg->s);
		char *save = NULL;
		for (char *k = strtok_r(buf, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
			char *val = strtok_r(NULL, " \t", &save);
			bool yes = val && strcmp(val, "0") && strcmp(val, "false");
			unsigned p = im_proto(k);
			if (!p && yes)
				im_warnf(t, rcfg->pos, "routing protocol '%s' is not one IMUNES "
					 "configures (rip, ripng, ospf, ospf6, bgp): ignored", k);
			if (yes)
				n->protos |= p;
		}
	}
	for (size_t i = 0; rcfg && rcfg->t == J_OBJ && i < rcfg->n; i++) {
		const struct jv *on = rcfg->kid[i];
		unsigned p = im_proto(rcfg->keys[i]);
		bool yes = on->s && strcmp(on->s, "0") && strcmp(on->s, "false") && on->s[0];
		if (!p && yes)
			im_warnf(t, rcfg->kpos[i], "routing protocol '%s' is not one IMUNES "
				 "configures (rip, ripng, ospf, ospf6, bgp): ignored", rcfg->keys[i]);
		if (yes)
			n->protos |= p;
	}
	for (int six = 0; six < 2; six++) {
		const struct jv *r = get(v, six ? "croutes6" : "croutes4");
		if (r && r->t != J_ARR) {
			rc = im_errf(t, r->pos, "%s should be a list", six ? "croutes6" : "croutes4");
			continue;
		}
		for (size_t i = 0; r && i < r->n; i++) {
			const char *s = scalar(t, r->kid[i], "a static route");
			if (!s)
				rc = -1;
			else if (six)
				rc |= im_add_str(t, &n->routes6, &n->n_routes6, strdup(s), r->kid[i]->pos);
			else
				rc |= im_add_str(t, &n->routes4, &n->n_routes4, strdup(s), r->kid[i]->pos);
		}
	}
	const struct jv *a = get(v, "auto_default_routes");
	if (a && a->s) {
		n->auto_default = !strcmp(a->s, "enabled") || !strcmp(a->s, "1") || !strcmp(a->s, "true");
		n->auto_pos = a->pos;
	}
	const struct jv *ce = get(v, "custom_enabled");
	n->custom_enabled = ce && ce->s && (!strcmp(ce->s, "true") || !strcmp(ce->s, "1"));
	rc |= custom(t, n, get(v, "custom_configs"), get(v, "custom_selected"));
	static const char *const known[] = {"type", "model", "name", "ifaces", "logifaces",
					    "router_config", "croutes4", "croutes6",
					    "auto_default_routes", "custom_enabled",
					    "custom_configs", "custom_selected", NULL};
	for (size_t i = 0; i < v->n; i++) {
		const char *k = v->keys[i];
		if (one_of(known, k))
			continue;
		if (!strcmp(k, "canvas") || !strcmp(k, "iconcoords") || !strcmp(k, "labelcoords") ||
		    !strcmp(k, "label") || !strcmp(k, "custom_icon"))
			im_ignore(t, "canvases, icon and label positions (GUI only)", v->kpos[i]);
		else if (!strcmp(k, "services"))
			im_ignore(t, "IMUNES node services (ssh, ftp, ...)", v->kpos[i]);
		else if (!strcmp(k, "bridge"))
			im_ignore(t, "stpswitch settings (rstp, priority, timers)", v->kpos[i]);
		else {
			char what[48];
			snprintf(what, sizeof(what), "node field '%.30s'", k);
			im_ignore(t, what, v->kpos[i]);
		}
	}
	return rc;
}

static int link(struct im_topo *t, const char *id, struct vl_pos kp, const struct jv *v)
{
	static const char *const params[IM_L__N] = {"bandwidth", "delay", "ber", "loss",
						    "duplicate", "jitter_upstream",
						    "jitter_downstream"};
	if (v->t != J_OBJ)
		return im_errf(t, v->pos, "link '%s' should be an object", id);
	struct im_link *l = im_add_link(t, id, kp);
	if (!l)
		return -1;
	struct im_str w[2];
	size_t n;
	int rc = 0;
	const char *lists[2] = {"peers", "peers_ifaces"};
	for (int k = 0; k < 2; k++) {
		const struct jv *pv = get(v, lists[k]);
		if (list_of(t, pv, w, 2, &n, lists[k]) < 0) {
			rc = -1;
			continue;
		}
		if (k == 0 && n != 2) {
			rc = im_errf(t, pv ? pv->pos : kp, "link '%s' needs \"peers\": [NODE, NODE]", id);
			continue;
		}
		if (k == 1 && n != 2 && pv) {
			rc = im_errf(t, pv->pos, "link '%s': \"peers_ifaces\" names two interfaces", id);
			continue;
		}
		for (size_t j = 0; j < n; j++)
			im_set(k ? &l->ifs[j] : &l->peers[j], w[j].s, strlen(w[j].s), w[j].pos);
	}
	for (int p = 0; p < IM_L__N; p++) {
		const struct jv *pv = get(v, params[p]);
		if (pv && pv->t == J_ARR) { /* jitter: a list of values */
			char buf[512] = "";
			for (size_t j = 0; j < pv->n; j++) {
				const char *s = scalar(t, pv->kid[j], params[p]);
				if (!s)
					return -1;
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
					 j ? " " : "", s);
			}
			im_set(&l->p[p], buf, strlen(buf), pv->pos);
		} else {
			rc |= set_from(t, &l->p[p], pv, params[p]);
		}
	}
	rc |= set_from(t, &l->mirror, get(v, "mirror"), "mirror");
	for (size_t i = 0; i < v->n; i++) {
		const char *k = v->keys[i];
		if (!strcmp(k, "color") || !strcmp(k, "width"))
			im_ignore(t, "link colours and widths (GUI only)", v->kpos[i]);
		else if (strcmp(k, "peers") && strcmp(k, "peers_ifaces") && strcmp(k, "mirror") &&
			 strcmp(k, "direct")) {
			bool par = false;
			for (int p = 0; p < IM_L__N; p++)
				par = par || !strcmp(k, params[p]);
			if (!par) {
				char what[48];
				snprintf(what, sizeof(what), "link field '%.30s'", k);
				im_ignore(t, what, v->kpos[i]);
			}
		}
	}
	return rc;
}

int im_read_json(struct im_topo *t, const char *buf, size_t len)
{
	struct jp p = {.t = t, .b = buf, .len = len, .pos = {1, 1}};
	struct jv *root = jvalue(&p, 0);
	if (!root)
		return -1;
	blanks(&p);
	int rc = 0;
	if (p.i < p.len)
		rc = im_errf(t, p.pos, "text after the end of the JSON document");
	else if (root->t != J_OBJ)
		rc = im_errf(t, root->pos, "an IMUNES topology is a JSON object");
	const struct jv *nodes = rc ? NULL : get(root, "nodes");
	if (!rc && (!nodes || nodes->t != J_OBJ))
		rc = im_errf(t, nodes ? nodes->pos : root->pos, "\"nodes\" should be an object");
	for (size_t i = 0; !rc && i < nodes->n; i++)
		rc |= node(t, nodes->keys[i], nodes->kpos[i], nodes->kid[i]);
	const struct jv *links = rc ? NULL : get(root, "links");
	if (links && links->t != J_OBJ)
		rc = im_errf(t, links->pos, "\"links\" should be an object");
	for (size_t i = 0; !rc && links && i < links->n; i++)
		rc |= link(t, links->keys[i], links->kpos[i], links->kid[i]);
	const struct jv *opts = rc ? NULL : get(root, "options");
	for (size_t i = 0; opts && opts->t == J_OBJ && i < opts->n; i++) {
		const char *k = opts->keys[i];
		if (!strcmp(k, "auto_default_routes") && opts->kid[i]->s)
			t->auto_default = !strcmp(opts->kid[i]->s, "enabled") || !strcmp(opts->kid[i]->s, "1");
		else if (strcmp(k, "version"))
			im_ignore(t, "display options (GUI only)", opts->kpos[i]);
	}
	for (size_t i = 0; !rc && i < root->n; i++) {
		const char *k = root->keys[i];
		if (!strcmp(k, "nodes") || !strcmp(k, "links") || !strcmp(k, "options") ||
		    !strcmp(k, "version"))
			continue;
		const struct jv *v = root->kid[i];
		size_t cnt = v->t == J_OBJ || v->t == J_ARR ? v->n : 1;
		char what[48];
		snprintf(what, sizeof(what), "%.24s (GUI only)", k);
		for (size_t j = 0; j < cnt; j++)
			im_ignore(t, what, v->t == J_OBJ ? v->kpos[j] : root->kpos[i]);
	}
	jfree(root);
	return rc < 0 || t->errors ? -1 : 0;
}
