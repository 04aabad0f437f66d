/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_parse.c — YAML tree → topology model.
 *
 * This stage checks shape and spelling: known keys, right types, names that
 * can become interface names, address/MAC syntax, endpoints that resolve.
 * Cross-object rules (hook used twice, clashing addresses, reachable
 * gateways) live in validate.c.  Errors are collected, not fatal, so a user
 * sees all the mistakes of a file at once.
 */
#include "vnetlab/topo.h"
#include "vnetlab/validate.h"
#include "vnetlab/yamltree.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "topo_read.h"

/* ---- interfaces ------------------------------------------------------- */

static struct vl_iface *add_iface(struct vl_node *node, const char *name,
				  struct vl_pos pos)
{
	struct vl_iface *f = grow((void **)&node->ifaces, &node->n_ifaces,
				  sizeof(*f));
	if (!f)
		return NULL;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->pos = pos;
	f->link = -1;
	return f;
}

static int parse_addrs(struct pctx *c, struct vl_iface *f,
		       const struct vl_ynode *seq)
{
	if (want(c, seq, VL_Y_SEQ, "addrs") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < seq->n; i++) {
		struct vl_ip ip;
		if (get_ip(c, seq->kv[i], true, "address", &ip) < 0) {
			rc = -1;
			continue;
		}
		struct vl_addr *a = grow((void **)&f->addrs, &f->n_addrs, sizeof(*a));
		if (!a)
			return perr(c, seq, "out of memory");
		a->ip = ip;
		a->pos = pos_of(seq->kv[i]);
	}
	return rc;
}

static int parse_iface(struct pctx *c, struct vl_node *node,
		       const struct vl_ynode *key, const struct vl_ynode *val)
{
	static const char *const keys[] = {"mac", "mtu", "addrs", NULL};
	const char *why = vl_check_ifname(key->str);
	if (why)
		return perr(c, key, "interface name '%s' %s", key->str, why);
	if (!vl_kind_has(node->kind, VL_KF_STACK))
		return perr(c, key, "a %s has no interfaces to configure "
			    "(its hooks are made by links)",
			    vl_kind_type(node->kind)->name);
	struct vl_iface *f = add_iface(node, key->str, pos_of(key));
	if (!f)
		return perr(c, key, "out of memory");
	f->declared = true;
	if (val->type == VL_Y_SCALAR && val->str[0] == '\0' && !val->quoted)
		return 0; /* "eth0:" with nothing after it */
	if (want(c, val, VL_Y_MAP, "an interface") < 0 ||
	    known_keys(c, val, "an interface", keys) < 0)
		return -1;
	int rc = 0;
	const struct vl_ynode *v;
	if ((v = vl_ymap_get(val, "mac"))) {
		const char *s;
		if (get_str(c, v, "mac", &s) < 0)
			rc = -1;
		else if (vl_mac_parse(s, f->mac) < 0)
			rc = perr(c, v, "mac '%s' is not a MAC address "
				  "(six hex bytes, e.g. 02:00:00:00:00:01)", s);
		else if (f->mac[0] & 1)
			rc = perr(c, v, "mac '%s' is a multicast address", s);
		else
			f->has_mac = true, f->mac_pos = pos_of(v);
	}
	unsigned long mtu;
	if ((v = vl_ymap_get(val, "mtu")))
		rc |= get_uint(c, v, "mtu", 68, 65535, &mtu) < 0 ? -1
								 : (f->mtu = (unsigned)mtu, 0);
	if ((v = vl_ymap_get(val, "addrs")))
		rc |= parse_addrs(c, f, v);
	return rc;
}

/* ---- routes and commands ---------------------------------------------- */

