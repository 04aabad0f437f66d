/* SPDX-License-Identifier: BSD-2-Clause */
/* san.h — sanitizer hooks for processes that leave by _exit().
 *
 * LeakSanitizer looks at a process only at exit(); vnetlab's keeper and
 * `exec` leave by _exit() (the keeper shares an address space forked from
 * `up`, whose atexit handlers are not its own; `exec`, once in the lab's
 * PID namespace, could not be traced by LSan's forked helper).  They call
 * vl_leak_check() at the last point where a check is possible.  In a
 * plain build it is nothing. */
#ifndef VNETLAB_SAN_H
#define VNETLAB_SAN_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
static inline void vl_leak_check(void)
{
	__lsan_do_leak_check();
}
#else
static inline void vl_leak_check(void)
{
}
#endif

#endif
