/* SPDX-License-Identifier: BSD-2-Clause */
/* Mininet's --topo (vl_topo_mininet): the names, ports, counts and
 * addresses Mininet 2.3 makes (topo.py, topolib.py, net.py), TCLink's
 * options on both directions of every link, and refusals that name the
 * --topo or --link argument. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vnetlab/import.h"
#include "vnetlab/topo.h"

static struct vl_topo *mn(const char *spec, const char *link, unsigned flags)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	int rc = vl_topo_mininet_flags(spec, link, flags, &t, &err);
	cr_assert_eq(rc, 0, "--topo %s: %s", spec, err.msg);
	return t;
}

/* The refusal's text, which must name the argument. */
static void refused(const char *spec, const char *link, const char *names, const char *says)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_expect_eq(vl_topo_mininet(spec, link, &t, &err), -EINVAL, "%s %s", spec,
		     link ? link : "");
	cr_expect_null(t);
	cr_expect(strstr(err.msg, names) != NULL, "'%s' not in: %s", names, err.msg);
	cr_expect(strstr(err.msg, says) != NULL, "'%s' not in: %s", says, err.msg);
}

static size_t count(const struct vl_topo *t, enum vl_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		n += t->nodes[i].kind == k;
	return n;
}

/* Host h's one address, as text. */
static void addr_of(const struct vl_topo *t, const char *h, char *buf, size_t len)
{
	long i = vl_topo_find_node(t, h);
	cr_assert_geq(i, 0, "no node %s", h);
	const struct vl_node *n = &t->nodes[i];
	cr_assert_eq(n->n_ifaces, 1, "%s has %zu interfaces", h, n->n_ifaces);
	cr_assert_eq(n->ifaces[0].n_addrs, 1);
	const uint8_t *a = n->ifaces[0].addrs[0].ip.a;
	snprintf(buf, len, "%s %u.%u.%u.%u/%d", n->ifaces[0].name, a[0], a[1], a[2], a[3],
		 n->ifaces[0].addrs[0].ip.plen);
}

static void expect_addr(const struct vl_topo *t, const char *h, const char *want)
{
	char got[64];
	addr_of(t, h, got, sizeof(got));
	cr_expect_str_eq(got, want, "%s", h);
}

/* Is there a link between these two "node:hook" ends (either way)? */
static bool linked(const struct vl_topo *t, const char *x, const char *y)
{
	for (size_t l = 0; l < t->n_links; l++) {
		char a[64], b[64];
		vl_endpoint_name(t, &t->links[l].ep[0], a, sizeof(a));
		vl_endpoint_name(t, &t->links[l].ep[1], b, sizeof(b));
		if ((!strcmp(a, x) && !strcmp(b, y)) || (!strcmp(a, y) && !strcmp(b, x)))
			return true;
	}
	return false;
}

Test(mininet, linear_4)
{
	struct vl_topo *t = mn("linear,4", NULL, 0);
	cr_expect_str_eq(t->name, "linear4");
	cr_expect_eq(count(t, VL_KIND_VNET), 4);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 4);
	cr_expect_eq(t->n_links, 7);
	expect_addr(t, "h1", "h1-eth0 10.0.0.1/8");
	expect_addr(t, "h4", "h4-eth0 10.0.0.4/8");
	/* s(i)-eth1 to h(i); s(i)-eth2 to the previous switch's next port */
	cr_expect(linked(t, "h1:h1-eth0", "s1:link1"));
	cr_expect(linked(t, "h2:h2-eth0", "s2:link1"));
	cr_expect(linked(t, "s2:link2", "s1:link2"));
	cr_expect(linked(t, "s3:link2", "s2:link3"));
	cr_expect(linked(t, "s4:link2", "s3:link3"));
	cr_expect_eq(t->nodes[vl_topo_find_node(t, "h1")].ifaces[0].has_mac, false);
	vl_topo_free(t);
}

/* linear,K,N: hosts h<j>s<i>, addressed in natural order (h1s1, h1s2,
 * ..., h2s1): Topo.hosts() sorts with util.natural. */
Test(mininet, linear_hosts_per_switch)
{
	struct vl_topo *t = mn("linear,3,2", NULL, 0);
	cr_expect_str_eq(t->name, "linear3-2");
	cr_expect_eq(count(t, VL_KIND_VNET), 6);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 3);
	cr_expect_eq(t->n_links, 8);
	expect_addr(t, "h1s1", "h1s1-eth0 10.0.0.1/8");
	expect_addr(t, "h1s2", "h1s2-eth0 10.0.0.2/8");
	expect_addr(t, "h1s3", "h1s3-eth0 10.0.0.3/8");
	expect_addr(t, "h2s1", "h2s1-eth0 10.0.0.4/8");
	expect_addr(t, "h2s3", "h2s3-eth0 10.0.0.6/8");
	cr_expect(linked(t, "h2s1:h2s1-eth0", "s1:link2"));
	cr_expect(linked(t, "s2:link3", "s1:link3"));
	vl_topo_free(t);
	t = mn("linear,k=3,n=2", NULL, 0); /* Mininet's keywords */
	cr_expect_str_eq(t->name, "linear3-2");
	vl_topo_free(t);
}

