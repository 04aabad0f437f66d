/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd.h — one command of the FreeBSD backend: an argv and, for
 * `ngctl -f -` and `dd of=FILE`, the text it reads.  Rendered as a shell line (the plan,
 * golden files) or run with execvp (never a shell). */
#ifndef VNETLAB_FREEBSD_CMD_H
#define VNETLAB_FREEBSD_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "vnetlab/err.h"

#define FB_ARGV_MAX 24

struct fb_cmd {
	char *argv[FB_ARGV_MAX + 1]; /* owned, NULL-terminated */
	char *input;                 /* stdin text (ends in \n), owned, or NULL */
};

/* A command from a NULL-terminated list of words (copied). */
struct fb_cmd fb_cmd_make(const char *const *words);
/* Append one word; silently ignored past FB_ARGV_MAX. */
void fb_cmd_add(struct fb_cmd *c, const char *word);
void fb_cmd_free(struct fb_cmd *c);

/* "jexec demo ngctl -f - <<'EOF'" + input + "EOF", or one line; words
 * outside [A-Za-z0-9_./:=@%+,-] single-quoted.  note, when not NULL, goes
 * after the command as "  # note".  The delimiter is EOF with as many
 * '_' as it takes to be no line of the input; input that does not end in
 * a newline gets one, and the note "no newline at the end". */
void fb_cmd_render(const struct fb_cmd *c, const char *note, FILE *out);
/* Run it, input on stdin; 0 when it exits 0, else -errno / -EIO with the
 * command and its status in err. */
int fb_cmd_run(const struct fb_cmd *c, struct vl_err *err);

#endif
