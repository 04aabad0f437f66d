/* SPDX-License-Identifier: BSD-2-Clause */
/* jail.c — jail -c, jail -r and jls on the model (vimage.h). */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <string.h>

bool vl_vimage_has_jail(struct json_object *m, const char *name)
{
	return vimg_jail(m, name) != NULL;
}

int vl_vimage_jail_create(struct json_object *m, const char *name, const char *host,
			  struct vl_err *err)
{
	const char *why = vl_check_node_name(name);
	if (!why && vimg_reserved_name(name))
		why = "is a name vnetlab gives unnamed netgraph nodes (ngN, loneN)";
	if (why || !strcmp(name, VL_VIMAGE_HOST))
		return vl_errf(err, "jail: name=%s: %s", name,
			       why ? why : "is the compat host's own node"), -EINVAL;
	if (vimg_jail(m, name))
		return vl_errf(err, "jail: %s: jail %s already exists", name, name), -EEXIST;
	struct json_object *j = json_object_new_object();
	set_s(j, "name", name);
	set_s(j, "host", host && *host ? host : name);
	set_i(j, "jid", next(m, "next_jid"));
	json_object_array_add(arr(m, "jails"), j);
	return 0;
}

/* Jail `name`'s interfaces go home to the host, as vnet_if_return() does
 * on FreeBSD: down, without addresses, and under a name the host does not
 * have yet (a line on out, when not their own). */
static void send_home(struct json_object *m, const char *name, FILE *out)
{
	struct json_object *ns = arr(m, "nodes");
	for (size_t k = 0; k < json_object_array_length(ns); k++) {
		struct json_object *n = json_object_array_get_idx(ns, k);
		if (!json_object_object_get(n, "ifname") || strcmp(s_of(n, "vnet"), name))
			continue;
		char was[64];
		snprintf(was, sizeof(was), "%s", s_of(n, "ifname"));
		vimg_vmove(n, "");
		vimg_unclash(m, n);
		if (out && strcmp(was, s_of(n, "ifname")))
			fprintf(out, "jail: %s: its %s is back on the host as %s (the host already "
				"has an interface %s)\n", name, was, s_of(n, "ifname"), was);
	}
}

int vl_vimage_jail_remove(struct json_object *m, const char *name, FILE *out,
			  struct vl_err *err)
{
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(s_of(json_object_array_get_idx(a, i), "name"), name)) {
			json_object_array_del_idx(a, i, 1);
			send_home(m, name, out);
			return 0;
		}
	return vl_errf(err, "jail: \"%s\" not found", name), -ENOENT;
}

void vl_vimage_jls(struct json_object *m, FILE *out)
{
	fprintf(out, "   JID  IP Address      Hostname                      Path\n");
	struct json_object *a = arr(m, "jails");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *j = json_object_array_get_idx(a, i);
		fprintf(out, "%6d  %-15s %-29s %s\n", i_of(j, "jid"), "", s_of(j, "host"), "/");
	}
}
