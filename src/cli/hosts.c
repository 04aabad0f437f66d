/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts.c — the verbs of a lab over several hosts (docs/multihost.md):
 * `up --hosts`, and down, exec, check, inspect, ls and cleanup of such a
 * lab, which find its hosts in the controller's record (multihost.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/check.h"
#include "vnetlab/multihost.h"
#include "vnetlab/place.h"

bool cli_mh_is(const char *lab)
{
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	return vl_check_lab_name(lab) == NULL &&
	       vl_state_root(root, sizeof(root), false, &err) == 0 && vl_mh_exists(root, lab);
}

static int mh_open(const char *lab, struct vl_mh_lab *m, struct vl_err *err)
{
	char root[PATH_MAX / 2 - 64];
	int rc = vl_state_root(root, sizeof(root), false, err);
	return rc < 0 ? rc : vl_mh_open(root, lab, m, err);
}

int cli_up_hosts(struct cli_up_args *a, const char *hosts_file, struct vl_err *err)
{
	struct vl_topo *t = a->topo;
	a->topo = NULL;
	int rc = t ? 0 : cli_load(a->file, &t, err);
	if (rc < 0)
		return rc;
	if (a->name) {
		const char *why = vl_check_lab_name(a->name);
		if (why) {
			vl_topo_free(t);
			return vl_errf(err, "--name '%s' %s", a->name, why), -EINVAL;
		}
		snprintf(t->name, sizeof(t->name), "%s", a->name);
	}
	struct vl_hosts *h = NULL;
	struct vl_placement p = {0};
	char root[PATH_MAX / 2 - 64];
	if ((rc = vl_hosts_load_file(hosts_file, &h, err)) == 0 &&
	    (rc = vl_place(t, h, &p, err)) == 0)
		rc = vl_state_root(root, sizeof(root), true, err);
	if (rc == 0) {
		if (!a->quiet) {
			fprintf(stderr, "vnetlab: lab '%s' over %zu hosts (%s: %zu cross-host "
				"link%s):\n", t->name, h->n, p.method, p.cut, p.cut == 1 ? "" : "s");
			for (size_t i = 0; i < h->n; i++)
				fprintf(stderr, "vnetlab:   %s (%s): %zu node%s\n", h->hosts[i].name,
					h->hosts[i].ssh, p.load[i], p.load[i] == 1 ? "" : "s");
		}
		struct vl_mh_up_opts o = {.report = a->quiet ? NULL : stderr, .file = a->file};
		rc = vl_mh_up(t, h, &p, root, &o, err);
		if (rc == 0 && !a->quiet)
			fprintf(stderr, "vnetlab: lab '%s' up over %zu hosts: %zu nodes, %zu "
				"links, %zu through VXLAN\n", t->name, h->n, t->n_nodes, t->n_links,
				p.cut);
	}
	if (rc == 0)
		printf("%s\n", t->name);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
	return rc;
}

int cli_mh_down(const char *lab)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_mh_lab m;
	if (mh_open(lab, &m, &err) < 0)
		return cli_fail(&err);
	int rc = vl_mh_down(&m, stderr, &err);
	if (rc == 0)
		fprintf(stderr, "vnetlab: lab '%s' down on %zu hosts\n", lab, m.n_hosts);
	vl_mh_close(&m);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* This process becomes ssh running `vnetlab ARGS...` on the host of
 * node: stdin, stdout, stderr and the exit status are the remote
 * command's (exec with a terminal gets one there too). */
