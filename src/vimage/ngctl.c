/* SPDX-License-Identifier: BSD-2-Clause */
/* ngctl.c — ngctl's commands on the model (vimage.h): one table of them,
 * as FreeBSD's ngctl has (struct ngcmd in usr.sbin/ngctl), each command
 * a function of its words; netgraph's own rules are graph.c's. */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* What a command works on: the model, where its output goes, and
 * whether it changed what the lab shows (*changed: it must be rebuilt). */
struct ngctx {
	struct json_object *m;
	FILE *out;
	bool *changed;
	struct vl_err *err;
};

/* ---- list, show ------------------------------------------------------------------- */

static void show(struct json_object *n, FILE *out)
{
	struct json_object *hooks = json_object_object_get(n, "hooks");
	fprintf(out, "  Name: %-15s Type: %-15s ID: %08x   Num hooks: %d\n", vimg_shown_name(n),
		s_of(n, "type"), (unsigned)i_of(n, "id"), json_object_object_length(hooks));
}

static void show_hooks(struct json_object *m, struct json_object *n, FILE *out)
{
	struct json_object *hooks = json_object_object_get(n, "hooks");
	if (!json_object_object_length(hooks))
		return;
	fprintf(out, "  Local hook      Peer name       Peer type    Peer ID           Peer hook      \n"
		     "  ----------      ---------       ---------    -------           ---------      \n");
	json_object_object_foreach(hooks, k, h) {
		struct json_object *p = vimg_peer_of(m, h);
		fprintf(out, "  %-15s %-15s %-12s %08x          %-15s\n", k,
			p ? vimg_shown_name(p) : "?", p ? s_of(p, "type") : "?",
			(unsigned)i_of(h, "peer"), s_of(h, "peerhook"));
	}
}

static void list_nodes(struct json_object *m, bool hooks, FILE *out)
{
	struct json_object *a = arr(m, "nodes");
	size_t n = json_object_array_length(a);
	/* ngctl's own socket node is part of the graph while it runs. */
	fprintf(out, "There are %zu total nodes:\n", n + 1);
	for (size_t i = 0; i <= n; i++) {
		struct json_object *o = i < n ? json_object_array_get_idx(a, i) : vimg_sock(m);
		show(o, out);
		if (hooks)
			show_hooks(m, o, out);
	}
}

/* ---- the commands ------------------------------------------------------------------- */

static const char *const types[] = {"eiface", "bridge", "hub", "tee", "pipe", NULL};

/* mkpeer [path] type hook peerhook */
static int cmd_mkpeer(struct ngctx *c, int argc, char **argv)
{
	const char *path = argc == 5 ? argv[1] : ".";
	const char *type = argv[argc - 3], *hook = argv[argc - 2], *peerhook = argv[argc - 1];
	size_t t = 0;
	while (types[t] && strcmp(types[t], type))
		t++;
	if (!types[t])
		return vl_errf(c->err, "mkpeer: %s: No such file or directory (node types: "
			       "eiface, bridge, hub, tee, pipe)", type), -ENOENT;
	struct json_object *from;
	int rc = vimg_resolve(c->m, path, &from, c->err);
	if (rc < 0)
		return rc;
	/* From ngctl's own socket node (".") the hook is the socket's: it
	 * lasts as long as this ngctl (vl_vimage_ngctl_done). */
	if (!vimg_hook_ok(type, peerhook) || !vimg_hook_ok(s_of(from, "type"), hook))
		return vl_errf(c->err, "mkpeer: Invalid argument"), -EINVAL;
	if (json_object_object_get(json_object_object_get(from, "hooks"), hook)) {
		if (vimg_is_sock(from)) /* as on FreeBSD, but said: scripts meet it */
			return vl_errf(c->err, "mkpeer: File exists (ngctl's own node \".\" has "
				       "a hook %s already, until this ngctl exits: rmhook %s "
				       "first, or name the hook otherwise)", hook, hook), -EEXIST;
		return vl_errf(c->err, "mkpeer: File exists"), -EEXIST;
	}
	struct json_object *n = vimg_new_node(c->m, type);
	rc = vimg_join(from, hook, n, peerhook, c->err);
	*c->changed = *c->changed || rc == 0;
	return rc; /* never refused: both hooks checked above, and n is new */
}

