/* SPDX-License-Identifier: BSD-2-Clause */
#include <criterion/criterion.h>
#include <sys/socket.h>

#include "vnetlab/netaddr.h"

Test(netaddr, parse_v4_v6)
{
	struct vl_ip ip;
	char buf[64];
	cr_assert_eq(vl_ip_parse("192.0.2.1/24", true, &ip), 0);
	cr_assert_eq(ip.family, AF_INET);
	cr_assert_eq(ip.plen, 24);
	cr_assert_str_eq(vl_ip_str(&ip, true, buf, sizeof(buf)), "192.0.2.1/24");
	cr_assert_eq(vl_ip_parse("2001:db8::1/64", true, &ip), 0);
	cr_assert_eq(ip.family, AF_INET6);
	cr_assert_eq(vl_ip_parse("10.0.0.1", false, &ip), 0);
	cr_assert_eq(ip.plen, 32);
}

Test(netaddr, rejects_malformed)
{
	struct vl_ip ip;
	cr_assert_neq(vl_ip_parse("10.0.0.1", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("10.0.0.1/33", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("2001:db8::1/129", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("10.0.0.1/", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("10.0.0.1/2x", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("1.2.3/8", true, &ip), 0);
	cr_assert_neq(vl_ip_parse("", false, &ip), 0);
}

Test(netaddr, prefix_membership)
{
	struct vl_ip a, p;
	vl_ip_parse("10.1.2.3/32", true, &a);
	vl_ip_parse("10.1.0.0/16", true, &p);
	cr_assert(vl_ip_in_prefix(&a, &p));
	vl_ip_parse("10.2.0.0/16", true, &p);
	cr_assert_not(vl_ip_in_prefix(&a, &p));
	vl_ip_parse("10.1.2.0/23", true, &p);
	cr_assert(vl_ip_in_prefix(&a, &p));
	vl_ip_parse("fe80::1/128", true, &a);
	cr_assert(vl_ip_is_link_local(&a));
}

Test(netaddr, mac)
{
	uint8_t m[6];
	char buf[32];
	cr_assert_eq(vl_mac_parse("02:0a:0B:0c:0d:0e", m), 0);
	cr_assert_str_eq(vl_mac_str(m, buf, sizeof(buf)), "02:0a:0b:0c:0d:0e");
	cr_assert_eq(vl_mac_parse("2:a:b:c:d:e", m), 0, "FreeBSD's short form");
	cr_assert_eq(m[0], 2);
	cr_assert_neq(vl_mac_parse("02:0a:0b:0c:0d", m), 0);
	cr_assert_neq(vl_mac_parse("02:0a:0b:0c:0d:0e:0f", m), 0);
	cr_assert_neq(vl_mac_parse("02-0a-0b-0c-0d-0e", m), 0);
	cr_assert_neq(vl_mac_parse("002:0a:0b:0c:0d:0e", m), 0);
}
