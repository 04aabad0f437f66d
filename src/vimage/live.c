/* SPDX-License-Identifier: BSD-2-Clause */
/* live.c — an ifconfig change made to the running interface too
 * (vimage.h), so that shells and daemons inside a jail keep running
 * where a rebuild would restart them; and a listing's MACs read from the
 * kernel.  Linux only: it enters the jail's namespace (node.h) and
 * speaks rtnetlink (ifctl.h). */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/ctl.h"
#include "vnetlab/ifctl.h"
#include "vnetlab/node.h"

/* Addresses of an interface's model as IPs. */
static size_t ips(struct json_object *iface, struct vl_ip *out, size_t max)
{
	struct json_object *a = json_object_object_get(iface, "addrs");
	size_t n = 0;
	for (size_t i = 0; i < json_object_array_length(a) && n < max; i++)
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(a, i)), true,
				&out[n]) == 0)
			n++;
	return n;
}

static bool has_ip(const struct vl_ip *set, size_t n, const struct vl_ip *ip)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].family == ip->family && set[i].plen == ip->plen &&
		    !memcmp(set[i].a, ip->a, 16))
			return true;
	return false;
}

/* The lab's keeper learns the interface as it now is (for inspect, check,
 * capture): "iface NODE OLD NEW MAC MTU ADDRS". */
static int tell_keeper(const struct vl_lab_paths *p, const char *where,
		       struct json_object *before, struct json_object *after,
		       struct vl_err *err)
{
	char req[VL_CTL_MAX], reply[VL_CTL_MAX];
	int off = snprintf(req, sizeof(req), "iface %s %s %s %s %d ", where, s_of(before, "ifname"),
			   s_of(after, "ifname"), *s_of(after, "mac") ? s_of(after, "mac") : "-",
			   i_of(after, "mtu"));
	struct json_object *a = json_object_object_get(after, "addrs");
	size_t n = json_object_array_length(a);
	for (size_t i = 0; i < n && off < (int)sizeof(req) - 64; i++)
		off += snprintf(req + off, sizeof(req) - (size_t)off, "%s%s", i ? "," : "",
				json_object_get_string(json_object_array_get_idx(a, i)));
	if (!n)
		snprintf(req + off, sizeof(req) - (size_t)off, "-");
	return vl_ctl_request(p, req, reply, sizeof(reply), NULL, 0, err);
}

/* One change of a running interface: the request, and the addresses and
 * MAC it points at (so the request is used where it was made). */
struct change {
	struct vl_ifctl c;
	struct vl_ip add[16], del[16];
	uint8_t mac[6];
};

/* The addresses to add and remove to go from `from` to `to`. */
static void addr_steps(struct json_object *from, struct json_object *to, struct change *ch)
{
	struct vl_ip old[16], now[16];
	size_t no = ips(from, old, 16), nn = ips(to, now, 16);
	for (size_t i = 0; i < nn; i++)
		if (!has_ip(old, no, &now[i]))
			ch->add[ch->c.n_add++] = now[i];
	for (size_t i = 0; i < no; i++)
		if (!has_ip(now, nn, &old[i]))
			ch->del[ch->c.n_del++] = old[i];
	ch->c.add = ch->add;
	ch->c.del = ch->del;
}

/* What turns the interface now called live, in this namespace, from what
 * `from` says into what `to` says. */
static void plan_change(const char *live, struct json_object *from, struct json_object *to,
			struct change *ch)
{
	*ch = (struct change){.c = {.name = live}};
	addr_steps(from, to, ch);
	bool mac_new = strcmp(s_of(from, "mac"), s_of(to, "mac")) &&
		       vl_mac_parse(s_of(to, "mac"), ch->mac) == 0;
	int mtu = i_of(to, "mtu"), mtu_b = i_of(from, "mtu");
	bool up_b = json_object_get_boolean(json_object_object_get(from, "up"));
	bool up_a = json_object_get_boolean(json_object_object_get(to, "up"));
	const char *new_name = strcmp(s_of(from, "ifname"), s_of(to, "ifname"))
				       ? s_of(to, "ifname") : NULL;
	ch->c.new_name = new_name && strcmp(new_name, live) ? new_name : NULL;
	ch->c.mac = mac_new ? ch->mac : NULL;
	/* 0 in the model: what the lab made, a veth's 1500. */
	ch->c.mtu = mtu != mtu_b ? (mtu ? (unsigned)mtu : 1500) : 0;
	ch->c.up = up_a != up_b || new_name || mac_new ? up_a : -1;
	/* A link taken down to be renamed comes back as it was. */
	if (ch->c.up < 0 && (ch->c.new_name || ch->c.mac || ch->c.mtu))
		ch->c.up = up_a || up_b;
}

