/* SPDX-License-Identifier: BSD-2-Clause */
/* vimage.c — FreeBSD's verbs over the Linux backend: `vnetlab jail`, `jls`,
 * `jexec`, `ngctl` and `ifconfig`, for people who think in vnet jails and
 * netgraph (see vimage.h and docs/freebsd.md).
 *
 * The host's jails and netgraph are a model in the state root
 * (.vimage-LAB.json, LAB = $VNETLAB_VIMAGE_LAB or "vimage"), changed under
 * a lock by each verb (src/vimage/).  A change to the graph (a jail, a
 * node, a hook, moving an interface) rebuilds the lab from the model;
 * what `ifconfig` does to one interface inside a jail (name, MAC, MTU,
 * addresses, up) is applied to the running interface as well, so shells
 * and daemons inside jails keep running.  `vnetlab jexec JAIL
 * ifconfig|ngctl|jls ...` runs these verbs inside the jail, as on
 * FreeBSD.  Here: the words, the order of the steps, and what is said.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/statefile.h"
#include "vnetlab/vimage.h"

static const char *lab_name(void)
{
	const char *s = getenv("VNETLAB_VIMAGE_LAB");
	return s && *s && !vl_check_lab_name(s) ? s : "vimage";
}

/* A running lab's keeper becomes topology t: it is handed t as a
 * document in the lab's directory ("apply" takes a file), gone after. */
static int apply_topo(const struct vl_lab_paths *p, const struct vl_topo *t,
		      struct vl_err *err)
{
	char path[sizeof(p->dir) + 32];
	snprintf(path, sizeof(path), "%s/topology.vimage.json", p->dir);
	char *text = vl_vimage_topo_text(t);
	int rc = text ? vl_file_write_atomic(path, text, err) : vl_err_sys(err, ENOMEM, "%s", path);
	free(text);
	if (rc == 0)
		rc = cli_apply_file(p, path, err);
	unlink(path);
	return rc;
}

/* The lab becomes topology t (taken, freed): a running lab changes only
 * what differs, so jails and nodes the change does not touch, and their
 * processes, live on (as a jail made or removed on FreeBSD touches no
 * other); a lab not running is brought up. */
static int rebuild(struct vl_vimage_store *s, struct vl_topo *t, struct vl_err *err)
{
	struct vl_lab_paths p;
	int rc = vl_vimage_lab(s, &p, err);
	bool alive = rc == 0 && vl_lab_alive(&p);
	if (alive)
		rc = apply_topo(&p, t, err);
	if (rc < 0 || alive) {
		vl_topo_free(t);
		return rc;
	}
	struct cli_up_args a = {.topo = t, .name = s->lab, .quiet = true, .no_netns = true};
	rc = cli_up(&a, &t, err);
	vl_topo_free(t);
	return rc;
}

/* A graph change made in s->m: checked (the topology it makes), built
 * (the lab becomes it), then saved; rc < 0 leaves the saved model as it
 * was. */
static int commit(struct vl_vimage_store *s, struct vl_err *err)
{
	struct vl_topo *t;
	int rc = vl_vimage_build(s->m, s->json, &t, err);
	if (rc == 0)
		rc = rebuild(s, t, err);
	if (rc == 0)
		rc = vl_vimage_save(s, err);
	return rc;
}

/* ---- jail, jls ------------------------------------------------------------------- */

