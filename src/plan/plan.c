/* SPDX-License-Identifier: BSD-2-Clause */
/* plan.c — model → ordered operations, names and ifindexes.
 *
 * Interface indexes are chosen here, not by the kernel: every namespace the
 * lab makes is new (only lo, index 1, exists), so asking the kernel for
 * index N in RTM_NEWLINK always succeeds, and later messages can name
 * interfaces by index without a lookup round trip per interface.
 */
#include "vnetlab/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *const op_names[VL_OP__COUNT] = {
	[VL_OP_CORE_CREATE] = "core",     [VL_OP_NODE_CREATE] = "node",
	[VL_OP_SWITCH_CREATE] = "switch", [VL_OP_LINK_CREATE] = "link",
	[VL_OP_IFACE_UP] = "up",          [VL_OP_ADDR_ADD] = "addr",
	[VL_OP_ROUTE_ADD] = "route",      [VL_OP_CMD_RUN] = "exec",
	[VL_OP_QDISC_SET] = "qdisc",      [VL_OP_PIPE_START] = "pipe",
	[VL_OP_TEE_START] = "tee",
};

const char *vl_op_name(enum vl_op_type t)
{
	return op_names[t];
}

static int push(struct vl_plan *p, size_t *cap, struct vl_op op)
{
	if (p->n_ops == *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		void *q = realloc(p->ops, n * sizeof(*p->ops));
		if (!q)
			return -ENOMEM;
		p->ops = q;
		*cap = n;
	}
	p->ops[p->n_ops++] = op;
	return 0;
}

/* Switch ports live together in the core namespace, so their names must be
 * unique there: "<switch>.<hook>" reads well; when that passes 15 bytes we
 * fall back to "~<gid>", which no valid node or hook name can equal (names
 * start with a letter or digit). */
/* FNV-1a of the lab's name: two bytes of every MAC it makes. */
static uint16_t lab_hash(const char *name)
{
	uint32_t h = 2166136261u;
	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return (uint16_t)(h ^ h >> 16);
}

/* A part of a lab over several hosts has the lab's name on every host,
 * and its hooks are numbered from 0 on each: the first tunnel end's local
 * underlay address, this host's own, tells the parts' MACs apart (two
 * nodes that meet through a tunnel would otherwise get one MAC). */
static uint16_t mac_hash(const struct vl_topo *t)
{
	char key[VL_LABNAME_MAX + 64];
	size_t n = (size_t)snprintf(key, sizeof(key), "%s", t->name);
	for (size_t l = 0; l < t->n_links; l++)
		if (t->links[l].has_tunnel) {
			key[n] = '@';
			vl_ip_str(&t->links[l].tunnel.local, false, key + n + 1,
				  sizeof(key) - n - 1);
			break;
		}
	return lab_hash(key);
}

void vl_plan_hook_mac(const struct vl_topo *t, size_t serial, uint8_t mac[6])
{
	uint16_t h = mac_hash(t);
	uint8_t gen[6] = {0x02, (uint8_t)(h >> 8), (uint8_t)h, (uint8_t)(serial >> 16),
			  (uint8_t)(serial >> 8), (uint8_t)serial};
	memcpy(mac, gen, 6);
}

static void assign_macs(const struct vl_topo *t, struct vl_plan *p)
{
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_ifaces; j++) {
			const struct vl_iface *f = &t->nodes[i].ifaces[j];
			uint8_t *m = p->hooks[f->gid].mac;
			if (f->has_mac)
				memcpy(m, f->mac, 6);
			else
				vl_plan_hook_mac(t, f->gid, m);
		}
}

void vl_plan_port_name(const char *sw, const char *hook, size_t serial, char out[16])
{
	size_t nl = strlen(sw), fl = strlen(hook);
	if (nl + 1 + fl <= VL_NAME_MAX) {
		memcpy(out, sw, nl);
		out[nl] = '.';
		memcpy(out + nl + 1, hook, fl + 1);
	} else
		snprintf(out, 16, "~%u", (unsigned)(serial % 100000000u));
}

