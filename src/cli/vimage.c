/* SPDX-License-Identifier: BSD-2-Clause */
/* vimage.c — FreeBSD's verbs over the Linux backend: `vnetlab jail`, `jls`,
 * `jexec`, `ngctl` and `ifconfig`, for people who think in vnet jails and
 * netgraph (see vimage.h and docs/freebsd.md).
 *
 * The host's jails and netgraph are a model in the state root
 * (.vimage-LAB.json, LAB = $VNETLAB_VIMAGE_LAB or "vimage"), changed under
 * a lock by each verb.  A change to the graph (a jail, a node, a hook,
 * moving an interface) rebuilds the lab from the model; what `ifconfig`
 * does to one interface inside a jail (name, MAC, MTU, addresses, up) is
 * applied to the running interface as well, so shells and daemons inside
 * jails keep running.  `vnetlab jexec JAIL ifconfig|ngctl|jls ...` runs
 * these verbs inside the jail, as on FreeBSD.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/statefile.h"
#include "vnetlab/ctl.h"
#include "vnetlab/ifctl.h"
#include "vnetlab/node.h"
#include "vnetlab/vimage.h"

struct model {
	char lab[VL_LABNAME_MAX + 1];
	char root[PATH_MAX / 2 - 64];
	char json[PATH_MAX];
	int lock;
	struct json_object *m;
	char *text; /* the model as opened, to tell a change */
};

static const char *lab_name(void)
{
	const char *s = getenv("VNETLAB_VIMAGE_LAB");
	return s && *s && !vl_check_lab_name(s) ? s : "vimage";
}

/* The model, locked for this verb's whole run. */
static int open_model(struct model *md, struct vl_err *err)
{
	snprintf(md->lab, sizeof(md->lab), "%s", lab_name());
	int rc = vl_state_root(md->root, sizeof(md->root), true, err);
	if (rc < 0)
		return rc;
	snprintf(md->json, sizeof(md->json), "%s/.vimage-%s.json", md->root, md->lab);
	char lock[PATH_MAX + 8];
	snprintf(lock, sizeof(lock), "%s.lock", md->json);
	/* close_model removes the lock file when no model is left; whoever
	 * waited on that file holds a lock nobody else sees: try again. */
	for (;;) {
		md->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (md->lock < 0 || flock(md->lock, LOCK_EX) < 0)
			return vl_err_sys(err, errno, "%s", lock);
		struct stat held, named;
		if (fstat(md->lock, &held) == 0 && stat(lock, &named) == 0 &&
		    held.st_ino == named.st_ino && held.st_dev == named.st_dev)
			break;
		close(md->lock);
	}
	md->m = access(md->json, F_OK) == 0 ? json_object_from_file(md->json)
					     : vl_vimage_new(md->lab);
	if (!md->m)
		return vl_errf(err, "%s: cannot read the jails' model", md->json), -EIO;
	md->text = strdup(json_object_to_json_string_ext(md->m, JSON_C_TO_STRING_PRETTY));
	return md->text ? 0 : vl_err_sys(err, ENOMEM, "%s", md->json);
}

/* A verb that leaves no model (jls after down, a refused first jail -c)
 * leaves no lock file either: nothing of the verbs outlives their lab. */
static void close_model(struct model *md)
{
	json_object_put(md->m);
	free(md->text);
	if (md->lock >= 0 && access(md->json, F_OK) != 0) {
		char lock[PATH_MAX + 8];
		snprintf(lock, sizeof(lock), "%s.lock", md->json);
		unlink(lock);
	}
	if (md->lock >= 0)
		close(md->lock);
}

/* The model goes to disk only once the lab has taken the change (commit
 * below): so the saved model is always what runs, and a change that the
 * check, the build or the kernel refuses leaves it as it was. */
static int write_model(struct model *md, struct vl_err *err)
{
	return vl_file_write_atomic(
		md->json, json_object_to_json_string_ext(md->m, JSON_C_TO_STRING_PRETTY), err);
}

