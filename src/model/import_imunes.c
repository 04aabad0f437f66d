/* SPDX-License-Identifier: BSD-2-Clause */
/* import_imunes.c — IMUNES .imn files (import.h).  imunes_json.c and
 * imunes_tcl.c read the two forms into one description (imunes.h); here
 * it becomes a vnetlab model with topo_build.h's rules: IMUNES's node
 * types as kinds, its interfaces, addresses and routes, its routers' FRR
 * (imunes_frr.c), its link parameters in vnetlab's units.  What has no
 * place is one warning per kind; what cannot work is refused at its
 * line:col.  docs/imunes.md says what maps to what. */
#include "vnetlab/import.h"
#include "vnetlab/topo_build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "imunes.h"

/* stpswitch: IMUNES's if_bridge with STP on, a bridge with `stp: true`. */
enum im_kind { K_SKIP, K_ROUTER, K_HOST, K_BRIDGE, K_STP_BRIDGE, K_HUB, K_PSEUDO };

struct ctx {
	struct im_topo *t;
	struct vl_build b;
	bool custom_warned, quagga_warned, lo24_warned;
};

static enum im_kind kind_of(struct ctx *c, struct im_node *n)
{
	const char *ty = n->type.s;
	if (!strcmp(ty, "router")) {
		const char *m = n->model.s ? n->model.s : "frr";
		if (strcmp(m, "frr") && strcmp(m, "quagga") && strcmp(m, "static"))
			return im_errf(c->t, n->model.s ? n->model.pos : n->type.pos,
				       "router model '%s' is not frr, quagga or static", m), K_SKIP;
		if (!strcmp(m, "quagga") && !c->quagga_warned) {
			c->quagga_warned = true;
			im_warnf(c->t, n->model.pos, "quagga routers run FRR (its successor), with "
				 "the configuration IMUNES gives quagga");
		}
		return K_ROUTER;
	}
	if (!strcmp(ty, "pc") || !strcmp(ty, "host"))
		return K_HOST;
	if (!strcmp(ty, "lanswitch"))
		return K_BRIDGE;
	if (!strcmp(ty, "stpswitch") || !strcmp(ty, "lstpswitch"))
		return K_STP_BRIDGE;
	if (!strcmp(ty, "hub"))
		return K_HUB;
	if (!strcmp(ty, "pseudo"))
		return K_PSEUDO;
	static const struct {
		const char *type, *why;
	} no[] = {
		{"rj45", "it attaches a host interface, which a vnetlab lab does not take"},
		{"ext", "it connects the lab to the host's own stack"},
		{"extnat", "it connects the lab to the host's own stack with NAT"},
		{"extelem", "it stands for a device outside the lab"},
		{"nat64", "vnetlab has no NAT64 translator (tayga)"},
		{"wlan", "vnetlab emulates no wireless LANs"},
		{"filter", "vnetlab has no ng_patmat filter node"},
		{"packgen", "vnetlab has no ng_source packet generator"},
		{"click_l2", "vnetlab runs no Click routers"},
		{"click_l3", "vnetlab runs no Click routers"},
	};
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (!strcmp(ty, no[i].type))
			return im_errf(c->t, n->type.pos, "node '%s': IMUNES type '%s' is not "
				       "supported: %s", n->id, ty, no[i].why), K_SKIP;
	return im_errf(c->t, n->type.pos, "node '%s': unknown IMUNES node type '%.40s' "
		       "(supported: router, pc, host, lanswitch, hub, stpswitch)", n->id, ty),
	       K_SKIP;
}

/* A model name: the IMUNES name when it fits vnetlab's rules and is
 * unique, else the node id. */
static int pick_name(struct ctx *c, struct im_node *n)
{
	const char *want = n->name.s ? n->name.s : n->id;
	const char *why = vl_check_node_name(want);
	bool taken = n->mname[0] == '\x01'; /* a second of one name: names_unique */
	if (!why && !taken) {
		snprintf(n->mname, sizeof(n->mname), "%s", want);
		return 0;
	}
	const char *idwhy = vl_check_node_name(n->id);
	if (idwhy)
		return im_errf(c->t, n->pos, "node '%.20s' cannot be named '%.20s' (it %s) nor "
			       "by its id (it %s)", n->id, want, why ? why : "is taken", idwhy);
	im_warnf(c->t, n->name.s ? n->name.pos : n->pos, "node '%.20s' is called '%s' in the "
		 "lab: its name '%.40s' %s (vnetlab node names: up to 15 letters, digits, "
		 "'-' or '_')", n->id, n->id, want, why ? why : "is another node's too");
	snprintf(n->mname, sizeof(n->mname), "%s", n->id);
	return 0;
}

