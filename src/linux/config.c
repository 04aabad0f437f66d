/* SPDX-License-Identifier: BSD-2-Clause */
/* config.c — a vnet node's interfaces configured: up without the
 * kernel's IPv6 autoconfiguration (and its DAD wait), a link-local of
 * vnetlab's own, addresses and routes, all queued on the node's route
 * socket as netlink batches (libmnl). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vnetlab/plan_diff.h"
#include "linux/be.h"

/* ---- node configuration ---------------------------------------------------- */

/* IPv6 on a vnet interface: no link-local of the kernel's (it would wait
 * ~2 s for duplicate address detection, and turning DAD off costs a
 * /proc/sys write per node, see node_sysctls), so this message first. */
static int queue_no_autoconf(struct linux_be *b, struct mnl_socket *s, int index,
			     const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = lbe_begin(b, s, RTM_NEWLINK, 0, op, err);
	if (!nlh)
		return -EIO;
	lbe_put_ifinfo(nlh, index, false);
	struct nlattr *af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	struct nlattr *in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	return 0;
}

/* ... and the link-local the kernel would have made from the MAC
 * (EUI-64), usable at once. */
void lbe_put_link_local(struct nlmsghdr *nlh, int index, const uint8_t mac[6])
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_index = (uint32_t)index;
	uint8_t a[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, (uint8_t)(mac[0] ^ 2), mac[1], mac[2],
			 0xff, 0xfe, mac[3], mac[4], mac[5]};
	mnl_attr_put(nlh, IFA_LOCAL, 16, a);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

static int queue_link_local(struct linux_be *b, struct mnl_socket *s, int index,
			    const uint8_t mac[6], const struct vl_op *op, struct vl_err *err)
{
	struct nlmsghdr *nlh = lbe_begin(b, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, op, err);
	if (!nlh)
		return -EIO;
	lbe_put_link_local(nlh, index, mac);
	return 0;
}

int lbe_iface_up(struct vl_backend *be, const struct vl_op *op, struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_iface *f = &topo_of(b)->nodes[op->node].ifaces[op->iface];
	const struct vl_hook_place *h = &b->base.plan->hooks[f->gid];
	struct mnl_socket *s = lbe_node_sock(b, op->node, op, err);
	if (!s)
		return -EIO;
	int rc = b->ipv6 ? queue_no_autoconf(b, s, h->ifindex, op, err) : 0;
	if (rc == 0)
		rc = lbe_queue_link_up(b, s, h->ifindex, 0, op, err);
	if (rc == 0 && b->ipv6)
		rc = queue_link_local(b, s, h->ifindex, h->mac, op, err);
	return rc;
}

int lbe_addr_add(struct vl_backend *be, const struct vl_op *op,
		    struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_iface *f = &topo_of(b)->nodes[op->node].ifaces[op->iface];
	const struct vl_ip *ip = &f->addrs[op->idx].ip;
	struct mnl_socket *s = lbe_node_sock(b, op->node, op, err);
	struct nlmsghdr *nlh = s ? lbe_begin(b, s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, op, err)
				 : NULL;
	if (!nlh)
		return -EIO;
	lbe_put_addr(nlh, b->base.plan->hooks[f->gid].ifindex, ip);
	return 0;
}

void lbe_put_addr(struct nlmsghdr *nlh, int ifindex, const struct vl_ip *ip)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)ip->family;
	ifa->ifa_prefixlen = (uint8_t)ip->plen;
	ifa->ifa_index = (uint32_t)ifindex;
	size_t alen = (size_t)vl_ip_alen(ip->family);
	mnl_attr_put(nlh, IFA_LOCAL, alen, ip->a);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, ip->a);
	if (ip->family == AF_INET && ip->plen < 31) {
		uint8_t brd[4];
		memcpy(brd, ip->a, 4);
		for (int bit = ip->plen; bit < 32; bit++)
			brd[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
	}
	/* No duplicate address detection: the topology already guarantees
	 * uniqueness, and DAD would leave v6 addresses unusable for ~2 s. */
	if (ip->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

int lbe_route_add(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_node *n = &topo_of(b)->nodes[op->node];
	const struct vl_route *r = &n->routes[op->idx];
	struct mnl_socket *s = lbe_node_sock(b, op->node, op, err);
	struct nlmsghdr *nlh = s ? lbe_begin(b, s, RTM_NEWROUTE, NLM_F_CREATE | b->route_flags, op,
					 err) : NULL;
	if (!nlh)
		return -EIO;
	lbe_put_route(b, nlh, n, r);
	return 0;
}

void lbe_put_route(struct linux_be *b, struct nlmsghdr *nlh, const struct vl_node *n,
		      const struct vl_route *r)
{
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->to.family;
	rtm->rtm_dst_len = r->is_default ? 0 : (uint8_t)r->to.plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = r->has_via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	size_t alen = (size_t)vl_ip_alen(r->to.family);
	if (!r->is_default)
		mnl_attr_put(nlh, RTA_DST, alen, r->to.a);
	if (r->has_via)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via.a);
	if (r->dev[0]) {
		long fi = vl_node_find_iface(n, r->dev);
		mnl_attr_put_u32(nlh, RTA_OIF,
				 (uint32_t)b->base.plan->hooks[n->ifaces[fi].gid].ifindex);
	}
	if (r->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
}

