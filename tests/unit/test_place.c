/* SPDX-License-Identifier: BSD-2-Clause */
/* Placement over several hosts (place.h): deterministic, balanced by
 * capacity, few cut links on shapes whose best cut is known (a chain over
 * two hosts: 1; a 10x10 grid over four: 20), pins respected, fast on
 * 10,000 nodes; and the parts: every node in exactly one, each cut link a
 * tunnel end on both sides with one VNI, mirrored addresses and the
 * direction that leaves each side. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnetlab/place.h"
#include "vnetlab/topo_json.h"

/* ---- topologies made as text ------------------------------------------------ */

struct text {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

static struct vl_topo *load(struct text *x)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("lab.yaml", x->s, x->len, &t, &err), 0, "%s\n%s",
		     err.msg, x->s);
	free(x->s);
	return t;
}

static struct vl_topo *chain(size_t n)
{
	struct text x = {0};
	add(&x, "name: chain\nnodes:\n");
	for (size_t i = 0; i < n; i++)
		add(&x, "  n%zu:\n", i);
	add(&x, "links:\n");
	for (size_t i = 0; i + 1 < n; i++)
		add(&x, "  - [n%zu:e1, n%zu:e0]\n", i, i + 1);
	return load(&x);
}

static struct vl_topo *ring(size_t n)
{
	struct text x = {0};
	add(&x, "name: ring\nnodes:\n");
	for (size_t i = 0; i < n; i++)
		add(&x, "  r%zu:\n", i);
	add(&x, "links:\n");
	for (size_t i = 0; i < n; i++)
		add(&x, "  - [r%zu:e1, r%zu:e0]\n", i, (i + 1) % n);
	return load(&x);
}

static struct vl_topo *grid(size_t w, size_t h)
{
	struct text x = {0};
	add(&x, "name: grid\nnodes:\n");
	for (size_t i = 0; i < w * h; i++)
		add(&x, "  g%zu_%zu:\n", i / w, i % w);
	add(&x, "links:\n");
	for (size_t r = 0; r < h; r++)
		for (size_t c = 0; c < w; c++) {
			if (c + 1 < w)
				add(&x, "  - [g%zu_%zu:e, g%zu_%zu:w]\n", r, c, r, c + 1);
			if (r + 1 < h)
				add(&x, "  - [g%zu_%zu:s, g%zu_%zu:n]\n", r, c, r + 1, c);
		}
	return load(&x);
}

/* One bridge with n hosts on it. */
static struct vl_topo *star(size_t n)
{
	struct text x = {0};
	add(&x, "name: star\nnodes:\n  sw: {kind: bridge}\n");
	for (size_t i = 0; i < n; i++)
		add(&x, "  s%zu:\n", i);
	add(&x, "links:\n");
	for (size_t i = 0; i < n; i++)
		add(&x, "  - [s%zu:eth0, sw:p%zu]\n", i, i);
	return load(&x);
}

static struct vl_hosts *hosts(const char *caps)
{
	struct text x = {0};
	add(&x, "hosts:\n");
	size_t i = 0;
	for (const char *p = caps; *p; p++) {
		if (*p == ':')
			continue;
		add(&x, "  h%zu: {ssh: h%zu, underlay: 192.0.2.%zu, capacity: %c}\n", i + 1, i + 1,
		    i + 1, *p);
		i++;
	}
	struct vl_err err;
	vl_err_init(&err);
	struct vl_hosts *h;
	cr_assert_eq(vl_hosts_load_buffer("hosts.yaml", x.s, x.len, &h, &err), 0, "%s", err.msg);
	free(x.s);
	return h;
}

static void place(const struct vl_topo *t, const struct vl_hosts *h, struct vl_placement *p)
{
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_place(t, h, p, &err), 0, "%s", err.msg);
	cr_assert_eq(p->n_nodes, t->n_nodes);
	cr_assert_eq(p->n_hosts, h->n);
	size_t sum = 0, cut = 0;
	for (size_t i = 0; i < h->n; i++)
		sum += p->load[i];
	cr_assert_eq(sum, t->n_nodes);
	for (size_t l = 0; l < t->n_links; l++)
		cut += vl_place_is_cut(t, p, l);
	cr_assert_eq(cut, p->cut, "the cut reported is the cut");
	cr_assert_leq(p->cut, p->cut_initial, "refinement never makes it worse");
}