void vl_plan_pipe_port_name(size_t no, int e, char out[16])
{
	snprintf(out, 16, "~p%u%c", (unsigned)(no % 100000000u), e ? 'b' : 'a');
}

static void name_ports(const struct vl_topo *t, struct vl_plan *p)
{
	int next_core_index = 2; /* lo is 1 */
	for (size_t i = 0; i < t->n_nodes; i++) {
		if (vl_kind_has(t->nodes[i].kind, VL_KF_BRIDGE))
			p->switch_ifindex[i] = next_core_index++;
	}
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct vl_node *n = &t->nodes[i];
		bool sw = vl_kind_has(n->kind, VL_KF_SWITCH);
		for (size_t j = 0; j < n->n_ifaces; j++) {
			const struct vl_iface *f = &n->ifaces[j];
			struct vl_hook_place *h = &p->hooks[f->gid];
			h->in_core = sw;
			if (!sw) {
				snprintf(h->ifname, sizeof(h->ifname), "%s", f->name);
				h->ifindex = (int)j + 2;
				continue;
			}
			h->ifindex = next_core_index++;
			vl_plan_port_name(n->name, f->name, f->gid, h->ifname);
		}
	}
	/* A pipe's two ports: "~p<link>a" faces ep[0], "~p<link>b" ep[1]. */
	for (size_t l = 0; l < t->n_links; l++) {
		struct vl_link_place *lp = &p->links[l];
		if (!lp->piped)
			continue;
		for (int e = 0; e < 2; e++) {
			vl_plan_pipe_port_name(l, e, lp->port[e]);
			lp->port_ifindex[e] = next_core_index++;
		}
	}
	p->next_core_index = next_core_index;
	p->next_serial = t->n_hooks;
	p->next_pipe_no = t->n_links;
}

/* ---- impairments: kernel where it can, the userspace pipe for the rest ---- */

#define P(x) (1u << VL_P_##x)

/* The parameters of set the kernel can carry with the qdiscs it has. */
static unsigned kernel_can(unsigned set, unsigned qdiscs)
{
	unsigned can = 0;
	if (qdiscs & VL_QDISC_TBF)
		can |= P(BANDWIDTH);
	if (qdiscs & VL_QDISC_NETEM)
		can |= P(DELAY) | P(JITTER) | P(LOSS) | P(DUPLICATE);
	/* A queue limit belongs to whichever qdisc queues: tbf when there is
	 * a bandwidth, else netem.  BER is ng_pipe's, dropping a frame with
	 * a bit error; netem's corrupt flips a bit instead: pipe only. */
	if ((set & P(BANDWIDTH)) ? (can & P(BANDWIDTH)) : (can & P(DELAY)))
		can |= P(QUEUE);
	return set & can;
}

/* The kernel's share and the pipe's share of one direction's parameters. */
static void split(enum vl_impl impl, unsigned set, const struct vl_plan_opts *o,
		  unsigned *kernel, unsigned *pipe)
{
	bool all_pipe = impl == VL_IMPL_USERSPACE || o->kernel_pipe;
	*kernel = all_pipe ? 0 : kernel_can(set, o->qdiscs);
	*pipe = set & ~*kernel;
}

