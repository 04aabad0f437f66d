/* SPDX-License-Identifier: BSD-2-Clause */
/* mininet.c — Mininet's --topo (import.h), built by the loader's own
 * steps (topo_build.h), so a Mininet topology is held to every rule a
 * topology file is.
 *
 * What Mininet does, and this file repeats (mininet/topo.py,
 * mininet/topolib.py, mininet/net.py of Mininet 2.3):
 *  - the topologies of mn's --topo list that work without a spanning
 *    tree: minimal, single,K, reversed,K, linear,K[,N], tree,D[,F]
 *    (arguments positional or as Mininet's keywords: k=, n=, depth=,
 *    fanout=), and torus,X,Y[,N] (TorusTopo: switches sIxJ, hosts hIxJ or
 *    hIxJxK... as Mininet names them, X and Y at least 3); and ring,K,
 *    which Mininet lacks: linear,K with its ends joined.  A torus or a
 *    ring loops, so its switches run the spanning tree (`stp: true`), as
 *    Mininet's torus needs --switch lxbr,stp=1;
 *  - Topo.addPort's numbering: a host's ports from 0 (h1-eth0), a
 *    switch's from 1 (s1-eth1), in the order addLink was called;
 *  - Mininet.addHost's addresses: hosts in natural order of their names
 *    (Topo.hosts() sorts with util.natural: h1s2 before h2s1) get
 *    10.0.0.1/8, 10.0.0.2/8 ... from ipBase 10.0.0.0/8; with --mac
 *    (autoSetMacs) the MAC of the same number, 00:00:00:00:00:01 ...;
 *  - TCLink's options on both interfaces of every link: each direction
 *    of a link gets each value once (delay=5ms: 10 ms RTT per link).
 * A switch is a vnetlab bridge (a learning switch, as OVS under
 * Mininet's default controller is); its port sN-ethP is hook linkP.
 * Messages name the --topo or --link argument the user wrote. */
#include "vnetlab/import.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/impair.h"
#include "vnetlab/topo_build.h"

/* Bounds: a lab of thousands of namespaces is not what `mn --topo`
 * is for, and a Linux bridge has at most 1023 ports. */
#define MN_MAX_NODES 4096
#define MN_MAX_PORTS 1023

enum { POS_TOPO = 1, POS_LINK = 2 };

struct mn_node {
	char name[VL_NAME_MAX + 1];
	bool sw;
	unsigned nports;
	unsigned ip; /* hosts: 1, 2, ... (10.0.0.ip) */
};

struct mn_link {
	size_t a, b;
	unsigned pa, pb;
};

struct mn {
	const char *spec, *link;
	struct vl_build b;
	struct vl_pos_names names;
	struct mn_node *nodes;
	size_t n_nodes;
	struct mn_link *links;
	size_t n_links;
	bool oom;
	bool loops; /* the switches run a spanning tree */
};

static void name_pos(void *arg, struct vl_pos pos, char *buf, size_t len)
{
	const struct mn *m = arg;
	if (pos.line == POS_LINK)
		snprintf(buf, len, "--link %s", m->link);
	else
		snprintf(buf, len, "--topo %s", m->spec);
}

static const struct vl_pos at_topo = {POS_TOPO, 0}, at_link = {POS_LINK, 0};

/* ---- Mininet's Topo ------------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static size_t add_node(struct mn *m, bool sw,
							     const char *fmt, ...)
{
	struct mn_node *n = vl_build_grow((void **)&m->nodes, &m->n_nodes, sizeof(*n));
	if (!n) {
		m->oom = true;
		return 0;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(n->name, sizeof(n->name), fmt, ap);
	va_end(ap);
	n->sw = sw;
	return m->n_nodes - 1;
}

/* Topo.addLink with Topo.addPort: a port not given is the node's count
 * of ports plus its base (0 for a host, 1 for a switch). */
