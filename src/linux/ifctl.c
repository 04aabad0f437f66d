/* SPDX-License-Identifier: BSD-2-Clause */
/* ifctl.c — live changes to one interface (ifctl.h), batched on one
 * route socket of the current namespace. */
#include "vnetlab/ifctl.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/nl.h"

/* An RTM_NEWLINK for index: flags/change as in ifinfomsg; attributes may
 * follow on the returned message. */
static struct nlmsghdr *link_msg(struct vl_nl_batch *b, struct mnl_socket *s, int index,
				 unsigned flags, unsigned change, struct vl_nl_fail *f)
{
	struct nlmsghdr *nlh = vl_nl_begin(b, s, RTM_NEWLINK, 0, NULL, f);
	if (!nlh)
		return NULL;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	return nlh;
}

static void addr_msg(struct vl_nl_batch *b, struct mnl_socket *s, int index, uint16_t type,
		     const struct vl_ip *ip, struct vl_nl_fail *f)
{
	struct nlmsghdr *nlh = vl_nl_begin(b, s, type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_REPLACE : 0,
					   NULL, f);
	if (!nlh)
		return;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)ip->family;
	ifa->ifa_prefixlen = (uint8_t)ip->plen;
	ifa->ifa_index = (uint32_t)index;
	size_t alen = (size_t)vl_ip_alen(ip->family);
	mnl_attr_put(nlh, IFA_LOCAL, alen, ip->a);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, ip->a);
	if (ip->family == AF_INET6)
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

int vl_ifctl_apply(const struct vl_ifctl *c, struct vl_err *err)
{
	int index = (int)if_nametoindex(c->name);
	if (!index)
		return vl_err_sys(err, errno, "interface %s", c->name);
	struct mnl_socket *s = vl_nl_open();
	if (!s)
		return vl_err_sys(err, errno, "route socket");
	static struct vl_nl_batch b; /* 64 KiB: not on the stack; one caller, the CLI */
	vl_nl_batch_init(&b);
	struct vl_nl_fail f = {0};
	struct nlmsghdr *nlh;
	/* A name, a MAC or an MTU changes on a link that is down. */
	if (c->new_name || c->mac || c->mtu) {
		link_msg(&b, s, index, 0, IFF_UP, &f);
		if ((nlh = link_msg(&b, s, index, 0, 0, &f))) {
			if (c->new_name)
				mnl_attr_put_strz(nlh, IFLA_IFNAME, c->new_name);
			if (c->mac)
				mnl_attr_put(nlh, IFLA_ADDRESS, 6, c->mac);
			if (c->mtu)
				mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
		}
	}
	for (size_t i = 0; i < c->n_del; i++)
		addr_msg(&b, s, index, RTM_DELADDR, &c->del[i], &f);
	if (c->up >= 0)
		link_msg(&b, s, index, c->up ? IFF_UP : 0, IFF_UP, &f);
	/* Addresses after up: IPv4 routes of a down link are not kept. */
	for (size_t i = 0; i < c->n_add; i++)
		addr_msg(&b, s, index, RTM_NEWADDR, &c->add[i], &f);
	int rc = vl_nl_flush(&b, &f);
	mnl_socket_close(s);
	if (rc < 0)
		return vl_err_sys(err, f.error, "changing %s%s%s", c->name,
				  f.extack[0] ? ": " : "", f.extack);
	return 0;
}

int vl_ifctl_mac(const char *name, uint8_t mac[6])
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	int rc = ioctl(s, SIOCGIFHWADDR, &ifr) < 0 ? -errno : 0;
	close(s);
	if (rc == 0)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return rc;
}
