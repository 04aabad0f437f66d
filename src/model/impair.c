/* SPDX-License-Identifier: BSD-2-Clause */
/* impair.c — impairment parameters: names, units, formatting. */
#include "vnetlab/impair.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

static const char *const names[VL_P__COUNT] = {
	"bandwidth", "delay", "jitter", "loss", "duplicate", "ber", "queue"};

const char *vl_param_name(enum vl_param p)
{
	return names[p];
}

int vl_param_from_name(const char *s, enum vl_param *out)
{
	for (int p = 0; p < VL_P__COUNT; p++)
		if (strcmp(s, names[p]) == 0) {
			*out = (enum vl_param)p;
			return 0;
		}
	return -EINVAL;
}

struct unit {
	const char *suffix;
	double scale;
};

/* ---- strict numbers ------------------------------------------------------ */

/* The end of the decimal number at s (digits, an optional fraction, an
 * optional exponent), or NULL when s does not start with one. */
static const char *decimal_end(const char *s)
{
	const char *p = s;
	size_t digits = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return NULL;
	if (*p == 'e' || *p == 'E') {
		const char *q = p + 1;
		if (*q == '+' || *q == '-')
			q++;
		if (*q >= '0' && *q <= '9') {
			while (*q >= '0' && *q <= '9')
				q++;
			p = q;
		}
	}
	return p;
}

int vl_decimal(const char *s, double *out, const char **rest)
{
	const char *e = decimal_end(s);
	if (!e || (!rest && *e))
		return -EINVAL;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	/* strtod reads more than decimal_end does only for forms refused
	 * here (hex), and never less. */
	if (end != e || errno == ERANGE || !isfinite(v))
		return -ERANGE;
	*out = v;
	if (rest)
		*rest = e;
	return 0;
}