static int by_mname(const void *a, const void *b)
{
	const struct im_node *x = *(const struct im_node *const *)a;
	const struct im_node *y = *(const struct im_node *const *)b;
	int d = strcmp(x->mname, y->mname);
	return d ? d : (x < y ? -1 : x > y);
}

/* Two nodes of one IMUNES name: the later ones go by their ids (sorted,
 * not n^2; a name still taken twice is then the builder's refusal). */
static void names_unique(struct ctx *c, const enum im_kind *kinds)
{
	size_t n = 0;
	struct im_node **v = calloc(c->t->n_nodes + 1, sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < c->t->n_nodes; i++)
		if (kinds[i] != K_SKIP && kinds[i] != K_PSEUDO && c->t->nodes[i].mname[0])
			v[n++] = &c->t->nodes[i];
	qsort(v, n, sizeof(*v), by_mname);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(v[i]->mname, v[i - 1]->mname) && v[i]->mname[0] != '\x01') {
			size_t j = i;
			while (j < n && !strcmp(v[j]->mname, v[i - 1]->mname)) {
				v[j]->mname[0] = '\x01';
				pick_name(c, v[j]);
				j++;
			}
			i = j - 1;
		}
	free(v);
}

static struct vl_node *mnode(struct ctx *c, const struct im_node *n)
{
	return &c->b.t->nodes[n->built];
}

static int add_route(struct ctx *c, struct im_node *n, struct im_str *r, int family)
{
	char dst[128], gw[128], extra;
	int k = sscanf(r->s, "%127s %127s %c", dst, gw, &extra);
	struct vl_route rt = {.pos = r->pos};
	if (k != 2 || vl_ip_parse(dst, true, &rt.to) < 0 || vl_ip_parse(gw, false, &rt.via) < 0 ||
	    rt.to.family != family || rt.via.family != family)
		return im_errf(c->t, r->pos, "static route '%.80s' is not 'DESTINATION/LEN "
			       "GATEWAY' of IPv%d", r->s, family == AF_INET ? 4 : 6);
	struct vl_ip net;
	vl_ip_network(&rt.to, &net);
	rt.to = net;
	rt.is_default = rt.to.plen == 0;
	rt.has_via = true;
	/* normalised: what frr.conf gets */
	char a[64], b[64];
	char *s = malloc(140);
	if (!s)
		return im_errf(c->t, r->pos, "out of memory");
	snprintf(s, 140, "%s %s", vl_ip_str(&rt.to, true, a, sizeof(a)),
		 vl_ip_str(&rt.via, false, b, sizeof(b)));
	free(r->s);
	r->s = s;
	bool frr = !strcmp(n->type.s, "router") && (!n->model.s || strcmp(n->model.s, "static"));
	if (frr)
		return 0; /* staticd's, in frr.conf */
	struct vl_node *m = mnode(c, n);
	struct vl_route *slot = vl_build_grow((void **)&m->routes, &m->n_routes, sizeof(rt));
	if (!slot)
		return im_errf(c->t, r->pos, "out of memory");
	*slot = rt;
	return 0;
}

static int add_cmd(struct ctx *c, struct vl_node *m, struct vl_pos pos, const char *const *argv)
{
	struct vl_cmd *cmd = vl_build_grow((void **)&m->cmds, &m->n_cmds, sizeof(*cmd));
	size_t n = 0;
	while (argv[n])
		n++;
	if (!cmd || !(cmd->argv = calloc(n + 1, sizeof(char *))))
		return im_errf(c->t, pos, "out of memory");
	cmd->pos = pos;
	for (size_t i = 0; i < n; i++) {
		if (!(cmd->argv[i] = strdup(argv[i])))
			return im_errf(c->t, pos, "out of memory");
		cmd->argc++;
	}
	return 0;
}

