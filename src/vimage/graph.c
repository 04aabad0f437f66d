/* SPDX-License-Identifier: BSD-2-Clause */
/* graph.c — netgraph's rules, as the model keeps them: ngctl's socket node
 * ".", paths as netgraph(4) reads them, names and hooks, a wire made or
 * cut, a node shut down, and what goes by itself when its last hook does.
 * ngctl.c's commands are made of these. */
#include "vimage/vimage_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- ngctl's socket node ---------------------------------------------------------- */

/* ngctl's own node, of type socket: "." to ngctl.  It lives for one
 * invocation of ngctl (one command line, or one `ngctl -f` script), and so
 * do its hooks (mkpeer and connect from "."): it is m's "socket" until
 * vl_vimage_ngctl_done, never saved.  Its ID is one no node of the model
 * takes (they count up from 1), so [7fffffff]: names it too, as does its
 * name, ngctlPID (ngctl(8)). */
struct json_object *vimg_sock(struct json_object *m)
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

bool vimg_is_sock(const struct json_object *n)
{
	return n && !strcmp(s_of((struct json_object *)n, "type"), "socket");
}

/* The node at the other end of hook record h: a node, or the socket. */
struct json_object *vimg_peer_of(struct json_object *m, struct json_object *h)
{
	int id = i_of(h, "peer");
	struct json_object *s = json_object_object_get(m, "socket");
	return s && id == SOCK_ID ? s : vimg_node_by_id(m, id);
}

/* ---- paths ----------------------------------------------------------------------- */

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
	struct json_object *a = arr(m, "nodes"), *s = vimg_sock(m);
	if (ng_id(name, &id)) {
		for (size_t i = 0; i < json_object_array_length(a); i++)
			if ((unsigned)i_of(json_object_array_get_idx(a, i), "id") == id)
				return json_object_array_get_idx(a, i);
		return id == SOCK_ID ? s : NULL;
	}
	struct json_object *n = vimg_node_by_name(m, name);
	/* An unnamed ng_eiface node answers to its netgraph name (ngethN,
	 * shown_name) and, as vnetlab has always allowed, to its
	 * interface's name now. */
	for (int pass = 0; pass < 2 && !n; pass++)
		for (size_t i = 0; i < json_object_array_length(a) && !n; i++) {
			struct json_object *o = json_object_array_get_idx(a, i);
			if (!*s_of(o, "name") && !strcmp(s_of(o, "type"), "eiface") &&
			    !strcmp(pass ? s_of(o, "ifname") : vimg_shown_name(o), name))
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
int vimg_resolve_at(struct json_object *m, struct json_object *here, const char *path,
		    struct json_object **out, struct vl_err *err)
{
	char buf[512]; /* NG_PATHSIZ */
	*out = NULL;
	if (!here)
		here = vimg_sock(m);
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
		n = e ? vimg_peer_of(m, e) : NULL;
	}
	if (!n)
		return vl_errf(err, "%s: No such file or directory", path), -ENOENT;
	*out = n;
	return 0;
}

/* A path as ngctl's commands take it: from the socket node. */
int vimg_resolve(struct json_object *m, const char *path, struct json_object **out,
		 struct vl_err *err)
{
	return vimg_resolve_at(m, NULL, path, out, err);
}

/* ---- names, hooks and wires ---------------------------------------------------------- */

/* ng_base's rule for node and hook names: 1..31 bytes, no '.' or ':'
 * (path separators); we also refuse spaces and control bytes. */
