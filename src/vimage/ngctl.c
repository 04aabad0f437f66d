/* SPDX-License-Identifier: BSD-2-Clause */
/* ngctl.c — ngctl's commands on the model (vimage.h). */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

static void list(struct json_object *m, bool hooks, FILE *out)
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

static const char *const types[] = {"eiface", "bridge", "hub", "tee", "pipe", NULL};

static int mkpeer(struct json_object *m, int argc, char **argv, bool *changed,
		  struct vl_err *err)
{
	/* mkpeer [path] type hook peerhook */
	if (argc != 4 && argc != 5)
		return vl_errf(err, "usage: mkpeer [path] <type> <hook> <peerhook>"), -EINVAL;
	const char *path = argc == 5 ? argv[1] : ".";
	const char *type = argv[argc - 3], *hook = argv[argc - 2], *peerhook = argv[argc - 1];
	size_t t = 0;
	while (types[t] && strcmp(types[t], type))
		t++;
	if (!types[t])
		return vl_errf(err, "mkpeer: %s: No such file or directory (node types: "
			       "eiface, bridge, hub, tee, pipe)", type), -ENOENT;
	struct json_object *from;
	int rc = vimg_resolve(m, path, &from, err);
	if (rc < 0)
		return rc;
	/* From ngctl's own socket node (".") the hook is the socket's: it
	 * lasts as long as this ngctl (vl_vimage_ngctl_done). */
	if (!vimg_hook_ok(type, peerhook) || !vimg_hook_ok(s_of(from, "type"), hook))
		return vl_errf(err, "mkpeer: Invalid argument"), -EINVAL;
	if (json_object_object_get(json_object_object_get(from, "hooks"), hook)) {
		if (vimg_is_sock(from)) /* as on FreeBSD, but said: scripts meet it */
			return vl_errf(err, "mkpeer: File exists (ngctl's own node \".\" has a "
				       "hook %s already, until this ngctl exits: rmhook %s first, "
				       "or name the hook otherwise)", hook, hook), -EEXIST;
		return vl_errf(err, "mkpeer: File exists"), -EEXIST;
	}
	struct json_object *n = vimg_new_node(m, type);
	rc = vimg_join(from, hook, n, peerhook, err);
	*changed = *changed || rc == 0;
	return rc; /* never refused: both hooks checked above, and n is new */
}

static int do_connect(struct json_object *m, int argc, char **argv, bool *changed,
		      struct vl_err *err)
{
	/* connect [path] relpath hook peerhook: relpath, if relative, from
	 * the node at path (the message's recipient resolves it, ng_base). */
	if (argc != 4 && argc != 5)
		return vl_errf(err, "usage: connect [path] <relpath> <hook> <peerhook>"), -EINVAL;
	struct json_object *a, *b;
	int rc = vimg_resolve(m, argc == 5 ? argv[1] : ".", &a, err);
	if (rc == 0)
		rc = vimg_resolve_at(m, a, argv[argc - 3], &b, err);
	if (rc == 0)
		rc = vimg_join(a, argv[argc - 2], b, argv[argc - 1], err);
	/* A wire to the socket goes with it: nothing for the lab. */
	*changed = *changed || (rc == 0 && !vimg_is_sock(a) && !vimg_is_sock(b));
	return rc;
}

