/* SPDX-License-Identifier: BSD-2-Clause */
/* hosts.h — the hosts file of a lab over several hosts (docs/multihost.md).
 *
 *   hosts:
 *     h1: { ssh: root@192.0.2.1, underlay: 192.0.2.1 }
 *     h2: { ssh: lab@192.0.2.2, underlay: 192.0.2.2, vnetlab: /opt/vnetlab/bin/vnetlab,
 *           capacity: 2, options: ["-i", "key"] }
 *   vxlan: { port: 4789, vni_base: 4096, underlay_mtu: 1500 }   # optional
 *
 * Promise: a loaded file has at least one host; names are unique and fit
 * VL_HOST_NAME_MAX; every host has an ssh destination (not starting with
 * '-') and an underlay address, all of one family; capacity >= 1; the
 * vnetlab command line is split into words (a string is split at blanks, a
 * list is taken as it is); no two hosts share an underlay address; vxlan's
 * port is 1..65535, vni_base 1..16777215, underlay_mtu 1280..65535.
 * Errors are "file:line:col: error: reason", every one of the file.
 */
#ifndef VNETLAB_HOSTS_H
#define VNETLAB_HOSTS_H

#include <stddef.h>
#include <stdint.h>

#include "vnetlab/err.h"
#include "vnetlab/netaddr.h"
#include "vnetlab/topo.h"

struct vl_host {
	char name[VL_HOST_NAME_MAX + 1];
	char *ssh;              /* the OpenSSH destination */
	struct vl_ip underlay;  /* the tunnel address (plen 32/128) */
	char **vnetlab;         /* NULL-terminated words; default {"vnetlab"} */
	size_t n_vnetlab;
	char **options;         /* NULL-terminated extra ssh arguments */
	size_t n_options;
	unsigned capacity;      /* relative weight, default 1 */
	struct vl_pos pos;
};

struct vl_hosts {
	char *file;
	struct vl_host *hosts;  /* in file order */
	size_t n;
	uint16_t vxlan_port;    /* default 4789 */
	uint32_t vni_base;      /* default 4096; VNI of link l = vni_base + l */
	unsigned underlay_mtu;  /* default 1500 */
};

int vl_hosts_load_file(const char *path, struct vl_hosts **out, struct vl_err *err);
int vl_hosts_load_buffer(const char *file, const char *buf, size_t len,
			 struct vl_hosts **out, struct vl_err *err);
void vl_hosts_free(struct vl_hosts *h);
long vl_hosts_find(const struct vl_hosts *h, const char *name);

#endif