int cli_mh_forward(const char *lab, const char *node, const char *const *args, bool tty)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_mh_lab m;
	if (mh_open(lab, &m, &err) < 0)
		return cli_fail(&err);
	long h = vl_mh_host_of(&m, node);
	if (h < 0) {
		vl_errf(&err, "lab '%s' has no node '%s' on any of its %zu hosts", lab, node,
			m.n_hosts);
		vl_mh_close(&m);
		return cli_fail(&err);
	}
	char **argv = vl_remote_argv(&m.hosts[h], m.ctl, args, tty);
	if (argv) {
		fflush(NULL);
		execvp(argv[0], argv);
		vl_err_sys(&err, errno, "cannot run %s", argv[0]);
	} else {
		vl_errf(&err, "out of memory");
	}
	vl_remote_argv_free(argv);
	vl_mh_close(&m);
	return cli_fail(&err);
}

static const char *strv(struct json_object *o, const char *k)
{
	const char *s = json_object_get_string(json_object_object_get(o, k));
	return s ? s : "-";
}

int cli_mh_inspect(const char *lab, bool json)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_mh_lab m;
	if (mh_open(lab, &m, &err) < 0)
		return cli_fail(&err);
	struct json_object *st = vl_mh_inspect(&m, &err);
	vl_mh_close(&m);
	if (!st)
		return cli_fail(&err);
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(st);
		return 0;
	}
	struct json_object *hs = json_object_object_get(st, "hosts"),
			   *pl = json_object_object_get(st, "placement");
	printf("lab %s  over %zu hosts  placement %s, %s cross-host links\n", lab,
	       json_object_array_length(hs), strv(pl, "method"), strv(pl, "cut"));
	for (size_t i = 0; i < json_object_array_length(hs); i++) {
		struct json_object *h = json_object_array_get_idx(hs, i);
		printf("host %s  ssh %s  underlay %s  %zu nodes\n", strv(h, "name"), strv(h, "ssh"),
		       strv(h, "underlay"),
		       json_object_array_length(json_object_object_get(h, "nodes")));
	}
	printf("\n");
	struct json_object *nodes = json_object_object_get(st, "nodes");
	for (size_t i = 0; i < json_object_array_length(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		printf("node %-15s %-8s on %s\n", strv(n, "name"), strv(n, "kind"), strv(n, "host"));
	}
	struct json_object *links = json_object_object_get(st, "links");
	printf("\nlinks:\n");
	for (size_t l = 0; l < json_object_array_length(links); l++) {
		struct json_object *x = json_object_array_get_idx(links, l);
		printf("[%s] ", strv(x, "host"));
		cli_print_link(x);
	}
	json_object_put(st);
	return 0;
}

/* The state each host probes with: every node of the lab, those of other
 * hosts marked remote (targets only). */
static char *state_for(struct json_object *all, const char *host)
{
	struct json_object *copy = NULL;
	if (json_object_deep_copy(all, &copy, NULL) < 0)
		return NULL;
	struct json_object *nodes = json_object_object_get(copy, "nodes");
	for (size_t i = 0; i < json_object_array_length(nodes); i++) {
		struct json_object *n = json_object_array_get_idx(nodes, i);
		json_object_object_add(n, "remote",
				       json_object_new_boolean(strcmp(strv(n, "host"), host) != 0));
	}
	const char *s = json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN);
	char *out = s ? strdup(s) : NULL;
	json_object_put(copy);
	return out;
}

/* Every host's report into one check over the whole lab. */
static int merge_reports(const struct vl_mh_lab *m, struct vl_mh_answer *ans,
			 struct vl_check *c, struct vl_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < m->n_hosts && rc == 0; i++) {
		if (ans[i].rc < 0 || ans[i].r.status > 1) {
			char why[1536];
			vl_mh_answer_why(m, i, &ans[i], why, sizeof(why));
			rc = (vl_errf(err, "%s", why), -EIO);
			break;
		}
		struct json_object *rep = json_tokener_parse(ans[i].r.out);
		if (!rep)
			rc = (vl_errf(err, "host %s: `check --json` did not answer JSON",
				     m->hosts[i].name), -EIO);
		else
			rc = vl_check_add_json(c, rep, err);
		json_object_put(rep);
	}
	return rc;
}