static bool lab_running(const struct model *md)
{
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	return vl_lab_paths(md->root, md->lab, &p, &err) == 0 && vl_lab_alive(&p);
}

static bool has_model(const struct model *md)
{
	return access(md->json, F_OK) == 0;
}

static int rebuild(struct model *md, struct vl_err *err);

/* A graph change made in md->m: checked, then built (the lab becomes the
 * model), then saved; rc < 0 leaves the saved model as it was. */
static int commit(struct model *md, struct vl_err *err)
{
	int rc = vl_vimage_check(md->m, err);
	if (rc == 0)
		rc = rebuild(md, err);
	if (rc == 0)
		rc = write_model(md, err);
	return rc;
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

/* The graph changed: the lab becomes what the model says. */
static int rebuild(struct model *md, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	struct vl_lab_paths p;
	int rc = vl_vimage_topo(md->m, md->json, &t, err);
	if (rc == 0)
		rc = vl_lab_paths(md->root, md->lab, &p, err);
	/* A running lab changes only what differs: jails and nodes the
	 * change does not touch, and their processes, live on (as a jail
	 * made or removed on FreeBSD touches no other). */
	if (rc == 0 && vl_lab_alive(&p)) {
		rc = apply_topo(&p, t, err);
		vl_topo_free(t);
		return rc;
	}
	if (rc < 0) {
		vl_topo_free(t);
		return rc;
	}
	struct cli_up_args a = {.topo = t, .name = md->lab, .quiet = true, .no_netns = true};
	rc = cli_up(&a, &t, err);
	vl_topo_free(t);
	return rc;
}

/* ---- jail, jls ------------------------------------------------------------------- */

int cmd_jail(int argc, char **argv)
{
	struct vl_err err;
	vl_err_init(&err);
	if (argc == 3 && !strcmp(argv[1], "-r")) {
		struct model md = {.lock = -1};
		char *notes = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&notes, &len);
		int rc = f ? open_model(&md, &err) : vl_err_sys(&err, ENOMEM, "jail");
		if (rc == 0)
			rc = vl_vimage_jail_remove(md.m, argv[2], f, &err);
		if (rc == 0)
			rc = commit(&md, &err);
		close_model(&md);
		if (f)
			fclose(f);
		/* Which interfaces came home under another name, once they have. */
		if (rc == 0 && notes)
			fputs(notes, stderr);
		free(notes);
		return rc < 0 ? cli_fail(&err) : 0;
	}
	if (argc < 2 || strcmp(argv[1], "-c"))
		return cli_usage("jail");
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
	struct model md = {.lock = -1};
	int rc = open_model(&md, &err);
	if (rc == 0)
		rc = vl_vimage_jail_create(md.m, name, host, &err);
	if (rc == 0)
		rc = commit(&md, &err);
	close_model(&md);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_jls(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("jls");
	struct vl_err err;
	vl_err_init(&err);
	struct model md = {.lock = -1};
	if (open_model(&md, &err) < 0)
		return close_model(&md), cli_fail(&err);
	/* No jail of a lab that is not running runs: list none, and say why
	 * (the lab died, or its state directory was removed). */
	bool gone = has_model(&md) && !lab_running(&md);
	struct json_object *empty = gone ? vl_vimage_new(md.lab) : NULL;
	vl_vimage_jls(gone ? empty : md.m, stdout);
	if (gone) {
		struct json_object *js = json_object_object_get(md.m, "jails");
		fprintf(stderr, "vnetlab: jls: lab '%s' is not running, so none of its jails is; "
			"its model still has %zu:", md.lab, json_object_array_length(js));
		for (size_t i = 0; i < json_object_array_length(js); i++)
			fprintf(stderr, " %s", json_object_get_string(json_object_object_get(
						       json_object_array_get_idx(js, i), "name")));
		fprintf(stderr, "\nvnetlab: jls: `vnetlab down %s` forgets them; a jail -c, ngctl "
			"or ifconfig change brings the lab up again\n", md.lab);
	}
	json_object_put(empty);
	close_model(&md);
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

int cmd_ngctl(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("ngctl");
	struct vl_err err;
	vl_err_init(&err);
	struct model md = {.lock = -1};
	if (open_model(&md, &err) < 0)
		return close_model(&md), cli_fail(&err);
	bool changed = false;
	int rc = 0;
	if (!strcmp(argv[1], "-f") && argc == 3) {
		FILE *f = strcmp(argv[2], "-") ? fopen(argv[2], "re") : stdin;
		if (!f)
			rc = vl_err_sys(&err, errno, "%s", argv[2]);
		char line[4096], *w[64];
		for (int ln = 1; rc == 0 && f && fgets(line, sizeof(line), f); ln++) {
			int n = words(line, w, 64);
			if (n && (rc = vl_vimage_ngctl(md.m, n, w, stdout, &changed, &err)) < 0)
				vl_errf(&err, "%s: line %d", argv[2], ln);
		}
		if (f && f != stdin)
			fclose(f);
	} else {
		rc = vl_vimage_ngctl(md.m, argc - 1, argv + 1, stdout, &changed, &err);
	}
	/* ngctl's socket node goes when ngctl exits, and with it whatever
	 * only it held (FreeBSD does the same). */
	vl_vimage_ngctl_done(md.m);
	if (changed && rc == 0)
		rc = commit(&md, &err);
	else if (rc == 0 && has_model(&md) && strcmp(md.text, json_object_to_json_string_ext(
						      md.m, JSON_C_TO_STRING_PRETTY)))
		rc = write_model(&md, &err); /* setpersistent: nothing the lab shows */
	close_model(&md);
	return rc < 0 ? cli_fail(&err) : 0;
}

/* ---- ifconfig -------------------------------------------------------------------------- */

/* Addresses of an interface's model as IPs. */
static size_t ips(struct json_object *iface, struct vl_ip *out, size_t max)
{
	struct json_object *a = json_object_object_get(iface, "addrs");
	size_t n = 0;
	for (size_t i = 0; i < json_object_array_length(a) && n < max; i++)
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(a, i)), true,
				&out[n]) == 0)
			n++;
	return n;
}