static int add_file(struct ctx *c, struct vl_node *m, const char *path, char *content,
		    struct vl_pos pos)
{
	struct vl_file *f = content ? vl_build_grow((void **)&m->files, &m->n_files, sizeof(*f))
				    : NULL;
	if (!f || !(f->path = strdup(path))) {
		free(content);
		return im_errf(c->t, pos, "out of memory");
	}
	f->content = content;
	f->len = strlen(content);
	f->pos = pos;
	return 0;
}

/* An IMUNES custom configuration "used as given": FRR's text is the
 * router's frr.conf; anything else is the script its custom command
 * runs once the node is up. */
static bool looks_frr(const char *s)
{
	static const char *const first[] = {"hostname", "interface", "router", "frr ", "!",
					    "ip ", "ipv6 ", "log ", "service ", "password"};
	s += strspn(s, " \t\r\n");
	for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++)
		if (!strncmp(s, first[i], strlen(first[i])))
			return true;
	return false;
}

static int custom(struct ctx *c, struct im_node *n, struct vl_node *m, bool frr, bool *done)
{
	*done = false;
	if (!n->custom_enabled || !n->custom_cfg.s)
		return 0;
	const char *cmd = n->custom_cmd.s ? n->custom_cmd.s : "/bin/sh";
	if (frr && (strstr(cmd, "vtysh") || looks_frr(n->custom_cfg.s))) {
		*done = true;
		return add_file(c, m, "/etc/frr/frr.conf", strdup(n->custom_cfg.s), n->custom_cfg.pos);
	}
	char prog[256];
	if (sscanf(cmd, "%255s", prog) != 1 || prog[0] != '/')
		return im_errf(c->t, n->custom_cmd.pos, "custom command '%.60s' is not an absolute "
			       "program path", cmd);
	if (!c->custom_warned) {
		c->custom_warned = true;
		im_warnf(c->t, n->custom_cfg.pos, "custom configurations run as scripts "
			 "(/etc/imunes/custom.conf, by their custom command) after vnetlab's own "
			 "configuration, not instead of it");
	}
	*done = frr;
	const char *argv[] = {prog, "/etc/imunes/custom.conf", NULL};
	if (add_file(c, m, "/etc/imunes/custom.conf", strdup(n->custom_cfg.s), n->custom_cfg.pos) < 0)
		return -1;
	return add_cmd(c, m, n->custom_cfg.pos, argv);
}

static int vnet_node(struct ctx *c, struct im_node *n, bool router)
{
	struct vl_node *m = mnode(c, n);
	int rc = 0;
	if (n->name.s)
		rc |= vl_build_hostname(&c->b, m, n->name.s, n->name.s ? n->name.pos : n->pos);
	m->forwarding = router;
	for (size_t i = 0; i < n->n_ifs; i++) {
		struct im_iface *f = &n->ifs[i];
		if (f->lo) {
			for (size_t a = 0; a < f->n_addrs; a++) {
				struct vl_ip ip;
				const char *s = f->addrs[a].s;
				if (vl_ip_parse(s, true, &ip) < 0) {
					rc = im_errf(c->t, f->addrs[a].pos, "'%.60s' is not an "
						     "address/length", s);
					continue;
				}
				if (!strcmp(s, "127.0.0.1/8") || !strcmp(s, "::1/128"))
					continue; /* lo has them */
				/* Older IMUNES gave lo0 127.0.0.1/24: the address lo has,
				 * with another length that changes nothing reachable. */
				if (ip.family == AF_INET && !strncmp(s, "127.0.0.1/", 10)) {
					if (!c->lo24_warned) {
						c->lo24_warned = true;
						im_warnf(c->t, f->addrs[a].pos, "lo0's %.20s is lo's "
							 "127.0.0.1/8 (all of 127/8 is local here)", s);
					}
					continue;
				}
				rc |= vl_build_lo_addr(&c->b, m, &ip, f->addrs[a].pos);
			}
			continue;
		}
		struct vl_iface *vf = vl_build_iface(&c->b, m, f->name, f->pos);
		if (!vf) {
			rc = -1;
			continue;
		}
		if (!(f->hook = strdup(f->name)))
			return im_errf(c->t, f->pos, "out of memory");
		if (f->mac.s)
			rc |= vl_build_mac(&c->b, vf, f->mac.s, f->mac.pos);
		if (f->mtu.s) {
			char *end;
			unsigned long mtu = strtoul(f->mtu.s, &end, 10);
			if (*end || end == f->mtu.s || (mtu && (mtu < 68 || mtu > 65535)))
				rc = im_errf(c->t, f->mtu.pos, "interface %s: mtu '%.20s' is not "
					     "0 or 68..65535", f->name, f->mtu.s);
			else
				vf->mtu = (unsigned)mtu;
		}
		for (size_t a = 0; a < f->n_addrs; a++) {
			struct vl_ip ip;
			if (vl_ip_parse(f->addrs[a].s, true, &ip) < 0)
				rc = im_errf(c->t, f->addrs[a].pos, "'%.60s' is not an address/length",
					     f->addrs[a].s);
			else
				rc |= vl_build_addr(&c->b, vf, &ip, f->addrs[a].pos);
		}
		if (f->down && !router)
			im_warnf(c->t, f->pos, "interface %s is shut down in IMUNES; here it is up",
				 f->name);
	}
	for (size_t i = 0; i < n->n_routes4; i++)
		rc |= add_route(c, n, &n->routes4[i], AF_INET);
	for (size_t i = 0; i < n->n_routes6; i++)
		rc |= add_route(c, n, &n->routes6[i], AF_INET6);
	m = mnode(c, n);
	bool frr = router && (!n->model.s || strcmp(n->model.s, "static"));
	bool done = false;
	rc |= custom(c, n, m, frr, &done);
	m = mnode(c, n);
	if (!frr) {
		if (router && n->protos)
			im_warnf(c->t, n->pos, "static router '%s' runs no routing protocol", n->id);
		return rc;
	}
	struct vl_service *svc = vl_build_grow((void **)&m->services, &m->n_services, sizeof(*svc));
	if (!svc)
		return im_errf(c->t, n->pos, "out of memory");
	snprintf(svc->name, sizeof(svc->name), "frr");
	svc->kind = VL_SVC_FRR;
	svc->pos = n->pos;
	n->want_conf = !done;
	return rc;
}