static int jail_remove(const char *name)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_vimage_store s;
	char *notes = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&notes, &len);
	int rc = f ? vl_vimage_open(&s, lab_name(), &err) : vl_err_sys(&err, ENOMEM, "jail");
	if (rc == 0)
		rc = vl_vimage_jail_remove(s.m, name, f, &err);
	if (rc == 0)
		rc = commit(&s, &err);
	if (f) {
		vl_vimage_close(&s);
		fclose(f);
	}
	/* Which interfaces came home under another name, once they have. */
	if (rc == 0 && notes)
		fputs(notes, stderr);
	free(notes);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_jail(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return jail_remove(argv[2]);
	if (argc < 2 || strcmp(argv[1], "-c"))
		return cli_usage("jail");
	struct vl_err err;
	vl_err_init(&err);
	const char *name = NULL, *host = NULL;
	bool vnet = false;
	for (int i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "name=", 5))
			name = argv[i] + 5;
		else if (!strncmp(argv[i], "host.hostname=", 14))
			host = argv[i] + 14;
		else if (!strcmp(argv[i], "vnet") || !strcmp(argv[i], "vnet=new"))
			vnet = true;
		/* path=, persist, allow.* ...: the jail shares the host's
		 * files, as a vnetlab node does. */
	}
	if (!name)
		return vl_errf(&err, "jail: name= is required"), cli_fail(&err);
	if (!vnet)
		return vl_errf(&err, "jail: %s: vnetlab makes vnet jails only (add: vnet)", name),
		       cli_fail(&err);
	struct vl_vimage_store s;
	int rc = vl_vimage_open(&s, lab_name(), &err);
	if (rc == 0)
		rc = vl_vimage_jail_create(s.m, name, host, &err);
	if (rc == 0)
		rc = commit(&s, &err);
	vl_vimage_close(&s);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* jls of a lab that is not running: no jail of it runs, so none is
 * listed, and why is said. */
static void jls_gone(struct json_object *m, const char *lab)
{
	struct json_object *js = json_object_object_get(m, "jails");
	fprintf(stderr, "vnetlab: jls: lab '%s' is not running, so none of its jails is; "
		"its model still has %zu:", lab, json_object_array_length(js));
	for (size_t i = 0; i < json_object_array_length(js); i++)
		fprintf(stderr, " %s", json_object_get_string(json_object_object_get(
					       json_object_array_get_idx(js, i), "name")));
	fprintf(stderr, "\nvnetlab: jls: `vnetlab down %s` forgets them; a jail -c, ngctl "
		"or ifconfig change brings the lab up again\n", lab);
}

int cmd_jls(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("jls");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_vimage_store s;
	if (vl_vimage_open(&s, lab_name(), &err) < 0)
		return vl_vimage_close(&s), cli_fail(&err);
	/* The lab died, or its state directory was removed. */
	bool gone = vl_vimage_saved(&s) && !vl_vimage_running(&s);
	struct json_object *empty = gone ? vl_vimage_new(s.lab) : NULL;
	vl_vimage_jls(gone ? empty : s.m, stdout);
	if (gone)
		jls_gone(s.m, s.lab);
	json_object_put(empty);
	vl_vimage_close(&s);
	return gone ? 1 : 0;
}

/* ---- ngctl --------------------------------------------------------------------------- */

