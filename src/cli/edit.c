/* SPDX-License-Identifier: BSD-2-Clause */
/* edit.c — `vnetlab node add|rm` and `vnetlab link add|rm`: the graph
 * of a running lab changed in place, as jail -c / jail -r and ngctl
 * mkpeer / rmhook change a FreeBSD host's.
 *
 * The keeper keeps the lab as it runs in its directory (topology.json,
 * the topology format); a verb edits that document, writes it beside it
 * and asks the keeper to apply it.  The keeper loads it like any file
 * (so every edit is validated as a file is), then changes only what
 * differs (linux.h: vl_linux_apply): nodes, their processes and sessions
 * that the edit does not touch live on.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/ctl.h"
#include "vnetlab/statefile.h"
#include "vnetlab/topo_json.h"

struct edit {
	struct vl_lab_paths p;
	char doc_path[PATH_MAX], next_path[PATH_MAX];
	int lock;
	struct json_object *doc;
};

/* The lab's document, locked against another verb editing it at once. */
static int edit_open(const char *lab, struct edit *e, struct vl_err *err)
{
	e->lock = -1;
	e->doc = NULL;
	if (cli_lab(lab, &e->p, err) < 0)
		return -EINVAL;
	if (!vl_lab_alive(&e->p))
		return vl_errf(err, "lab '%s' is not running (see: vnetlab ls)", lab), -ENOENT;
	snprintf(e->doc_path, sizeof(e->doc_path), "%.3000s/topology.json", e->p.dir);
	snprintf(e->next_path, sizeof(e->next_path), "%.3000s/topology.next.json", e->p.dir);
	char lock[PATH_MAX];
	snprintf(lock, sizeof(lock), "%.3000s/edit.lock", e->p.dir);
	e->lock = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (e->lock < 0 || flock(e->lock, LOCK_EX) < 0)
		return vl_err_sys(err, errno, "%s", lock);
	e->doc = json_object_from_file(e->doc_path);
	if (!e->doc)
		return vl_errf(err, "lab '%s' has no readable topology.json (made by a vnetlab "
			       "older than the graph verbs? take it down and up again)", lab),
		       -EIO;
	return 0;
}

static void edit_close(struct edit *e)
{
	json_object_put(e->doc);
	unlink(e->next_path);
	if (e->lock >= 0)
		close(e->lock);
}

/* The edited document to the keeper; its warnings printed. */
static int edit_apply(struct edit *e, struct vl_err *err)
{
	char *text = vl_topo_json_text(e->doc);
	int rc = text ? vl_file_write_atomic(e->next_path, text, err) : -ENOMEM;
	free(text);
	return rc < 0 ? rc : cli_apply_file(&e->p, e->next_path, err);
}

int cli_apply_file(const struct vl_lab_paths *p, const char *file, struct vl_err *err)
{
	char req[VL_CTL_MAX], reply[VL_CTL_MAX];
	snprintf(req, sizeof(req), "apply %.4000s", file);
	if (vl_ctl_request(p, req, reply, sizeof(reply), NULL, 0, err) < 0)
		return -EIO;
	/* "ok", or "ok " and warning lines. */
	for (char *save, *l = strtok_r(reply + 2, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (*l == ' ' ? l[1] : *l)
			fprintf(stderr, "vnetlab: %s\n", *l == ' ' ? l + 1 : l);
	return 0;
}

/* The length of an array; 0 for anything else (json-c asserts). */
static size_t alen(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *obj(struct json_object *o, const char *key, bool create)
{
	struct json_object *v = json_object_object_get(o, key);
	if (!v && create) {
		v = json_object_new_object();
		json_object_object_add(o, key, v);
	}
	return v;
}

/* "node:hook" into its two halves; false when it is not one. */
static bool split_end(const char *s, char *node, char *hook)
{
	const char *c = strchr(s, ':');
	if (!c || c == s || !c[1] || (size_t)(c - s) > VL_NAME_MAX || strlen(c + 1) > VL_NAME_MAX)
		return false;
	memcpy(node, s, (size_t)(c - s));
	node[c - s] = '\0';
	strcpy(hook, c + 1);
	return true;
}

/* Does a route of a node depend on an interface that goes: through it by
 * dev, or by a gateway on one of its subnets? */
static bool route_uses(struct json_object *route, const char *ifname, struct json_object *iface)
{
	struct json_object *dev = json_object_object_get(route, "dev");
	if (dev && !strcmp(json_object_get_string(dev), ifname))
		return true;
	struct json_object *via = json_object_object_get(route, "via");
	struct json_object *addrs = iface ? json_object_object_get(iface, "addrs") : NULL;
	struct vl_ip gw, net;
	if (!via || vl_ip_parse(json_object_get_string(via), false, &gw) < 0)
		return false;
	for (size_t i = 0; i < alen(addrs); i++)
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, i)), true,
				&net) == 0 &&
		    vl_ip_in_prefix(&gw, &net))
			return true;
	return false;
}

