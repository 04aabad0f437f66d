/* SPDX-License-Identifier: BSD-2-Clause */
/* FreeBSD's verbs over Linux: the talk's session (shared/seed), typed with
 * `vnetlab` in front of each command, gives two vnet jails that ping each
 * other through a netgraph-style bridge, and the result is an ordinary
 * lab: check sees both addresses, down leaves nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char labenv[96];

/* `vnetlab LINE` with VNETLAB_VIMAGE_LAB (and env, "NAME=VALUE" or NULL). */
static int vnx(const char *line, const char *env, char *out, size_t len)
{
	const char *argv[32] = {bin()};
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", line);
	int n = 1;
	for (char *save, *w = strtok_r(buf, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	struct runopt o = {.env = {labenv, env, NULL}};
	return runx(argv, &o, out, len);
}

static int vn(const char *line, char *out, size_t len)
{
	return vnx(line, NULL, out, len);
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

/* The talk's session (two jails, an eiface in each renamed eth0, on one
 * bridge with em0), in a vimage lab named after base; its name back. */
static const char *talk(const char *base)
{
	need_labs();
	static char name[64];
	snprintf(name, sizeof(name), "%s", lab(base));
	snprintf(labenv, sizeof(labenv), "VNETLAB_VIMAGE_LAB=%s", name);
	static const char *const session[] = {
		"jail -c name=n1 path=/ host.hostname=n1 vnet persist",
		"jail -c name=n2 path=/ host.hostname=n2 vnet persist",
		"ngctl mkpeer eiface ether ether",
		"ngctl mkpeer eiface ether ether",
		"ifconfig ngeth0 vnet n1",
		"ifconfig ngeth1 vnet n2",
		"ngctl mkpeer em0: bridge upper link0",
		"ngctl name em0:upper bridge",
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
	return name;
}

static void down_and_gone(const char *l)
{
	static char out[16384];
	char down[96];
	snprintf(down, sizeof(down), "down %s", l);
	cr_expect_eq(vn(down, out, sizeof(out)), 0, "%s", out);
	assert_gone(l);
	cr_expect_eq(vn("jls", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "n1"), "jails outlived down:\n%s", out);
	char model[256];
	snprintf(model, sizeof(model), "%s/.vimage-%s.json", state_dir(), l);
	cr_expect_neq(access(model, F_OK), 0, "%s outlived down", model);
}

/* Issue 14 item 1: after the talk's session `jail -r n1` worked and
 * `jail -r n2` was refused for good ("duplicate key 'eth0'": n1's eth0 had
 * come home under that name), so n2 and the model outlived `down`. */
Test(vimage, both_jails_of_the_talk_can_be_removed, .timeout = 120)
{
	const char *l = talk("vimage-rm");
	static char out[16384];
	cr_assert_eq(vn("jail -r n1", out, sizeof(out)), 0, "%s", out);
	cr_assert_eq(vn("jail -r n2", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "n2: its eth0 is back on the host as ngeth1"), "%s", out);
	cr_expect_eq(vn("jls", out, sizeof(out)), 0, "%s", out);
	cr_expect(!strstr(out, "n1") && !strstr(out, "n2"), "removed jails listed:\n%s", out);
	/* Home, down and without the jails' addresses, in the model... */
	cr_expect_eq(vn("ifconfig", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "\neth0: flags=8802<"), "%s", out);
	cr_expect_not_null(strstr(out, "\nngeth1: flags=8802<"), "%s", out);
	cr_expect_null(strstr(out, "192.168.0."), "addresses came home:\n%s", out);
	/* ... and in the kernel: the host node has eth0 and ngeth1, bare. */
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "exec %s host -- ip -o addr show", l);
	cr_expect_eq(vn(cmd, out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "192.168.0."), "addresses came home:\n%s", out);
	snprintf(cmd, sizeof(cmd), "exec %s host -- cat /sys/class/net/ngeth1/address", l);
	cr_expect_eq(vn(cmd, out, sizeof(out)), 0, "%s", out);
	/* The name is free again, and the whole graph can go. */
	cr_expect_eq(vn("jail -c name=n2 vnet", out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(vn("jail -r n2", out, sizeof(out)), 0, "%s", out);
	static const char *const shut[] = {"ngctl shutdown bridge:", "ngctl shutdown eth0:",
					   "ngctl shutdown ngeth1:", "ngctl shutdown em0:"};
	for (size_t i = 0; i < sizeof(shut) / sizeof(shut[0]); i++)
		cr_expect_eq(vn(shut[i], out, sizeof(out)), 0, "%s:\n%s", shut[i], out);
	cr_expect_eq(vn("ngctl l", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "There are 2 total nodes"), "not empty:\n%s", out);
	cr_expect_not_null(strstr(out, "Name: em0             Type: ether           ID: 00000001   Num hooks: 0"),
			   "%s", out);
	down_and_gone(l);
}

/* Issue 14 item 2: a change the kernel refuses was saved all the same, and
 * the next graph change (which builds the lab from the model) took the
 * lab down for good.  Each is refused now, and changes nothing. */
Test(vimage, a_refused_ifconfig_changes_nothing, .timeout = 120)
{
	const char *l = talk("vimage-refuse");
	static char out[16384];
	static const struct {
		const char *line, *says;
	} refused[] = {
		{"jexec n1 ifconfig eth0 link 00:00:00:00:00:00", "Can't assign requested address"},
		{"jexec n1 ifconfig eth0 inet6 ::1/128", "::1 is the loopback address"},
		{"jexec n1 ifconfig eth0 inet6 ff02::1/64", "ff02::1 is a multicast group"},
		{"jexec n1 ifconfig eth0 name lo0", "SIOCSIFNAME (set name): File exists"},
		{"ifconfig em0 inet6 ::1/128", "::1 is the loopback address"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		cr_expect_eq(vn(refused[i].line, out, sizeof(out)), 1, "%s:\n%s", refused[i].line, out);
		cr_expect_not_null(strstr(out, refused[i].says), "%s:\n%s", refused[i].line, out);
	}
	cr_expect_eq(vn("jexec n1 ifconfig eth0", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "ether 02:0a:0b:0c:0d:0e"), "%s", out);
	cr_expect_null(strstr(out, "inet6"), "%s", out);
	cr_expect_eq(vn("jexec n1 cat /sys/class/net/eth0/address", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "02:0a:0b:0c:0d:0e"), "%s", out);
	/* The next graph change builds the lab from the model: it works. */
	cr_expect_eq(vn("jail -c name=n3 path=/ vnet persist", out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(vn("ls", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "running"), "%s", out);
	cr_expect_eq(vn("jexec n1 ping -c 1 -W 2 192.168.0.124", out, sizeof(out)), 0, "%s", out);
	down_and_gone(l);
}

/* What only the running kernel refuses (here an injected refusal of one
 * netlink request) is tried on the lab first: the model is saved only when
 * the kernel took the change, and what it took of a refused one is put
 * back. */
Test(vimage, a_change_the_kernel_refuses_is_not_saved, .timeout = 120)
{
	const char *l = talk("vimage-kernel");
	static char out[16384];
	/* Request 2 (the MTU) refused; then request 3 (the link up again). */
	for (int k = 2; k <= 3; k++) {
		char fault[32];
		snprintf(fault, sizeof(fault), "VNETLAB_FAULT=nlfail:%d", k);
		cr_expect_eq(vnx("jexec n1 ifconfig eth0 mtu 1400", fault, out, sizeof(out)), 1,
			     "%s:\n%s", fault, out);
		cr_expect_not_null(strstr(out, "injected fault"), "%s", out);
		cr_expect_eq(vn("jexec n1 ifconfig eth0", out, sizeof(out)), 0, "%s", out);
		cr_expect_not_null(strstr(out, " mtu 1500\n"), "%s: the model took it:\n%s", fault, out);
		cr_expect_eq(vn("jexec n1 cat /sys/class/net/eth0/mtu", out, sizeof(out)), 0, "%s", out);
		cr_expect_eq(strtol(out, NULL, 10), 1500, "%s: the kernel kept it:\n%s", fault, out);
		cr_expect_eq(vn("jexec n1 cat /sys/class/net/eth0/operstate", out, sizeof(out)), 0,
			     "%s", out);
		cr_expect_not_null(strstr(out, "up"), "%s: left down:\n%s", fault, out);
	}
	cr_expect_eq(vn("jexec n1 ifconfig eth0 mtu 1400", out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(vn("jexec n1 cat /sys/class/net/eth0/mtu", out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(strtol(out, NULL, 10), 1400, "%s", out);
	down_and_gone(l);
}

/* Issue 14 item 2: the lab gone (here: its state directory removed, so its
 * keeper takes it down) while the model stays: ls shows it, jls says so,
 * down forgets it. */
Test(vimage, a_model_never_outlives_its_lab_unseen, .timeout = 90)
{
	need_labs();
	const char *l = lab("vimage-orphan");
	snprintf(labenv, sizeof(labenv), "VNETLAB_VIMAGE_LAB=%s", l);
	static char out[16384];
	ok("jail -c name=n1 vnet");
	char dir[256];
	snprintf(dir, sizeof(dir), "%s/%s", state_dir(), l);
	const char *rm[] = {"/bin/rm", "-rf", dir, NULL};
	cr_assert_eq(run(rm, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_eq(vn("ls", out, sizeof(out)), 0, "%s", out);
	char row[128];
	snprintf(row, sizeof(row), "%-20s model only", l);
	cr_expect_not_null(strstr(out, row), "%s", out);
	cr_expect_eq(vn("ls --json", out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "\"status\":\"model only\""), "%s", out);
	cr_expect_eq(vn("jls", out, sizeof(out)), 1, "%s", out);
	cr_expect_not_null(strstr(out, "is not running, so none of its jails is"), "%s", out);
	cr_expect_null(strstr(out, "                  n1"), "a jail listed as running:\n%s", out);
	char down[96];
	snprintf(down, sizeof(down), "down %s", l);
	cr_expect_eq(vn(down, out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "was not running; its jails' model is forgotten"), "%s", out);
	cr_expect_eq(vn("ls", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, l), "%s", out);
	cr_expect_eq(vn(down, out, sizeof(out)), 1, "%s", out);
	cr_expect_eq(vn("jls", out, sizeof(out)), 0, "%s", out);
	assert_gone(l);
}

/* A change the lab cannot take (here: its keeper no longer answers, its
 * control socket removed) is not saved: before, the model was written
 * first and then outlived the lab that never had it. */
Test(vimage, a_change_the_lab_cannot_take_is_not_saved, .timeout = 90)
{
	const char *l = talk("vimage-unreachable");
	static char out[16384];
	char path[256];
	snprintf(path, sizeof(path), "%s/%s/ctl.sock", state_dir(), l);
	cr_assert_eq(unlink(path), 0, "%s", path);
	cr_expect_eq(vn("jail -c name=n3 vnet", out, sizeof(out)), 1, "%s", out);
	cr_expect_eq(vn("ngctl mkpeer eiface ether ether", out, sizeof(out)), 1, "%s", out);
	cr_expect_eq(vn("ifconfig em0 inet 10.9.9.9/24", out, sizeof(out)), 1, "%s", out);
	cr_expect_eq(vn("jls", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "n3"), "a jail the lab never had was saved:\n%s", out);
	cr_expect_eq(vn("ngctl l", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "ngeth2"), "an eiface the lab never had was saved:\n%s", out);
	cr_expect_eq(vn("ifconfig em0", out, sizeof(out)), 0, "%s", out);
	cr_expect_null(strstr(out, "10.9.9.9"), "an address the lab never had was saved:\n%s", out);
	/* Unreachable, it cannot be taken down: removing its state directory
	 * does (its keeper sees that), and down forgets the model. */
	snprintf(path, sizeof(path), "%s/%s", state_dir(), l);
	const char *rm[] = {"/bin/rm", "-rf", path, NULL};
	cr_assert_eq(run(rm, NULL, out, sizeof(out), NULL), 0, "%s", out);
	down_and_gone(l);
}

/* cleanup removes what a dead lab left, its jails' model too (in a state
 * directory of its own: cleanup takes every stale thing it finds). */
Test(vimage, cleanup_removes_a_model_whose_lab_is_gone, .timeout = 60)
{
	need_labs();
	const char *l = lab("vimage-cleanup");
	snprintf(labenv, sizeof(labenv), "VNETLAB_VIMAGE_LAB=%s", l);
	char own[] = "/tmp/vnetlab-itest-own-XXXXXX", env[96], path[160];
	cr_assert_not_null(mkdtemp(own));
	snprintf(env, sizeof(env), "VNETLAB_STATE_DIR=%s", own);
	static char out[16384];
	cr_assert_eq(vnx("jail -c name=n1 vnet", env, out, sizeof(out)), 0, "%s", out);
	snprintf(path, sizeof(path), "%s/%s", own, l);
	const char *rm[] = {"/bin/rm", "-rf", path, NULL};
	cr_assert_eq(run(rm, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_eq(vnx("cleanup", env, out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "removed the jails' model of lab"), "%s", out);
	cr_expect_eq(vnx("ls", env, out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "no labs"), "%s", out);
	cr_expect_eq(vnx("cleanup", env, out, sizeof(out)), 0, "%s", out);
	cr_expect_not_null(strstr(out, "nothing to clean up"), "%s", out);
	cr_expect_eq(rmdir(own), 0, "%s is not empty", own);
}
