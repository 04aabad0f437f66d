/* SPDX-License-Identifier: BSD-2-Clause */
/* multihost.c — a lab over several hosts, from the controller
 * (multihost.h). */
#include "vnetlab/multihost.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vnetlab/statefile.h"
#include "vnetlab/topo_json.h"

void vl_mh_record_path(const char *root, const char *lab, char *out, size_t len)
{
	snprintf(out, len, "%s/.hosts/%s.json", root, lab);
}

bool vl_mh_exists(const char *root, const char *lab)
{
	char path[4096];
	vl_mh_record_path(root, lab, path, sizeof(path));
	return access(path, F_OK) == 0;
}

int vl_mh_foreach(const char *root, int (*fn)(const char *lab, void *arg), void *arg)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/.hosts", root);
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || n - 5 > VL_LABNAME_MAX ||
		    strcmp(e->d_name + n - 5, ".json"))
			continue;
		char lab[VL_LABNAME_MAX + 1];
		snprintf(lab, sizeof(lab), "%.*s", (int)(n - 5), e->d_name);
		rc = fn(lab, arg);
	}
	closedir(d);
	return rc;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v = json_object_object_get(o, key);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A NULL-terminated array of the strings of a JSON list (pointing into
 * it); NULL on ENOMEM. */
static const char **words_of(struct json_object *list, size_t *n)
{
	size_t k = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
	const char **w = calloc(k + 1, sizeof(*w));
	if (!w)
		return NULL;
	*n = 0;
	for (size_t i = 0; i < k; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(list, i));
		if (s)
			w[(*n)++] = s;
	}
	return w;
}

static int ctl_dir(const char *root, char *out, size_t len, struct vl_err *err)
{
	snprintf(out, len, "%s/.ssh", root);
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "%s", out);
	return 0;
}

/* hosts[] from the record's "hosts". */
static int open_hosts(struct vl_mh_lab *m, struct vl_err *err)
{
	struct json_object *hs = json_object_object_get(m->rec, "hosts");
	size_t n = json_object_is_type(hs, json_type_array) ? json_object_array_length(hs) : 0;
	if (!n)
		return vl_errf(err, "%s: no hosts recorded", m->path), -EINVAL;
	m->hosts = calloc(n, sizeof(*m->hosts));
	if (!m->hosts)
		return vl_errf(err, "out of memory"), -ENOMEM;
	m->n_hosts = n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hs, i);
		struct vl_remote_host *r = &m->hosts[i];
		r->name = str_of(h, "name");
		r->ssh = str_of(h, "ssh");
		r->options = words_of(json_object_object_get(h, "options"), &r->n_options);
		r->vnetlab = words_of(json_object_object_get(h, "vnetlab"), &r->n_vnetlab);
		if (!r->options || !r->vnetlab)
			return vl_errf(err, "out of memory"), -ENOMEM;
		if (!r->name || !r->ssh || !r->n_vnetlab)
			return vl_errf(err, "%s: host %zu is not complete", m->path, i + 1), -EINVAL;
	}
	return 0;
}

int vl_mh_open(const char *root, const char *lab, struct vl_mh_lab *m, struct vl_err *err)
{
	*m = (struct vl_mh_lab){0};
	snprintf(m->name, sizeof(m->name), "%s", lab);
	vl_mh_record_path(root, lab, m->path, sizeof(m->path));
	int rc = ctl_dir(root, m->ctl, sizeof(m->ctl), err);
	if (rc < 0)
		return rc;
	if (!(m->rec = vl_statefile_read(m->path, err)))
		return -ENOENT;
	if ((rc = open_hosts(m, err)) < 0)
		vl_mh_close(m);
	return rc;
}

void vl_mh_close(struct vl_mh_lab *m)
{
	for (size_t i = 0; m->hosts && i < m->n_hosts; i++) {
		free((void *)m->hosts[i].options);
		free((void *)m->hosts[i].vnetlab);
	}
	free(m->hosts);
	json_object_put(m->rec);
	m->hosts = NULL, m->rec = NULL, m->n_hosts = 0;
}

