/* SPDX-License-Identifier: BSD-2-Clause */
/* vimage.c — jails and netgraph as a model (vimage.h). */
#include "vnetlab/vimage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vnetlab/netaddr.h"
#include "vnetlab/topo.h"

/* ---- small JSON helpers ------------------------------------------------------ */

static const char *s_of(struct json_object *o, const char *k)
{
	const char *s = json_object_get_string(json_object_object_get(o, k));
	return s ? s : "";
}

static int i_of(struct json_object *o, const char *k)
{
	return json_object_get_int(json_object_object_get(o, k));
}

static void set_s(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void set_i(struct json_object *o, const char *k, int v)
{
	json_object_object_add(o, k, json_object_new_int(v));
}

static struct json_object *arr(struct json_object *m, const char *k)
{
	return json_object_object_get(m, k);
}

static int next(struct json_object *m, const char *counter)
{
	int v = i_of(m, counter);
	set_i(m, counter, v + 1);
	return v;
}

/* ---- the model ------------------------------------------------------------------ */

static struct json_object *add_node(struct json_object *m, const char *type)
{
	struct json_object *n = json_object_new_object();
	set_i(n, "id", next(m, "next_id"));
	set_s(n, "type", type);
	set_s(n, "name", "");
	json_object_object_add(n, "persistent", json_object_new_boolean(false));
	json_object_object_add(n, "hooks", json_object_new_object());
	json_object_array_add(arr(m, "nodes"), n);
	return n;
}

static void make_iface(struct json_object *n, const char *ifname)
{
	set_s(n, "ifname", ifname);
	/* The name it was born with (ngethN, em0): the one it takes back when
	 * it comes home to a host that already has its present name. */
	set_s(n, "origname", ifname);
	set_s(n, "vnet", "");
	set_s(n, "mac", "");
	set_i(n, "mtu", 0);
	json_object_object_add(n, "addrs", json_object_new_array());
	json_object_object_add(n, "up", json_object_new_boolean(false));
}

struct json_object *vl_vimage_new(const char *lab)
{
	struct json_object *m = json_object_new_object();
	set_s(m, "lab", lab);
	set_i(m, "next_id", 1);
	set_i(m, "next_jid", 1);
	json_object_object_add(m, "jails", json_object_new_array());
	json_object_object_add(m, "nodes", json_object_new_array());
	/* The compat host's own network interface, as ng_ether sees it. */
	struct json_object *em0 = add_node(m, "ether");
	set_s(em0, "name", "em0");
	json_object_object_add(em0, "persistent", json_object_new_boolean(true));
	make_iface(em0, "em0");
	return m;
}

static struct json_object *node_by_id(struct json_object *m, int id)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (i_of(json_object_array_get_idx(a, i), "id") == id)
			return json_object_array_get_idx(a, i);
	return NULL;
}

static struct json_object *node_by_name(struct json_object *m, const char *name)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		if (!strcmp(s_of(n, "name"), name))
			return n;
	}
	return NULL;
}

/* A node's name as ngctl shows it: its own; an unnamed eiface's is the
 * name ng_eiface gave it at birth (ngethN), which renaming or moving the
 * interface does not change, so two eifaces renamed eth0 in two jails are
 * still ngeth0 and ngeth1 to ngctl, as on FreeBSD; else none. */
static const char *shown_name(struct json_object *n)
{
	const char *s = s_of(n, "name");
	if (*s)
		return s;
	if (strcmp(s_of(n, "type"), "eiface"))
		return "<unnamed>";
	return *s_of(n, "origname") ? s_of(n, "origname") : s_of(n, "ifname");
}

/* ---- ngctl's socket node ---------------------------------------------------------- */

/* ngctl's own node, of type socket: "." to ngctl.  It lives for one
 * invocation of ngctl (one command line, or one `ngctl -f` script), and so
 * do its hooks (mkpeer and connect from "."): it is m's "socket" until
 * vl_vimage_ngctl_done, never saved.  Its ID is one no node of the model
 * takes (they count up from 1), so [7fffffff]: names it too, as does its
 * name, ngctlPID (ngctl(8)). */
#define SOCK_ID 0x7fffffff

static struct json_object *sock(struct json_object *m)
{
	struct json_object *s = json_object_object_get(m, "socket");
	if (s)
		return s;
	char name[32];
	snprintf(name, sizeof(name), "ngctl%d", (int)getpid());
	s = json_object_new_object();
	set_i(s, "id", SOCK_ID);
	set_s(s, "type", "socket");
	set_s(s, "name", name);
	json_object_object_add(s, "hooks", json_object_new_object());
	json_object_object_add(m, "socket", s);
	return s;
}

static bool is_sock(const struct json_object *n)
{
	return n && !strcmp(s_of((struct json_object *)n, "type"), "socket");
}

/* The node at the other end of hook record h: a node, or the socket. */
static struct json_object *peer_of(struct json_object *m, struct json_object *h)
{
	int id = i_of(h, "peer");
	struct json_object *s = json_object_object_get(m, "socket");
	return s && id == SOCK_ID ? s : node_by_id(m, id);
}

/* ng_base's ng_decodeidname: "[hex]", nonzero, nothing else. */
static bool ng_id(const char *s, unsigned long *id)
{
	size_t len = strlen(s);
	if (len < 3 || s[0] != '[' || s[len - 1] != ']' || !isxdigit((unsigned char)s[1]))
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s + 1, &end, 16);
	if (end != s + len - 1 || errno || v == 0 || v > 0xffffffffUL)
		return false;
	*id = v;
	return true;
}

/* The node a netgraph name (or ID) names, the socket included. */
static struct json_object *named(struct json_object *m, const char *name)
{
	unsigned long id;
	struct json_object *a = arr(m, "nodes"), *s = sock(m);
	if (ng_id(name, &id)) {
		for (size_t i = 0; i < json_object_array_length(a); i++)
			if ((unsigned)i_of(json_object_array_get_idx(a, i), "id") == id)
				return json_object_array_get_idx(a, i);
		return id == SOCK_ID ? s : NULL;
	}
	struct json_object *n = node_by_name(m, name);
	/* An unnamed ng_eiface node answers to its netgraph name (ngethN,
	 * shown_name) and, as vnetlab has always allowed, to its
	 * interface's name now. */
	for (int pass = 0; pass < 2 && !n; pass++)
		for (size_t i = 0; i < json_object_array_length(a) && !n; i++) {
			struct json_object *o = json_object_array_get_idx(a, i);
			if (!*s_of(o, "name") && !strcmp(s_of(o, "type"), "eiface") &&
			    !strcmp(pass ? s_of(o, "ifname") : shown_name(o), name))
				n = o;
		}
	return n ? n : !strcmp(s_of(s, "name"), name) ? s : NULL;
}