static int parse_route(struct pctx *c, struct vl_node *node,
		       const struct vl_ynode *m)
{
	static const char *const keys[] = {"to", "via", "dev", "metric", NULL};
	if (want(c, m, VL_Y_MAP, "a route") < 0 ||
	    known_keys(c, m, "a route", keys) < 0)
		return -1;
	struct vl_route r = {0};
	r.pos = pos_of(m);
	const struct vl_ynode *to = vl_ymap_get(m, "to");
	const struct vl_ynode *via = vl_ymap_get(m, "via");
	const struct vl_ynode *dev = vl_ymap_get(m, "dev");
	const struct vl_ynode *metric = vl_ymap_get(m, "metric");
	if (!to)
		return perr(c, m, "a route needs 'to' (a prefix or 'default')");
	if (!via && !dev)
		return perr(c, m, "a route needs 'via' (a gateway) or 'dev'");
	if (via && get_ip(c, via, false, "gateway", &r.via) < 0)
		return -1;
	r.has_via = via != NULL;
	if (to->type == VL_Y_SCALAR &&
	    (strcmp(to->str, "default") == 0 || strcmp(to->str, "default6") == 0 ||
	     strcmp(to->str, "default4") == 0)) {
		r.is_default = true;
		/* Plain 'default' takes its family from the gateway. */
		r.to.family = strcmp(to->str, "default6") == 0   ? AF_INET6
			      : strcmp(to->str, "default4") == 0 ? AF_INET
			      : via                              ? r.via.family
								 : 0;
		if (!r.to.family)
			return perr(c, to, "'default' without 'via' is ambiguous: "
				    "write default4 or default6");
	} else if (get_ip(c, to, true, "route destination", &r.to) < 0) {
		return -1;
	} else {
		struct vl_ip net;
		vl_ip_network(&r.to, &net);
		if (!vl_ip_same_addr(&net, &r.to))
			return perr(c, to, "route destination '%s' has host bits set",
				    to->str);
	}
	if (via && r.via.family != r.to.family)
		return perr(c, via, "gateway '%s' is not of the destination's "
			    "address family", via->str);
	if (dev) {
		const char *s;
		if (get_str(c, dev, "dev", &s) < 0)
			return -1;
		snprintf(r.dev, sizeof(r.dev), "%s", s);
		if (vl_check_ifname(s) != NULL)
			return perr(c, dev, "dev '%s' is not an interface name", s);
	}
	unsigned long mv = 0;
	if (metric && get_uint(c, metric, "metric", 0, 4294967295ul, &mv) < 0)
		return -1;
	r.metric = (uint32_t)mv;
	struct vl_route *slot = grow((void **)&node->routes, &node->n_routes,
				     sizeof(r));
	if (!slot)
		return perr(c, m, "out of memory");
	*slot = r;
	return 0;
}

static int parse_cmd(struct pctx *c, struct vl_node *node,
		     const struct vl_ynode *seq)
{
	if (seq->type != VL_Y_SEQ || seq->n == 0)
		return perr(c, seq, "a startup command must be a non-empty argv "
			    "list, e.g. [iperf3, -s, -D]");
	for (size_t i = 0; i < seq->n; i++)
		if (want(c, seq->kv[i], VL_Y_SCALAR, "an argument") < 0)
			return -1;
	struct vl_cmd *cmd = grow((void **)&node->cmds, &node->n_cmds,
				  sizeof(*cmd));
	if (!cmd || !(cmd->argv = calloc(seq->n + 1, sizeof(char *))))
		return perr(c, seq, "out of memory");
	cmd->pos = pos_of(seq);
	for (size_t i = 0; i < seq->n; i++) {
		if (!(cmd->argv[i] = strdup(seq->kv[i]->str)))
			return perr(c, seq, "out of memory");
		cmd->argc++;
	}
	return 0;
}

static int parse_list(struct pctx *c, struct vl_node *node,
		      const struct vl_ynode *seq, const char *what,
		      int (*one)(struct pctx *, struct vl_node *,
				 const struct vl_ynode *))
{
	if (want(c, seq, VL_Y_SEQ, what) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < seq->n; i++)
		rc |= one(c, node, seq->kv[i]);
	return rc;
}

/* ---- nodes ------------------------------------------------------------ */

static int parse_params(struct pctx *c, const struct vl_ynode *m,
			struct vl_impair *dirs, int ndirs);
static int parse_direction(struct pctx *c, const struct vl_ynode *item,
			   const char *name, struct vl_impair *dir);
static int parse_impl(struct pctx *c, const struct vl_ynode *item,
		      enum vl_impl *impl);
static int check_directions(struct pctx *c, const struct vl_ynode *item,
			    const struct vl_impair dirs[2]);

