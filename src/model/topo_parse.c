/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_parse.c — YAML tree → topology model.
 *
 * This stage checks shape and spelling: known keys, right types, scalars
 * that parse.  What a node, an interface or a link may be, folding pipes
 * and validation are the model's rules, shared with models built by code
 * (topo_build.c); cross-object rules (clashing addresses, reachable
 * gateways) live in validate.c.  Errors are collected, not fatal, so a
 * user sees all the mistakes of a file at once.
 */
#include "vnetlab/topo.h"
#include "vnetlab/topo_build.h"
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
		if (vl_build_addr(&c->b, f, &ip, pos_of(seq->kv[i])) < 0)
			return -1;
	}
	return rc;
}

/* loopback: [ADDR/LEN, ...]: addresses on the node's lo. */
static int parse_loopback(struct pctx *c, struct vl_node *node, const struct vl_ynode *seq)
{
	if (want(c, seq, VL_Y_SEQ, "loopback") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < seq->n; i++) {
		struct vl_ip ip;
		if (get_ip(c, seq->kv[i], true, "address", &ip) < 0)
			rc = -1;
		else
			rc |= vl_build_lo_addr(&c->b, node, &ip, pos_of(seq->kv[i]));
	}
	return rc;
}

static int parse_iface(struct pctx *c, struct vl_node *node,
		       const struct vl_ynode *key, const struct vl_ynode *val)
{
	static const char *const keys[] = {"mac", "mtu", "addrs", NULL};
	struct vl_iface *f = vl_build_iface(&c->b, node, key->str, pos_of(key));
	if (!f)
		return -1;
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
		else
			rc = vl_build_mac(&c->b, f, s, pos_of(v));
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
	struct vl_route *slot = vl_build_grow((void **)&node->routes, &node->n_routes,
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
	struct vl_cmd *cmd = vl_build_grow((void **)&node->cmds, &node->n_cmds,
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
		"queue", "upstream", "downstream", "impl", "host", NULL};
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
					   "services", "stp", "loopback", "host", NULL};
	int rc = 0;
	const struct vl_ynode *v;
	if (known_keys(c, m, "a node", keys) < 0)
		rc = -1;
	if ((v = vl_ymap_get(m, "hostname"))) {
		const char *s;
		if (get_str(c, v, "hostname", &s) < 0)
			rc = -1;
		else
			rc = vl_build_hostname(&c->b, node, s, pos_of(v));
	}
	if ((v = vl_ymap_get(m, "forwarding")))
		rc |= get_bool(c, v, "forwarding", &node->forwarding);
	if ((v = vl_ymap_get(m, "stp"))) {
		if (!vl_kind_has(node->kind, VL_KF_STP))
			rc = perr(c, v, "'stp' applies to bridge nodes, not to a %s",
				  vl_kind_type(node->kind)->name);
		else
			rc |= get_bool(c, v, "stp", &node->stp);
		node->stp_pos = pos_of(v);
	}
	bool sw = vl_kind_has(node->kind, VL_KF_SWITCH);
	if ((v = vl_ymap_get(m, "ifaces"))) {
		if (want(c, v, VL_Y_MAP, "ifaces") < 0)
			rc = -1;
		else
			for (size_t i = 0; i < v->n; i++)
				rc |= parse_iface(c, node, v->kv[2 * i],
						  v->kv[2 * i + 1]);
	}
	static const char *const vnet_only[] = {"forwarding", "routes",	 "exec",
						"hostname",   "private", "binds",
						"files",      "services", "loopback"};
	for (size_t i = 0; sw && i < sizeof(vnet_only) / sizeof(vnet_only[0]); i++)
		if ((v = vl_ymap_get(m, vnet_only[i])))
			rc = perr(c, v, "'%s' applies to vnet nodes, not to a %s",
				  vnet_only[i], vl_kind_type(node->kind)->name);
	if (!sw && (v = vl_ymap_get(m, "loopback")))
		rc |= parse_loopback(c, node, v);
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
	if (key->type != VL_Y_SCALAR)
		return perr(c, key, "node name '?' must be a plain name");
	long ni = vl_build_node(&c->b, key->str, VL_KIND_VNET, pos_of(key));
	if (ni < 0)
		return -1;
	struct vl_node *node = &c->t->nodes[ni];
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
	int rc = 0;
	const struct vl_ynode *host = vl_ymap_get(m, "host");
	if (host) {
		const char *s;
		rc = get_str(c, host, "host", &s) < 0 ? -1
						      : vl_build_host_pin(&c->b, node, s, pos_of(host));
	}
	return parse_node_body(c, node, m) | rc;
}

