/* common.c — helpers shared by the verb files. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

extern const char vl_demo_topology[];
extern const size_t vl_demo_topology_len;

int cli_fail(const struct vl_err *err)
{
	const char *p = err->msg;
	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "vnetlab: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	if (!err->count)
		fprintf(stderr, "vnetlab: failed\n");
	return 1;
}

int cli_load(const char *file, struct vl_topo **t, struct vl_err *err)
{
	if (!file)
		return vl_topo_load_buffer("<built-in demo>", vl_demo_topology,
					   vl_demo_topology_len, t, err);
	return vl_topo_load_file(file, t, err);
}

int cli_foreach_lab(int (*fn)(const struct vl_lab_paths *, void *), void *arg)
{
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) < 0)
		return cli_fail(&err);
	int rc = vl_lab_foreach(root, fn, arg);
	if (rc < 0) {
		vl_err_sys(&err, -rc, "reading %s", root);
		return cli_fail(&err);
	}
	return 0;
}

int cli_lab(const char *lab, struct vl_lab_paths *p, struct vl_err *err)
{
	char root[PATH_MAX / 2 - 64];
	int rc = vl_state_root(root, sizeof(root), false, err);
	return rc < 0 ? rc : vl_lab_paths(root, lab, p, err);
}