long vl_mh_host_of(const struct vl_mh_lab *m, const char *node)
{
	struct json_object *hs = json_object_object_get(m->rec, "hosts");
	for (size_t i = 0; i < m->n_hosts; i++) {
		struct json_object *ns =
			json_object_object_get(json_object_array_get_idx(hs, i), "nodes");
		for (size_t j = 0; j < json_object_array_length(ns); j++)
			if (!strcmp(json_object_get_string(json_object_array_get_idx(ns, j)), node))
				return (long)i;
	}
	return -1;
}

const char *vl_mh_state(const struct vl_mh_lab *m)
{
	const char *s = str_of(m->rec, "state");
	return s ? s : "unknown";
}

/* ---- every host at once ---- */

/* ssh ran and the remote command exited 0. */
static bool answered(const struct vl_mh_answer *a)
{
	return a->rc == 0 && a->r.status == 0;
}

struct job {
	const struct vl_remote_host *h;
	const char *ctl;
	const char *const *args;
	const char *in;
	int timeout_ms;
	bool tied;
	struct vl_mh_answer *a;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	/* tied: the text, its NUL, and stdin held until the remote exits */
	size_t len = j->in ? strlen(j->in) + j->tied : 0;
	j->a->rc = (j->tied ? vl_remote_run_held : vl_remote_run)(
		j->h, j->ctl, j->args, j->in, len, j->timeout_ms, &j->a->r, &j->a->err);
	return NULL;
}

size_t vl_mh_each(const struct vl_mh_lab *m, const char *const *args,
		  const char *const *in, const bool *only, int timeout_ms, bool tied,
		  struct vl_mh_answer *ans)
{
	struct job *jobs = calloc(m->n_hosts, sizeof(*jobs));
	pthread_t *tid = calloc(m->n_hosts, sizeof(*tid));
	bool *started = calloc(m->n_hosts, sizeof(*started));
	/* A host whose sshd goes away must not kill us with SIGPIPE while
	 * another thread writes to it: ignored for the whole run. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	size_t failed = 0;
	for (size_t i = 0; i < m->n_hosts; i++) {
		ans[i] = (struct vl_mh_answer){0};
		vl_err_init(&ans[i].err);
		if (only && !only[i])
			continue;
		if (!jobs || !tid || !started) {
			ans[i].rc = (vl_errf(&ans[i].err, "out of memory"), -ENOMEM);
			continue;
		}
		jobs[i] = (struct job){&m->hosts[i], m->ctl, args, in ? in[i] : NULL,
				       timeout_ms, tied && in, &ans[i]};
		if (pthread_create(&tid[i], NULL, run_job, &jobs[i]) == 0)
			started[i] = true;
		else
			run_job(&jobs[i]); /* no thread: do it here */
	}
	for (size_t i = 0; i < m->n_hosts; i++) {
		if (started && started[i])
			pthread_join(tid[i], NULL);
		if ((!only || only[i]) && !answered(&ans[i]))
			failed++;
	}
	sigaction(SIGPIPE, &old, NULL);
	free(jobs), free(tid), free(started);
	return failed;
}

void vl_mh_answers_free(struct vl_mh_answer *ans, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vl_remote_result_free(&ans[i].r);
}

/* The last non-empty lines of what the remote said on stderr, without
 * its "vnetlab: " prefixes doubled. */
static void tail_of(const char *s, char *buf, size_t len)
{
	size_t n = s ? strlen(s) : 0;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	size_t start = n, lines = 0;
	while (start > 0 && lines < 3) {
		start--;
		if (s[start] == '\n' && ++lines == 3)
			start++;
	}
	snprintf(buf, len, "%.*s", (int)(n - start), s + start);
	for (char *p = buf; (p = strstr(p, "vnetlab: "));)
		memmove(p, p + 9, strlen(p + 9) + 1);
	for (char *p = buf; (p = strchr(p, '\n'));)
		*p = ';';
}

