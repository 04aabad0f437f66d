/* SPDX-License-Identifier: BSD-2-Clause */
/* words.h — a command line split into words as a POSIX shell splits them
 * (blanks; '...'; "..." with \" \\ \$ \` escapes; \ outside quotes), and
 * nothing else: no variables, globs, substitutions or operators.  For
 * command strings that other programs' files hold (FRR's daemons file,
 * containerlab's exec:), which vnetlab runs with an argv, never a shell.
 */
#ifndef VNETLAB_WORDS_H
#define VNETLAB_WORDS_H

#include <stddef.h>

/* *argv: NULL-terminated, the caller's to free with vl_words_free.
 * 0; -EINVAL for an unterminated quote or a trailing backslash (*why
 * says which), -ENOMEM. */
int vl_words_split(const char *s, char ***argv, size_t *argc, const char **why);
void vl_words_free(char **argv);

#endif