/* A pipe node says what a link would: its keys are link parameters. */
static int parse_pipe_body(struct pctx *c, struct vl_node *node,
			   const struct vl_ynode *m)
{
	static const char *const keys[] = {
		"kind", "bandwidth", "delay", "jitter", "loss", "duplicate", "ber",
		"queue", "upstream", "downstream", "impl", NULL};
	if (known_keys(c, m, "a pipe", keys) < 0)
		return -1;
	int rc = parse_params(c, m, node->pipe_dir, 2);
	rc |= parse_direction(c, m, "downstream", &node->pipe_dir[0]);
	rc |= parse_direction(c, m, "upstream", &node->pipe_dir[1]);
	rc |= parse_impl(c, m, &node->pipe_impl);
	if (rc == 0)
		rc = check_directions(c, m, node->pipe_dir);
	return rc;
}

static int parse_node_body(struct pctx *c, struct vl_node *node,
			   const struct vl_ynode *m)
{
	if (vl_kind_has(node->kind, VL_KF_FOLDED))
		return parse_pipe_body(c, node, m);
	static const char *const keys[] = {"kind",  "hostname", "forwarding", "ifaces",
					   "routes", "exec", "private", "binds", "files",
					   "services", NULL};
	int rc = 0;
	const struct vl_ynode *v;
	if (known_keys(c, m, "a node", keys) < 0)
		rc = -1;
	if ((v = vl_ymap_get(m, "hostname"))) {
		const char *s;
		if (get_str(c, v, "hostname", &s) < 0)
			rc = -1;
		else if (!*s || strlen(s) > VL_HOSTNAME_MAX || strchr(s, '/'))
			rc = perr(c, v, "hostname must be 1 to 64 bytes without '/'");
		else
			snprintf(node->hostname, sizeof(node->hostname), "%s", s);
	}
	if ((v = vl_ymap_get(m, "forwarding")))
		rc |= get_bool(c, v, "forwarding", &node->forwarding);
	bool sw = vl_kind_has(node->kind, VL_KF_SWITCH);
	if ((v = vl_ymap_get(m, "ifaces"))) {
		if (want(c, v, VL_Y_MAP, "ifaces") < 0)
			rc = -1;
		else
			for (size_t i = 0; i < v->n; i++)
				rc |= parse_iface(c, node, v->kv[2 * i],
						  v->kv[2 * i + 1]);
	}
	static const char *const vnet_only[] = {"forwarding", "routes", "exec", "hostname",
						"private", "binds", "files", "services"};
	for (size_t i = 0; sw && i < 8; i++)
		if ((v = vl_ymap_get(m, vnet_only[i])))
			rc = perr(c, v, "'%s' applies to vnet nodes, not to a %s",
				  vnet_only[i], vl_kind_type(node->kind)->name);
	if (!sw && (v = vl_ymap_get(m, "routes")))
		rc |= parse_list(c, node, v, "routes", parse_route);
	if (!sw && (v = vl_ymap_get(m, "exec")))
		rc |= parse_list(c, node, v, "exec", parse_cmd);
	if (!sw)
		rc |= parse_soft(c, node, m);
	return rc;
}

static int parse_node(struct pctx *c, const struct vl_ynode *key,
		      const struct vl_ynode *m)
{
	struct vl_topo *t = c->t;
	const char *why = key->type == VL_Y_SCALAR ? vl_check_node_name(key->str)
						   : "must be a plain name";
	if (why)
		return perr(c, key, "node name '%s' %s",
			    key->type == VL_Y_SCALAR ? key->str : "?", why);
	struct vl_node *node = grow((void **)&t->nodes, &t->n_nodes, sizeof(*node));
	if (!node)
		return perr(c, key, "out of memory");
	snprintf(node->name, sizeof(node->name), "%s", key->str);
	snprintf(node->hostname, sizeof(node->hostname), "%s", key->str);
	node->pos = pos_of(key);
	node->kind = VL_KIND_VNET;
	if (m->type == VL_Y_SCALAR && m->str[0] == '\0' && !m->quoted)
		return 0; /* "n1:" alone is a vnet with defaults */
	if (want(c, m, VL_Y_MAP, "a node") < 0)
		return -1;
	const struct vl_ynode *kind = vl_ymap_get(m, "kind");
	if (kind) {
		const char *s;
		if (get_str(c, kind, "kind", &s) < 0)
			return -1;
		const struct vl_kind_type *k = vl_kind_by_name(s);
		if (!k) {
			char names[80];
			vl_kind_names(0, names, sizeof(names));
			return perr(c, kind, "unknown node kind '%s' (expected %s)", s,
				    names);
		}
		node->kind = k->kind;
	}
	return parse_node_body(c, node, m);
}