void vl_mh_answer_why(const struct vl_mh_lab *m, size_t host, const struct vl_mh_answer *a,
		      char *buf, size_t len)
{
	const struct vl_remote_host *h = &m->hosts[host];
	char said[1024];
	if (a->rc < 0) {
		snprintf(buf, len, "host %s (%s): %s", h->name, h->ssh, a->err.msg);
		return;
	}
	tail_of(a->r.errout, said, sizeof(said));
	if (a->r.status == 255)
		snprintf(buf, len, "host %s (%s): cannot be reached over ssh%s%s", h->name,
			 h->ssh, *said ? ": " : "", said);
	else
		snprintf(buf, len, "host %s (%s): %s", h->name, h->ssh,
			 *said ? said : "failed (no message)");
}

/* ---- the record ---- */

static struct json_object *strings(char *const *w, size_t n)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(w[i]));
	return a;
}

static struct json_object *record_of(const struct vl_topo *t, const struct vl_hosts *h,
				     const struct vl_placement *p, const char *file)
{
	struct json_object *rec = json_object_new_object();
	json_object_object_add(rec, "lab", json_object_new_string(t->name));
	json_object_object_add(rec, "state", json_object_new_string("building"));
	json_object_object_add(rec, "file", json_object_new_string(file ? file : "-"));
	json_object_object_add(rec, "created", json_object_new_int64((int64_t)time(NULL)));
	json_object_object_add(rec, "controller_pid", json_object_new_int((int)getpid()));
	struct json_object *pl = json_object_new_object();
	json_object_object_add(pl, "method", json_object_new_string(p->method ? p->method : ""));
	json_object_object_add(pl, "cut", json_object_new_int64((int64_t)p->cut));
	json_object_object_add(pl, "cut_initial", json_object_new_int64((int64_t)p->cut_initial));
	json_object_object_add(rec, "placement", pl);
	struct json_object *hs = json_object_new_array();
	for (size_t i = 0; i < h->n; i++) {
		const struct vl_host *x = &h->hosts[i];
		struct json_object *o = json_object_new_object();
		char ul[64];
		json_object_object_add(o, "name", json_object_new_string(x->name));
		json_object_object_add(o, "ssh", json_object_new_string(x->ssh));
		json_object_object_add(o, "underlay", json_object_new_string(
							      vl_ip_str(&x->underlay, false, ul, sizeof(ul))));
		json_object_object_add(o, "vnetlab", strings(x->vnetlab, x->n_vnetlab));
		json_object_object_add(o, "options", strings(x->options, x->n_options));
		json_object_object_add(o, "capacity", json_object_new_int((int)x->capacity));
		struct json_object *ns = json_object_new_array();
		for (size_t n = 0; n < t->n_nodes; n++)
			if (p->host[n] == i)
				json_object_array_add(ns, json_object_new_string(t->nodes[n].name));
		json_object_object_add(o, "nodes", ns);
		json_object_array_add(hs, o);
	}
	json_object_object_add(rec, "hosts", hs);
	/* The links across hosts, for `link` (which end is where, by its
	 * VNI) and the lab as one topology, for `graph`. */
	struct json_object *tun = json_object_new_array();
	for (size_t l = 0; l < t->n_links; l++) {
		if (!vl_place_is_cut(t, p, l))
			continue;
		struct json_object *o = json_object_new_object(), *ends = json_object_new_array();
		json_object_object_add(o, "vni", json_object_new_int64(vl_place_vni(h, l)));
		for (int e = 0; e < 2; e++) {
			char ep[2 * VL_NAME_MAX + 2];
			vl_endpoint_name(t, &t->links[l].ep[e], ep, sizeof(ep));
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "hook", json_object_new_string(ep));
			json_object_object_add(x, "host", json_object_new_string(
								  h->hosts[p->host[t->links[l].ep[e].node]].name));
			json_object_array_add(ends, x);
		}
		json_object_object_add(o, "ends", ends);
		json_object_array_add(tun, o);
	}
	json_object_object_add(rec, "tunnels", tun);
	json_object_object_add(rec, "topology", vl_topo_to_json(t));
	return rec;
}

static int record_write(const struct vl_mh_lab *m, struct vl_err *err)
{
	return vl_file_write_atomic(
		m->path, json_object_to_json_string_ext(m->rec, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE), err);
}

/* The name is claimed with O_EXCL: two `up`s of one lab cannot both
 * think they made it. */