/* One line into words; braces and '=' stay inside words ("{", "delay=1"). */
static int words(char *line, char **w, int max)
{
	int n = 0;
	for (char *save, *t = strtok_r(line, " \t\r\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (*t == '#')
			break;
		w[n++] = t;
	}
	return n;
}

/* ngctl -f FILE ("-": stdin): one invocation, line by line, stopped at
 * the first refusal, which names its line. */
static int script(struct json_object *m, const char *file, bool *changed, struct vl_err *err)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	if (!f)
		return vl_err_sys(err, errno, "%s", file);
	char line[4096], *w[64];
	int rc = 0;
	for (int ln = 1; rc == 0 && fgets(line, sizeof(line), f); ln++) {
		int n = words(line, w, 64);
		if (n && (rc = vl_vimage_ngctl(m, n, w, stdout, changed, err)) < 0)
			vl_errf(err, "%s: line %d", file, ln);
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

int cmd_ngctl(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("ngctl");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_vimage_store s;
	if (vl_vimage_open(&s, lab_name(), &err) < 0)
		return vl_vimage_close(&s), cli_fail(&err);
	bool changed = false;
	int rc = !strcmp(argv[1], "-f") && argc == 3
			 ? script(s.m, argv[2], &changed, &err)
			 : vl_vimage_ngctl(s.m, argc - 1, argv + 1, stdout, &changed, &err);
	/* ngctl's socket node goes when ngctl exits, and with it whatever
	 * only it held (FreeBSD does the same). */
	vl_vimage_ngctl_done(s.m);
	if (changed && rc == 0)
		rc = commit(&s, &err);
	else if (rc == 0 && vl_vimage_saved(&s) && vl_vimage_changed(&s))
		rc = vl_vimage_save(&s, &err); /* setpersistent: nothing the lab shows */
	vl_vimage_close(&s);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* ---- ifconfig -------------------------------------------------------------------------- */

/* A settings change (not a listing) the model took: checked, then made —
 * to the running interface alone when only one interface's settings
 * changed in a running lab (before: that interface as it was), else by
 * rebuilding — and saved once the lab has it. */
static int ifconfig_commit(struct vl_vimage_store *s, const char *where, bool graph,
			   struct json_object *before, struct json_object *iface,
			   struct vl_err *err)
{
	struct vl_topo *t;
	int rc = vl_vimage_build(s->m, s->json, &t, err);
	if (rc < 0)
		return rc;
	if (graph || !before || !vl_vimage_running(s)) {
		rc = rebuild(s, t, err);
	} else {
		vl_topo_free(t);
		rc = vl_vimage_live(s, where, before, iface, err);
	}
	return rc < 0 ? rc : vl_vimage_save(s, err);
}

int cmd_ifconfig(int argc, char **argv)
{
	const char *where = getenv("VNETLAB_JAIL");
	where = where && *where ? where : VL_VIMAGE_HOST;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_vimage_store s;
	if (vl_vimage_open(&s, lab_name(), &err) < 0)
		return vl_vimage_close(&s), cli_fail(&err);
	/* ifconfig, ifconfig -a, ifconfig IF: a listing. */
	if (argc <= 2)
		vl_vimage_real_macs(&s, where);
	/* A copy of the interface as it was, to change the live one by. */
	struct json_object *was = vl_vimage_ifconfig_iface(s.m, where, argc - 1, argv + 1);
	struct json_object *before = NULL, *iface = NULL;
	if (was)
		json_object_deep_copy(was, &before, NULL);
	bool changed = false;
	int rc = vl_vimage_ifconfig(s.m, where, argc - 1, argv + 1, stdout, &changed, &iface,
				    &err);
	/* The change reaches the lab first, the disk after: a refusal by the
	 * check or the kernel leaves the saved model as it was.  A lab that
	 * is not running is brought up from the model with the change. */
	if (rc == 0 && argc > 2 && (iface || changed))
		rc = ifconfig_commit(&s, where, changed, before, iface, &err);
	json_object_put(before);
	vl_vimage_close(&s);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* ---- jexec ---------------------------------------------------------------------------------- */

int cmd_jexec(int argc, char **argv)
{
	if (argc < 3)
		return cli_usage("jexec");
	const char *jail = argv[1];
	struct vl_err err;
	vl_err_init(&err);
	struct vl_vimage_store s;
	if (vl_vimage_open(&s, lab_name(), &err) < 0)
		return vl_vimage_close(&s), cli_fail(&err);
	bool known = vl_vimage_has_jail(s.m, jail) || !strcmp(jail, VL_VIMAGE_HOST);
	char lab[VL_LABNAME_MAX + 1];
	snprintf(lab, sizeof(lab), "%s", s.lab);
	vl_vimage_close(&s);
	if (!known)
		return vl_errf(&err, "jexec: jail \"%s\" not found", jail), cli_fail(&err);
	setenv("VNETLAB_JAIL", jail, 1);
	/* FreeBSD's tools inside the jail are vnetlab's verbs. */
	static char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	bool verb = !strcmp(argv[2], "ifconfig") || !strcmp(argv[2], "ngctl") ||
		    !strcmp(argv[2], "jls");
	char **x = calloc((size_t)argc + 6, sizeof(char *));
	if (!x)
		return 1;
	int k = 0;
	x[k++] = "exec";
	x[k++] = lab;
	x[k++] = (char *)jail;
	x[k++] = "--";
	if (verb)
		x[k++] = self;
	for (int i = 2; i < argc; i++)
		x[k++] = argv[i];
	int rc = cmd_exec(k, x);
	free(x);
	return rc;
}