/* A netgraph address, read as ng_path_parse and ng_path2noderef read it
 * (netgraph(4), ADDRESSING): [NODE:][HOOK[.HOOK...]], NODE a name, an ID
 * in brackets or "." (the local node, `here`); without NODE the hooks are
 * followed from `here`.  So ".", ".:", "" are `here`; "tmp" and ".:tmp"
 * the peer of here's hook tmp; "br:link0.left" two hops from br.  One
 * leading and one trailing '.' of the hooks are dropped; an empty NODE, a
 * '.' in NODE, a ':' in the hooks or ".." is EINVAL, a missing node or
 * hook ENOENT.  here NULL is ngctl's socket node. */
static int resolve_at(struct json_object *m, struct json_object *here, const char *path,
		      struct json_object **out, struct vl_err *err)
{
	char buf[512]; /* NG_PATHSIZ */
	*out = NULL;
	if (!here)
		here = sock(m);
	if (strlen(path) >= sizeof(buf))
		return vl_errf(err, "%.40s...: Invalid argument (longer than NG_PATHSIZ)", path),
		       -EINVAL;
	snprintf(buf, sizeof(buf), "%s", path);
	char *node = NULL, *hops = buf, *colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		node = buf;
		hops = colon + 1;
	}
	size_t hl = strlen(hops);
	if ((node && (!*node || (strcmp(node, ".") && strchr(node, '.')))) || strchr(hops, ':') ||
	    strstr(hops, ".."))
		return vl_errf(err, "%s: Invalid argument", path), -EINVAL;
	if (hl && hops[hl - 1] == '.')
		hops[hl - 1] = '\0';
	if (hops[0] == '.')
		hops++;
	struct json_object *n = !node || !strcmp(node, ".") ? here : named(m, node);
	for (char *save = NULL, *h = strtok_r(hops, ".", &save); n && h;
	     h = strtok_r(NULL, ".", &save)) {
		struct json_object *e = json_object_object_get(json_object_object_get(n, "hooks"), h);
		n = e ? peer_of(m, e) : NULL;
	}
	if (!n)
		return vl_errf(err, "%s: No such file or directory", path), -ENOENT;
	*out = n;
	return 0;
}

/* A path as ngctl's commands take it: from the socket node. */
static int resolve(struct json_object *m, const char *path, struct json_object **out,
		   struct vl_err *err)
{
	return resolve_at(m, NULL, path, out, err);
}

/* ng_base's rule for node and hook names: 1..31 bytes, no '.' or ':'
 * (path separators); we also refuse spaces and control bytes. */
