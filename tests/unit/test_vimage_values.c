/* SPDX-License-Identifier: BSD-2-Clause */
/* Values the FreeBSD verbs took that FreeBSD would not (issue 14, low
 * items): netgraph names of 32 bytes and more, a netmask that is not a run
 * of ones (255.0.255.0 became /16), a prefixlen that is not a number. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/vimage.h"

static int words(char *buf, char **w)
{
	int n = 0;
	for (char *s, *t = strtok_r(buf, " ", &s); t && n < 15; t = strtok_r(NULL, " ", &s))
		w[n++] = t;
	return n;
}

static int ng(struct json_object *m, const char *line, struct vl_err *err)
{
	char buf[512], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = words(buf, w);
	bool changed = false;
	vl_err_init(err);
	FILE *out = fopen("/dev/null", "w");
	int rc = vl_vimage_ngctl(m, n, w, out, &changed, err);
	fclose(out);
	vl_vimage_ngctl_done(m);
	return rc;
}

/* ifconfig's output into out (len). */
static int ifc(struct json_object *m, const char *line, char *out, size_t len,
	       struct vl_err *err)
{
	char buf[256], *w[16];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = words(buf, w);
	bool changed = false;
	struct json_object *i;
	vl_err_init(err);
	FILE *f = fmemopen(out, len, "w");
	int rc = vl_vimage_ifconfig(m, VL_VIMAGE_HOST, n, w, f, &changed, &i, err);
	fclose(f);
	return rc;
}

Test(vimage_values, ngctl_names_are_under_32_bytes)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	cr_assert_eq(ng(m, "mkpeer . eiface hook ether", &err), 0, "%s", err.msg);
	char line[512], name[301];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	static const size_t too_long[] = {32, 33, 100, 300};
	for (size_t i = 0; i < sizeof(too_long) / sizeof(too_long[0]); i++) {
		snprintf(line, sizeof(line), "name ngeth0: %.*s", (int)too_long[i], name);
		cr_expect_lt(ng(m, line, &err), 0, "a %zu-byte name was taken", too_long[i]);
		cr_expect(strstr(err.msg, "Invalid argument"), "%s", err.msg);
	}
	cr_expect_lt(ng(m, "name ngeth0: a.b", &err), 0);
	cr_expect(strstr(err.msg, "Invalid argument"), "%s", err.msg);
	snprintf(line, sizeof(line), "name ngeth0: %.*s", 31, name);
	cr_expect_eq(ng(m, line, &err), 0, "31 bytes fit: %s", err.msg);
	json_object_put(m);
}

Test(vimage_values, netmasks_are_contiguous)
{
	struct json_object *m = vl_vimage_new("v");
	struct vl_err err;
	char out[4096];
	cr_assert_eq(ng(m, "mkpeer . eiface hook ether", &err), 0, "%s", err.msg);
	static const char *const bad[] = {
		"ngeth0 inet 10.1.0.1 netmask 255.0.255.0", "ngeth0 inet 10.1.0.1 netmask 0xff00ff00",
		"ngeth0 inet 10.1.0.1 netmask 0x", "ngeth0 inet 10.1.0.1 netmask 0xzz",
		"ngeth0 inet 10.1.0.1 netmask 0x1ffffffff", "ngeth0 inet 10.1.0.1 prefixlen x",
		"ngeth0 inet 10.1.0.1 prefixlen -1", "ngeth0 inet 10.1.0.1 prefixlen 33"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_lt(ifc(m, bad[i], out, sizeof(out), &err), 0, "'%s' taken", bad[i]);
		cr_expect(strstr(err.msg, "bad value"), "%s: %s", bad[i], err.msg);
	}
	cr_expect_eq(ifc(m, "ngeth0 inet 10.1.0.1 netmask 255.255.0.0", out, sizeof(out), &err),
		     0, "%s", err.msg);
	cr_expect_eq(ifc(m, "ngeth0 inet 10.2.0.1 netmask 0xffffff00 alias", out, sizeof(out),
			 &err), 0, "%s", err.msg);
	cr_expect_eq(ifc(m, "ngeth0", out, sizeof(out), &err), 0, "%s", err.msg);
	cr_expect(strstr(out, "inet 10.1.0.1 netmask 0xffff0000"), "%s", out);
	cr_expect(strstr(out, "inet 10.2.0.1 netmask 0xffffff00"), "%s", out);
	json_object_put(m);
}
