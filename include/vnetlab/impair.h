/* SPDX-License-Identifier: BSD-2-Clause */
/* impair.h — link impairments (ng_pipe's parameters) and their units.
 *
 * Promise: one direction of a link is described by struct vl_impair, in
 * exact integer units (bit/s, ns, parts per billion) so that a plan and
 * its rendering never depend on floating-point formatting.  The parsers
 * take values the way people write them ("10Mbit", "5ms", "0.1%",
 * "1e-6") and refuse anything else with a message that shows the forms
 * accepted.
 */
#ifndef VNETLAB_IMPAIR_H
#define VNETLAB_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vl_param {
	VL_P_BANDWIDTH,  /* bit/s */
	VL_P_DELAY,      /* ns, one way */
	VL_P_JITTER,     /* ns, uniform in [-jitter, +jitter], never reorders */
	VL_P_LOSS,       /* ppb of frames dropped */
	VL_P_DUPLICATE,  /* ppb of frames sent twice */
	VL_P_BER,        /* bit-error rate, 1e-18 units; a hit frame is dropped */
	VL_P_QUEUE,      /* frames waiting for the wire before tail drop */
	VL_P__COUNT
};

#define VL_PPB 1000000000ull

/* Queueing disciplines a kernel may offer for impairments. */
enum {
	VL_QDISC_NETEM = 1 << 0, /* delay, jitter, loss, duplication */
	VL_QDISC_TBF = 1 << 1,   /* bandwidth, queue */
	VL_QDISC_HTB = 1 << 2,
};

struct vl_impair {
	unsigned set;             /* bit (1 << enum vl_param) per given value */
	uint64_t v[VL_P__COUNT];
};

const char *vl_param_name(enum vl_param p);
int vl_param_from_name(const char *s, enum vl_param *out);

/* Delay and jitter: at most a minute, or an hour with VL_PARAM_FORCE
 * (`vnetlab link ... --force`): a typo must not stall a link for an hour. */
#define VL_DELAY_MAX_NS 60e9
#define VL_DELAY_FORCE_MAX_NS 3600e9
#define VL_PARAM_FORCE 1u

/* Parse one value of parameter p.  0, or -EINVAL with a reason in why.
 * Numbers are strict decimals (vl_decimal).  Zero is a value (removal is
 * the caller's business), except bandwidth, where zero is refused; so are
 * rates in bytes ("10MBps", "1MB/s": B is a byte), with the bits proposed. */
int vl_param_parse(enum vl_param p, const char *s, uint64_t *out, char *why,
		   size_t whylen);
int vl_param_parse_opt(enum vl_param p, const char *s, unsigned flags, uint64_t *out,
		       char *why, size_t whylen);
/* One direction's values make sense together: jitter needs a delay at
 * least as large (a frame cannot leave before it was sent).  0, or
 * -EINVAL with the reason in why. */
int vl_impair_check(const struct vl_impair *im, char *why, size_t whylen);

/* Strict numbers, for link values and every numeric command-line option:
 * decimal digits with an optional fraction and exponent ("1.5", ".5",
 * "2e-6"); no sign, hex ("0x10"), inf, nan or leading blanks.
 * vl_decimal: with rest NULL the whole of s, else *rest is what follows
 * the number (a unit).  -EINVAL: not such a number; -ERANGE: too large.
 * vl_uint_arg: digits only, within [min, max].  vl_real_arg: a strict
 * decimal within [min, max].  Both: -EINVAL not a number, -ERANGE out of
 * range. */
int vl_decimal(const char *s, double *out, const char **rest);
int vl_uint_arg(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out);
int vl_real_arg(const char *s, double min, double max, double *out);
/* Human form of a value ("10Mbit", "5ms", "0.1%"), exact where possible. */
void vl_param_format(enum vl_param p, uint64_t v, char *buf, size_t len);

static inline bool vl_impair_has(const struct vl_impair *im, enum vl_param p)
{
	return im->set & (1u << p);
}
static inline bool vl_impair_any(const struct vl_impair *im)
{
	return im->set != 0;
}
void vl_impair_set(struct vl_impair *im, enum vl_param p, uint64_t v);
/* The part of im whose parameters are in set (the others cleared, values
 * too): what one carrier — qdisc or pipe — of a direction applies. */
struct vl_impair vl_impair_only(const struct vl_impair *im, unsigned set);
/* "delay, loss" for a set of (1 << vl_param) bits. */
void vl_param_names(unsigned set, char *buf, size_t len);
/* The whole direction as "delay 5ms loss 0.1%" ("none" when empty). */
void vl_impair_format(const struct vl_impair *im, char *buf, size_t len);

#endif