static bool ng_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= 32)
		return false;
	for (; *s; s++)
		if (*s == '.' || *s == ':' || (unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static bool hook_ok(const char *type, const char *hook)
{
	/* netgraph(4): a hook's name has no '.' or ':' (a path could not
	 * name it) and is under NG_HOOKSIZ; the socket's take any such. */
	if (!ng_name_ok(hook))
		return false;
	if (!strcmp(type, "socket"))
		return true;
	/* A hook becomes an interface name on Linux: 15 bytes at most
	 * (found by the verbs fuzzer: link1000...0 passed as a bridge hook). */
	if (vl_check_ifname(hook))
		return false;
	static const char *const tee[] = {"left", "right", "left2right", "right2left", NULL};
	static const char *const pipe[] = {"upper", "lower", NULL};
	static const char *const ether[] = {"upper", "lower", "orphans", NULL};
	const char *const *list = !strcmp(type, "tee") ? tee : !strcmp(type, "pipe") ? pipe
				: !strcmp(type, "ether") ? ether : NULL;
	if (!strcmp(type, "eiface"))
		return !strcmp(hook, "ether");
	if (!strcmp(type, "bridge")) {
		const char *d = !strncmp(hook, "uplink", 6) ? hook + 6
			      : !strncmp(hook, "link", 4) ? hook + 4 : NULL;
		return d && *d && strspn(d, "0123456789") == strlen(d);
	}
	for (size_t i = 0; list && list[i]; i++)
		if (!strcmp(list[i], hook))
			return true;
	return !list && *hook && !vl_check_ifname(hook);
}

static int join(struct json_object *a, const char *ah, struct json_object *b,
		const char *bh, struct vl_err *err)
{
	struct json_object *ha = json_object_object_get(a, "hooks");
	struct json_object *hb = json_object_object_get(b, "hooks");
	if (!hook_ok(s_of(a, "type"), ah) || !hook_ok(s_of(b, "type"), bh))
		return vl_errf(err, "%s: Invalid argument", hook_ok(s_of(a, "type"), ah) ? bh : ah),
		       -EINVAL;
	if (json_object_object_get(ha, ah) || json_object_object_get(hb, bh) || (a == b && !strcmp(ah, bh)))
		return vl_errf(err, "%s: File exists", json_object_object_get(ha, ah) ? ah : bh),
		       -EEXIST;
	struct json_object *x = json_object_new_object(), *y = json_object_new_object();
	set_i(x, "peer", i_of(b, "id"));
	set_s(x, "peerhook", bh);
	set_i(y, "peer", i_of(a, "id"));
	set_s(y, "peerhook", ah);
	json_object_object_add(ha, ah, x);
	json_object_object_add(hb, bh, y);
	return 0;
}

static void unhook(struct json_object *m, struct json_object *n, const char *hook)
{
	struct json_object *h = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	if (!h)
		return;
	struct json_object *peer = peer_of(m, h);
	char ph[64];
	snprintf(ph, sizeof(ph), "%s", s_of(h, "peerhook"));
	json_object_object_del(json_object_object_get(n, "hooks"), hook);
	if (peer)
		json_object_object_del(json_object_object_get(peer, "hooks"), ph);
}

static void unhook_all(struct json_object *m, struct json_object *n)
{
	struct json_object *hooks = json_object_object_get(n, "hooks");
	while (json_object_object_length(hooks)) {
		char h[64];
		json_object_object_foreach(hooks, k, v) {
			(void)v;
			snprintf(h, sizeof(h), "%s", k);
			break;
		}
		unhook(m, n, h);
	}
}

static void remove_node(struct json_object *m, struct json_object *n)
{
	unhook_all(m, n);
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (json_object_array_get_idx(a, i) == n) {
			json_object_array_del_idx(a, i, 1);
			return;
		}
}

/* ---- jails ------------------------------------------------------------------------ */

static struct json_object *jail(struct json_object *m, const char *name)
{
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(s_of(json_object_array_get_idx(a, i), "name"), name))
			return json_object_array_get_idx(a, i);
	return NULL;
}

bool vl_vimage_has_jail(struct json_object *m, const char *name)
{
	return jail(m, name) != NULL;
}

/* Topology names vnetlab makes up for netgraph nodes without a usable
 * name ("ng" + id) and for lone interfaces' ports ("lone" + id): a jail or
 * a named node may not take one, or two nodes of the lab would share it
 * (found by the verbs fuzzer: jail ng4 beside unnamed bridge 4). */
static bool reserved_name(const char *s)
{
	const char *d = !strncmp(s, "ng", 2) ? s + 2 : !strncmp(s, "lone", 4) ? s + 4 : NULL;
	return d && *d && strspn(d, "0123456789abcdef") == strlen(d);
}

int vl_vimage_jail_create(struct json_object *m, const char *name, const char *host,
			  struct vl_err *err)
{
	const char *why = vl_check_node_name(name);
	if (!why && reserved_name(name))
		why = "is a name vnetlab gives unnamed netgraph nodes (ngN, loneN)";
	if (why || !strcmp(name, VL_VIMAGE_HOST))
		return vl_errf(err, "jail: name=%s: %s", name,
			       why ? why : "is the compat host's own node"), -EINVAL;
	if (jail(m, name))
		return vl_errf(err, "jail: %s: jail %s already exists", name, name), -EEXIST;
	struct json_object *j = json_object_new_object();
	set_s(j, "name", name);
	set_s(j, "host", host && *host ? host : name);
	set_i(j, "jid", next(m, "next_jid"));
	json_object_array_add(arr(m, "jails"), j);
	return 0;
}

static void vmove(struct json_object *n, const char *to);
static void unclash(struct json_object *m, struct json_object *n);

int vl_vimage_jail_remove(struct json_object *m, const char *name, FILE *out,
			  struct vl_err *err)
{
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(s_of(json_object_array_get_idx(a, i), "name"), name)) {
			json_object_array_del_idx(a, i, 1);
			/* Its interfaces go home to the host, as vnet_if_return()
			 * does on FreeBSD: down, without addresses, and under a
			 * name the host does not have yet. */
			struct json_object *ns = arr(m, "nodes");
			for (size_t k = 0; k < json_object_array_length(ns); k++) {
				struct json_object *n = json_object_array_get_idx(ns, k);
				if (!json_object_object_get(n, "ifname") || strcmp(s_of(n, "vnet"), name))
					continue;
				char was[64];
				snprintf(was, sizeof(was), "%s", s_of(n, "ifname"));
				vmove(n, "");
				unclash(m, n);
				if (out && strcmp(was, s_of(n, "ifname")))
					fprintf(out, "jail: %s: its %s is back on the host as %s "
						"(the host already has an interface %s)\n", name, was, s_of(n, "ifname"), was);
			}
			return 0;
		}
	return vl_errf(err, "jail: \"%s\" not found", name), -ENOENT;
}

void vl_vimage_jls(struct json_object *m, FILE *out)
{
	fprintf(out, "   JID  IP Address      Hostname                      Path\n");
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *j = json_object_array_get_idx(a, i);
		fprintf(out, "%6d  %-15s %-29s %s\n", i_of(j, "jid"), "", s_of(j, "host"), "/");
	}
}

/* ---- ngctl ---------------------------------------------------------------------------- */

static void show(struct json_object *n, FILE *out)
{
	struct json_object *hooks = json_object_object_get(n, "hooks");
	fprintf(out, "  Name: %-15s Type: %-15s ID: %08x   Num hooks: %d\n", shown_name(n),
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
		struct json_object *p = peer_of(m, h);
		fprintf(out, "  %-15s %-15s %-12s %08x          %-15s\n", k,
			p ? shown_name(p) : "?", p ? s_of(p, "type") : "?",
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
		struct json_object *o = i < n ? json_object_array_get_idx(a, i) : sock(m);
		show(o, out);
		if (hooks)
			show_hooks(m, o, out);
	}
}

static const char *const types[] = {"eiface", "bridge", "hub", "tee", "pipe", NULL};

static bool name_taken(struct json_object *m, const char *where, const char *name,
		       const struct json_object *self);

/* An eiface's unit: its own, or (a model without one) its birth name's. */
static int unit_of(struct json_object *n)
{
	struct json_object *u = json_object_object_get(n, "unit");
	int v = -1;
	if (u)
		return json_object_get_int(u);
	return sscanf(s_of(n, "origname"), "ngeth%d", &v) == 1 ? v : -1;
}

/* ng_eiface's rule: a new node takes the lowest unit no eiface node holds
 * ("New nodes always take the first unused interface", ng_eiface(4)).
 * vnetlab also skips a unit whose name an interface of the host already
 * has (renamed to it, or come back from a jail under it), where FreeBSD
 * would make a second interface of that name. */
static int eiface_unit(struct json_object *m)
{
	struct json_object *a = arr(m, "nodes");
	for (int u = 0;; u++) {
		bool held = false;
		for (size_t i = 0; i < json_object_array_length(a) && !held; i++) {
			struct json_object *n = json_object_array_get_idx(a, i);
			held = !strcmp(s_of(n, "type"), "eiface") && unit_of(n) == u;
		}
		char name[16];
		snprintf(name, sizeof(name), "ngeth%d", u);
		if (!held && !name_taken(m, VL_VIMAGE_HOST, name, NULL))
			return u;
	}
}

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
	int rc = resolve(m, path, &from, err);
	if (rc < 0)
		return rc;
	/* From ngctl's own socket node (".") the hook is the socket's: it
	 * lasts as long as this ngctl (vl_vimage_ngctl_done). */
	if (!hook_ok(type, peerhook) || !hook_ok(s_of(from, "type"), hook))
		return vl_errf(err, "mkpeer: Invalid argument"), -EINVAL;
	if (json_object_object_get(json_object_object_get(from, "hooks"), hook)) {
		if (is_sock(from)) /* as on FreeBSD, but said: scripts meet it */
			return vl_errf(err, "mkpeer: File exists (ngctl's own node \".\" has a "
				       "hook %s already, until this ngctl exits: rmhook %s first, "
				       "or name the hook otherwise)", hook, hook), -EEXIST;
		return vl_errf(err, "mkpeer: File exists"), -EEXIST;
	}
	struct json_object *n = add_node(m, type);
	if (!strcmp(type, "eiface")) {
		char ifn[16];
		int unit = eiface_unit(m);
		snprintf(ifn, sizeof(ifn), "ngeth%d", unit);
		make_iface(n, ifn);
		set_i(n, "unit", unit);
	}
	rc = join(from, hook, n, peerhook, err);
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
	int rc = resolve(m, argc == 5 ? argv[1] : ".", &a, err);
	if (rc == 0)
		rc = resolve_at(m, a, argv[argc - 3], &b, err);
	if (rc == 0)
		rc = join(a, argv[argc - 2], b, argv[argc - 1], err);
	/* A wire to the socket goes with it: nothing for the lab. */
	*changed = *changed || (rc == 0 && !is_sock(a) && !is_sock(b));
	return rc;
}

