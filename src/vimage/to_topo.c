/* SPDX-License-Identifier: BSD-2-Clause */
/* to_topo.c — the model as a topology (vimage.h), built straight into a
 * struct vl_topo by the loader's own steps (topo_build.h): held to every
 * rule a topology file is, with no text written or read.  A refusal
 * names what the user made — a jail, a netgraph node, a wire, an
 * ifconfig setting — as the command that made it, since no file line
 * would mean anything to them.
 *
 * The lab: a vnet node for the host and one per jail, holding their
 * interfaces (eifaces, em0); a bridge, hub or tee per netgraph node of
 * that type; a pipe node per ng_pipe wired on both sides (the loader
 * folds it into its link); a link per wire between them; and for an
 * interface with nothing behind it a hub of its own ("loneID"), so it
 * still exists. */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/impair.h"
#include "vnetlab/topo_build.h"

/* Where each element of the topology came from, as text: a position's
 * line is an index into it, from 1 (column 0, which no file has). */
struct origins {
	char **s;
	size_t n;
};

struct walk {
	struct json_object *m;
	struct vl_build b;
	struct origins o;
	struct vl_pos_names names;
};

__attribute__((format(printf, 2, 3))) static struct vl_pos origin(struct walk *w,
								   const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *s = strdup(buf);
	char **slot = s ? vl_build_grow((void **)&w->o.s, &w->o.n, sizeof(*slot)) : NULL;
	if (!slot) {
		free(s);
		return (struct vl_pos){0, 0}; /* named "the jails' network" */
	}
	*slot = s;
	return (struct vl_pos){(int)w->o.n, 0};
}

static void name_origin(void *arg, struct vl_pos pos, char *buf, size_t len)
{
	const struct origins *o = arg;
	bool known = pos.line > 0 && (size_t)pos.line <= o->n;
	snprintf(buf, len, "%s", known ? o->s[pos.line - 1] : "the jails' network");
}

static void free_origins(struct origins *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->s[i]);
	free(o->s);
}

/* ---- names ---------------------------------------------------------------------- */

/* The topology name of a netgraph node (not an interface). */
static void topo_name(struct json_object *m, struct json_object *n, char *buf, size_t len)
{
	const char *s = s_of(n, "name");
	bool ok = *s && !vl_check_node_name(s) && !vimg_jail(m, s) &&
		  strcmp(s, VL_VIMAGE_HOST) && !vimg_reserved_name(s);
	if (ok)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "ng%x", (unsigned)i_of(n, "id"));
}

/* A node's path as ngctl takes it: "NAME:" (an unnamed eiface's
 * netgraph name too), else "[ID]:". */
static void ng_path(struct json_object *n, char *buf, size_t len)
{
	if (*s_of(n, "name") || !strcmp(s_of(n, "type"), "eiface"))
		snprintf(buf, len, "%s:", vimg_shown_name(n));
	else
		snprintf(buf, len, "[%x]:", (unsigned)i_of(n, "id"));
}

/* The command that shows interface n where it is: "ifconfig IF" on the
 * host, "jexec JAIL ifconfig IF" in a jail. */
static void ifconfig_of(struct json_object *n, char *buf, size_t len)
{
	const char *vnet = s_of(n, "vnet");
	snprintf(buf, len, "%s%s%sifconfig %s", *vnet ? "jexec " : "", vnet, *vnet ? " " : "",
		 s_of(n, "ifname"));
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

/* Is a pipe wired on both sides, to nodes of the lab (not to ngctl's
 * socket, which a model being changed may still have)? */
static bool pipe_whole(struct json_object *m, struct json_object *n)
{
	struct json_object *h = json_object_object_get(n, "hooks");
	struct json_object *u = json_object_object_get(h, "upper");
	struct json_object *l = json_object_object_get(h, "lower");
	return strcmp(s_of(n, "type"), "pipe") ||
	       (u && l && vimg_node_by_id(m, i_of(u, "peer")) &&
		vimg_node_by_id(m, i_of(l, "peer")));
}

/* Is interface node n wired to something a lab can build? */
static bool wired(struct json_object *m, struct json_object *n)
{
	const char *hook = !strcmp(s_of(n, "type"), "ether") ? "upper" : "ether";
	struct json_object *e = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	struct json_object *p = e ? vimg_node_by_id(m, i_of(e, "peer")) : NULL;
	return p && pipe_whole(m, p);
}

/* ---- vnets and their interfaces --------------------------------------------------- */

static int add_addrs(struct walk *w, struct vl_iface *f, struct json_object *n,
		     const char *cmd)
{
	struct json_object *a = json_object_object_get(n, "addrs");
	int rc = 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));
		struct vl_ip ip;
		int bad = vl_ip_parse(s ? s : "", true, &ip);
		struct vl_pos at = origin(w, "%s %s %s", cmd,
					  !bad && ip.family == AF_INET6 ? "inet6" : "inet", s);
		if (bad < 0)
			rc = vl_build_errf(&w->b, at, "address '%s' is not an IPv4 or IPv6 "
					   "address", s ? s : "");
		else
			rc |= vl_build_addr(&w->b, f, &ip, at);
	}
	return rc;
}