/* Hook `hook` of node `node` leaves with its link: its declaration goes,
 * and so do the node's routes that needed it (said, not silent). */
static void drop_hook(struct json_object *doc, const char *node, const char *hook)
{
	struct json_object *n = obj(obj(doc, "nodes", false), node, false);
	struct json_object *ifs = n ? json_object_object_get(n, "ifaces") : NULL;
	struct json_object *f = ifs ? json_object_object_get(ifs, hook) : NULL;
	struct json_object *routes = n ? json_object_object_get(n, "routes") : NULL;
	for (size_t i = alen(routes); i-- > 0;) {
		struct json_object *r = json_object_array_get_idx(routes, i);
		if (!route_uses(r, hook, f))
			continue;
		fprintf(stderr, "vnetlab: %s: route %s dropped with %s:%s\n", node,
			json_object_get_string(json_object_object_get(r, "to")), node, hook);
		json_object_array_del_idx(routes, i, 1);
	}
	if (routes && !alen(routes))
		json_object_object_del(n, "routes");
	if (f)
		json_object_object_del(ifs, hook);
}

static bool link_has_end(struct json_object *l, const char *end)
{
	struct json_object *eps = json_object_object_get(l, "endpoints");
	for (size_t e = 0; e < alen(eps); e++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(eps, e)), end))
			return true;
	return false;
}

/* Remove link i of the document with its hooks' declarations. */
static void drop_link(struct json_object *doc, size_t i)
{
	struct json_object *links = json_object_object_get(doc, "links");
	struct json_object *eps = json_object_object_get(json_object_array_get_idx(links, i),
							 "endpoints");
	char ends[2][2 * VL_NAME_MAX + 2];
	for (int e = 0; e < 2; e++)
		snprintf(ends[e], sizeof(ends[e]), "%s",
			 json_object_get_string(json_object_array_get_idx(eps, (size_t)e)));
	json_object_array_del_idx(links, i, 1);
	for (int e = 0; e < 2; e++) {
		char node[VL_NAME_MAX + 1], hook[VL_NAME_MAX + 1];
		if (split_end(ends[e], node, hook))
			drop_hook(doc, node, hook);
	}
}

/* ---- node ------------------------------------------------------------------------ */