static int msg(struct json_object *m, int argc, char **argv, FILE *out, bool *changed,
	       struct vl_err *err)
{
	if (argc < 3)
		return vl_errf(err, "usage: msg path command [args ...]"), -EINVAL;
	struct json_object *n;
	int rc = resolve(m, argv[1], &n, err);
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
		if ((rc = resolve(m, argv[1], &n, err)) < 0)
			return rc;
		/* ng_base: 1..31 bytes (NG_NODESIZ 32), no '.' or ':'. */
		if (!ng_name_ok(argv[2]) || strpbrk(argv[2], "[]"))
			return vl_errf(err, "name: %s: Invalid argument", argv[2]), -EINVAL;
		struct json_object *s = sock(m);
		if (node_by_name(m, argv[2]) || !strcmp(s_of(s, "name"), argv[2]))
			return vl_errf(err, "name: %s: File exists", argv[2]), -EEXIST;
		set_s(n, "name", argv[2]);
		*changed = *changed || n != s;
		return 0;
	}
	if ((!strcmp(c, "shutdown") || !strcmp(c, "show")) && argc == 2) {
		if ((rc = resolve(m, argv[1], &n, err)) < 0)
			return rc;
		if (c[1] == 'h' && c[2] == 'o') {
			show(n, out);
			show_hooks(m, n, out);
			return 0;
		}
		if (is_sock(n))
			return vl_errf(err, "shutdown: %s: Invalid argument (ngctl's own socket "
				       "node: it goes when ngctl exits)", argv[1]), -EINVAL;
		/* ng_ether(4): shutdown disconnects every hook "but the node
		 * is not removed" (it goes only with its interface). */
		if (!strcmp(s_of(n, "type"), "ether"))
			unhook_all(m, n);
		else
			remove_node(m, n);
		*changed = true;
		return 0;
	}
	if (!strcmp(c, "rmhook") && (argc == 2 || argc == 3)) {
		/* rmhook [path] hook: the socket's own hook without a path. */
		if ((rc = resolve(m, argc == 3 ? argv[1] : ".", &n, err)) < 0)
			return rc;
		struct json_object *h = json_object_object_get(json_object_object_get(n, "hooks"),
							       argv[argc - 1]);
		/* No such hook: nothing to do, and no error (ng_base). */
		if (h && !is_sock(n) && !is_sock(peer_of(m, h)))
			*changed = true;
		unhook(m, n, argv[argc - 1]);
		return 0;
	}
	return vl_errf(err, "%s: unknown or malformed command (known: mkpeer, connect, "
		       "name, shutdown, rmhook, msg, list, ls, show)", c), -EINVAL;
}

/* A bridge, hub, tee or pipe whose last hook is gone shuts itself down
 * (ng_bridge(4), ng_hub(4), ng_tee(4), ng_pipe(4)), unless persistent;
 * eifaces and em0 stay. */
static void reap(struct json_object *m)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = json_object_array_length(a); i-- > 0;) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *t = s_of(n, "type");
		bool stays = !strcmp(t, "eiface") || !strcmp(t, "ether") ||
			     json_object_get_boolean(json_object_object_get(n, "persistent"));
		if (!stays && !json_object_object_length(json_object_object_get(n, "hooks")))
			json_object_array_del_idx(a, i, 1);
	}
}

int vl_vimage_ngctl(struct json_object *m, int argc, char **argv, FILE *out,
		    bool *changed, struct vl_err *err)
{
	if (argc < 1)
		return 0;
	int rc = command(m, argc, argv, out, changed, err);
	reap(m);
	return rc;
}

void vl_vimage_ngctl_done(struct json_object *m)
{
	/* The socket node goes, and its hooks with it; a node that held only
	 * those goes too, as above. */
	struct json_object *s = json_object_object_get(m, "socket");
	if (s) {
		unhook_all(m, s);
		json_object_object_del(m, "socket");
	}
	reap(m);
}

/* ---- ifconfig ------------------------------------------------------------------------ */

static bool in_place(struct json_object *n, const char *where)
{
	if (!json_object_object_get(n, "ifname"))
		return false;
	const char *v = s_of(n, "vnet");
	return !strcmp(where, VL_VIMAGE_HOST) ? !*v : !strcmp(v, where);
}

static struct json_object *iface(struct json_object *m, const char *where, const char *name)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		if (in_place(n, where) && !strcmp(s_of(n, "ifname"), name))
			return n;
	}
	return NULL;
}

static bool name_taken(struct json_object *m, const char *where, const char *name,
		       const struct json_object *self)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (o != self && in_place(o, where) && !strcmp(s_of(o, "ifname"), name))
			return true;
	}
	return false;
}