/* connect [path] relpath hook peerhook: relpath, if relative, from the
 * node at path (the message's recipient resolves it, ng_base). */
static int cmd_connect(struct ngctx *c, int argc, char **argv)
{
	struct json_object *a, *b;
	int rc = vimg_resolve(c->m, argc == 5 ? argv[1] : ".", &a, c->err);
	if (rc == 0)
		rc = vimg_resolve_at(c->m, a, argv[argc - 3], &b, c->err);
	if (rc == 0)
		rc = vimg_join(a, argv[argc - 2], b, argv[argc - 1], c->err);
	/* A wire to the socket goes with it: nothing for the lab. */
	*c->changed = *c->changed || (rc == 0 && !vimg_is_sock(a) && !vimg_is_sock(b));
	return rc;
}

/* name path name */
static int cmd_name(struct ngctx *c, int argc, char **argv)
{
	(void)argc;
	struct json_object *n;
	int rc = vimg_resolve(c->m, argv[1], &n, c->err);
	if (rc < 0)
		return rc;
	/* ng_base: 1..31 bytes (NG_NODESIZ 32), no '.' or ':'. */
	if (!vimg_ng_name_ok(argv[2]) || strpbrk(argv[2], "[]"))
		return vl_errf(c->err, "name: %s: Invalid argument", argv[2]), -EINVAL;
	struct json_object *s = vimg_sock(c->m);
	if (vimg_node_by_name(c->m, argv[2]) || !strcmp(s_of(s, "name"), argv[2]))
		return vl_errf(c->err, "name: %s: File exists", argv[2]), -EEXIST;
	set_s(n, "name", argv[2]);
	*c->changed = *c->changed || n != s;
	return 0;
}

/* shutdown path */
static int cmd_shutdown(struct ngctx *c, int argc, char **argv)
{
	(void)argc;
	struct json_object *n;
	int rc = vimg_resolve(c->m, argv[1], &n, c->err);
	if (rc < 0)
		return rc;
	if (vimg_is_sock(n))
		return vl_errf(c->err, "shutdown: %s: Invalid argument (ngctl's own socket "
			       "node: it goes when ngctl exits)", argv[1]), -EINVAL;
	/* ng_ether(4): shutdown disconnects every hook "but the node is
	 * not removed" (it goes only with its interface). */
	if (!strcmp(s_of(n, "type"), "ether"))
		vimg_unhook_all(c->m, n);
	else
		vimg_remove_node(c->m, n);
	*c->changed = true;
	return 0;
}

/* rmhook [path] hook: the socket's own hook without a path. */
static int cmd_rmhook(struct ngctx *c, int argc, char **argv)
{
	struct json_object *n;
	int rc = vimg_resolve(c->m, argc == 3 ? argv[1] : ".", &n, c->err);
	if (rc < 0)
		return rc;
	const char *hook = argv[argc - 1];
	struct json_object *h = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	/* No such hook: nothing to do, and no error (ng_base). */
	if (h && !vimg_is_sock(n) && !vimg_is_sock(vimg_peer_of(c->m, h)))
		*c->changed = true;
	vimg_unhook(c->m, n, hook);
	return 0;
}

/* msg path command [args ...]: the messages this emulation knows. */
static int cmd_msg(struct ngctx *c, int argc, char **argv)
{
	struct json_object *n;
	int rc = vimg_resolve(c->m, argv[1], &n, c->err);
	if (rc < 0)
		return rc;
	const char *type = s_of(n, "type"), *cmd = argv[2];
	if (!strcmp(cmd, "setpersistent") && (!strcmp(type, "bridge") || !strcmp(type, "hub"))) {
		json_object_object_add(n, "persistent", json_object_new_boolean(true));
		return 0;
	}
	if (!strcmp(cmd, "getifname") && !strcmp(type, "eiface")) {
		fprintf(c->out, "Rec'd response \"getifname\" (1) from \"[%x]:\":\nArgs:\t\"%s\"\n",
			(unsigned)i_of(n, "id"), s_of(n, "ifname"));
		return 0;
	}
	if (!strcmp(cmd, "setcfg") && !strcmp(type, "pipe")) {
		/* The ASCII form, kept whole: the topology reads it. */
		char cfg[1024] = "";
		size_t off = 0;
		for (int i = 3; i < argc && off < sizeof(cfg); i++)
			off += (size_t)snprintf(cfg + off, sizeof(cfg) - off, "%s%s", i > 3 ? " " : "",
						argv[i]);
		struct json_object *old = json_object_object_get(n, "cfg");
		char all[2048];
		snprintf(all, sizeof(all), "%s %s", old ? json_object_get_string(old) : "", cfg);
		set_s(n, "cfg", all);
		*c->changed = true;
		return 0;
	}
	return vl_errf(c->err, "msg: %s: Invalid argument (this emulation knows "
		       "setpersistent, getifname and a pipe's setcfg)", cmd), -EINVAL;
}


