/* SPDX-License-Identifier: BSD-2-Clause */
/* service.c — the processes, view entries and host needs of a node's
 * services (service.h). */
#include "vnetlab/service.h"
#include "vnetlab/words.h"

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* FRR's daemons in frrcommon.sh's start order, with the options Debian's
 * daemons file gives each; always: started whatever the file says. */
static const struct frr_daemon {
	const char *name, *options;
	bool always;
} frr[] = {
	{"zebra", "-A 127.0.0.1 -s 90000000", true},
	{"mgmtd", "-A 127.0.0.1", true},
	{"bgpd", "-A 127.0.0.1", false},
	{"ripd", "-A 127.0.0.1", false},
	{"ripngd", "-A ::1", false},
	{"ospfd", "-A 127.0.0.1", false},
	{"ospf6d", "-A ::1", false},
	{"isisd", "-A 127.0.0.1", false},
	{"babeld", "-A 127.0.0.1", false},
	{"pimd", "-A 127.0.0.1", false},
	{"pim6d", "-A ::1", false},
	{"ldpd", "-A 127.0.0.1", false},
	{"nhrpd", "-A 127.0.0.1", false},
	{"eigrpd", "-A 127.0.0.1", false},
	{"sharpd", "-A 127.0.0.1", false},
	{"pbrd", "-A 127.0.0.1", false},
	{"staticd", "-A 127.0.0.1", true},
	{"bfdd", "-A 127.0.0.1", false},
	{"fabricd", "-A 127.0.0.1", false},
	{"vrrpd", "-A 127.0.0.1", false},
	{"pathd", "-A 127.0.0.1", false},
};
#define N_FRR (sizeof(frr) / sizeof(frr[0]))

/* What in an frr.conf shows a daemon is wanted: a line starting so
 * (after indentation). */
static const struct {
	const char *prefix, *daemon;
} frr_conf_needs[] = {
	{"router bgp", "bgpd"},	      {"router ospf6", "ospf6d"}, {"ipv6 ospf6", "ospf6d"},
	{"router ospf", "ospfd"},     {"ip ospf", "ospfd"},	  {"router ripng", "ripngd"},
	{"ipv6 rip", "ripngd"},	      {"router rip", "ripd"},	  {"ip rip", "ripd"},
	{"router isis", "isisd"},     {"ip router isis", "isisd"}, {"ipv6 router isis", "isisd"},
	{"router openfabric", "fabricd"}, {"router eigrp", "eigrpd"}, {"router babel", "babeld"},
	{"router pim6", "pim6d"},     {"ipv6 pim", "pim6d"},	  {"router pim", "pimd"},
	{"ip pim", "pimd"},	      {"mpls ldp", "ldpd"},	  {"bfd", "bfdd"},
	{"vrrp", "vrrpd"},	      {"pbr-map", "pbrd"},	  {"segment-routing", "pathd"},
	{"ip nhrp", "nhrpd"},	      {"ipv6 nhrp", "nhrpd"},
};

/* Where FRR's daemons are: Debian's, or $VNETLAB_FRR_DIR (an FRR built
 * from source, /usr/local/lib/frr say). */
static const char *frr_dir(void)
{
	const char *d = getenv("VNETLAB_FRR_DIR");
	return d && d[0] == '/' && strlen(d) < 96 ? d : VL_FRR_LIBDIR;
}

static bool installed(const char *daemon)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", frr_dir(), daemon);
	return access(path, X_OK) == 0;
}

/* A line of text starts with prefix as a whole word. */
static bool starts_word(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(line, prefix, n) && (line[n] == '\0' || isspace((unsigned char)line[n]));
}

/* The value of `key=` in a daemons file (quotes stripped) into out; NULL
 * when the key is not there. */
static const char *daemons_value(const char *text, const char *key, char *out, size_t len)
{
	size_t n = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (strncmp(l, key, n) || l[n] != '=')
			continue;
		const char *v = l + n + 1, *e = v + strcspn(v, "\n");
		while (e > v && isspace((unsigned char)e[-1]))
			e--;
		if (e - v >= 2 && (*v == '"' || *v == '\'') && e[-1] == *v)
			v++, e--;
		snprintf(out, len, "%.*s", (int)(e - v), v);
		return out;
	}
	return NULL;
}

