/* SPDX-License-Identifier: BSD-2-Clause */
/* compare.c — `vnetlab compare A.json B.json [--rtt-tolerance T]`: two
 * check reports (e.g. the same topology on Linux and on FreeBSD) side by
 * side; exit 0 when alike, 1 when they differ, 2 on error. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/compare.h"

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rtt-tolerance", required_argument, NULL, 't'}, {0}};
	const char *tol_s = "1ms,25%";
	int c;
	while ((c = getopt_long(argc, argv, "t:", opts, NULL)) != -1) {
		if (c != 't')
			return cli_usage("compare");
		tol_s = optarg;
	}
	if (optind + 2 != argc)
		return cli_usage("compare");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_tolerance tol;
	if (vl_tolerance_parse(tol_s, &tol, &err) < 0)
		return cli_fail(&err), 2;
	struct json_object *r[2];
	for (int i = 0; i < 2; i++)
		if (!(r[i] = json_object_from_file(argv[optind + i]))) {
			/* json-c's message ends in a newline of its own. */
			const char *why = json_util_get_last_err();
			int n = why ? (int)strcspn(why, "\n") : 1;
			vl_errf(&err, "%s: cannot read it as JSON (%.*s)", argv[optind + i], n,
				why ? why : "?");
			if (i)
				json_object_put(r[0]);
			return cli_fail(&err), 2;
		}
	int diffs = vl_compare(r[0], r[1], argv[optind], argv[optind + 1], &tol, stdout, &err);
	json_object_put(r[0]);
	json_object_put(r[1]);
	if (diffs < 0)
		return cli_fail(&err), 2;
	return diffs ? 1 : 0;
}