/* if_vmove: the interface leaves its vnet for `to` ("" is the host).  It
 * arrives down and without addresses (if_detach_internal purges them),
 * keeping its name, MAC and MTU. */
static void vmove(struct json_object *n, const char *to)
{
	set_s(n, "vnet", to);
	json_object_object_add(n, "addrs", json_object_new_array());
	json_object_object_add(n, "up", json_object_new_boolean(false));
}

/* An interface back on the host under a name the host already has (the
 * jail renamed both to eth0): FreeBSD would show two, a lab cannot hold
 * two.  It takes the name it was born with (ngethN, em0), else its
 * driver's lowest free unit. */
static void unclash(struct json_object *m, struct json_object *n)
{
	if (!name_taken(m, VL_VIMAGE_HOST, s_of(n, "ifname"), n))
		return;
	const char *orig = s_of(n, "origname");
	if (*orig && !vl_check_ifname(orig) && !name_taken(m, VL_VIMAGE_HOST, orig, n)) {
		set_s(n, "ifname", orig);
		return;
	}
	char drv[16], name[32];
	snprintf(drv, sizeof(drv), "%.*s", (int)strcspn(orig, "0123456789"), orig);
	if (!*drv || strlen(drv) > 8)
		snprintf(drv, sizeof(drv), "%s", strcmp(s_of(n, "type"), "ether") ? "ngeth" : "em");
	for (int u = 0;; u++) {
		snprintf(name, sizeof(name), "%s%d", drv, u);
		if (!name_taken(m, VL_VIMAGE_HOST, name, n))
			break;
	}
	set_s(n, "ifname", name);
}

static void print_iface(struct json_object *n, FILE *out)
{
	bool up = json_object_get_boolean(json_object_object_get(n, "up"));
	fprintf(out, "%s: flags=%s metric 0 mtu %d\n", s_of(n, "ifname"),
		up ? "8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>"
		   : "8802<BROADCAST,SIMPLEX,MULTICAST>",
		i_of(n, "mtu") ? i_of(n, "mtu") : 1500);
	fprintf(out, "\tether %s\n", *s_of(n, "mac") ? s_of(n, "mac") : "(as the kernel chose)");
	struct json_object *a = json_object_object_get(n, "addrs");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct vl_ip ip;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(a, i)), true, &ip) < 0)
			continue;
		char s[64];
		vl_ip_str(&ip, false, s, sizeof(s));
		if (ip.family == AF_INET) {
			uint32_t mask = ip.plen ? ~0u << (32 - ip.plen) : 0;
			fprintf(out, "\tinet %s netmask 0x%08x\n", s, mask);
		} else {
			fprintf(out, "\tinet6 %s prefixlen %d\n", s, ip.plen);
		}
	}
}

static void list_ifaces(struct json_object *m, const char *where, FILE *out)
{
	fprintf(out, "lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 65536\n"
		     "\tinet 127.0.0.1 netmask 0xff000000\n\tinet6 ::1 prefixlen 128\n");
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (in_place(json_object_array_get_idx(a, i), where))
			print_iface(json_object_array_get_idx(a, i), out);
}

/* FreeBSD's default for an IPv4 address without a mask: its class. */
static int classful(const struct vl_ip *ip)
{
	return ip->a[0] < 128 ? 8 : ip->a[0] < 192 ? 16 : 24;
}

/* A netmask (0xffffff00 or 255.255.255.0) as a prefix length; -1 for one
 * that is not a run of ones then zeros (255.0.255.0 was taken as /16). */
static int netmask_plen(const char *s)
{
	unsigned long v;
	struct vl_ip ip;
	char *end;
	if (!strncmp(s, "0x", 2) && s[2]) {
		errno = 0;
		v = strtoul(s + 2, &end, 16);
		if (*end || errno || v > 0xffffffffu || strchr(s + 2, '-') || strchr(s + 2, '+'))
			return -1;
	} else if (vl_ip_parse(s, false, &ip) == 0 && ip.family == AF_INET && ip.plen ==
		   32) {
		v = (unsigned long)ip.a[0] << 24 | ip.a[1] << 16 | ip.a[2] << 8 | ip.a[3];
	} else {
		return -1;
	}
	int plen = __builtin_popcountl(v);
	uint32_t want = plen ? ~0u << (32 - plen) : 0;
	return (uint32_t)v == want ? plen : -1;
}

/* inet/inet6 ADDR[/len] [netmask M | prefixlen N] [alias | -alias]; words
 * from *i on, the family word already taken. */
/* Does another interface of n's vnet (jail, or the host) hold ip? */
static bool addr_taken(struct json_object *m, struct json_object *n, const struct vl_ip *ip)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (o == n || !json_object_object_get(o, "ifname") ||
		    strcmp(s_of(o, "vnet"), s_of(n, "vnet")))
			continue;
		struct json_object *addrs = json_object_object_get(o, "addrs");
		for (size_t k = 0; k < json_object_array_length(addrs); k++) {
			struct vl_ip x;
			if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)),
					true, &x) == 0 && vl_ip_same_addr(&x, ip))
				return true;
		}
	}
	return false;
}

/* Addresses no interface may own, and why: Linux refuses IPv6's loopback,
 * unspecified and multicast addresses outright (and a lab built with one
 * would fail to come up); the IPv4 ones mean something else than an
 * address of this interface.  NULL for an address an interface may hold. */
static const char *not_unicast(const struct vl_ip *ip)
{
	static const char *const mcast = "is a multicast group, which an interface joins, never owns";
	if (ip->family == AF_INET) {
		if (ip->a[0] == 127)
			return "is a loopback address: it belongs on lo0";
		if (ip->a[0] == 0)
			return "is in 0.0.0.0/8, \"this network\", no interface's address";
		if (ip->a[0] >= 224 && ip->a[0] < 240)
			return mcast;
		return ip->a[0] >= 240 ? "is reserved (240.0.0.0/4, and the broadcast address)" : NULL;
	}
	static const uint8_t zero[16], one[16] = {[15] = 1};
	if (!memcmp(ip->a, zero, 16))
		return "is the unspecified address";
	if (!memcmp(ip->a, one, 16))
		return "is the loopback address: it belongs on lo0";
	return ip->a[0] == 0xff ? mcast : NULL;
}

