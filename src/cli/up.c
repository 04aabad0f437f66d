/* SPDX-License-Identifier: BSD-2-Clause */
/* up.c — `vnetlab up` and `vnetlab run`. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/check.h"
#include "vnetlab/freebsd.h"
#include "vnetlab/impair.h"
#include "vnetlab/keeper.h"
#include "vnetlab/plan.h"
#include "vnetlab/privs.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#if VL_LINUX
/* A counter on stderr while a lab builds, when stderr is a terminal. */
static void show_progress(void *arg, size_t done, size_t total)
{
	const char *lab = arg;
	fprintf(stderr, "\rvnetlab: building %s: %zu/%zu steps (%zu%%)", lab, done, total,
		total ? done * 100 / total : 100);
	if (done == total)
		fprintf(stderr, "\r\033[K");
	fflush(stderr);
}

static void show_phase(void *arg, const char *name, double s, size_t n)
{
	(void)arg;
	if (strcmp(name, "netlink") == 0) {
		fprintf(stderr, "vnetlab:   %zu netlink requests\n", n);
		return;
	}
	fprintf(stderr, "vnetlab:   %-8s %8.3f s  %7zu steps  %8.1f us/step\n", name, s, n,
		n ? s * 1e6 / (double)n : 0);
}
#endif

int cli_up(struct cli_up_args *a, struct vl_topo **out, struct vl_err *err)
{
	struct vl_topo *t = a->topo;
	*out = NULL;
	a->topo = NULL;
	int rc = t ? 0 : cli_load(a->file, &t, err);
	if (rc < 0)
		return rc;
	if (a->name) {
		const char *why = vl_check_lab_name(a->name);
		if (why) {
			vl_topo_free(t);
			return vl_errf(err, "--name '%s' %s", a->name, why), -EINVAL;
		}
		snprintf(t->name, sizeof(t->name), "%s", a->name);
	}
	char root[PATH_MAX / 2 - 64];
	if ((rc = vl_state_root(root, sizeof(root), true, err)) < 0) {
		vl_topo_free(t);
		return rc;
	}
	if (a->freebsd) {
		double t0 = now_s();
		rc = vl_freebsd_up(t, root, err);
		if (rc == 0 && !a->quiet)
			fprintf(stderr, "vnetlab: lab '%s' up (freebsd): %zu node%s, %zu link%s "
				"in %.3f s\n", t->name, t->n_nodes, t->n_nodes == 1 ? "" : "s",
				t->n_links, t->n_links == 1 ? "" : "s", now_s() - t0);
		if (rc < 0)
			vl_topo_free(t);
		else
			*out = t;
		return rc;
	}
#if !VL_LINUX
	vl_topo_free(t);
	return vl_errf(err, "this build of vnetlab has the FreeBSD backend only"), -ENOTSUP;
#else
	/* The mode follows from what this process holds; /run/netns links
	 * only where `ip netns` of the host would see them. */
	enum vl_mode mode = vl_privs_mode();
	struct vl_up_opts o = {.netns_links = !a->no_netns && mode == VL_MODE_ROOT &&
					      vl_privs_initial_userns(),
			       .cmd_timeout_ms = a->cmd_timeout_ms ? a->cmd_timeout_ms : 30000,
			       .mode = mode};
	/* The qdiscs are probed only when a link asks for impairments. */
	bool impaired = false;
	for (size_t l = 0; l < t->n_links; l++)
		impaired = impaired || t->links[l].dir[0].set || t->links[l].dir[1].set ||
			   t->links[l].impl == VL_IMPL_USERSPACE;
	if (impaired && (rc = cli_plan_opts(NULL, &o.plan, err)) < 0) {
		vl_topo_free(t);
		return rc;
	}
	struct vl_up_report rep = {
		.progress = !a->quiet && isatty(2) ? show_progress : NULL,
		.phase = a->verbose ? show_phase : NULL, .arg = t->name};
	o.report = &rep;
	if (a->verbose)
		fprintf(stderr, "vnetlab: time per kind of step (a batch of netlink "
			"messages counts where it is sent):\n");
	pid_t keeper;
	double t0 = now_s();
	rc = vl_keeper_up(t, root, &o, &keeper, err);
	if (rc < 0) {
		vl_topo_free(t);
		return rc;
	}
	if (!a->quiet)
		fprintf(stderr, "vnetlab: lab '%s' up (%s): %zu node%s, %zu link%s in "
			"%.3f s (keeper pid %d)\n", t->name, vl_mode_name(mode),
			t->n_nodes, t->n_nodes == 1 ? "" : "s", t->n_links,
			t->n_links == 1 ? "" : "s", now_s() - t0, (int)keeper);
	*out = t;
	return 0;
#endif
}

