/* privs.c — capability checks through libcap. */
#include "vnetlab/privs.h"

#include <stdio.h>
#include <sys/capability.h>

static bool effective(cap_t caps, cap_value_t v)
{
	cap_flag_value_t f = CAP_CLEAR;
	return cap_get_flag(caps, v, CAP_EFFECTIVE, &f) == 0 && f == CAP_SET;
}

bool vl_privs_root_mode(void)
{
	cap_t caps = cap_get_proc();
	if (!caps)
		return false;
	bool ok = effective(caps, CAP_SYS_ADMIN) && effective(caps, CAP_NET_ADMIN);
	cap_free(caps);
	return ok;
}

enum vl_mode vl_privs_mode(void)
{
	return vl_privs_root_mode() ? VL_MODE_ROOT : VL_MODE_ROOTLESS;
}

const char *vl_mode_name(enum vl_mode m)
{
	return m == VL_MODE_ROOT ? "root" : "rootless";
}

bool vl_privs_initial_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	if (!f)
		return false;
	unsigned long inner, outer, count;
	int n = fscanf(f, "%lu %lu %lu", &inner, &outer, &count);
	int more = fgetc(f) != EOF && fgetc(f) != EOF;
	fclose(f);
	return n == 3 && inner == 0 && outer == 0 && count == 4294967295UL && !more;
}
