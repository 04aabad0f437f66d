/* FreeBSD's verbs over Linux: the talk's session (shared/seed), typed with
 * `vnetlab` in front of each command, gives two vnet jails that ping each
 * other through a netgraph-style bridge, and the result is an ordinary
 * lab: check sees both addresses, down leaves nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static char labenv[96];

static int vn(const char *line, char *out, size_t len)
{
	const char *argv[32] = {bin()};
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 1;
	for (char *save, *w = strtok_r(buf, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	struct runopt o = {.env = {labenv, NULL}};
	return runx(argv, &o, out, len);
}

static void ok(const char *line)
{
	static char out[16384];
	cr_assert_eq(vn(line, out, sizeof(out)), 0, "vnetlab %s:\n%s", line, out);
}

Test(vimage, the_talks_session, .timeout = 90)
{
	need_labs();
	const char *l = lab("vimage");
	snprintf(labenv, sizeof(labenv), "VNETLAB_VIMAGE_LAB=%s", l);
	static const char *const session[] = {
		"jail -c name=n1 path=/ host.hostname=n1 vnet persist",
		"jail -c name=n2 path=/ host.hostname=n2 vnet persist",
		"jexec n1 ifconfig lo0 localhost",
		"ngctl mkpeer eiface ether ether",
		"ngctl mkpeer eiface ether ether",
		"ifconfig ngeth0 vnet n1",
		"ifconfig ngeth1 vnet n2",
		"ifconfig em0 promisc",
		"ngctl mkpeer em0: bridge upper link0",
		"ngctl name em0:upper bridge",
		"ngctl connect em0: bridge: lower link1",
		"ngctl connect ngeth0: bridge: ether link2",
		"ngctl connect ngeth1: bridge: ether link3",
		"jexec n1 ifconfig ngeth0 name eth0",
		"jexec n1 ifconfig eth0 link 2:a:b:c:d:e",
		"jexec n1 ifconfig eth0 192.168.0.123",
		"jexec n2 ifconfig ngeth1 name eth0",
		"jexec n2 ifconfig eth0 192.168.0.124",
	};
	for (size_t i = 0; i < sizeof(session) / sizeof(session[0]); i++)
		ok(session[i]);
	static char out[16384];
	cr_expect_eq(vn("jls", out, sizeof(out)), 0);
	cr_expect_not_null(strstr(out, "     1                  n1"), "%s", out);
	cr_expect_eq(vn("ngctl l", out, sizeof(out)), 0);
	cr_expect_not_null(strstr(out, "Name: bridge          Type: bridge          ID: 00000004   Num hooks: 4"),
			   "%s", out);
	cr_expect_eq(vn("jexec n1 ifconfig eth0", out, sizeof(out)), 0);
	cr_expect_not_null(strstr(out, "ether 02:0a:0b:0c:0d:0e"), "%s", out);
	cr_expect_not_null(strstr(out, "inet 192.168.0.123 netmask 0xffffff00"), "%s", out);
	/* The kernel agrees: the interface really is called eth0 now. */
	cr_expect_eq(vn("jexec n1 cat /sys/class/net/eth0/address", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "02:0a:0b:0c:0d:0e"), "%s", out);
	cr_expect_eq(vn("jexec n1 ping -c 2 -W 1 192.168.0.124", out, sizeof(out)), 0, "%s", out);

	char check[64];
	snprintf(check, sizeof(check), "check %s", l);
	cr_expect_eq(vn(check, out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "2/2 node pairs reachable"), "%s", out);

	/* Mistakes read like FreeBSD's tools'. */
	cr_expect_neq(vn("ngctl connect nosuch: bridge: ether link9", out, sizeof(out)), 0);
	cr_expect_not_null(strstr(out, "nosuch:: No such file or directory"), "%s", out);
	cr_expect_neq(vn("jexec n9 true", out, sizeof(out)), 0);
	cr_expect_not_null(strstr(out, "jail \"n9\" not found"), "%s", out);

	char down[64];
	snprintf(down, sizeof(down), "down %s", l);
	ok(down);
	assert_gone(l);
	cr_expect_eq(vn("jls", out, sizeof(out)), 0);
	cr_expect_null(strstr(out, "n1"), "jails outlived down:\n%s", out);
}