/* ---- links ------------------------------------------------------------ */

static int resolve_endpoint(struct pctx *c, const struct vl_ynode *n,
			    struct vl_endpoint *ep)
{
	struct vl_topo *t = c->t;
	const char *s;
	if (get_str(c, n, "an endpoint", &s) < 0)
		return -1;
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || !colon[1] || strchr(colon + 1, ':'))
		return perr(c, n, "endpoint '%s' must be written node:hook", s);
	char node[64];
	size_t nlen = (size_t)(colon - s);
	if (nlen >= sizeof(node))
		return perr(c, n, "endpoint '%s': no such node", s);
	memcpy(node, s, nlen);
	node[nlen] = '\0';
	long ni = vl_topo_find_node(t, node);
	if (ni < 0)
		return perr(c, n, "endpoint '%s': no node named '%s'", s, node);
	struct vl_node *nd = &t->nodes[ni];
	const char *hook = colon + 1;
	const char *why = vl_check_ifname(hook);
	if (why)
		return perr(c, n, "endpoint '%s': hook name '%s' %s", s, hook, why);
	if (!vl_kind_takes_hook(nd->kind, hook))
		return perr(c, n, "endpoint '%s': a %s has the hooks %s; not '%s'", s,
			    vl_kind_type(nd->kind)->name, vl_kind_type(nd->kind)->hook_rule,
			    hook);
	long fi = vl_node_find_iface(nd, hook);
	if (fi < 0) {
		/* Hooks come into being when a link names them, as with
		 * netgraph's mkpeer/connect. */
		if (!add_iface(nd, hook, pos_of(n)))
			return perr(c, n, "out of memory");
		fi = (long)nd->n_ifaces - 1;
	}
	ep->node = (size_t)ni;
	ep->iface = (size_t)fi;
	ep->pos = pos_of(n);
	return 0;
}

/* A hook carries one link, as a netgraph hook connects to one peer. */
static int claim_hooks(struct pctx *c, const struct vl_ynode *eps,
		       const struct vl_link *l)
{
	struct vl_topo *t = c->t;
	const struct vl_endpoint *a = &l->ep[0], *b = &l->ep[1];
	if (a->node == b->node && a->iface == b->iface)
		return perr(c, eps, "a link cannot connect a hook to itself");
	if (a->node == b->node && vl_kind_has(t->nodes[a->node].kind, VL_KF_SWITCH))
		return perr(c, eps, "a link from %s '%s' to itself makes a loop",
			    vl_kind_type(t->nodes[a->node].kind)->name,
			    t->nodes[a->node].name);
	int rc = 0;
	for (int i = 0; i < 2; i++) {
		const struct vl_endpoint *ep = &l->ep[i];
		struct vl_iface *f = &t->nodes[ep->node].ifaces[ep->iface];
		if (f->link >= 0)
			rc = perr(c, eps->kv[i], "hook '%s:%s' is already used by "
				  "the link at line %d", t->nodes[ep->node].name,
				  f->name, t->links[f->link].pos.line);
	}
	if (rc == 0) {
		t->nodes[a->node].ifaces[a->iface].link = (long)t->n_links;
		t->nodes[b->node].ifaces[b->iface].link = (long)t->n_links;
	}
	return rc;
}

/* Parameters of one direction (or both) from a mapping's keys. */
static int parse_params(struct pctx *c, const struct vl_ynode *m,
			struct vl_impair *dirs, int ndirs)
{
	int rc = 0;
	for (int p = 0; p < VL_P__COUNT; p++) {
		const struct vl_ynode *v = vl_ymap_get(m, vl_param_name((enum vl_param)p));
		const char *s;
		if (!v)
			continue;
		if (get_str(c, v, vl_param_name((enum vl_param)p), &s) < 0) {
			rc = -1;
			continue;
		}
		uint64_t val;
		char why[200];
		if (vl_param_parse((enum vl_param)p, s, &val, why, sizeof(why)) < 0) {
			rc = perr(c, v, "%s", why);
			continue;
		}
		for (int d = 0; d < ndirs; d++)
			vl_impair_set(&dirs[d], (enum vl_param)p, val);
	}
	return rc;
}