/* ---- links ------------------------------------------------------------ */

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

/* An underlay address of a tunnel end: bare, no "/len". */
static int get_underlay(struct pctx *c, const struct vl_ynode *m, const char *key,
			struct vl_ip *out)
{
	const struct vl_ynode *v = vl_ymap_get(m, key);
	if (!v)
		return perr(c, m, "a tunnel needs '%s: ADDRESS' (this host's underlay "
			    "address is 'local', the other host's 'remote')", key);
	if (v->type == VL_Y_SCALAR && strchr(v->str, '/'))
		return perr(c, v, "tunnel %s '%s' is an address, written without a "
			    "prefix length", key, v->str);
	return get_ip(c, v, false, key, out);
}

/* tunnel: { vxlan: VNI, local: ADDR, remote: ADDR, port: P, mtu: M } */
static int parse_tunnel(struct pctx *c, const struct vl_ynode *m, struct vl_tunnel *tn)
{
	static const char *const keys[] = {"vxlan", "local", "remote", "port", "mtu", NULL};
	tn->pos = pos_of(m);
	if (want(c, m, VL_Y_MAP, "tunnel") < 0 || known_keys(c, m, "a tunnel", keys) < 0)
		return -1;
	int rc = 0;
	unsigned long v;
	const struct vl_ynode *n = vl_ymap_get(m, "vxlan");
	if (!n)
		rc = perr(c, m, "a tunnel needs 'vxlan: VNI' (1 to 16777215)");
	else if (get_uint(c, n, "vxlan", 1, 16777215, &v) < 0)
		rc = -1;
	else
		tn->vni = (uint32_t)v;
	rc |= get_underlay(c, m, "local", &tn->local);
	rc |= get_underlay(c, m, "remote", &tn->remote);
	if ((n = vl_ymap_get(m, "port")))
		rc |= get_uint(c, n, "port", 1, 65535, &v) < 0 ? -1 : (tn->port = (uint16_t)v, 0);
	if ((n = vl_ymap_get(m, "mtu")))
		rc |= get_uint(c, n, "mtu", 68, 65535, &v) < 0 ? -1 : (tn->mtu = (unsigned)v, 0);
	return rc;
}