int cli_mh_check(const char *lab, bool json, unsigned count, double timeout_ms)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_mh_lab m;
	if (mh_open(lab, &m, &err) < 0)
		return cli_fail(&err), 2;
	struct json_object *all = vl_mh_inspect(&m, &err);
	if (!all) {
		vl_mh_close(&m);
		return cli_fail(&err), 2;
	}
	char **in = calloc(m.n_hosts, sizeof(*in));
	for (size_t i = 0; in && i < m.n_hosts; i++)
		in[i] = state_for(all, m.hosts[i].name);
	char cnt[16], to[32];
	snprintf(cnt, sizeof(cnt), "%u", count);
	snprintf(to, sizeof(to), "%g", timeout_ms);
	const char *args[] = {"check", "--json", "--state", "-", "--count", cnt,
			      "--timeout", to, lab, NULL};
	struct vl_mh_answer *ans = calloc(m.n_hosts, sizeof(*ans));
	struct vl_check c = {.opts = {.count = count, .timeout_ms = timeout_ms},
			     .state = all};
	int rc = -ENOMEM;
	if (in && ans) {
		vl_mh_each(&m, args, (const char *const *)in, NULL,
			   (int)(60000 + timeout_ms * 2), false, ans);
		rc = merge_reports(&m, ans, &c, &err);
	} else {
		vl_errf(&err, "out of memory");
	}
	int status = 2;
	if (rc == 0) {
		json_object_object_add(all, "name", json_object_new_string(lab));
		if (json) {
			struct json_object *j = vl_check_json(&c);
			printf("%s\n", json_object_to_json_string_ext(
					       j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
			json_object_put(j);
		} else {
			printf("lab %s (over %zu hosts)\n", lab, m.n_hosts);
			vl_check_print_matrix(&c, stdout);
		}
		status = vl_check_ok(&c) ? 0 : 1;
	} else {
		cli_fail(&err);
	}
	if (ans)
		vl_mh_answers_free(ans, m.n_hosts);
	for (size_t i = 0; in && i < m.n_hosts; i++)
		free(in[i]);
	free(in);
	free(ans);
	vl_check_free(&c); /* puts all */
	vl_mh_close(&m);
	return status;
}

struct ls_ctx {
	const char *root;
	bool json;  /* ls --json */
	bool all;   /* cleanup --all */
	struct json_object *list;
	int n;
};

static int ls_one(const char *lab, void *arg)
{
	struct ls_ctx *x = arg;
	struct vl_mh_lab m;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_mh_open(x->root, lab, &m, &err) < 0)
		return 0;
	x->n++;
	struct json_object *hs = json_object_object_get(m.rec, "hosts");
	size_t nodes = 0;
	char names[256] = "";
	for (size_t i = 0; i < m.n_hosts; i++) {
		nodes += json_object_array_length(
			json_object_object_get(json_object_array_get_idx(hs, i), "nodes"));
		size_t l = strlen(names);
		snprintf(names + l, sizeof(names) - l, "%s%s", i ? "," : "", m.hosts[i].name);
	}
	if (x->json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(lab));
		json_object_object_add(o, "state", json_object_new_string(vl_mh_state(&m)));
		json_object_object_add(o, "nodes", json_object_new_int64((int64_t)nodes));
		json_object_object_add(o, "hosts", json_object_get(hs));
		json_object_array_add(x->list, o);
	} else {
		printf("%-20s %-10s %6zu nodes  hosts %s\n", lab, vl_mh_state(&m), nodes, names);
	}
	vl_mh_close(&m);
	return 0;
}

int cli_mh_ls(bool json, struct json_object *list)
{
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) < 0)
		return 0;
	struct ls_ctx x = {.root = root, .json = json, .list = list};
	vl_mh_foreach(root, ls_one, &x);
	return x.n;
}

