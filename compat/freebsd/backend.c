/* SPDX-License-Identifier: BSD-2-Clause */
/* backend.c — the FreeBSD backend (freebsd.h): plan ops to commands.
 *
 * Why the commands look as they do:
 *  - Netgraph names live per vnet; the lab's all live in the experiment
 *    jail's, so they cannot meet another lab's.  ng_eiface numbers its
 *    interfaces per vnet too (lowest free unit), so in that fresh vnet the
 *    k-th eiface made is ngeth<k>, and the plan can name it in advance.
 *  - An eiface is made standalone (mkpeer from ngctl's own socket, then
 *    rmhook: an eiface outlives its hooks, as in the talk); bridges and hubs
 *    likewise, made persistent first.  Tees and pipes shut down when their
 *    last hook goes, so they are made from a neighbour with mkpeer.
 *  - The whole graph is one `ngctl -f -`; the interface moves and renames
 *    follow it, since they need the interfaces to exist.
 *  - A vnet jail's path= is a root of its own, the host's / with the
 *    node's filesystem view on top, made just before the jail (view.c);
 *    the steps and their undo are undo.c's.
 */
#include "vnetlab/freebsd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "be.h"

/* One row per kind: what this backend builds for it (kind.h says what
 * it is, and its ngtype is what mkpeer makes).  A folded kind (pipe)
 * never reaches a backend: its row is empty.  The table (fb_kinds) is
 * below, by the ops table, after the functions it names. */
struct fb_kind {
	/* Makes a node of the kind: the op the plan gives it. */
	int (*make)(struct vl_backend *be, const struct vl_op *op, struct vl_err *err);
	/* An endpoint's netgraph node name, and the hook it uses there. */
	void (*ng_name)(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len);
	void (*ng_hook)(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len);
	/* Made for an endpoint before its link; NULL: nothing. */
	void (*prepare)(struct fbsd_be *b, const struct vl_endpoint *ep);
	bool jail;         /* a vnet jail of its own, a child of the lab's */
	bool made_by_link; /* lives only while hooked, so made by mkpeer from a
			      neighbour when its first link is (ng_tee) */
};
static const struct fb_kind fb_kinds[VL_KIND__COUNT];

static const struct fb_kind *kind_of(struct fbsd_be *b, const struct vl_endpoint *ep)
{
	return &fb_kinds[topo_of(b)->nodes[ep->node].kind];
}

/* ---- text buffers ----------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void tprintf(struct text *t,
							  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap ? t->cap * 2 : 1024) + (size_t)n;
		char *s = realloc(t->s, cap);
		if (!s)
			return;
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Prepend a line: undo lines run newest first. */
static void tprepend(struct text *t, const char *line)
{
	struct text n = {0};
	tprintf(&n, "%s\n%s", line, t->s ? t->s : "");
	free(t->s);
	*t = n;
}

/* ---- issuing commands ---------------------------------------------------------- */

/* "jexec LAB[.NODE] words..." */
static struct fb_cmd in_jail(struct fbsd_be *b, long node, const char *const *words)
{
	const struct vl_topo *t = topo_of(b);
	char jail[VL_LABNAME_MAX + VL_NAME_MAX + 2];
	if (node < 0)
		snprintf(jail, sizeof(jail), "%s", t->name);
	else
		snprintf(jail, sizeof(jail), "%s.%s", t->name, t->nodes[node].name);
	struct fb_cmd c = fb_cmd_make((const char *[]){"jexec", jail, NULL});
	for (size_t i = 0; words[i]; i++)
		fb_cmd_add(&c, words[i]);
	return c;
}

static void later(struct fbsd_be *b, struct fb_cmd c)
{
	if (b->n_later == b->cap_later) {
		size_t cap = b->cap_later ? b->cap_later * 2 : 64;
		void *p = realloc(b->later, cap * sizeof(*b->later));
		if (!p) {
			fb_cmd_free(&c);
			return;
		}
		b->later = p;
		b->cap_later = cap;
	}
	b->later[b->n_later++] = c;
}