static struct im_node *find_node(struct im_topo *t, const char *id)
{
	for (size_t i = 0; id && i < t->n_nodes; i++)
		if (!strcmp(t->nodes[i].id, id))
			return &t->nodes[i];
	return NULL;
}

/* ---- links ------------------------------------------------------------ */

/* IMUNES's values: bandwidth bit/s, delay and jitter µs, ber as 1/BER,
 * loss and duplicate in percent; "{A B}" (or two words) is per direction,
 * A from peers[0] to peers[1]; a jitter list (IMUNES's distribution
 * table) becomes uniform jitter of its largest value. */
static int param(struct ctx *c, struct im_link *l, int p, struct vl_impair dir[2])
{
	struct im_str *v = &l->p[p];
	if (!v->s)
		return 0;
	char w[2][64];
	double x[2] = {0, 0};
	int nw = 0;
	const char *s = v->s;
	bool jitter = p == IM_L_JUP || p == IM_L_JDOWN;
	double mx = 0;
	for (;;) {
		s += strspn(s, " \t\r\n{}");
		if (!*s)
			break;
		size_t n = strcspn(s, " \t\r\n{}");
		char one[64];
		snprintf(one, sizeof(one), "%.*s", (int)(n < 63 ? n : 63), s);
		double d;
		if (vl_decimal(one, &d, NULL) < 0)
			return im_errf(c->t, v->pos, "link %s: '%.40s' is not a number", l->id, one);
		if (jitter)
			mx = d > mx ? d : mx;
		else if (nw < 2)
			snprintf(w[nw], sizeof(w[nw]), "%s", one), x[nw] = d;
		nw++;
		s += n;
	}
	if (jitter) {
		if (nw > 1)
			im_ignore(c->t, "jitter distributions (uniform jitter of the largest value)",
				  v->pos);
		x[0] = mx;
		nw = 1;
	} else if (nw > 2) {
		return im_errf(c->t, v->pos, "link %s: more than two values (one per direction)",
			       l->id);
	}
	if (nw == 1)
		x[1] = x[0];
	for (int d = 0; d < 2; d++) {
		if (jitter && d != (p == IM_L_JDOWN ? 0 : 1))
			continue;
		double val = x[d];
		if (val == 0)
			continue; /* IMUNES: 0 is "not set" */
		enum vl_param vp;
		double out;
		switch (p) {
		case IM_L_BW:
			vp = VL_P_BANDWIDTH, out = val;
			break;
		case IM_L_DELAY:
			vp = VL_P_DELAY, out = val * 1e3;
			break;
		case IM_L_JUP:
		case IM_L_JDOWN:
			vp = VL_P_JITTER, out = val * 1e3;
			break;
		case IM_L_BER:
			vp = VL_P_BER, out = 1e18 / val;
			break;
		case IM_L_LOSS:
			vp = VL_P_LOSS, out = val * 1e7;
			break;
		default:
			vp = VL_P_DUPLICATE, out = val * 1e7;
			break;
		}
		if ((vp == VL_P_LOSS || vp == VL_P_DUPLICATE) && val > 100)
			return im_errf(c->t, v->pos, "link %s: %g%% is more than 100%%", l->id, val);
		if ((vp == VL_P_DELAY || vp == VL_P_JITTER) && out > VL_DELAY_MAX_NS)
			return im_errf(c->t, v->pos, "link %s: %g µs is more than a minute", l->id, val);
		if (vp == VL_P_BANDWIDTH && out > 1e15)
			return im_errf(c->t, v->pos, "link %s: bandwidth %g bit/s is too large", l->id,
				       val);
		if (vp == VL_P_BER && val < 1)
			return im_errf(c->t, v->pos, "link %s: ber is 1/BER, at least 1", l->id);
		if (out < 1)
			out = 1;
		vl_impair_set(&dir[d], vp, (uint64_t)out);
	}
	return 0;
}

