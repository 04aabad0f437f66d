/* SPDX-License-Identifier: BSD-2-Clause */
/* import_clab_links.c — a containerlab topology's links (the brief
 * "endpoints: [a:eth1, b:eth1]" form and the extended `type: veth` one)
 * and its nodes' exec commands: run as startup commands, split as a
 * shell splits words but never given to one, except the `ip address add`
 * and `ip route add` that only set what vnetlab's model says itself. */
#include "vnetlab/words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clab.h"

static struct clab_node *find_node(struct clab_ctx *c, const char *name)
{
	size_t lo = 0, hi = c->n_nodes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(name, c->by_name[mid].name);
		if (!d)
			return &c->nodes[c->by_name[mid].i];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Containerlab's endpoint (node, interface) as vnetlab's "node:hook" in
 * out; -1 when refused (said at at).  A bridge's ports become link<N>. */
static int endpoint(struct clab_ctx *c, const struct vl_ynode *at, const char *node,
		    size_t node_len, const char *ifname, char *out, size_t len)
{
	char nm[256];
	if (node_len >= sizeof(nm))
		return perr(&c->p, at, "endpoint '%.40s...' names no node", node);
	memcpy(nm, node, node_len);
	nm[node_len] = '\0';
	struct clab_node *cn = find_node(c, nm);
	if (!cn) {
		if (!strcmp(nm, "host") || !strcmp(nm, "macvlan") || !strcmp(nm, "macvtap") ||
		    !strcmp(nm, "mgmt-net"))
			return perr(&c->p, at, "'%s:' endpoints are refused: they are the host's "
				    "interfaces%s, and a vnetlab lab never touches those", nm,
				    strcmp(nm, "mgmt-net") ? "" : " (the management network)");
		return perr(&c->p, at, "endpoint '%s:%s' names no node of topology.nodes", nm,
			    ifname);
	}
	if (cn->ix < 0)
		return -1; /* the node was refused, and said so */
	const char *vname = c->p.t->nodes[cn->ix].name;
	if (!strcmp(ifname, "eth0") && cn->kind == VL_KIND_VNET)
		clab_warn_once(c, CLAB_ONCE_ETH0, at, "eth0 is containerlab's management "
			       "interface; here it is an ordinary link interface");
	if (cn->kind != VL_KIND_BRIDGE) {
		snprintf(out, len, "%s:%s", vname, ifname);
		return 0;
	}
	size_t p = 0;
	while (p < cn->n_ports && strcmp(cn->ports[p], ifname))
		p++;
	if (p == cn->n_ports) {
		if (strlen(ifname) > VL_NAME_MAX || vl_check_ifname(ifname))
			return perr(&c->p, at, "bridge port '%s' is not an interface name",
				    ifname);
		char(*slot)[VL_NAME_MAX + 1] = vl_build_grow((void **)&cn->ports, &cn->n_ports,
							      sizeof(*slot));
		if (!slot)
			return perr(&c->p, at, "out of memory");
		snprintf(*slot, sizeof(*slot), "%s", ifname);
		clab_warn(c, at, "bridge port %s:%s is %s:link%zu here (a bridge's hooks are "
			  "linkN)", nm, ifname, vname, p);
	}
	snprintf(out, len, "%s:link%zu", vname, p);
	return 0;
}

static int endpoint_str(struct clab_ctx *c, const struct vl_ynode *e, char *out, size_t len)
{
	if (want(&c->p, e, VL_Y_SCALAR, "an endpoint") < 0)
		return -1;
	const char *colon = strchr(e->str, ':');
	if (!colon || colon == e->str || !colon[1])
		return perr(&c->p, e, "endpoint '%s' must be NODE:INTERFACE", e->str);
	return endpoint(c, e, e->str, (size_t)(colon - e->str), colon + 1, out, len);
}

static int endpoint_map(struct clab_ctx *c, const struct vl_ynode *e, char *out, size_t len,
			const struct vl_ynode **mac)
{
	static const char *const keys[] = {"node", "interface", "mac", "vars", "labels", NULL};
	if (want(&c->p, e, VL_Y_MAP, "an extended link's endpoint") < 0 ||
	    known_keys(&c->p, e, "an endpoint", keys) < 0)
		return -1;
	const struct vl_ynode *n = vl_ymap_get(e, "node"), *i = vl_ymap_get(e, "interface");
	if (!n || !i)
		return perr(&c->p, e, "an endpoint needs node: and interface:");
	if (want(&c->p, n, VL_Y_SCALAR, "node") < 0 ||
	    want(&c->p, i, VL_Y_SCALAR, "interface") < 0)
		return -1;
	if ((*mac = vl_ymap_get(e, "mac")) && want(&c->p, *mac, VL_Y_SCALAR, "mac") < 0)
		return -1;
	return endpoint(c, e, n->str, strlen(n->str), i->str, out, len);
}

/* What the file says of an end once the link made it: mac, mtu. */
static int end_settings(struct clab_ctx *c, const char *end, const struct vl_ynode *mac,
			unsigned long mtu)
{
	char nm[VL_NAME_MAX + 1];
	size_t n = strcspn(end, ":");
	snprintf(nm, sizeof(nm), "%.*s", (int)n, end);
	long ni = vl_topo_find_node(c->p.t, nm);
	struct vl_node *node = ni < 0 ? NULL : &c->p.t->nodes[ni];
	long fi = node ? vl_node_find_iface(node, end + n + 1) : -1;
	if (fi < 0)
		return 0;
	if (!vl_kind_has(node->kind, VL_KF_STACK)) {
		if (mac)
			clab_warn(c, mac, "the mac of a bridge port is ignored");
		return 0;
	}
	struct vl_iface *f = &node->ifaces[fi];
	if (mtu)
		f->mtu = (unsigned)mtu;
	return mac ? vl_build_mac(&c->p.b, f, mac->str, pos_of(mac)) : 0;
}

static int one_link(struct clab_ctx *c, const struct vl_ynode *item)
{
	static const char *const keys[] = {"endpoints", "type", "mtu", "vars", "labels",
					   "endpoint", "host-interface", "mode", "remote",
					   "vni", "udp-port", NULL};
	if (want(&c->p, item, VL_Y_MAP, "a link") < 0 ||
	    known_keys(&c->p, item, "a link", keys) < 0)
		return -1;
	const struct vl_ynode *type = vl_ymap_get(item, "type"), *v;
	if (type && want(&c->p, type, VL_Y_SCALAR, "type") < 0)
		return -1;
	if (type && strcmp(type->str, "veth"))
		return perr(&c->p, type, "link type '%s' is refused: %s", type->str,
			    !strcmp(type->str, "host") || !strcmp(type->str, "mgmt-net") ||
					    !strcmp(type->str, "macvlan") || !strcmp(type->str, "macvtap")
				    ? "it joins the host's interfaces, which a vnetlab lab never "
				      "touches"
			    : !strcmp(type->str, "vxlan") || !strcmp(type->str, "vxlan-stitch")
				    ? "a lab is one host's; tunnels to other hosts are not made"
			    : !strcmp(type->str, "dummy")
				    ? "dummy interfaces are not made (give the address to lo in "
				      "the node's config)"
				    : "containerlab's link types are veth, host, mgmt-net, "
				      "macvlan, vxlan, vxlan-stitch and dummy; vnetlab makes veth");
	unsigned long mtu = 0;
	if ((v = vl_ymap_get(item, "mtu")) && get_uint(&c->p, v, "mtu", 68, 65535, &mtu) < 0)
		return -1;
	if ((v = vl_ymap_get(item, "vars")) || (v = vl_ymap_get(item, "labels")))
		clab_warn_once(c, CLAB_ONCE_VARS, v, "a link's vars and labels are ignored");
	const struct vl_ynode *eps = vl_ymap_get(item, "endpoints");
	if (!eps)
		return perr(&c->p, item, "a link needs endpoints: [\"a:eth1\", \"b:eth1\"]");
	if (eps->type != VL_Y_SEQ || eps->n != 2)
		return perr(&c->p, eps, "a veth link has exactly two endpoints");
	char buf[2][2 * 256];
	const char *ends[2] = {NULL, NULL};
	const struct vl_ynode *mac[2] = {NULL, NULL};
	for (int e = 0; e < 2; e++) {
		const struct vl_ynode *ep = eps->kv[e];
		int rc = type ? endpoint_map(c, ep, buf[e], sizeof(buf[e]), &mac[e])
			      : endpoint_str(c, ep, buf[e], sizeof(buf[e]));
		if (rc == 0)
			ends[e] = buf[e];
	}
	struct vl_link l = {.pos = pos_of(item)};
	const struct vl_pos end_pos[2] = {pos_of(eps->kv[0]), pos_of(eps->kv[1])};
	if (vl_build_link(&c->p.b, &l, pos_of(eps), ends, end_pos) < 0 || !ends[0] || !ends[1])
		return -1;
	return end_settings(c, ends[0], mac[0], mtu) | end_settings(c, ends[1], mac[1], mtu);
}

int clab_links(struct clab_ctx *c, const struct vl_ynode *links)
{
	if (!links || (links->type == VL_Y_SCALAR && !links->str[0] && !links->quoted))
		return 0;
	if (want(&c->p, links, VL_Y_SEQ, "topology.links") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < links->n; i++)
		rc |= one_link(c, links->kv[i]);
	return rc;
}

/* ---- exec ------------------------------------------------------------- */

static bool is_ip(const char *s)
{
	static const char *const ip[] = {"ip", "/sbin/ip", "/usr/sbin/ip", "/bin/ip",
					 "/usr/bin/ip"};
	for (size_t i = 0; i < sizeof(ip) / sizeof(ip[0]); i++)
		if (!strcmp(s, ip[i]))
			return true;
	return false;
}

static bool set_dev(char *dev, const char *s)
{
	if (strlen(s) > VL_NAME_MAX || vl_check_ifname(s))
		return false;
	snprintf(dev, VL_NAME_MAX + 1, "%s", s);
	return true;
}

/* `ip [-4|-6] address add ADDR/LEN dev IF` (or dev IF first) and
 * `ip [-4|-6] route add PREFIX|default [via GW] [dev IF] [metric N]`:
 * what they set, or false for a command to run. */
static bool ip_cmd(char **argv, size_t argc, struct clab_pend *p)
{
	size_t i = 1;
	int fam = 0;
	if (argc < 2 || !is_ip(argv[0]))
		return false;
	if (!strcmp(argv[i], "-4") || !strcmp(argv[i], "-6"))
		fam = argv[i++][1] == '4' ? AF_INET : AF_INET6;
	if (i + 2 > argc || strcmp(argv[i + 1], "add"))
		return false;
	const char *obj = argv[i];
	i += 2;
	if (!strcmp(obj, "a") || !strcmp(obj, "addr") || !strcmp(obj, "address")) {
		if (argc - i != 3)
			return false;
		size_t a = !strcmp(argv[i], "dev") ? i + 2 : i;
		size_t d = a == i ? i + 1 : i;
		if (strcmp(argv[d], "dev") || !strchr(argv[a], '/') ||
		    vl_ip_parse(argv[a], true, &p->ip) < 0 || !set_dev(p->dev, argv[d + 1]))
			return false;
		return !fam || fam == p->ip.family;
	}
	if (strcmp(obj, "r") && strcmp(obj, "ro") && strcmp(obj, "route"))
		return false;
	if (i >= argc)
		return false;
	struct vl_route *r = &p->r;
	p->is_route = true;
	const char *to = argv[i++];
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "via") && !r->has_via) {
			if (vl_ip_parse(argv[i + 1], false, &r->via) < 0 || strchr(argv[i + 1], '/'))
				return false;
			r->has_via = true;
		} else if (!strcmp(argv[i], "dev") && !r->dev[0]) {
			if (!set_dev(r->dev, argv[i + 1]))
				return false;
		} else if (!strcmp(argv[i], "metric") && !r->metric) {
			char *end;
			unsigned long long m = strtoull(argv[i + 1], &end, 10);
			if (*end || argv[i + 1][0] < '0' || argv[i + 1][0] > '9' || m > 4294967295ull)
				return false;
			r->metric = (uint32_t)m;
		} else {
			return false;
		}
	}
	if (i != argc || (!r->has_via && !r->dev[0]))
		return false;
	if (!strcmp(to, "default")) {
		r->is_default = true;
		r->to.family = fam ? fam : r->has_via ? r->via.family : AF_INET;
	} else {
		struct vl_ip net;
		if (vl_ip_parse(to, true, &r->to) < 0)
			return false;
		vl_ip_network(&r->to, &net);
		if (!vl_ip_same_addr(&net, &r->to))
			return false; /* the kernel's to refuse */
	}
	return (!fam || fam == r->to.family) && (!r->has_via || r->via.family == r->to.family);
}

