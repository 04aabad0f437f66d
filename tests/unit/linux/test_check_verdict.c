/* SPDX-License-Identifier: BSD-2-Clause */
/* check's verdict where there is nothing to say "all answered" about
 * (issue 14): a lab with nothing to probe, and targets no probe could
 * even be sent to (no route). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetlab/check.h"

static void made_up(struct vl_check *c, const struct vl_probe *probes, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->opts.count = 3;
	c->state = json_tokener_parse("{\"name\": \"lab1\", \"backend\": \"linux\", "
				      "\"nodes\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}");
	cr_assert_not_null(c->state);
	c->probes = calloc(n ? n : 1, sizeof(*probes));
	if (n)
		memcpy(c->probes, probes, n * sizeof(*probes));
	c->n_probes = n;
}

static char *matrix(const struct vl_check *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vl_check_print_matrix(c, f);
	fclose(f);
	return buf;
}

/* "0/0 reachable" and exit 0 told a user whose lab has no addresses that
 * all was well: nothing checked is not a pass, and it says so. */
Test(check_verdict, nothing_to_check_is_not_a_pass)
{
	struct vl_check c;
	made_up(&c, NULL, 0);
	cr_expect_not(vl_check_ok(&c));
	char *m = matrix(&c);
	cr_expect(strstr(m, "nothing to check"), "%s", m);
	cr_expect_null(strstr(m, "0/0"), "%s", m);
	free(m);
	struct json_object *j = vl_check_json(&c);
	struct json_object *sum = json_object_object_get(j, "summary");
	cr_expect_not(json_object_get_boolean(json_object_object_get(sum, "ok")));
	cr_expect_eq(json_object_get_int(json_object_object_get(sum, "targets")), 0);
	json_object_put(j);
	vl_check_free(&c);
}

/* A probe the kernel would not send (ENETUNREACH) is "no route", not
 * "0/0 answered". */
Test(check_verdict, unroutable_target_says_no_route)
{
	struct vl_probe p[2] = {{.src = 0, .dst = 1, .sent = 0, .send_errno = ENETUNREACH,
				 .rtt_min = -1, .rtt_max = -1},
				{.src = 1, .dst = 0, .sent = 0, .send_errno = EPERM,
				 .rtt_min = -1, .rtt_max = -1}};
	cr_assert_eq(vl_ip_parse("10.2.0.1", false, &p[0].ip), 0);
	cr_assert_eq(vl_ip_parse("10.1.0.1", false, &p[1].ip), 0);
	struct vl_check c;
	made_up(&c, p, 2);
	cr_expect_not(vl_check_ok(&c));
	char *m = matrix(&c);
	cr_expect(strstr(m, "FAIL a -> b (10.2.0.1): no route\n"), "%s", m);
	cr_expect(strstr(m, "FAIL b -> a (10.1.0.1): not sent: Operation not permitted "
			    "(EPERM)\n"), "%s", m);
	cr_expect_null(strstr(m, "0/0 answered"), "%s", m);
	free(m);
	struct json_object *j = vl_check_json(&c);
	struct json_object *r0 = json_object_array_get_idx(json_object_object_get(j, "results"), 0);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(r0, "error")), "no route");
	json_object_put(j);
	vl_check_free(&c);
}