/* Which interface of node n the link's end j is. */
static struct im_iface *end_iface(struct ctx *c, struct im_link *l, int j, struct im_node *n,
				  const char *other)
{
	for (size_t i = 0; i < n->n_ifs; i++) {
		struct im_iface *f = &n->ifs[i];
		if (f->claimed || f->lo)
			continue;
		bool hit = c->t->json ? (l->ifs[j].s ? !strcmp(f->id, l->ifs[j].s) ||
							   !strcmp(f->name, l->ifs[j].s)
						     : f->peer && !strcmp(f->peer, l->id))
				      : f->peer && !strcmp(f->peer, other);
		if (hit)
			return f;
	}
	im_errf(c->t, l->ifs[j].s ? l->ifs[j].pos : l->peers[j].pos, "link %s: node '%s' has no "
		"free interface %s%s", l->id, n->id, c->t->json ? "for it " : "peering with ",
		c->t->json ? (l->ifs[j].s ? l->ifs[j].s : "") : other);
	return NULL;
}

static int one_link(struct ctx *c, struct im_link *l)
{
	struct im_node *n[2];
	struct im_link *src[2] = {l, l};
	int sj[2] = {0, 1};
	for (int j = 0; j < 2; j++)
		if (!(n[j] = find_node(c->t, l->peers[j].s)))
			return im_errf(c->t, l->peers[j].pos, "link %s: no node '%.40s'", l->id,
				       l->peers[j].s ? l->peers[j].s : "?");
	/* A link cut in two across canvases: l to a pseudo node, its mirror
	 * from another; the real ends are the non-pseudo ones. */
	for (int j = 0; j < 2; j++) {
		if (strcmp(n[j]->type.s, "pseudo"))
			continue;
		struct im_link *m = NULL;
		for (size_t i = 0; l->mirror.s && i < c->t->n_links; i++)
			if (!strcmp(c->t->links[i].id, l->mirror.s))
				m = &c->t->links[i];
		if (!m || m->used)
			return im_errf(c->t, l->pos, "link %s ends at pseudo node '%s' without its "
				       "mirror link", l->id, n[j]->id);
		m->used = true;
		int k = -1;
		for (int q = 0; q < 2; q++) {
			struct im_node *x = find_node(c->t, m->peers[q].s);
			if (x && strcmp(x->type.s, "pseudo"))
				k = q, n[j] = x;
		}
		if (k < 0)
			return im_errf(c->t, m->pos, "mirror link %s joins no real node", m->id);
		src[j] = m, sj[j] = k;
	}
	struct im_iface *f[2] = {NULL, NULL};
	for (int j = 0; j < 2; j++) {
		struct im_link *s = src[j];
		const char *other = s->peers[1 - sj[j]].s;
		if (n[j]->built < 0)
			return -1; /* refused already */
		f[j] = end_iface(c, s, sj[j], n[j], other);
		if (f[j])
			f[j]->claimed = true;
	}
	if (!f[0] || !f[1])
		return -1;
	f[0]->p2p = f[1]->p2p = !strcmp(n[0]->type.s, "router") && !strcmp(n[1]->type.s, "router");
	struct vl_link vl = {.pos = l->pos};
	for (int p = 0; p < IM_L__N; p++)
		if (param(c, l, p, vl.dir) < 0)
			return -1;
	for (int d = 0; d < 2; d++) {
		struct vl_impair *im = &vl.dir[d];
		if (vl_impair_has(im, VL_P_JITTER) &&
		    (!vl_impair_has(im, VL_P_DELAY) || im->v[VL_P_JITTER] > im->v[VL_P_DELAY])) {
			im_warnf(c->t, l->p[d ? IM_L_JUP : IM_L_JDOWN].pos, "link %s: jitter larger "
				 "than the delay is cut to the delay (vnetlab never reorders)", l->id);
			if (vl_impair_has(im, VL_P_DELAY))
				im->v[VL_P_JITTER] = im->v[VL_P_DELAY];
			else
				im->set &= ~(1u << VL_P_JITTER);
		}
	}
	char ends_buf[2][VL_NAME_MAX * 2 + 8];
	const char *ends[2];
	struct vl_pos end_pos[2];
	for (int j = 0; j < 2; j++) {
		struct vl_node *m = mnode(c, n[j]);
		if (m->kind == VL_KIND_BRIDGE || m->kind == VL_KIND_HUB) {
			char hook[VL_NAME_MAX + 1];
			if (m->kind == VL_KIND_HUB && !vl_check_ifname(f[j]->name))
				snprintf(hook, sizeof(hook), "%s", f[j]->name);
			else
				snprintf(hook, sizeof(hook), "link%zu", m->n_ifaces);
			free(f[j]->hook);
			f[j]->hook = strdup(hook);
		}
		snprintf(ends_buf[j], sizeof(ends_buf[j]), "%s:%s", n[j]->mname,
			 f[j]->hook ? f[j]->hook : "?");
		ends[j] = ends_buf[j];
		end_pos[j] = src[j]->peers[sj[j]].pos;
	}
	return vl_build_link(&c->b, &vl, l->pos, ends, end_pos);
}