static int record_claim(const char *root, struct vl_mh_lab *m, struct vl_err *err)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/.hosts", root);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return vl_err_sys(err, errno, "%s", dir);
	int fd = open(m->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return vl_errf(err, "lab '%s' is already up over several hosts (see: vnetlab "
			       "ls; vnetlab down %s)", m->name, m->name), -EEXIST;
	if (fd < 0)
		return vl_err_sys(err, errno, "%s", m->path);
	close(fd);
	return record_write(m, err);
}

/* ---- up, down ---- */

static void err_append(struct vl_err *to, const struct vl_err *from)
{
	for (const char *q = from->msg; *q;) {
		size_t n = strcspn(q, "\n");
		vl_errf(to, "%.*s", (int)n, q);
		q += n + (q[n] == '\n');
	}
}

static void say(FILE *f, const char *fmt, const char *a, const char *b)
{
	if (f) {
		fprintf(f, fmt, a, b);
		fflush(f);
	}
}

/* Every host's part down; hosts where it did not go are named in err.
 * Returns how many did not. */
static size_t take_down(const struct vl_mh_lab *m, FILE *report, struct vl_err *err)
{
	const char *args[] = {"down", "--missing-ok", m->name, NULL};
	struct vl_mh_answer *ans = calloc(m->n_hosts, sizeof(*ans));
	if (!ans)
		return vl_errf(err, "out of memory"), m->n_hosts;
	size_t failed = vl_mh_each(m, args, NULL, NULL, 300000, false, ans);
	struct json_object *hs = json_object_object_get(m->rec, "hosts");
	for (size_t i = 0; i < m->n_hosts; i++) {
		if (answered(&ans[i])) {
			say(report, "vnetlab:   %s: part down%s\n", m->hosts[i].name, "");
			continue;
		}
		char why[1536];
		vl_mh_answer_why(m, i, &ans[i], why, sizeof(why));
		struct json_object *ns =
			json_object_object_get(json_object_array_get_idx(hs, i), "nodes");
		vl_errf(err, "%s; its part of lab '%s' (%zu node%s: %s%s) may be left there: "
			"run `vnetlab down %s` again when it is back, or `vnetlab down "
			"%s` on that host", why, m->name, json_object_array_length(ns),
			json_object_array_length(ns) == 1 ? "" : "s",
			json_object_array_length(ns) ? json_object_get_string(
							       json_object_array_get_idx(ns, 0)) : "",
			json_object_array_length(ns) > 1 ? ", ..." : "", m->name, m->name);
	}
	vl_mh_answers_free(ans, m->n_hosts);
	free(ans);
	return failed;
}

/* The connections end, the record goes, and the two directories with
 * them when no other lab over hosts needs them (rmdir of a non-empty
 * one fails, harmlessly). */
static int forget(const struct vl_mh_lab *m)
{
	for (size_t i = 0; i < m->n_hosts; i++)
		vl_remote_close(&m->hosts[i], m->ctl);
	int rc = unlink(m->path) < 0 && errno != ENOENT ? -errno : 0;
	rmdir(m->ctl);
	char dir[sizeof(m->path)];
	snprintf(dir, sizeof(dir), "%s", m->path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		rmdir(dir);
	}
	return rc;
}

int vl_mh_down(struct vl_mh_lab *m, FILE *report, struct vl_err *err)
{
	size_t failed = take_down(m, report, err);
	if (failed) {
		json_object_object_add(m->rec, "state", json_object_new_string("down-failed"));
		struct vl_err quiet;
		vl_err_init(&quiet);
		record_write(m, &quiet);
		return -EHOSTUNREACH;
	}
	int rc = forget(m);
	return rc < 0 ? vl_err_sys(err, -rc, "%s", m->path) : 0;
}

static void free_parts(char **parts, size_t n)
{
	for (size_t i = 0; parts && i < n; i++)
		free(parts[i]);
	free(parts);
}