static int node_add(int argc, char **argv)
{
	static const struct option opts[] = {{"kind", required_argument, NULL, 'k'},
					     {"hostname", required_argument, NULL, 'H'},
					     {"forwarding", no_argument, NULL, 'f'},
					     {0}};
	const char *kind = "vnet", *host = NULL;
	bool fwd = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 'H': host = optarg; break;
		case 'f': fwd = true; break;
		default: return cli_usage("node");
		}
	}
	if (optind + 2 != argc)
		return cli_usage("node");
	const char *lab = argv[optind], *name = argv[optind + 1];
	struct vl_err err;
	vl_err_init(&err);
	/* A folded kind (pipe) is no node of a running lab: it is a link's
	 * parameters. */
	const struct vl_kind_type *k = vl_kind_by_name(kind);
	if (!k || vl_kind_has(k->kind, VL_KF_FOLDED)) {
		char names[80];
		vl_kind_names(VL_KF_FOLDED, names, sizeof(names));
		vl_errf(&err, "node add: kind '%s': write %s (a pipe is a link's parameters: "
			"vnetlab link add ... delay 10ms)", kind, names);
		return cli_fail(&err);
	}
	if ((host || fwd) && !vl_kind_has(k->kind, VL_KF_STACK)) {
		vl_errf(&err, "node add: --hostname and --forwarding are for vnet nodes");
		return cli_fail(&err);
	}
	struct edit e;
	int rc = edit_open(lab, &e, &err);
	struct json_object *nodes = rc == 0 ? obj(e.doc, "nodes", true) : NULL;
	if (rc == 0 && json_object_object_get(nodes, name))
		rc = (vl_errf(&err, "lab '%s' already has a node '%s'", lab, name), -EEXIST);
	if (rc == 0) {
		struct json_object *n = json_object_new_object();
		json_object_object_add(n, "kind", json_object_new_string(kind));
		if (host)
			json_object_object_add(n, "hostname", json_object_new_string(host));
		if (fwd)
			json_object_object_add(n, "forwarding", json_object_new_boolean(1));
		json_object_object_add(nodes, name, n);
		rc = edit_apply(&e, &err);
	}
	edit_close(&e);
	return rc < 0 ? cli_fail(&err) : 0;
}

static int node_rm(int argc, char **argv)
{
	if (argc != 3)
		return cli_usage("node");
	const char *lab = argv[1], *name = argv[2];
	struct vl_err err;
	vl_err_init(&err);
	struct edit e;
	int rc = edit_open(lab, &e, &err);
	struct json_object *nodes = rc == 0 ? obj(e.doc, "nodes", true) : NULL;
	if (rc == 0 && !json_object_object_get(nodes, name))
		rc = (vl_errf(&err, "lab '%s' has no node '%s' (see: vnetlab inspect %s)", lab,
			     name, lab), -ENOENT);
	if (rc == 0 && json_object_object_length(nodes) == 1)
		rc = (vl_errf(&err, "'%s' is the lab's last node: vnetlab down %s removes the "
			     "lab", name, lab), -EINVAL);
	if (rc == 0) {
		json_object_object_del(nodes, name);
		struct json_object *links = json_object_object_get(e.doc, "links");
		char prefix[VL_NAME_MAX + 2];
		snprintf(prefix, sizeof(prefix), "%s:", name);
		for (size_t i = alen(links); i-- > 0;) {
			struct json_object *eps = json_object_object_get(
				json_object_array_get_idx(links, i), "endpoints");
			bool mine = false;
			for (size_t k = 0; k < alen(eps); k++)
				mine |= !strncmp(json_object_get_string(json_object_array_get_idx(eps, k)),
						 prefix, strlen(prefix));
			if (mine)
				drop_link(e.doc, i);
		}
		rc = edit_apply(&e, &err);
	}
	edit_close(&e);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cmd_node(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return node_add(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "rm"))
		return node_rm(argc - 1, argv + 1);
	return cli_usage("node");
}

/* ---- link add|rm ----------------------------------------------------------------- */

/* "node:hook" or "node:hook=ADDR[,ADDR...]": the endpoint, and addresses
 * declared on a vnet node's new interface. */
static int add_end(struct json_object *doc, const char *arg, char *end, size_t len,
		   struct vl_err *err)
{
	char node[VL_NAME_MAX + 1], hook[VL_NAME_MAX + 1], buf[512];
	snprintf(buf, sizeof(buf), "%s", arg);
	char *addrs = strchr(buf, '=');
	if (addrs)
		*addrs++ = '\0';
	if (!split_end(buf, node, hook))
		return vl_errf(err, "link add: '%s' is not NODE:HOOK[=ADDR,...]", arg), -EINVAL;
	snprintf(end, len, "%s:%s", node, hook);
	struct json_object *n = obj(obj(doc, "nodes", false), node, false);
	if (!n)
		return vl_errf(err, "link add: no node '%s' (add it first: vnetlab node add)",
			       node), -ENOENT;
	if (!addrs)
		return 0;
	struct json_object *a = json_object_new_array();
	for (char *save, *s = strtok_r(addrs, ",", &save); s; s = strtok_r(NULL, ",", &save))
		json_object_array_add(a, json_object_new_string(s));
	struct json_object *f = obj(obj(n, "ifaces", true), hook, true);
	json_object_object_add(f, "addrs", a);
	return 0;
}