/* ---- the whole file ----------------------------------------------- */

static void lab_name(struct ctx *c, const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strcspn(base, ".");
	char name[VL_LABNAME_MAX + 1];
	if (n > VL_LABNAME_MAX)
		n = VL_LABNAME_MAX;
	memcpy(name, base, n);
	name[n] = '\0';
	bool changed = false;
	for (char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			*p = '-', changed = true;
	if (changed)
		im_warnf(c->t, (struct vl_pos){1, 1}, "lab name '%s' made from the file name "
			 "(give another with --name)", name);
	vl_build_lab(&c->b, name[0] ? name : "imunes", (struct vl_pos){1, 1});
}

static int build(struct ctx *c, const char *file, struct vl_topo **out)
{
	struct im_topo *t = c->t;
	if (vl_build_begin(&c->b, file, NULL, t->err) < 0)
		return -ENOMEM;
	lab_name(c, file);
	enum im_kind *kinds = calloc(t->n_nodes + 1, sizeof(*kinds));
	if (!kinds) {
		vl_build_finish(&c->b, out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		if ((kinds[i] = kind_of(c, &t->nodes[i])) != K_SKIP && kinds[i] != K_PSEUDO)
			pick_name(c, &t->nodes[i]);
	names_unique(c, kinds);
	for (size_t i = 0; i < t->n_nodes; i++) {
		struct im_node *n = &t->nodes[i];
		if (kinds[i] == K_SKIP || kinds[i] == K_PSEUDO || !n->mname[0])
			continue;
		bool stp = kinds[i] == K_STP_BRIDGE;
		enum vl_kind k = kinds[i] == K_BRIDGE || stp ? VL_KIND_BRIDGE
				 : kinds[i] == K_HUB	    ? VL_KIND_HUB
							    : VL_KIND_VNET;
		n->built = vl_build_node(&c->b, n->mname, k, n->pos);
		if (n->built < 0)
			continue;
		c->b.t->nodes[n->built].stp = stp;
		c->b.t->nodes[n->built].stp_pos = n->type.pos;
		if (k == VL_KIND_VNET)
			vnet_node(c, n, kinds[i] == K_ROUTER);
		else if (n->n_routes4 || n->n_routes6 || n->protos)
			im_warnf(c->t, n->pos, "routes of switch '%s' ignored", n->id);
		for (size_t j = 0; k != VL_KIND_VNET && j < n->n_ifs; j++) {
			const struct im_iface *f = &n->ifs[j];
			if (f->lo)
				continue;
			if (f->mac.s || f->mtu.s || f->n_addrs)
				im_ignore(t, "switch ports' MACs, MTUs and addresses",
					  f->mac.s ? f->mac.pos : f->mtu.s ? f->mtu.pos : f->addrs[0].pos);
		}
	}
	/* what the switches' ports say was counted after the readers' */
	for (size_t i = 0; i < t->n_ign; i++)
		if (!strcmp(t->ign[i].what, "switch ports' MACs, MTUs and addresses"))
			im_warnf(t, t->ign[i].pos, "%s ignored (%u in the file)", t->ign[i].what,
				 t->ign[i].count);
	vl_build_nodes_done(&c->b);
	for (size_t i = 0; i < t->n_links; i++) {
		struct im_link *l = &t->links[i];
		if (!l->used) {
			l->used = true;
			one_link(c, l);
		}
	}
	/* frr.conf once the links say which interfaces face a router */
	for (size_t i = 0; i < t->n_nodes && !c->b.errors && !t->errors; i++) {
		struct im_node *n = &t->nodes[i];
		if (n->want_conf && n->built >= 0)
			add_file(c, mnode(c, n), "/etc/frr/frr.conf",
				 im_frr_conf(n, n->name.s ? n->name.s : n->mname), n->pos);
		int on = n->auto_default >= 0 ? n->auto_default : t->auto_default > 0;
		if (kinds[i] == K_HOST && on && n->built >= 0)
			im_auto_routes(t, c->b.t, n);
	}
	free(kinds);
	if (t->errors)
		c->b.errors += t->errors;
	return vl_build_finish(&c->b, out);
}

static int import(const char *file, const char *buf, size_t len, bool json,
		  struct vl_topo **out, struct vl_err *warn, struct vl_err *err)
{
	*out = NULL;
	struct im_topo t = {.file = file, .json = json, .auto_default = -1, .warn = warn,
			    .err = err};
	if (len > IM_MAX_BYTES)
		return vl_errf(err, "%s: error: larger than %u MiB: not an IMUNES topology", file,
			       IM_MAX_BYTES >> 20), -EFBIG;
	int rc = json ? im_read_json(&t, buf, len) : im_read_tcl(&t, buf, len);
	for (size_t i = 0; rc == 0 && i < t.n_nodes; i++)
		if (!t.nodes[i].type.s)
			im_errf(&t, t.nodes[i].pos, "node '%s' has no type", t.nodes[i].id);
	if (rc == 0)
		rc = im_check_ids(&t);
	if (rc == 0 && t.n_nodes == 0)
		rc = im_errf(&t, (struct vl_pos){1, 1}, "the file has no nodes");
	if (rc < 0) {
		im_topo_free(&t);
		return -EINVAL;
	}
	struct ctx c = {.t = &t};
	for (size_t i = 0; i < t.n_ign; i++) {
		const struct im_ignored *g = &t.ign[i];
		im_warnf(&t, g->pos, "%s ignored (%u in the file)", g->what, g->count);
	}
	if (t.n_kept)
		im_warnf(&t, t.kept_pos, "lines of network-config's router sections beyond "
			 "IMUNES's own kept in frr.conf after them ('%s', %u in the file)",
			 t.kept_first, t.n_kept);
	rc = build(&c, file, out);
	im_topo_free(&t);
	return rc;
}

int vl_import_imunes_json(const char *file, const char *buf, size_t len,
			  struct vl_topo **out, struct vl_err *warn, struct vl_err *err)
{
	return import(file, buf, len, true, out, warn, err);
}

int vl_import_imunes_tcl(const char *file, const char *buf, size_t len,
			 struct vl_topo **out, struct vl_err *warn, struct vl_err *err)
{
	return import(file, buf, len, false, out, warn, err);
}