static bool has_ip(const struct vl_ip *set, size_t n, const struct vl_ip *ip)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].family == ip->family && set[i].plen == ip->plen &&
		    !memcmp(set[i].a, ip->a, 16))
			return true;
	return false;
}

static const char *js(struct json_object *o, const char *k)
{
	const char *s = json_object_get_string(json_object_object_get(o, k));
	return s ? s : "";
}

/* The lab's keeper learns the interface as it now is (for inspect, check,
 * capture): "iface NODE OLD NEW MAC MTU ADDRS". */
static int tell_keeper(const struct vl_lab_paths *p, const char *where,
		       struct json_object *before, struct json_object *after,
		       struct vl_err *err)
{
	char req[VL_CTL_MAX], reply[VL_CTL_MAX];
	int off = snprintf(req, sizeof(req), "iface %s %s %s %s %d ", where, js(before, "ifname"),
			   js(after, "ifname"), *js(after, "mac") ? js(after, "mac") : "-",
			   json_object_get_int(json_object_object_get(after, "mtu")));
	struct json_object *a = json_object_object_get(after, "addrs");
	size_t n = json_object_array_length(a);
	for (size_t i = 0; i < n && off < (int)sizeof(req) - 64; i++)
		off += snprintf(req + off, sizeof(req) - (size_t)off, "%s%s", i ? "," : "",
				json_object_get_string(json_object_array_get_idx(a, i)));
	if (!n)
		snprintf(req + off, sizeof(req) - (size_t)off, "-");
	return vl_ctl_request(p, req, reply, sizeof(reply), NULL, 0, err);
}

