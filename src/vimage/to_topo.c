/* SPDX-License-Identifier: BSD-2-Clause */
/* to_topo.c — the model as a topology (vimage.h). */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/topo.h"

struct text {
	char *s;
	size_t len;
	FILE *f;
};

/* The topology name of a netgraph node (not an interface). */
static void topo_name(struct json_object *m, struct json_object *n, char *buf, size_t len)
{
	const char *s = s_of(n, "name");
	bool ok = *s && !vl_check_node_name(s) && !vimg_jail(m, s) && strcmp(s, VL_VIMAGE_HOST) &&
		  !vimg_reserved_name(s);
	if (ok)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "ng%x", (unsigned)i_of(n, "id"));
}

/* "node:hook" of hook h of netgraph node n, or false when the hook leads
 * nowhere in a lab (ng_ether's lower hook: the wire behind the NIC). */
static bool endpoint(struct json_object *m, struct json_object *n, const char *h,
		     char *buf, size_t len)
{
	const char *t = s_of(n, "type");
	if (!strcmp(t, "eiface") || !strcmp(t, "ether")) {
		if (!strcmp(t, "ether") && strcmp(h, "upper"))
			return false;
		snprintf(buf, len, "%s:%s", *s_of(n, "vnet") ? s_of(n, "vnet") : VL_VIMAGE_HOST,
			 s_of(n, "ifname"));
		return true;
	}
	char name[32];
	topo_name(m, n, name, sizeof(name));
	snprintf(buf, len, "%s:%s", name, h);
	return true;
}

static void yaml_iface(struct json_object *n, FILE *f)
{
	fprintf(f, "      %s: {", s_of(n, "ifname"));
	if (*s_of(n, "mac"))
		fprintf(f, " mac: \"%s\",", s_of(n, "mac"));
	if (i_of(n, "mtu"))
		fprintf(f, " mtu: %d,", i_of(n, "mtu"));
	fprintf(f, " addrs: [");
	struct json_object *a = json_object_object_get(n, "addrs");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "",
			json_object_get_string(json_object_array_get_idx(a, i)));
	fprintf(f, "] }\n");
}

static void yaml_vnet(struct json_object *m, const char *name, const char *host, FILE *f)
{
	fprintf(f, "  %s:\n    hostname: \"%s\"\n    ifaces:\n", name, host);
	struct json_object *a = arr(m, "nodes");
	bool any = false;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (vimg_in_place(json_object_array_get_idx(a, i), name)) {
			yaml_iface(json_object_array_get_idx(a, i), f);
			any = true;
		}
	if (!any)
		fprintf(f, "      {}\n");
}

/* A pipe's setcfg text as link parameters: "bandwidth=N" (bit/s), "delay=N"
 * (us), "ber=N" (1 in N bits), "duplicate=N" (%), "qin_size_limit=N",
 * inside "downstream={ }" / "upstream={ }" or for both; -1 clears. */
static void yaml_pipe(const char *cfg, FILE *f)
{
	char buf[2048], dir[2][512] = {"", ""}, both[512] = "";
	snprintf(buf, sizeof(buf), "%s", cfg);
	int sect = -1;
	for (char *save, *w = strtok_r(buf, " {}", &save); w; w = strtok_r(NULL, " {}", &save)) {
		if (!strcmp(w, "downstream=") || !strcmp(w, "upstream=")) {
			sect = w[0] == 'd' ? 0 : 1;
			continue;
		}
		char *eq = strchr(w, '=');
		if (!eq)
			continue;
		*eq = '\0';
		long long v = atoll(eq + 1);
		char *out = sect < 0 ? both : dir[sect], item[96] = "";
		if (v <= 0)
			continue;
		if (!strcmp(w, "bandwidth"))
			snprintf(item, sizeof(item), "bandwidth: %lldbit, ", v);
		else if (!strcmp(w, "delay"))
			snprintf(item, sizeof(item), "delay: %lldus, ", v);
		else if (!strcmp(w, "ber"))
			snprintf(item, sizeof(item), "ber: \"%g\", ", 1.0 / (double)v);
		else if (!strcmp(w, "duplicate"))
			snprintf(item, sizeof(item), "duplicate: \"%lld%%\", ", v);
		else if (!strcmp(w, "qin_size_limit"))
			snprintf(item, sizeof(item), "queue: %lld, ", v);
		strncat(out, item, 511 - strlen(out));
		if (sect >= 0 && !strcmp(w, "delay")) /* one delay, both ways */
			strncat(both, item, 511 - strlen(both));
	}
	fprintf(f, "{ kind: pipe, %s", both);
	const char *names[2] = {"downstream", "upstream"};
	for (int d = 0; d < 2; d++)
		if (dir[d][0]) {
			dir[d][strlen(dir[d]) - 2] = '\0';
			fprintf(f, "%s: { %s }, ", names[d], dir[d]);
		}
	fprintf(f, "}\n");
}