/* Each host's part as the text its vnetlab reads on stdin. */
static char **parts_of(const struct vl_topo *t, const struct vl_hosts *h,
		       const struct vl_placement *p, bool *only)
{
	char **parts = calloc(h->n, sizeof(*parts));
	for (size_t i = 0; parts && i < h->n; i++) {
		only[i] = p->load[i] > 0;
		if (!only[i])
			continue;
		struct json_object *doc = vl_place_part(t, h, p, i);
		const char *s = doc ? json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
								      JSON_C_TO_STRING_NOSLASHESCAPE)
				    : NULL;
		parts[i] = s ? strdup(s) : NULL;
		json_object_put(doc);
		if (!parts[i]) {
			free_parts(parts, h->n);
			return NULL;
		}
	}
	return parts;
}

/* Roll back after a failed up: every host, then the record. */
static int roll_back(struct vl_mh_lab *m, FILE *report, struct vl_err *err)
{
	say(report, "vnetlab: lab '%s': taking down the parts on every host%s\n", m->name, "");
	struct vl_err left;
	vl_err_init(&left);
	if (take_down(m, report, &left)) {
		vl_errf(err, "rolling back lab '%s' did not reach every host:", m->name);
		err_append(err, &left);
		json_object_object_add(m->rec, "state", json_object_new_string("down-failed"));
		record_write(m, &left);
		return -EHOSTUNREACH;
	}
	forget(m);
	return 0;
}

static int build_parts(struct vl_mh_lab *m, char **parts, const bool *only,
		       const struct vl_mh_up_opts *o, struct vl_err *err)
{
	const char *args[] = {"up", "-", "--tied", NULL};
	struct vl_mh_answer *ans = calloc(m->n_hosts, sizeof(*ans));
	if (!ans)
		return vl_errf(err, "out of memory"), -ENOMEM;
	size_t failed = vl_mh_each(m, args, (const char *const *)parts, only,
				   o->timeout_ms ? o->timeout_ms : 600000, true, ans);
	for (size_t i = 0; i < m->n_hosts; i++) {
		if (!only[i])
			continue;
		if (answered(&ans[i])) {
			say(o->report, "vnetlab:   %s: part up\n", m->hosts[i].name, "");
			continue;
		}
		char why[1536];
		vl_mh_answer_why(m, i, &ans[i], why, sizeof(why));
		vl_errf(err, "%s", why);
	}
	vl_mh_answers_free(ans, m->n_hosts);
	free(ans);
	return failed ? -EIO : 0;
}

/* Every host answers `vnetlab version` before any is asked to build: a
 * host that cannot be reached (or has no vnetlab) fails the `up` while
 * nothing exists anywhere.  1 then (err says which), 0 when all answer. */
static int preflight(struct vl_mh_lab *m, const bool *only, const struct vl_mh_up_opts *o,
		     struct vl_err *err)
{
	const char *args[] = {"version", NULL};
	struct vl_mh_answer *ans = calloc(m->n_hosts, sizeof(*ans));
	if (!ans)
		return vl_errf(err, "out of memory"), -ENOMEM;
	size_t failed = vl_mh_each(m, args, NULL, only, 60000, false, ans);
	for (size_t i = 0; i < m->n_hosts && failed; i++) {
		if (only[i] && !answered(&ans[i])) {
			char why[1536];
			vl_mh_answer_why(m, i, &ans[i], why, sizeof(why));
			vl_errf(err, "%s%s", why, ans[i].r.status == 127 ? " (is vnetlab installed "
					 "there? the hosts file's `vnetlab:` says where)" : "");
		}
	}
	if (failed && o->report)
		fprintf(o->report, "vnetlab: lab '%s': not every host answered; nothing was "
			"built\n", m->name);
	vl_mh_answers_free(ans, m->n_hosts);
	free(ans);
	return failed ? 1 : 0;
}