/* TreeTopo: depth-first, a switch numbered before its subtrees. */
Test(mininet, tree_2_2)
{
	struct vl_topo *t = mn("tree,2,2", NULL, 0);
	cr_expect_str_eq(t->name, "tree2-2");
	cr_expect_eq(count(t, VL_KIND_VNET), 4);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 3);
	cr_expect_eq(t->n_links, 6);
	for (int h = 1; h <= 4; h++) {
		char name[8], want[32];
		snprintf(name, sizeof(name), "h%d", h);
		snprintf(want, sizeof(want), "h%d-eth0 10.0.0.%d/8", h, h);
		expect_addr(t, name, want);
	}
	cr_expect(linked(t, "s2:link1", "h1:h1-eth0"));
	cr_expect(linked(t, "s2:link2", "h2:h2-eth0"));
	cr_expect(linked(t, "s1:link1", "s2:link3"));
	cr_expect(linked(t, "s3:link1", "h3:h3-eth0"));
	cr_expect(linked(t, "s3:link2", "h4:h4-eth0"));
	cr_expect(linked(t, "s1:link2", "s3:link3"));
	vl_topo_free(t);
	/* tree,3,3: 27 hosts, 13 switches; 39 links */
	t = mn("tree,depth=3,fanout=3", NULL, 0);
	cr_expect_eq(count(t, VL_KIND_VNET), 27);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 13);
	cr_expect_eq(t->n_links, 39);
	cr_expect(linked(t, "s2:link1", "s3:link4"));
	expect_addr(t, "h27", "h27-eth0 10.0.0.27/8");
	vl_topo_free(t);
	t = mn("tree", NULL, 0); /* depth 1, fanout 2 */
	cr_expect_str_eq(t->name, "tree1-2");
	cr_expect_eq(t->n_nodes, 3);
	vl_topo_free(t);
}

Test(mininet, single_minimal_reversed)
{
	struct vl_topo *t = mn("single,3", NULL, 0);
	cr_expect_str_eq(t->name, "single3");
	cr_expect_eq(t->n_nodes, 4);
	cr_expect_eq(t->n_links, 3);
	cr_expect(linked(t, "h3:h3-eth0", "s1:link3"));
	vl_topo_free(t);
	t = mn("minimal", NULL, 0);
	cr_expect_str_eq(t->name, "minimal");
	cr_expect_eq(t->n_nodes, 3);
	cr_expect(linked(t, "h2:h2-eth0", "s1:link2"));
	vl_topo_free(t);
	t = mn("reversed,3", NULL, 0); /* lowest host on the highest port */
	cr_expect(linked(t, "h1:h1-eth0", "s1:link3"));
	cr_expect(linked(t, "h3:h3-eth0", "s1:link1"));
	vl_topo_free(t);
}

/* --mac: autoSetMacs, the host's number as the MAC. */
Test(mininet, macs)
{
	struct vl_topo *t = mn("single,300", NULL, VL_MN_MAC);
	const struct vl_iface *f = &t->nodes[vl_topo_find_node(t, "h2")].ifaces[0];
	static const uint8_t m2[6] = {0, 0, 0, 0, 0, 2}, m300[6] = {0, 0, 0, 0, 1, 0x2c};
	cr_expect(f->has_mac && !memcmp(f->mac, m2, 6));
	f = &t->nodes[vl_topo_find_node(t, "h300")].ifaces[0];
	cr_expect(f->has_mac && !memcmp(f->mac, m300, 6));
	expect_addr(t, "h300", "h300-eth0 10.0.1.44/8");
	vl_topo_free(t);
}

/* TCLink: each interface shapes what it sends, so each direction of a
 * link has each value once. */
Test(mininet, link_options_both_directions)
{
	struct vl_topo *t = mn("linear,2", "tc,bw=10,delay=5ms,loss=1,jitter=1ms,max_queue_size=50", 0);
	cr_assert_eq(t->n_links, 3);
	for (size_t l = 0; l < t->n_links; l++)
		for (int d = 0; d < 2; d++) {
			const struct vl_impair *im = &t->links[l].dir[d];
			cr_expect_eq(im->v[VL_P_BANDWIDTH], 10000000u);
			cr_expect_eq(im->v[VL_P_DELAY], 5000000u);
			cr_expect_eq(im->v[VL_P_JITTER], 1000000u);
			cr_expect_eq(im->v[VL_P_LOSS], VL_PPB / 100);
			cr_expect_eq(im->v[VL_P_QUEUE], 50u);
		}
	vl_topo_free(t);
	t = mn("single,2", "bw=0.5", 0); /* Mininet's bw is a float, in Mbit/s */
	cr_expect_eq(t->links[0].dir[1].v[VL_P_BANDWIDTH], 500000u);
	cr_expect(!vl_impair_has(&t->links[0].dir[1], VL_P_DELAY));
	vl_topo_free(t);
}

static bool stp_of(const struct vl_topo *t, const char *name)
{
	long i = vl_topo_find_node(t, name);
	cr_assert_geq(i, 0, "no node %s", name);
	return t->nodes[i].stp;
}