static bool has_inet6(struct json_object *n)
{
	struct json_object *addrs = json_object_object_get(n, "addrs");
	for (size_t k = 0; k < json_object_array_length(addrs); k++) {
		struct vl_ip x;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)), true,
				&x) == 0 && x.family == AF_INET6)
			return true;
	}
	return false;
}

static int set_addr(struct json_object *m, struct json_object *n, int fam, int argc,
		    char **argv, int *i, struct vl_err *err)
{
	if (*i >= argc)
		return vl_errf(err, "ifconfig: address expected"), -EINVAL;
	const char *a = argv[(*i)++];
	if (fam == AF_INET && !strcmp(a, "localhost"))
		a = "127.0.0.1";
	struct vl_ip ip;
	bool has_len = strchr(a, '/') != NULL;
	if (vl_ip_parse(a, has_len, &ip) < 0 || (fam && ip.family != fam))
		return vl_errf(err, "ifconfig: %s: bad value", a), -EINVAL;
	if (!has_len)
		ip.plen = ip.family == AF_INET ? classful(&ip) : 64;
	bool alias = false, remove = false;
	for (; *i < argc; (*i)++) {
		if (!strcmp(argv[*i], "alias") || !strcmp(argv[*i], "add"))
			alias = true;
		else if (!strcmp(argv[*i], "-alias") || !strcmp(argv[*i], "delete"))
			remove = true;
		else if ((!strcmp(argv[*i], "netmask") || !strcmp(argv[*i], "prefixlen")) &&
			 *i + 1 < argc) {
			unsigned long long pl = 0;
			int p = argv[*i][0] == 'n' ? netmask_plen(argv[*i + 1])
				: vl_uint_arg(argv[*i + 1], 0, 128, &pl) == 0 ? (int)pl : -1;
			if (p < 0 || p > (ip.family == AF_INET ? 32 : 128))
				return vl_errf(err, "ifconfig: %s: bad value", argv[*i + 1]), -EINVAL;
			ip.plen = p;
			(*i)++;
		} else
			break;
	}
	const char *ioc = ip.family == AF_INET ? "SIOCAIFADDR" : "SIOCAIFADDR_IN6";
	const char *why = remove ? NULL : not_unicast(&ip);
	char s0[64];
	vl_ip_str(&ip, false, s0, sizeof(s0));
	if (why)
		return vl_errf(err, "ifconfig: ioctl (%s): Can't assign requested address (%s %s)",
			       ioc, s0, why), -EADDRNOTAVAIL;
	/* Linux keeps no IPv6 on a link under IPv6's minimum MTU (it refuses
	 * the address; FreeBSD takes it and disables IPv6 on the link). */
	if (!remove && ip.family == AF_INET6 && i_of(n, "mtu") && i_of(n, "mtu") < 1280)
		return vl_errf(err, "ifconfig: ioctl (%s): Invalid argument (%s has mtu %d; "
			       "IPv6 needs 1280)", ioc, s_of(n, "ifname"), i_of(n, "mtu")), -EINVAL;
	/* One address on two interfaces of a vnet: FreeBSD refuses it (found
	 * by the verbs fuzzer; the loader refuses such a node too). */
	if (!remove && addr_taken(m, n, &ip))
		return vl_errf(err, "ifconfig: ioctl (SIOCAIFADDR): File exists"), -EEXIST;
	char s[64];
	vl_ip_str(&ip, true, s, sizeof(s));
	struct json_object *addrs = json_object_object_get(n, "addrs");
	/* Without alias an IPv4 address replaces the first one, as on FreeBSD. */
	for (size_t k = 0; k < json_object_array_length(addrs); k++) {
		struct vl_ip x;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)), true,
				&x) < 0 || x.family != ip.family)
			continue;
		bool same = !memcmp(x.a, ip.a, (size_t)vl_ip_alen(ip.family));
		if (same || (!alias && !remove && ip.family == AF_INET)) {
			json_object_array_del_idx(addrs, k, 1);
			break;
		}
	}
	if (!remove) {
		json_object_array_add(addrs, json_object_new_string(s));
		json_object_object_add(n, "up", json_object_new_boolean(true));
	}
	return 0;
}

static int rename_iface(struct json_object *m, struct json_object *n, const char *where,
			const char *name, struct vl_err *err)
{
	(void)n;
	const char *why = vl_check_ifname(name);
	if (why)
		return vl_errf(err, "ifconfig: %s: %s", name, why), -EINVAL;
	/* Every vnet has its loopback, lo0 (and on Linux also lo): taken. */
	bool lo = !strcmp(name, "lo0") || !strcmp(name, "lo");
	if (lo || iface(m, where, name))
		return vl_errf(err, "ifconfig: ioctl SIOCSIFNAME (set name): File exists%s",
			       lo ? " (every jail has its loopback lo0, and on Linux lo)" : ""),
		       -EEXIST;
	set_s(n, "ifname", name);
	return 0;
}