static int place_impairments(const struct vl_topo *t, struct vl_plan *p,
			     struct vl_err *err)
{
	int rc = 0;
	for (size_t l = 0; l < t->n_links; l++) {
		const struct vl_link *lk = &t->links[l];
		struct vl_link_place *lp = &p->links[l];
		for (int d = 0; d < 2; d++) {
			split(lk->impl, lk->dir[d].set, &p->opts, &lp->kernel_set[d],
			      &lp->pipe_set[d]);
			if (lk->impl == VL_IMPL_KERNEL && lp->pipe_set[d] &&
			    !p->opts.kernel_pipe) {
				char what[96];
				vl_param_names(lp->pipe_set[d], what, sizeof(what));
				vl_errf(err, "%s:%d:%d: error: impl: kernel, but this "
					"kernel has no qdisc for: %s (see `vnetlab "
					"doctor`; impl: auto uses the userspace pipe)",
					t->file, lk->pos.line, lk->pos.col, what);
				rc = -EOPNOTSUPP;
			}
		}
		lp->piped = lk->impl == VL_IMPL_USERSPACE || lp->pipe_set[0] ||
			    lp->pipe_set[1];
	}
	return rc;
}

int vl_link_place(const struct vl_plan *p, size_t l, const struct vl_impair dir[2],
		  struct vl_link_live *lv, struct vl_err *err)
{
	const struct vl_link *lk = &p->topo->links[l];
	bool piped = p->links[l].piped;
	struct vl_link_live next = *lv;
	if (lk->has_tunnel && dir[1].set) {
		char a[64];
		vl_link_name(p->topo, l, a, sizeof(a));
		return vl_errf(err, "link %s is a tunnel end: it carries only the "
			       "direction leaving this host; set the other on the "
			       "other host's end", a), -EINVAL;
	}
	for (int d = 0; d < 2; d++) {
		next.dir[d] = dir[d];
		split(lk->impl, dir[d].set, &p->opts, &next.kernel_set[d],
		      &next.pipe_set[d]);
		if (!next.pipe_set[d] || (piped && lk->impl != VL_IMPL_KERNEL))
			continue;
		char what[96], a[64];
		vl_param_names(next.pipe_set[d], what, sizeof(what));
		vl_link_name(p->topo, l, a, sizeof(a));
		if (lk->impl == VL_IMPL_KERNEL)
			return vl_errf(err, "link %s is `impl: kernel` and this kernel "
				       "has no qdisc for: %s", a, what), -EOPNOTSUPP;
		return vl_errf(err, "link %s was made without a userspace pipe and "
			       "this kernel has no qdisc for: %s; give it `impl: "
			       "userspace` in the topology to change every parameter "
			       "live", a, what), -EOPNOTSUPP;
	}
	*lv = next;
	return 0;
}

bool vl_kernel_needs_netem(unsigned kernel_set)
{
	return kernel_set & ~(P(BANDWIDTH) | P(QUEUE));
}

const char *vl_link_carrier(const struct vl_link_live *lv, int d, enum vl_param p)
{
	if (!vl_impair_has(&lv->dir[d], p))
		return NULL;
	if (lv->pipe_set[d] & (1u << p))
		return "pipe";
	return vl_kernel_needs_netem(lv->kernel_set[d]) ? "netem" : "tbf";
}

