/* SPDX-License-Identifier: BSD-2-Clause */
/* ifctl.h — change one interface of the current network namespace, live
 * (what `vnetlab ifconfig` does inside a jail): name, MAC, MTU, addresses,
 * up/down, over rtnetlink.  0, or -errno with the failing step in err. */
#ifndef VNETLAB_IFCTL_H
#define VNETLAB_IFCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "vnetlab/err.h"
#include "vnetlab/netaddr.h"

struct vl_ifctl {
	const char *name;       /* now */
	const char *new_name;   /* NULL: keep */
	const uint8_t *mac;     /* NULL: keep */
	unsigned mtu;           /* 0: keep */
	const struct vl_ip *add, *del; /* addresses to add and remove */
	size_t n_add, n_del;
	int up;                 /* 1 up, 0 down, -1 keep */
};

int vl_ifctl_apply(const struct vl_ifctl *c, struct vl_err *err);
/* The MAC the kernel gives interface name of the current namespace:
 * 0, or -errno (-ENODEV: no such interface). */
int vl_ifctl_mac(const char *name, uint8_t mac[6]);

#endif
