/* SPDX-License-Identifier: BSD-2-Clause */
/* words.c — shell-like word splitting without a shell (words.h). */
#include "vnetlab/words.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void vl_words_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static int push(char ***argv, size_t *argc, char *w)
{
	char **a = realloc(*argv, (*argc + 2) * sizeof(char *));
	if (!a) {
		free(w);
		return -ENOMEM;
	}
	a[(*argc)++] = w;
	a[*argc] = NULL;
	*argv = a;
	return 0;
}

/* One word from *p into out (room for strlen of the rest): true when a
 * word was there (an empty "" is a word). */
static int one_word(const char **p, char *out, bool *got, const char **why)
{
	const char *s = *p;
	size_t o = 0;
	*got = false;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
		*got = true;
		if (*s == '\'') {
			const char *e = strchr(s + 1, '\'');
			if (!e)
				return *why = "an unterminated '", -EINVAL;
			memcpy(out + o, s + 1, (size_t)(e - s - 1));
			o += (size_t)(e - s - 1);
			s = e + 1;
		} else if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1] && strchr("\"\\$`\n", s[1]))
					s++;
				out[o++] = *s;
			}
			if (*s != '"')
				return *why = "an unterminated \"", -EINVAL;
			s++;
		} else if (*s == '\\') {
			if (!s[1])
				return *why = "a trailing backslash", -EINVAL;
			out[o++] = s[1];
			s += 2;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
	*p = s;
	return 0;
}

int vl_words_split(const char *s, char ***argv, size_t *argc, const char **why)
{
	*argv = NULL;
	*argc = 0;
	*why = NULL;
	char *buf = malloc(strlen(s) + 1);
	int rc = buf ? 0 : -ENOMEM;
	if (rc == 0)
		rc = push(argv, argc, NULL) < 0 ? -ENOMEM : 0; /* a NULL-terminated empty list */
	if (rc == 0)
		*argc = 0;
	while (rc == 0) {
		bool got;
		rc = one_word(&s, buf, &got, why);
		if (rc < 0 || !got)
			break;
		char *w = strdup(buf);
		rc = w ? push(argv, argc, w) : -ENOMEM;
	}
	free(buf);
	if (rc < 0) {
		vl_words_free(*argv);
		*argv = NULL;
		*argc = 0;
	}
	return rc;
}