static int emit(const struct vl_topo *t, struct vl_plan *p)
{
	size_t cap = 0;
	int rc = push(p, &cap, (struct vl_op){VL_OP_CORE_CREATE});
	for (size_t i = 0; i < t->n_nodes && !rc; i++)
		if (vl_kind_has(t->nodes[i].kind, VL_KF_STACK))
			rc = push(p, &cap, (struct vl_op){VL_OP_NODE_CREATE, i});
	for (size_t i = 0; i < t->n_nodes && !rc; i++)
		if (vl_kind_has(t->nodes[i].kind, VL_KF_BRIDGE))
			rc = push(p, &cap, (struct vl_op){VL_OP_SWITCH_CREATE, i});
	for (size_t l = 0; l < t->n_links && !rc; l++) {
		const struct vl_link_place *lp = &p->links[l];
		rc = push(p, &cap, (struct vl_op){VL_OP_LINK_CREATE, .idx = l});
		for (int d = 0; d < 2 && !rc; d++)
			if (lp->kernel_set[d])
				rc = push(p, &cap, (struct vl_op){VL_OP_QDISC_SET,
								 .idx = l, .dir = d});
		if (!rc && lp->piped)
			rc = push(p, &cap, (struct vl_op){VL_OP_PIPE_START, .idx = l});
	}
	for (size_t i = 0; i < t->n_nodes && !rc; i++)
		if (vl_kind_has(t->nodes[i].kind, VL_KF_FORWARD))
			rc = push(p, &cap, (struct vl_op){VL_OP_TEE_START, i});
	for (size_t i = 0; i < t->n_nodes && !rc; i++) {
		const struct vl_node *n = &t->nodes[i];
		if (!vl_kind_has(n->kind, VL_KF_STACK))
			continue;
		/* Up before addresses and routes: the kernel refuses an IPv4
		 * gateway route through a device that is down (ENETDOWN). */
		for (size_t j = 0; j < n->n_ifaces && !rc; j++)
			rc = push(p, &cap, (struct vl_op){VL_OP_IFACE_UP, i, j});
		for (size_t j = 0; j < n->n_ifaces && !rc; j++)
			for (size_t a = 0; a < n->ifaces[j].n_addrs && !rc; a++)
				rc = push(p, &cap, (struct vl_op){VL_OP_ADDR_ADD, i, j, a});
		for (size_t r = 0; r < n->n_routes && !rc; r++)
			rc = push(p, &cap, (struct vl_op){VL_OP_ROUTE_ADD, i, 0, r});
	}
	/* Commands last, once every node is reachable. */
	for (size_t i = 0; i < t->n_nodes && !rc; i++)
		for (size_t c = 0; c < t->nodes[i].n_cmds && !rc; c++)
			rc = push(p, &cap, (struct vl_op){VL_OP_CMD_RUN, i, 0, c});
	return rc;
}

int vl_plan_build(const struct vl_topo *t, const struct vl_plan_opts *o,
		  struct vl_plan *p, struct vl_err *err)
{
	memset(p, 0, sizeof(*p));
	p->topo = t;
	if (o)
		p->opts = *o;
	p->hooks = calloc(t->n_hooks ? t->n_hooks : 1, sizeof(*p->hooks));
	p->switch_ifindex = calloc(t->n_nodes ? t->n_nodes : 1, sizeof(int));
	p->links = calloc(t->n_links ? t->n_links : 1, sizeof(*p->links));
	if (!p->hooks || !p->switch_ifindex || !p->links) {
		vl_plan_free(p);
		return vl_errf(err, "planning: out of memory"), -ENOMEM;
	}
	int rc = place_impairments(t, p, err);
	if (rc == 0 && emit(t, p) < 0) {
		vl_errf(err, "planning: out of memory");
		rc = -ENOMEM;
	}
	if (rc < 0) {
		vl_plan_free(p);
		return rc;
	}
	name_ports(t, p);
	assign_macs(t, p);
	return 0;
}

void vl_plan_free(struct vl_plan *p)
{
	free(p->ops);
	free(p->hooks);
	free(p->switch_ifindex);
	free(p->links);
	memset(p, 0, sizeof(*p));
}