static int cleanup_one(const char *lab, void *arg)
{
	struct ls_ctx *x = arg;
	struct vl_mh_lab m;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_mh_open(x->root, lab, &m, &err) < 0)
		return 0;
	/* An up still building is another vnetlab's, unless it died. */
	int pid = json_object_get_int(json_object_object_get(m.rec, "controller_pid"));
	bool building = !strcmp(vl_mh_state(&m), "building") && pid > 0 && kill(pid, 0) == 0;
	bool stale = strcmp(vl_mh_state(&m), "up") != 0 && !building;
	if (stale || x->all) {
		if (vl_mh_down(&m, NULL, &err) == 0)
			printf("%s lab %s on %zu hosts\n", stale ? "removed stale" : "stopped", lab,
			       m.n_hosts);
		else
			cli_fail(&err);
	}
	vl_mh_close(&m);
	return 0;
}

int cli_mh_cleanup(bool all)
{
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) < 0)
		return 0;
	struct ls_ctx x = {.root = root, .all = all};
	return vl_mh_foreach(root, cleanup_one, &x);
}

static int print_name(const char *lab, void *arg)
{
	(void)arg;
	printf("%s\n", lab);
	return 0;
}

void cli_mh_complete(const char *lab)
{
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) < 0)
		return;
	if (!lab) {
		vl_mh_foreach(root, print_name, NULL);
		return;
	}
	struct vl_mh_lab m;
	if (vl_mh_open(root, lab, &m, &err) < 0)
		return;
	struct json_object *hs = json_object_object_get(m.rec, "hosts");
	for (size_t i = 0; i < m.n_hosts; i++) {
		struct json_object *ns =
			json_object_object_get(json_object_array_get_idx(hs, i), "nodes");
		for (size_t j = 0; j < json_object_array_length(ns); j++)
			printf("%s\n", json_object_get_string(json_object_array_get_idx(ns, j)));
	}
	vl_mh_close(&m);
}

/* The tunnel joining hook a and hook b of lab m, or NULL; *flip when the
 * record names them the other way round. */
static struct json_object *tunnel_of(const struct vl_mh_lab *m, const char *a, const char *b)
{
	struct json_object *ts = json_object_object_get(m->rec, "tunnels");
	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		struct json_object *t = json_object_array_get_idx(ts, i);
		struct json_object *e = json_object_object_get(t, "ends");
		const char *x = strv(json_object_array_get_idx(e, 0), "hook");
		const char *y = strv(json_object_array_get_idx(e, 1), "hook");
		if ((!strcmp(x, a) && !strcmp(y, b)) || (!strcmp(x, b) && !strcmp(y, a)))
			return t;
	}
	return NULL;
}

static bool is_dir_word(const char *w)
{
	return !strcmp(w, "downstream") || !strcmp(w, "upstream") || !strcmp(w, "both");
}

/* One end's words for a link across hosts: that end's tunnel (HOOK
 * vxlan:VNI), and of `set` the parameters of the direction leaving it
 * (mine: "downstream" for the end the user named first), as downstream.
 * NULL-terminated into out (at most 72 words); false when a `set` leaves
 * this end nothing to do. */
static bool end_words(const char *lab, const char *hook, const char *vx, char **w, int n,
		      const char *mine, const char **out)
{
	int k = 0;
	out[k++] = "link", out[k++] = lab, out[k++] = hook, out[k++] = vx;
	if (n < 3) {
		out[k] = NULL;
		return true;
	}
	out[k++] = w[2];
	bool any = strcmp(w[2], "set") != 0;
	if (!any)
		out[k++] = "downstream";
	const char *dir = "both";
	for (int i = 3; i < n && k < 68; i++) {
		if (!strcmp(w[2], "set") && is_dir_word(w[i])) {
			dir = w[i];
			continue;
		}
		bool take = strcmp(w[2], "set") || !strcmp(dir, "both") || !strcmp(dir, mine);
		if (take) {
			out[k++] = w[i];
			any = true;
		}
		/* a parameter and its value go together */
		if (!strcmp(w[2], "set") && i + 1 < n && !is_dir_word(w[i + 1])) {
			if (take)
				out[k++] = w[i + 1];
			i++;
		}
	}
	out[k] = NULL;
	return any;
}

