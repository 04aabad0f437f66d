/* SPDX-License-Identifier: BSD-2-Clause */
/* yaml_emit.c — JSON as block YAML (yaml_emit.h). */
#include "vnetlab/yaml_emit.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* A string YAML would read as itself when written plain. */
static bool plain_ok(const char *s)
{
	static const char *const special[] = {"true", "false", "yes", "no", "on", "off",
					      "null", "~", "y", "n", NULL};
	if (!*s || isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1]))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) && !(s[0] == '-' && s[1] && s[1] != ' '))
		return false;
	for (const char *const *w = special; *w; w++)
		if (!strcasecmp(s, *w))
			return false;
	/* a number would come back as one */
	char *end;
	(void)strtod(s, &end);
	if (*end == '\0')
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f || (c == ':' && (p[1] == ' ' || !p[1])) ||
		    (c == '#' && p > s && p[-1] == ' ') || c == '"' || c == '\\')
			return false;
		if ((c == ',' || c == '[' || c == ']' || c == '{' || c == '}'))
			return false; /* safe in block style, not in a flow list */
	}
	return true;
}

static void put_quoted(const char *s, FILE *out)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void put_string(const char *s, FILE *out)
{
	if (plain_ok(s))
		fputs(s, out);
	else
		put_quoted(s, out);
}

/* A multi-line string as a literal block, when every line can be one
 * (no tabs or control bytes, no leading blank on the first line). */
static bool literal_ok(const char *s)
{
	size_t n = strlen(s);
	if (!strchr(s, '\n') || s[0] == ' ' || n == 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return false;
	return true;
}

static void put_literal(const char *s, int indent, FILE *out)
{
	size_t n = strlen(s);
	/* |  keeps one final newline, |- none, |+ all of them */
	bool one = n && s[n - 1] == '\n' && (n < 2 || s[n - 2] != '\n');
	bool none = n && s[n - 1] != '\n';
	fputs(one ? "|" : none ? "|-" : "|+", out);
	fputc('\n', out);
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			fprintf(out, "%*s%.*s", indent, "", (int)len, p);
		fputc('\n', out);
		p += len + (e != NULL);
	}
}

static bool scalar(struct json_object *o)
{
	return !json_object_is_type(o, json_type_object) && !json_object_is_type(o, json_type_array);
}

static void put_scalar(struct json_object *o, int indent, FILE *out)
{
	switch (json_object_get_type(o)) {
	case json_type_null: fputs("null", out); break;
	case json_type_boolean: fputs(json_object_get_boolean(o) ? "true" : "false", out); break;
	case json_type_int: fprintf(out, "%lld", (long long)json_object_get_int64(o)); break;
	case json_type_double: fprintf(out, "%.17g", json_object_get_double(o)); break;
	default: {
		const char *s = json_object_get_string(o);
		if (literal_ok(s))
			put_literal(s, indent, out);
		else
			put_string(s, out);
	}
	}
}

/* A list of a few short scalars reads best on one line. */
static bool flow_list(struct json_object *a)
{
	size_t n = json_object_array_length(a), width = 0;
	if (n == 0 || n > 8)
		return n == 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *x = json_object_array_get_idx(a, i);
		if (!scalar(x) || (json_object_is_type(x, json_type_string) &&
				   (!plain_ok(json_object_get_string(x)) ||
				    strchr(json_object_get_string(x), '\n'))))
			return false;
		width += strlen(json_object_get_string(x)) + 2;
	}
	return width < 72;
}

static void emit(struct json_object *o, int indent, FILE *out);

static void put_value(struct json_object *v, int indent, FILE *out)
{
	if (json_object_is_type(v, json_type_array) && flow_list(v)) {
		fputs(" [", out);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			fputs(i ? ", " : "", out);
			put_scalar(json_object_array_get_idx(v, i), indent, out);
		}
		fputs("]\n", out);
	} else if (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0) {
		fputs(" {}\n", out);
	} else if (scalar(v)) {
		fputc(' ', out);
		put_scalar(v, indent + 2, out);
		if (!(json_object_is_type(v, json_type_string) &&
		      literal_ok(json_object_get_string(v))))
			fputc('\n', out);
	} else {
		fputc('\n', out);
		emit(v, indent + 2, out);
	}
}

/* A mapping's keys at indent; the first one's indentation already
 * written when inline (a list item's "- "). */
static void emit_map(struct json_object *o, int indent, bool inline_first, FILE *out)
{
	bool first = true;
	json_object_object_foreach(o, k, v) {
		if (!(first && inline_first))
			fprintf(out, "%*s", indent, "");
		first = false;
		put_string(k, out);
		fputc(':', out);
		put_value(v, indent, out);
	}
}

static void emit(struct json_object *o, int indent, FILE *out)
{
	if (json_object_is_type(o, json_type_object)) {
		emit_map(o, indent, false, out);
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			struct json_object *x = json_object_array_get_idx(o, i);
			fprintf(out, "%*s-", indent, "");
			if (json_object_is_type(x, json_type_object) && json_object_object_length(x)) {
				fputc(' ', out);
				emit_map(x, indent + 2, true, out);
			} else {
				put_value(x, indent, out);
			}
		}
	} else {
		fprintf(out, "%*s", indent, "");
		put_scalar(o, indent, out);
		fputc('\n', out);
	}
}

int vl_yaml_emit(struct json_object *doc, FILE *out)
{
	emit(doc, 0, out);
	return ferror(out) ? -EIO : 0;
}