static bool wanted(const char *daemons, const char *conf, const struct frr_daemon *d)
{
	if (d->always)
		return strcmp(d->name, "mgmtd") || installed("mgmtd");
	char v[16];
	if (daemons)
		return daemons_value(daemons, d->name, v, sizeof(v)) && !strcmp(v, "yes");
	for (const char *l = conf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		while (*l == ' ' || *l == '\t')
			l++;
		for (size_t i = 0; i < sizeof(frr_conf_needs) / sizeof(frr_conf_needs[0]); i++)
			if (!strcmp(frr_conf_needs[i].daemon, d->name) &&
			    starts_word(l, frr_conf_needs[i].prefix))
				return true;
	}
	return false;
}

size_t vl_frr_daemons(const char *daemons, const char *conf, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < N_FRR && n < max; i++)
		if (wanted(daemons, conf, &frr[i]))
			names[n++] = frr[i].name;
	return n;
}

/* ---- plans ----------------------------------------------------------------- */

static char **argv_of(const char *const *words, size_t n)
{
	char **a = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; a && i < n; i++)
		if (!(a[i] = strdup(words[i]))) {
			vl_words_free(a);
			return NULL;
		}
	return a;
}

static char **argv_dup(char **argv)
{
	size_t n = 0;
	while (argv && argv[n])
		n++;
	return argv ? argv_of((const char *const *)argv, n) : NULL;
}

void vl_svc_plan_free(struct vl_svc_plan *p)
{
	for (size_t i = 0; i < p->n_procs; i++)
		vl_words_free(p->procs[i].argv);
	free(p->procs);
	vl_words_free(p->post);
	vl_words_free(p->ready);
	vl_words_free(p->stop);
	*p = (struct vl_svc_plan){0};
}

static struct vl_svc_proc *add_proc(struct vl_svc_plan *p, const char *label)
{
	struct vl_svc_proc *x = realloc(p->procs, (p->n_procs + 1) * sizeof(*x));
	if (!x)
		return NULL;
	p->procs = x;
	x = &p->procs[p->n_procs++];
	*x = (struct vl_svc_proc){0};
	snprintf(x->label, sizeof(x->label), "%s", label);
	return x;
}

/* The account FRR drops to: its own in root mode, the node's root where
 * no other exists (rootless: only one uid is mapped). */
static const char *frr_user(bool rootless)
{
	return !rootless && getpwnam("frr") ? "frr" : "root";
}

/* One daemon's argv: its options from the daemons file (else Debian's),
 * minus -d (it must stay in the foreground, where the keeper watches
 * it), then the account and the log. */
static char **frr_argv(const struct frr_daemon *d, const char *daemons, bool rootless,
		       const char **why)
{
	char key[40], opts[1024], prof[64], path[128];
	snprintf(key, sizeof(key), "%s_options", d->name);
	const char *o = daemons ? daemons_value(daemons, key, opts, sizeof(opts)) : NULL;
	char **w;
	size_t n;
	if (vl_words_split(o ? o : d->options, &w, &n, why) < 0)
		return NULL;
	const char *user = frr_user(rootless);
	const char *profile = daemons ? daemons_value(daemons, "frr_profile", prof, sizeof(prof))
				      : NULL;
	const char *words[96];
	size_t k = 0;
	snprintf(path, sizeof(path), "%s/%s", frr_dir(), d->name);
	words[k++] = path;
	for (size_t i = 0; i < n && k < 80; i++)
		if (strcmp(w[i], "-d") && strcmp(w[i], "--daemon"))
			words[k++] = w[i];
	if (profile && *profile) {
		words[k++] = "-F";
		words[k++] = profile;
	}
	const char *tail[] = {"-u", user, "-g", user, "--log", "stdout"};
	for (size_t i = 0; i < 6; i++)
		words[k++] = tail[i];
	char **argv = argv_of(words, k);
	vl_words_free(w);
	return argv;
}

