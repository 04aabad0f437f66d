/* SPDX-License-Identifier: BSD-2-Clause */
/* netstat.c — the current namespace's interfaces, addresses and routes
 * (netstat.h), as three rtnetlink dumps on one socket. */
#include "vnetlab/netstat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the dump callbacks fill: the document's arrays, and the index to
 * name table the addresses and routes are written with. */
struct dump {
	struct json_object *ifaces, *addrs, *routes;
	char names[256][IFNAMSIZ];
};

static const char *if_name(const struct dump *d, unsigned index)
{
	return index < 256 && d->names[index][0] ? d->names[index] : NULL;
}

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_stats(struct json_object *o, const struct rtnl_link_stats64 *s)
{
	add_u64(o, "rx_packets", s->rx_packets);
	add_u64(o, "tx_packets", s->tx_packets);
	add_u64(o, "rx_bytes", s->rx_bytes);
	add_u64(o, "tx_bytes", s->tx_bytes);
	add_u64(o, "rx_dropped", s->rx_dropped);
	add_u64(o, "tx_dropped", s->tx_dropped);
}

static int on_link(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct json_object *o = json_object_new_object();
	const struct nlattr *a;
	json_object_object_add(o, "index", json_object_new_int(ifi->ifi_index));
	json_object_object_add(o, "up", json_object_new_boolean(ifi->ifi_flags & IFF_UP));
	json_object_object_add(o, "running",
			       json_object_new_boolean(ifi->ifi_flags & IFF_RUNNING));
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		uint16_t type = mnl_attr_get_type(a);
		if (type == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_STRING) == 0) {
			const char *n = mnl_attr_get_str(a);
			json_object_object_add(o, "name", json_object_new_string(n));
			if (ifi->ifi_index > 0 && ifi->ifi_index < 256)
				snprintf(d->names[ifi->ifi_index], IFNAMSIZ, "%s", n);
		} else if (type == IFLA_MTU && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
			json_object_object_add(o, "mtu", json_object_new_int64(mnl_attr_get_u32(a)));
		} else if (type == IFLA_ADDRESS && mnl_attr_get_payload_len(a) == 6) {
			const uint8_t *m = mnl_attr_get_payload(a);
			char mac[18];
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
				 m[2], m[3], m[4], m[5]);
			json_object_object_add(o, "mac", json_object_new_string(mac));
		} else if (type == IFLA_STATS64 &&
			   mnl_attr_get_payload_len(a) >= sizeof(struct rtnl_link_stats64)) {
			struct rtnl_link_stats64 s;
			memcpy(&s, mnl_attr_get_payload(a), sizeof(s));
			add_stats(o, &s);
		}
	}
	json_object_array_add(d->ifaces, o);
	return MNL_CB_OK;
}

/* "10.0.0.1/24" from an address attribute of family fam. */
static bool prefix_text(int fam, const struct nlattr *a, unsigned len, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN];
	size_t want = fam == AF_INET ? 4 : 16;
	if (mnl_attr_get_payload_len(a) != want ||
	    !inet_ntop(fam, mnl_attr_get_payload(a), ip, sizeof(ip)))
		return false;
	snprintf(buf, n, "%s/%u", ip, len);
	return true;
}

static int on_addr(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	char text[INET6_ADDRSTRLEN + 8] = "";
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		/* IFA_LOCAL is this end of a point-to-point address; IFA_ADDRESS
		 * the peer there, and the same as IFA_LOCAL everywhere else. */
		uint16_t t = mnl_attr_get_type(a);
		if ((t == IFA_LOCAL || (t == IFA_ADDRESS && !text[0])))
			prefix_text(ifa->ifa_family, a, ifa->ifa_prefixlen, text, sizeof(text));
	}
	if (!text[0])
		return MNL_CB_OK;
	struct json_object *o = json_object_new_object();
	const char *dev = if_name(d, ifa->ifa_index);
	json_object_object_add(o, "dev", json_object_new_string(dev ? dev : "?"));
	json_object_object_add(o, "addr", json_object_new_string(text));
	json_object_array_add(d->addrs, o);
	return MNL_CB_OK;
}

static int on_route(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	if (rt->rtm_table != RT_TABLE_MAIN || rt->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	struct json_object *o = json_object_new_object();
	char to[INET6_ADDRSTRLEN + 8] = "default", via[INET6_ADDRSTRLEN + 8];
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(*rt)) {
		uint16_t t = mnl_attr_get_type(a);
		if (t == RTA_DST)
			prefix_text(rt->rtm_family, a, rt->rtm_dst_len, to, sizeof(to));
		else if (t == RTA_GATEWAY && prefix_text(rt->rtm_family, a, 0, via, sizeof(via))) {
			via[strcspn(via, "/")] = '\0';
			json_object_object_add(o, "via", json_object_new_string(via));
		} else if (t == RTA_OIF && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
			const char *dev = if_name(d, mnl_attr_get_u32(a));
			if (dev)
				json_object_object_add(o, "dev", json_object_new_string(dev));
		}
	}
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_array_add(d->routes, o);
	return MNL_CB_OK;
}

/* One dump request of type for family, its answers through cb. */
static int dump(struct mnl_socket *s, uint16_t type, int family, mnl_cb_t cb,
		struct dump *d, struct vl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	uint32_t seq = nlh->nlmsg_seq = (uint32_t)time(NULL);
	/* Each type's own header (zeroed by mnl): family is the first byte of
	 * all three, and a strict kernel wants the exact size. */
	size_t hdr = type == RTM_GETLINK ? sizeof(struct ifinfomsg)
		     : type == RTM_GETADDR ? sizeof(struct ifaddrmsg) : sizeof(struct rtmsg);
	unsigned char *fam = mnl_nlmsg_put_extra_header(nlh, hdr);
	fam[0] = (unsigned char)family;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		return vl_err_sys(err, errno, "netlink dump request");
	unsigned port = mnl_socket_get_portid(s);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		if (n < 0)
			return vl_err_sys(err, errno, "netlink dump");
		int rc = mnl_cb_run(buf, (size_t)n, seq, port, cb, d);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc < 0)
			return vl_err_sys(err, errno, "netlink dump");
	}
}

struct json_object *vl_netstat(struct vl_err *err)
{
	struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		vl_err_sys(err, errno, "netlink socket");
		if (s)
			mnl_socket_close(s);
		return NULL;
	}
	struct dump *d = calloc(1, sizeof(*d));
	struct json_object *o = d ? json_object_new_object() : NULL;
	if (o) {
		json_object_object_add(o, "ifaces", d->ifaces = json_object_new_array());
		json_object_object_add(o, "addrs", d->addrs = json_object_new_array());
		json_object_object_add(o, "routes", d->routes = json_object_new_array());
	}
	/* Links first: the others name interfaces by the table it fills. */
	if (!o || dump(s, RTM_GETLINK, AF_UNSPEC, on_link, d, err) < 0 ||
	    dump(s, RTM_GETADDR, AF_UNSPEC, on_addr, d, err) < 0 ||
	    dump(s, RTM_GETROUTE, AF_UNSPEC, on_route, d, err) < 0) {
		if (!o)
			vl_errf(err, "out of memory");
		json_object_put(o);
		o = NULL;
	}
	free(d);
	mnl_socket_close(s);
	return o;
}