static int change_live(const char *live, struct json_object *from, struct json_object *to,
		       bool undo, struct vl_err *err);

/* The running interface made like its model, in the namespace of `where`;
 * on failure, put back as it was. */
static int apply_live(struct model *md, const char *where, struct json_object *before,
		      struct json_object *after, struct vl_err *err)
{
	struct vl_lab_paths p;
	struct vl_node_entry e;
	int rc = vl_lab_paths(md->root, md->lab, &p, err);
	if (rc == 0 && !vl_lab_alive(&p))
		return 0; /* nothing runs yet: the next build takes the model */
	if (rc == 0)
		rc = vl_node_enter(&p, where, VL_ENTER_NET, &e, err);
	if (rc < 0)
		return rc;
	rc = change_live(js(before, "ifname"), before, after, false, err);
	if (rc < 0) {
		/* The kernel refused a step: the steps before it may have been
		 * taken.  Back to what the model (unchanged) says, as far as
		 * the model knows it (a MAC the kernel chose is not in it). */
		const char *now = js(after, "ifname");
		const char *live = strcmp(now, js(before, "ifname")) && if_nametoindex(now) ? now
				   : js(before, "ifname");
		struct vl_err back;
		vl_err_init(&back);
		if (change_live(live, after, before, true, &back) < 0)
			vl_errf(err, "ifconfig: putting %s back failed too (%s): the running "
				"interface may differ from the model until `vnetlab down %s`",
				js(before, "ifname"), back.msg, md->lab);
		return rc;
	}
	return tell_keeper(&p, where, before, after, err);
}

/* The interface now called live, in this namespace, changed from what
 * from says to what to says (undo: after a failed change, so some steps
 * may have nothing to do). */
static int change_live(const char *live, struct json_object *from, struct json_object *to,
		       bool undo, struct vl_err *err)
{
	struct json_object *before = from, *after = to;
	struct vl_ip old[16], now[16], add[16], del[16];
	size_t no = ips(before, old, 16), nn = ips(after, now, 16), na = 0, nd = 0;
	for (size_t i = 0; i < nn; i++)
		if (!has_ip(old, no, &now[i]))
			add[na++] = now[i];
	for (size_t i = 0; i < no; i++)
		if (!has_ip(now, nn, &old[i]))
			del[nd++] = old[i];
	uint8_t mac[6];
	bool mac_new = strcmp(js(before, "mac"), js(after, "mac")) &&
		       vl_mac_parse(js(after, "mac"), mac) == 0;
	int mtu = json_object_get_int(json_object_object_get(after, "mtu"));
	int mtu_b = json_object_get_int(json_object_object_get(before, "mtu"));
	bool up_b = json_object_get_boolean(json_object_object_get(before, "up"));
	bool up_a = json_object_get_boolean(json_object_object_get(after, "up"));
	const char *new_name = strcmp(js(before, "ifname"), js(after, "ifname"))
				       ? js(after, "ifname") : NULL;
	struct vl_ifctl c = {
		.name = live,
		.new_name = new_name && strcmp(new_name, live) ? new_name : NULL,
		.mac = mac_new ? mac : NULL,
		/* 0 in the model: what the lab made, a veth's 1500. */
		.mtu = mtu != mtu_b ? (mtu ? (unsigned)mtu : 1500) : 0,
		.add = add, .n_add = na, .del = del, .n_del = nd,
		.up = up_a != up_b || new_name || mac_new ? up_a : -1};
	/* A link taken down to be renamed comes back as it was. */
	if (c.up < 0 && (c.new_name || c.mac || c.mtu))
		c.up = up_a || up_b;
	if (!undo)
		return vl_ifctl_apply(&c, err);
	/* Undoing: the address steps one by one, and one that finds the
	 * address already as wanted (never added, never removed) is fine. */
	struct vl_ifctl link = c, one = {.name = c.new_name ? c.new_name : live, .up = -1};
	link.n_add = link.n_del = 0;
	int rc = vl_ifctl_apply(&link, err);
	for (size_t i = 0; i < na + nd; i++) {
		struct vl_err e;
		vl_err_init(&e);
		one.add = i < na ? &add[i] : NULL, one.n_add = i < na;
		one.del = i < na ? NULL : &del[i - na], one.n_del = i >= na;
		int r = vl_ifctl_apply(&one, &e);
		if (r < 0 && r != -EEXIST && r != -EADDRNOTAVAIL && r != -ENOENT && r != -ESRCH &&
		    rc == 0) {
			vl_errf(err, "%s", e.msg);
			rc = r;
		}
	}
	return rc;
}

