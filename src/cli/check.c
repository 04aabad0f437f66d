/* SPDX-License-Identifier: BSD-2-Clause */
/* check.c — `vnetlab check`: the reachability matrix of a running lab. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/check.h"
#include "vnetlab/impair.h"
#include "vnetlab/statefile.h"

static struct json_object *read_state(const char *file, struct vl_err *err)
{
	if (strcmp(file, "-"))
		return vl_statefile_read(file, err);
	size_t len = 0;
	char *buf = cli_read_stdin(64u << 20, &len, err);
	struct json_object *st = buf ? json_tokener_parse(buf) : NULL;
	if (buf && !json_object_is_type(st, json_type_object)) {
		json_object_put(st);
		st = NULL;
		vl_errf(err, "<stdin>: not a lab's state document (JSON)");
	}
	free(buf);
	return st;
}

int cli_check(const char *lab, bool json, unsigned count, double timeout_ms,
	      double wait_s, volatile sig_atomic_t *cancel)
{
	return cli_check_with(lab, NULL, json, count, timeout_ms, wait_s, cancel);
}

int cli_check_with(const char *lab, const char *state_file, bool json, unsigned count,
		   double timeout_ms, double wait_s, volatile sig_atomic_t *cancel)
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
	struct json_object *st = state_file ? read_state(state_file, &err)
					    : vl_statefile_read(p.state, &err);
	if (!st)
		return cli_fail(&err), 2;
	struct vl_check_opts o = {.count = count, .interval_ms = 20,
				  .timeout_ms = timeout_ms};
	struct vl_check c;
	struct vl_convergence w;
	int rc = wait_s > 0 ? vl_check_converge(&p, st, &o, wait_s * 1e3, cancel, &c, &w, &err)
			    : vl_check_run(&p, st, &o, &c, &err);
	json_object_put(st);
	if (rc < 0) {
		vl_check_free(&c);
		if (wait_s > 0)
			vl_convergence_free(&w);
		return cli_fail(&err), 2;
	}
	if (json) {
		struct json_object *j = vl_check_json(&c);
		if (wait_s > 0)
			json_object_object_add(j, "wait", vl_convergence_json(&c, &w));
		printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		printf("lab %s\n", lab);
		vl_check_print_matrix(&c, stdout);
		if (wait_s > 0)
			vl_convergence_print(&c, &w, stdout);
	}
	fflush(stdout);
	/* Converged is a full round in which all answered: vl_check_ok. */
	int status = vl_check_ok(&c) && (wait_s <= 0 || w.converged) ? 0 : 1;
	vl_check_free(&c);
	if (wait_s > 0)
		vl_convergence_free(&w);
	return status;
}

int cli_wait_opt(const char *verb, const char *s, double *out)
{
	double v;
	int rc = vl_real_arg(s, 0, VL_CHECK_MAX_WAIT_S, &v);
	if (rc == 0 && v > 0) {
		*out = v;
		return 0;
	}
	fprintf(stderr, "vnetlab: %s: --wait '%s' %s: write a number of seconds more than 0 "
		"and at most %d (digits, e.g. 0.5 or 60)\n", verb, s,
		rc == -EINVAL ? "is not understood" : "is out of range", VL_CHECK_MAX_WAIT_S);
	return 2;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"count", required_argument, NULL, 'c'},
		{"timeout", required_argument, NULL, 't'},
		{"wait", required_argument, NULL, 'w'},
		{"state", required_argument, NULL, 's'},
		{0}};
	const char *state = NULL;
	bool json = false;
	unsigned long long count = 3;
	double timeout = 1000, wait = 0;
	int c;
	while ((c = getopt_long(argc, argv, "c:t:w:", opts, NULL)) != -1) {
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
		case 'w': bad = cli_wait_opt("check", optarg, &wait); break;
		case 's': state = optarg; break;
		default: return cli_usage("check");
		}
		if (bad)
			return bad;
	}
	if (optind + 1 != argc)
		return cli_usage("check");
	if (!state && cli_mh_is(argv[optind])) {
		if (wait > 0) {
			fprintf(stderr, "vnetlab: check: --wait is not yet done across hosts; "
				"check each host's part, or check again\n");
			return 2;
		}
		return cli_mh_check(argv[optind], json, (unsigned)count, timeout);
	}
	return cli_check_with(argv[optind], state, json, (unsigned)count, timeout, wait, NULL);
}