/* Undoing, after a failed change: the link's steps, then the address
 * steps one by one, and one that finds the address already as wanted
 * (never added, never removed) is fine. */
static int undo_steps(const struct change *ch, struct vl_err *err)
{
	struct vl_ifctl link = ch->c;
	struct vl_ifctl one = {.name = ch->c.new_name ? ch->c.new_name : ch->c.name, .up = -1};
	size_t na = ch->c.n_add, nd = ch->c.n_del;
	link.n_add = link.n_del = 0;
	int rc = vl_ifctl_apply(&link, err);
	for (size_t i = 0; i < na + nd; i++) {
		struct vl_err e;
		vl_err_init(&e);
		one.add = i < na ? &ch->add[i] : NULL, one.n_add = i < na;
		one.del = i < na ? NULL : &ch->del[i - na], one.n_del = i >= na;
		int r = vl_ifctl_apply(&one, &e);
		if (r < 0 && r != -EEXIST && r != -EADDRNOTAVAIL && r != -ENOENT && r != -ESRCH &&
		    rc == 0) {
			vl_errf(err, "%s", e.msg);
			rc = r;
		}
	}
	return rc;
}

/* The interface now called live changed from `from` to `to` (undo: after
 * a failed change, so some steps may have nothing to do). */
static int change_live(const char *live, struct json_object *from, struct json_object *to,
		       bool undo, struct vl_err *err)
{
	struct change ch;
	plan_change(live, from, to, &ch);
	return undo ? undo_steps(&ch, err) : vl_ifctl_apply(&ch.c, err);
}

/* The running interface made like its model, in the namespace of `where`;
 * on failure, put back as it was. */
int vl_vimage_live(const struct vl_vimage_store *s, const char *where,
		   struct json_object *before, struct json_object *after, struct vl_err *err)
{
	struct vl_lab_paths p;
	struct vl_node_entry e;
	int rc = vl_vimage_lab(s, &p, err);
	if (rc == 0 && !vl_lab_alive(&p))
		return 0; /* nothing runs yet: the next build takes the model */
	if (rc == 0)
		rc = vl_node_enter(&p, where, VL_ENTER_NET, &e, err);
	if (rc < 0)
		return rc;
	rc = change_live(s_of(before, "ifname"), before, after, false, err);
	if (rc == 0)
		return tell_keeper(&p, where, before, after, err);
	/* The kernel refused a step: the steps before it may have been
	 * taken.  Back to what the model (unchanged) says, as far as the
	 * model knows it (a MAC the kernel chose is not in it). */
	const char *now = s_of(after, "ifname");
	const char *live = strcmp(now, s_of(before, "ifname")) && if_nametoindex(now)
				   ? now : s_of(before, "ifname");
	struct vl_err back;
	vl_err_init(&back);
	if (change_live(live, after, before, true, &back) < 0)
		vl_errf(err, "ifconfig: putting %s back failed too (%s): the running interface "
			"may differ from the model until `vnetlab down %s`",
			s_of(before, "ifname"), back.msg, s->lab);
	return rc;
}

/* A listing shows each interface's MAC as FreeBSD's ifconfig does: the
 * kernel's.  The model knows only MACs that were set (ifconfig IF link);
 * the others are read from the running interfaces, in the namespace of
 * `where`, into the model in memory (a listing never saves it). */
void vl_vimage_real_macs(struct vl_vimage_store *s, const char *where)
{
	struct vl_lab_paths p;
	struct vl_node_entry e;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_vimage_lab(s, &p, &err) < 0 || !vl_lab_alive(&p) ||
	    vl_node_enter(&p, where, VL_ENTER_NET, &e, &err) < 0)
		return;
	struct json_object *a = json_object_object_get(s->m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *vnet = s_of(n, "vnet"), *ifname = s_of(n, "ifname");
		if (!*ifname || *s_of(n, "mac") || strcmp(*vnet ? vnet : VL_VIMAGE_HOST, where))
			continue;
		uint8_t b[6];
		if (vl_ifctl_mac(ifname, b) < 0)
			continue;
		char mac[24];
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
			 b[3], b[4], b[5]);
		json_object_object_add(n, "mac", json_object_new_string(mac));
	}
}