/* The netgraph batch, then what waited for it. */
static int flush_graph(struct fbsd_be *b, struct vl_err *err)
{
	int rc = 0;
	if (b->ng.len) {
		struct fb_cmd c = in_jail(b, -1, (const char *[]){"ngctl", "-f", "-", NULL});
		c.input = b->ng.s;
		struct fb_cmd u = fb_none();
		if (b->ng_undo.len) {
			u = in_jail(b, -1, (const char *[]){"ngctl", "-f", "-", NULL});
			u.input = b->ng_undo.s;
		} else {
			free(b->ng_undo.s);
		}
		b->ng = b->ng_undo = (struct text){0};
		rc = fb_issue(b, c, u, err);
	}
	size_t i = 0;
	for (; i < b->n_later && rc == 0; i++)
		rc = fb_issue(b, b->later[i], fb_none(), err);
	for (; i < b->n_later; i++)
		fb_cmd_free(&b->later[i]);
	b->n_later = 0;
	return rc;
}

/* ---- names ---------------------------------------------------------------------- */

/* A vnet hook is an eiface of its own, named NODE_HOOK, on its "ether". */
static void eiface_name(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf,
			size_t len)
{
	const struct vl_node *n = &topo_of(b)->nodes[ep->node];
	snprintf(buf, len, "%s_%s", n->name, n->ifaces[ep->iface].name);
}

static void eiface_hook(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf,
			size_t len)
{
	(void)b, (void)ep;
	snprintf(buf, len, "ether");
}

/* A switch or tee is one netgraph node named like it. */
static void node_name(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len)
{
	snprintf(buf, len, "%s", topo_of(b)->nodes[ep->node].name);
}

/* Its hooks as the topology names them (ng_hub takes any; a tee's were
 * checked against ng_tee's by the loader). */
static void own_hook(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len)
{
	snprintf(buf, len, "%s", topo_of(b)->nodes[ep->node].ifaces[ep->iface].name);
}

/* ng_bridge only takes linkN/uplinkN: a bridge whose hooks are not all
 * such is numbered. */
static void bridge_hook(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf,
			size_t len)
{
	const struct vl_node *n = &topo_of(b)->nodes[ep->node];
	bool ok = true;
	for (size_t j = 0; j < n->n_ifaces; j++)
		ok = ok && vl_kind_type(n->kind)->hook_ok(n->ifaces[j].name);
	if (ok)
		own_hook(b, ep, buf, len);
	else
		snprintf(buf, len, "link%zu", ep->iface);
}

/* Netgraph name of an endpoint's node: a switch, a tee, a vnet hook's eiface. */
static void ng_name(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len)
{
	kind_of(b, ep)->ng_name(b, ep, buf, len);
}

/* The hook an endpoint uses on that node. */
static void ng_hook(struct fbsd_be *b, const struct vl_endpoint *ep, char *buf, size_t len)
{
	kind_of(b, ep)->ng_hook(b, ep, buf, len);
}

/* ---- nodes and switches -------------------------------------------------------- */

static int core_create(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	(void)op;
	struct fbsd_be *b = FB(be);
	const struct vl_topo *t = topo_of(b);
	char name[64], host[80], kids[32];
	size_t vnets = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		vnets += fb_kinds[t->nodes[i].kind].jail;
	snprintf(name, sizeof(name), "name=%s", t->name);
	snprintf(host, sizeof(host), "host.hostname=%s", t->name);
	snprintf(kids, sizeof(kids), "children.max=%zu", vnets);
	/* Its own path is /: it runs nothing but ngctl. */
	int rc = fb_issue(b, fb_cmd_make((const char *[]){"jail", "-c", name, host, "path=/",
							"vnet", "persist", kids, NULL}),
			  fb_cmd_make((const char *[]){"jail", "-r", t->name, NULL}), err);
	return rc == 0 && vnets ? fb_view_base(b, err) : rc;
}

