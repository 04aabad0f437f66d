/* SPDX-License-Identifier: BSD-2-Clause */
/* netaddr.c — strict parsing and comparison of IP prefixes and MACs. */
#include "vnetlab/netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int vl_ip_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

int vl_ip_parse(const char *s, bool need_plen, struct vl_ip *out)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, out->a) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, host, out->a) == 1)
		out->family = AF_INET6;
	else
		return -EINVAL;
	int max = out->family == AF_INET ? 32 : 128;
	if (!slash) {
		if (need_plen)
			return -EDESTADDRREQ;
		out->plen = max;
		return 0;
	}
	const char *p = slash + 1;
	if (!*p || strlen(p) > 3)
		return -EINVAL;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return -EINVAL;
	int plen = atoi(p);
	if (plen > max)
		return -ERANGE;
	out->plen = plen;
	return 0;
}

const char *vl_ip_str(const struct vl_ip *ip, bool with_plen, char *buf,
		      size_t len)
{
	char a[INET6_ADDRSTRLEN];
	inet_ntop(ip->family, ip->a, a, sizeof(a));
	if (with_plen)
		snprintf(buf, len, "%s/%d", a, ip->plen);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

bool vl_ip_same_addr(const struct vl_ip *x, const struct vl_ip *y)
{
	return x->family == y->family &&
	       memcmp(x->a, y->a, (size_t)vl_ip_alen(x->family)) == 0;
}

void vl_ip_network(const struct vl_ip *in, struct vl_ip *out)
{
	*out = *in;
	int alen = vl_ip_alen(in->family);
	for (int i = 0; i < alen; i++) {
		int bits = in->plen - 8 * i;
		uint8_t mask = bits >= 8 ? 0xff
			       : bits <= 0 ? 0
					   : (uint8_t)(0xff << (8 - bits));
		out->a[i] &= mask;
	}
}

bool vl_ip_in_prefix(const struct vl_ip *x, const struct vl_ip *p)
{
	if (x->family != p->family)
		return false;
	struct vl_ip nx = *x, np;
	nx.plen = p->plen;
	vl_ip_network(&nx, &nx);
	vl_ip_network(p, &np);
	return vl_ip_same_addr(&nx, &np);
}

bool vl_ip_is_link_local(const struct vl_ip *x)
{
	if (x->family == AF_INET)
		return x->a[0] == 169 && x->a[1] == 254;
	return x->a[0] == 0xfe && (x->a[1] & 0xc0) == 0x80;
}

int vl_mac_parse(const char *s, uint8_t mac[6])
{
	/* Exactly "xx:xx:xx:xx:xx:xx"; FreeBSD's "2:a:b:c:d:e" short form is
	 * accepted too since the talk's session writes MACs that way. */
	const char *p = s;
	for (int i = 0; i < 6; i++) {
		int digits = 0, v = 0;
		while (isxdigit((unsigned char)*p) && digits < 3) {
			int c = tolower((unsigned char)*p++);
			v = v * 16 + (isdigit(c) ? c - '0' : c - 'a' + 10);
			digits++;
		}
		if (digits < 1 || digits > 2)
			return -EINVAL;
		mac[i] = (uint8_t)v;
		if (i < 5 && *p++ != ':')
			return -EINVAL;
	}
	return *p ? -EINVAL : 0;
}

const char *vl_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
