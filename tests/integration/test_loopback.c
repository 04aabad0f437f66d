/* SPDX-License-Identifier: BSD-2-Clause */
/* A node's loopback addresses (`loopback:`): on its lo from the moment
 * it is made, reachable through a route as a router's id is, shown by
 * inspect, and gone with the lab. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const lab_yaml =
	"nodes:\n"
	"  a:\n"
	"    ifaces: { e0: { addrs: [10.0.0.1/24, 'fd00:1::1/64'] } }\n"
	"    routes: [{ to: 10.255.0.2/32, via: 10.0.0.2 }, { to: 'fd00:ff::2/128', via: 'fd00:1::2' }]\n"
	"  b:\n"
	"    loopback: [10.255.0.2/32, 'fd00:ff::2/128']\n"
	"    ifaces: { e0: { addrs: [10.0.0.2/24, 'fd00:1::2/64'] } }\n"
	"links:\n"
	"  - [a:e0, b:e0]\n";

Test(loopback, addresses_on_lo_answer_through_a_route, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[1 << 14];
	up_text("lo", lab_yaml, file, l);
	const char *p4[] = {"ping", "-c", "1", "-W", "2", "10.255.0.2", NULL};
	int rc4 = run_in(l, "a", p4, out, sizeof(out));
	cr_expect_eq(rc4, 0, "a -> b's lo 10.255.0.2: %s", out);
	const char *p6[] = {"ping", "-6", "-c", "1", "-W", "2", "fd00:ff::2", NULL};
	int rc6 = run_in(l, "a", p6, out, sizeof(out));
	cr_expect_eq(rc6, 0, "a -> b's lo fd00:ff::2: %s", out);
	/* on lo itself, not on e0 */
	const char *show[] = {"cat", "/proc/net/if_inet6", NULL};
	cr_expect_eq(run_in(l, "b", show, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "fd0000ff000000000000000000000002 01 80") != NULL,
		  "fd00:ff::2/128 not on ifindex 1 (lo):\n%s", out);
	const char *insp[] = {bin(), "inspect", l, NULL};
	cr_expect_eq(run(insp, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "10.255.0.2/32 fd00:ff::2/128") != NULL, "inspect:\n%s", out);
	down_text(file, l);
}