/* Each host within max(1, 5%) of its share n * cap / total. */
static void balanced(const struct vl_topo *t, const struct vl_hosts *h,
		     const struct vl_placement *p)
{
	unsigned total = 0;
	for (size_t i = 0; i < h->n; i++)
		total += h->hosts[i].capacity;
	for (size_t i = 0; i < h->n; i++) {
		double share = (double)t->n_nodes * h->hosts[i].capacity / total;
		double slack = share * 0.05 < 1 ? 1 : share * 0.05;
		cr_expect(p->load[i] + slack + 1 >= share && p->load[i] <= share + slack + 1,
			  "host %s: load %zu, share %.1f, slack %.1f", h->hosts[i].name, p->load[i],
			  share, slack);
	}
}

Test(place, chain_of_14_over_2_hosts_cuts_one_link)
{
	struct vl_topo *t = chain(14);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.cut, 1, "cut %zu", p.cut);
	cr_expect_eq(p.load[0], 7);
	cr_expect_eq(p.load[1], 7);
	cr_log_info("chain14/2: cut %zu -> %zu in %u passes", p.cut_initial, p.cut, p.passes);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, grid_10x10_over_4_hosts_cuts_at_most_20)
{
	struct vl_topo *t = grid(10, 10);
	struct vl_hosts *h = hosts("1:1:1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_leq(p.cut, 20, "cut %zu (initial %zu)", p.cut, p.cut_initial);
	balanced(t, h, &p);
	cr_log_info("grid10x10/4: cut %zu -> %zu in %u passes", p.cut_initial, p.cut, p.passes);
	vl_placement_free(&p);
	vl_hosts_free(h);
	/* In halves: cut straight, 10. */
	h = hosts("1:1");
	place(t, h, &p);
	cr_expect_leq(p.cut, 10, "cut %zu (initial %zu)", p.cut, p.cut_initial);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
	/* A 30x10 strip in three 10x10 squares: 20. */
	t = grid(30, 10);
	h = hosts("1:1:1");
	place(t, h, &p);
	cr_expect_leq(p.cut, 20, "cut %zu (initial %zu)", p.cut, p.cut_initial);
	balanced(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, balance_follows_capacity)
{
	const char *caps[] = {"1:1", "1:2", "1:1:1:1", "3:1:2"};
	struct vl_topo *ts[] = {chain(100), grid(9, 11), ring(61), star(40)};
	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		struct vl_hosts *h = hosts(caps[c]);
		for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
			struct vl_placement p;
			place(ts[i], h, &p);
			balanced(ts[i], h, &p);
			vl_placement_free(&p);
		}
		vl_hosts_free(h);
	}
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
		vl_topo_free(ts[i]);
}

