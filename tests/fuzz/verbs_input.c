/* SPDX-License-Identifier: BSD-2-Clause */
/* verbs_input.c — see verbs_input.h. */
#include "verbs_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/linkedit.h"
#include "vnetlab/netaddr.h"
#include "vnetlab/plan.h"
#include "vnetlab/topo.h"
#include "vnetlab/vimage.h"

#define MAX_WORDS 32
#define MAX_LINES 64 /* bounds one input's work */

static const char links_yaml[] =
	"nodes:\n"
	"  a: { ifaces: { e0: { addrs: [10.0.0.1/24] }, e1: {}, e2: {} } }\n"
	"  b: { ifaces: { e0: { addrs: [10.0.0.2/24] }, e1: {}, e2: {} } }\n"
	"links:\n"
	"  - { endpoints: [a:e0, b:e0], impl: userspace, delay: 5ms }\n"
	"  - { endpoints: [a:e1, b:e1], bandwidth: 10Mbit }\n"
	"  - [a:e2, b:e2]\n";

static int split(char *line, char **w)
{
	int n = 0;
	for (char *save, *t = strtok_r(line, " \t\r", &save); t && n < MAX_WORDS;
	     t = strtok_r(NULL, " \t\r", &save))
		w[n++] = t;
	return n;
}

static void refused(const struct vl_err *err)
{
	if (err->count == 0 || !err->msg[0])
		abort();
}

static void link_edit(struct vl_plan *p, struct vl_link_live *live, int n, char **w)
{
	struct vl_link_edit e;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_link_edit_parse(p->topo, n, w, &e, &err) < 0) {
		refused(&err);
		return;
	}
	if (e.link >= p->topo->n_links)
		abort();
	struct vl_impair next[2];
	vl_link_edit_apply(&e, live[e.link].dir, next);
	vl_err_init(&err);
	if (vl_link_place(p, e.link, next, &live[e.link], &err) < 0)
		refused(&err);
}

/* ngscript CMD ; CMD ; ...: one ngctl invocation (`ngctl -f`), its
 * socket node's hooks alive from one command to the next; stopped at the
 * first refusal, which (as the CLI saves nothing of a failed script)
 * takes the model back to what it was. */
static int ngscript(struct json_object *m, int n, char **w, FILE *sink, struct vl_err *err)
{
	int rc = 0;
	for (int i = 1; i < n && rc == 0;) {
		int k = i;
		while (k < n && strcmp(w[k], ";"))
			k++;
		bool changed = false;
		if (k > i)
			rc = vl_vimage_ngctl(m, k - i, w + i, sink, &changed, err);
		i = k + 1;
	}
	vl_vimage_ngctl_done(m);
	return rc;
}

static int model_command(struct json_object *m, int n, char **w, FILE *sink)
{
	struct vl_err err;
	vl_err_init(&err);
	bool changed = false;
	int rc = 0;
	if (!strcmp(w[0], "jail") && n == 2)
		rc = vl_vimage_jail_create(m, w[1], NULL, &err);
	else if (!strcmp(w[0], "unjail") && n == 2)
		rc = vl_vimage_jail_remove(m, w[1], sink, &err);
	else if (!strcmp(w[0], "ngctl") && n >= 2) {
		rc = vl_vimage_ngctl(m, n - 1, w + 1, sink, &changed, &err);
		vl_vimage_ngctl_done(m);
	} else if (!strcmp(w[0], "ngscript") && n >= 2) {
		rc = ngscript(m, n, w, sink, &err);
		if (rc < 0)
			refused(&err);
		return rc;
	} else if (!strcmp(w[0], "ifconfig") && n >= 2) {
		struct json_object *iface = NULL;
		rc = vl_vimage_ifconfig(m, w[1], n - 2, w + 2, sink, &changed, &iface, &err);
	} else
		return 0;
	if (rc < 0)
		refused(&err);
	return 0;
}

static void found(const char *what, struct json_object *m)
{
	if (getenv("VL_FUZZ_VERBOSE"))
		fprintf(stderr, "%s:\n%s\n", what,
			json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY));
	abort();
}

