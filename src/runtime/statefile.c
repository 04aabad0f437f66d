/* SPDX-License-Identifier: BSD-2-Clause */
/* statefile.c — state.json via json-c. */
#include "vnetlab/statefile.h"
#include "vnetlab/freebsd.h"
#include "vnetlab/view.h"
#include "vnetlab/lab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct json_object *iface_json(const struct vl_plan *p,
				      const struct vl_node *n,
				      const struct vl_iface *f)
{
	const struct vl_topo *t = p->topo;
	const struct vl_hook_place *h = &p->hooks[f->gid];
	struct json_object *o = json_object_new_object();
	char buf[64];
	json_object_object_add(o, "hook", json_object_new_string(f->name));
	json_object_object_add(o, "ifname", json_object_new_string(h->ifname));
	json_object_object_add(o, "ifindex", json_object_new_int(h->ifindex));
	if (f->has_mac)
		json_object_object_add(o, "mac", json_object_new_string(
							 vl_mac_str(f->mac, buf, sizeof(buf))));
	if (f->mtu)
		json_object_object_add(o, "mtu", json_object_new_int((int)f->mtu));
	struct json_object *addrs = json_object_new_array();
	for (size_t a = 0; a < f->n_addrs; a++)
		json_object_array_add(addrs, json_object_new_string(
						     vl_ip_str(&f->addrs[a].ip, true, buf, sizeof(buf))));
	json_object_object_add(o, "addrs", addrs);
	if (f->link >= 0) {
		/* The peer is whichever end of the link is not this hook. */
		const struct vl_link *l = &t->links[f->link];
		size_t me = (size_t)(n - t->nodes), j = (size_t)(f - n->ifaces);
		const struct vl_endpoint *peer =
			l->ep[0].node == me && l->ep[0].iface == j ? &l->ep[1] : &l->ep[0];
		snprintf(buf, sizeof(buf), "%s:%s", t->nodes[peer->node].name,
			 t->nodes[peer->node].ifaces[peer->iface].name);
		json_object_object_add(o, "peer", json_object_new_string(buf));
	}
	return o;
}

/* A node's filesystem view as its mounts (view.h), for inspect. */
static struct json_object *view_json(const struct vl_node *n, const struct vl_view_opts *vo)
{
	static const char *const kinds[] = {"tmpfs", "bind", "file", "dir"};
	struct vl_view v;
	struct vl_err ignored;
	vl_err_init(&ignored);
	if (vl_view_build(n, vo, &v, &ignored) < 0)
		return NULL;
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < v.n; i++) {
		const struct vl_view_ent *e = &v.e[i];
		/* A default where the file writes its own is not there. */
		bool shadowed = false;
		for (size_t j = 0; e->if_absent && j < v.n; j++)
			shadowed = shadowed || (!v.e[j].if_absent && !strcmp(v.e[j].path, e->path));
		if (shadowed)
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "kind", json_object_new_string(kinds[e->kind]));
		json_object_object_add(o, "path", json_object_new_string(e->path));
		if (e->src)
			json_object_object_add(o, "src", json_object_new_string(e->src));
		if (e->ro)
			json_object_object_add(o, "ro", json_object_new_boolean(1));
		if (e->if_absent)
			json_object_object_add(o, "default", json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	vl_view_free(&v);
	return a;
}