static int plan_frr(const char *daemons, const char *conf, bool rootless,
		    struct vl_svc_plan *p, struct vl_err *err)
{
	size_t len = 0;
	len += (size_t)snprintf(p->note, sizeof(p->note), "vnetlab: FRR daemons (from %s):",
				daemons ? "/etc/frr/daemons" : "frr.conf");
	for (size_t i = 0; i < N_FRR; i++) {
		if (!wanted(daemons, conf, &frr[i]))
			continue;
		const char *why = NULL;
		struct vl_svc_proc *x = add_proc(p, frr[i].name);
		if (!x || !(x->argv = frr_argv(&frr[i], daemons, rootless, &why)))
			return why ? vl_errf(err, "/etc/frr/daemons: %s_options: %s", frr[i].name,
					     why), -EINVAL
				   : (vl_errf(err, "out of memory"), -ENOMEM);
		snprintf(x->ready_path, sizeof(x->ready_path), "/run/frr/%s.vty", frr[i].name);
		if (len < sizeof(p->note))
			len += (size_t)snprintf(p->note + len, sizeof(p->note) - len, " %s",
						frr[i].name);
	}
	/* The configuration load, when there is a configuration (a bound
	 * /etc/frr may have none: the daemons then run as they start). */
	static const char *const boot[] = {"vtysh", "-b"};
	if (conf && !(p->post = argv_of(boot, 2)))
		return vl_errf(err, "out of memory"), -ENOMEM;
	return 0;
}

static int plan_bird(struct vl_svc_plan *p, struct vl_err *err)
{
	static const char *const bird[] = {"bird", "-f", "-c", "/etc/bird/bird.conf",
					   "-s", "/run/bird/bird.ctl"};
	struct vl_svc_proc *x = add_proc(p, "bird");
	if (!x || !(x->argv = argv_of(bird, 6)))
		return vl_errf(err, "out of memory"), -ENOMEM;
	snprintf(x->ready_path, sizeof(x->ready_path), "/run/bird/bird.ctl");
	return 0;
}

int vl_service_plan(const struct vl_service *s, const char *daemons, const char *conf,
		    bool rootless, struct vl_svc_plan *out, struct vl_err *err)
{
	*out = (struct vl_svc_plan){0};
	int rc;
	if (s->kind == VL_SVC_FRR) {
		rc = plan_frr(daemons, conf, rootless, out, err);
	} else if (s->kind == VL_SVC_BIRD) {
		rc = plan_bird(out, err);
	} else {
		struct vl_svc_proc *x = add_proc(out, s->name);
		rc = x && (x->argv = argv_dup(s->start)) &&
				     (!s->ready || (out->ready = argv_dup(s->ready))) &&
				     (!s->stop || (out->stop = argv_dup(s->stop)))
			     ? 0
			     : (vl_errf(err, "out of memory"), -ENOMEM);
	}
	if (rc < 0)
		vl_svc_plan_free(out);
	return rc;
}

/* ---- the view -------------------------------------------------------------- */

static bool bound_at(const struct vl_node *n, const char *path)
{
	for (size_t i = 0; i < n->n_binds; i++)
		if (!strcmp(n->binds[i].dst, path))
			return true;
	return false;
}

/* A directory of the service's own: made inside a private tmpfs of the
 * view, or a tmpfs itself where the host's directory would be shared. */
static int own_dir(struct vl_view *v, const char *path, const char *owner)
{
	static const struct vl_pos none;
	enum vl_view_kind k = vl_view_tmpfs_of(v, path) ? VL_VIEW_DIR : VL_VIEW_TMPFS;
	if (vl_view_add(v, k, path, NULL, NULL, 0, none) < 0)
		return -ENOMEM;
	snprintf(v->e[v->n - 1].owner, VL_VIEW_OWNER_MAX, "%s", owner);
	return 0;
}

static int default_file(struct vl_view *v, const char *path, const char *text)
{
	static const struct vl_pos none;
	if (vl_view_add(v, VL_VIEW_FILE, path, NULL, text, strlen(text), none) < 0)
		return -ENOMEM;
	v->e[v->n - 1].if_absent = true;
	return 0;
}

/* Rootless, FRR checks that the account it runs as (the node's root) is
 * in its vty group: a group file where it is, for the node only. */
static int frr_group_file(struct vl_view *v, const char *host)
{
	FILE *f = fopen(host ? host : "/etc/group", "re");
	if (!f)
		return 0;
	char *out = NULL, line[4096];
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	bool found = false;
	while (m && fgets(line, sizeof(line), f)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		bool vty = !strncmp(line, "frrvty:", 7);
		found = found || vty;
		/* name:pw:gid:members — members may be empty */
		fprintf(m, "%s%s%s\n", line, vty ? (l && line[l - 1] == ':' ? "" : ",") : "",
			vty ? "root" : "");
	}
	fclose(f);
	if (!m)
		return -ENOMEM;
	fclose(m);
	static const struct vl_pos none;
	int rc = found ? vl_view_add(v, VL_VIEW_FILE, "/etc/group", NULL, out, len, none) : 0;
	free(out);
	return rc;
}