static int parse_direction(struct pctx *c, const struct vl_ynode *item,
			   const char *name, struct vl_impair *dir)
{
	static const char *const keys[] = {"bandwidth", "delay", "jitter", "loss",
					   "duplicate", "ber", "queue", NULL};
	const struct vl_ynode *m = vl_ymap_get(item, name);
	if (!m)
		return 0;
	if (want(c, m, VL_Y_MAP, name) < 0 || known_keys(c, m, name, keys) < 0)
		return -1;
	return parse_params(c, m, dir, 1);
}

/* Each direction's values make sense together (vl_impair_check: jitter
 * needs a delay at least as large); the error points at the jitter that
 * direction has, written for it or for both directions. */
static int check_directions(struct pctx *c, const struct vl_ynode *item,
			    const struct vl_impair dirs[2])
{
	static const char *const names[] = {"downstream", "upstream"};
	int rc = 0;
	for (int d = 0; d < 2; d++) {
		char why[256];
		if (vl_impair_check(&dirs[d], why, sizeof(why)) == 0)
			continue;
		const struct vl_ynode *m = vl_ymap_get(item, names[d]);
		const struct vl_ynode *at = m && m->type == VL_Y_MAP ? vl_ymap_get(m, "jitter") : NULL;
		if (!at)
			at = vl_ymap_get(item, "jitter");
		rc = perr(c, at ? at : item, "%s: %s", names[d], why);
	}
	return rc;
}

static int parse_impl(struct pctx *c, const struct vl_ynode *item,
		      enum vl_impl *impl)
{
	static const char *const names[] = {"auto", "kernel", "userspace"};
	const struct vl_ynode *v = vl_ymap_get(item, "impl");
	const char *s;
	*impl = VL_IMPL_AUTO;
	if (!v)
		return 0;
	if (get_str(c, v, "impl", &s) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*impl = (enum vl_impl)i;
			return 0;
		}
	return perr(c, v, "impl '%s' is not one of: auto, kernel, userspace", s);
}

static int parse_link(struct pctx *c, const struct vl_ynode *item)
{
	static const char *const keys[] = {
		"endpoints", "bandwidth", "delay", "jitter", "loss", "duplicate",
		"ber", "queue", "upstream", "downstream", "impl", NULL};
	const struct vl_ynode *eps = item;
	struct vl_link l = {.pos = pos_of(item)};
	if (item->type == VL_Y_MAP) {
		if (known_keys(c, item, "a link", keys) < 0)
			return -1;
		eps = vl_ymap_get(item, "endpoints");
		if (!eps)
			return perr(c, item, "a link needs 'endpoints: [a:hook, b:hook]'");
		/* Both directions first, then each direction's own values:
		 * downstream is ep[0] -> ep[1], upstream ep[1] -> ep[0]. */
		int rc = parse_params(c, item, l.dir, 2);
		rc |= parse_direction(c, item, "downstream", &l.dir[0]);
		rc |= parse_direction(c, item, "upstream", &l.dir[1]);
		rc |= parse_impl(c, item, &l.impl);
		if (rc < 0 || check_directions(c, item, l.dir) < 0)
			return -1;
	}
	if (eps->type != VL_Y_SEQ || eps->n != 2)
		return perr(c, eps, "a link has exactly two endpoints, "
			    "written [node:hook, node:hook]");
	int rc = resolve_endpoint(c, eps->kv[0], &l.ep[0]);
	rc |= resolve_endpoint(c, eps->kv[1], &l.ep[1]);
	if (rc < 0)
		return -1;
	if (claim_hooks(c, eps, &l) < 0)
		return -1;
	struct vl_link *slot = grow((void **)&c->t->links, &c->t->n_links,
				    sizeof(l));
	if (!slot)
		return perr(c, item, "out of memory");
	*slot = l;
	return 0;
}

/* ---- top level -------------------------------------------------------- */

