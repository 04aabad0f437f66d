/* SPDX-License-Identifier: BSD-2-Clause */
/* up.c — `vnetlab up`, and the bringing up `run` shares.  The lab's
 * backend does the work (lifecycle.h); this file asks and reports. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/impair.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/privs.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* --name: the lab's name instead of the file's. */
static int rename_lab(const char *name, struct vl_topo *t, struct vl_err *err)
{
	if (!name)
		return 0;
	const char *why = vl_check_lab_name(name);
	if (why)
		return vl_errf(err, "--name '%s' %s", name, why), -EINVAL;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return 0;
}

/* What `up` asks of any backend (each ignores what it has no use for).
 * The mode follows from what this process holds; /run/netns links only
 * where `ip netns` of the host would see them. */
static struct vl_up_opts up_opts(const struct cli_up_args *a, const struct vl_up_report *rep)
{
	enum vl_mode mode = vl_privs_mode();
	return (struct vl_up_opts){
		.netns_links = !a->no_netns && mode == VL_MODE_ROOT && vl_privs_initial_userns(),
		.cmd_timeout_ms = a->cmd_timeout_ms ? a->cmd_timeout_ms : 30000,
		.mode = mode,
		.keep_going = a->keep_going,
		.report = rep};
}

static void show_warning(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "vnetlab: warning: %s\n", line);
}

/* A keeper's lab says its mode and its keeper; a lab without one (its
 * jails persist by themselves) names its backend. */
static void say_up(const struct vl_lab_ops *ops, const struct vl_topo *t,
		   const struct vl_up_opts *o, pid_t keeper, double s)
{
	char kp[32] = "";
	if (ops->keeper)
		snprintf(kp, sizeof(kp), " (keeper pid %d)", (int)keeper);
	fprintf(stderr, "vnetlab: lab '%s' up (%s): %zu node%s, %zu link%s in %.3f s%s\n",
		t->name, ops->keeper ? vl_mode_name(o->mode) : ops->name, t->n_nodes,
		t->n_nodes == 1 ? "" : "s", t->n_links, t->n_links == 1 ? "" : "s", s, kp);
}

/* `host:` pins mean something only to a lab over several hosts: one
 * warning for the first, with a count of the others. */
static void warn_pins(const struct vl_topo *t)
{
	size_t first = t->n_nodes, more = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].host[0]) {
			if (first == t->n_nodes)
				first = i;
			else
				more++;
		}
	if (first == t->n_nodes)
		return;
	fprintf(stderr, "vnetlab: warning: node %s is pinned to host %s but no --hosts was "
		"given; ignored", t->nodes[first].name, t->nodes[first].host);
	if (more)
		fprintf(stderr, " (as are %zu other pinned node%s)", more, more == 1 ? "" : "s");
	fputc('\n', stderr);
}

int cli_up(struct cli_up_args *a, struct vl_topo **out, struct vl_err *err)
{
	struct vl_topo *t = a->topo;
	*out = NULL;
	a->topo = NULL;
	int rc = t ? 0 : cli_load(a->file, &t, err);
	if (rc < 0)
		return rc;
	warn_pins(t);
	char root[PATH_MAX / 2 - 64];
	if ((rc = rename_lab(a->name, t, err)) < 0 ||
	    (rc = vl_state_root(root, sizeof(root), true, err)) < 0) {
		vl_topo_free(t);
		return rc;
	}
	const struct vl_lab_ops *ops = a->ops ? a->ops : vl_lab_ops_choose(NULL, NULL, NULL);
	struct vl_up_report rep = {
		.warn = show_warning,
		.progress = !a->quiet && isatty(2) ? show_progress : NULL,
		.phase = a->verbose ? show_phase : NULL, .arg = t->name};
	struct vl_up_opts o = up_opts(a, &rep);
	/* -v times the keeper's steps; a backend without one has none. */
	if (a->verbose && ops->keeper)
		fprintf(stderr, "vnetlab: time per kind of step (a batch of netlink "
			"messages counts where it is sent):\n");
	pid_t keeper = 0;
	double t0 = now_s();
	if ((rc = ops->up(t, root, &o, &keeper, err)) < 0) {
		vl_topo_free(t);
		return rc;
	}
	if (!a->quiet)
		say_up(ops, t, &o, keeper, now_s() - t0);
	*out = t;
	return 0;
}

/* `up - --tied`: the controller of a lab over several hosts sends this
 * host's part, a NUL, and keeps the connection open until this `up` is
 * done.  Its end before then (the controller killed, its ssh lost) ends
 * this `up` at once, by SIGKILL: the keeper, building for nobody, rolls
 * back by itself, so a lost controller leaves nothing being built that
 * its rollback `down` could miss. */
static void *watch_stdin(void *arg)
{
	(void)arg;
	char c[256];
	for (;;) {
		ssize_t n = read(0, c, sizeof(c));
		if (n == 0 || (n < 0 && errno != EINTR))
			raise(SIGKILL);
	}
	return NULL;
}

static void tie_to_stdin(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, watch_stdin, NULL) == 0)
		pthread_detach(t);
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
		{"keep-going", no_argument, NULL, 'k'},
		{"hosts", required_argument, NULL, 'H'},
		{"tied", no_argument, NULL, 'Y'},
		CLI_MN_OPTS,
		{0}};
	struct cli_up_args a = {0};
	struct cli_mn mn = {0};
	const char *hosts = NULL;
	bool tied = false;
	struct vl_err err;
	vl_err_init(&err);
	int c;
	while ((c = getopt_long(argc, argv, "n:qv", opts, NULL)) != -1) {
		if (cli_mn_opt(&mn, c, optarg))
			continue;
		switch (c) {
		case 'n': a.name = optarg; break;
		case 'N': a.no_netns = true; break;
		case 'q': a.quiet = true; break;
		case 'v': a.verbose = true; break;
		case 'k': a.keep_going = true; break;
		case 'H': hosts = optarg; break;
		case 'Y': tied = true; break;
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
			if (!(a.ops = vl_lab_ops_choose(optarg, NULL, &err)))
				return cli_usage("up");
			break;
		default: return cli_usage("up");
		}
	}
	int bad = cli_mn_check(&mn, "up", argc - optind);
	if (bad)
		return bad;
	if (optind + !mn.topo != argc)
		return cli_usage("up");
	a.file = argv[optind];
	if (mn.topo && cli_load_mn(&mn, NULL, &a.topo, &err) < 0)
		return cli_fail(&err);
	if (hosts)
		return cli_up_hosts(&a, hosts, &err) < 0 ? cli_fail(&err) : 0;
	if (tied) {
		if (strcmp(a.file, "-")) {
			fprintf(stderr, "vnetlab: up: --tied needs the topology on stdin (`up - "
				"--tied`)\n");
			return 2;
		}
		if (cli_load(a.file, &a.topo, &err) < 0)
			return cli_fail(&err);
		tie_to_stdin();
	}
	struct vl_topo *t;
	if (cli_up(&a, &t, &err) < 0)
		return cli_fail(&err);
	printf("%s\n", t->name);
	vl_topo_free(t);
	return 0;
}
