/* SPDX-License-Identifier: BSD-2-Clause */
/* imunes_frr.c — the FRR configuration IMUNES gives a router of model frr
 * or quagga: per protocol of its router_config the same router sections
 * (router ids from the node's id, redistribution, networks), areas on
 * every interface for OSPF, and its static routes for staticd.  One
 * difference: an interface whose link goes straight to another router is
 * an OSPF point-to-point network, so the routers need not wait the 40 s
 * a DR election takes on a broadcast segment (the routes are the same).  The
 * addresses themselves vnetlab gives the interfaces (IMUNES repeats them
 * in vtysh; zebra sees them either way). */
#include "imunes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sb {
	char *s;
	size_t len, cap;
	bool oom;
};

static void add(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct sb *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	if (!b->s && !(b->s = malloc(b->cap = 1024))) { /* no arithmetic on NULL */
		b->oom = true;
		return;
	}
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n) * 2;
		char *g = realloc(b->s, cap);
		if (!g) {
			b->oom = true;
			return;
		}
		b->s = g, b->cap = cap;
	}
}

/* IMUNES: router id = 1 + the number in the node id, as an address. */
static void router_id(const struct im_node *n, char *buf, size_t len)
{
	unsigned long v = 0;
	const char *p = n->id + (n->id[0] == 'n');
	char *end;
	v = strtoul(p, &end, 10);
	if (*end || end == p || v >= 0xfffffffful)
		v = 0;
	v += 1;
	snprintf(buf, len, "%lu.%lu.%lu.%lu", v >> 24 & 255, v >> 16 & 255, v >> 8 & 255,
		 v & 255);
}

/* The lo0 IPv4 address (BGP's router id and update source). */
static const char *lo0_v4(const struct im_node *n, char *buf, size_t len)
{
	for (size_t i = 0; i < n->n_ifs; i++) {
		if (!n->ifs[i].lo || strcmp(n->ifs[i].name, "lo0"))
			continue;
		for (size_t a = 0; a < n->ifs[i].n_addrs; a++)
			if (!strchr(n->ifs[i].addrs[a].s, ':')) {
				snprintf(buf, len, "%.*s", (int)strcspn(n->ifs[i].addrs[a].s, "/"),
					 n->ifs[i].addrs[a].s);
				return buf;
			}
	}
	return "127.0.0.1";
}

