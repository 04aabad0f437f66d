/* SPDX-License-Identifier: BSD-2-Clause */
/* import.c — which format a topology file is, and the one loader for all
 * of them (import.h). */
#include "vnetlab/import.h"
#include "vnetlab/yamltree.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vl_format_name(enum vl_format f)
{
	static const char *const names[VL_FMT__COUNT] = {
		[VL_FMT_VNETLAB] = "vnetlab",
		[VL_FMT_IMUNES_JSON] = "IMUNES (JSON)",
		[VL_FMT_IMUNES_TCL] = "IMUNES (legacy)",
		[VL_FMT_CLAB] = "containerlab",
	};
	return f < VL_FMT__COUNT ? names[f] : "?";
}

/* IMUNES's JSON: "nodes" is an object of nodes that have a "type"
 * (vnetlab's JSON has "kind"), beside IMUNES's own top-level keys. */
static bool imunes_json(const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	if (!tok)
		return false;
	struct json_object *o = json_tokener_parse_ex(tok, buf, (int)(len < 0x7fffffff ? len : 0));
	json_tokener_free(tok);
	bool yes = false;
	struct json_object *nodes = json_object_object_get(o, "nodes");
	if (json_object_is_type(nodes, json_type_object)) {
		json_object_object_foreach(nodes, k, v) {
			(void)k;
			yes = json_object_object_get(v, "type") && !json_object_object_get(v, "kind");
			break;
		}
		yes = yes || json_object_object_get(o, "canvases") || json_object_object_get(o, "options");
	}
	json_object_put(o);
	return yes;
}

/* The legacy form: Tcl lists, "node n0 {", "link l0 {" at a line's
 * start, before anything a YAML file would have there. */
static bool imunes_tcl(const char *buf, size_t len)
{
	static const char *const words[] = {"node", "link", "canvas", "annotation", "option"};
	size_t i = 0;
	while (i < len) {
		while (i < len && isspace((unsigned char)buf[i]))
			i++;
		if (i < len && buf[i] == '#') { /* a comment line */
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			size_t n = strlen(words[w]);
			if (len - i > n && !strncmp(buf + i, words[w], n) && buf[i + n] == ' ') {
				const char *e = memchr(buf + i, '\n', len - i);
				size_t end = e ? (size_t)(e - buf) : len;
				for (size_t j = i + n; j < end; j++)
					if (buf[j] == '{')
						return true;
			}
		}
		return false;
	}
	return false;
}

/* containerlab: a top-level "topology" mapping (vnetlab's keys are
 * name, nodes and links). */
static bool clab(const char *buf, size_t len)
{
	struct vl_ynode *root = NULL;
	struct vl_err quiet;
	vl_err_init(&quiet);
	if (vl_yaml_parse("-", buf, len, &root, &quiet) < 0)
		return false;
	const struct vl_ynode *t = vl_ymap_get(root, "topology");
	bool yes = t && t->type == VL_Y_MAP;
	vl_ynode_free(root);
	return yes;
}

enum vl_format vl_format_detect(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '{' && imunes_json(buf + i, len - i))
		return VL_FMT_IMUNES_JSON;
	if (imunes_tcl(buf, len))
		return VL_FMT_IMUNES_TCL;
	if (clab(buf, len))
		return VL_FMT_CLAB;
	return VL_FMT_VNETLAB;
}

static int load_vnetlab(const char *file, const char *buf, size_t len, struct vl_topo **out,
			struct vl_err *warn, struct vl_err *err)
{
	(void)warn;
	return vl_topo_load_buffer(file, buf, len, out, err);
}

int vl_topo_load_any_buffer(const char *file, const char *buf, size_t len,
			    struct vl_topo **out, enum vl_format *format, struct vl_err *warn,
			    struct vl_err *err)
{
	static const vl_import_fn importers[VL_FMT__COUNT] = {
		[VL_FMT_VNETLAB] = load_vnetlab,
		[VL_FMT_IMUNES_JSON] = vl_import_imunes_json,
		[VL_FMT_IMUNES_TCL] = vl_import_imunes_tcl,
		[VL_FMT_CLAB] = vl_import_clab,
	};
	enum vl_format f = vl_format_detect(buf, len);
	if (format)
		*format = f;
	*out = NULL;
	return importers[f](file, buf, len, out, warn, err);
}

int vl_topo_load_any(const char *path, struct vl_topo **out, enum vl_format *format,
		     struct vl_err *warn, struct vl_err *err)
{
	*out = NULL;
	char *buf;
	size_t len;
	int rc = vl_topo_read_file(path, &buf, &len, err);
	if (rc < 0)
		return rc;
	rc = vl_topo_load_any_buffer(path, buf, len, out, format, warn, err);
	free(buf);
	return rc;
}
