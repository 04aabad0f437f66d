/* SPDX-License-Identifier: BSD-2-Clause */
/* check.c — `vnetlab check`: the reachability matrix of a running lab. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "vnetlab/check.h"
#include "vnetlab/statefile.h"

int cli_check(const char *lab, bool json, unsigned count, double timeout_ms)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_lab_paths p;
	if (cli_lab(lab, &p, &err) < 0)
		return cli_fail(&err), 2;
	if (!vl_lab_alive(&p)) {
		vl_errf(&err, "lab '%s' is not running (see: vnetlab ls)", lab);
		return cli_fail(&err), 2;
	}
	struct json_object *st = vl_statefile_read(p.state, &err);
	if (!st)
		return cli_fail(&err), 2;
	struct vl_check_opts o = {.count = count, .interval_ms = 20,
				  .timeout_ms = timeout_ms};
	struct vl_check c;
	int rc = vl_check_run(&p, st, &o, &c, &err);
	json_object_put(st);
	if (rc < 0) {
		vl_check_free(&c);
		return cli_fail(&err), 2;
	}
	if (json) {
		struct json_object *j = vl_check_json(&c);
		printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		printf("lab %s\n", lab);
		vl_check_print_matrix(&c, stdout);
	}
	fflush(stdout);
	int status = vl_check_ok(&c) ? 0 : 1;
	vl_check_free(&c);
	return status;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"count", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 't'},
		{0}};
	bool json = false;
	unsigned long long count = 3;
	double timeout = 1000;
	int c;
	while ((c = getopt_long(argc, argv, "c:t:", opts, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 'j': json = true; break;
		case 'c':
			bad = cli_uint_opt("check", "--count", optarg, 1, VL_CHECK_MAX_COUNT,
					   "probes per target", &count);
			break;
		case 't':
			bad = cli_real_opt("check", "--timeout", optarg, VL_CHECK_MIN_TIMEOUT_MS,
					   VL_CHECK_MAX_TIMEOUT_MS, "ms", &timeout);
			break;
		default: return cli_usage("check");
		}
		if (bad)
			return bad;
	}
	if (optind + 1 != argc)
		return cli_usage("check");
	return cli_check(argv[optind], json, (unsigned)count, timeout);
}