static bool prefixed(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool backbone(const char *area)
{
	return !strcmp(area, "0.0.0.0") || !strcmp(area, "0");
}

bool im_frr_covers(unsigned proto, const char *line)
{
	static const char *const own[IM_N_PROTOS][6] = {
		{"redistribute static", "redistribute connected", "redistribute ospf",
		 "network 0.0.0.0/0"},
		{"redistribute static", "redistribute connected", "redistribute ospf6",
		 "network ::/0"},
		{"redistribute static", "redistribute connected", "redistribute rip"},
		{"redistribute static", "redistribute connected", "redistribute ripng"},
		{"no bgp ebgp-requires-policy", "neighbor DEFAULT peer-group",
		 "redistribute static", "redistribute connected"},
	};
	int i = 0;
	while (i < IM_N_PROTOS && proto != 1u << i)
		i++;
	if (i == IM_N_PROTOS)
		return true;
	for (int k = 0; k < 6 && own[i][k]; k++)
		if (!strcmp(line, own[i][k]))
			return true;
	if (prefixed(line, "router-id ") || prefixed(line, "ospf router-id ") ||
	    prefixed(line, "ospf6 router-id ") || prefixed(line, "bgp router-id ") ||
	    prefixed(line, "neighbor DEFAULT update-source ") ||
	    prefixed(line, "neighbor DEFAULT remote-as "))
		return true;
	/* OSPF's areas: every interface is in 0.0.0.0 already (ospf's
	 * `network P area A`, quagga ospf6's `interface IF area A`); ospf's
	 * other areas are kept by the caller (im_node.ospf_networks). */
	const char *sp = strrchr(line, ' ');
	if ((proto == IM_OSPF || proto == IM_OSPF6) && sp && sp - line > 5 &&
	    !strncmp(sp - 5, " area", 5) && backbone(sp + 1) &&
	    (prefixed(line, "network ") || prefixed(line, "interface ")))
		return true;
	return false;
}

static void extra(struct sb *b, const struct im_node *n, unsigned proto)
{
	int i = 0;
	while (i < IM_N_PROTOS && proto != 1u << i)
		i++;
	for (size_t k = 0; i < IM_N_PROTOS && k < n->n_extra[i]; k++)
		add(b, " %s\n", n->extra[i][k].s);
}

char *im_frr_conf(const struct im_node *n, const char *hostname)
{
	struct sb b = {0};
	char rid[32], lo[64];
	router_id(n, rid, sizeof(rid));
	add(&b, "! made by vnetlab from IMUNES node %s (%s, model %s)\n", n->id,
	    n->name.s ? n->name.s : n->id, n->model.s ? n->model.s : "frr");
	add(&b, "frr defaults traditional\nhostname %s\nservice integrated-vtysh-config\n!\n",
	    hostname);
	for (size_t i = 0; i < n->n_ifs; i++) {
		const struct im_iface *f = &n->ifs[i];
		if (f->lo || !f->hook)
			continue;
		add(&b, "interface %s\n", f->hook);
		if ((n->protos & IM_OSPF) && !n->ospf_networks)
			add(&b, " ip ospf area 0.0.0.0\n");
		if ((n->protos & IM_OSPF) && f->p2p)
			add(&b, " ip ospf network point-to-point\n");
		if (n->protos & IM_OSPF6)
			add(&b, " ipv6 ospf6 area 0.0.0.0\n%s",
			    f->p2p ? " ipv6 ospf6 network point-to-point\n" : "");
		if (f->down)
			add(&b, " shutdown\n");
		add(&b, "!\n");
	}
	if (n->protos & IM_RIP) {
		add(&b, "router rip\n redistribute static\n redistribute connected\n"
			" redistribute ospf\n network 0.0.0.0/0\n");
		extra(&b, n, IM_RIP);
		add(&b, "!\n");
	}
	if (n->protos & IM_RIPNG) {
		add(&b, "router ripng\n redistribute static\n redistribute connected\n"
			" redistribute ospf6\n network ::/0\n");
		extra(&b, n, IM_RIPNG);
		add(&b, "!\n");
	}
	if (n->protos & IM_OSPF) {
		add(&b, "router ospf\n ospf router-id %s\n redistribute static\n"
			" redistribute connected\n redistribute rip\n", rid);
		for (size_t k = 0; n->ospf_networks && k < n->n_ospf_nets; k++)
			add(&b, " %s\n", n->ospf_nets[k].s);
		extra(&b, n, IM_OSPF);
		add(&b, "!\n");
	}
	if (n->protos & IM_OSPF6) {
		add(&b, "router ospf6\n ospf6 router-id %s\n redistribute static\n"
			" redistribute connected\n redistribute ripng\n", rid);
		extra(&b, n, IM_OSPF6);
		add(&b, "!\n");
	}
	if (n->protos & IM_BGP) {
		const char *l = lo0_v4(n, lo, sizeof(lo));
		const char *as = n->bgp_as[0] ? n->bgp_as : "1000";
		add(&b, "router bgp %s\n bgp router-id %s\n no bgp ebgp-requires-policy\n"
			" neighbor DEFAULT peer-group\n neighbor DEFAULT remote-as %s\n"
			" neighbor DEFAULT update-source %s\n redistribute static\n"
			" redistribute connected\n", as, l, as, l);
		extra(&b, n, IM_BGP);
		add(&b, "!\n");
	}
	for (size_t i = 0; i < n->n_routes4; i++)
		add(&b, "ip route %s\n", n->routes4[i].s);
	for (size_t i = 0; i < n->n_routes6; i++)
		add(&b, "ipv6 route %s\n", n->routes6[i].s);
	add(&b, "line vty\n!\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
