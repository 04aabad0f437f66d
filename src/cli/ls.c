/* SPDX-License-Identifier: BSD-2-Clause */
/* ls.c — `vnetlab ls` and `vnetlab inspect`. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/kind.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/statefile.h"
#include "vnetlab/vimage.h"

static const char *str(struct json_object *o, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(o, key));
	return s ? s : "-";
}

/* json-c asserts on a non-array; absent lists are simply empty here. */
static size_t arr_len(struct json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* One row of `ls`; STATUS as wide as its widest word, "model only". */
#define LS_ROW "%-20s %-10s %6s %-8s %8s  %-9s %-20s %s\n"

struct ls_ctx {
	bool json;
	struct json_object *arr;
	int n;
};

/* The header, before the first row. */
static void ls_head(struct ls_ctx *c)
{
	if (c->n++ == 0)
		printf(LS_ROW, "LAB", "STATUS", "NODES", "MODE", "KEEPER", "SERVICES", "CREATED",
		       "FILE");
}

/* "3/3 up", or "2/3 up" when one exited or failed; "-" without services. */
static void services_summary(struct json_object *st, char *buf, size_t len)
{
	size_t total = 0, up = 0;
	struct json_object *nodes = json_object_object_get(st, "nodes");
	for (size_t i = 0; i < arr_len(nodes); i++) {
		struct json_object *s = json_object_object_get(json_object_array_get_idx(nodes, i),
							       "services");
		for (size_t j = 0; j < arr_len(s); j++) {
			total++;
			up += !strcmp(str(json_object_array_get_idx(s, j), "state"), "running");
		}
	}
	if (total)
		snprintf(buf, len, "%zu/%zu up", up, total);
	else
		snprintf(buf, len, "-");
}

static int ls_one(const struct vl_lab_paths *p, void *arg)
{
	struct ls_ctx *c = arg;
	/* This machine is also a host of a lab over several hosts: the lab
	 * is listed once, as that lab (cli_mh_ls). */
	if (cli_mh_is(p->name))
		return 0;
	const struct vl_lab_ops *ops = vl_lab_ops_choose(NULL, p, NULL);
	bool alive = ops->alive(p);
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *st = alive ? ops->inspect(p, &err) : NULL;
	const char *status = !alive ? "stale" : st ? "running" : "starting";
	char svcs[32];
	services_summary(st, svcs, sizeof(svcs));
	if (c->json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(p->name));
		json_object_object_add(o, "status", json_object_new_string(status));
		if (st) {
			json_object_object_add(o, "nodes", json_object_new_int(
							   (int)arr_len(json_object_object_get(st, "nodes"))));
			json_object_object_add(o, "mode", json_object_get(json_object_object_get(st, "mode")));
			json_object_object_add(o, "keeper_pid", json_object_get(json_object_object_get(st, "keeper_pid")));
			json_object_object_add(o, "created", json_object_get(json_object_object_get(st, "created")));
			json_object_object_add(o, "file", json_object_get(json_object_object_get(st, "file")));
			json_object_object_add(o, "services", json_object_new_string(svcs));
		}
		json_object_array_add(c->arr, o);
	} else {
		char nodes[24];
		snprintf(nodes, sizeof(nodes), "%zu",
			 st ? arr_len(json_object_object_get(st, "nodes")) : 0);
		ls_head(c);
		printf(LS_ROW, p->name, status, nodes, st ? str(st, "mode") : "-",
		       st ? str(st, "keeper_pid") : "-", svcs, st ? str(st, "created") : "-",
		       st ? str(st, "file") : "-");
	}
	json_object_put(st);
	return 0;
}

/* A FreeBSD-verbs model whose lab is gone (killed, its state directory
 * removed) is listed too, so it never outlives its lab unseen: `vnetlab
 * down LAB` forgets it, a graph change brings the lab up again. */
static int ls_model(const char *lab, const char *path, void *arg)
{
	struct ls_ctx *c = arg;
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	if (cli_lab(lab, &p, &err) < 0 || vl_lab_exists(&p))
		return 0;
	if (c->json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(lab));
		json_object_object_add(o, "status", json_object_new_string("model only"));
		json_object_object_add(o, "model", json_object_new_string(path));
		json_object_array_add(c->arr, o);
		return 0;
	}
	ls_head(c);
	printf(LS_ROW, lab, "model only", "-", "-", "-", "-", "-", path);
	return 0;
}

