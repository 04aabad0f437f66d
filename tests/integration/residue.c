/* SPDX-License-Identifier: BSD-2-Clause */
/* residue.c — see residue.h. */
#include "residue.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

struct list {
	char **v;
	size_t n, cap;
};

static void add(struct list *l, const char *kind, const char *what)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		cr_assert_not_null(l->v);
	}
	size_t len = strlen(kind) + strlen(what) + 2;
	l->v[l->n] = malloc(len);
	cr_assert_not_null(l->v[l->n]);
	snprintf(l->v[l->n++], len, "%s %s", kind, what);
}

static void list_dir(struct list *l, const char *kind, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			add(l, kind, e->d_name);
	if (d)
		closedir(d);
}

/* Every file under the state directory, by path relative to it. */
static void list_tree(struct list *l, const char *root, const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[PATH_MAX];
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		add(l, "state", sub);
		if (e->d_type == DT_DIR)
			list_tree(l, root, sub);
	}
	if (d)
		closedir(d);
}

static const char *const ns_kinds[] = {"net", "pid", "mnt", "user", "uts", "ipc",
				       "cgroup", NULL};

/* Namespaces of every process we may look at, and our own binary's
 * processes (a keeper outlives its lab only as a bug). */
static void list_processes(struct list *l)
{
	char self_bin[PATH_MAX] = "";
	if (!realpath(bin(), self_bin))
		self_bin[0] = '\0';
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		char path[300], target[PATH_MAX];
		for (int i = 0; ns_kinds[i]; i++) {
			snprintf(path, sizeof(path), "/proc/%s/ns/%s", e->d_name, ns_kinds[i]);
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			if (n > 0) {
				target[n] = '\0';
				add(l, "ns", target);
			}
		}
		snprintf(path, sizeof(path), "/proc/%s/exe", e->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n > 0 && *self_bin) {
			target[n] = '\0';
			if (strcmp(target, self_bin) == 0) {
				char what[PATH_MAX + 300];
				snprintf(what, sizeof(what), "%s (%s)", e->d_name, target);
				add(l, "vnetlab-process", what);
			}
		}
	}
	if (d)
		closedir(d);
}

static void list_mounts(struct list *l)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	while (f && fgets(line, sizeof(line), f)) {
		char mp[PATH_MAX];
		/* id parent major:minor root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1)
			add(l, "mount", mp);
	}
	if (f)
		fclose(f);
}

/* AF_UNIX sockets bound under the state directory (the control sockets). */
static void list_sockets(struct list *l)
{
	FILE *f = fopen("/proc/net/unix", "re");
	char line[4096];
	const char *st = state_dir();
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, st);
		if (p) {
			p[strcspn(p, "\n")] = '\0';
			add(l, "socket", p);
		}
	}
	if (f)
		fclose(f);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A dead keeper's parent already exited (it detaches by a double fork):
 * its zombie, which keeps the lab's PID namespace listed, waits for
 * whoever reaps orphans — a slow init in some containers.  Be that reaper
 * for this test's descendants, and reap before each look. */
static void reap_orphans(void)
{
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

void sysview_take(struct sysview *s)
{
	reap_orphans();
	struct list l = {0};
	list_processes(&l);
	list_dir(&l, "netns-link", "/run/netns");
	list_dir(&l, "interface", "/sys/class/net");
	list_mounts(&l);
	list_tree(&l, state_dir(), "");
	list_sockets(&l);
	qsort(l.v, l.n, sizeof(*l.v), cmp);
	/* Many processes share a namespace: keep each item once. */
	size_t out = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (out && strcmp(l.v[out - 1], l.v[i]) == 0)
			free(l.v[i]);
		else
			l.v[out++] = l.v[i];
	}
	s->item = l.v;
	s->n = out;
}

void sysview_free(struct sysview *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->item[i]);
	free(s->item);
	s->item = NULL;
	s->n = 0;
}

size_t sysview_new(const struct sysview *before, const struct sysview *now,
		   char *out, size_t len)
{
	size_t count = 0, used = 0;
	if (len)
		out[0] = '\0';
	for (size_t i = 0; i < now->n; i++) {
		if (bsearch(&now->item[i], before->item, before->n, sizeof(char *), cmp))
			continue;
		count++;
		if (used < len) {
			int w = snprintf(out + used, len - used, "  %s\n", now->item[i]);
			used += w > 0 ? (size_t)w : 0;
		}
	}
	return count;
}

void assert_no_residue(const struct sysview *before, const char *ctx)
{
	char diff[4096];
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		struct sysview now;
		sysview_take(&now);
		n = sysview_new(before, &now, diff, sizeof(diff));
		sysview_free(&now);
		if (n == 0)
			return;
		usleep(10000);
	}
	cr_expect_eq(n, 0, "%s: %zu things left behind:\n%s", ctx, n, diff);
}
