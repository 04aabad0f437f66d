/* SPDX-License-Identifier: BSD-2-Clause */
/* common.c — helpers shared by the verb files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/import.h"
#include "vnetlab/yamltree.h"
#include "vnetlab/impair.h"

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

char *cli_read_stdin(size_t max, size_t *len, struct vl_err *err)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				vl_errf(err, "<stdin>: more than %zu bytes", max);
				return NULL;
			}
			cap = cap * 2 > max ? max : cap * 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				break;
			buf = nb;
		}
		/* read(2), not stdio: a NUL byte ends the text as EOF does,
		 * and a reader must not block past it for a buffer's worth
		 * (`up - --tied`: the controller keeps stdin open after it). */
		ssize_t got = read(0, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			vl_err_sys(err, errno, "reading stdin");
			return NULL;
		}
		char *nul = got ? memchr(buf + n, '\0', (size_t)got) : NULL;
		n = nul ? (size_t)(nul - buf) : n + (size_t)got;
		if (got == 0 || nul) {
			buf[n] = '\0';
			*len = n;
			return buf;
		}
	}
	free(buf);
	vl_errf(err, "<stdin>: out of memory");
	return NULL;
}

int cli_load(const char *file, struct vl_topo **t, struct vl_err *err)
{
	if (!file)
		return vl_topo_load_buffer("<built-in demo>", vl_demo_topology,
					   vl_demo_topology_len, t, err);
	/* vnetlab's own, IMUNES's or containerlab's: by content.  What an
	 * importer ignored or approximated is said, never dropped. */
	struct vl_err warn;
	vl_err_init(&warn);
	int rc;
	if (!strcmp(file, "-")) {
		/* "-": the topology on stdin (a host's part of a lab over
		 * several hosts comes this way over ssh). */
		size_t len = 0;
		char *buf = cli_read_stdin(VL_YAML_MAX_BYTES, &len, err);
		if (!buf)
			return -EINVAL;
		rc = vl_topo_load_any_buffer("<stdin>", buf, len, t, NULL, &warn, err);
		free(buf);
	} else {
		rc = vl_topo_load_any(file, t, NULL, &warn, err);
	}
	for (const char *p = warn.msg; warn.len && *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(stderr, "vnetlab: %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	return rc;
}

bool cli_mn_opt(struct cli_mn *m, int c, const char *arg)
{
	switch (c) {
	case 'T': m->topo = arg; return true;
	case 'L': m->link = arg; return true;
	case 'M': m->mac = true; return true;
	default: return false;
	}
}

int cli_mn_check(const struct cli_mn *m, const char *verb, int nfile)
{
	if (m->topo && nfile > 0) {
		fprintf(stderr, "vnetlab: %s: --topo takes the place of a topology file: "
			"give one or the other\n", verb);
		return 2;
	}
	if (!m->topo && (m->link || m->mac)) {
		fprintf(stderr, "vnetlab: %s: %s belongs to --topo (a Mininet topology)\n",
			verb, m->link ? "--link" : "--mac");
		return 2;
	}
	return 0;
}

int cli_load_mn(const struct cli_mn *m, const char *file, struct vl_topo **t,
		struct vl_err *err)
{
	if (!m->topo)
		return cli_load(file, t, err);
	return vl_topo_mininet_flags(m->topo, m->link, m->mac ? VL_MN_MAC : 0, t, err);
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

int cli_uint_opt(const char *verb, const char *opt, const char *s,
		 unsigned long long min, unsigned long long max, const char *unit,
		 unsigned long long *out)
{
	int rc = vl_uint_arg(s, min, max, out);
	if (rc == 0)
		return 0;
	fprintf(stderr, "vnetlab: %s: %s '%s' %s: write a whole number from %llu "
		"to %llu%s%s (digits only)\n", verb, opt, s,
		rc == -ERANGE ? "is out of range" : "is not understood", min, max,
		*unit ? " " : "", unit);
	return 2;
}

int cli_real_opt(const char *verb, const char *opt, const char *s, double min,
		 double max, const char *unit, double *out)
{
	int rc = vl_real_arg(s, min, max, out);
	if (rc == 0)
		return 0;
	fprintf(stderr, "vnetlab: %s: %s '%s' %s: write a number from %.15g to %.15g%s%s "
		"(digits, e.g. 1.5)\n", verb, opt, s,
		rc == -ERANGE ? "is out of range" : "is not understood", min, max,
		*unit ? " " : "", unit);
	return 2;
}