/* ring,K: linear,K with sK joined to s1; its switches run STP. */
Test(mininet, ring_4)
{
	struct vl_topo *t = mn("ring,4", NULL, 0);
	cr_expect_str_eq(t->name, "ring4");
	cr_expect_eq(count(t, VL_KIND_VNET), 4);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 4);
	cr_expect_eq(t->n_links, 8);
	cr_expect(linked(t, "s4:link3", "s1:link3"));
	cr_expect(linked(t, "s2:link2", "s1:link2"));
	for (int i = 1; i <= 4; i++) {
		char s[8];
		snprintf(s, sizeof(s), "s%d", i);
		cr_expect(stp_of(t, s), "%s runs no spanning tree", s);
	}
	cr_expect(!stp_of(t, "h1"));
	expect_addr(t, "h4", "h4-eth0 10.0.0.4/8");
	vl_topo_free(t);
	/* the loop-free shapes keep STP off */
	t = mn("linear,4", NULL, 0);
	cr_expect(!stp_of(t, "s1"));
	vl_topo_free(t);
}

/* TorusTopo: sIxJ with hosts, then per switch a link right, a link
 * down, wrapping; ports numbered in that order. */
Test(mininet, torus_3_3)
{
	struct vl_topo *t = mn("torus,3,3", NULL, 0);
	cr_expect_str_eq(t->name, "torus3x3");
	cr_expect_eq(count(t, VL_KIND_VNET), 9);
	cr_expect_eq(count(t, VL_KIND_BRIDGE), 9);
	cr_expect_eq(t->n_links, 9 + 18);
	cr_expect(linked(t, "h1x1:h1x1-eth0", "s1x1:link1"));
	cr_expect(linked(t, "s1x1:link2", "s1x2:link2"));
	cr_expect(linked(t, "s1x1:link3", "s2x1:link2"));
	cr_expect(linked(t, "s1x3:link3", "s1x1:link4")); /* round the row */
	cr_expect(linked(t, "s1x3:link4", "s2x3:link2"));
	cr_expect(stp_of(t, "s3x3"));
	expect_addr(t, "h1x1", "h1x1-eth0 10.0.0.1/8");
	expect_addr(t, "h2x1", "h2x1-eth0 10.0.0.4/8");
	expect_addr(t, "h3x3", "h3x3-eth0 10.0.0.9/8");
	vl_topo_free(t);
	t = mn("torus,x=3,y=4,n=2", NULL, 0);
	cr_expect_str_eq(t->name, "torus3x4-2");
	cr_expect_eq(count(t, VL_KIND_VNET), 24);
	cr_expect(linked(t, "h1x1x2:h1x1x2-eth0", "s1x1:link2"));
	vl_topo_free(t);
}

Test(mininet, bad_topologies_refused)
{
	refused("linear,0", NULL, "--topo linear,0: error:", "k '0': a whole number from 1");
	refused("tree,0", NULL, "--topo tree,0: error:", "depth '0'");
	refused("foo,3", NULL, "--topo foo,3: error:", "unknown topology 'foo'");
	refused("single,100000", NULL, "--topo single,100000", "from 1 to 4096");
	refused("tree,12,2", NULL, "--topo tree,12,2", "more than 4096 nodes");
	refused("single,2000", NULL, "--topo single,2000", "at most 1023");
	refused("linear,4,x", NULL, "--topo linear,4,x", "n 'x'");
	refused("linear,-1", NULL, "--topo linear,-1", "k '-1'");
	refused("linear,2,2,2", NULL, "--topo linear,2,2,2", "at most 2 arguments");
	refused("tree,fanout=2,fanout=3", NULL, "--topo", "fanout given twice");
	refused("single,z=3", NULL, "--topo single,z=3", "no parameter 'z'");
	refused("", NULL, "--topo", "empty");
	refused("ring,2", NULL, "--topo ring,2: error:", "at least 3 switches");
	refused("torus,2,3", NULL, "--topo torus,2,3: error:", "at least 3");
	refused("torus,3", NULL, "--topo torus,3: error:", "needs y");
	refused("torus,3,3,1,1", NULL, "--topo torus,3,3,1,1", "at most 3 arguments");
}

Test(mininet, bad_link_options_refused)
{
	refused("single,2", "bw=abc", "--link bw=abc: error:", "Mbit/s");
	refused("single,2", "bw=0", "--link bw=0", "bw '0'");
	refused("single,2", "delay=5", "--link delay=5: error:", "needs a unit");
	refused("single,2", "delay=5parsecs", "--link delay=5parsecs", "delay '5parsecs'");
	refused("single,2", "loss=200", "--link loss=200", "loss '200'");
	refused("single,2", "jitter=2ms", "--link jitter=2ms", "without a delay");
	refused("single,2", "use_htb=True", "--link use_htb=True", "option 'use_htb'");
	refused("single,2", "tc,5ms", "--link tc,5ms", "not an option=value");
	/* both arguments' mistakes at once */
	refused("foo", "delay=5", "--link delay=5", "--topo foo");
}
