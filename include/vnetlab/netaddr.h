/* SPDX-License-Identifier: BSD-2-Clause */
/* netaddr.h — IP prefixes and MAC addresses as the topology writes them.
 *
 * Promise: parsers accept exactly the textual forms documented in
 * docs/topology.md and nothing looser; helpers are pure.
 */
#ifndef VNETLAB_NETADDR_H
#define VNETLAB_NETADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct vl_ip {
	int family;        /* AF_INET or AF_INET6 */
	uint8_t a[16];     /* network byte order; v4 uses a[0..3] */
	int plen;          /* prefix length; 32/128 for a bare address */
};

/* "192.0.2.1/24", "2001:db8::1/64".  need_plen: the "/len" is required. */
int vl_ip_parse(const char *s, bool need_plen, struct vl_ip *out);
/* Render address (and "/plen" when with_plen) into buf (>= 50 bytes). */
const char *vl_ip_str(const struct vl_ip *ip, bool with_plen, char *buf,
		      size_t len);
int vl_ip_alen(int family);
bool vl_ip_same_addr(const struct vl_ip *x, const struct vl_ip *y);
/* x's address lies inside prefix p (p->plen bits). */
bool vl_ip_in_prefix(const struct vl_ip *x, const struct vl_ip *p);
/* Host bits of a prefix cleared. */
void vl_ip_network(const struct vl_ip *in, struct vl_ip *out);
bool vl_ip_is_link_local(const struct vl_ip *x);

/* "02:0a:0b:0c:0d:0e": six two-digit hex groups, ':' separated. */
int vl_mac_parse(const char *s, uint8_t mac[6]);
const char *vl_mac_str(const uint8_t mac[6], char *buf, size_t len);

#endif