static void add_link(struct mn *m, size_t a, size_t b, long pa, long pb)
{
	if (m->oom)
		return;
	struct mn_link *l = vl_build_grow((void **)&m->links, &m->n_links, sizeof(*l));
	if (!l) {
		m->oom = true;
		return;
	}
	struct mn_node *x = &m->nodes[a], *y = &m->nodes[b];
	*l = (struct mn_link){a, b, pa >= 0 ? (unsigned)pa : x->nports + x->sw,
			      pb >= 0 ? (unsigned)pb : y->nports + y->sw};
	x->nports++, y->nports++;
}

static void single(struct mn *m, unsigned k, bool reversed)
{
	size_t s = add_node(m, true, "s1");
	for (unsigned h = 1; h <= k && !m->oom; h++)
		add_link(m, add_node(m, false, "h%u", h), s, reversed ? 0 : -1,
			 reversed ? (long)(k - h + 1) : -1);
}

static void linear(struct mn *m, unsigned k, unsigned n)
{
	size_t last = 0;
	for (unsigned i = 1; i <= k && !m->oom; i++) {
		size_t s = add_node(m, true, "s%u", i);
		for (unsigned j = 1; j <= n && !m->oom; j++) {
			size_t h = n == 1 ? add_node(m, false, "h%u", i)
					  : add_node(m, false, "h%us%u", j, i);
			add_link(m, h, s, -1, -1);
		}
		if (i > 1)
			add_link(m, s, last, -1, -1);
		last = s;
	}
}

/* TorusTopo.build: the switches and their hosts row by row, then each
 * switch linked to its right and its lower neighbour, wrapping round. */
static void torus(struct mn *m, unsigned x, unsigned y, unsigned n)
{
	size_t first = m->n_nodes;
	for (unsigned i = 1; i <= x && !m->oom; i++)
		for (unsigned j = 1; j <= y && !m->oom; j++) {
			size_t s = add_node(m, true, "s%ux%u", i, j);
			for (unsigned k = 1; k <= n && !m->oom; k++) {
				size_t h = n == 1 ? add_node(m, false, "h%ux%u", i, j)
						  : add_node(m, false, "h%ux%ux%u", i, j, k);
				add_link(m, h, s, -1, -1);
			}
		}
	/* Each switch is followed by its n hosts. */
#define SW(i, j) (first + ((size_t)(i) * y + (j)) * (n + 1))
	for (unsigned i = 0; i < x && !m->oom; i++)
		for (unsigned j = 0; j < y && !m->oom; j++) {
			add_link(m, SW(i, j), SW(i, (j + 1) % y), -1, -1);
			add_link(m, SW(i, j), SW((i + 1) % x, j), -1, -1);
		}
#undef SW
}

/* TreeTopo.addTree: a switch, then each child's subtree depth-first,
 * each linked as it returns; hosts and switches numbered as made. */
static size_t tree(struct mn *m, unsigned depth, unsigned fanout, unsigned *hn, unsigned *sn)
{
	if (depth == 0)
		return add_node(m, false, "h%u", (*hn)++);
	size_t s = add_node(m, true, "s%u", (*sn)++);
	for (unsigned i = 0; i < fanout && !m->oom; i++) {
		size_t c = tree(m, depth - 1, fanout, hn, sn);
		add_link(m, s, c, -1, -1);
	}
	return s;
}

/* util.natural: runs of digits compare as numbers, the rest as text. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			unsigned long x = strtoul(a, (char **)&a, 10);
			unsigned long y = strtoul(b, (char **)&b, 10);
			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++, b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static const struct mn_node *sort_base;

static int by_name(const void *x, const void *y)
{
	const struct mn_node *a = &sort_base[*(const size_t *)x];
	const struct mn_node *b = &sort_base[*(const size_t *)y];
	if (a->sw != b->sw)
		return a->sw ? 1 : -1; /* hosts first, as `mn` lists them */
	return natural_cmp(a->name, b->name);
}

/* ---- the --topo argument --------------------------------------------------------- */