bool vimg_ng_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= 32)
		return false;
	for (; *s; s++)
		if (*s == '.' || *s == ':' || (unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* The hooks a node of `type` may have: netgraph's per type, and what a
 * lab can build; the one place the emulation says so. */
bool vimg_hook_ok(const char *type, const char *hook)
{
	/* netgraph(4): a hook's name has no '.' or ':' (a path could not
	 * name it) and is under NG_HOOKSIZ; the socket's take any such. */
	if (!vimg_ng_name_ok(hook))
		return false;
	if (!strcmp(type, "socket"))
		return true;
	/* A hook becomes an interface name on Linux: 15 bytes at most
	 * (found by the verbs fuzzer: link1000...0 passed as a bridge hook). */
	if (vl_check_ifname(hook))
		return false;
	/* A lab's kinds say their own rule (kind.h: eiface is a vnet's
	 * interface, bridge takes linkN/uplinkN, tee and pipe their hooks). */
	const struct vl_kind_type *k = vl_kind_by_ngtype(type);
	if (k)
		return k->hook_ok(hook);
	/* ng_ether, a host interface's node: not a kind of a lab. */
	static const char *const ether[] = {"upper", "lower", "orphans", NULL};
	if (!strcmp(type, "ether")) {
		for (size_t i = 0; ether[i]; i++)
			if (!strcmp(ether[i], hook))
				return true;
		return false;
	}
	return *hook != '\0';
}

int vimg_join(struct json_object *a, const char *ah, struct json_object *b, const char *bh,
	      struct vl_err *err)
{
	struct json_object *ha = json_object_object_get(a, "hooks");
	struct json_object *hb = json_object_object_get(b, "hooks");
	bool a_ok = vimg_hook_ok(s_of(a, "type"), ah);
	if (!a_ok || !vimg_hook_ok(s_of(b, "type"), bh))
		return vl_errf(err, "%s: Invalid argument", a_ok ? bh : ah), -EINVAL;
	bool a_has = json_object_object_get(ha, ah) != NULL;
	if (a_has || json_object_object_get(hb, bh) || (a == b && !strcmp(ah, bh)))
		return vl_errf(err, "%s: File exists", a_has ? ah : bh), -EEXIST;
	struct json_object *x = json_object_new_object(), *y = json_object_new_object();
	set_i(x, "peer", i_of(b, "id"));
	set_s(x, "peerhook", bh);
	set_i(y, "peer", i_of(a, "id"));
	set_s(y, "peerhook", ah);
	json_object_object_add(ha, ah, x);
	json_object_object_add(hb, bh, y);
	return 0;
}

void vimg_unhook(struct json_object *m, struct json_object *n, const char *hook)
{
	struct json_object *h = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	if (!h)
		return;
	struct json_object *peer = vimg_peer_of(m, h);
	char ph[64];
	snprintf(ph, sizeof(ph), "%s", s_of(h, "peerhook"));
	json_object_object_del(json_object_object_get(n, "hooks"), hook);
	if (peer)
		json_object_object_del(json_object_object_get(peer, "hooks"), ph);
}

void vimg_unhook_all(struct json_object *m, struct json_object *n)
{
	struct json_object *hooks = json_object_object_get(n, "hooks");
	while (json_object_object_length(hooks)) {
		char h[64];
		json_object_object_foreach(hooks, k, v) {
			(void)v;
			snprintf(h, sizeof(h), "%s", k);
			break;
		}
		vimg_unhook(m, n, h);
	}
}

void vimg_remove_node(struct json_object *m, struct json_object *n)
{
	vimg_unhook_all(m, n);
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (json_object_array_get_idx(a, i) == n) {
			json_object_array_del_idx(a, i, 1);
			return;
		}
}

/* ---- nodes made and gone ------------------------------------------------------------ */

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
		if (!held && !vimg_name_taken(m, VL_VIMAGE_HOST, name, NULL))
			return u;
	}
}

struct json_object *vimg_new_node(struct json_object *m, const char *type)
{
	struct json_object *n = vimg_add_node(m, type);
	if (!strcmp(type, "eiface")) {
		char ifn[16];
		int unit = eiface_unit(m);
		snprintf(ifn, sizeof(ifn), "ngeth%d", unit);
		vimg_make_iface(n, ifn);
		set_i(n, "unit", unit);
	}
	return n;
}

/* A bridge, hub, tee or pipe whose last hook is gone shuts itself down
 * (ng_bridge(4), ng_hub(4), ng_tee(4), ng_pipe(4)), unless persistent;
 * eifaces and em0 stay. */
void vimg_reap(struct json_object *m)
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