int vl_mh_up(const struct vl_topo *t, const struct vl_hosts *h, const struct vl_placement *p,
	     const char *root, const struct vl_mh_up_opts *o, struct vl_err *err)
{
	struct vl_mh_lab m = {0};
	snprintf(m.name, sizeof(m.name), "%s", t->name);
	vl_mh_record_path(root, t->name, m.path, sizeof(m.path));
	int rc = ctl_dir(root, m.ctl, sizeof(m.ctl), err);
	if (rc < 0)
		return rc;
	if (!(m.rec = record_of(t, h, p, o->file)))
		return vl_errf(err, "out of memory"), -ENOMEM;
	if ((rc = record_claim(root, &m, err)) < 0) {
		json_object_put(m.rec);
		return rc;
	}
	bool *only = calloc(h->n, sizeof(*only));
	char **parts = only ? parts_of(t, h, p, only) : NULL;
	if ((rc = open_hosts(&m, err)) == 0 && !parts)
		rc = (vl_errf(err, "out of memory"), -ENOMEM);
	if (rc == 0)
		rc = preflight(&m, only, o, err);
	if (rc == 1) { /* nothing was built anywhere: nothing to roll back */
		forget(&m);
		rc = -EHOSTUNREACH;
		goto out;
	}
	if (rc == 0)
		rc = build_parts(&m, parts, only, o, err);
	if (rc == 0) {
		json_object_object_add(m.rec, "state", json_object_new_string("up"));
		rc = record_write(&m, err);
	}
	if (rc < 0) {
		struct vl_err rb;
		vl_err_init(&rb);
		if (m.hosts)
			roll_back(&m, o->report, &rb);
		else
			forget(&m);
		err_append(err, &rb);
	}
out:
	free_parts(parts, h->n);
	free(only);
	vl_mh_close(&m);
	return rc;
}

/* ---- inspect ---- */

static void add_all(struct json_object *to, struct json_object *from, const char *host)
{
	for (size_t i = 0; i < json_object_array_length(from); i++) {
		struct json_object *x = json_object_get(json_object_array_get_idx(from, i));
		json_object_object_add(x, "host", json_object_new_string(host));
		json_object_array_add(to, x);
	}
}

struct json_object *vl_mh_inspect(const struct vl_mh_lab *m, struct vl_err *err)
{
	const char *args[] = {"inspect", "--json", m->name, NULL};
	struct vl_mh_answer *ans = calloc(m->n_hosts, sizeof(*ans));
	if (!ans)
		return vl_errf(err, "out of memory"), NULL;
	bool *only = calloc(m->n_hosts, sizeof(*only));
	struct json_object *hs = json_object_object_get(m->rec, "hosts");
	for (size_t i = 0; only && i < m->n_hosts; i++)
		only[i] = json_object_array_length(json_object_object_get(
				  json_object_array_get_idx(hs, i), "nodes")) > 0;
	size_t failed = only ? vl_mh_each(m, args, NULL, only, 60000, false, ans) : m->n_hosts;
	struct json_object *all = NULL, *nodes = json_object_new_array(),
			   *links = json_object_new_array();
	for (size_t i = 0; i < m->n_hosts && !failed; i++) {
		if (!only[i])
			continue;
		struct json_object *st = json_tokener_parse(ans[i].r.out);
		if (!json_object_is_type(st, json_type_object)) {
			vl_errf(err, "host %s: `inspect --json` did not answer JSON", m->hosts[i].name);
			failed++;
			json_object_put(st);
			break;
		}
		add_all(nodes, json_object_object_get(st, "nodes"), m->hosts[i].name);
		add_all(links, json_object_object_get(st, "links"), m->hosts[i].name);
		if (!all) {
			all = st;
		} else {
			json_object_put(st);
		}
	}
	for (size_t i = 0; i < m->n_hosts && failed; i++) {
		if ((!only || only[i]) && !answered(&ans[i])) {
			char why[1536];
			vl_mh_answer_why(m, i, &ans[i], why, sizeof(why));
			vl_errf(err, "%s", why);
		}
	}
	vl_mh_answers_free(ans, m->n_hosts);
	free(ans);
	free(only);
	if (failed || !all) {
		if (!failed)
			vl_errf(err, "lab '%s': no host holds a part", m->name);
		json_object_put(all);
		json_object_put(nodes);
		json_object_put(links);
		return NULL;
	}
	json_object_object_add(all, "nodes", nodes);
	json_object_object_add(all, "links", links);
	json_object_object_add(all, "hosts", json_object_get(hs));
	json_object_object_add(all, "placement",
			       json_object_get(json_object_object_get(m->rec, "placement")));
	return all;
}
