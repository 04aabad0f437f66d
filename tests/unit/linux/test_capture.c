/* SPDX-License-Identifier: BSD-2-Clause */
/* The capture's pure parts: pcap header bytes and one-line summaries. */
#include <criterion/criterion.h>
#include <string.h>

#include "vnetlab/capture.h"

Test(capture, pcap_header_is_classic_ethernet)
{
	uint8_t h[24];
	cr_assert_eq(vl_pcap_header(h), 24);
	static const uint8_t want[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
					 0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
	cr_expect_arr_eq(h, want, 24);
}

/* Ethernet + IPv4 + ICMP echo request, id 0x1234, seq 7. */
static size_t echo_frame(uint8_t *f)
{
	memset(f, 0, 98);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	ip[0] = 0x45;
	ip[3] = 84;
	ip[9] = 1;
	memcpy(ip + 12, (uint8_t[]){10, 0, 0, 1}, 4);
	memcpy(ip + 16, (uint8_t[]){10, 0, 0, 2}, 4);
	uint8_t *icmp = ip + 20;
	icmp[0] = 8;
	icmp[4] = 0x12, icmp[5] = 0x34, icmp[7] = 7;
	return 98;
}

Test(capture, summaries)
{
	uint8_t f[128];
	char s[256];
	vl_frame_summary(f, echo_frame(f), s, sizeof(s));
	cr_expect_str_eq(s, "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 4660, seq 7, length 64");

	/* The same frame cut short is not misread. */
	vl_frame_summary(f, 20, s, sizeof(s));
	cr_expect_str_eq(s, "ethertype 0x0800, length 20");

	/* UDP 5000 -> 53 */
	f[14 + 9] = 17;
	uint8_t *udp = f + 34;
	udp[0] = 0x13, udp[1] = 0x88, udp[2] = 0, udp[3] = 53;
	vl_frame_summary(f, 98, s, sizeof(s));
	cr_expect_str_eq(s, "IP 10.0.0.1.5000 > 10.0.0.2.53: UDP, length 64");

	/* ARP request */
	memset(f, 0, 64);
	f[12] = 0x08, f[13] = 0x06;
	f[14 + 7] = 1;
	memcpy(f + 14 + 14, (uint8_t[]){192, 168, 0, 1}, 4);
	memcpy(f + 14 + 24, (uint8_t[]){192, 168, 0, 2}, 4);
	vl_frame_summary(f, 42, s, sizeof(s));
	cr_expect_str_eq(s, "ARP, Request who-has 192.168.0.2 tell 192.168.0.1");
}
