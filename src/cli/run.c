/* SPDX-License-Identifier: BSD-2-Clause */
/* run.c — `vnetlab run`: up, check, down of one lab.  Built only where
 * `check` is (Linux): the verb table lists it there alone. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"
#include "vnetlab/check.h"

/* Ctrl-C during run's --wait: the wait ends, the report is printed and
 * the lab goes down as ever. */
static volatile sig_atomic_t run_interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	run_interrupted = 1;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"count", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"wait", required_argument, NULL, 'w'},
		CLI_MN_OPTS,
		{0}};
	struct cli_up_args a = {.no_netns = true};
	struct cli_mn mn = {0};
	bool json = false;
	unsigned long long count = 3;
	double wait = 0;
	int c;
	while ((c = getopt_long(argc, argv, "c:n:qw:", opts, NULL)) != -1) {
		int bad;
		if (cli_mn_opt(&mn, c, optarg))
			continue;
		switch (c) {
		case 'j': json = true; break;
		case 'c':
			if ((bad = cli_uint_opt("run", "--count", optarg, 1, VL_CHECK_MAX_COUNT,
						"probes per target", &count)))
				return bad;
			break;
		case 'n': a.name = optarg; break;
		case 'q': a.quiet = true; break;
		case 'w':
			if ((bad = cli_wait_opt("run", optarg, &wait)))
				return bad;
			break;
		default: return cli_usage("run");
		}
	}
	int bad = cli_mn_check(&mn, "run", argc - optind);
	if (bad)
		return bad;
	if (optind + 1 < argc)
		return cli_usage("run");
	a.file = optind < argc ? argv[optind] : NULL;
	a.quiet = a.quiet || json;
	struct vl_err err;
	vl_err_init(&err);
	/* --topo: Mininet's `mn --topo ... --test pingall`, the check being
	 * the ping matrix. */
	if (mn.topo && cli_load_mn(&mn, NULL, &a.topo, &err) < 0)
		return cli_fail(&err);
	struct vl_topo *t;
	if (cli_up(&a, &t, &err) < 0)
		return cli_fail(&err);
	/* The lab's paths are taken now: the check may join a rootless lab's
	 * user namespace, where this process would look like root and pick
	 * root's state directory. */
	struct vl_lab_paths p;
	int rc = cli_lab(t->name, &p, &err);
	/* A spanning tree forwards only after its ports have listened and
	 * learned (2 x 2 s): without --wait, the check waits for that, as
	 * Mininet waits for its switches to connect before pingall. */
	for (size_t i = 0; wait == 0 && i < t->n_nodes; i++)
		if (t->nodes[i].stp)
			wait = 20;
	/* A Ctrl-C during the check still takes the lab down below; during
	 * a --wait it ends the wait (no SA_RESTART: poll returns at once). */
	if (wait > 0)
		sigaction(SIGINT, &(struct sigaction){.sa_handler = on_interrupt}, NULL);
	else
		signal(SIGINT, SIG_IGN);
	int status = cli_check(t->name, json, (unsigned)count, 1000, wait, &run_interrupted);
	signal(SIGINT, SIG_IGN);
	if (rc == 0)
		rc = cli_down(&p, &err);
	if (rc < 0) {
		cli_fail(&err);
		status = 2;
	} else if (!json) {
		fprintf(stderr, "vnetlab: lab '%s' down\n", t->name);
	}
	vl_topo_free(t);
	return status;
}