static void default_lab_name(struct vl_topo *t, const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strcspn(base, ".");
	if (n > VL_LABNAME_MAX)
		n = VL_LABNAME_MAX;
	memcpy(t->name, base, n);
	t->name[n] = '\0';
}

static int parse_top(struct pctx *c, const struct vl_ynode *root)
{
	static const char *const keys[] = {"name", "nodes", "links", NULL};
	struct vl_topo *t = c->t;
	if (want(c, root, VL_Y_MAP, "the topology") < 0)
		return -1;
	known_keys(c, root, "the topology", keys);
	const struct vl_ynode *v = vl_ymap_get(root, "name");
	if (v) {
		const char *s;
		if (get_str(c, v, "name", &s) == 0) {
			const char *why = vl_check_lab_name(s);
			if (why)
				perr(c, v, "lab name '%s' %s", s, why);
			else
				snprintf(t->name, sizeof(t->name), "%s", s);
		}
	} else {
		default_lab_name(t, c->file);
		const char *why = vl_check_lab_name(t->name);
		if (why)
			perr(c, root, "no 'name:' given and the file name "
			     "'%s' cannot serve as the lab name: it %s",
			     t->name, why);
	}
	const struct vl_ynode *nodes = vl_ymap_get(root, "nodes");
	if (!nodes)
		return perr(c, root, "the topology needs a 'nodes:' mapping");
	if (want(c, nodes, VL_Y_MAP, "nodes") < 0)
		return -1;
	if (nodes->n == 0)
		return perr(c, nodes, "'nodes:' is empty");
	for (size_t i = 0; i < nodes->n; i++)
		parse_node(c, nodes->kv[2 * i], nodes->kv[2 * i + 1]);
	vl_topo_index(c->t);
	const struct vl_ynode *links = vl_ymap_get(root, "links");
	if (links && !(links->type == VL_Y_SCALAR && !links->str[0])) {
		if (want(c, links, VL_Y_SEQ, "links") == 0)
			for (size_t i = 0; i < links->n; i++)
				parse_link(c, links->kv[i]);
	}
	return c->errors ? -1 : 0;
}

/* ---- pipe nodes: folded into the links they stand for ----------------- */

/* The end of link l that is not on node `node`. */
static struct vl_endpoint far_end(const struct vl_topo *t, long l, size_t node)
{
	const struct vl_link *lk = &t->links[l];
	return lk->ep[0].node == node ? lk->ep[1] : lk->ep[0];
}

/* The link on hook h (0: upper, 1: lower) of pipe node p, checked:
 * linked, plain, not to another pipe. */
static long pipe_side(struct pctx *c, size_t p, int h)
{
	const struct vl_topo *t = c->t;
	const struct vl_node *n = &t->nodes[p];
	const char *const *hooks = vl_kind_type(n->kind)->hooks;
	long f = vl_node_find_iface(n, hooks[h]);
	long l = f < 0 ? -1 : n->ifaces[f].link;
	if (l < 0)
		return perr_at(c, n->pos, "pipe '%s' needs both hooks linked: "
			       "%s and %s ('%s' is not)", n->name, hooks[0], hooks[1],
			       hooks[h]);
	const struct vl_link *lk = &t->links[l];
	if (lk->dir[0].set || lk->dir[1].set || lk->impl != VL_IMPL_AUTO)
		return perr_at(c, lk->pos, "this link joins pipe '%s': give its "
			       "parameters on the pipe, not on the link", n->name);
	size_t far = far_end(t, l, p).node;
	bool folded = vl_kind_has(t->nodes[far].kind, VL_KF_FOLDED);
	if (folded && far < p)
		return -1; /* said once, by the first of the two */
	if (folded)
		return perr_at(c, lk->pos, "pipes '%s' and '%s' are chained: merge "
			       "their parameters into one pipe", n->name,
			       t->nodes[far_end(t, l, p).node].name);
	return l;
}

/* Renumber after dropping: keep[i] false drops node/link i. */
static void drop_links(struct vl_topo *t, const bool *keep)
{
	size_t w = 0;
	for (size_t l = 0; l < t->n_links; l++) {
		if (!keep[l])
			continue;
		t->links[w] = t->links[l];
		for (int e = 0; e < 2; e++) {
			struct vl_endpoint *ep = &t->links[w].ep[e];
			t->nodes[ep->node].ifaces[ep->iface].link = (long)w;
		}
		w++;
	}
	t->n_links = w;
}