static int msg(struct json_object *m, int argc, char **argv, FILE *out, bool *changed,
	       struct vl_err *err)
{
	if (argc < 3)
		return vl_errf(err, "usage: msg path command [args ...]"), -EINVAL;
	struct json_object *n;
	int rc = vimg_resolve(m, argv[1], &n, err);
	if (rc < 0)
		return rc;
	const char *type = s_of(n, "type"), *cmd = argv[2];
	if (!strcmp(cmd, "setpersistent") && (!strcmp(type, "bridge") || !strcmp(type, "hub"))) {
		json_object_object_add(n, "persistent", json_object_new_boolean(true));
		return 0;
	}
	if (!strcmp(cmd, "getifname") && !strcmp(type, "eiface")) {
		fprintf(out, "Rec'd response \"getifname\" (1) from \"[%x]:\":\nArgs:\t\"%s\"\n",
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
		*changed = true;
		return 0;
	}
	return vl_errf(err, "msg: %s: Invalid argument (this emulation knows "
		       "setpersistent, getifname and a pipe's setcfg)", cmd), -EINVAL;
}

static int command(struct json_object *m, int argc, char **argv, FILE *out, bool *changed,
		   struct vl_err *err)
{
	const char *c = argv[0];
	struct json_object *n;
	int rc;
	if (!strcmp(c, "mkpeer"))
		return mkpeer(m, argc, argv, changed, err);
	if (!strcmp(c, "connect"))
		return do_connect(m, argc, argv, changed, err);
	if (!strcmp(c, "msg"))
		return msg(m, argc, argv, out, changed, err);
	if (!strcmp(c, "list") || !strcmp(c, "ls") || !strcmp(c, "l")) {
		list(m, argc > 1 && !strcmp(argv[1], "-l"), out);
		return 0;
	}
	if (!strcmp(c, "name") && argc == 3) {
		if ((rc = vimg_resolve(m, argv[1], &n, err)) < 0)
			return rc;
		/* ng_base: 1..31 bytes (NG_NODESIZ 32), no '.' or ':'. */
		if (!vimg_ng_name_ok(argv[2]) || strpbrk(argv[2], "[]"))
			return vl_errf(err, "name: %s: Invalid argument", argv[2]), -EINVAL;
		struct json_object *s = vimg_sock(m);
		if (vimg_node_by_name(m, argv[2]) || !strcmp(s_of(s, "name"), argv[2]))
			return vl_errf(err, "name: %s: File exists", argv[2]), -EEXIST;
		set_s(n, "name", argv[2]);
		*changed = *changed || n != s;
		return 0;
	}
	if ((!strcmp(c, "shutdown") || !strcmp(c, "show")) && argc == 2) {
		if ((rc = vimg_resolve(m, argv[1], &n, err)) < 0)
			return rc;
		if (c[1] == 'h' && c[2] == 'o') {
			show(n, out);
			show_hooks(m, n, out);
			return 0;
		}
		if (vimg_is_sock(n))
			return vl_errf(err, "shutdown: %s: Invalid argument (ngctl's own socket "
				       "node: it goes when ngctl exits)", argv[1]), -EINVAL;
		/* ng_ether(4): shutdown disconnects every hook "but the node
		 * is not removed" (it goes only with its interface). */
		if (!strcmp(s_of(n, "type"), "ether"))
			vimg_unhook_all(m, n);
		else
			vimg_remove_node(m, n);
		*changed = true;
		return 0;
	}
	if (!strcmp(c, "rmhook") && (argc == 2 || argc == 3)) {
		/* rmhook [path] hook: the socket's own hook without a path. */
		if ((rc = vimg_resolve(m, argc == 3 ? argv[1] : ".", &n, err)) < 0)
			return rc;
		struct json_object *h = json_object_object_get(json_object_object_get(n, "hooks"),
							       argv[argc - 1]);
		/* No such hook: nothing to do, and no error (ng_base). */
		if (h && !vimg_is_sock(n) && !vimg_is_sock(vimg_peer_of(m, h)))
			*changed = true;
		vimg_unhook(m, n, argv[argc - 1]);
		return 0;
	}
	return vl_errf(err, "%s: unknown or malformed command (known: mkpeer, connect, "
		       "name, shutdown, rmhook, msg, list, ls, show)", c), -EINVAL;
}

int vl_vimage_ngctl(struct json_object *m, int argc, char **argv, FILE *out,
		    bool *changed, struct vl_err *err)
{
	if (argc < 1)
		return 0;
	int rc = command(m, argc, argv, out, changed, err);
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
