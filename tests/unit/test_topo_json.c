/* SPDX-License-Identifier: BSD-2-Clause */
/* A topology written back as a document (topo_json.h) loads into the
 * same model, and writing that again gives the same text. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/topo_json.h"

static void same_model(const struct vl_topo *a, const struct vl_topo *b, const char *f)
{
	cr_assert_str_eq(a->name, b->name, "%s", f);
	cr_assert_eq(a->n_nodes, b->n_nodes, "%s", f);
	cr_assert_eq(a->n_links, b->n_links, "%s", f);
	for (size_t i = 0; i < a->n_nodes; i++) {
		const struct vl_node *x = &a->nodes[i];
		long j = vl_topo_find_node(b, x->name);
		cr_assert_geq(j, 0, "%s: node %s lost", f, x->name);
		const struct vl_node *y = &b->nodes[j];
		cr_expect_eq(x->kind, y->kind, "%s: %s", f, x->name);
		cr_expect_str_eq(x->hostname, y->hostname, "%s: %s", f, x->name);
		cr_expect_str_eq(x->host, y->host, "%s: %s: host pin", f, x->name);
		cr_expect_eq(x->forwarding, y->forwarding, "%s: %s", f, x->name);
		cr_expect_eq(x->n_ifaces, y->n_ifaces, "%s: %s", f, x->name);
		cr_expect_eq(x->n_routes, y->n_routes, "%s: %s", f, x->name);
		cr_expect_eq(x->n_cmds, y->n_cmds, "%s: %s", f, x->name);
		for (size_t k = 0; k < x->n_ifaces; k++) {
			const struct vl_iface *p = &x->ifaces[k];
			long q = vl_node_find_iface(y, p->name);
			cr_assert_geq(q, 0, "%s: %s:%s lost", f, x->name, p->name);
			const struct vl_iface *r = &y->ifaces[q];
			cr_expect_eq(p->has_mac, r->has_mac);
			cr_expect_eq(memcmp(p->mac, r->mac, 6) == 0 || !p->has_mac, true);
			cr_expect_eq(p->mtu, r->mtu);
			cr_expect_eq(p->n_addrs, r->n_addrs, "%s: %s:%s", f, x->name, p->name);
			for (size_t a2 = 0; a2 < p->n_addrs && a2 < r->n_addrs; a2++)
				cr_expect(vl_ip_same_addr(&p->addrs[a2].ip, &r->addrs[a2].ip) &&
					  p->addrs[a2].ip.plen == r->addrs[a2].ip.plen);
		}
		for (size_t r = 0; r < x->n_routes && r < y->n_routes; r++) {
			cr_expect_eq(x->routes[r].is_default, y->routes[r].is_default);
			cr_expect_eq(x->routes[r].to.family, y->routes[r].to.family);
			cr_expect_eq(x->routes[r].metric, y->routes[r].metric);
			cr_expect_str_eq(x->routes[r].dev, y->routes[r].dev);
		}
		for (size_t c = 0; c < x->n_cmds && c < y->n_cmds; c++)
			for (size_t w = 0; w < x->cmds[c].argc; w++)
				cr_expect_str_eq(x->cmds[c].argv[w], y->cmds[c].argv[w]);
	}
	for (size_t l = 0; l < a->n_links; l++) {
		char x[64], y[64];
		vl_link_name(a, l, x, sizeof(x));
		vl_link_name(b, l, y, sizeof(y));
		cr_expect_str_eq(x, y, "%s", f);
		cr_expect_eq(a->links[l].impl, b->links[l].impl);
		for (int d = 0; d < 2; d++) {
			cr_expect_eq(a->links[l].dir[d].set, b->links[l].dir[d].set, "%s %s", f, x);
			for (int p = 0; p < VL_P__COUNT; p++)
				cr_expect_eq(a->links[l].dir[d].v[p], b->links[l].dir[d].v[p],
					     "%s %s dir %d %s", f, x, d,
					     vl_param_name((enum vl_param)p));
		}
	}
}

static void round_trip(const char *path)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *a = NULL, *b = NULL;
	cr_assert_eq(vl_topo_load_file(path, &a, &err), 0, "%s", err.msg);
	struct json_object *doc = vl_topo_to_json(a);
	char *text = vl_topo_json_text(doc);
	cr_assert_not_null(text);
	cr_assert_eq(vl_topo_load_buffer("doc", text, strlen(text), &b, &err), 0,
		     "%s:\n%s\n%s", path, err.msg, text);
	same_model(a, b, path);
	struct json_object *doc2 = vl_topo_to_json(b);
	char *text2 = vl_topo_json_text(doc2);
	cr_expect_str_eq(text, text2, "%s: not a fixed point", path);
	free(text);
	free(text2);
	json_object_put(doc);
	json_object_put(doc2);
	vl_topo_free(a);
	vl_topo_free(b);
}

Test(topo_json, every_shipped_topology_round_trips)
{
	DIR *d = opendir(SRCDIR "/topologies");
	cr_assert_not_null(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), SRCDIR "/topologies/%s", e->d_name);
		round_trip(path);
		n++;
	}
	closedir(d);
	cr_expect_geq(n, 6);
}

Test(topo_json, odd_values_are_exact)
{
	const char *y =
		"name: odd\n"
		"nodes:\n"
		"  a: { hostname: alpha, forwarding: true, ifaces: { e0: { mac: '02:00:00:00:00:01', mtu: 9000, addrs: [10.0.0.1/24, 'fd00::1/64'] } },\n"
		"       routes: [{ to: default6, dev: e0 }, { to: 10.1.0.0/16, via: 10.0.0.2, metric: 7 }],\n"
		"       exec: [[sh, -c, 'echo \"quoted\" $HOME']] }\n"
		"  b: { ifaces: { e0: { addrs: [10.0.0.2/24] } }, loopback: [10.255.0.2/32, 'fd00:ff::2/128'] }\n"
		"  s: { kind: hub }\n"
		"  sw: { kind: bridge, stp: true }\n"
		"  c: {}\n"
		"links:\n"
		"  - { endpoints: [a:e0, b:e0], bandwidth: 1234567bit, delay: 1234567ns, jitter: 7ns,\n"
		"      loss: 0.1234567%, duplicate: 33%, ber: 3e-9, queue: 17,\n"
		"      upstream: { delay: 2s }, impl: userspace }\n"
		"  - [c:e0, s:p0]\n"
		"  - [c:e1, sw:link0]\n";
	char path[] = "/tmp/vnetlab-topojson-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, y, strlen(y)), (ssize_t)strlen(y));
	close(fd);
	round_trip(path);
	unlink(path);
}
