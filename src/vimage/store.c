/* SPDX-License-Identifier: BSD-2-Clause */
/* store.c — the model kept in the state root (vimage.h): one file per lab,
 * .vimage-LAB.json, opened and locked for one verb's whole run, saved once
 * the lab has taken the change; and the walk over those files. */
#include "vimage/vimage_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/statefile.h"

static const char *as_text(struct json_object *m)
{
	return json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY);
}

/* The lock file beside the model: flock'ed for the verb's run. */
static void lock_path(const struct vl_vimage_store *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s.lock", s->json);
}

/* The lock, held: vl_vimage_close removes the lock file when no model is
 * left, and whoever waited on that file holds a lock nobody else sees,
 * so a lock on a file no longer named is taken again. */
static int take_lock(struct vl_vimage_store *s, struct vl_err *err)
{
	char lock[PATH_MAX + 8];
	lock_path(s, lock, sizeof(lock));
	for (;;) {
		s->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (s->lock < 0 || flock(s->lock, LOCK_EX) < 0)
			return vl_err_sys(err, errno, "%s", lock);
		struct stat held, named;
		if (fstat(s->lock, &held) == 0 && stat(lock, &named) == 0 &&
		    held.st_ino == named.st_ino && held.st_dev == named.st_dev)
			return 0;
		close(s->lock);
	}
}

int vl_vimage_open(struct vl_vimage_store *s, const char *lab, struct vl_err *err)
{
	*s = (struct vl_vimage_store){.lock = -1};
	snprintf(s->lab, sizeof(s->lab), "%s", lab);
	int rc = vl_state_root(s->root, sizeof(s->root), true, err);
	if (rc < 0)
		return rc;
	snprintf(s->json, sizeof(s->json), "%s/.vimage-%s.json", s->root, s->lab);
	if ((rc = take_lock(s, err)) < 0)
		return rc;
	s->m = vl_vimage_saved(s) ? json_object_from_file(s->json) : vl_vimage_new(s->lab);
	if (!s->m)
		return vl_errf(err, "%s: cannot read the jails' model", s->json), -EIO;
	s->text = strdup(as_text(s->m));
	return s->text ? 0 : vl_err_sys(err, ENOMEM, "%s", s->json);
}

/* A verb that leaves no model (jls after down, a refused first jail -c)
 * leaves no lock file either: nothing of the verbs outlives their lab. */
void vl_vimage_close(struct vl_vimage_store *s)
{
	json_object_put(s->m);
	free(s->text);
	s->m = NULL;
	s->text = NULL;
	if (s->lock >= 0 && !vl_vimage_saved(s)) {
		char lock[PATH_MAX + 8];
		lock_path(s, lock, sizeof(lock));
		unlink(lock);
	}
	if (s->lock >= 0)
		close(s->lock);
	s->lock = -1;
}

/* The model goes to disk only once the lab has taken the change: so the
 * saved model is always what runs, and a change that the check, the
 * build or the kernel refuses leaves it as it was. */
int vl_vimage_save(struct vl_vimage_store *s, struct vl_err *err)
{
	return vl_file_write_atomic(s->json, as_text(s->m), err);
}

bool vl_vimage_saved(const struct vl_vimage_store *s)
{
	return access(s->json, F_OK) == 0;
}

bool vl_vimage_changed(const struct vl_vimage_store *s)
{
	return !s->text || strcmp(s->text, as_text(s->m));
}

int vl_vimage_lab(const struct vl_vimage_store *s, struct vl_lab_paths *p, struct vl_err *err)
{
	return vl_lab_paths(s->root, s->lab, p, err);
}

bool vl_vimage_running(const struct vl_vimage_store *s)
{
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	return vl_vimage_lab(s, &p, &err) == 0 && vl_lab_alive(&p);
}

/* ---- the models in a state root --------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vl_vimage_models(const char *root, int (*fn)(const char *lab, const char *path, void *arg),
		     void *arg)
{
	DIR *d = opendir(root);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len <= 13 || strncmp(e->d_name, ".vimage-", 8) ||
		    strcmp(e->d_name + len - 5, ".json"))
			continue;
		char lab[VL_LABNAME_MAX + 8];
		snprintf(lab, sizeof(lab), "%.*s", (int)(len - 13), e->d_name + 8);
		if (len - 13 > VL_LABNAME_MAX || vl_check_lab_name(lab))
			continue;
		char **q = realloc(names, (n + 1) * sizeof(*names));
		if (!q || !(q[n] = strdup(lab)))
			rc = -ENOMEM;
		names = q ? q : names;
		n += rc == 0;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/.vimage-%s.json", root, names[i]);
		if (rc == 0)
			rc = fn(names[i], path, arg);
		free(names[i]);
	}
	free(names);
	return rc;
}
