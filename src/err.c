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

/* Put one byte of a message, escaped if it could act on a terminal or
 * split a line: C0 controls, DEL, and C1 controls (UTF-8 C2 80..C2 9F).
 * Messages quote user input (keys, names), and a file must not be able to
 * forge an error line or move the cursor.  Returns bytes of src used. */
static size_t put_escaped(char *dst, size_t room, const unsigned char *src,
			  size_t *out)
{
	char esc[8];
	size_t used = 1;
	if (src[0] < 0x20 || src[0] == 0x7f)
		snprintf(esc, sizeof(esc), "\\x%02x", src[0]);
	else if (src[0] == 0xc2 && src[1] >= 0x80 && src[1] <= 0x9f)
		snprintf(esc, sizeof(esc), "\\u%04x", src[1]), used = 2;
	else
		esc[0] = (char)src[0], esc[1] = '\0';
	size_t n = strlen(esc);
	if (n + 1 > room)
		return 0;
	memcpy(dst, esc, n);
	*out = n;
	return used;
}

static void vappend(struct vl_err *e, const char *fmt, va_list ap)
{
	size_t room = sizeof(e->msg) - e->len;
	if (room <= 2)
		return; /* full: the first lines are the useful ones */
	char line[sizeof(e->msg)];
	if (vsnprintf(line, sizeof(line), fmt, ap) < 0)
		return;
	if (e->len > 0) {
		e->msg[e->len++] = '\n';
		room--;
	}
	const unsigned char *p = (const unsigned char *)line;
	while (*p) {
		size_t wrote = 0, used = put_escaped(e->msg + e->len, room, p, &wrote);
		if (!used)
			break;
		p += used;
		e->len += wrote;
		room -= wrote;
	}
	e->msg[e->len] = '\0';
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
