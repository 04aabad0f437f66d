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
