/* SPDX-License-Identifier: BSD-2-Clause */
/* clab_env.c — containerlab's environment expansion of a topology file.
 *
 * containerlab expands the host's environment in the whole file before
 * it reads the YAML, with envsubst's rules (the envsubst package, with
 * containerlab's restrictions: variables that are not set are left as
 * written, and names starting with a digit are not variables): $NAME
 * and ${NAME}; ${NAME-word} and ${NAME:-word}
 * (word when NAME is unset, or unset or empty with the colon);
 * ${NAME=word} and ${NAME:=word} (the same, and NAME is word for the
 * rest of the file, as envsubst assigns it); ${NAME+word} and ${NAME:+word} (word when NAME is set, or set
 * and non-empty); ${NAME?msg} and ${NAME:?msg} (an error when unset, or
 * unset or empty); word itself expanded.  $$ is one $, and a $ before
 * anything else ($1, $@, "a$") stays as written.
 *
 * Here each scalar of the parsed tree (keys and values) is expanded in
 * place, so every later message still points at the original file's
 * line and column.  A variable that is unset and has no default stays
 * as written (so "sh -c 'echo $LAB'" in an exec reaches the node's
 * shell, as under containerlab); ${NAME}, the form containerlab's
 * manual gives for the host's variables, gets a warning once per name.  What
 * is not done: a variable whose value is YAML structure becomes part of
 * one scalar here, where containerlab would make it
 * structure; a value with a newline is refused rather than read
 * differently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clab.h"

#define CLAB_ENV_MAX (1u << 20) /* one scalar's expansion */
#define CLAB_ENV_DEPTH 8        /* ${A:-${B:-${C}}} */
#define CLAB_ENV_ASSIGNED 64

struct xbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

struct xctx {
	struct clab_ctx *c;
	const struct vl_ynode *at;
	const char *err; /* set: the scalar is refused with this */
	char errbuf[160];
	/* ${NAME:=word}: NAME is word from here on, as envsubst sets it */
	struct {
		char name[64];
		char *val;
	} assigned[CLAB_ENV_ASSIGNED];
	size_t n_assigned;
	char warned[16][64];
	size_t n_warned;
};