Test(place, the_same_lab_gives_the_same_placement)
{
	struct vl_topo *t = grid(13, 7);
	struct vl_hosts *h = hosts("1:2:1");
	struct vl_placement a, b;
	place(t, h, &a);
	place(t, h, &b);
	cr_expect_eq(memcmp(a.host, b.host, t->n_nodes * sizeof(size_t)), 0);
	cr_expect_eq(a.cut, b.cut);
	vl_placement_free(&a);
	vl_placement_free(&b);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, a_ring_over_2_hosts_cuts_two_links)
{
	struct vl_topo *t = ring(30);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.cut, 2, "cut %zu", p.cut);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, a_bridge_counts_as_a_node_and_its_ports_may_cross)
{
	struct vl_topo *t = star(20); /* 21 nodes: the bridge and 20 */
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	/* Whichever host has the bridge, the other's nodes all cross. */
	size_t sw = (size_t)vl_topo_find_node(t, "sw");
	cr_expect_eq(p.cut, p.load[1 - p.host[sw]], "cut %zu", p.cut);
	cr_expect_leq(p.cut, 10);
	balanced(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, chain_of_10000_is_placed_fast_with_hosts_minus_one_cuts, .timeout = 30)
{
	struct vl_topo *t = chain(10000);
	const char *caps[] = {"1:1", "1:1:1:1"};
	for (size_t c = 0; c < 2; c++) {
		struct vl_hosts *h = hosts(caps[c]);
		struct vl_placement p;
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		place(t, h, &p);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		cr_expect_lt(s, 1.0, "%.3f s", s);
		cr_expect_eq(p.cut, h->n - 1, "cut %zu over %zu hosts", p.cut, h->n);
		balanced(t, h, &p);
		cr_log_info("chain10000/%zu: cut %zu -> %zu, %u passes, %.3f s", h->n, p.cut_initial,
			    p.cut, p.passes, s);
		vl_placement_free(&p);
		vl_hosts_free(h);
	}
	vl_topo_free(t);
}

Test(place, grid_of_10000_over_8_hosts_is_fast, .timeout = 30)
{
	struct vl_topo *t = grid(100, 100);
	struct vl_hosts *h = hosts("11111111");
	struct vl_placement p;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	place(t, h, &p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	cr_expect_lt(s, 1.0, "%.3f s", s);
	balanced(t, h, &p);
	cr_log_info("grid100x100/8: cut %zu -> %zu, %u passes, %.3f s", p.cut_initial, p.cut,
		    p.passes, s);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

/* ---- pins ----------------------------------------------------------------------- */

Test(place, pinned_nodes_stay_where_they_are_pinned)
{
	/* Against the grain: the chain's first node on h2, its last on h1. */
	struct text x = {0};
	add(&x, "name: pins\nnodes:\n");
	for (size_t i = 0; i < 14; i++)
		add(&x, "  n%zu:%s\n", i, i == 0 ? " {host: h2}" : i == 13 ? " {host: h1}" : "");
	add(&x, "links:\n");
	for (size_t i = 0; i + 1 < 14; i++)
		add(&x, "  - [n%zu:e1, n%zu:e0]\n", i, i + 1);
	struct vl_topo *t = load(&x);
	cr_expect_str_eq(t->nodes[0].host, "h2");
	cr_expect_eq(t->nodes[0].host_pos.line, 3);
	cr_expect_eq(t->nodes[0].host_pos.col, 14);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.host[0], 1);
	cr_expect_eq(p.host[13], 0);
	cr_expect_eq(p.cut, 1, "cut %zu", p.cut);
	balanced(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, every_node_pinned_to_one_host_overloads_it)
{
	struct text x = {0};
	add(&x, "name: all\nnodes:\n");
	for (size_t i = 0; i < 6; i++)
		add(&x, "  n%zu: {host: h1}\n", i);
	add(&x, "links:\n");
	for (size_t i = 0; i + 1 < 6; i++)
		add(&x, "  - [n%zu:e1, n%zu:e0]\n", i, i + 1);
	struct vl_topo *t = load(&x);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.load[0], 6, "the pins win over the balance");
	cr_expect_eq(p.load[1], 0);
	cr_expect_eq(p.cut, 0);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, a_pin_to_an_unknown_host_names_the_node_and_the_hosts_file)
{
	struct text x = {0};
	add(&x, "name: bad\nnodes:\n  a:\n  b: {kind: bridge, host: h9}\nlinks:\n  - [a:eth0, b:p0]\n");
	struct vl_topo *t = load(&x);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_lt(vl_place(t, h, &p, &err), 0);
	cr_expect_str_eq(err.msg, "lab.yaml:4:27: error: node b is pinned to host 'h9', which "
				  "hosts.yaml does not have (it has h1, h2)");
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, the_host_key_on_every_kind_and_back)
{
	const char *text = "name: kinds\n"
			   "nodes:\n"
			   "  a: {host: h1}\n"
			   "  sw: {kind: bridge, host: h_2}\n"
			   "  hb: {kind: hub, host: h-3}\n"
			   "  t: {kind: tee, host: h1}\n"
			   "  p: {kind: pipe, delay: 1ms, host: h1}\n"
			   "  b:\n"
			   "links:\n"
			   "  - [a:eth0, t:left]\n"
			   "  - [t:right, sw:p0]\n"
			   "  - [sw:p1, hb:p0]\n"
			   "  - [hb:p1, p:upper]\n"
			   "  - [p:lower, b:eth0]\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("k.yaml", text, strlen(text), &t, &err), 0, "%s", err.msg);
	const char *want[][2] = {{"a", "h1"}, {"sw", "h_2"}, {"hb", "h-3"}, {"t", "h1"}, {"b", ""}};
	for (size_t i = 0; i < 5; i++) {
		long n = vl_topo_find_node(t, want[i][0]);
		cr_assert_geq(n, 0);
		cr_expect_str_eq(t->nodes[n].host, want[i][1], "%s", want[i][0]);
	}
	/* convert and the live edits keep it. */
	struct json_object *doc = vl_topo_to_json(t);
	char *back = vl_topo_json_text(doc);
	struct vl_topo *u;
	cr_assert_eq(vl_topo_load_buffer("back", back, strlen(back), &u, &err), 0, "%s\n%s",
		     err.msg, back);
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(u->nodes[vl_topo_find_node(u, want[i][0])].host, want[i][1]);
	cr_expect_null(strstr(back, "\"host\": \"\""), "no empty pins written");
	free(back);
	json_object_put(doc);
	vl_topo_free(u);
	vl_topo_free(t);
}

Test(place, a_bad_host_name_is_refused_where_it_is_written)
{
	const char *cases[][2] = {
		{"nodes:\n  a: {host: 'h 1'}\n", "x.yaml:2:13: error: host 'h 1' of node a may "
						 "contain only letters, digits, '-' and '_'"},
		{"nodes:\n  a: {kind: bridge, host: [h1]}\n", "x.yaml:2:27: error: host must be a "
							       "scalar, not a list"},
		{"nodes:\n  a: {host: h1234567890123456789012345678901}\n",
		 "x.yaml:2:13: error: host 'h1234567890123456789012345678901' of node a is longer "
		 "than 31 bytes"},
		{"nodes:\n  a: {host: ''}\n", "x.yaml:2:13: error: host '' of node a must not be "
					      "empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vl_err err;
		vl_err_init(&err);
		struct vl_topo *t;
		cr_expect_lt(vl_topo_load_buffer("x.yaml", cases[i][0], strlen(cases[i][0]), &t, &err),
			     0);
		cr_expect(strstr(err.msg, cases[i][1]), "want '%s' in:\n%s", cases[i][1], err.msg);
	}
}

/* ---- the parts ------------------------------------------------------------------- */

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;
	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *str(struct json_object *o, const char *k)
{
	return json_object_get_string(get(o, k));
}

/* The parts of t: disjoint nodes covering the lab, the links inside each,
 * and every cut link as one tunnel end on each of its hosts, with one VNI
 * and mirrored addresses. */
static void check_parts(const struct vl_topo *t, const struct vl_hosts *h,
			const struct vl_placement *p)
{
	size_t *seen = calloc(t->n_nodes, sizeof(size_t));
	size_t *ends = calloc(t->n_links, sizeof(size_t));
	size_t inside = 0, n_cut = 0;
	for (size_t l = 0; l < t->n_links; l++)
		n_cut += vl_place_is_cut(t, p, l);
	for (size_t i = 0; i < h->n; i++) {
		struct json_object *doc = vl_place_part(t, h, p, i);
		cr_assert_not_null(doc);
		cr_expect_str_eq(str(doc, "name"), t->name);
		struct json_object *nodes = get(doc, "nodes");
		json_object_object_foreach(nodes, name, nd)
		{
			long v = vl_topo_find_node(t, name);
			cr_assert_geq(v, 0);
			cr_expect_eq(p->host[v], i, "%s on host %zu's part", name, i);
			cr_expect_null(get(nd, "host"), "a part's nodes carry no pin");
			seen[v]++;
		}
		struct json_object *links = get(doc, "links");
		for (size_t j = 0; j < json_object_array_length(links); j++) {
			struct json_object *lk = json_object_array_get_idx(links, j);
			struct json_object *eps = get(lk, "endpoints");
			struct json_object *tun = get(lk, "tunnel");
			if (!tun) {
				cr_expect_eq(json_object_array_length(eps), 2);
				inside++;
				continue;
			}
			cr_expect_null(get(lk, "upstream"), "a tunnel end has no upstream");
			cr_assert_eq(json_object_array_length(eps), 1);
			size_t vni = (size_t)json_object_get_int64(get(tun, "vxlan"));
			cr_assert_geq(vni, h->vni_base);
			size_t l = vni - h->vni_base;
			cr_assert_lt(l, t->n_links);
			cr_expect(vl_place_is_cut(t, p, l));
			ends[l]++;
			const struct vl_link *x = &t->links[l];
			int e = p->host[x->ep[0].node] == i ? 0 : 1;
			char buf[64];
			vl_endpoint_name(t, &x->ep[e], buf, sizeof(buf));
			cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(eps, 0)), buf);
			char here[64], there[64];
			vl_ip_str(&h->hosts[i].underlay, false, here, sizeof(here));
			vl_ip_str(&h->hosts[p->host[x->ep[1 - e].node]].underlay, false, there,
				  sizeof(there));
			cr_expect_str_eq(str(tun, "local"), here);
			cr_expect_str_eq(str(tun, "remote"), there);
			cr_expect_eq(json_object_get_int(get(tun, "port")), h->vxlan_port);
			cr_expect_eq((unsigned)json_object_get_int(get(tun, "mtu")), vl_place_mtu(h));
		}
		json_object_put(doc);
	}
	for (size_t v = 0; v < t->n_nodes; v++)
		cr_expect_eq(seen[v], 1, "node %s in %zu parts", t->nodes[v].name, seen[v]);
	for (size_t l = 0; l < t->n_links; l++)
		cr_expect_eq(ends[l], vl_place_is_cut(t, p, l) ? 2 : 0, "link %zu: %zu ends", l,
			     ends[l]);
	cr_expect_eq(inside + n_cut, t->n_links);
	free(seen);
	free(ends);
}

Test(place, parts_cover_the_lab_and_tunnels_pair_up)
{
	struct vl_topo *ts[] = {grid(10, 10), star(20), ring(17), chain(14)};
	const char *caps[] = {"1:1:1:1", "1:1", "1:2:1", "1:1"};
	for (size_t i = 0; i < 4; i++) {
		struct vl_hosts *h = hosts(caps[i]);
		struct vl_placement p;
		place(ts[i], h, &p);
		check_parts(ts[i], h, &p);
		vl_placement_free(&p);
		vl_hosts_free(h);
		vl_topo_free(ts[i]);
	}
}

Test(place, a_tunnel_end_carries_the_direction_that_leaves_its_host)
{
	const char *text = "name: wan\n"
			   "nodes:\n"
			   "  a: {host: h1, ifaces: {eth0: {addrs: [10.0.0.1/24]}}}\n"
			   "  r1: {host: h1}\n"
			   "  r2: {host: h2}\n"
			   "  b: {host: h2}\n"
			   "  p: {kind: pipe, downstream: {delay: 10ms}, upstream: {delay: 30ms, "
			   "loss: 1%}, impl: userspace}\n"
			   "links:\n"
			   "  - [a:eth0, r1:lan]\n"
			   "  - [r1:wan, p:upper]\n"
			   "  - [p:lower, r2:wan]\n"
			   "  - endpoints: [b:eth0, r2:lan]\n"
			   "    bandwidth: 5Mbit\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("wan.yaml", text, strlen(text), &t, &err), 0, "%s",
		     err.msg);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_assert_eq(p.cut, 1);
	check_parts(t, h, &p);
	/* The pipe is its link's parameters: r1 -> r2 10ms, r2 -> r1 30ms + 1%. */
	size_t l = 0;
	while (!vl_place_is_cut(t, &p, l))
		l++;
	cr_assert_str_eq(t->links[l].via, "p");
	int r1 = t->links[l].ep[0].node == (size_t)vl_topo_find_node(t, "r1") ? 0 : 1;
	const char *want_delay[2] = {"10000000ns", "30000000ns"};
	for (size_t i = 0; i < 2; i++) {
		struct json_object *doc = vl_place_part(t, h, &p, i);
		struct json_object *links = get(doc, "links");
		cr_assert_eq(json_object_array_length(links), 2);
		struct json_object *tend = NULL;
		for (size_t j = 0; j < 2; j++)
			if (get(json_object_array_get_idx(links, j), "tunnel"))
				tend = json_object_array_get_idx(links, j);
		cr_assert_not_null(tend);
		cr_expect_str_eq(str(tend, "impl"), "userspace");
		struct json_object *down = get(tend, "downstream");
		cr_assert_not_null(down);
		/* h1 holds r1: what leaves h1 is r1 -> r2, whichever end r1 is. */
		cr_expect(r1 == 0 || r1 == 1);
		cr_expect_str_eq(str(down, "delay"), want_delay[i], "host %zu", i);
		cr_expect_eq(get(down, "loss") != NULL, i == 1, "host %zu", i);
		cr_expect_str_eq(str(get(tend, "tunnel"), "local"), i == 0 ? "192.0.2.1" : "192.0.2.2");
		cr_expect_eq(json_object_get_int64(get(get(tend, "tunnel"), "vxlan")),
			     4096 + (int64_t)l);
		json_object_put(doc);
	}
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, one_host_gets_the_whole_lab_and_it_loads)
{
	struct vl_topo *t = grid(4, 4);
	struct vl_hosts *h = hosts("1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.cut, 0);
	struct json_object *doc = vl_place_part(t, h, &p, 0);
	char *text = vl_topo_json_text(doc);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *u;
	cr_expect_eq(vl_topo_load_buffer("part", text, strlen(text), &u, &err), 0, "%s", err.msg);
	if (u) {
		cr_expect_eq(u->n_nodes, t->n_nodes);
		cr_expect_eq(u->n_links, t->n_links);
		vl_topo_free(u);
	}
	free(text);
	json_object_put(doc);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, the_vni_and_the_tunnel_mtu)
{
	struct vl_hosts *h = hosts("1:1");
	cr_expect_eq(vl_place_vni(h, 0), 4096);
	cr_expect_eq(vl_place_vni(h, 7), 4103);
	cr_expect_eq(vl_place_mtu(h), 1450);
	vl_hosts_free(h);
	struct vl_err err;
	vl_err_init(&err);
	const char *six = "hosts:\n  a: {ssh: a, underlay: '2001:db8::1'}\n"
			  "vxlan: {underlay_mtu: 9000, vni_base: 16777215}\n";
	cr_assert_eq(vl_hosts_load_buffer("h6", six, strlen(six), &h, &err), 0, "%s", err.msg);
	cr_expect_eq(vl_place_mtu(h), 8930);
	/* Two links from the largest VNI on pass it. */
	struct vl_topo *t = chain(3);
	struct vl_placement p;
	cr_expect_lt(vl_place(t, h, &p, &err), 0);
	cr_expect(strstr(err.msg, "h6: error: vni_base 16777215 and 2 links pass the largest VNI"),
		  "%s", err.msg);
	vl_topo_free(t);
	vl_hosts_free(h);
}

Test(place, a_bridge_with_10000_ports_is_placed_fast, .timeout = 30)
{
	struct vl_topo *t = star(10000);
	struct vl_hosts *h = hosts("1:1:1:1");
	struct vl_placement p;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	place(t, h, &p);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	cr_expect_lt(s, 1.0, "%.3f s", s);
	balanced(t, h, &p);
	/* Three quarters of the ports cross, whatever else. */
	cr_expect_leq(p.cut, 7502, "cut %zu", p.cut);
	cr_log_info("star10000/4: cut %zu -> %zu, %u passes, %.3f s", p.cut_initial, p.cut,
		    p.passes, s);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}

Test(place, islands_and_more_hosts_than_nodes)
{
	/* Three separate pairs and a lone node over two hosts: no link need cross. */
	struct text x = {0};
	add(&x, "name: isl\nnodes:\n  a:\n  b:\n  c:\n  d:\n  e:\n  f:\n  g:\n"
		"links:\n  - [a:x, b:x]\n  - [c:x, d:x]\n  - [e:x, f:x]\n");
	struct vl_topo *t = load(&x);
	struct vl_hosts *h = hosts("1:1");
	struct vl_placement p;
	place(t, h, &p);
	cr_expect_eq(p.cut, 0, "cut %zu", p.cut);
	balanced(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	/* Five hosts for seven nodes: every host within one node of its share. */
	h = hosts("11111");
	place(t, h, &p);
	balanced(t, h, &p);
	check_parts(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
	/* One node, three hosts: two hosts get an empty part. */
	struct text y = {0};
	add(&y, "name: one\nnodes:\n  a:\n");
	t = load(&y);
	h = hosts("111");
	place(t, h, &p);
	cr_expect_eq(p.load[0] + p.load[1] + p.load[2], 1);
	check_parts(t, h, &p);
	vl_placement_free(&p);
	vl_hosts_free(h);
	vl_topo_free(t);
}