int cmd_ls(int argc, char **argv)
{
	struct ls_ctx c = {0};
	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		c.json = true;
	else if (argc != 1)
		return cli_usage("ls");
	c.arr = json_object_new_array();
	if (cli_foreach_lab(ls_one, &c) != 0) {
		json_object_put(c.arr);
		return 1;
	}
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) == 0)
		vl_vimage_models(root, ls_model, &c);
	c.n += cli_mh_ls(c.json, c.arr);
	if (c.json)
		printf("%s\n", json_object_to_json_string_ext(c.arr, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (!c.n)
		printf("no labs\n");
	json_object_put(c.arr);
	return 0;
}

/* "running", "exited (1)": what `ls` and `inspect` say of a service. */
static void service_state(struct json_object *s, char *buf, size_t len)
{
	const char *st = str(s, "state");
	if (json_object_object_get(s, "code"))
		snprintf(buf, len, "%s (%s%s%s)", st, str(s, "code"),
			 json_object_object_get(s, "process") ? ", " : "",
			 json_object_object_get(s, "process") ? str(s, "process") : "");
	else
		snprintf(buf, len, "%s", st);
}

static void print_soft(struct json_object *n)
{
	struct json_object *view = json_object_object_get(n, "view");
	if (arr_len(view)) {
		printf("    view:");
		for (size_t i = 0; i < arr_len(view); i++) {
			struct json_object *e = json_object_array_get_idx(view, i);
			const char *k = str(e, "kind");
			printf("%s %s %s", i ? "," : "", k, str(e, "path"));
			if (json_object_object_get(e, "src"))
				printf(" <- %s", str(e, "src"));
			if (json_object_get_boolean(json_object_object_get(e, "ro")))
				printf(" (ro)");
		}
		printf("\n");
	}
	struct json_object *svcs = json_object_object_get(n, "services");
	for (size_t i = 0; i < arr_len(svcs); i++) {
		struct json_object *s = json_object_array_get_idx(svcs, i);
		char state[96];
		service_state(s, state, sizeof(state));
		printf("    service %s: %s", str(s, "service"), state);
		struct json_object *procs = json_object_object_get(s, "processes");
		for (size_t p = 0; p < arr_len(procs); p++) {
			struct json_object *x = json_object_array_get_idx(procs, p);
			int pid = json_object_get_int(json_object_object_get(x, "pid"));
			if (pid > 0)
				printf("%s %s %d", p ? "," : " ", str(x, "name"), pid);
		}
		printf("  log %s\n", str(s, "log"));
	}
}

static void print_node(struct json_object *n)
{
	struct json_object *ifaces = json_object_object_get(n, "ifaces");
	const char *kind = str(n, "kind");
	const struct vl_kind_type *k = vl_kind_by_name(kind);
	printf("%-12s %-7s", str(n, "name"), kind);
	if (k && vl_kind_has(k->kind, VL_KF_STACK))
		printf(" hostname=%s%s%s%s\n", str(n, "hostname"),
		       json_object_get_boolean(json_object_object_get(n, "forwarding"))
			       ? " forwarding" : "",
		       json_object_object_get(n, "netns") ? " netns=" : "",
		       json_object_object_get(n, "netns") ? str(n, "netns") : "");
	else
		printf("%s\n", json_object_get_boolean(json_object_object_get(n, "stp"))
				       ? " spanning tree" : "");
	struct json_object *lo = json_object_object_get(n, "loopback");
	if (arr_len(lo)) {
		printf("    %-10s   %-16s", "lo", "");
		for (size_t a = 0; a < arr_len(lo); a++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(lo, a)));
		printf("\n");
	}
	for (size_t j = 0; j < arr_len(ifaces); j++) {
		struct json_object *f = json_object_array_get_idx(ifaces, j);
		printf("    %-10s -> %-16s", str(f, "hook"), str(f, "peer"));
		if (json_object_object_get(f, "mac"))
			printf(" mac %s", str(f, "mac"));
		if (json_object_object_get(f, "mtu"))
			printf(" mtu %s", str(f, "mtu"));
		struct json_object *addrs = json_object_object_get(f, "addrs");
		for (size_t a = 0; a < arr_len(addrs); a++)
			printf(" %s", json_object_get_string(json_object_array_get_idx(addrs, a)));
		printf("\n");
	}
	struct json_object *routes = json_object_object_get(n, "routes");
	for (size_t r = 0; r < arr_len(routes); r++) {
		struct json_object *rt = json_object_array_get_idx(routes, r);
		printf("    route %s%s%s%s%s\n", str(rt, "to"),
		       json_object_object_get(rt, "via") ? " via " : "",
		       json_object_object_get(rt, "via") ? str(rt, "via") : "",
		       json_object_object_get(rt, "dev") ? " dev " : "",
		       json_object_object_get(rt, "dev") ? str(rt, "dev") : "");
	}
	print_soft(n);
}