void vl_op_describe(const struct vl_plan *p, const struct vl_op *op, char *buf,
		    size_t len)
{
	const struct vl_topo *t = p->topo;
	const struct vl_node *n = &t->nodes[op->node];
	char a[64], b[64];
	switch (op->type) {
	case VL_OP_CORE_CREATE:
		snprintf(buf, len, "core namespace of lab %s", t->name);
		break;
	case VL_OP_NODE_CREATE: {
		int k = snprintf(buf, len, "%s node %s", vl_kind_type(n->kind)->name, n->name);
		for (size_t i = 0; i < n->n_lo_addrs && k > 0 && (size_t)k < len; i++)
			k += snprintf(buf + k, len - (size_t)k, "%s%s", i ? " " : ", lo ",
				      vl_ip_str(&n->lo_addrs[i].ip, true, a, sizeof(a)));
		break;
	}
	case VL_OP_SWITCH_CREATE:
		snprintf(buf, len, "%s %s%s", vl_kind_type(n->kind)->name, n->name,
			 n->stp ? " (spanning tree)" : "");
		break;
	case VL_OP_LINK_CREATE:
		vl_endpoint_name(t, &t->links[op->idx].ep[0], a, sizeof(a));
		if (t->links[op->idx].has_tunnel) {
			const struct vl_tunnel *tn = &t->links[op->idx].tunnel;
			char r[64];
			snprintf(buf, len, "link %s vxlan:%u -> %s (local %s, port %u, mtu %u)",
				 a, (unsigned)tn->vni, vl_ip_str(&tn->remote, false, r, sizeof(r)),
				 vl_ip_str(&tn->local, false, b, sizeof(b)),
				 (unsigned)vl_tunnel_port(tn), vl_tunnel_mtu(tn));
			break;
		}
		vl_endpoint_name(t, &t->links[op->idx].ep[1], b, sizeof(b));
		snprintf(buf, len, "link %s <-> %s%s%s%s", a, b,
			 t->links[op->idx].via[0] ? " (pipe node " : "",
			 t->links[op->idx].via, t->links[op->idx].via[0] ? ")" : "");
		break;
	case VL_OP_TEE_START:
		snprintf(buf, len, "%s %s (userspace): %s", vl_kind_type(n->kind)->name,
			 n->name, vl_kind_type(n->kind)->passes);
		break;
	case VL_OP_QDISC_SET: {
		const struct vl_link *lk = &t->links[op->idx];
		const struct vl_link_place *lp = &p->links[op->idx];
		vl_endpoint_name(t, &lk->ep[op->dir], a, sizeof(a));
		if (lk->has_tunnel)
			vl_ip_str(&lk->tunnel.remote, false, b, sizeof(b));
		else
			vl_endpoint_name(t, &lk->ep[!op->dir], b, sizeof(b));
		char what[160];
		struct vl_impair k = vl_impair_only(&lk->dir[op->dir],
						    lp->kernel_set[op->dir]);
		vl_impair_format(&k, what, sizeof(what));
		snprintf(buf, len, "%s on egress of %s (toward %s): %s",
			 vl_kernel_needs_netem(k.set) ? "netem" : "tbf", a, b,
			 what);
		break;
	}
	case VL_OP_PIPE_START: {
		const struct vl_link *lk = &t->links[op->idx];
		const struct vl_link_place *lp = &p->links[op->idx];
		char d0[160], d1[160];
		struct vl_impair u0 = vl_impair_only(&lk->dir[0], lp->pipe_set[0]);
		struct vl_impair u1 = vl_impair_only(&lk->dir[1], lp->pipe_set[1]);
		vl_impair_format(&u0, d0, sizeof(d0));
		vl_impair_format(&u1, d1, sizeof(d1));
		vl_endpoint_name(t, &lk->ep[0], a, sizeof(a));
		if (lk->has_tunnel) {
			snprintf(buf, len, "userspace pipe %s -> vxlan:%u: leaving %s",
				 a, (unsigned)lk->tunnel.vni, d0);
			break;
		}
		vl_endpoint_name(t, &lk->ep[1], b, sizeof(b));
		snprintf(buf, len, "userspace pipe %s <-> %s: downstream %s; upstream %s",
			 a, b, d0, d1);
		break;
	}
	case VL_OP_IFACE_UP:
		snprintf(buf, len, "interface %s:%s up", n->name,
			 n->ifaces[op->iface].name);
		break;
	case VL_OP_ADDR_ADD:
		snprintf(buf, len, "address %s on %s:%s",
			 vl_ip_str(&n->ifaces[op->iface].addrs[op->idx].ip, true,
				   a, sizeof(a)),
			 n->name, n->ifaces[op->iface].name);
		break;
	case VL_OP_ROUTE_ADD: {
		const struct vl_route *r = &n->routes[op->idx];
		snprintf(buf, len, "route on %s to %s%s%s%s%s", n->name,
			 r->is_default ? (r->to.family == AF_INET6 ? "default6"
								    : "default")
				       : vl_ip_str(&r->to, true, a, sizeof(a)),
			 r->has_via ? " via " : "",
			 r->has_via ? vl_ip_str(&r->via, false, b, sizeof(b)) : "",
			 r->dev[0] ? " dev " : "", r->dev);
		break;
	}
	case VL_OP_CMD_RUN: {
		const struct vl_cmd *c = &n->cmds[op->idx];
		size_t off = (size_t)snprintf(buf, len, "exec on %s:", n->name);
		for (size_t i = 0; i < c->argc && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, " %s", c->argv[i]);
		break;
	}
	default:
		snprintf(buf, len, "?");
	}
}