static int node_create(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	const struct vl_topo *t = topo_of(b);
	const struct vl_node *n = &t->nodes[op->node];
	char name[80], host[96], jail[64], root[160] = "", path[168];
	snprintf(jail, sizeof(jail), "%s.%s", t->name, n->name);
	snprintf(name, sizeof(name), "name=%s", jail);
	snprintf(host, sizeof(host), "host.hostname=%s", n->hostname);
	/* Its root first, with the node's view on it (view.c). */
	int rc = fb_view_make(b, op->node, root, sizeof(root), err);
	snprintf(path, sizeof(path), "path=%s", root);
	if (rc == 0)
		rc = fb_issue(b, fb_cmd_make((const char *[]){"jail", "-c", name, host, path,
							   "vnet", "persist", "allow.raw_sockets",
							   NULL}),
			      fb_cmd_make((const char *[]){"jail", "-r", jail, NULL}), err);
	if (rc == 0)
		rc = fb_issue(b, in_jail(b, (long)op->node, (const char *[]){
			"ifconfig", "lo0", "inet", "127.0.0.1/8", "up", NULL}), fb_none(), err);
	for (size_t a = 0; rc == 0 && a < n->n_lo_addrs; a++) {
		char ip[64];
		const struct vl_ip *x = &n->lo_addrs[a].ip;
		vl_ip_str(x, true, ip, sizeof(ip));
		rc = fb_issue(b, in_jail(b, (long)op->node, (const char *[]){
			"ifconfig", "lo0", x->family == AF_INET6 ? "inet6" : "inet", ip, "alias",
			NULL}), fb_none(), err);
	}
	if (rc == 0 && n->forwarding)
		rc = fb_issue(b, in_jail(b, (long)op->node, (const char *[]){
			"sysctl", "net.inet.ip.forwarding=1", "net.inet6.ip6.forwarding=1",
			NULL}), fb_none(), err);
	return rc;
}