int vl_vimage_ifconfig(struct json_object *m, const char *where, int argc, char **argv,
		       FILE *out, bool *changed, struct json_object **ifc,
		       struct vl_err *err)
{
	*ifc = NULL;
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "-a"))) {
		list_ifaces(m, where, out);
		return 0;
	}
	if (!strcmp(argv[0], "lo0"))
		return 0; /* every node's loopback is up, as `ifconfig lo0 localhost` makes it */
	bool home = !strcmp(where, VL_VIMAGE_HOST);
	/* `ifconfig IF -vnet JAIL` names an interface that is in JAIL. */
	const char *look = home && argc == 3 && !strcmp(argv[1], "-vnet") ? argv[2] : where;
	struct json_object *n = iface(m, look, argv[0]);
	if (!n)
		return vl_errf(err, "ifconfig: interface %s does not exist", argv[0]), -ENXIO;
	*ifc = n;
	if (argc == 1) {
		print_iface(n, out);
		return 0;
	}
	int rc = 0;
	for (int i = 1; i < argc && rc == 0;) {
		const char *w = argv[i++], *v = i < argc ? argv[i] : NULL;
		uint8_t mac[6];
		if ((!strcmp(w, "vnet") || !strcmp(w, "-vnet")) && v) {
			i++;
			if (!home)
				rc = (vl_errf(err, "ifconfig: %s: only the host moves interfaces "
					     "between jails", w), -EPERM);
			else if (!jail(m, v))
				rc = (vl_errf(err, "ifconfig: jail \"%s\" not found", v), -ENOENT);
			else if (name_taken(m, w[0] == '-' ? VL_VIMAGE_HOST : v, s_of(n, "ifname"), n))
				/* FreeBSD checks this for vnet (if_vmove_loan) and
				 * not for -vnet, which then makes a second one. */
				rc = (vl_errf(err, "ifconfig: %s: File exists (%s has an interface %s: "
					     "rename one of them first)", w[0] == '-' ? "SIOCSIFRVNET"
					     : "SIOCSIFVNET", w[0] == '-' ? "the host" : v,
					     s_of(n, "ifname")), -EEXIST);
			else {
				/* if_vmove purges the interface's addresses, as
				 * FreeBSD does: configure it in its new vnet. */
				vmove(n, w[0] == '-' ? "" : v);
				*changed = true;
			}
		} else if (!strcmp(w, "name") && v) {
			i++;
			rc = rename_iface(m, n, look, v, err);
		} else if ((!strcmp(w, "link") || !strcmp(w, "ether") || !strcmp(w, "lladdr")) && v) {
			i++;
			char s[24];
			if (vl_mac_parse(v, mac) < 0)
				rc = (vl_errf(err, "ifconfig: %s: bad value", v), -EINVAL);
			else if (mac[0] & 1) /* multicast: an interface cannot own one */
				rc = (vl_errf(err, "ifconfig: ioctl (SIOCSIFLLADDR): Invalid argument"),
				      -EINVAL);
			else if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
				/* Linux refuses it (EADDRNOTAVAIL): no station has it. */
				rc = (vl_errf(err, "ifconfig: ioctl (SIOCSIFLLADDR): Can't assign "
					     "requested address (%s is no interface's address)", v),
				      -EADDRNOTAVAIL);
			else
				set_s(n, "mac", vl_mac_str(mac, s, sizeof(s)));
		} else if (!strcmp(w, "mtu") && v) {
			i++;
			int mtu = atoi(v);
			if (mtu < 68 || mtu > 65535)
				rc = (vl_errf(err, "ifconfig: mtu %s: bad value", v), -EINVAL);
			else if (mtu < 1280 && has_inet6(n))
				/* Linux would drop them; the model would keep them. */
				rc = (vl_errf(err, "ifconfig: mtu %s: %s has IPv6 addresses, which need "
					     "an MTU of 1280 or more (remove them first: inet6 ADDR "
					     "-alias)", v, s_of(n, "ifname")), -EINVAL);
			else
				set_i(n, "mtu", mtu);
		} else if (!strcmp(w, "up") || !strcmp(w, "down")) {
			json_object_object_add(n, "up", json_object_new_boolean(w[0] == 'u'));
		} else if (!strcmp(w, "promisc") || !strcmp(w, "-promisc")) {
			/* Every vnetlab port already sees all its frames. */
		} else if (!strcmp(w, "inet") || !strcmp(w, "inet6")) {
			rc = set_addr(m, n, w[4] == '6' ? AF_INET6 : AF_INET, argc, argv, &i, err);
		} else if (strchr(w, '.') || strchr(w, ':')) {
			i--;
			rc = set_addr(m, n, 0, argc, argv, &i, err);
		} else {
			rc = (vl_errf(err, "ifconfig: %s: bad value", w), -EINVAL);
		}
	}
	return rc;
}

/* ---- the topology it makes ----------------------------------------------------------- */

struct text {
	char *s;
	size_t len;
	FILE *f;
};

/* The topology name of a netgraph node (not an interface). */
static void topo_name(struct json_object *m, struct json_object *n, char *buf, size_t len)
{
	const char *s = s_of(n, "name");
	bool ok = *s && !vl_check_node_name(s) && !jail(m, s) && strcmp(s, VL_VIMAGE_HOST) &&
		  !reserved_name(s);
	if (ok)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "ng%x", (unsigned)i_of(n, "id"));
}

/* "node:hook" of hook h of netgraph node n, or false when the hook leads
 * nowhere in a lab (ng_ether's lower hook: the wire behind the NIC). */
static bool endpoint(struct json_object *m, struct json_object *n, const char *h,
		     char *buf, size_t len)
{
	const char *t = s_of(n, "type");
	if (!strcmp(t, "eiface") || !strcmp(t, "ether")) {
		if (!strcmp(t, "ether") && strcmp(h, "upper"))
			return false;
		snprintf(buf, len, "%s:%s", *s_of(n, "vnet") ? s_of(n, "vnet") : VL_VIMAGE_HOST,
			 s_of(n, "ifname"));
		return true;
	}
	char name[32];
	topo_name(m, n, name, sizeof(name));
	snprintf(buf, len, "%s:%s", name, h);
	return true;
}

static void yaml_iface(struct json_object *n, FILE *f)
{
	fprintf(f, "      %s: {", s_of(n, "ifname"));
	if (*s_of(n, "mac"))
		fprintf(f, " mac: \"%s\",", s_of(n, "mac"));
	if (i_of(n, "mtu"))
		fprintf(f, " mtu: %d,", i_of(n, "mtu"));
	fprintf(f, " addrs: [");
	struct json_object *a = json_object_object_get(n, "addrs");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "",
			json_object_get_string(json_object_array_get_idx(a, i)));
	fprintf(f, "] }\n");
}

static void yaml_vnet(struct json_object *m, const char *name, const char *host, FILE *f)
{
	fprintf(f, "  %s:\n    hostname: \"%s\"\n    ifaces:\n", name, host);
	struct json_object *a = arr(m, "nodes");
	bool any = false;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (in_place(json_object_array_get_idx(a, i), name)) {
			yaml_iface(json_object_array_get_idx(a, i), f);
			any = true;
		}
	if (!any)
		fprintf(f, "      {}\n");
}

/* A pipe's setcfg text as link parameters: "bandwidth=N" (bit/s), "delay=N"
 * (us), "ber=N" (1 in N bits), "duplicate=N" (%), "qin_size_limit=N",
 * inside "downstream={ }" / "upstream={ }" or for both; -1 clears. */