struct shape {
	enum { T_MINIMAL, T_SINGLE, T_REVERSED, T_LINEAR, T_TREE, T_RING, T_TORUS } kind;
	unsigned long long a, b, c; /* k and n, depth and fanout, x y and n */
	char lab[VL_LABNAME_MAX + 1];
};

/* How many nodes a shape makes, or more than MN_MAX_NODES. */
static unsigned long long count_nodes(const struct shape *s, unsigned long long *ports)
{
	switch (s->kind) {
	case T_MINIMAL: *ports = 2; return 3;
	case T_SINGLE:
	case T_REVERSED: *ports = s->a; return s->a + 1;
	case T_LINEAR: *ports = s->b + 2; return s->a > MN_MAX_NODES || s->b > MN_MAX_NODES
		       ? MN_MAX_NODES + 1 : s->a * (s->b + 1);
	case T_RING: *ports = 3; return s->a > MN_MAX_NODES ? MN_MAX_NODES + 1 : 2 * s->a;
	case T_TORUS: *ports = s->c + 4;
		return s->a * s->b > MN_MAX_NODES || s->c > MN_MAX_NODES
			       ? MN_MAX_NODES + 1 : s->a * s->b * (s->c + 1);
	case T_TREE: break;
	}
	/* fanout^depth hosts, (fanout^depth - 1)/(fanout - 1) switches */
	unsigned long long level = 1, total = 0;
	for (unsigned long long d = 0; d <= s->a && total <= MN_MAX_NODES; d++) {
		total += level;
		if (level > MN_MAX_NODES)
			return MN_MAX_NODES + 1;
		level *= s->b;
	}
	*ports = s->b + 1;
	return total;
}

