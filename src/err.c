/* err.c — error context: formatted lines appended to a fixed buffer. */
#include "vnetlab/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vl_err_init(struct vl_err *e)
{
	e->msg[0] = '\0';
	e->len = 0;
	e->count = 0;
}

static void vappend(struct vl_err *e, const char *fmt, va_list ap)
{
	size_t room = sizeof(e->msg) - e->len;
	if (room <= 2)
		return; /* full: the first lines are the useful ones */
	if (e->len > 0) {
		e->msg[e->len++] = '\n';
		e->msg[e->len] = '\0';
		room--;
	}
	int n = vsnprintf(e->msg + e->len, room, fmt, ap);
	if (n < 0)
		return;
	e->len += (size_t)n < room ? (size_t)n : room - 1;
	e->count++;
}

int vl_errf(struct vl_err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(e, fmt, ap);
	va_end(ap);
	return -1;
}

const char *vl_errno_name(int errnum)
{
	static const struct { int n; const char *s; } names[] = {
		{EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"},
		{EINTR, "EINTR"}, {EIO, "EIO"}, {E2BIG, "E2BIG"},
		{EBADF, "EBADF"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},
		{EACCES, "EACCES"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"},
		{ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"}, {EINVAL, "EINVAL"},
		{ENFILE, "ENFILE"}, {EMFILE, "EMFILE"}, {ENOSPC, "ENOSPC"},
		{ERANGE, "ERANGE"}, {ENAMETOOLONG, "ENAMETOOLONG"},
		{ENOSYS, "ENOSYS"}, {ENOTEMPTY, "ENOTEMPTY"},
		{EOPNOTSUPP, "EOPNOTSUPP"}, {EADDRINUSE, "EADDRINUSE"},
		{EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {ENETDOWN, "ENETDOWN"},
		{ENETUNREACH, "ENETUNREACH"}, {ECONNREFUSED, "ECONNREFUSED"},
		{ENOTCONN, "ENOTCONN"}, {ETIMEDOUT, "ETIMEDOUT"},
		{EHOSTUNREACH, "EHOSTUNREACH"}, {ENOBUFS, "ENOBUFS"},
		{EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {ENOTSUP, "ENOTSUP"},
		{ECHILD, "ECHILD"}, {EPIPE, "EPIPE"}, {EMSGSIZE, "EMSGSIZE"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].n == errnum)
			return names[i].s;
	return "E?";
}

int vl_err_sys(struct vl_err *e, int errnum, const char *fmt, ...)
{
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	vl_errf(e, "%s: %s (%s)", what, strerror(errnum), vl_errno_name(errnum));
	return -errnum;
}