static void yaml_pipe(const char *cfg, FILE *f)
{
	char buf[2048], dir[2][512] = {"", ""}, both[512] = "";
	snprintf(buf, sizeof(buf), "%s", cfg);
	int sect = -1;
	for (char *save, *w = strtok_r(buf, " {}", &save); w; w = strtok_r(NULL, " {}", &save)) {
		if (!strcmp(w, "downstream=") || !strcmp(w, "upstream=")) {
			sect = w[0] == 'd' ? 0 : 1;
			continue;
		}
		char *eq = strchr(w, '=');
		if (!eq)
			continue;
		*eq = '\0';
		long long v = atoll(eq + 1);
		char *out = sect < 0 ? both : dir[sect], item[96] = "";
		if (v <= 0)
			continue;
		if (!strcmp(w, "bandwidth"))
			snprintf(item, sizeof(item), "bandwidth: %lldbit, ", v);
		else if (!strcmp(w, "delay"))
			snprintf(item, sizeof(item), "delay: %lldus, ", v);
		else if (!strcmp(w, "ber"))
			snprintf(item, sizeof(item), "ber: \"%g\", ", 1.0 / (double)v);
		else if (!strcmp(w, "duplicate"))
			snprintf(item, sizeof(item), "duplicate: \"%lld%%\", ", v);
		else if (!strcmp(w, "qin_size_limit"))
			snprintf(item, sizeof(item), "queue: %lld, ", v);
		strncat(out, item, 511 - strlen(out));
		if (sect >= 0 && !strcmp(w, "delay")) /* one delay, both ways */
			strncat(both, item, 511 - strlen(both));
	}
	fprintf(f, "{ kind: pipe, %s", both);
	const char *names[2] = {"downstream", "upstream"};
	for (int d = 0; d < 2; d++)
		if (dir[d][0]) {
			dir[d][strlen(dir[d]) - 2] = '\0';
			fprintf(f, "%s: { %s }, ", names[d], dir[d]);
		}
	fprintf(f, "}\n");
}

/* Is a pipe wired on both sides, to nodes of the lab (not to ngctl's
 * socket, which a model being changed may still have)? */
static bool pipe_whole(struct json_object *m, struct json_object *n)
{
	struct json_object *h = json_object_object_get(n, "hooks");
	struct json_object *u = json_object_object_get(h, "upper");
	struct json_object *l = json_object_object_get(h, "lower");
	return strcmp(s_of(n, "type"), "pipe") ||
	       (u && l && node_by_id(m, i_of(u, "peer")) && node_by_id(m, i_of(l, "peer")));
}

static void yaml_links(struct json_object *m, FILE *f)
{
	fprintf(f, "links:\n");
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		json_object_object_foreach(json_object_object_get(n, "hooks"), h, e) {
			struct json_object *p = node_by_id(m, i_of(e, "peer"));
			int me = i_of(n, "id"), him = i_of(e, "peer");
			if (!p || him < me || (him == me && strcmp(h, s_of(e, "peerhook")) > 0))
				continue; /* each wire once */
			char x[64], y[64];
			if (!pipe_whole(m, n) || !pipe_whole(m, p) || !endpoint(m, n, h, x, sizeof(x)) ||
			    !endpoint(m, p, s_of(e, "peerhook"), y, sizeof(y)))
				continue;
			fprintf(f, "  - [\"%s\", \"%s\"]\n", x, y);
		}
	}
}

/* Is interface node n wired to something a lab can build? */
static bool wired(struct json_object *m, struct json_object *n)
{
	const char *hook = !strcmp(s_of(n, "type"), "ether") ? "upper" : "ether";
	struct json_object *e = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	struct json_object *p = e ? node_by_id(m, i_of(e, "peer")) : NULL;
	return p && pipe_whole(m, p);
}

char *vl_vimage_topology(struct json_object *m)
{
	struct text t = {0};
	FILE *f = open_memstream(&t.s, &t.len);
	if (!f)
		return NULL;
	fprintf(f, "# made by vnetlab's FreeBSD verbs (jail, ngctl, ifconfig)\nname: %s\nnodes:\n",
		s_of(m, "lab"));
	yaml_vnet(m, VL_VIMAGE_HOST, VL_VIMAGE_HOST, f);
	struct json_object *js = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(js); i++)
		yaml_vnet(m, s_of(json_object_array_get_idx(js, i), "name"),
			  s_of(json_object_array_get_idx(js, i), "host"), f);
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *ty = s_of(n, "type");
		char name[32];
		topo_name(m, n, name, sizeof(name));
		if (!strcmp(ty, "bridge") || !strcmp(ty, "hub") || !strcmp(ty, "tee"))
			fprintf(f, "  %s: { kind: %s }\n", name, ty);
		else if (!strcmp(ty, "pipe") && pipe_whole(m, n)) {
			fprintf(f, "  %s: ", name);
			yaml_pipe(s_of(n, "cfg"), f);
		} else if (json_object_object_get(n, "ifname") && !wired(m, n))
			/* An interface with nothing behind it still exists:
			 * give it a port of its own. */
			fprintf(f, "  lone%x: { kind: hub }\n", (unsigned)i_of(n, "id"));
	}
	yaml_links(m, f);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		char x[64];
		if (json_object_object_get(n, "ifname") && !wired(m, n)) {
			snprintf(x, sizeof(x), "%s:%s",
				 *s_of(n, "vnet") ? s_of(n, "vnet") : VL_VIMAGE_HOST, s_of(n, "ifname"));
			fprintf(f, "  - [\"%s\", \"lone%x:port\"]\n", x, (unsigned)i_of(n, "id"));
		}
	}
	fclose(f);
	return t.s;
}

int vl_vimage_check(struct json_object *m, struct vl_err *err)
{
	char *yaml = vl_vimage_topology(m);
	if (!yaml)
		return vl_errf(err, "out of memory"), -ENOMEM;
	struct vl_topo *t = NULL;
	struct vl_err why;
	vl_err_init(&why);
	int rc = vl_topo_load_buffer("the jails' network", yaml, strlen(yaml), &t, &why);
	free(yaml);
	vl_topo_free(t);
	if (rc < 0)
		return vl_errf(err, "refused: this change would make a network vnetlab "
			       "cannot build: %s", why.msg), -EINVAL;
	return 0;
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