/* What Linux refuses when the lab is built, the model never holds (a lab
 * made from it would fail to come up: issue 14 item 2): a zero or
 * multicast MAC; an IPv6 address that is loopback, unspecified or
 * multicast, or on a link under IPv6's minimum MTU. */
static void linux_takes(struct json_object *m)
{
	struct json_object *a = json_object_object_get(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		if (!json_object_object_get(n, "ifname"))
			continue; /* not an interface */
		const char *mac = json_object_get_string(json_object_object_get(n, "mac"));
		uint8_t b[6];
		if (mac && *mac && (vl_mac_parse(mac, b) < 0 || (b[0] & 1) ||
				    !(b[0] | b[1] | b[2] | b[3] | b[4] | b[5])))
			found("a MAC Linux refuses", m);
		int mtu = json_object_get_int(json_object_object_get(n, "mtu"));
		struct json_object *addrs = json_object_object_get(n, "addrs");
		for (size_t k = 0; k < json_object_array_length(addrs); k++) {
			struct vl_ip ip;
			static const uint8_t zero[16], one[16] = {[15] = 1};
			if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)),
					true, &ip) < 0)
				found("an address that does not parse", m);
			if (ip.family == AF_INET6 && (!memcmp(ip.a, zero, 16) || !memcmp(ip.a, one, 16) ||
						      ip.a[0] == 0xff || (mtu && mtu < 1280)))
				found("an IPv6 address Linux refuses", m);
		}
	}
}

/* After ngctl exits, nothing of its socket node is left, and every hook
 * is one end of a wire whose other end names it back. */
static void hooks_whole(struct json_object *m)
{
	if (json_object_object_get(m, "socket"))
		found("ngctl's socket node outlived ngctl", m);
	struct json_object *a = json_object_object_get(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		int id = json_object_get_int(json_object_object_get(n, "id"));
		json_object_object_foreach(json_object_object_get(n, "hooks"), h, e) {
			int pid = json_object_get_int(json_object_object_get(e, "peer"));
			const char *ph = json_object_get_string(json_object_object_get(e, "peerhook"));
			struct json_object *p = NULL, *back;
			for (size_t k = 0; k < json_object_array_length(a) && !p; k++)
				if (json_object_get_int(json_object_object_get(
					    json_object_array_get_idx(a, k), "id")) == pid)
					p = json_object_array_get_idx(a, k);
			back = p && ph ? json_object_object_get(json_object_object_get(p, "hooks"), ph)
				       : NULL;
			const char *bh = json_object_get_string(json_object_object_get(back, "peerhook"));
			if (!back || json_object_get_int(json_object_object_get(back, "peer")) != id ||
			    !bh || strcmp(bh, h))
				found("a hook whose other end does not name it back", m);
		}
	}
}

/* As the CLI does: a change whose model the loader would refuse is
 * refused (not saved); the model goes back to what it was. */
static void command(struct json_object **m, int n, char **w, FILE *sink)
{
	struct json_object *before = NULL;
	if (json_object_deep_copy(*m, &before, NULL) < 0)
		abort();
	if (model_command(*m, n, w, sink) < 0) {
		json_object_put(*m);
		*m = before;
		return;
	}
	hooks_whole(*m);
	struct vl_err err;
	vl_err_init(&err);
	if (vl_vimage_check(*m, &err) < 0) {
		refused(&err);
		json_object_put(*m);
		*m = before;
	} else {
		json_object_put(before);
		linux_takes(*m);
	}
}

static void still_loads(struct json_object *m, const char *after)
{
	struct vl_err err;
	vl_err_init(&err);
	if (vl_vimage_check(m, &err) < 0) {
		if (getenv("VL_FUZZ_VERBOSE"))
			fprintf(stderr, "%s: %s\n", after, err.msg);
		found("a removal left a model no lab can be", m);
	}
}

/* Removing every jail and shutting down every node is never refused, each
 * step leaves a model that can become a lab, and at the end nothing is
 * left but em0 without hooks (issue 14 item 1: a jail that could never be
 * removed).  Jails first, or nodes first. */