static void put(struct xbuf *b, const char *s, size_t n)
{
	if (b->oom || b->len + n + 1 > CLAB_ENV_MAX) {
		b->oom = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p, b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static bool name_start(char ch)
{
	return ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9');
}

static const char *lookup(struct xctx *x, const char *name)
{
	for (size_t i = x->n_assigned; i-- > 0;)
		if (!strcmp(x->assigned[i].name, name))
			return x->assigned[i].val;
	return getenv(name);
}

static void warn_unset(struct xctx *x, const char *name)
{
	for (size_t i = 0; i < x->n_warned; i++)
		if (!strcmp(x->warned[i], name))
			return;
	if (x->n_warned < sizeof(x->warned) / sizeof(x->warned[0]))
		snprintf(x->warned[x->n_warned++], sizeof(x->warned[0]), "%s", name);
	clab_warn(x->c, x->at, "environment variable %s is not set: ${%s} stays as written "
		  "(as containerlab leaves it)", name, name);
}

static void expand(struct xctx *x, const char *s, size_t n, struct xbuf *out, int depth);

/* The end of a ${...} that starts at s[0] == '{', braces nested; n if
 * it does not close. */
static size_t brace_end(const char *s, size_t n)
{
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{')
			open++;
		else if (s[i] == '}' && --open == 0)
			return i;
	}
	return n;
}

static void assign(struct xctx *x, const char *name, const char *val)
{
	if (x->n_assigned == CLAB_ENV_ASSIGNED || strlen(name) >= sizeof(x->assigned[0].name))
		return;
	char *v = strdup(val);
	if (!v)
		return;
	snprintf(x->assigned[x->n_assigned].name, sizeof(x->assigned[0].name), "%s", name);
	x->assigned[x->n_assigned++].val = v;
}

/* The inside of ${...}: NAME, then nothing or an operator and its word. */
static void braced(struct xctx *x, const char *s, size_t n, struct xbuf *out, int depth)
{
	size_t k = 0;
	while (k < n && name_char(s[k]))
		k++;
	char name[256];
	if (k == 0 || !name_start(s[0]) || k >= sizeof(name)) {
		snprintf(x->errbuf, sizeof(x->errbuf), "'${%.*s}' is not a variable containerlab "
			 "expands", (int)(n > 40 ? 40 : n), s);
		x->err = x->errbuf;
		return;
	}
	memcpy(name, s, k);
	name[k] = '\0';
	const char *val = lookup(x, name);
	if (k == n) {
		if (!val) {
			warn_unset(x, name);
			put(out, "${", 2), put(out, s, n), put(out, "}", 1);
			return;
		}
		put(out, val, strlen(val));
		return;
	}
	bool colon = s[k] == ':';
	char op = k + colon < n ? s[k + colon] : '\0';
	if (!op || !strchr("-=+?", op)) {
		snprintf(x->errbuf, sizeof(x->errbuf), "'${%.*s}': containerlab's envsubst takes "
			 "${NAME}, ${NAME:-word}, ${NAME:=word}, ${NAME:+word} and ${NAME:?msg}",
			 (int)(n > 40 ? 40 : n), s);
		x->err = x->errbuf;
		return;
	}
	const char *word = s + k + colon + 1;
	size_t wn = n - (k + colon + 1);
	bool set = val && (!colon || val[0]);
	if (op == '+') {
		if (set)
			expand(x, word, wn, out, depth + 1);
		return;
	}
	if (set) {
		put(out, val, strlen(val));
		return;
	}
	if (op == '?') {
		snprintf(x->errbuf, sizeof(x->errbuf), "environment variable %s is %s: %.*s", name,
			 val ? "empty" : "not set", (int)(wn > 80 ? 80 : wn), word);
		x->err = x->errbuf;
		return;
	}
	size_t from = out->len;
	expand(x, word, wn, out, depth + 1);
	if (op == '=' && !out->oom)
		assign(x, name, out->s ? out->s + from : "");
}

static void expand(struct xctx *x, const char *s, size_t n, struct xbuf *out, int depth)
{
	if (depth > CLAB_ENV_DEPTH) {
		x->err = "variables nested more than 8 deep";
		return;
	}
	size_t i = 0;
	while (i < n && !x->err && !out->oom) {
		const char *d = memchr(s + i, '$', n - i);
		size_t lit = d ? (size_t)(d - (s + i)) : n - i;
		put(out, s + i, lit);
		i += lit;
		if (i >= n)
			break;
		/* s[i] == '$' */
		if (i + 1 < n && s[i + 1] == '$') {
			put(out, "$", 1);
			i += 2;
		} else if (i + 1 < n && s[i + 1] == '{') {
			size_t e = brace_end(s + i + 1, n - i - 1);
			if (e == n - i - 1) {
				x->err = "a '${' that does not close";
				return;
			}
			braced(x, s + i + 2, e - 1, out, depth);
			i += e + 2;
		} else if (i + 1 < n && name_start(s[i + 1])) {
			size_t k = i + 1;
			while (k < n && name_char(s[k]))
				k++;
			char name[256];
			size_t nl = k - i - 1 < sizeof(name) - 1 ? k - i - 1 : sizeof(name) - 1;
			memcpy(name, s + i + 1, nl);
			name[nl] = '\0';
			const char *val = lookup(x, name);
			if (val)
				put(out, val, strlen(val));
			else
				put(out, s + i, k - i);
			i = k;
		} else {
			put(out, "$", 1); /* $1, $@, a trailing $: as written */
			i++;
		}
	}
}

static int expand_scalar(struct xctx *x, struct vl_ynode *n)
{
	if (!strchr(n->str, '$'))
		return 0;
	struct xbuf out = {0};
	x->at = n;
	x->err = NULL;
	expand(x, n->str, strlen(n->str), &out, 0);
	if (!x->err && out.oom)
		x->err = "its expansion is larger than 1 MiB, or memory ran out";
	if (!x->err && out.s && (strchr(out.s, '\n') && !strchr(n->str, '\n')))
		x->err = "a variable's value holds a newline, which containerlab would read "
			 "as YAML; write it into the file";
	if (x->err) {
		free(out.s);
		return perr(&x->c->p, n, "'%.60s': %s", n->str, x->err);
	}
	free(n->str);
	n->str = out.s ? out.s : strdup("");
	return n->str ? 0 : perr(&x->c->p, n, "out of memory");
}

static int walk(struct xctx *x, struct vl_ynode *n)
{
	if (n->type == VL_Y_SCALAR)
		return expand_scalar(x, n);
	int rc = 0;
	size_t items = n->type == VL_Y_MAP ? 2 * n->n : n->n;
	for (size_t i = 0; i < items; i++)
		rc |= walk(x, n->kv[i]);
	return rc;
}

int clab_expand_env(struct clab_ctx *c, struct vl_ynode *root)
{
	struct xctx *x = calloc(1, sizeof(*x));
	if (!x)
		return perr(&c->p, root, "out of memory");
	x->c = c;
	int rc = walk(x, root);
	for (size_t i = 0; i < x->n_assigned; i++)
		free(x->assigned[i].val);
	free(x);
	return rc;
}
