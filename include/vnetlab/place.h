/* SPDX-License-Identifier: BSD-2-Clause */
/* place.h — which host each node of a lab over several hosts runs on, and
 * each host's part of the lab (docs/multihost.md).
 *
 * Promise: pure and deterministic (the same topology and hosts give the
 * same placement on any machine).  Pinned nodes (`host:`) stay where they
 * are pinned; the others are spread so that each host's load is within
 * one node (or 5%) of its capacity share where the pins allow, with as few
 * cross-host links as the method finds: a breadth-first grow from seeds
 * far apart, refined by Fiduccia-Mattheyses passes that only take moves
 * keeping the balance.
 */
#ifndef VNETLAB_PLACE_H
#define VNETLAB_PLACE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "vnetlab/hosts.h"
#include "vnetlab/topo.h"

struct vl_placement {
	size_t n_nodes, n_hosts;
	size_t *host;          /* by node index: index in hosts->hosts */
	size_t *load;          /* by host: nodes placed there */
	size_t cut;            /* links whose ends are on two hosts */
	size_t cut_initial;    /* the same before refinement */
	unsigned passes;       /* refinement passes run */
	const char *method;    /* e.g. "bfs-grow + fiduccia-mattheyses" */
};

/* 0 with *p filled (the caller frees it with vl_placement_free), or
 * -EINVAL: a pin to a host h lacks (one line per such node, at its
 * `host:`'s file:line:col, naming h's file), or more links than VNIs from
 * vni_base; -ENOMEM.  Memory: a links-per-host count for every node and
 * host (n_nodes x n_hosts). */
int vl_place(const struct vl_topo *t, const struct vl_hosts *h,
	     struct vl_placement *p, struct vl_err *err);
void vl_placement_free(struct vl_placement *p);
bool vl_place_is_cut(const struct vl_topo *t, const struct vl_placement *p, size_t link);
/* The VNI of link l: hosts->vni_base + l. */
uint32_t vl_place_vni(const struct vl_hosts *h, size_t link);
/* The MTU a tunnel end gets: underlay_mtu minus 50 (IPv4) or 70 (IPv6). */
unsigned vl_place_mtu(const struct vl_hosts *h);

/* Host `host`'s part, as a topology document in vnetlab's own format
 * (topo_json.h): the lab's name, the nodes placed there, the links
 * between them, and for each cut link touching it a tunnel end (one
 * endpoint, `tunnel: {vxlan, local, remote, port, mtu}`, downstream = the
 * direction leaving this host).  NULL on ENOMEM. */
struct json_object *vl_place_part(const struct vl_topo *t, const struct vl_hosts *h,
				  const struct vl_placement *p, size_t host);

/* `plan --hosts`: method, cut, each host's load and nodes, every tunnel
 * (VNI, the two ends, MTU). */
void vl_place_print(FILE *out, const struct vl_topo *t, const struct vl_hosts *h,
		    const struct vl_placement *p);

#endif