/* --json and --force after the words, for the remote end. */
static void add_flags(const char **args, bool json, bool force)
{
	size_t k = 0;
	while (args[k])
		k++;
	if (json)
		args[k++] = "--json";
	if (force)
		args[k++] = "--force";
	args[k] = NULL;
}

int cli_mh_link(const char *lab, int n, char **w, bool json, bool force)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_mh_lab m;
	if (mh_open(lab, &m, &err) < 0)
		return cli_fail(&err);
	char na[VL_NAME_MAX + 1], nb[VL_NAME_MAX + 1];
	snprintf(na, sizeof(na), "%.*s", (int)strcspn(w[0], ":"), w[0]);
	snprintf(nb, sizeof(nb), "%.*s", (int)strcspn(w[1], ":"), w[1]);
	long ha = vl_mh_host_of(&m, na), hb = vl_mh_host_of(&m, nb);
	if (ha < 0 || hb < 0) {
		vl_errf(&err, "lab '%s' has no node '%s' on any host", lab, ha < 0 ? na : nb);
		vl_mh_close(&m);
		return cli_fail(&err);
	}
	if (ha == hb) {
		/* both ends on one host: the verb as it is, there */
		const char *args[72] = {"link", lab};
		for (int i = 0; i < n && i < 67; i++)
			args[2 + i] = w[i];
		add_flags(args, json, force);
		vl_mh_close(&m);
		return cli_mh_forward(lab, na, args, false);
	}
	struct json_object *t = tunnel_of(&m, w[0], w[1]);
	if (!t) {
		vl_errf(&err, "lab '%s' has no link %s <-> %s", lab, w[0], w[1]);
		vl_mh_close(&m);
		return cli_fail(&err);
	}
	char vx[32];
	snprintf(vx, sizeof(vx), "vxlan:%s", strv(t, "vni"));
	int status = 0;
	for (int side = 0; side < 2; side++) {
		const char *args[72];
		long h = side ? hb : ha;
		if (!end_words(lab, w[side], vx, w, n, side ? "upstream" : "downstream", args))
			continue;
		add_flags(args, json, force);
		struct vl_remote_result r;
		struct vl_err e;
		vl_err_init(&e);
		int rc = vl_remote_run(&m.hosts[h], m.ctl, args, NULL, 0, 60000, &r, &e);
		printf("%s (host %s, the %s end):\n%s", side ? w[1] : w[0], m.hosts[h].name,
		       side ? "upstream" : "downstream", rc == 0 ? r.out : "");
		if (rc < 0 || r.status != 0) {
			struct vl_mh_answer a = {.r = r, .rc = rc, .err = e};
			char why[1536];
			vl_mh_answer_why(&m, (size_t)h, &a, why, sizeof(why));
			fprintf(stderr, "vnetlab: %s\n", why);
			status = 1;
		}
		vl_remote_result_free(&r);
	}
	vl_mh_close(&m);
	return status;
}

int cli_mh_graph_load(const char *lab, struct vl_topo **t, struct json_object **state,
		      struct vl_err *err)
{
	struct vl_mh_lab m;
	int rc = mh_open(lab, &m, err);
	if (rc < 0)
		return rc;
	const char *doc = json_object_to_json_string_ext(
		json_object_object_get(m.rec, "topology"), JSON_C_TO_STRING_PLAIN);
	rc = doc ? vl_topo_load_buffer(m.path, doc, strlen(doc), t, err) : -EINVAL;
	if (rc == 0 && !(*state = vl_mh_inspect(&m, err))) {
		vl_topo_free(*t);
		*t = NULL;
		rc = -EIO;
	}
	vl_mh_close(&m);
	return rc;
}