static int switch_create(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	(void)err;
	struct fbsd_be *b = FB(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	/* Made on a hook of ngctl's own socket, named, made persistent, then
	 * let go: it lives on with no hooks until shut down. */
	tprintf(&b->ng, "mkpeer %s tmp link0\nname .:tmp %s\nmsg %s: setpersistent\n"
		"rmhook tmp\n", vl_kind_type(n->kind)->ngtype, n->name, n->name);
	char undo[64];
	snprintf(undo, sizeof(undo), "shutdown %s:", n->name);
	tprepend(&b->ng_undo, undo);
	return 0;
}

/* ---- links ----------------------------------------------------------------------- */

/* A vnet hook's eiface, made on first use; its move into the node and
 * its renaming wait for the batch. */
static void ensure_eiface(struct fbsd_be *b, const struct vl_endpoint *ep)
{
	const struct vl_topo *t = topo_of(b);
	const struct vl_node *n = &t->nodes[ep->node];
	const struct vl_iface *f = &n->ifaces[ep->iface];
	if (b->unit[f->gid] >= 0)
		return;
	char name[64], undo[80], ifn[16], mac[24], mtu[16], hook[8];
	ng_name(b, ep, name, sizeof(name));
	ng_hook(b, ep, hook, sizeof(hook));
	int k = b->unit[f->gid] = b->next_unit++;
	tprintf(&b->ng, "mkpeer %s tmp %s\nname .:tmp %s\nrmhook tmp\n",
		vl_kind_type(n->kind)->ngtype, hook, name);
	snprintf(undo, sizeof(undo), "shutdown %s:", name);
	tprepend(&b->ng_undo, undo);
	snprintf(ifn, sizeof(ifn), "ngeth%d", k);
	later(b, in_jail(b, -1, (const char *[]){"ifconfig", ifn, "vnet", n->name, NULL}));
	later(b, in_jail(b, (long)ep->node, (const char *[]){"ifconfig", ifn, "name", f->name,
							      NULL}));
	if (f->has_mac) {
		vl_mac_str(f->mac, mac, sizeof(mac));
		later(b, in_jail(b, (long)ep->node, (const char *[]){"ifconfig", f->name, "link",
								      mac, NULL}));
	}
	if (f->mtu) {
		snprintf(mtu, sizeof(mtu), "%u", f->mtu);
		later(b, in_jail(b, (long)ep->node, (const char *[]){"ifconfig", f->name, "mtu",
								      mtu, NULL}));
	}
}

static bool exists(struct fbsd_be *b, const struct vl_endpoint *ep)
{
	return !kind_of(b, ep)->made_by_link || b->made[ep->node];
}

/* Join node x (which exists) at hook xh to endpoint y at hook yh: connect,
 * or make y (a tee) there.  xname is x's netgraph name. */
static void attach(struct fbsd_be *b, const char *xname, const char *xh,
		   const struct vl_endpoint *y, const char *yh)
{
	char yname[64];
	ng_name(b, y, yname, sizeof(yname));
	if (exists(b, y)) {
		tprintf(&b->ng, "connect %s: %s: %s %s\n", xname, yname, xh, yh);
		return;
	}
	tprintf(&b->ng, "mkpeer %s: %s %s %s\nname %s:%s %s\n", xname,
		vl_kind_type(topo_of(b)->nodes[y->node].kind)->ngtype, xh, yh, xname, xh, yname);
	b->made[y->node] = true;
}

static void pipe_name(struct fbsd_be *b, size_t l, char *buf, size_t len)
{
	const struct vl_link *lk = &topo_of(b)->links[l];
	if (lk->via[0])
		snprintf(buf, len, "%s", lk->via);
	else
		snprintf(buf, len, "pipe%zu", l);
}

static int link_create(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	const struct vl_endpoint *e[2] = {&l->ep[0], &l->ep[1]};
	char name[2][64], hook[2][24];
	for (int i = 0; i < 2; i++) {
		if (kind_of(b, e[i])->prepare)
			kind_of(b, e[i])->prepare(b, e[i]);
		ng_name(b, e[i], name[i], sizeof(name[i]));
		ng_hook(b, e[i], hook[i], sizeof(hook[i]));
	}
	bool piped = b->base.plan->links[op->idx].piped;
	if (!exists(b, e[0]) && !exists(b, e[1]))
		return vl_errf(err, "%s:%d:%d: error: the FreeBSD backend cannot link two "
			       "tees before either has another link (ng_tee exists only "
			       "while hooked)", topo_of(b)->file, l->pos.line, l->pos.col),
		       -EOPNOTSUPP;
	/* Build from the side that exists; a pipe's upper faces ep[0]. */
	int from = exists(b, e[0]) ? 0 : 1;
	if (!piped) {
		attach(b, name[from], hook[from], e[!from], hook[!from]);
		return 0;
	}
	/* A piped link is an ng_pipe between its ends: kind.h's pipe. */
	char p[64];
	const struct vl_kind_type *pk = vl_kind_type(VL_KIND_PIPE);
	const char *const *side = pk->hooks;
	pipe_name(b, op->idx, p, sizeof(p));
	tprintf(&b->ng, "mkpeer %s: %s %s %s\nname %s:%s %s\n", name[from], pk->ngtype,
		hook[from], side[from], name[from], hook[from], p);
	attach(b, p, side[!from], e[!from], hook[!from]);
	return 0;
}

/* ng_pipe's setcfg for a link: bandwidth, BER, duplicate and queue per
 * direction, one delay.  Loss becomes BER (see freebsd.h). */
static void setcfg_dir(struct text *t, const char *name, const struct vl_impair *im)
{
	tprintf(t, " %s={", name);
	if (vl_impair_has(im, VL_P_BANDWIDTH))
		tprintf(t, " bandwidth=%llu", (unsigned long long)im->v[VL_P_BANDWIDTH]);
	double ber = (double)im->v[VL_P_BER] / 1e18;
	if (im->v[VL_P_LOSS]) {
		double p = (double)im->v[VL_P_LOSS] / VL_PPB;
		ber += p >= 1 ? 1 : 1 - pow(1 - p, 1.0 / (8 * 1514));
	}
	if (ber > 0)
		tprintf(t, " ber=%.0f", ber >= 1 ? 1.0 : 1 / ber);
	if (vl_impair_has(im, VL_P_DUPLICATE))
		tprintf(t, " duplicate=%.0f", (double)im->v[VL_P_DUPLICATE] * 100 / VL_PPB);
	if (vl_impair_has(im, VL_P_QUEUE))
		tprintf(t, " qin_size_limit=%llu", (unsigned long long)im->v[VL_P_QUEUE]);
	tprintf(t, " }");
}

static int pipe_start(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	(void)err;
	struct fbsd_be *b = FB(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	char p[64];
	pipe_name(b, op->idx, p, sizeof(p));
	uint64_t delay = l->dir[0].v[VL_P_DELAY] > l->dir[1].v[VL_P_DELAY]
				 ? l->dir[0].v[VL_P_DELAY] : l->dir[1].v[VL_P_DELAY];
	tprintf(&b->ng, "msg %s: setcfg {", p);
	setcfg_dir(&b->ng, "downstream", &l->dir[0]);
	setcfg_dir(&b->ng, "upstream", &l->dir[1]);
	if (delay)
		tprintf(&b->ng, " delay=%llu", (unsigned long long)(delay / 1000));
	tprintf(&b->ng, " }\n");
	return 0;
}

static int nothing(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	(void)be, (void)op, (void)err;
	return 0;
}

/* ---- node configuration ------------------------------------------------------------ */

static int iface_up(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	int rc = flush_graph(b, err);
	const char *ifn = topo_of(b)->nodes[op->node].ifaces[op->iface].name;
	return rc < 0 ? rc : fb_issue(b, in_jail(b, (long)op->node, (const char *[]){
					      "ifconfig", ifn, "up", NULL}), fb_none(), err);
}

static int addr_add(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	const struct vl_iface *f = &topo_of(b)->nodes[op->node].ifaces[op->iface];
	const struct vl_ip *ip = &f->addrs[op->idx].ip;
	char a[64];
	vl_ip_str(ip, true, a, sizeof(a));
	return fb_issue(b, in_jail(b, (long)op->node, (const char *[]){
			     "ifconfig", f->name, ip->family == AF_INET6 ? "inet6" : "inet", a,
			     "alias", NULL}), fb_none(), err);
}

static int route_add(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	const struct vl_route *r = &topo_of(b)->nodes[op->node].routes[op->idx];
	char to[64], via[64];
	vl_ip_str(&r->to, true, to, sizeof(to));
	struct fb_cmd c = in_jail(b, (long)op->node, (const char *[]){
		"route", "-n", "add", r->to.family == AF_INET6 ? "-inet6" : "-inet",
		r->is_default ? "default" : to, NULL});
	if (r->has_via)
		fb_cmd_add(&c, vl_ip_str(&r->via, false, via, sizeof(via)));
	if (r->dev[0]) {
		fb_cmd_add(&c, "-interface");
		fb_cmd_add(&c, r->dev);
	}
	return fb_issue(b, c, fb_none(), err);
}

static int cmd_run(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	const struct vl_cmd *c = &topo_of(b)->nodes[op->node].cmds[op->idx];
	return fb_issue(b, in_jail(b, (long)op->node, (const char *const *)c->argv), fb_none(), err);
}

static int sync_all(struct vl_backend *be, struct vl_err *err)
{
	return flush_graph(FB(be), err);
}

static void drop_pending(struct fbsd_be *b)
{
	for (size_t i = 0; i < b->n_later; i++)
		fb_cmd_free(&b->later[i]);
	b->n_later = 0;
	free(b->ng.s);
	free(b->ng_undo.s);
	b->ng = b->ng_undo = (struct text){0};
}

int vl_freebsd_teardown(struct vl_backend *be, struct vl_err *err)
{
	struct fbsd_be *b = FB(be);
	drop_pending(b);
	return fb_undo_all(b, err);
}

static void rollback(struct vl_backend *be)
{
	struct vl_err ignored;
	vl_err_init(&ignored);
	vl_freebsd_teardown(be, &ignored);
}

/* ---- kinds ------------------------------------------------------------------------- */

static const struct fb_kind fb_kinds[VL_KIND__COUNT] = {
	[VL_KIND_VNET] = {node_create, eiface_name, eiface_hook, ensure_eiface, true, false},
	[VL_KIND_BRIDGE] = {switch_create, node_name, bridge_hook, NULL, false, false},
	[VL_KIND_HUB] = {switch_create, node_name, own_hook, NULL, false, false},
	[VL_KIND_TEE] = {nothing, node_name, own_hook, NULL, false, true},
};

/* The ops that make a node (the plan gives each node one) go to its kind's row. */
static int make_node(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	return fb_kinds[topo_of(FB(be))->nodes[op->node].kind].make(be, op, err);
}

static const struct vl_backend_ops fbsd_ops = {
	.name = "freebsd",
	.op = {
		[VL_OP_CORE_CREATE] = core_create,
		[VL_OP_NODE_CREATE] = make_node,
		[VL_OP_SWITCH_CREATE] = make_node,
		[VL_OP_LINK_CREATE] = link_create,
		[VL_OP_QDISC_SET] = nothing, /* never planned: ng_pipe carries all */
		[VL_OP_PIPE_START] = pipe_start,
		[VL_OP_TEE_START] = make_node, /* a tee's row: made by its first link */
		[VL_OP_IFACE_UP] = iface_up,
		[VL_OP_ADDR_ADD] = addr_add,
		[VL_OP_ROUTE_ADD] = route_add,
		[VL_OP_CMD_RUN] = cmd_run,
	},
	.sync = sync_all,
	.rollback = rollback,
};

struct vl_plan_opts vl_freebsd_plan_opts(void)
{
	return (struct vl_plan_opts){.kernel_pipe = true};
}

/* What netgraph cannot express, with the line that asks for it. */
static int check_topology(const struct vl_topo *t, struct vl_err *err)
{
	int rc = 0;
	for (size_t l = 0; l < t->n_links; l++) {
		const struct vl_link *lk = &t->links[l];
		const char *why = NULL;
		if (lk->has_tunnel)
			why = "it is a tunnel end, and this backend makes no VXLAN "
			      "tunnels yet (ng_ksocket(4) could carry one later: a "
			      "UDP socket node on the hook); use the Linux backend";
		else if (vl_impair_has(&lk->dir[0], VL_P_JITTER) || vl_impair_has(&lk->dir[1], VL_P_JITTER))
			why = "ng_pipe has no jitter";
		else if (lk->dir[0].v[VL_P_DELAY] != lk->dir[1].v[VL_P_DELAY])
			why = "ng_pipe applies one delay to both directions";
		if (why)
			rc = vl_errf(err, "%s:%d:%d: error: the FreeBSD backend cannot carry "
				     "this link: %s", t->file, lk->pos.line, lk->pos.col, why);
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t c = 0; c < t->nodes[i].n_cmds; c++)
			if (t->nodes[i].cmds[c].argc + 2 > FB_ARGV_MAX)
				rc = vl_errf(err, "%s:%d:%d: error: a command of more than %d "
					     "words", t->file, t->nodes[i].cmds[c].pos.line,
					     t->nodes[i].cmds[c].pos.col, FB_ARGV_MAX - 2);
	for (size_t i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].stp)
			rc = vl_errf(err, "%s:%d:%d: error: node %s: ng_bridge(4) runs no "
				     "spanning tree, so the FreeBSD backend cannot carry "
				     "'stp: true' (a topology with loops would loop)", t->file,
				     t->nodes[i].stp_pos.line, t->nodes[i].stp_pos.col,
				     t->nodes[i].name);
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t k = 0; k < t->nodes[i].n_services; k++) {
			const struct vl_service *s = &t->nodes[i].services[k];
			rc = vl_errf(err, "%s:%d:%d: error: node %s: service %s: the FreeBSD "
				     "backend does not run services yet (start its daemon with "
				     "exec:, or use the Linux backend)", t->file, s->pos.line,
				     s->pos.col, t->nodes[i].name, s->name);
		}
	return rc < 0 ? -EOPNOTSUPP : 0;
}