static int view_frr(const struct vl_node *n, const struct vl_view_opts *o, struct vl_view *v)
{
	static const struct vl_pos none;
	const char *user = frr_user(o->rootless);
	int rc = 0;
	if (!bound_at(n, "/etc/frr"))
		rc = vl_view_add(v, VL_VIEW_TMPFS, "/etc/frr", NULL, NULL, 0, none);
	if (rc == 0)
		rc = default_file(v, "/etc/frr/vtysh.conf", "service integrated-vtysh-config\n");
	if (rc == 0)
		rc = default_file(v, "/etc/frr/frr.conf", "frr defaults traditional\n!\n");
	if (rc == 0)
		rc = own_dir(v, "/run/frr", strcmp(user, "root") ? user : "");
	if (rc == 0)
		rc = own_dir(v, "/var/log/frr", strcmp(user, "root") ? user : "");
	if (rc == 0 && o->rootless)
		rc = frr_group_file(v, o->group_file);
	return rc;
}

static int view_bird(const struct vl_node *n, struct vl_view *v)
{
	static const struct vl_pos none;
	int rc = 0;
	if (!bound_at(n, "/etc/bird"))
		rc = vl_view_add(v, VL_VIEW_TMPFS, "/etc/bird", NULL, NULL, 0, none);
	return rc == 0 ? own_dir(v, "/run/bird", "") : rc;
}

int vl_service_view(const struct vl_service *s, const struct vl_node *n,
		    const struct vl_view_opts *o, struct vl_view *v, struct vl_err *err)
{
	int rc = s->kind == VL_SVC_FRR ? view_frr(n, o, v)
		 : s->kind == VL_SVC_BIRD ? view_bird(n, v)
					  : 0;
	return rc < 0 ? vl_err_sys(err, -rc, "node %s: service %s", n->name, s->name) : 0;
}

/* ---- the host -------------------------------------------------------------- */

static bool bird_conf_given(const struct vl_node *n)
{
	for (size_t i = 0; i < n->n_files; i++)
		if (!strcmp(n->files[i].path, "/etc/bird/bird.conf"))
			return true;
	for (size_t i = 0; i < n->n_binds; i++) {
		char p[4200];
		struct stat st;
		snprintf(p, sizeof(p), "%s/bird.conf", n->binds[i].src);
		if (!strcmp(n->binds[i].dst, "/etc/bird/bird.conf") ||
		    (!strcmp(n->binds[i].dst, "/etc/bird") && stat(p, &st) == 0))
			return true;
	}
	return false;
}

static bool in_path(const char *prog)
{
	static const char *const dirs[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
					   "/usr/bin", "/sbin", "/bin"};
	char p[256];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dirs[i], prog);
		if (access(p, X_OK) == 0)
			return true;
	}
	return false;
}

int vl_service_host_check(const struct vl_service *s, const struct vl_node *n,
			  const char *file, struct vl_err *err)
{
	const char *lack = NULL, *pkg = NULL;
	char what[160];
	snprintf(what, sizeof(what), "FRR (%s/zebra and vtysh)", frr_dir());
	if (s->kind == VL_SVC_FRR && (!installed("zebra") || !in_path("vtysh")))
		lack = what, pkg = "frr";
	else if (s->kind == VL_SVC_BIRD && (!in_path("bird") || !in_path("birdc")))
		lack = "BIRD 2 (bird and birdc)", pkg = "bird2";
	if (lack)
		return vl_errf(err, "%s:%d:%d: error: node %s: service %s needs %s, which this "
			       "host lacks: install the Debian package %s", file, s->pos.line,
			       s->pos.col, n->name, s->name, lack, pkg), -ENOENT;
	if (s->kind == VL_SVC_BIRD && !bird_conf_given(n))
		return vl_errf(err, "%s:%d:%d: error: node %s: service bird needs the node's "
			       "/etc/bird/bird.conf: give it with files: or binds:", file,
			       s->pos.line, s->pos.col, n->name), -ENOENT;
	return 0;
}
