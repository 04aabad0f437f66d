/* SPDX-License-Identifier: BSD-2-Clause */
/* topo_json.h — a loaded topology written back as a topology document.
 *
 * Promise: vl_topo_to_json() gives a json-c document in vnetlab's own
 * topology format (JSON is YAML, so the loader reads it as it is) that
 * loads back into the same model: the same nodes, kinds, hostnames,
 * forwarding, interfaces with their MACs, MTUs and addresses, routes,
 * startup commands, links with their endpoints, impl and every
 * impairment per direction, written in exact units (bit/s, ns, parts per
 * billion as a percentage with 7 decimals, BER in 1e-18).  A pipe node,
 * folded into its link by the loader, comes back as that link's
 * parameters.  Callers edit the document (vnetlab node|link add|rm, the
 * FreeBSD verbs) and load it again, so every edit passes the loader's
 * validation like a file would.
 */
#ifndef VNETLAB_TOPO_JSON_H
#define VNETLAB_TOPO_JSON_H

#include <json-c/json.h>

#include "vnetlab/topo.h"

/* A new document (caller puts it), or NULL on ENOMEM. */
struct json_object *vl_topo_to_json(const struct vl_topo *t);

/* One direction's parameters as {param: "value"}: exact, loadable. */
struct json_object *vl_impair_to_json(const struct vl_impair *im);

/* The document as text, loadable by vl_topo_load_buffer (malloc'd). */
char *vl_topo_json_text(struct json_object *doc);

#endif
