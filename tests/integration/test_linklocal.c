/* SPDX-License-Identifier: BSD-2-Clause */
/* A direct link unplugged and plugged back (`vnetlab link ... down/up`)
 * must come back as it was: the kernel drops a down interface's IPv6
 * link-local and its fe80::/64 route (keep_addr_on_down keeps global
 * addresses only), and vnetlab made those itself (issue 14 item 7). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* Node's link-local on e0 present, its fe80::/64 route present, and the
 * far end's link-local answers a ping. */
static void link_local_works(const char *l, const char *node, const char *far_ll,
			     const char *when)
{
	char out[4096];
	const char *addr[] = {"ip", "-6", "-o", "addr", "show", "dev", "e0", "scope", "link", NULL};
	cr_expect_eq(run_in(l, node, addr, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "fe80::"), "%s %s: no link-local on e0:\n%s", when, node, out);
	const char *route[] = {"ip", "-6", "route", "show", "fe80::/64", "dev", "e0", NULL};
	cr_expect_eq(run_in(l, node, route, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "fe80::/64"), "%s %s: no fe80::/64 route:\n%s", when, node, out);
	const char *ping[] = {"ping", "-6", "-n", "-c", "1", "-W", "2", far_ll, NULL};
	cr_expect_eq(run_in(l, node, ping, out, sizeof(out)), 0, "%s %s: ping %s:\n%s", when,
		     node, far_ll, out);
}

Test(live, direct_link_keeps_link_local_over_down_up, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[4096];
	up_text("ll",
		"nodes:\n"
		"  a: { ifaces: { e0: { mac: '02:00:00:00:00:0a', addrs: ['fd00:7::1/64'] } } }\n"
		"  b: { ifaces: { e0: { mac: '02:00:00:00:00:0b', addrs: ['fd00:7::2/64'] } } }\n"
		"links:\n  - [a:e0, b:e0]\n",
		file, l);
	/* EUI-64 of the MACs: what the plan makes and the kernel would. */
	const char *a_ll = "fe80::ff:fe00:a%e0", *b_ll = "fe80::ff:fe00:b%e0";
	link_local_works(l, "a", b_ll, "after up");
	const char *down[] = {bin(), "link", l, "a:e0", "b:e0", "down", NULL};
	cr_assert_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *upl[] = {bin(), "link", l, "a:e0", "b:e0", "up", NULL};
	cr_assert_eq(run(upl, NULL, out, sizeof(out), NULL), 0, "%s", out);
	link_local_works(l, "a", b_ll, "after down+up");
	link_local_works(l, "b", a_ll, "after down+up");
	const char *g[] = {"ping", "-6", "-n", "-c", "1", "-W", "2", "fd00:7::2", NULL};
	cr_expect_eq(run_in(l, "a", g, out, sizeof(out)), 0, "global address: %s", out);
	down_text(file, l);
}
