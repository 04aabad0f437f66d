/* SPDX-License-Identifier: BSD-2-Clause */
/* fault.c — VNETLAB_FAULT, see fault.h. */
#include "vnetlab/fault.h"

#include <stdlib.h>
#include <string.h>

struct vl_fault vl_fault_get(void)
{
	static const struct { const char *prefix; enum vl_fault_kind kind; } kinds[] = {
		{"fail:", VL_FAULT_FAIL}, {"nlfail:", VL_FAULT_NLFAIL},
		{"kill:", VL_FAULT_KILL}, {"killup:", VL_FAULT_KILLUP}};
	struct vl_fault f = {VL_FAULT_NONE, 0};
	const char *s = getenv("VNETLAB_FAULT");
	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (strncmp(s, kinds[i].prefix, n) != 0)
			continue;
		char *end;
		f.step = strtoul(s + n, &end, 10);
		f.kind = *end || f.step == 0 ? VL_FAULT_NONE : kinds[i].kind;
		break;
	}
	return f;
}

/* The one counter outside a lab context: netlink requests are sent from
 * several modules (backend, probe, ifctl) through nl.c, and "the K-th
 * request of this process" is what makes the walk deterministic. */
static size_t nl_requests;

bool vl_fault_nl_request(void)
{
	nl_requests++;
	struct vl_fault f = vl_fault_get();
	return f.kind == VL_FAULT_NLFAIL && f.step == nl_requests;
}

size_t vl_fault_nl_count(void)
{
	return nl_requests;
}
