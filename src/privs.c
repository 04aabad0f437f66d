/* privs.c — capability checks through libcap. */
#include "vnetlab/privs.h"

#include <errno.h>
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

int vl_privs_require(struct vl_err *err)
{
	if (vl_privs_root_mode())
		return 0;
	/* Rootless labs through user namespaces are issue 3; until then say
	 * so plainly rather than fail later with a bare EPERM. */
	vl_errf(err, "making a lab needs CAP_SYS_ADMIN and CAP_NET_ADMIN (run as "
		"root); rootless mode is not available yet");
	return -EPERM;
}
