/* SPDX-License-Identifier: BSD-2-Clause */
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

/* glibc 2.32 and later name every errno it knows (strerrorname_np);
 * elsewhere (FreeBSD, musl, older glibc) this table does, for the errnos
 * POSIX defines and those a network tool meets (-DVL_ERRNO_TABLE builds
 * the table on glibc too, to test it). */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32)) && \
    !defined(VL_ERRNO_TABLE)
#define VL_HAVE_STRERRORNAME_NP 1
#endif

#ifndef VL_HAVE_STRERRORNAME_NP
#define N(e) {e, #e}
static const struct { int n; const char *s; } errno_names[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV), N(ENOTDIR),
	N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY), N(ETXTBSY),
	N(EFBIG), N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK), N(EPIPE),
	N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG), N(ENOLCK), N(ENOSYS),
	N(ENOTEMPTY), N(ELOOP), N(ENOMSG), N(EIDRM), N(ENOSTR), N(ENODATA),
	N(ETIME), N(ENOSR), N(ENOLINK), N(EPROTO), N(EMULTIHOP), N(EBADMSG),
	N(EOVERFLOW), N(EILSEQ), N(ENOTSOCK), N(EDESTADDRREQ), N(EMSGSIZE),
	N(EPROTOTYPE), N(ENOPROTOOPT), N(EPROTONOSUPPORT), N(EOPNOTSUPP),
	N(EAFNOSUPPORT), N(EADDRINUSE), N(EADDRNOTAVAIL), N(ENETDOWN),
	N(ENETUNREACH), N(ENETRESET), N(ECONNABORTED), N(ECONNRESET),
	N(ENOBUFS), N(EISCONN), N(ENOTCONN), N(ETIMEDOUT), N(ECONNREFUSED),
	N(EHOSTUNREACH), N(EALREADY), N(EINPROGRESS), N(ESTALE), N(EDQUOT),
	N(ECANCELED), N(EOWNERDEAD), N(ENOTRECOVERABLE), N(ENOTSUP),
#ifdef ESOCKTNOSUPPORT
	N(ESOCKTNOSUPPORT),
#endif
#ifdef EPFNOSUPPORT
	N(EPFNOSUPPORT),
#endif
#ifdef ESHUTDOWN
	N(ESHUTDOWN),
#endif
#ifdef ETOOMANYREFS
	N(ETOOMANYREFS),
#endif
#ifdef EHOSTDOWN
	N(EHOSTDOWN),
#endif
#ifdef EUSERS
	N(EUSERS),
#endif
#ifdef ENOTBLK
	N(ENOTBLK),
#endif
#ifdef ENOTCAPABLE
	N(ENOTCAPABLE),
#endif
#ifdef ECAPMODE
	N(ECAPMODE),
#endif
#ifdef EINTEGRITY
	N(EINTEGRITY),
#endif
#ifdef EAUTH
	N(EAUTH),
#endif
#ifdef ENEEDAUTH
	N(ENEEDAUTH),
#endif
#ifdef EPROCLIM
	N(EPROCLIM),
#endif
#ifdef EDOOFUS
	N(EDOOFUS),
#endif
};
#undef N
#endif

const char *vl_errno_name(int errnum)
{
#ifdef VL_HAVE_STRERRORNAME_NP
	const char *s = strerrorname_np(errnum);
	return s ? s : "E?";
#else
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].n == errnum)
			return errno_names[i].s;
	return "E?";
#endif
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
