/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_json.c — see topo_json.h. */
#include "vnetlab/topo_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static void put_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

/* Exact forms of every parameter, whatever vl_param_format would round. */
static void exact(enum vl_param p, uint64_t v, char *buf, size_t len)
{
	unsigned long long u = (unsigned long long)v;
	switch (p) {
	case VL_P_BANDWIDTH:
		snprintf(buf, len, "%llubit", u);
		break;
	case VL_P_DELAY:
	case VL_P_JITTER:
		snprintf(buf, len, "%lluns", u);
		break;
	case VL_P_LOSS:
	case VL_P_DUPLICATE:
		/* ppb: 1% is 10^7 */
		snprintf(buf, len, "%llu.%07llu%%", u / 10000000ull, u % 10000000ull);
		break;
	case VL_P_BER:
		snprintf(buf, len, "%llue-18", u);
		break;
	default:
		snprintf(buf, len, "%llu", u);
	}
}

struct json_object *vl_impair_to_json(const struct vl_impair *im)
{
	struct json_object *o = json_object_new_object();
	for (int p = 0; p < VL_P__COUNT; p++) {
		if (!vl_impair_has(im, (enum vl_param)p))
			continue;
		char v[48];
		exact((enum vl_param)p, im->v[p], v, sizeof(v));
		put_str(o, vl_param_name((enum vl_param)p), v);
	}
	return o;
}

static struct json_object *addrs_json(const struct vl_addr *v, size_t n)
{
	struct json_object *a = json_object_new_array();
	char buf[64];
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(
						 vl_ip_str(&v[i].ip, true, buf, sizeof(buf))));
	return a;
}

static struct json_object *iface_json(const struct vl_iface *f)
{
	struct json_object *o = json_object_new_object();
	char buf[64];
	if (f->has_mac)
		put_str(o, "mac", vl_mac_str(f->mac, buf, sizeof(buf)));
	if (f->mtu)
		json_object_object_add(o, "mtu", json_object_new_int((int)f->mtu));
	if (f->n_addrs)
		json_object_object_add(o, "addrs", addrs_json(f->addrs, f->n_addrs));
	return o;
}

static struct json_object *route_json(const struct vl_route *r)
{
	struct json_object *o = json_object_new_object();
	char buf[64];
	if (r->is_default)
		put_str(o, "to", r->to.family == AF_INET6 ? "default6" : "default4");
	else
		put_str(o, "to", vl_ip_str(&r->to, true, buf, sizeof(buf)));
	if (r->has_via)
		put_str(o, "via", vl_ip_str(&r->via, false, buf, sizeof(buf)));
	if (r->dev[0])
		put_str(o, "dev", r->dev);
	if (r->metric)
		json_object_object_add(o, "metric", json_object_new_int64(r->metric));
	return o;
}

static struct json_object *argv_json(char **argv)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; argv[i]; i++)
		json_object_array_add(a, json_object_new_string(argv[i]));
	return a;
}

static struct json_object *service_json(const struct vl_service *s)
{
	if (s->kind != VL_SVC_CMD)
		return json_object_new_string(s->name);
	struct json_object *o = json_object_new_object();
	put_str(o, "name", s->name);
	json_object_object_add(o, "start", argv_json(s->start));
	if (s->stop)
		json_object_object_add(o, "stop", argv_json(s->stop));
	if (s->ready)
		json_object_object_add(o, "ready", argv_json(s->ready));
	return o;
}

/* A node's view and services, as a file would say them (sources already
 * absolute, so the document loads from anywhere). */
static void soft_json(struct json_object *o, const struct vl_node *n)
{
	if (n->private_set) {
		struct json_object *a = json_object_new_array();
		for (size_t i = 0; i < n->n_private; i++)
			json_object_array_add(a, json_object_new_string(n->private[i]));
		json_object_object_add(o, "private", a);
	}
	if (n->n_binds) {
		struct json_object *a = json_object_new_array();
		for (size_t i = 0; i < n->n_binds; i++) {
			const struct vl_bind *b = &n->binds[i];
			size_t len = strlen(b->src) + strlen(b->dst) + 8;
			char *s = malloc(len);
			if (!s)
				continue;
			snprintf(s, len, "%s:%s%s", b->src, b->dst, b->ro ? ":ro" : "");
			json_object_array_add(a, json_object_new_string(s));
			free(s);
		}
		json_object_object_add(o, "binds", a);
	}
	if (n->n_files) {
		struct json_object *f = json_object_new_object();
		for (size_t i = 0; i < n->n_files; i++)
			json_object_object_add(f, n->files[i].path,
					       json_object_new_string_len(n->files[i].content,
									  (int)n->files[i].len));
		json_object_object_add(o, "files", f);
	}
	if (n->n_services) {
		struct json_object *a = json_object_new_array();
		for (size_t i = 0; i < n->n_services; i++)
			json_object_array_add(a, service_json(&n->services[i]));
		json_object_object_add(o, "services", a);
	}
}