struct vl_backend *vl_freebsd_backend_new(const struct vl_plan *p,
					  const struct vl_fbsd_opts *o, struct vl_err *err)
{
	const struct vl_topo *t = p->topo;
	if (check_topology(t, err) < 0)
		return NULL;
	struct fbsd_be *b = calloc(1, sizeof(*b));
	if (b) {
		b->unit = malloc((t->n_hooks ? t->n_hooks : 1) * sizeof(int));
		b->made = calloc(t->n_nodes ? t->n_nodes : 1, sizeof(bool));
	}
	if (!b || !b->unit || !b->made) {
		if (b)
			free(b->unit), free(b->made);
		free(b);
		vl_errf(err, "freebsd backend: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < t->n_hooks; i++)
		b->unit[i] = -1;
	b->base.ops = &fbsd_ops;
	b->base.plan = p;
	b->o = *o;
	/* What the host must have for the jails' roots, before anything is made. */
	int rc = 0;
	for (size_t i = 0; o->host_root && i < t->n_nodes; i++)
		if (fb_kinds[t->nodes[i].kind].jail && fb_view_check(b, i, err) < 0)
			rc = -ENOENT;
	if (rc < 0) {
		vl_freebsd_backend_free(&b->base);
		return NULL;
	}
	return &b->base;
}

void vl_freebsd_backend_free(struct vl_backend *be)
{
	if (!be)
		return;
	struct fbsd_be *b = FB(be);
	drop_pending(b);
	fb_undo_free(b);
	free(b->later);
	free(b->unit);
	free(b->made);
	free(b);
}

int vl_freebsd_render(const struct vl_topo *t, FILE *out, struct vl_err *err)
{
	struct vl_plan p;
	struct vl_plan_opts po = vl_freebsd_plan_opts();
	int rc = vl_plan_build(t, &po, &p, err);
	if (rc < 0)
		return rc;
	struct vl_fbsd_opts o = {.render = out};
	struct vl_backend *be = vl_freebsd_backend_new(&p, &o, err);
	if (!be) {
		vl_plan_free(&p);
		return -EOPNOTSUPP;
	}
	fprintf(out, "# lab %s on FreeBSD (vnet jails + netgraph): what `vnetlab up` runs\n",
		t->name);
	for (size_t l = 0; l < t->n_links; l++)
		for (int d = 0; d < 2; d++)
			if (t->links[l].dir[d].v[VL_P_LOSS]) {
				char a[80];
				vl_link_name(t, l, a, sizeof(a));
				fprintf(out, "# %s: ng_pipe has no loss; loss is a bit-error "
					"rate exact for 1514-byte frames (smaller ones lose "
					"less)\n", a);
				d = 2;
			}
	rc = vl_backend_run(be, NULL, err);
	if (rc == 0) {
		fprintf(out, "# what `vnetlab down` runs\n");
		rc = vl_freebsd_teardown(be, err);
	}
	vl_freebsd_backend_free(be);
	vl_plan_free(&p);
	return rc;
}