void vl_plan_render(const struct vl_plan *p, FILE *out)
{
	char line[512];
	for (size_t i = 0; i < p->n_ops; i++) {
		const struct vl_op *op = &p->ops[i];
		vl_op_describe(p, op, line, sizeof(line));
		fprintf(out, "%4zu  %-6s %s", i + 1, vl_op_name(op->type), line);
		if (op->type == VL_OP_LINK_CREATE) {
			const struct vl_link *l = &p->topo->links[op->idx];
			for (int e = 0; e < (l->has_tunnel ? 1 : 2); e++) {
				const struct vl_endpoint *ep = &l->ep[e];
				const struct vl_hook_place *h =
					&p->hooks[p->topo->nodes[ep->node].ifaces[ep->iface].gid];
				fprintf(out, "%s%s%s#%d", e ? " + " : "  [",
					h->in_core ? "core/" : "", h->ifname, h->ifindex);
				if (p->links[op->idx].piped)
					fprintf(out, " = core/%s#%d",
						p->links[op->idx].port[e],
						p->links[op->idx].port_ifindex[e]);
			}
			/* A tunnel end's VXLAN device: the hook itself, or the
			 * pipe's far port in the core. */
			if (l->has_tunnel && p->links[op->idx].piped)
				fprintf(out, " + vxlan core/%s#%d", p->links[op->idx].port[1],
					p->links[op->idx].port_ifindex[1]);
			else if (l->has_tunnel)
				fputs(" = vxlan", out);
			fputc(']', out);
		}
		fputc('\n', out);
	}
}

/* "netem,tbf,htb" or "none" -> VL_QDISC_* bits; -1 if not understood. */
static int parse_qdiscs(const char *s)
{
	if (strcmp(s, "none") == 0)
		return 0;
	int bits = 0;
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "netem") == 0)
			bits |= VL_QDISC_NETEM;
		else if (strcmp(tok, "tbf") == 0)
			bits |= VL_QDISC_TBF;
		else if (strcmp(tok, "htb") == 0)
			bits |= VL_QDISC_HTB;
		else
			return -1;
	}
	return bits;
}

int vl_plan_opts_qdiscs(const char *list, struct vl_plan_opts *o, struct vl_err *err)
{
	int bits = parse_qdiscs(list);
	if (bits < 0)
		return vl_errf(err, "--qdiscs '%s': write a list of netem, tbf, "
			       "htb, or none", list), -EINVAL;
	o->qdiscs = (unsigned)bits;
	o->qdiscs_known = true;
	return 0;
}

int vl_plan_print(const struct vl_topo *t, const struct vl_plan_opts *o,
		  const char *backend, FILE *out, struct vl_err *err)
{
	struct vl_plan p;
	int rc = vl_plan_build(t, o, &p, err);
	if (rc < 0)
		return rc;
	fprintf(out, "# lab %s: %zu operations, backend %s\n", t->name, p.n_ops, backend);
	vl_plan_render(&p, out);
	vl_plan_free(&p);
	return 0;
}