/* Is a pipe wired on both sides, to nodes of the lab (not to ngctl's
 * socket, which a model being changed may still have)? */
static bool pipe_whole(struct json_object *m, struct json_object *n)
{
	struct json_object *h = json_object_object_get(n, "hooks");
	struct json_object *u = json_object_object_get(h, "upper");
	struct json_object *l = json_object_object_get(h, "lower");
	return strcmp(s_of(n, "type"), "pipe") ||
	       (u && l && vimg_node_by_id(m, i_of(u, "peer")) && vimg_node_by_id(m, i_of(l, "peer")));
}

static void yaml_links(struct json_object *m, FILE *f)
{
	fprintf(f, "links:\n");
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		json_object_object_foreach(json_object_object_get(n, "hooks"), h, e) {
			struct json_object *p = vimg_node_by_id(m, i_of(e, "peer"));
			int me = i_of(n, "id"), him = i_of(e, "peer");
			if (!p || him < me || (him == me && strcmp(h, s_of(e, "peerhook")) > 0))
				continue; /* each wire once */
			char x[64], y[64];
			if (!pipe_whole(m, n) || !pipe_whole(m, p) || !endpoint(m, n, h, x, sizeof(x)) ||
			    !endpoint(m, p, s_of(e, "peerhook"), y, sizeof(y)))
				continue;
			fprintf(f, "  - [\"%s\", \"%s\"]\n", x, y);
		}
	}
}

/* Is interface node n wired to something a lab can build? */
static bool wired(struct json_object *m, struct json_object *n)
{
	const char *hook = !strcmp(s_of(n, "type"), "ether") ? "upper" : "ether";
	struct json_object *e = json_object_object_get(json_object_object_get(n, "hooks"), hook);
	struct json_object *p = e ? vimg_node_by_id(m, i_of(e, "peer")) : NULL;
	return p && pipe_whole(m, p);
}

char *vl_vimage_topology(struct json_object *m)
{
	struct text t = {0};
	FILE *f = open_memstream(&t.s, &t.len);
	if (!f)
		return NULL;
	fprintf(f, "# made by vnetlab's FreeBSD verbs (jail, ngctl, ifconfig)\nname: %s\nnodes:\n",
		s_of(m, "lab"));
	yaml_vnet(m, VL_VIMAGE_HOST, VL_VIMAGE_HOST, f);
	struct json_object *js = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(js); i++)
		yaml_vnet(m, s_of(json_object_array_get_idx(js, i), "name"),
			  s_of(json_object_array_get_idx(js, i), "host"), f);
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		const char *ty = s_of(n, "type");
		char name[32];
		topo_name(m, n, name, sizeof(name));
		if (!strcmp(ty, "bridge") || !strcmp(ty, "hub") || !strcmp(ty, "tee"))
			fprintf(f, "  %s: { kind: %s }\n", name, ty);
		else if (!strcmp(ty, "pipe") && pipe_whole(m, n)) {
			fprintf(f, "  %s: ", name);
			yaml_pipe(s_of(n, "cfg"), f);
		} else if (json_object_object_get(n, "ifname") && !wired(m, n))
			/* An interface with nothing behind it still exists:
			 * give it a port of its own. */
			fprintf(f, "  lone%x: { kind: hub }\n", (unsigned)i_of(n, "id"));
	}
	yaml_links(m, f);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		char x[64];
		if (json_object_object_get(n, "ifname") && !wired(m, n)) {
			snprintf(x, sizeof(x), "%s:%s",
				 *s_of(n, "vnet") ? s_of(n, "vnet") : VL_VIMAGE_HOST, s_of(n, "ifname"));
			fprintf(f, "  - [\"%s\", \"lone%x:port\"]\n", x, (unsigned)i_of(n, "id"));
		}
	}
	fclose(f);
	return t.s;
}

int vl_vimage_check(struct json_object *m, struct vl_err *err)
{
	char *yaml = vl_vimage_topology(m);
	if (!yaml)
		return vl_errf(err, "out of memory"), -ENOMEM;
	struct vl_topo *t = NULL;
	struct vl_err why;
	vl_err_init(&why);
	int rc = vl_topo_load_buffer("the jails' network", yaml, strlen(yaml), &t, &why);
	free(yaml);
	vl_topo_free(t);
	if (rc < 0)
		return vl_errf(err, "refused: this change would make a network vnetlab "
			       "cannot build: %s", why.msg), -EINVAL;
	return 0;
}