static struct json_object *node_json(const struct vl_plan *p,
				     const struct vl_node *n, bool netns_links,
				     const struct vl_view_opts *vo)
{
	const struct vl_topo *t = p->topo;
	struct json_object *o = json_object_new_object();
	char buf[128];
	bool sw = vl_kind_has(n->kind, VL_KF_SWITCH);
	json_object_object_add(o, "name", json_object_new_string(n->name));
	json_object_object_add(o, "kind", json_object_new_string(vl_kind_type(n->kind)->name));
	if (!sw) {
		json_object_object_add(o, "hostname", json_object_new_string(n->hostname));
		json_object_object_add(o, "forwarding", json_object_new_boolean(n->forwarding));
		snprintf(buf, sizeof(buf), "%s.%s", t->name, n->name);
		json_object_object_add(o, "netns", netns_links ? json_object_new_string(buf)
							       : NULL);
	}
	struct json_object *ifaces = json_object_new_array();
	for (size_t j = 0; j < n->n_ifaces; j++)
		json_object_array_add(ifaces, iface_json(p, n, &n->ifaces[j]));
	json_object_object_add(o, "ifaces", ifaces);
	struct json_object *routes = json_object_new_array();
	for (size_t r = 0; r < n->n_routes; r++) {
		const struct vl_route *rt = &n->routes[r];
		struct json_object *ro = json_object_new_object();
		char a[64];
		json_object_object_add(ro, "to", json_object_new_string(
							 rt->is_default ? (rt->to.family == AF_INET6 ? "default6" : "default")
									: vl_ip_str(&rt->to, true, a, sizeof(a))));
		if (rt->has_via)
			json_object_object_add(ro, "via", json_object_new_string(
								  vl_ip_str(&rt->via, false, a, sizeof(a))));
		if (rt->dev[0])
			json_object_object_add(ro, "dev", json_object_new_string(rt->dev));
		json_object_array_add(routes, ro);
	}
	if (!sw)
		json_object_object_add(o, "routes", routes);
	else
		json_object_put(routes);
	if (!sw)
		json_object_object_add(o, "view", view_json(n, vo));
	if (n->n_lo_addrs) {
		struct json_object *lo = json_object_new_array();
		for (size_t a = 0; a < n->n_lo_addrs; a++)
			json_object_array_add(lo, json_object_new_string(vl_ip_str(
							  &n->lo_addrs[a].ip, true, buf, sizeof(buf))));
		json_object_object_add(o, "loopback", lo);
	}
	if (n->stp)
		json_object_object_add(o, "stp", json_object_new_boolean(1));
	return o;
}

int vl_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w, len -= (size_t)w;
	}
	return 0;
}

int vl_file_write_atomic(const char *path, const char *text, struct vl_err *err)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* Never a file that was there (a crash's leftover, a link): made
	 * now, and 0600 whatever the umask. */
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return vl_err_sys(err, errno, "%s", tmp);
	if (fchmod(fd, 0600) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return vl_err_sys(err, e, "%s", tmp);
	}
	int w = vl_write_all(fd, text, strlen(text));
	if (w < 0) {
		close(fd);
		unlink(tmp);
		return vl_err_sys(err, -w, "%s", tmp);
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return vl_err_sys(err, e, "%s", path);
	}
	return 0;
}

static struct json_object *direction_json(const struct vl_link_live *lv, int d)
{
	struct json_object *o = json_object_new_object();
	for (int p = 0; p < VL_P__COUNT; p++) {
		const char *by = vl_link_carrier(lv, d, (enum vl_param)p);
		if (!by)
			continue;
		char v[48];
		vl_param_format((enum vl_param)p, lv->dir[d].v[p], v, sizeof(v));
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "value", json_object_new_string(v));
		json_object_object_add(e, "by", json_object_new_string(by));
		json_object_object_add(o, vl_param_name((enum vl_param)p), e);
	}
	return o;
}