static int parse_link(struct pctx *c, const struct vl_ynode *item)
{
	static const char *const keys[] = {
		"endpoints", "bandwidth", "delay", "jitter", "loss", "duplicate",
		"ber", "queue", "upstream", "downstream", "impl", "tunnel", NULL};
	const struct vl_ynode *eps = item;
	struct vl_link l = {.pos = pos_of(item)};
	if (item->type == VL_Y_MAP) {
		if (known_keys(c, item, "a link", keys) < 0)
			return -1;
		eps = vl_ymap_get(item, "endpoints");
		if (!eps)
			return perr(c, item, "a link needs 'endpoints: [a:hook, b:hook]'");
		const struct vl_ynode *tn = vl_ymap_get(item, "tunnel");
		const struct vl_ynode *up = vl_ymap_get(item, "upstream");
		int rc = 0;
		if (tn) {
			l.has_tunnel = true;
			rc |= parse_tunnel(c, tn, &l.tunnel);
			if (up)
				rc = perr(c, up, "a tunnel end carries only the direction "
					  "leaving this host; set it on the other host's end");
		}
		/* Both directions first, then each direction's own values:
		 * downstream is ep[0] -> ep[1], upstream ep[1] -> ep[0].  A
		 * tunnel end has the leaving direction only. */
		rc |= parse_params(c, item, l.dir, tn ? 1 : 2);
		rc |= parse_direction(c, item, "downstream", &l.dir[0]);
		if (!tn)
			rc |= parse_direction(c, item, "upstream", &l.dir[1]);
		rc |= parse_impl(c, item, &l.impl);
		if (rc < 0 || check_directions(c, item, l.dir) < 0)
			return -1;
	}
	if (l.has_tunnel) {
		if (eps->type != VL_Y_SEQ || eps->n != 1)
			return perr(c, eps, "a tunnel end has one endpoint, written "
				    "[node:hook]: the other end is on the other host");
		const char *ends[2] = {NULL, NULL};
		if (get_str(c, eps->kv[0], "an endpoint", &ends[0]) < 0)
			return -1;
		const struct vl_pos end_pos[2] = {pos_of(eps->kv[0]), pos_of(eps->kv[0])};
		return vl_build_link(&c->b, &l, pos_of(eps), ends, end_pos);
	}
	if (eps->type == VL_Y_SEQ && eps->n == 1)
		return perr(c, eps, "a link with one endpoint is a tunnel end and "
			    "needs 'tunnel: { vxlan: VNI, local: ADDR, remote: ADDR }'");
	if (eps->type != VL_Y_SEQ || eps->n != 2)
		return perr(c, eps, "a link has exactly two endpoints, "
			    "written [node:hook, node:hook]");
	const char *ends[2] = {NULL, NULL};
	for (int e = 0; e < 2; e++)
		if (get_str(c, eps->kv[e], "an endpoint", &ends[e]) < 0)
			ends[e] = NULL; /* said; the other end is still checked */
	const struct vl_pos end_pos[2] = {pos_of(eps->kv[0]), pos_of(eps->kv[1])};
	return vl_build_link(&c->b, &l, pos_of(eps), ends, end_pos);
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
		if (get_str(c, v, "name", &s) == 0)
			vl_build_lab(&c->b, s, pos_of(v));
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
	vl_build_nodes_done(&c->b);
	const struct vl_ynode *links = vl_ymap_get(root, "links");
	if (links && !(links->type == VL_Y_SCALAR && !links->str[0])) {
		if (want(c, links, VL_Y_SEQ, "links") == 0)
			for (size_t i = 0; i < links->n; i++)
				parse_link(c, links->kv[i]);
	}
	return c->b.errors ? -1 : 0;
}

int vl_topo_load_buffer(const char *file, const char *buf, size_t len,
			struct vl_topo **out, struct vl_err *err)
{
	struct vl_ynode *root;
	*out = NULL;
	int rc = vl_yaml_parse(file, buf, len, &root, err);
	if (rc < 0)
		return rc;
	struct pctx c = {.file = file};
	if ((rc = vl_build_begin(&c.b, file, NULL, err)) < 0) {
		vl_ynode_free(root);
		return rc;
	}
	c.t = c.b.t;
	parse_top(&c, root);
	vl_ynode_free(root);
	return vl_build_finish(&c.b, out);
}

int vl_topo_read_file(const char *path, char **buf, size_t *len, struct vl_err *err)
{
	*buf = NULL;
	*len = 0;
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
	char *b = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (b && got < (size_t)st.st_size) {
		ssize_t r = read(fd, b + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!b || got != (size_t)st.st_size) {
		free(b);
		return vl_err_sys(err, b ? EIO : ENOMEM, "%s", path);
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

int vl_topo_load_file(const char *path, struct vl_topo **out, struct vl_err *err)
{
	*out = NULL;
	char *buf;
	size_t len;
	int rc = vl_topo_read_file(path, &buf, &len, err);
	if (rc < 0)
		return rc;
	rc = vl_topo_load_buffer(path, buf, len, out, err);
	free(buf);
	return rc;
}