int cmd_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"no-netns", no_argument, NULL, 'N'},
		{"quiet", no_argument, NULL, 'q'},
		{"cmd-timeout", required_argument, NULL, 't'},
		{"backend", required_argument, NULL, 'b'},
		{"verbose", no_argument, NULL, 'v'},
		{0}};
	struct cli_up_args a = {.freebsd = !VL_LINUX};
	int c;
	while ((c = getopt_long(argc, argv, "n:qv", opts, NULL)) != -1) {
		switch (c) {
		case 'n': a.name = optarg; break;
		case 'N': a.no_netns = true; break;
		case 'q': a.quiet = true; break;
		case 'v': a.verbose = true; break;
		case 't': {
			/* Milliseconds, 1 ms .. 1 h: never "forever" by accident.
			 * Digits only (strtol took " 5" and "+5"). */
			unsigned long long v;
			if (vl_uint_arg(optarg, 1, 3600000, &v) < 0) {
				fprintf(stderr, "vnetlab: up: --cmd-timeout '%s': a whole number "
					"of milliseconds from 1 to 3600000 (default 30000)\n", optarg);
				return 2;
			}
			a.cmd_timeout_ms = (int)v;
			break;
		}
		case 'b':
			if (strcmp(optarg, "freebsd") && strcmp(optarg, "linux"))
				return cli_usage("up");
			a.freebsd = !strcmp(optarg, "freebsd");
			break;
		default: return cli_usage("up");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("up");
	a.file = argv[optind];
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	if (cli_up(&a, &t, &err) < 0)
		return cli_fail(&err);
	printf("%s\n", t->name);
	vl_topo_free(t);
	return 0;
}

#if VL_LINUX
int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"count", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{0}};
	struct cli_up_args a = {.no_netns = true};
	bool json = false;
	unsigned long long count = 3;
	int c;
	while ((c = getopt_long(argc, argv, "c:n:q", opts, NULL)) != -1) {
		int bad;
		switch (c) {
		case 'j': json = true; break;
		case 'c':
			if ((bad = cli_uint_opt("run", "--count", optarg, 1, VL_CHECK_MAX_COUNT,
						"probes per target", &count)))
				return bad;
			break;
		case 'n': a.name = optarg; break;
		case 'q': a.quiet = true; break;
		default: return cli_usage("run");
		}
	}
	if (optind + 1 < argc)
		return cli_usage("run");
	a.file = optind < argc ? argv[optind] : NULL;
	a.quiet = a.quiet || json;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	if (cli_up(&a, &t, &err) < 0)
		return cli_fail(&err);
	/* The lab's paths are taken now: the check may join a rootless lab's
	 * user namespace, where this process would look like root and pick
	 * root's state directory. */
	struct vl_lab_paths p;
	int rc = cli_lab(t->name, &p, &err);
	/* A Ctrl-C during the check still takes the lab down below. */
	signal(SIGINT, SIG_IGN);
	int status = cli_check(t->name, json, (unsigned)count, 1000);
	if (rc == 0)
		rc = vl_keeper_down(&p, &err);
	if (rc < 0) {
		cli_fail(&err);
		status = 2;
	} else if (!json) {
		fprintf(stderr, "vnetlab: lab '%s' down\n", t->name);
	}
	vl_topo_free(t);
	return status;
}
#endif