int vl_uint_arg(const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out)
{
	if (!s || !*s)
		return -EINVAL;
	unsigned long long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		unsigned d = (unsigned)(*p - '0');
		if (v > (~0ull - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int vl_real_arg(const char *s, double min, double max, double *out)
{
	double v;
	int rc = s ? vl_decimal(s, &v, NULL) : -EINVAL;
	if (rc < 0)
		return rc;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* ---- units ----------------------------------------------------------------- */

/* Bandwidth: bits per second, SI prefixes, in any case: "Mbps" and "mbps"
 * are megabit.  A capital B is a byte (as in MB/s; tc reads "mbps" as
 * megabytes): such units are refused, with the value in bits proposed. */
static const struct unit rate_units[] = {
	{"bit", 1}, {"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}, {"tbit", 1e12},
	{"bit/s", 1}, {"kbit/s", 1e3}, {"mbit/s", 1e6}, {"gbit/s", 1e9},
	{"bps", 1}, {"kbps", 1e3}, {"mbps", 1e6}, {"gbps", 1e9},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {NULL, 0}};
static const struct unit time_units[] = {
	{"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {NULL, 0}};

/* -EINVAL: not a number with one of units; -EDOM: a number without the
 * unit that is needed; -ENOTSUP: a rate in bytes (*out: its bits). */
static int scaled(const char *s, const struct unit *units, bool unit_needed,
		  double *out)
{
	const char *end;
	double v;
	if (vl_decimal(s, &v, &end) < 0)
		return -EINVAL;
	while (*end == ' ')
		end++;
	if (!*end) {
		*out = v;
		return unit_needed ? -EDOM : 0;
	}
	/* Bytes first: "MBps" must not match "mbps" (MBit is still a bit). */
	if (units == rate_units && (strcasestr(end, "byte") ||
				    (strchr(end, 'B') && !strcasestr(end, "bit")))) {
		static const char prefixes[] = "kmgt";
		const char *k = strchr(prefixes, tolower((unsigned char)end[0]));
		*out = v * 8 * (k && end[0] ? pow(1e3, (double)(k - prefixes + 1)) : 1);
		return -ENOTSUP;
	}
	for (const struct unit *u = units; u && u->suffix; u++)
		if (strcasecmp(end, u->suffix) == 0) {
			*out = v * u->scale;
			return 0;
		}
	return -EINVAL;
}

static int percent(const char *s, double *out)
{
	const char *end;
	double v;
	if (vl_decimal(s, &v, &end) < 0 || strcmp(end, "%") != 0 || v > 100)
		return -EINVAL;
	*out = v / 100;
	return 0;
}

int vl_param_parse_opt(enum vl_param p, const char *s, unsigned flags, uint64_t *out,
		       char *why, size_t whylen)
{
	double v = 0;
	int rc;
	switch (p) {
	case VL_P_BANDWIDTH:
		rc = scaled(s, rate_units, false, &v);
		if (rc == -ENOTSUP) {
			char bits[32];
			vl_param_format(p, (uint64_t)llround(v), bits, sizeof(bits));
			snprintf(why, whylen, "bandwidth '%s' is in bytes per second (B is a "
				 "byte): vnetlab takes bits per second; write %s", s, bits);
			return -EINVAL;
		}
		if (rc == 0 && v == 0) {
			snprintf(why, whylen, "bandwidth '%s' is zero, which passes nothing "
				 "(to cut a link: vnetlab link LAB A:IF B:IF down)", s);
			return -EINVAL;
		}
		if (rc == 0 && (v < 1000 || v > 1e12))
			rc = -ERANGE;
		if (rc < 0)
			snprintf(why, whylen, "bandwidth '%s' %s: write e.g. 10Mbit, "
				 "512kbit, 1Gbit (bits per second, 1kbit..1Tbit)", s,
				 rc == -ERANGE ? "is out of range" : "is not understood");
		*out = (uint64_t)llround(v);
		return rc < 0 ? -EINVAL : 0;
	case VL_P_DELAY:
	case VL_P_JITTER: {
		double max = flags & VL_PARAM_FORCE ? VL_DELAY_FORCE_MAX_NS : VL_DELAY_MAX_NS;
		rc = scaled(s, time_units, true, &v);
		if (rc == 0 && v > max)
			rc = -ERANGE;
		if (rc == -ERANGE && (flags & VL_PARAM_FORCE))
			snprintf(why, whylen, "%s '%s' is over an hour, the most even "
				 "--force allows", names[p], s);
		else if (rc == -ERANGE)
			snprintf(why, whylen, "%s '%s' is over %.0f s, the most a link "
				 "takes (a typo would stall it); `vnetlab link ... --force` "
				 "allows up to an hour", names[p], s, VL_DELAY_MAX_NS / 1e9);
		else if (rc < 0)
			snprintf(why, whylen, "%s '%s' %s: write e.g. 5ms, 250us, 1.5s",
				 names[p], s, rc == -EDOM ? "needs a unit"
							  : "is not understood");
		*out = (uint64_t)llround(v);
		return rc < 0 ? -EINVAL : 0;
	}
	case VL_P_LOSS:
	case VL_P_DUPLICATE:
		rc = percent(s, &v);
		if (rc < 0)
			snprintf(why, whylen, "%s '%s' is not understood: write a "
				 "percentage from 0%% to 100%%, e.g. 0.1%%", names[p], s);
		*out = (uint64_t)llround(v * VL_PPB);
		return rc;
	case VL_P_BER:
		rc = scaled(s, NULL, false, &v);
		if (rc == 0 && v >= 1)
			rc = -ERANGE;
		if (rc < 0)
			snprintf(why, whylen, "ber '%s' is not understood: write the "
				 "probability of a bit error, below 1, e.g. 1e-6", s);
		*out = (uint64_t)llround(v * 1e18);
		return rc < 0 ? -EINVAL : 0;
	case VL_P_QUEUE: {
		unsigned long long q;
		if (vl_uint_arg(s, 1, 1000000, &q) < 0) {
			snprintf(why, whylen, "queue '%s' is not understood: write a "
				 "number of frames, 1 to 1000000", s);
			return -EINVAL;
		}
		*out = q;
		return 0;
	}
	default:
		snprintf(why, whylen, "unknown parameter");
		return -EINVAL;
	}
}

int vl_param_parse(enum vl_param p, const char *s, uint64_t *out, char *why,
		   size_t whylen)
{
	return vl_param_parse_opt(p, s, 0, out, why, whylen);
}

int vl_impair_check(const struct vl_impair *im, char *why, size_t whylen)
{
	if (!vl_impair_has(im, VL_P_JITTER))
		return 0;
	char j[32], d[32];
	vl_param_format(VL_P_JITTER, im->v[VL_P_JITTER], j, sizeof(j));
	if (!vl_impair_has(im, VL_P_DELAY)) {
		snprintf(why, whylen, "jitter %s without a delay: jitter varies the "
			 "delay, so give a delay of at least %s", j, j);
		return -EINVAL;
	}
	if (im->v[VL_P_JITTER] > im->v[VL_P_DELAY]) {
		vl_param_format(VL_P_DELAY, im->v[VL_P_DELAY], d, sizeof(d));
		snprintf(why, whylen, "jitter %s is larger than the delay %s: a frame "
			 "cannot leave before it was sent; give a delay of at least %s "
			 "or less jitter", j, d, j);
		return -EINVAL;
	}
	return 0;
}

static void with_unit(uint64_t v, const struct unit *u, size_t n, char *buf,
		      size_t len)
{
	/* The largest unit that shows the value exactly, else 3 decimals. */
	for (size_t i = n; i-- > 0;)
		if (v >= u[i].scale && fmod((double)v, u[i].scale) == 0) {
			snprintf(buf, len, "%.0f%s", (double)v / u[i].scale, u[i].suffix);
			return;
		}
	for (size_t i = n; i-- > 0;)
		if (v >= u[i].scale) {
			snprintf(buf, len, "%.3f%s", (double)v / u[i].scale, u[i].suffix);
			return;
		}
	snprintf(buf, len, "0%s", u[0].suffix);
}

void vl_param_format(enum vl_param p, uint64_t v, char *buf, size_t len)
{
	static const struct unit rates[] = {
		{"bit", 1}, {"kbit", 1e3}, {"Mbit", 1e6}, {"Gbit", 1e9}};
	static const struct unit times[] = {
		{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
	switch (p) {
	case VL_P_BANDWIDTH:
		with_unit(v, rates, 4, buf, len);
		break;
	case VL_P_DELAY:
	case VL_P_JITTER:
		with_unit(v, times, 4, buf, len);
		break;
	case VL_P_LOSS:
	case VL_P_DUPLICATE:
		snprintf(buf, len, "%.7g%%", (double)v / VL_PPB * 100);
		break;
	case VL_P_BER:
		snprintf(buf, len, "%.3g", (double)v / 1e18);
		break;
	default:
		snprintf(buf, len, "%llu", (unsigned long long)v);
	}
}

void vl_impair_set(struct vl_impair *im, enum vl_param p, uint64_t v)
{
	im->v[p] = v;
	if (v)
		im->set |= 1u << p;
	else
		im->set &= ~(1u << p);
}

void vl_impair_format(const struct vl_impair *im, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int p = 0; p < VL_P__COUNT && o < len; p++) {
		if (!vl_impair_has(im, (enum vl_param)p))
			continue;
		char v[32];
		vl_param_format((enum vl_param)p, im->v[p], v, sizeof(v));
		o += (size_t)snprintf(buf + o, len - o, "%s%s %s", o ? " " : "",
				      names[p], v);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

void vl_param_names(unsigned set, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (int p = 0; p < VL_P__COUNT && o < len; p++)
		if (set & (1u << p))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
					      names[p]);
}

struct vl_impair vl_impair_only(const struct vl_impair *im, unsigned set)
{
	struct vl_impair out = {0};
	for (int p = 0; p < VL_P__COUNT; p++)
		if (set & im->set & (1u << p))
			vl_impair_set(&out, (enum vl_param)p, im->v[p]);
	return out;
}
