/* SPDX-License-Identifier: BSD-2-Clause */
/* logs.c — `vnetlab logs LAB NODE [SERVICE] [-f]`: what a node's startup
 * commands and services wrote (logs/NODE.log, logs/NODE.SERVICE.log), and
 * with -f what they write next, until the lab goes or Ctrl-C. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/statefile.h"

#define LOGS_MAX 64

struct logfile {
	char path[PATH_MAX];
	char title[96];
	off_t at;
};

/* The node's logs: its startup commands', then each service's. */
static int find_logs(const struct vl_lab_paths *p, const char *node, const char *svc,
		     struct logfile *out, int *n, struct vl_err *err)
{
	char path[sizeof(p->dir) + 32];
	snprintf(path, sizeof(path), "%s/services.json", p->dir);
	struct vl_err quiet;
	vl_err_init(&quiet);
	struct json_object *a = vl_statefile_read(path, &quiet);
	*n = 0;
	if (!svc) {
		snprintf(out[0].path, sizeof(out[0].path), "%s/%s.log", p->logs, node);
		snprintf(out[0].title, sizeof(out[0].title), "%s: startup commands", node);
		*n = access(out[0].path, F_OK) == 0;
	}
	bool found = false;
	size_t len = json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
	for (size_t i = 0; i < len && *n < LOGS_MAX; i++) {
		struct json_object *s = json_object_array_get_idx(a, i);
		const char *sn = json_object_get_string(json_object_object_get(s, "node"));
		const char *name = json_object_get_string(json_object_object_get(s, "service"));
		if (!sn || !name || strcmp(sn, node) || (svc && strcmp(svc, name)))
			continue;
		found = true;
		snprintf(out[*n].path, sizeof(out[*n].path), "%s/%s.%s.log", p->logs, node, name);
		snprintf(out[*n].title, sizeof(out[*n].title), "%s: service %s", node, name);
		(*n)++;
	}
	json_object_put(a);
	if (svc && !found)
		return vl_errf(err, "lab '%s' has no service '%s' on node '%s' (see: vnetlab "
			       "inspect %s)", p->name, svc, node, p->name), -ENOENT;
	return 0;
}

/* What f has beyond f->at, to stdout; false when it cannot be read. */
static bool show_new(struct logfile *f, bool title, const struct logfile **last)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char buf[65536];
	ssize_t r;
	while ((r = pread(fd, buf, sizeof(buf), f->at)) > 0) {
		if (title && *last != f)
			printf("%s==> %s <==\n", *last ? "\n" : "", f->title);
		*last = f;
		fwrite(buf, 1, (size_t)r, stdout);
		f->at += r;
	}
	fflush(stdout);
	close(fd);
	return true;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int cmd_logs(int argc, char **argv)
{
	bool follow = false;
	const char *w[3] = {NULL, NULL, NULL};
	int nw = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow"))
			follow = true;
		else if (argv[i][0] == '-' || nw == 3)
			return cli_usage("logs");
		else
			w[nw++] = argv[i];
	}
	if (nw < 2)
		return cli_usage("logs");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_lab_paths p;
	/* Names become file names: never a path. */
	if (vl_check_node_name(w[1]) || (w[2] && vl_check_lab_name(w[2])))
		return vl_errf(&err, "logs: '%s' is not a node or service name",
			       vl_check_node_name(w[1]) ? w[1] : w[2]), cli_fail(&err);
	if (cli_lab(w[0], &p, &err) < 0)
		return cli_fail(&err);
	if (!vl_lab_exists(&p))
		return vl_errf(&err, "lab '%s' is not running (see: vnetlab ls)", w[0]),
		       cli_fail(&err);
	struct logfile logs[LOGS_MAX];
	int n;
	if (find_logs(&p, w[1], w[2], logs, &n, &err) < 0)
		return cli_fail(&err);
	if (n == 0 && !follow)
		return vl_errf(&err, "node '%s' of lab '%s' has no logs (no startup commands, "
			       "no services)", w[1], w[0]), cli_fail(&err);
	for (int i = 0; i < n; i++)
		logs[i].at = 0;
	const struct logfile *last = NULL;
	for (int i = 0; i < n; i++)
		show_new(&logs[i], n > 1, &last);
	if (!follow)
		return 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	while (!stop && vl_lab_alive(&p)) {
		nanosleep(&(struct timespec){0, 250 * 1000 * 1000}, NULL);
		for (int i = 0; i < n; i++)
			show_new(&logs[i], n > 1, &last);
	}
	return 0;
}