/* Interface n on vnet node ni, with its MAC, MTU and addresses. */
static int add_iface(struct walk *w, size_t ni, struct json_object *n)
{
	char cmd[128];
	ifconfig_of(n, cmd, sizeof(cmd));
	struct vl_iface *f = vl_build_iface(&w->b, &w->b.t->nodes[ni], s_of(n, "ifname"),
					    origin(w, "%s", cmd));
	if (!f)
		return -1;
	int rc = 0, mtu = i_of(n, "mtu");
	if (*s_of(n, "mac"))
		rc |= vl_build_mac(&w->b, f, s_of(n, "mac"),
				   origin(w, "%s link %s", cmd, s_of(n, "mac")));
	if (mtu && (mtu < 68 || mtu > 65535))
		rc = vl_build_errf(&w->b, origin(w, "%s mtu %d", cmd, mtu), "mtu must be a "
				   "whole number from 68 to 65535, not '%d'", mtu);
	else
		f->mtu = (unsigned)mtu;
	return rc | add_addrs(w, f, n, cmd);
}

/* The host (name VL_VIMAGE_HOST) or jail `name`, and its interfaces. */
static int add_vnet(struct walk *w, const char *name, const char *host)
{
	bool home = !strcmp(name, VL_VIMAGE_HOST);
	struct vl_pos at = home ? origin(w, "the host") : origin(w, "jail -c name=%s", name);
	long ni = vl_build_node(&w->b, name, VL_KIND_VNET, at);
	if (ni < 0)
		return -1;
	struct vl_pos hp = home ? at : origin(w, "jail -c name=%s host.hostname=%s", name, host);
	int rc = vl_build_hostname(&w->b, &w->b.t->nodes[ni], host, hp);
	struct json_object *a = arr(w->m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (vimg_in_place(json_object_array_get_idx(a, i), name))
			rc |= add_iface(w, (size_t)ni, json_object_array_get_idx(a, i));
	return rc;
}

/* ---- netgraph nodes ---------------------------------------------------------------- */

/* The words of ng_pipe's setcfg this emulation reads, and the topology
 * form of their values (the loader's units: vl_param_parse). */
static int pipe_value(const char *word, long long v, enum vl_param *p, char *buf, size_t len)
{
	if (!strcmp(word, "bandwidth"))
		*p = VL_P_BANDWIDTH, snprintf(buf, len, "%lldbit", v);
	else if (!strcmp(word, "delay"))
		*p = VL_P_DELAY, snprintf(buf, len, "%lldus", v);
	else if (!strcmp(word, "ber")) /* 1 in v bits */
		*p = VL_P_BER, snprintf(buf, len, "%g", 1.0 / (double)v);
	else if (!strcmp(word, "duplicate"))
		*p = VL_P_DUPLICATE, snprintf(buf, len, "%lld%%", v);
	else if (!strcmp(word, "qin_size_limit"))
		*p = VL_P_QUEUE, snprintf(buf, len, "%lld", v);
	else
		return -1;
	return 0;
}

/* A pipe's setcfg text (every setcfg it was sent, in order) as its two
 * directions: a parameter after "downstream=" or "upstream=" is that
 * direction's, up to the next of those words (braces are not counted),
 * one before both's; ng_pipe has one delay, so a delay is both
 * directions' wherever written.  Values of 0 or less set nothing; of a
 * parameter given twice the later wins, as a later setcfg changes the
 * pipe. */
static int pipe_params(struct walk *w, size_t ni, struct json_object *n, struct vl_pos at)
{
	char buf[2048], path[48];
	snprintf(buf, sizeof(buf), "%s", s_of(n, "cfg"));
	ng_path(n, path, sizeof(path));
	struct vl_impair part[3] = {0}; /* both, downstream, upstream */
	int sect = 0, rc = 0;
	for (char *save, *word = strtok_r(buf, " {}", &save); word;
	     word = strtok_r(NULL, " {}", &save)) {
		if (!strcmp(word, "downstream=") || !strcmp(word, "upstream=")) {
			sect = word[0] == 'd' ? 1 : 2;
			continue;
		}
		char *eq = strchr(word, '='), value[64], why[200];
		if (!eq)
			continue;
		*eq = '\0';
		long long v = atoll(eq + 1);
		enum vl_param p;
		uint64_t got;
		if (v <= 0 || pipe_value(word, v, &p, value, sizeof(value)) < 0)
			continue;
		if (vl_param_parse(p, value, &got, why, sizeof(why)) < 0) {
			rc = vl_build_errf(&w->b, origin(w, "ngctl msg %s setcfg %s=%s", path, word,
							 eq + 1), "%s", why);
			continue;
		}
		vl_impair_set(&part[p == VL_P_DELAY ? 0 : sect], p, got);
	}
	struct vl_node *pn = &w->b.t->nodes[ni];
	for (int d = 0; d < 2; d++) {
		char why[256];
		pn->pipe_dir[d] = part[0];
		for (int p = 0; p < VL_P__COUNT; p++)
			if (vl_impair_has(&part[d + 1], (enum vl_param)p))
				vl_impair_set(&pn->pipe_dir[d], (enum vl_param)p, part[d + 1].v[p]);
		if (vl_impair_check(&pn->pipe_dir[d], why, sizeof(why)) < 0)
			rc = vl_build_errf(&w->b, at, "%s: %s", d ? "upstream" : "downstream", why);
	}
	return rc;
}

/* The topology node netgraph node n becomes, if any. */
static int add_ng_node(struct walk *w, struct json_object *n)
{
	const char *ty = s_of(n, "type");
	char name[32], path[48];
	topo_name(w->m, n, name, sizeof(name));
	ng_path(n, path, sizeof(path));
	/* A netgraph type that is a lab's kind: a switch of the core, or a
	 * pipe folded into its link once both its hooks are wired. */
	const struct vl_kind_type *kt = vl_kind_by_ngtype(ty);
	enum vl_kind k = kt ? kt->kind : VL_KIND_VNET;
	bool folded = kt && vl_kind_has(k, VL_KF_FOLDED);
	bool sw = kt && vl_kind_has(k, VL_KF_SWITCH) && !folded;
	if (sw || (folded && pipe_whole(w->m, n))) {
		/* "netgraph bridge node br", "netgraph pipe node [5]" */
		struct vl_pos at = origin(w, "netgraph %s node %.*s", ty, (int)strlen(path) - 1,
					  path);
		long ni = vl_build_node(&w->b, name, k, at);
		return ni < 0 ? -1 : folded ? pipe_params(w, (size_t)ni, n, at) : 0;
	}
	if (!json_object_object_get(n, "ifname") || wired(w->m, n))
		return 0;
	/* An interface with nothing behind it still exists: give it a
	 * port of its own. */
	char cmd[128], lone[32];
	ifconfig_of(n, cmd, sizeof(cmd));
	snprintf(lone, sizeof(lone), "lone%x", (unsigned)i_of(n, "id"));
	return vl_build_node(&w->b, lone, VL_KIND_HUB, origin(w, "%s", cmd)) < 0 ? -1 : 0;
}

/* ---- wires ------------------------------------------------------------------------- */

static int link(struct walk *w, const char *a, const char *z, struct vl_pos at)
{
	const struct vl_link l = {.pos = at};
	const char *const ends[2] = {a, z};
	const struct vl_pos end_pos[2] = {at, at};
	return vl_build_link(&w->b, &l, at, ends, end_pos);
}

/* Every wire between two nodes of the lab, once, as a link. */
static int add_wires(struct walk *w, struct json_object *n)
{
	int rc = 0;
	json_object_object_foreach(json_object_object_get(n, "hooks"), h, e) {
		struct json_object *p = vimg_node_by_id(w->m, i_of(e, "peer"));
		int me = i_of(n, "id"), him = i_of(e, "peer");
		const char *ph = s_of(e, "peerhook");
		if (!p || him < me || (him == me && strcmp(h, ph) > 0))
			continue; /* each wire once */
		char x[64], y[64], pa[48], pz[48];
		if (!pipe_whole(w->m, n) || !pipe_whole(w->m, p) ||
		    !endpoint(w->m, n, h, x, sizeof(x)) || !endpoint(w->m, p, ph, y, sizeof(y)))
			continue;
		ng_path(n, pa, sizeof(pa));
		ng_path(p, pz, sizeof(pz));
		rc |= link(w, x, y, origin(w, "ngctl connect %s %s %s %s", pa, pz, h, ph));
	}
	return rc;
}

/* An interface with nothing behind it, to its own hub's port. */
static int add_lone_link(struct walk *w, struct json_object *n)
{
	if (!json_object_object_get(n, "ifname") || wired(w->m, n))
		return 0;
	char x[64], lone[32], cmd[128];
	snprintf(x, sizeof(x), "%s:%s", *s_of(n, "vnet") ? s_of(n, "vnet") : VL_VIMAGE_HOST,
		 s_of(n, "ifname"));
	snprintf(lone, sizeof(lone), "lone%x:port", (unsigned)i_of(n, "id"));
	ifconfig_of(n, cmd, sizeof(cmd));
	return link(w, x, lone, origin(w, "%s", cmd));
}

/* ---- the whole -------------------------------------------------------------------- */

/* Every node, then every link, in the order the lab lists them. */
static void walk_model(struct walk *w)
{
	struct json_object *js = arr(w->m, "jails"), *ns = arr(w->m, "nodes");
	const char *lab = s_of(w->m, "lab");
	vl_build_lab(&w->b, lab, origin(w, "lab %s", lab));
	add_vnet(w, VL_VIMAGE_HOST, VL_VIMAGE_HOST);
	for (size_t i = 0; i < json_object_array_length(js); i++)
		add_vnet(w, s_of(json_object_array_get_idx(js, i), "name"),
			 s_of(json_object_array_get_idx(js, i), "host"));
	for (size_t i = 0; i < json_object_array_length(ns); i++)
		add_ng_node(w, json_object_array_get_idx(ns, i));
	if (vl_build_nodes_done(&w->b) < 0)
		return;
	for (size_t i = 0; i < json_object_array_length(ns); i++)
		add_wires(w, json_object_array_get_idx(ns, i));
	for (size_t i = 0; i < json_object_array_length(ns); i++)
		add_lone_link(w, json_object_array_get_idx(ns, i));
}

int vl_vimage_topo(struct json_object *m, const char *file, struct vl_topo **out,
		   struct vl_err *err)
{
	struct walk w = {.m = m};
	w.names = (struct vl_pos_names){name_origin, &w.o};
	*out = NULL;
	int rc = vl_build_begin(&w.b, file ? file : "the jails' network", &w.names, err);
	if (rc == 0) {
		walk_model(&w);
		rc = vl_build_finish(&w.b, out);
	}
	free_origins(&w.o);
	return rc;
}

int vl_vimage_build(struct json_object *m, const char *file, struct vl_topo **out,
		    struct vl_err *err)
{
	struct vl_err why;
	vl_err_init(&why);
	if (vl_vimage_topo(m, file, out, &why) < 0)
		return vl_errf(err, "refused: this change would make a network vnetlab "
			       "cannot build: %s", why.msg), -EINVAL;
	return 0;
}

int vl_vimage_check(struct json_object *m, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	int rc = vl_vimage_build(m, NULL, &t, err);
	vl_topo_free(t);
	return rc;
}