static void drop_pipe_nodes(struct vl_topo *t)
{
	size_t *to = malloc((t->n_nodes ? t->n_nodes : 1) * sizeof(*to)), w = 0;
	for (size_t i = 0; i < t->n_nodes; i++) {
		if (vl_kind_has(t->nodes[i].kind, VL_KF_FOLDED)) {
			free(t->nodes[i].ifaces);
			continue;
		}
		if (to)
			to[i] = w;
		t->nodes[w++] = t->nodes[i];
	}
	t->n_nodes = w;
	for (size_t l = 0; to && l < t->n_links; l++)
		for (int e = 0; e < 2; e++)
			t->links[l].ep[e].node = to[t->links[l].ep[e].node];
	free(to);
}

static int fold_pipes(struct pctx *c)
{
	struct vl_topo *t = c->t;
	bool *keep = malloc((t->n_links ? t->n_links : 1) * sizeof(*keep));
	if (!keep)
		return perr(c, NULL, "out of memory");
	for (size_t l = 0; l < t->n_links; l++)
		keep[l] = true;
	int rc = 0;
	for (size_t p = 0; p < t->n_nodes; p++) {
		const struct vl_node *n = &t->nodes[p];
		if (!vl_kind_has(n->kind, VL_KF_FOLDED))
			continue;
		long up = pipe_side(c, p, 0), lo = pipe_side(c, p, 1);
		if (up < 0 || lo < 0) {
			rc = -1;
			continue;
		}
		struct vl_link m = {.ep = {far_end(t, up, p), far_end(t, lo, p)},
				    .pos = n->pos, .dir = {n->pipe_dir[0], n->pipe_dir[1]},
				    .impl = n->pipe_impl};
		snprintf(m.via, sizeof(m.via), "%s", n->name);
		t->links[up] = m;
		keep[lo] = false;
	}
	if (rc == 0) {
		drop_links(t, keep);
		drop_pipe_nodes(t);
	}
	free(keep);
	return rc;
}

static void number_hooks(struct vl_topo *t)
{
	size_t gid = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++)
			t->nodes[i].ifaces[j].gid = gid++;
	t->n_hooks = gid;
}

int vl_topo_load_buffer(const char *file, const char *buf, size_t len,
			struct vl_topo **out, struct vl_err *err)
{
	struct vl_ynode *root;
	*out = NULL;
	int rc = vl_yaml_parse(file, buf, len, &root, err);
	if (rc < 0)
		return rc;
	struct vl_topo *t = calloc(1, sizeof(*t));
	if (!t || !(t->file = strdup(file))) {
		free(t);
		vl_ynode_free(root);
		return vl_errf(err, "%s: error: out of memory", file), -ENOMEM;
	}
	struct pctx c = {.file = file, .err = err, .t = t};
	rc = parse_top(&c, root);
	vl_ynode_free(root);
	if (c.errors > MAX_ERRORS)
		vl_errf(err, "%s: %d more errors not shown", file,
			c.errors - MAX_ERRORS);
	if (rc == 0)
		rc = fold_pipes(&c);
	if (rc == 0) {
		vl_topo_index(t); /* folding removed the pipe nodes */
		number_hooks(t);
		rc = vl_validate(t, err);
	}
	if (rc < 0) {
		vl_topo_free(t);
		return -EINVAL;
	}
	*out = t;
	return 0;
}

int vl_topo_load_file(const char *path, struct vl_topo **out, struct vl_err *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vl_err_sys(err, errno, "%s", path);
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vl_errf(err, "%s: error: not a regular file", path), -EINVAL;
	}
	if ((unsigned long long)st.st_size > VL_YAML_MAX_BYTES) {
		close(fd);
		return vl_errf(err, "%s: error: file larger than %u MiB", path,
			       VL_YAML_MAX_BYTES >> 20), -EFBIG;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		free(buf);
		return vl_err_sys(err, buf ? EIO : ENOMEM, "%s", path);
	}
	int rc = vl_topo_load_buffer(path, buf, got, out, err);
	free(buf);
	return rc;
}