static struct json_object *node_json(const struct vl_node *n)
{
	struct json_object *o = json_object_new_object();
	put_str(o, "kind", vl_kind_type(n->kind)->name);
	if (n->host[0])
		put_str(o, "host", n->host);
	if (n->stp)
		json_object_object_add(o, "stp", json_object_new_boolean(1));
	if (!vl_kind_has(n->kind, VL_KF_STACK))
		return o; /* a switch's hooks come from its links */
	if (strcmp(n->hostname, n->name))
		put_str(o, "hostname", n->hostname);
	if (n->forwarding)
		json_object_object_add(o, "forwarding", json_object_new_boolean(1));
	if (n->n_lo_addrs)
		json_object_object_add(o, "loopback", addrs_json(n->lo_addrs, n->n_lo_addrs));
	struct json_object *ifs = json_object_new_object();
	for (size_t j = 0; j < n->n_ifaces; j++) {
		const struct vl_iface *f = &n->ifaces[j];
		/* An interface with nothing of its own is made by its link. */
		if (f->has_mac || f->mtu || f->n_addrs)
			json_object_object_add(ifs, f->name, iface_json(f));
	}
	if (json_object_object_length(ifs))
		json_object_object_add(o, "ifaces", ifs);
	else
		json_object_put(ifs);
	if (n->n_routes) {
		struct json_object *rs = json_object_new_array();
		for (size_t r = 0; r < n->n_routes; r++)
			json_object_array_add(rs, route_json(&n->routes[r]));
		json_object_object_add(o, "routes", rs);
	}
	if (n->n_cmds) {
		struct json_object *cs = json_object_new_array();
		for (size_t c = 0; c < n->n_cmds; c++) {
			struct json_object *argv = json_object_new_array();
			for (size_t a = 0; a < n->cmds[c].argc; a++)
				json_object_array_add(argv,
						      json_object_new_string(n->cmds[c].argv[a]));
			json_object_array_add(cs, argv);
		}
		json_object_object_add(o, "exec", cs);
	}
	soft_json(o, n);
	return o;
}

/* A tunnel end as a file writes it: port and mtu only when given. */
static struct json_object *tunnel_json(const struct vl_tunnel *tn)
{
	struct json_object *o = json_object_new_object();
	char a[64];
	json_object_object_add(o, "vxlan", json_object_new_int64(tn->vni));
	put_str(o, "local", vl_ip_str(&tn->local, false, a, sizeof(a)));
	put_str(o, "remote", vl_ip_str(&tn->remote, false, a, sizeof(a)));
	if (tn->port)
		json_object_object_add(o, "port", json_object_new_int(tn->port));
	if (tn->mtu)
		json_object_object_add(o, "mtu", json_object_new_int((int)tn->mtu));
	return o;
}

static struct json_object *link_json(const struct vl_topo *t, const struct vl_link *l)
{
	static const char *const impls[] = {"auto", "kernel", "userspace"};
	struct json_object *o = json_object_new_object();
	struct json_object *eps = json_object_new_array();
	for (int e = 0; e < (l->has_tunnel ? 1 : 2); e++) {
		char buf[2 * VL_NAME_MAX + 2];
		vl_endpoint_name(t, &l->ep[e], buf, sizeof(buf));
		json_object_array_add(eps, json_object_new_string(buf));
	}
	json_object_object_add(o, "endpoints", eps);
	if (l->has_tunnel)
		json_object_object_add(o, "tunnel", tunnel_json(&l->tunnel));
	if (l->impl != VL_IMPL_AUTO)
		put_str(o, "impl", impls[l->impl]);
	static const char *const dirs[2] = {"downstream", "upstream"};
	for (int d = 0; d < 2; d++)
		if (l->dir[d].set)
			json_object_object_add(o, dirs[d], vl_impair_to_json(&l->dir[d]));
	return o;
}

struct json_object *vl_topo_to_json(const struct vl_topo *t)
{
	struct json_object *doc = json_object_new_object();
	if (!doc)
		return NULL;
	put_str(doc, "name", t->name);
	struct json_object *nodes = json_object_new_object();
	for (size_t i = 0; i < t->n_nodes; i++)
		json_object_object_add(nodes, t->nodes[i].name, node_json(&t->nodes[i]));
	json_object_object_add(doc, "nodes", nodes);
	struct json_object *links = json_object_new_array();
	for (size_t l = 0; l < t->n_links; l++)
		json_object_array_add(links, link_json(t, &t->links[l]));
	json_object_object_add(doc, "links", links);
	return doc;
}

char *vl_topo_json_text(struct json_object *doc)
{
	const char *s = json_object_to_json_string_ext(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	return s ? strdup(s) : NULL;
}
