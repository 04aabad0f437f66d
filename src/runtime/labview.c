/* SPDX-License-Identifier: BSD-2-Clause */
/* labview.c — a running lab's nodes and hooks read in forked children
 * (labview.h), for callers that may not enter a lab themselves. */
#include "vnetlab/labview.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vnetlab/capture.h"
#include "vnetlab/netstat.h"
#include "vnetlab/node.h"
#include "vnetlab/statefile.h"

/* What a child may hand back: far above a lab of a few hundred nodes. */
#define LV_MAX_ANSWER (16u << 20)

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vl_labview_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Everything the child writes on fd until it closes it, NUL-terminated;
 * NULL when the deadline passes first or it writes too much. */
static char *read_answer(int fd, long long deadline, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		long long left = deadline - now_ms();
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		int r = left > 0 ? poll(&pf, 1, (int)left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 == cap) {
			char *more = cap < LV_MAX_ANSWER ? realloc(buf, cap * 2) : NULL;
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			buf[n] = '\0';
			*len = n;
			return got == 0 ? buf : (free(buf), NULL);
		}
		n += (size_t)got;
	}
	free(buf);
	return NULL;
}


/* In the child: each node entered in turn (the lab's user namespace once,
 * then one network namespace after another) and read. */
static _Noreturn void nodes_child(const struct vl_lab_paths *p, struct json_object *nodes,
				  int out)
{
	struct json_object *all = json_object_new_object();
	size_t n = json_object_is_type(nodes, json_type_array) ? json_object_array_length(nodes) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(nodes, i));
		struct vl_err err;
		vl_err_init(&err);
		struct vl_node_entry e;
		struct json_object *doc = NULL;
		if (name && vl_node_enter(p, name, VL_ENTER_NET, &e, &err) == 0)
			doc = vl_netstat(&err);
		if (!doc) {
			doc = json_object_new_object();
			json_object_object_add(doc, "error", json_object_new_string(err.msg));
		}
		if (name)
			json_object_object_add(all, name, doc);
		else
			json_object_put(doc);
	}
	const char *text = json_object_to_json_string_ext(all, JSON_C_TO_STRING_PLAIN);
	vl_write_all(out, text, strlen(text));
	_exit(0);
}

struct json_object *vl_labview_nodes(const struct vl_lab_paths *p, struct json_object *nodes,
				     int timeout_ms, struct vl_err *err)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return vl_err_sys(err, errno, "pipe"), NULL;
	long long deadline = now_ms() + timeout_ms;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		nodes_child(p, nodes, fds[1]);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return vl_err_sys(err, errno, "fork"), NULL;
	}
	size_t len = 0;
	char *text = read_answer(fds[0], deadline, &len);
	close(fds[0]);
	vl_labview_reap(pid);
	struct json_object *o = text ? json_tokener_parse(text) : NULL;
	free(text);
	if (!o)
		vl_errf(err, "lab '%s': no answer from its nodes within %d ms", p->name, timeout_ms);
	return o;
}

/* In the child: the hook's namespace, its packet socket, then "ok" on
 * status (or the reason), then pcap on out until the time is up or the
 * reader goes away (a write fails). */
static _Noreturn void capture_child(const struct vl_lab_paths *p, const char *hook,
				    double seconds, int status, int out)
{
	signal(SIGPIPE, SIG_DFL);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_node_entry e;
	int fd = vl_hook_enter(p, hook, &e, &err);
	if (fd == 0)
		fd = vl_capture_open(e.ifindex, &err);
	FILE *f = fd >= 0 ? fdopen(out, "w") : NULL;
	if (!f) {
		vl_write_all(status, err.count ? err.msg : "capture failed", err.count ? err.len : 14);
		_exit(1);
	}
	vl_write_all(status, "ok", 2);
	close(status);
	struct vl_capture_opts o = {.pcap = f, .duration_s = seconds};
	uint64_t got = 0;
	int rc = vl_capture_run(fd, &o, &got, &err);
	fclose(f);
	_exit(rc < 0);
}

int vl_labview_capture(const struct vl_lab_paths *p, const char *hook, double seconds,
		       int timeout_ms, pid_t *pid, struct vl_err *err)
{
	int data[2], status[2];
	if (pipe2(data, O_CLOEXEC) < 0)
		return vl_err_sys(err, errno, "pipe");
	if (pipe2(status, O_CLOEXEC) < 0) {
		close(data[0]);
		close(data[1]);
		return vl_err_sys(err, errno, "pipe");
	}
	long long deadline = now_ms() + timeout_ms;
	*pid = fork();
	if (*pid == 0) {
		close(data[0]);
		close(status[0]);
		capture_child(p, hook, seconds, status[1], data[1]);
	}
	close(data[1]);
	close(status[1]);
	int rc = *pid < 0 ? vl_err_sys(err, errno, "fork") : 0;
	size_t len = 0;
	char *said = rc == 0 ? read_answer(status[0], deadline, &len) : NULL;
	close(status[0]);
	if (rc == 0 && (!said || strcmp(said, "ok"))) {
		if (said && *said)
			vl_errf(err, "%s", said);
		else
			vl_errf(err, "capture of %s: no answer within %d ms", hook, timeout_ms);
		rc = -EINVAL;
	}
	free(said);
	if (rc < 0) {
		close(data[0]);
		vl_labview_reap(*pid);
		*pid = -1;
		return rc;
	}
	return data[0];
}