static int bad_topo(struct mn *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad_topo(struct mn *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vl_build_verrf(&m->b, at_topo, fmt, ap);
	va_end(ap);
	return -1;
}

#define TOPO_FORMS                                                                       \
	"minimal, single,K, reversed,K, linear,K[,N], tree,DEPTH[,FANOUT], ring,K or "    \
	"torus,X,Y[,N]"

static int parse_topo(struct mn *m, struct shape *s)
{
	static const struct {
		const char *name;
		int kind;
		const char *args[3];
		unsigned long long def[3]; /* 0: must be given */
		unsigned nargs;
	} kinds[] = {
		{"minimal", T_MINIMAL, {NULL}, {0}, 0},
		{"single", T_SINGLE, {"k"}, {2}, 1},
		{"reversed", T_REVERSED, {"k"}, {2}, 1},
		{"linear", T_LINEAR, {"k", "n"}, {2, 1}, 2},
		{"tree", T_TREE, {"depth", "fanout"}, {1, 2}, 2},
		{"ring", T_RING, {"k"}, {3}, 1},
		{"torus", T_TORUS, {"x", "y", "n"}, {0, 0, 1}, 3},
	};
	char buf[256];
	if (strlen(m->spec) >= sizeof(buf))
		return bad_topo(m, "too long: write " TOPO_FORMS);
	snprintf(buf, sizeof(buf), "%s", m->spec);
	char *save, *word = strtok_r(buf, ",", &save);
	if (!word)
		return bad_topo(m, "empty: write " TOPO_FORMS);
	size_t ki = 0;
	while (ki < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kinds[ki].name, word))
		ki++;
	if (ki == sizeof(kinds) / sizeof(kinds[0]))
		return bad_topo(m, "unknown topology '%s': write " TOPO_FORMS
				" (Mininet's --topo)", word);
	s->kind = kinds[ki].kind;
	unsigned long long v[3] = {kinds[ki].def[0], kinds[ki].def[1], kinds[ki].def[2]};
	bool given[3] = {false, false, false};
	unsigned pos = 0;
	for (char *arg; (arg = strtok_r(NULL, ",", &save));) {
		char *eq = strchr(arg, '=');
		unsigned i = pos;
		if (eq) {
			*eq = '\0';
			for (i = 0; i < kinds[ki].nargs && strcmp(kinds[ki].args[i], arg); i++)
				;
			if (i == kinds[ki].nargs)
				return bad_topo(m, "%s has no parameter '%s' (it takes %s%s%s%s%s)",
						word, arg,
						kinds[ki].nargs ? kinds[ki].args[0] : "none",
						kinds[ki].nargs > 2 ? ", " : kinds[ki].nargs > 1 ? " and " : "",
						kinds[ki].nargs > 1 ? kinds[ki].args[1] : "",
						kinds[ki].nargs > 2 ? " and " : "",
						kinds[ki].nargs > 2 ? kinds[ki].args[2] : "");
			arg = eq + 1;
		} else if (pos++ >= kinds[ki].nargs) {
			return bad_topo(m, "%s takes %s%u argument%s", word,
					kinds[ki].nargs ? "at most " : "", kinds[ki].nargs,
					kinds[ki].nargs == 1 ? "" : "s");
		}
		if (given[i])
			return bad_topo(m, "%s given twice", kinds[ki].args[i]);
		given[i] = true;
		if (vl_uint_arg(arg, 1, MN_MAX_NODES, &v[i]) < 0)
			return bad_topo(m, "%s '%s': a whole number from 1 to %d", kinds[ki].args[i],
					arg, MN_MAX_NODES);
	}
	for (unsigned i = 0; i < kinds[ki].nargs; i++)
		if (!v[i])
			return bad_topo(m, "%s needs %s: write torus,X,Y[,N]", word, kinds[ki].args[i]);
	s->a = v[0], s->b = v[1], s->c = v[2];
	/* TorusTopo's own rule ("use 3x3 or greater"); a ring of two
	 * switches would be two links between the same pair. */
	if (s->kind == T_TORUS && (s->a < 3 || s->b < 3))
		return bad_topo(m, "torus needs X and Y of at least 3, as Mininet's does");
	if (s->kind == T_RING && s->a < 3)
		return bad_topo(m, "ring needs at least 3 switches");
	char torus[80]; /* each number is at most MN_MAX_NODES: it fits */
	snprintf(torus, sizeof(torus), s->c == 1 ? "torus%llux%llu" : "torus%llux%llu-%llu",
		 s->a, s->b, s->c);
	if (s->kind == T_TORUS)
		snprintf(s->lab, sizeof(s->lab), "%.32s", torus);
	else if (s->kind == T_LINEAR && s->b == 1)
		snprintf(s->lab, sizeof(s->lab), "linear%llu", s->a);
	else if (s->kind == T_LINEAR || s->kind == T_TREE)
		snprintf(s->lab, sizeof(s->lab), "%s%llu-%llu", word, s->a, s->b);
	else if (s->kind == T_MINIMAL)
		snprintf(s->lab, sizeof(s->lab), "minimal");
	else
		snprintf(s->lab, sizeof(s->lab), "%s%llu", word, s->a);
	unsigned long long ports = 0, n = count_nodes(s, &ports);
	if (n > MN_MAX_NODES)
		return bad_topo(m, "makes more than %d nodes (hosts and switches counted); "
				"at most %d", MN_MAX_NODES, MN_MAX_NODES);
	if (ports > MN_MAX_PORTS)
		return bad_topo(m, "gives a switch %llu ports; a Linux bridge has at most %d",
				ports, MN_MAX_PORTS);
	return 0;
}

/* ---- the --link argument --------------------------------------------------------- */