static int add_cmd(struct clab_ctx *c, struct vl_node *node, const struct vl_ynode *at,
		   char **words, size_t n, char **env, size_t n_env)
{
	struct vl_cmd *cmd = vl_build_grow((void **)&node->cmds, &node->n_cmds, sizeof(*cmd));
	size_t argc = n + (n_env ? n_env + 1 : 0);
	if (!cmd || !(cmd->argv = calloc(argc + 1, sizeof(char *))))
		return perr(&c->p, at, "out of memory");
	cmd->pos = pos_of(at);
	size_t k = 0;
	if (n_env) {
		if (!(cmd->argv[k++] = strdup("env")))
			return perr(&c->p, at, "out of memory");
		for (size_t e = 0; e < n_env; e++)
			if (!(cmd->argv[k++] = strdup(env[e])))
				return perr(&c->p, at, "out of memory");
	}
	for (size_t w = 0; w < n; w++) {
		cmd->argv[k] = words[w];
		words[w] = NULL;
		k++;
	}
	cmd->argc = k;
	return 0;
}

int clab_exec(struct clab_ctx *c, struct clab_node *cn, const struct vl_ynode *exec,
	      char **env, size_t n_env)
{
	if (want(&c->p, exec, VL_Y_SEQ, "exec") < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < exec->n; i++) {
		const struct vl_ynode *s = exec->kv[i];
		if (want(&c->p, s, VL_Y_SCALAR, "an exec command") < 0) {
			rc = -1;
			continue;
		}
		char **words;
		size_t n;
		const char *why = "";
		int e = vl_words_split(s->str, &words, &n, &why);
		if (e < 0) {
			rc = e == -ENOMEM ? perr(&c->p, s, "out of memory")
					  : perr(&c->p, s, "exec '%.60s': %s", s->str, why);
			continue;
		}
		if (n == 0) {
			clab_warn(c, s, "an empty exec command is skipped");
			vl_words_free(words);
			continue;
		}
		struct clab_pend p = {.pos = pos_of(s)};
		if (ip_cmd(words, n, &p)) {
			struct clab_pend *slot = vl_build_grow((void **)&cn->pend, &cn->n_pend,
							       sizeof(p));
			if (!slot) {
				vl_words_free(words);
				return perr(&c->p, s, "out of memory");
			}
			p.r.pos = p.pos;
			*slot = p;
			clab_warn_once(c, CLAB_ONCE_IPCMD, s, "exec 'ip address add' and 'ip route "
				       "add' become the node's addresses and routes (vnetlab sets "
				       "them before the other commands run; check probes them)");
		} else {
			rc |= add_cmd(c, &c->p.t->nodes[cn->ix], s, words, n, env, n_env);
		}
		vl_words_free(words);
	}
	return rc;
}

int clab_apply_pending(struct clab_ctx *c)
{
	int rc = 0;
	for (int pass = 0; pass < 2; pass++) /* addresses first: routes' gateways use them */
		for (size_t i = 0; i < c->n_nodes; i++) {
			struct clab_node *cn = &c->nodes[i];
			for (size_t j = 0; j < cn->n_pend; j++) {
				struct clab_pend *p = &cn->pend[j];
				struct vl_node *node = &c->p.t->nodes[cn->ix];
				const char *dev = p->is_route ? p->r.dev : p->dev;
				if (p->is_route != (pass == 1))
					continue;
				long fi = dev[0] ? vl_node_find_iface(node, dev) : 0;
				if (fi < 0) {
					rc = perr_at(&c->p, p->pos, "node '%s' has no interface '%s' "
						     "(no link makes it)", node->name, dev);
					continue;
				}
				if (!p->is_route) {
					rc |= vl_build_addr(&c->p.b, &node->ifaces[fi], &p->ip, p->pos);
					continue;
				}
				struct vl_route *r = vl_build_grow((void **)&node->routes,
								   &node->n_routes, sizeof(*r));
				if (!r)
					return perr_at(&c->p, p->pos, "out of memory");
				*r = p->r;
			}
		}
	return rc;
}