/* list [-l] (ls, l) */
static int cmd_list(struct ngctx *c, int argc, char **argv)
{
	list_nodes(c->m, argc > 1 && !strcmp(argv[1], "-l"), c->out);
	return 0;
}

/* show path */
static int cmd_show(struct ngctx *c, int argc, char **argv)
{
	(void)argc;
	struct json_object *n;
	int rc = vimg_resolve(c->m, argv[1], &n, c->err);
	if (rc < 0)
		return rc;
	show(n, c->out);
	show_hooks(c->m, n, c->out);
	return 0;
}

/* ---- the table ------------------------------------------------------------------------ */

/* A command, as FreeBSD's ngctl has them: its function, its usage, the
 * other words for it, and how many words (its name included) it takes;
 * outside that it is refused with its usage, before its function runs. */
struct vl_ngcmd {
	const char *name;
	const char *usage;
	int (*handler)(struct ngctx *c, int argc, char **argv);
	const char *aliases[3];
	int min_words, max_words;
};

static const struct vl_ngcmd cmds[] = {
	{"mkpeer", "mkpeer [path] <type> <hook> <peerhook>", cmd_mkpeer, {NULL}, 4, 5},
	{"connect", "connect [path] <relpath> <hook> <peerhook>", cmd_connect, {NULL}, 4, 5},
	{"name", "name <path> <name>", cmd_name, {NULL}, 3, 3},
	{"shutdown", "shutdown <path>", cmd_shutdown, {NULL}, 2, 2},
	{"rmhook", "rmhook [path] <hook>", cmd_rmhook, {NULL}, 2, 3},
	{"msg", "msg path command [args ...]", cmd_msg, {NULL}, 3, INT_MAX},
	{"list", "list [-l]", cmd_list, {"ls", "l", NULL}, 1, INT_MAX},
	{"show", "show <path>", cmd_show, {NULL}, 2, 2},
};

static const struct vl_ngcmd *find_cmd(const char *word)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(cmds[i].name, word))
			return &cmds[i];
		for (const char *const *a = cmds[i].aliases; *a; a++)
			if (!strcmp(*a, word))
				return &cmds[i];
	}
	return NULL;
}

/* "unknown command", with every word the table knows. */
static int unknown(const char *word, struct vl_err *err)
{
	char known[256] = "";
	size_t off = 0;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		off += (size_t)snprintf(known + off, sizeof(known) - off, "%s%s", i ? ", " : "",
					cmds[i].name);
		for (const char *const *a = cmds[i].aliases; *a && off < sizeof(known); a++)
			off += (size_t)snprintf(known + off, sizeof(known) - off, ", %s", *a);
	}
	return vl_errf(err, "%s: unknown command (known: %s)", word, known), -EINVAL;
}

int vl_vimage_ngctl(struct json_object *m, int argc, char **argv, FILE *out,
		    bool *changed, struct vl_err *err)
{
	if (argc < 1)
		return 0;
	const struct vl_ngcmd *cmd = find_cmd(argv[0]);
	struct ngctx c = {.m = m, .out = out, .changed = changed, .err = err};
	int rc;
	if (!cmd)
		rc = unknown(argv[0], err);
	else if (argc < cmd->min_words || argc > cmd->max_words)
		rc = (vl_errf(err, "usage: %s", cmd->usage), -EINVAL);
	else
		rc = cmd->handler(&c, argc, argv);
	vimg_reap(m);
	return rc;
}

void vl_vimage_ngctl_done(struct json_object *m)
{
	/* The socket node goes, and its hooks with it; a node that held only
	 * those goes too, as above. */
	struct json_object *s = json_object_object_get(m, "socket");
	if (s) {
		vimg_unhook_all(m, s);
		json_object_object_del(m, "socket");
	}
	vimg_reap(m);
}