/* Words after the endpoints: PARAM VALUE pairs, `downstream`/`upstream`
 * switching the direction the next pairs go to, `impl MODE`. */
static int add_params(struct json_object *l, int argc, char **argv, struct vl_err *err)
{
	struct json_object *to = l;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "downstream") || !strcmp(argv[i], "upstream")) {
			to = obj(l, argv[i], true);
			continue;
		}
		enum vl_param p;
		bool impl = !strcmp(argv[i], "impl");
		if (!impl && vl_param_from_name(argv[i], &p) < 0)
			return vl_errf(err, "link add: '%s' is not a link parameter (bandwidth, "
				       "delay, jitter, loss, duplicate, ber, queue, impl)", argv[i]),
			       -EINVAL;
		if (i + 1 == argc)
			return vl_errf(err, "link add: %s needs a value", argv[i]), -EINVAL;
		if (json_object_object_get(to, argv[i]))
			return vl_errf(err, "link add: %s given twice", argv[i]), -EINVAL;
		json_object_object_add(impl ? l : to, argv[i], json_object_new_string(argv[i + 1]));
		i++;
	}
	return 0;
}

/* The document's link between a and b (either order), or -1. */
static long find_link(struct json_object *doc, const char *a, const char *b)
{
	struct json_object *links = json_object_object_get(doc, "links");
	for (size_t i = 0; i < alen(links); i++) {
		struct json_object *l = json_object_array_get_idx(links, i);
		if (link_has_end(l, a) && link_has_end(l, b))
			return (long)i;
	}
	return -1;
}

int cli_link_add(int argc, char **argv)
{
	if (argc < 4)
		return cli_usage("link");
	const char *lab = argv[1];
	struct vl_err err;
	vl_err_init(&err);
	struct edit e;
	int rc = edit_open(lab, &e, &err);
	char a[2 * VL_NAME_MAX + 2] = "", b[2 * VL_NAME_MAX + 2] = "";
	if (rc == 0)
		rc = add_end(e.doc, argv[2], a, sizeof(a), &err);
	if (rc == 0)
		rc = add_end(e.doc, argv[3], b, sizeof(b), &err);
	struct json_object *l = json_object_new_object();
	if (rc == 0) {
		struct json_object *eps = json_object_new_array();
		json_object_array_add(eps, json_object_new_string(a));
		json_object_array_add(eps, json_object_new_string(b));
		json_object_object_add(l, "endpoints", eps);
		rc = add_params(l, argc - 4, argv + 4, &err);
	}
	if (rc == 0) {
		struct json_object *links = obj(e.doc, "links", false);
		if (!links) {
			links = json_object_new_array();
			json_object_object_add(e.doc, "links", links);
		}
		json_object_array_add(links, l);
		l = NULL;
		rc = edit_apply(&e, &err);
	}
	json_object_put(l);
	edit_close(&e);
	return rc < 0 ? cli_fail(&err) : 0;
}

int cli_link_rm(int argc, char **argv)
{
	if (argc != 4)
		return cli_usage("link");
	const char *lab = argv[1];
	struct vl_err err;
	vl_err_init(&err);
	struct edit e;
	int rc = edit_open(lab, &e, &err);
	long i = rc == 0 ? find_link(e.doc, argv[2], argv[3]) : -1;
	if (rc == 0 && i < 0)
		rc = (vl_errf(&err, "lab '%s' has no link %s <-> %s (see: vnetlab inspect %s)",
			     lab, argv[2], argv[3], lab), -ENOENT);
	if (rc == 0) {
		drop_link(e.doc, (size_t)i);
		rc = edit_apply(&e, &err);
	}
	edit_close(&e);
	return rc < 0 ? cli_fail(&err) : 0;
}
