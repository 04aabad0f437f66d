/* SPDX-License-Identifier: BSD-2-Clause */
/* floor — the least a program can do to build an N-node chain: per node a
 * network and a UTS namespace (held by fd), per link a veth pair born in
 * its two namespaces (IFLA_NET_NS_FD), an IPv4 address on each end, every
 * interface up; raw rtnetlink over libmnl, batched per socket.  No parser,
 * no plan, no keeper, no rollback.  Then it releases everything and waits
 * until the kernel has freed the namespaces (the net_namespace slab back
 * at its count, when /proc/slabinfo is readable).
 *
 *   floor N       prints: up_s DOWN_s freed_s
 *
 * bench/scale.sh sets vnetlab against it in the same run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct sock {
	struct mnl_socket *nl;
	char buf[1 << 16];
	size_t len;
	unsigned n, seq;
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void flush(struct sock *s)
{
	if (!s->n)
		return;
	if (mnl_socket_sendto(s->nl, s->buf, s->len) < 0)
		die("sendto");
	char r[MNL_SOCKET_BUFFER_SIZE];
	while (s->n) {
		ssize_t got = mnl_socket_recvfrom(s->nl, r, sizeof(r));
		if (got < 0)
			die("recv");
		for (struct nlmsghdr *h = (struct nlmsghdr *)r; mnl_nlmsg_ok(h, (int)got);
		     h = mnl_nlmsg_next(h, (int *)&got))
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				if (e->error) {
					errno = -e->error;
					die("netlink");
				}
				s->n--;
			}
	}
	s->len = 0;
}

static struct nlmsghdr *msg(struct sock *s, uint16_t type, uint16_t flags)
{
	if (s->n == 128 || s->len + 1024 > sizeof(s->buf))
		flush(s);
	struct nlmsghdr *h = mnl_nlmsg_put_header(s->buf + s->len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++s->seq;
	s->n++;
	return h;
}

static void done(struct sock *s, struct nlmsghdr *h)
{
	s->len += h->nlmsg_len;
}

static struct ifinfomsg *ifi(struct nlmsghdr *h, int index, bool up)
{
	struct ifinfomsg *i = mnl_nlmsg_put_extra_header(h, sizeof(*i));
	i->ifi_index = index;
	i->ifi_flags = up ? IFF_UP : 0;
	i->ifi_change = up ? IFF_UP : 0;
	return i;
}

static void open_sock(struct sock *s)
{
	int one = 1;
	if (!(s->nl = mnl_socket_open(NETLINK_ROUTE)) || mnl_socket_bind(s->nl, 0, 0) < 0)
		die("netlink socket");
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));
}


static void addr(struct sock *s, int index, uint32_t a, int plen)
{
	struct nlmsghdr *h = msg(s, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *m = mnl_nlmsg_put_extra_header(h, sizeof(*m));
	m->ifa_family = AF_INET;
	m->ifa_prefixlen = (uint8_t)plen;
	m->ifa_index = (uint32_t)index;
	mnl_attr_put_u32(h, IFA_LOCAL, a);
	mnl_attr_put_u32(h, IFA_ADDRESS, a);
	done(s, h);
}

static long slab_netns(void)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	long v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "net_namespace ", 14))
			v = atol(line + 14);
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	struct rlimit r;
	getrlimit(RLIMIT_NOFILE, &r);
	r.rlim_cur = r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
	long base = slab_netns();
	int home = open("/proc/self/ns/net", O_RDONLY);
	int *net = calloc((size_t)n, sizeof(int)), *uts = calloc((size_t)n, sizeof(int));
	struct sock *s = calloc((size_t)n + 1, sizeof(*s)); /* s[n]: the core */
	double t0 = now();
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare core");
	open_sock(&s[n]);
	for (int i = 0; i < n; i++) {
		if (unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0)
			die("unshare");
		net[i] = open("/proc/self/ns/net", O_RDONLY);
		uts[i] = open("/proc/self/ns/uts", O_RDONLY);
		open_sock(&s[i]);
		struct nlmsghdr *h = msg(&s[i], RTM_NEWLINK, 0);
		ifi(h, 1, true);
		done(&s[i], h);
	}
	/* Link i joins node i (ifindex 3, "r") and node i+1 (ifindex 2, "l"). */
	for (int i = 0; i + 1 < n; i++) {
		struct nlmsghdr *h = msg(&s[n], RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
		ifi(h, 3, false);
		mnl_attr_put_strz(h, IFLA_IFNAME, "r");
		mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)net[i]);
		struct nlattr *li = mnl_attr_nest_start(h, IFLA_LINKINFO);
		mnl_attr_put_strz(h, IFLA_INFO_KIND, "veth");
		struct nlattr *d = mnl_attr_nest_start(h, IFLA_INFO_DATA);
		struct nlattr *p = mnl_attr_nest_start(h, VETH_INFO_PEER);
		ifi(h, 2, false);
		mnl_attr_put_strz(h, IFLA_IFNAME, "l");
		mnl_attr_put_u32(h, IFLA_NET_NS_FD, (uint32_t)net[i + 1]);
		mnl_attr_nest_end(h, p);
		mnl_attr_nest_end(h, d);
		mnl_attr_nest_end(h, li);
		done(&s[n], h);
	}
	flush(&s[n]);
	for (int i = 0; i < n; i++) {
		for (int e = 0; e < 2; e++) {
			int index = e ? 3 : 2;
			if ((e && i + 1 == n) || (!e && i == 0))
				continue;
			struct nlmsghdr *h = msg(&s[i], RTM_NEWLINK, 0);
			ifi(h, index, true);
			done(&s[i], h);
			int link = e ? i : i - 1; /* 10.(link/250).(link%250).{1,2}/30 */
			uint32_t a = htonl(10u << 24 | (uint32_t)(link / 250) << 16 |
					   (uint32_t)(link % 250) << 8 | (e ? 1u : 2u));
			addr(&s[i], index, a, 30);
		}
		flush(&s[i]);
	}
	double t_up = now() - t0;
	t0 = now();
	for (int i = 0; i <= n; i++)
		mnl_socket_close(s[i].nl);
	setns(home, CLONE_NEWNET);
	for (int i = 0; i < n; i++)
		close(net[i]), close(uts[i]);
	double t_down = now() - t0;
	/* The kernel frees namespaces in the background: wait for it. */
	while (base >= 0 && slab_netns() > base && now() - t0 < 5)
		usleep(2000);
	printf("%.3f %.3f %.3f\n", t_up, t_down, now() - t0);
	return 0;
}
