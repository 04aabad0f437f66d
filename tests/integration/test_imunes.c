/* SPDX-License-Identifier: BSD-2-Clause */
/* IMUNES .imn files (issue 17): the legacy-form and the JSON-form OSPF
 * chain come up as they are, converge within a minute, and router2's
 * OSPF neighbours are Full; `convert` gives YAML `validate` takes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* tests/data/imunes/FILE, beside $TOPOLOGIES (the checkout's topologies/). */
static void data(const char *file, char *path, size_t len)
{
	const char *t = getenv("TOPOLOGIES");
	snprintf(path, len, "%s/../tests/data/imunes/%s", t ? t : "topologies", file);
}

static void imn_up_converges(const char *file, const char *base)
{
	need_labs();
	need_tool("/usr/lib/frr/zebra", "frr");
	char path[512], out[16384];
	data(file, path, sizeof(path));
	char name[64];
	snprintf(name, sizeof(name), "%s", lab(base));
	const char *up[] = {bin(), "up", path, "--name", name, "--quiet", NULL};
	int rc = run(up, NULL, out, sizeof(out), NULL);
	cr_assert_eq(rc, 0, "up %s: %s", file, out);
	const char *check[] = {bin(), "check", name, "--wait", "60", NULL};
	rc = run(check, NULL, out, sizeof(out), NULL);
	const char *conv = strstr(out, "converged after");
	cr_log_info("%s: %.40s", file, conv ? conv : "(no convergence line)");
	int check_rc = rc;
	char check_out[16384];
	snprintf(check_out, sizeof(check_out), "%s", out);
	const char *nb[] = {"vtysh", "-c", "show ip ospf neighbor", NULL};
	rc = run_in(name, "router2", nb, out, sizeof(out));
	bool full = rc == 0 && strstr(out, "Full");
	char nb_out[16384];
	snprintf(nb_out, sizeof(nb_out), "%s", out);
	const char *down[] = {bin(), "down", name, NULL};
	run(down, NULL, out, sizeof(out), NULL);
	assert_gone(name);
	cr_assert_eq(check_rc, 0, "check %s: %s", file, check_out);
	cr_assert(full, "router2's neighbours are not Full: %s", nb_out);
}

Test(imunes, legacy_ospf_chain_converges, .timeout = 180)
{
	imn_up_converges("ospf-legacy.imn", "imleg");
}

Test(imunes, json_ospf_chain_converges, .timeout = 180)
{
	imn_up_converges("ospf-json.imn", "imjson");
}

Test(imunes, convert_gives_yaml_validate_takes)
{
	const char *files[] = {"ospf-legacy.imn", "ospf-json.imn", "static-lan.imn"};
	for (size_t i = 0; i < 3; i++) {
		char path[512], yaml[] = "/tmp/vnetlab-imunes-XXXXXX", out[65536];
		data(files[i], path, sizeof(path));
		const char *conv[] = {bin(), "convert", path, NULL};
		int rc = run(conv, NULL, out, sizeof(out), NULL);
		cr_assert_eq(rc, 0, "convert %s: %s", files[i], out);
		int fd = mkstemp(yaml);
		cr_assert(fd >= 0);
		/* stdout and stderr are one stream here: keep the YAML only */
		const char *y = strstr(out, "# vnetlab topology");
		cr_assert(y, "convert %s printed no YAML: %s", files[i], out);
		cr_assert_eq(write(fd, y, strlen(y)), (ssize_t)strlen(y));
		close(fd);
		const char *val[] = {bin(), "validate", yaml, NULL};
		rc = run(val, NULL, out, sizeof(out), NULL);
		unlink(yaml);
		cr_assert_eq(rc, 0, "validate of converted %s: %s", files[i], out);
	}
}