static int bad_link(struct mn *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad_link(struct mn *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vl_build_verrf(&m->b, at_link, fmt, ap);
	va_end(ap);
	return -1;
}

#define LINK_OPTS "bw (Mbit/s), delay, jitter (with a unit: 5ms), loss (percent) and max_queue_size (packets)"

/* TCLink's options: "[tc,]bw=10,delay=5ms,jitter=1ms,loss=1,max_queue_size=N";
 * "default" alone (Mininet's plain Link) is no impairment. */
static int parse_link(struct mn *m, struct vl_impair *im)
{
	char buf[256];
	if (strlen(m->link) >= sizeof(buf))
		return bad_link(m, "too long");
	snprintf(buf, sizeof(buf), "%s", m->link);
	int rc = 0;
	bool first = true;
	for (char *save, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		bool lead = first;
		first = false;
		if (lead && (!strcmp(w, "tc") || !strcmp(w, "default")))
			continue; /* the link class; TCLink's options follow */
		char *eq = strchr(w, '=');
		if (!eq) {
			rc = bad_link(m, "'%s' is not an option=value; Mininet's tc options "
				      "vnetlab takes: " LINK_OPTS, w);
			continue;
		}
		*eq = '\0';
		const char *v = eq + 1;
		static const struct {
			const char *name;
			enum vl_param p;
			const char *unit; /* appended to a bare number */
		} opts[] = {
			{"bw", VL_P_BANDWIDTH, "Mbit"}, {"delay", VL_P_DELAY, NULL},
			{"jitter", VL_P_JITTER, NULL},  {"loss", VL_P_LOSS, "%"},
			{"max_queue_size", VL_P_QUEUE, ""},
		};
		size_t i = 0;
		while (i < sizeof(opts) / sizeof(opts[0]) && strcmp(opts[i].name, w))
			i++;
		if (i == sizeof(opts) / sizeof(opts[0])) {
			rc = bad_link(m, "option '%s' is not one vnetlab takes: " LINK_OPTS, w);
			continue;
		}
		char val[96], why[200];
		uint64_t got;
		double num;
		const char *rest;
		if (opts[i].unit && (vl_decimal(v, &num, &rest) < 0 || *rest)) {
			rc = bad_link(m, "%s '%s': a number of %s", w, v,
				      opts[i].p == VL_P_BANDWIDTH ? "Mbit/s"
				      : opts[i].p == VL_P_LOSS    ? "percent (1 is 1%)"
								  : "packets");
			continue;
		}
		if (!opts[i].unit && vl_decimal(v, &num, &rest) == 0 && !*rest) {
			rc = bad_link(m, "%s '%s' needs a unit, e.g. %sms (tc would read us)",
				      w, v, v);
			continue;
		}
		snprintf(val, sizeof(val), "%s%s", v, opts[i].unit ? opts[i].unit : "");
		if (vl_param_parse(opts[i].p, val, &got, why, sizeof(why)) < 0) {
			rc = bad_link(m, "%s '%s': %s", w, v, why);
			continue;
		}
		vl_impair_set(im, opts[i].p, got);
	}
	char why[256];
	if (rc == 0 && vl_impair_check(im, why, sizeof(why)) < 0)
		rc = bad_link(m, "%s", why);
	return rc;
}

/* ---- the model -------------------------------------------------------------------- */

static void emit(struct mn *m, const struct vl_impair *im, unsigned flags)
{
	size_t *order = calloc(m->n_nodes ? m->n_nodes : 1, sizeof(*order));
	if (!order) {
		vl_build_errf(&m->b, at_topo, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m->n_nodes; i++)
		order[i] = i;
	sort_base = m->nodes;
	qsort(order, m->n_nodes, sizeof(*order), by_name);
	unsigned ip = 0;
	for (size_t k = 0; k < m->n_nodes; k++) {
		struct mn_node *n = &m->nodes[order[k]];
		long ni = vl_build_node(&m->b, n->name, n->sw ? VL_KIND_BRIDGE : VL_KIND_VNET,
					at_topo);
		if (ni >= 0 && n->sw) {
			m->b.t->nodes[ni].stp = m->loops;
			m->b.t->nodes[ni].stp_pos = at_topo;
		}
		if (ni < 0 || n->sw)
			continue;
		n->ip = ++ip;
		char ifn[VL_NAME_MAX + 8];
		snprintf(ifn, sizeof(ifn), "%s-eth0", n->name);
		struct vl_iface *f = vl_build_iface(&m->b, &m->b.t->nodes[ni], ifn, at_topo);
		if (!f)
			continue;
		uint32_t a = (10u << 24) + n->ip; /* ipBase 10.0.0.0/8 */
		struct vl_ip addr = {.family = AF_INET, .plen = 8,
				     .a = {a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255}};
		vl_build_addr(&m->b, f, &addr, at_topo);
		if (flags & VL_MN_MAC) {
			char mac[18];
			snprintf(mac, sizeof(mac), "00:00:00:%02x:%02x:%02x", (n->ip >> 16) & 255,
				 (n->ip >> 8) & 255, n->ip & 255);
			vl_build_mac(&m->b, f, mac, at_topo);
		}
	}
	if (vl_build_nodes_done(&m->b) < 0)
		goto out;
	for (size_t i = 0; i < m->n_links; i++) {
		const struct mn_link *ml = &m->links[i];
		struct vl_link l = {.pos = at_topo, .dir = {*im, *im}};
		char e[2][VL_NAME_MAX * 2 + 16];
		size_t x[2] = {ml->a, ml->b};
		unsigned p[2] = {ml->pa, ml->pb};
		for (int s = 0; s < 2; s++) {
			const struct mn_node *n = &m->nodes[x[s]];
			if (n->sw)
				snprintf(e[s], sizeof(e[s]), "%s:link%u", n->name, p[s]);
			else
				snprintf(e[s], sizeof(e[s]), "%s:%s-eth%u", n->name, n->name, p[s]);
		}
		const char *const ends[2] = {e[0], e[1]};
		const struct vl_pos end_pos[2] = {at_topo, at_topo};
		vl_build_link(&m->b, &l, at_topo, ends, end_pos);
	}
out:
	free(order);
}

int vl_topo_mininet_flags(const char *spec, const char *link, unsigned flags,
			  struct vl_topo **out, struct vl_err *err)
{
	struct mn m = {.spec = spec ? spec : "", .link = link ? link : ""};
	m.names = (struct vl_pos_names){name_pos, &m};
	*out = NULL;
	int rc = vl_build_begin(&m.b, m.spec, &m.names, err);
	if (rc < 0)
		return rc;
	struct shape s = {0};
	struct vl_impair im = {0};
	int bad = parse_topo(&m, &s);
	bad |= link ? parse_link(&m, &im) : 0;
	if (!bad) {
		vl_build_lab(&m.b, s.lab, at_topo);
		unsigned hn = 1, sn = 1;
		switch (s.kind) {
		case T_MINIMAL: single(&m, 2, false); break;
		case T_SINGLE: single(&m, (unsigned)s.a, false); break;
		case T_REVERSED: single(&m, (unsigned)s.a, true); break;
		case T_LINEAR: linear(&m, (unsigned)s.a, (unsigned)s.b); break;
		case T_TREE: tree(&m, (unsigned)s.a, (unsigned)s.b, &hn, &sn); break;
		case T_RING:
			linear(&m, (unsigned)s.a, 1);
			add_link(&m, m.n_nodes - 2, 0, -1, -1); /* sK to s1 */
			break;
		case T_TORUS: torus(&m, (unsigned)s.a, (unsigned)s.b, (unsigned)s.c); break;
		}
		m.loops = s.kind == T_RING || s.kind == T_TORUS;
		if (m.oom)
			vl_build_errf(&m.b, at_topo, "out of memory");
		else
			emit(&m, &im, flags);
	}
	rc = vl_build_finish(&m.b, out);
	free(m.nodes);
	free(m.links);
	return rc;
}

int vl_topo_mininet(const char *spec, const char *link, struct vl_topo **out,
		    struct vl_err *err)
{
	return vl_topo_mininet_flags(spec, link, 0, out, err);
}