/* A listing shows each interface's MAC as FreeBSD's ifconfig does: the
 * kernel's.  The model knows only MACs that were set (ifconfig IF link);
 * the others are read from the running interfaces, in the namespace of
 * `where`, into the model in memory (a listing never saves it). */
static void real_macs(struct model *md, const char *where)
{
	struct vl_lab_paths p;
	struct vl_node_entry e;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_lab_paths(md->root, md->lab, &p, &err) < 0 || !vl_lab_alive(&p) ||
	    vl_node_enter(&p, where, VL_ENTER_NET, &e, &err) < 0)
		return;
	struct json_object *a = json_object_object_get(md->m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *vnet = js(n, "vnet"), *ifname = js(n, "ifname");
		if (!*ifname || *js(n, "mac") || strcmp(*vnet ? vnet : VL_VIMAGE_HOST, where))
			continue;
		uint8_t b[6];
		if (vl_ifctl_mac(ifname, b) < 0)
			continue;
		char mac[24];
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
			 b[3], b[4], b[5]);
		json_object_object_add(n, "mac", json_object_new_string(mac));
	}
}

int cmd_ifconfig(int argc, char **argv)
{
	const char *where = getenv("VNETLAB_JAIL");
	where = where && *where ? where : VL_VIMAGE_HOST;
	struct vl_err err;
	vl_err_init(&err);
	struct model md = {.lock = -1};
	if (open_model(&md, &err) < 0)
		return close_model(&md), cli_fail(&err);
	bool changed = false;
	struct json_object *iface = NULL, *before = NULL;
	/* ifconfig, ifconfig -a, ifconfig IF: a listing. */
	if (argc <= 2)
		real_macs(&md, where);
	/* A copy of the interface as it was, to change the live one by. */
	struct json_object *probe = NULL;
	FILE *null = fopen("/dev/null", "we");
	if (argc > 1 && vl_vimage_ifconfig(md.m, where, 1, argv + 1, null, &changed, &probe,
					   &err) == 0 && probe)
		json_object_deep_copy(probe, &before, NULL);
	fclose(null);
	vl_err_init(&err);
	changed = false;
	int rc = vl_vimage_ifconfig(md.m, where, argc - 1, argv + 1, stdout, &changed, &iface, &err);
	/* The change reaches the lab first, the disk after: a refusal by the
	 * check or the kernel leaves the saved model as it was.  A lab that
	 * is not running is brought up from the model with the change. */
	bool change = rc == 0 && argc > 2 && (iface || changed);
	if (change)
		rc = vl_vimage_check(md.m, &err);
	if (change && rc == 0) {
		if (changed || !before || !lab_running(&md))
			rc = rebuild(&md, &err);
		else
			rc = apply_live(&md, where, before, iface, &err);
	}
	if (change && rc == 0)
		rc = write_model(&md, &err);
	json_object_put(before);
	close_model(&md);
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
	struct model md = {.lock = -1};
	if (open_model(&md, &err) < 0)
		return close_model(&md), cli_fail(&err);
	bool known = vl_vimage_has_jail(md.m, jail) || !strcmp(jail, VL_VIMAGE_HOST);
	char lab[VL_LABNAME_MAX + 1];
	snprintf(lab, sizeof(lab), "%s", md.lab);
	close_model(&md);
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
