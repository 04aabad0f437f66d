/* SPDX-License-Identifier: BSD-2-Clause */
/* cmd.c — FreeBSD backend commands: render and run (cmd.h). */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fb_cmd fb_cmd_make(const char *const *words)
{
	struct fb_cmd c = {{NULL}, NULL};
	for (size_t i = 0; words[i]; i++)
		fb_cmd_add(&c, words[i]);
	return c;
}

void fb_cmd_add(struct fb_cmd *c, const char *word)
{
	size_t n = 0;
	while (c->argv[n])
		n++;
	if (n < FB_ARGV_MAX)
		c->argv[n] = strdup(word);
}

void fb_cmd_free(struct fb_cmd *c)
{
	for (size_t i = 0; c->argv[i]; i++)
		free(c->argv[i]);
	free(c->input);
	memset(c, 0, sizeof(*c));
}

static void quote(const char *s, FILE *out)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789_./:=@%+,-";
	if (*s && strspn(s, safe) == strlen(s)) {
		fputs(s, out);
		return;
	}
	fputc('\'', out);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	fputc('\'', out);
}

/* The heredoc's delimiter: EOF, or EOF_, EOF__...: one no line of text is. */
static void delimiter(const char *text, char *d, size_t len)
{
	snprintf(d, len, "EOF");
	for (bool taken = true; taken && strlen(d) + 2 <= len;) {
		size_t n = strlen(d);
		taken = false;
		for (const char *l = text; *l && !taken;) {
			size_t ll = strcspn(l, "\n");
			taken = ll == n && !memcmp(l, d, n);
			l += ll + (l[ll] == '\n');
		}
		if (taken)
			strcat(d, "_");
	}
}

void fb_cmd_render(const struct fb_cmd *c, const char *note, FILE *out)
{
	for (size_t i = 0; c->argv[i]; i++) {
		if (i)
			fputc(' ', out);
		quote(c->argv[i], out);
	}
	char d[16];
	size_t len = c->input ? strlen(c->input) : 0;
	bool bare = len && c->input[len - 1] != '\n';
	if (c->input) {
		delimiter(c->input, d, sizeof(d));
		fprintf(out, " <<'%s'", d);
	}
	if (note || bare)
		fprintf(out, "  # %s%s%s", note ? note : "", note && bare ? "; " : "",
			bare ? "no newline at the end" : "");
	fputc('\n', out);
	if (c->input)
		fprintf(out, "%s%s%s\n", c->input, bare ? "\n" : "", d);
}

int fb_cmd_run(const struct fb_cmd *c, struct vl_err *err)
{
	int in[2] = {-1, -1};
	if (c->input && pipe2(in, O_CLOEXEC) < 0)
		return vl_err_sys(err, errno, "pipe for %s", c->argv[0]);
	pid_t pid = fork();
	if (pid == 0) {
		if (c->input)
			dup2(in[0], 0);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	int e = errno;
	if (c->input) {
		close(in[0]);
		if (pid > 0) {
			/* A command that exits without reading must not kill us. */
			void (*old)(int) = signal(SIGPIPE, SIG_IGN);
			size_t len = strlen(c->input), off = 0;
			while (off < len) {
				ssize_t w = write(in[1], c->input + off, len - off);
				if (w <= 0)
					break;
				off += (size_t)w;
			}
			signal(SIGPIPE, old);
		}
		close(in[1]);
	}
	if (pid < 0)
		return vl_err_sys(err, e, "fork for %s", c->argv[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char line[512] = "";
	size_t off = 0;
	for (size_t i = 0; c->argv[i] && off < sizeof(line); i++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, "%s%s", i ? " " : "",
					c->argv[i]);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return vl_errf(err, "%s: could not run %s (not installed?)", line,
			       c->argv[0]), -ENOENT;
	if (WIFSIGNALED(st))
		return vl_errf(err, "%s: killed by signal %d", line, WTERMSIG(st)), -EIO;
	return vl_errf(err, "%s: exited with status %d", line, WEXITSTATUS(st)), -EIO;
}