static void print_direction(struct json_object *l, const char *name,
			    const char *from, const char *to)
{
	struct json_object *d = json_object_object_get(l, name);
	printf("        %-10s %s -> %s:", name, from, to);
	int n = 0;
	json_object_object_foreach(d, param, v)
		printf("%s %s %s [%s]", n++ ? "," : "", param, str(v, "value"), str(v, "by"));
	printf("%s\n", n ? "" : " none");
	struct json_object *c = json_object_object_get(
		json_object_object_get(l, "counters"), name);
	if (c)
		printf("        %-10s rx %s tx %s lost %s bit-errors %s queue-drops %s "
		       "duplicated %s\n", "", str(c, "rx"), str(c, "tx"), str(c, "lost"),
		       str(c, "bit_errors"), str(c, "queue_drops"), str(c, "duplicated"));
}

void cli_print_link(struct json_object *l)
{
	struct json_object *eps = json_object_object_get(l, "endpoints");
	const char *a = json_object_get_string(json_object_array_get_idx(eps, 0));
	const char *b = json_object_get_string(json_object_array_get_idx(eps, 1));
	bool piped = json_object_get_boolean(json_object_object_get(l, "pipe"));
	struct json_object *tn = json_object_object_get(l, "tunnel");
	char far[96];
	if (tn) {
		/* A tunnel end: its far end is on the other host. */
		snprintf(far, sizeof(far), "vxlan:%s", str(tn, "vxlan"));
		printf("    %s %s -> %s  %s  (local %s, port %s, mtu %s)%s\n", a ? a : "?", far,
		       str(tn, "remote"), str(l, "state"), str(tn, "local"), str(tn, "port"),
		       str(tn, "mtu"), piped ? "  userspace pipe" : "");
		if (a && json_object_object_length(json_object_object_get(l, "downstream")))
			print_direction(l, "downstream", a, far);
		return;
	}
	printf("    %s <-> %s  %s%s%s%s\n", a ? a : "?", b ? b : "?", str(l, "state"),
	       piped ? "  userspace pipe" : "",
	       json_object_object_get(l, "via") ? "  via pipe node " : "",
	       json_object_object_get(l, "via") ? str(l, "via") : "");
	bool any = piped || json_object_object_length(json_object_object_get(l, "downstream")) ||
		   json_object_object_length(json_object_object_get(l, "upstream"));
	if (!any || !a || !b)
		return;
	print_direction(l, "downstream", a, b);
	print_direction(l, "upstream", b, a);
}

int cmd_inspect(int argc, char **argv)
{
	bool json = false;
	const char *lab = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (!lab)
			lab = argv[i];
		else
			return cli_usage("inspect");
	}
	if (!lab)
		return cli_usage("inspect");
	if (cli_mh_is(lab))
		return cli_mh_inspect(lab, json) ? 1 : 0;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_lab_paths p;
	if (cli_lab(lab, &p, &err) < 0)
		return cli_fail(&err);
	const struct vl_lab_ops *ops = vl_lab_ops_choose(NULL, &p, NULL);
	if (!ops->alive(&p)) {
		vl_errf(&err, "lab '%s' is not running (see: vnetlab ls)", lab);
		return cli_fail(&err);
	}
	struct json_object *st = ops->inspect(&p, &err);
	if (!st)
		return cli_fail(&err);
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		printf("lab %s  backend %s  mode %s  keeper %s  created %s\nfile %s\n\n",
		       str(st, "name"), str(st, "backend"), str(st, "mode"),
		       str(st, "keeper_pid"), str(st, "created"), str(st, "file"));
		struct json_object *nodes = json_object_object_get(st, "nodes");
		for (size_t i = 0; i < arr_len(nodes); i++)
			print_node(json_object_array_get_idx(nodes, i));
		struct json_object *links = json_object_object_get(st, "links");
		printf("\nlinks:\n");
		for (size_t l = 0; l < arr_len(links); l++)
			cli_print_link(json_object_array_get_idx(links, l));
	}
	json_object_put(st);
	return 0;
}
