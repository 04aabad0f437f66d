/* SPDX-License-Identifier: BSD-2-Clause */
/* privs.c — capability checks through libcap. */
#include "vnetlab/privs.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#if VL_LINUX
#include <sys/capability.h>

bool vl_privs_has(int cap)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t f = CAP_CLEAR;
	bool ok = caps && cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &f) == 0 &&
		  f == CAP_SET;
	if (caps)
		cap_free(caps);
	return ok;
}

bool vl_privs_root_mode(void)
{
	return vl_mode_from_caps(vl_privs_has(CAP_SYS_ADMIN), vl_privs_has(CAP_NET_ADMIN)) ==
	       VL_MODE_ROOT;
}
#else
/* Elsewhere (FreeBSD: jail(8) and netgraph) root is root. */
bool vl_privs_has(int cap)
{
	(void)cap;
	return geteuid() == 0;
}

bool vl_privs_root_mode(void)
{
	return geteuid() == 0;
}
#endif

void vl_privs_raise_nofile(size_t want)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0 || r.rlim_cur >= (rlim_t)want)
		return;
	/* Past the hard limit only with CAP_SYS_RESOURCE (root mode), and
	 * never past what the kernel allows a process (fs.nr_open). */
	if ((rlim_t)want > r.rlim_max) {
		unsigned long nr_open = 0;
		FILE *f = fopen("/proc/sys/fs/nr_open", "re");
		if (f && fscanf(f, "%lu", &nr_open) != 1)
			nr_open = 0;
		if (f)
			fclose(f);
		struct rlimit more = {(rlim_t)want, (rlim_t)want};
		if (nr_open && more.rlim_max > nr_open)
			more.rlim_cur = more.rlim_max = nr_open;
		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return;
	}
	r.rlim_cur = (rlim_t)want < r.rlim_max ? (rlim_t)want : r.rlim_max;
	setrlimit(RLIMIT_NOFILE, &r);
}

enum vl_mode vl_mode_from_caps(bool sys_admin, bool net_admin)
{
	return sys_admin && net_admin ? VL_MODE_ROOT : VL_MODE_ROOTLESS;
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
