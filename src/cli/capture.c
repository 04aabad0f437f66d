/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.c — `vnetlab capture LAB NODE:IF [-w FILE] [-c COUNT] [--duration S]`.
 *
 * Joins the namespace of the hook's interface (a node's, or the lab's core
 * for switch and tee hooks), as root of the lab's user namespace when the
 * lab is rootless, and captures there with vnetlab's own packet socket: no
 * tcpdump needed inside the lab, and it works without privileges.  The
 * output file is opened before joining anything, so it is the caller's.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/capture.h"
#include "vnetlab/node.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct cap_args {
	const char *lab, *hook, *file;
	uint64_t count;
	double duration;
	bool quiet;
};

static int parse_args(int argc, char **argv, struct cap_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "-w") && v)
			a->file = argv[++i];
		else if (!strcmp(argv[i], "-c") && v) {
			unsigned long long n;
			int bad = cli_uint_opt("capture", "-c", argv[++i], 1,
					       VL_CAPTURE_MAX_COUNT, "frames", &n);
			if (bad)
				return -bad;
			a->count = n;
		} else if (!strcmp(argv[i], "--duration") && v) {
			int bad = cli_real_opt("capture", "--duration", argv[++i], 0,
					       VL_CAPTURE_MAX_DURATION_S,
					       "seconds (0: until -c or Ctrl-C)", &a->duration);
			if (bad)
				return -bad;
		}
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			a->quiet = true;
		else if (argv[i][0] == '-')
			return -1;
		else if (!a->lab)
			a->lab = argv[i];
		else if (!a->hook)
			a->hook = argv[i];
		else
			return -1;
	}
	return a->lab && a->hook ? 0 : -1;
}

/* Into the hook's namespace; the packet socket opened there. */
static int enter_and_open(const struct cap_args *a, struct vl_err *err)
{
	struct vl_lab_paths p;
	struct vl_node_entry e;
	int rc = cli_lab(a->lab, &p, err);
	if (rc == 0)
		rc = vl_hook_enter(&p, a->hook, &e, err);
	return rc < 0 ? rc : vl_capture_open(e.ifindex, err);
}

/* The hook is on another host: the same capture there, its pcap (or its
 * lines) coming back over ssh into the file or the terminal here. */
static int capture_remote(const struct cap_args *a)
{
	char node[VL_NAME_MAX + 1], cnt[32], dur[32];
	snprintf(node, sizeof(node), "%.*s", (int)strcspn(a->hook, ":"), a->hook);
	const char *args[16];
	size_t k = 0;
	args[k++] = "capture";
	if (a->file)
		args[k++] = "-w", args[k++] = "-";
	if (a->count) {
		snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)a->count);
		args[k++] = "-c", args[k++] = cnt;
	}
	if (a->duration > 0) {
		snprintf(dur, sizeof(dur), "%.17g", a->duration);
		args[k++] = "--duration", args[k++] = dur;
	}
	if (a->quiet)
		args[k++] = "-q";
	args[k++] = a->lab;
	args[k++] = a->hook;
	args[k] = NULL;
	if (a->file && strcmp(a->file, "-") && !freopen(a->file, "w", stdout)) {
		fprintf(stderr, "vnetlab: %s: %s\n", a->file, strerror(errno));
		return 1;
	}
	return cli_mh_forward(a->lab, node, args, false);
}

int cmd_capture(int argc, char **argv)
{
	struct cap_args a = {0};
	int prc = parse_args(argc, argv, &a);
	if (prc == -2)
		return 2; /* a bad value, already said */
	if (prc < 0)
		return cli_usage("capture");
	if (cli_mh_is(a.lab))
		return capture_remote(&a);
	struct vl_err err;
	vl_err_init(&err);
	bool to_stdout = a.file && !strcmp(a.file, "-");
	FILE *pcap = to_stdout ? stdout : a.file ? fopen(a.file, "we") : NULL;
	if (a.file && !pcap) {
		vl_err_sys(&err, errno, "%s", a.file);
		return cli_fail(&err);
	}
	int fd = enter_and_open(&a, &err);
	if (fd < 0) {
		if (pcap && !to_stdout)
			fclose(pcap);
		return cli_fail(&err);
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!a.quiet)
		fprintf(stderr, "vnetlab: capturing on %s %s%s%s\n", a.lab, a.hook,
			a.file ? ", writing pcap to " : "",
			a.file ? (to_stdout ? "stdout" : a.file) : "");
	struct vl_capture_opts o = {.pcap = pcap, .text = pcap ? NULL : stdout,
				    .count = a.count, .duration_s = a.duration,
				    .stop = &stop};
	uint64_t got = 0;
	int rc = vl_capture_run(fd, &o, &got, &err);
	close(fd);
	if (pcap && !to_stdout)
		fclose(pcap);
	/* A reader that went away (`| head`) ends the capture; not an error. */
	if (rc == -EPIPE)
		rc = 0;
	if (rc < 0) {
		cli_fail(&err);
		if (!a.quiet)
			fprintf(stderr, "vnetlab: capture stopped after %llu frames\n",
				(unsigned long long)got);
		return 1;
	}
	if (!a.quiet)
		fprintf(stderr, "vnetlab: %llu frames captured\n", (unsigned long long)got);
	return 0;
}