static void all_removable(struct json_object *orig, bool jails_first, FILE *sink)
{
	struct json_object *m = NULL;
	if (json_object_deep_copy(orig, &m, NULL) < 0)
		abort();
	struct json_object *js = json_object_object_get(m, "jails");
	struct json_object *ns = json_object_object_get(m, "nodes");
	for (int pass = 0; pass < 2; pass++) {
		if ((pass == 0) == jails_first) {
			while (json_object_array_length(js)) {
				char name[128];
				snprintf(name, sizeof(name), "%s", json_object_get_string(
					json_object_object_get(json_object_array_get_idx(js, 0), "name")));
				struct vl_err err;
				vl_err_init(&err);
				if (vl_vimage_jail_remove(m, name, sink, &err) < 0)
					found("a jail that cannot be removed", m);
				still_loads(m, name);
			}
			continue;
		}
		/* Every node; em0 (ng_ether) last: shut down, it stays and
		 * loses its hooks.  Shutting one down may take others along. */
		for (bool ether = false;; ) {
			struct json_object *victim = NULL;
			for (size_t i = 0; i < json_object_array_length(ns) && !victim; i++) {
				struct json_object *n = json_object_array_get_idx(ns, i);
				const char *t = json_object_get_string(json_object_object_get(n, "type"));
				if (ether || strcmp(t ? t : "", "ether"))
					victim = n;
			}
			if (!victim && ether)
				break;
			if (!victim) {
				ether = true;
				continue;
			}
			char path[32], *w[2] = {"shutdown", path};
			snprintf(path, sizeof(path), "[%x]:",
				 (unsigned)json_object_get_int(json_object_object_get(victim, "id")));
			struct vl_err err;
			vl_err_init(&err);
			bool changed = false;
			if (vl_vimage_ngctl(m, 2, w, sink, &changed, &err) < 0)
				found("a node that cannot be shut down", m);
			vl_vimage_ngctl_done(m);
			still_loads(m, path);
			if (ether)
				break; /* the one em0 */
		}
	}
	if (json_object_array_length(js) || json_object_array_length(ns) != 1 ||
	    json_object_object_length(json_object_object_get(json_object_array_get_idx(ns, 0),
							     "hooks")))
		found("all removed, and still not empty", m);
	json_object_put(m);
}

/* The invariant: whatever the model accepted, it can still become a lab. */
static void model_loads(struct json_object *m)
{
	char *yaml = vl_vimage_topology(m);
	if (!yaml)
		abort();
	struct vl_topo *t = NULL;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_topo_load_buffer("vimage.yaml", yaml, strlen(yaml), &t, &err) < 0) {
		if (getenv("VL_FUZZ_VERBOSE"))
			fprintf(stderr, "model refused:\n%s\n%s\n", yaml, err.msg);
		abort();
	}
	vl_topo_free(t);
	free(yaml);
}

int vl_fuzz_verbs(const uint8_t *data, size_t len)
{
	struct vl_topo *t = NULL;
	struct vl_err err;
	vl_err_init(&err);
	if (vl_topo_load_buffer("links.yaml", links_yaml, sizeof(links_yaml) - 1, &t, &err) < 0)
		abort();
	struct vl_plan_opts o = {.qdiscs = VL_QDISC_TBF | VL_QDISC_HTB, .qdiscs_known = true};
	struct vl_plan p;
	if (vl_plan_build(t, &o, &p, &err) < 0)
		abort();
	struct vl_link_live live[3];
	for (size_t l = 0; l < t->n_links; l++)
		if (vl_link_place(&p, l, t->links[l].dir, &live[l], &err) < 0)
			abort();
	struct json_object *m = vl_vimage_new("vimage");
	FILE *sink = fopen("/dev/null", "we");
	char *text = malloc(len + 1);
	if (!m || !sink || !text)
		abort();
	memcpy(text, data, len);
	text[len] = '\0';
	char *save = NULL, *w[MAX_WORDS];
	int lines = 0;
	for (char *line = strtok_r(text, "\n", &save); line && lines < MAX_LINES;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		int n = split(line, w);
		if (n == 0)
			continue;
		if (!strcmp(w[0], "link"))
			link_edit(&p, live, n - 1, w + 1);
		else
			command(&m, n, w, sink);
	}
	model_loads(m);
	all_removable(m, true, sink);
	all_removable(m, false, sink);
	free(text);
	fclose(sink);
	json_object_put(m);
	vl_plan_free(&p);
	vl_topo_free(t);
	return 0;
}