struct json_object *vl_statefile_link(const struct vl_plan *p, size_t l,
				      const struct vl_link_live *lv)
{
	static const char *const impls[] = {"auto", "kernel", "userspace"};
	const struct vl_topo *t = p->topo;
	struct json_object *o = json_object_new_object(), *eps = json_object_new_array();
	char s[64];
	for (int e = 0; e < 2; e++) {
		vl_endpoint_name(t, &t->links[l].ep[e], s, sizeof(s));
		json_object_array_add(eps, json_object_new_string(s));
	}
	json_object_object_add(o, "endpoints", eps);
	if (t->links[l].has_tunnel) {
		/* A tunnel end: endpoints[1] is endpoints[0] (topo.h); the far
		 * end is the other host's, named here by its tunnel. */
		const struct vl_tunnel *tn = &t->links[l].tunnel;
		struct json_object *tj = json_object_new_object();
		json_object_object_add(tj, "vxlan", json_object_new_int64(tn->vni));
		json_object_object_add(tj, "local", json_object_new_string(
							vl_ip_str(&tn->local, false, s, sizeof(s))));
		json_object_object_add(tj, "remote", json_object_new_string(
							 vl_ip_str(&tn->remote, false, s, sizeof(s))));
		json_object_object_add(tj, "port", json_object_new_int(vl_tunnel_port(tn)));
		json_object_object_add(tj, "mtu", json_object_new_int((int)vl_tunnel_mtu(tn)));
		json_object_object_add(o, "tunnel", tj);
	}
	json_object_object_add(o, "state", json_object_new_string(lv->down ? "down" : "up"));
	json_object_object_add(o, "pipe", json_object_new_boolean(p->links[l].piped));
	json_object_object_add(o, "impl", json_object_new_string(impls[t->links[l].impl]));
	if (t->links[l].via[0])
		json_object_object_add(o, "via", json_object_new_string(t->links[l].via));
	json_object_object_add(o, "downstream", direction_json(lv, 0));
	json_object_object_add(o, "upstream", direction_json(lv, 1));
	return o;
}

/* When the lab was made: kept from the state already written, so that a
 * live change (link, ifconfig) does not make the lab look new; now for a
 * lab's first state. */
static void created_time(const char *path, char *buf, size_t len)
{
	struct json_object *old = json_object_from_file(path);
	const char *s = json_object_get_string(json_object_object_get(old, "created"));
	if (s && *s && strlen(s) < len) {
		snprintf(buf, len, "%s", s);
	} else {
		time_t now = time(NULL);
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	}
	json_object_put(old);
}

int vl_statefile_write(const char *path, const struct vl_plan *p,
		       const struct vl_link_live *live, const struct vl_up_opts *o,
		       struct vl_err *err)
{
	const struct vl_topo *t = p->topo;
	struct json_object *root = json_object_new_object();
	char buf[64];
	created_time(path, buf, sizeof(buf));
	json_object_object_add(root, "name", json_object_new_string(t->name));
	json_object_object_add(root, "file", json_object_new_string(t->file));
	json_object_object_add(root, "backend", json_object_new_string(
						o->backend ? o->backend : "linux"));
	json_object_object_add(root, "mode", json_object_new_string(vl_mode_name(o->mode)));
	/* A FreeBSD lab has no keeper: its jails persist by themselves. */
	json_object_object_add(root, "keeper_pid", o->backend ? NULL
							      : json_object_new_int(vl_host_pid()));
	json_object_object_add(root, "created", json_object_new_string(buf));
	/* Each node's view as its backend makes it (FreeBSD's /run is /var/run). */
	struct vl_view_opts vo = {.rootless = o->mode == VL_MODE_ROOTLESS,
				  .run_dir = o->backend && !strcmp(o->backend, "freebsd")
						     ? VL_FBSD_RUN_DIR : NULL};
	struct json_object *nodes = json_object_new_array();
	for (size_t i = 0; i < t->n_nodes; i++)
		json_object_array_add(nodes, node_json(p, &t->nodes[i], o->netns_links, &vo));
	json_object_object_add(root, "nodes", nodes);
	struct json_object *links = json_object_new_array();
	for (size_t l = 0; l < t->n_links; l++)
		json_object_array_add(links, vl_statefile_link(p, l, &live[l]));
	json_object_object_add(root, "links", links);
	int rc = vl_file_write_atomic(path, json_object_to_json_string_ext(
					    root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE),
			      err);
	json_object_put(root);
	return rc;
}

struct json_object *vl_statefile_read(const char *path, struct vl_err *err)
{
	struct json_object *o = json_object_from_file(path);
	if (!o) {
		/* json-c's message ends in a newline of its own. */
		const char *why = json_util_get_last_err();
		vl_errf(err, "%s: cannot read lab state (%.*s)", path,
			why ? (int)strcspn(why, "\n") : 1, why ? why : "?");
	}
	return o;
}
