/* SPDX-License-Identifier: BSD-2-Clause */
/* containerlab topologies brought up as they are (suite clab): three FRR
 * routers in an OSPF triangle with two hosts whose addresses come from
 * exec, from tests/data/clab/frr3.clab.yml; `convert` gives YAML that
 * `validate` accepts; a NOS kind is refused before anything is made.
 * Paths are relative to the top of the tree (CLAB_DATA overrides). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static void data(const char *name, char *path, size_t len)
{
	const char *dir = getenv("CLAB_DATA");
	snprintf(path, len, "%s/%s", dir ? dir : "tests/data/clab", name);
}

static int exec_sh(const char *l, const char *node, const char *sh, char *out, size_t len)
{
	const char *cmd[] = {"sh", "-c", sh, NULL};
	return run_in(l, node, cmd, out, len);
}

Test(clab, three_frr_routers_converge_as_containerlab_would_run_them, .timeout = 180)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	char path[256], name[64], out[8192];
	data("frr3.clab.yml", path, sizeof(path));
	snprintf(name, sizeof(name), "%s", lab("clab3"));
	const char *up[] = {bin(), "up", path, "--name", name, NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	/* What the import did is said, each at its line. */
	cr_expect(strstr(out, "frr3.clab.yml:14:14: warning: image 'quay.io/frrouting/frr:9.1.0' "
			  "is not pulled"), "%s", out);
	cr_expect(strstr(out, "warning: labels are ignored"), "%s", out);
	const char *check[] = {bin(), "check", name, "--wait", "60", NULL};
	cr_expect_eq(run(check, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "converged after"), "%s", out);
	cr_expect(strstr(out, "2/2 node pairs reachable"), "%s", out);
	const char *vty[] = {"vtysh", "-c", "show ip ospf neighbor", NULL};
	cr_expect_eq(run_in(name, "router1", vty, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(strstr(out, "Full") && strstr(strstr(out, "Full") + 1, "Full"), true,
		     "router1 has two full neighbours: %s", out);
	const char *route[] = {"vtysh", "-c", "show ip route 192.168.3.0/24", NULL};
	cr_expect_eq(run_in(name, "router1", route, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "ospf"), "%s", out);
	/* The exec command ran in the node, with its env, never by a shell of ours. */
	cr_expect_eq(exec_sh(name, "host1", "cat /tmp/ready", out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "host1 up for frr3"), "%s", out);
	cr_expect_eq(exec_sh(name, "host2", "ping -c1 -W2 192.168.1.2", out, sizeof(out)), 0,
		     "%s", out);
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(name);
}

Test(clab, convert_gives_yaml_that_validate_accepts, .timeout = 60)
{
	char path[256], out[16384], yaml[64], sh[1024];
	data("frr3.clab.yml", path, sizeof(path));
	snprintf(yaml, sizeof(yaml), "/tmp/vnetlab-clab-%d.yaml", (int)getpid());
	snprintf(sh, sizeof(sh), "'%s' convert '%s' > '%s'", bin(), path, yaml);
	const char *conv[] = {"/bin/sh", "-c", sh, NULL};
	cr_assert_eq(run(conv, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "warning: image 'frrouting/frr:v8.4.1' is not pulled"), "%s", out);
	const char *val[] = {bin(), "validate", yaml, NULL};
	cr_expect_eq(run(val, NULL, out, sizeof(out), NULL), 0, "%s", out);
	FILE *f = fopen(yaml, "r");
	cr_assert(f);
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	unlink(yaml);
	cr_expect(strstr(out, "services: [frr]"), "%s", out);
	cr_expect(strstr(out, "/etc/frr/frr.conf:ro"), "%s", out);
	cr_expect(strstr(out, "[env, LAB=frr3, sh, -c"), "%s", out);
}

Test(clab, a_nos_kind_is_refused_before_anything_is_made, .timeout = 60)
{
	need_labs();
	char path[256], name[64], out[8192];
	data("bad/nos.clab.yml", path, sizeof(path));
	snprintf(name, sizeof(name), "%s", lab("clabnos"));
	const char *up[] = {bin(), "up", path, "--name", name, NULL};
	cr_expect_neq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect(strstr(out, "nos.clab.yml:5:13: error: node 'srl': kind 'nokia_srlinux' is "
			  "refused: vnetlab runs no VM/NOS images"), "%s", out);
	assert_gone(name);
}
