/* SPDX-License-Identifier: BSD-2-Clause */
/* netstat.h — what the current network namespace holds now: interfaces
 * with their counters, addresses and routes, as JSON.
 *
 * Promise: read over rtnetlink (libmnl) in the caller's current network
 * namespace (join a node's first: labview.h does, in a child); no `ip`,
 * no /proc or /sys files, so it works in a rootless lab's namespaces
 * whatever is mounted.  Routes are the main table's, IPv4 and IPv6, less
 * the kernel's local and multicast ones.  The document:
 *   {"ifaces": [{"name", "index", "up", "running", "mtu", "mac",
 *                "rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
 *                "rx_dropped", "tx_dropped"}],
 *    "addrs":  [{"dev", "addr": "10.0.0.1/24"}],
 *    "routes": [{"to": "default" | "10.1.0.0/24", "via"?, "dev"?}]}
 */
#ifndef VNETLAB_NETSTAT_H
#define VNETLAB_NETSTAT_H

#include "vnetlab/err.h"

struct json_object;

/* The document above (the caller's to put), or NULL with err set. */
struct json_object *vl_netstat(struct vl_err *err);

#endif
