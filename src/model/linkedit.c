/* SPDX-License-Identifier: BSD-2-Clause */
/* linkedit.c — parsing live link changes (linkedit.h). */
#include "vnetlab/linkedit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Which link joins a and b, and whether the user named its ends in the
 * topology's order (*swapped false) or the other way round. */
static long find_link(const struct vl_topo *t, const char *a, const char *b,
		      bool *swapped)
{
	char x[2 * VL_NAME_MAX + 2], y[2 * VL_NAME_MAX + 2];
	for (size_t l = 0; l < t->n_links; l++) {
		vl_endpoint_name(t, &t->links[l].ep[0], x, sizeof(x));
		if (t->links[l].has_tunnel) /* its far end: "vxlan:VNI" */
			snprintf(y, sizeof(y), "vxlan:%u", (unsigned)t->links[l].tunnel.vni);
		else
			vl_endpoint_name(t, &t->links[l].ep[1], y, sizeof(y));
		if (!strcmp(a, x) && !strcmp(b, y))
			return *swapped = false, (long)l;
		if (!strcmp(a, y) && !strcmp(b, x))
			return *swapped = true, (long)l;
	}
	return -1;
}

/* The words that remove a parameter.  Any value that parses to zero does
 * too (0ms, 0%); bandwidth has no zero (vl_param_parse refuses it), so a
 * bare 0 is read as its value there and refused with the reason. */
static bool removes(enum vl_param p, const char *v)
{
	return !strcmp(v, "none") || !strcmp(v, "off") ||
	       (p != VL_P_BANDWIDTH && !strcmp(v, "0"));
}

static const char *const dir_names[] = {"downstream", "upstream"};

static bool is_direction(const char *w)
{
	return !strcmp(w, "downstream") || !strcmp(w, "upstream") || !strcmp(w, "both");
}

/* "set" words: direction switches and PARAM VALUE pairs.  dirs is a bit
 * set of user directions (1: downstream, 2: upstream).  A parameter given
 * twice for a direction, or a direction followed by no parameter, is a
 * mistake to name, not something to guess at. */
static int parse_set(int argc, char *const argv[], bool swapped, bool tunnel,
		     unsigned flags, struct vl_link_edit *e, struct vl_err *err)
{
	/* A tunnel end has one direction here: the one leaving this host. */
	unsigned dirs = tunnel ? 1 : 3, given[2] = {0, 0};
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (tunnel && is_direction(argv[i]) && argv[i][0] != 'd')
			return vl_errf(err, "'%s': a tunnel end carries only the direction "
				       "leaving this host (downstream); set the other on "
				       "the other host's end", argv[i]), -EINVAL;
		if (is_direction(argv[i])) {
			if (i + 1 == argc || is_direction(argv[i + 1]))
				return vl_errf(err, "'%s' %s: name a parameter after a "
					       "direction, e.g. set downstream delay 5ms "
					       "upstream delay 10ms", argv[i],
					       i + 1 == argc ? "ends the command"
							     : "is followed by another direction"),
				       -EINVAL;
			dirs = argv[i][0] == 'd' ? 1 : argv[i][0] == 'u' ? 2 : 3;
			continue;
		}
		enum vl_param p;
		if (vl_param_from_name(argv[i], &p) < 0)
			return vl_errf(err, "'%s' is not a link parameter (bandwidth, "
				       "delay, jitter, loss, duplicate, ber, queue) "
				       "nor a direction (downstream, upstream, both)",
				       argv[i]), -EINVAL;
		if (i + 1 == argc)
			return vl_errf(err, "%s needs a value", argv[i]), -EINVAL;
		const char *v = argv[++i];
		uint64_t val = 0;
		char why[256];
		bool rm = removes(p, v);
		if (!rm && vl_param_parse_opt(p, v, flags, &val, why, sizeof(why)) < 0)
			return vl_errf(err, "%s (none removes it)", why), -EINVAL;
		rm = rm || val == 0;
		for (int d = 0; d < 2; d++) {
			if (!(dirs & (1u << d)))
				continue;
			if (given[d] & (1u << p))
				return vl_errf(err, "%s is given twice for %s: say each "
					       "parameter once per direction", argv[i - 1],
					       dir_names[d]), -EINVAL;
			given[d] |= 1u << p;
			int td = swapped ? !d : d; /* topology direction */
			if (rm) {
				e->unset[td] |= 1u << p;
				e->set[td].set &= ~(1u << p);
			} else {
				vl_impair_set(&e->set[td], p, val);
				e->unset[td] &= ~(1u << p);
			}
		}
		n++;
	}
	if (!n)
		return vl_errf(err, "set what? e.g. set delay 10ms loss 1%%"), -EINVAL;
	return 0;
}

int vl_link_edit_parse(const struct vl_topo *t, int argc, char *const argv[],
		       struct vl_link_edit *e, struct vl_err *err)
{
	memset(e, 0, sizeof(*e));
	/* --force, anywhere: values past the usual bounds (impair.h). */
	char *words[64];
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			e->force = true;
		else if (n < 64)
			words[n++] = argv[i];
		else
			return vl_errf(err, "too many words"), -E2BIG;
	}
	argc = n;
	argv = words;
	if (argc < 2)
		return vl_errf(err, "name the link by its two ends: A:IF B:IF"), -EINVAL;
	bool swapped;
	long l = find_link(t, argv[0], argv[1], &swapped);
	if (l < 0)
		return vl_errf(err, "lab '%s' has no link between %s and %s",
			       t->name, argv[0], argv[1]), -ENOENT;
	bool tunnel = t->links[l].has_tunnel;
	if (tunnel)
		swapped = false; /* downstream is always the leaving direction */
	e->link = (size_t)l;
	e->swapped = swapped;
	const char *verb = argc > 2 ? argv[2] : "show";
	static const char *const verbs[] = {"show", "set", "clear", "up", "down"};
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (!strcmp(verb, verbs[v]))
			e->action = (enum vl_link_action)v;
	if (strcmp(verb, verbs[e->action]))
		return vl_errf(err, "'%s': expected show, set, clear, up or down",
			       verb), -EINVAL;
	if (e->action == VL_LINK_SET)
		return parse_set(argc - 3, argv + 3, swapped, tunnel,
				 e->force ? VL_PARAM_FORCE : 0, e, err);
	if (argc > 3)
		return vl_errf(err, "'%s' takes no further words (got '%s')", verb,
			       argv[3]), -EINVAL;
	return 0;
}

void vl_link_edit_apply(const struct vl_link_edit *e, const struct vl_impair cur[2],
			struct vl_impair out[2])
{
	for (int d = 0; d < 2; d++) {
		out[d] = cur[d];
		if (e->action == VL_LINK_CLEAR) {
			out[d] = (struct vl_impair){0};
			continue;
		}
		if (e->action != VL_LINK_SET)
			continue;
		out[d] = vl_impair_only(&cur[d], ~e->unset[d]);
		for (int p = 0; p < VL_P__COUNT; p++)
			if (vl_impair_has(&e->set[d], (enum vl_param)p))
				vl_impair_set(&out[d], (enum vl_param)p, e->set[d].v[p]);
	}
}

int vl_link_edit_check(const struct vl_link_edit *e, const struct vl_impair out[2],
		       struct vl_err *err)
{
	for (int d = 0; d < 2; d++) {
		char why[256];
		int td = e->swapped ? !d : d;
		if (vl_impair_check(&out[td], why, sizeof(why)) < 0)
			return vl_errf(err, "%s: %s", dir_names[d], why), -EINVAL;
	}
	return 0;
}
