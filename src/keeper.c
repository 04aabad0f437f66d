/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper.c — the process that makes a lab, holds it, and takes it down.
 *
 * `vnetlab up` forks; the child starts a session and a new PID namespace and
 * forks again, so the keeper is PID 1 of the lab's own PID namespace.  That
 * is the whole process-lifetime story: every startup command and every
 * `exec` joins that namespace, and when the keeper exits — by `down`, by an
 * error, or by kill -9 — the kernel kills them all.  Namespaces are held by
 * the keeper's fds and freed by the kernel the same way.  Only /run/netns
 * links outlive it; they are journaled (see linux.h) for `cleanup`.
 *
 * Rootless, the same child first makes a user namespace mapping the
 * caller's uid and gid to 0, so the PID namespace, every network namespace
 * and every interface of the lab belong to it, and the keeper (root in
 * there, nobody special outside) can do all of the above.  The keeper then
 * also takes network and UTS namespaces of its own: it could never setns()
 * back into the host's, which belong to the initial user namespace.
 *
 * The keeper reports to `up` over a pipe: "pid N", then "ok" or
 * "error <text>" lines.
 */
#include "vnetlab/keeper.h"
#include "vnetlab/ctl.h"
#include "vnetlab/doctor.h"
#include "vnetlab/fault.h"
#include "vnetlab/lab.h"
#include "vnetlab/linkedit.h"
#include "vnetlab/linux.h"
#include "linux/pipe.h"
#include "vnetlab/probe.h"
#include "vnetlab/san.h"
#include "vnetlab/plan_diff.h"
#include "vnetlab/statefile.h"
#include "vnetlab/topo_json.h"
#include "vnetlab/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct keeper {
	const struct vl_topo *topo;
	const struct vl_lab_paths *paths;
	const struct vl_up_opts *opts;
	struct vl_plan plan;
	struct vl_backend *be;
	int sigfd;
	int report;  /* pipe to `up`, -1 once detached */
	int listen;
	int pidns, userns;
	double last_progress;
	struct vl_fault fault; /* VNETLAB_FAULT, for the tests */
	int lockfd;            /* the lab's lock, held for its whole life */
};

/* How often an idle keeper checks that its state directory still exists. */
#define VL_KEEPER_WATCH_MS 1000

/* False when the line could not be written: `up` is gone (EPIPE; SIGPIPE
 * is ignored) or never listened. */
static bool report(struct keeper *k, const char *fmt, const char *arg)
{
	if (k->report < 0)
		return false;
	char line[VL_ERR_REPORT_MAX];
	int n = snprintf(line, sizeof(line), fmt, arg);
	if (n <= 0)
		return false;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	return write(k->report, line, len) == (ssize_t)len;
}

/* `up` died (killed, or its terminal closed): the read end of the report
 * pipe is gone, which poll shows as POLLERR on our end. */
static bool up_gone(const struct keeper *k)
{
	struct pollfd p = {.fd = k->report, .events = 0};
	return k->report >= 0 && poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

/* The build stops on a signal, or when nobody waits for it any more: a
 * lab its `up` never reported would be an orphan. */
static bool term_requested(void *arg)
{
	struct keeper *k = arg;
	if (up_gone(k))
		return true;
	struct signalfd_siginfo si;
	while (read(k->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT ||
		    si.ssi_signo == SIGHUP)
			return true;
	return false;
}

/* As PID 1 of the lab's PID namespace: kill -1 reaches every other process
 * in it (startup daemons, exec sessions) and nothing outside. */
static void kill_lab_processes(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

/* The private tmpfs of the nodes' UTS namespaces (private_uts_dir): in
 * this mount namespace it is a mount point that would keep the lab's
 * directory from going. */
static void drop_uts_dir(struct keeper *k)
{
	char dir[sizeof(k->paths->dir) + 8];
	snprintf(dir, sizeof(dir), "%s/uts", k->paths->dir);
	umount2(dir, MNT_DETACH);
}

/* Our pid as the host sees it (we are 1 in the lab's PID namespace;
 * /proc is the host's mount). */
static pid_t host_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return getpid();
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}

static void teardown(struct keeper *k)
{
	/* Others asking meanwhile hear that the lab is being taken down
	 * (a `down` has usually said so already, with its own pid). */
	if (access(k->paths->stopping, F_OK) < 0)
		vl_lab_mark_stopping(k->paths, host_pid());
	kill_lab_processes();
	vl_linux_backend_free(k->be);
	k->be = NULL;
	drop_uts_dir(k);
	vl_lab_remove_locked(k->paths);
}

/* ---- serving --------------------------------------------------------------- */

static void serve_ns(struct keeper *k, int c, const char *node)
{
	long i = vl_topo_find_node(k->topo, node);
	if (i < 0 || vl_kind_info(k->topo->nodes[i].kind)->is_switch) {
		char msg[VL_CTL_MAX + 128];
		snprintf(msg, sizeof(msg), "error: lab '%s' has no vnet node '%s'",
			 k->topo->name, node);
		vl_ctl_send(c, msg, NULL, 0);
		return;
	}
	int fds[4] = {vl_linux_ns_open(k->be, i, CLONE_NEWNET),
		      vl_linux_ns_open(k->be, i, CLONE_NEWUTS), k->pidns, k->userns};
	if (fds[0] < 0 || fds[1] < 0)
		vl_ctl_send(c, "error: the node's namespaces are gone", NULL, 0);
	else
		vl_ctl_send(c, "ok", fds, 4);
	for (int f = 0; f < 2; f++)
		if (fds[f] >= 0)
			close(fds[f]);
}

/* "hook NODE:IF": where that hook's interface is, for `capture`. */
static void serve_hook(struct keeper *k, int c, const char *spec)
{
	const struct vl_topo *t = k->topo;
	char node[VL_NAME_MAX + 2] = "";
	const char *colon = strchr(spec, ':');
	long ni = -1, fi = -1;
	if (colon && (size_t)(colon - spec) < sizeof(node)) {
		memcpy(node, spec, (size_t)(colon - spec));
		node[colon - spec] = '\0';
		ni = vl_topo_find_node(t, node);
	}
	if (ni >= 0)
		fi = vl_node_find_iface(&t->nodes[ni], colon + 1);
	if (fi < 0) {
		char msg[VL_CTL_MAX];
		snprintf(msg, sizeof(msg), "error: lab '%s' has no hook '%.200s' "
			 "(write NODE:IF; see: vnetlab inspect %s)", t->name, spec, t->name);
		vl_ctl_send(c, msg, NULL, 0);
		return;
	}
	const struct vl_hook_place *h = &k->plan.hooks[t->nodes[ni].ifaces[fi].gid];
	int fds[2] = {vl_linux_ns_fd(k->be, h->in_core ? -1 : ni, CLONE_NEWNET),
		      k->userns};
	char msg[32];
	snprintf(msg, sizeof(msg), "ok %d", h->ifindex);
	vl_ctl_send(c, msg, fds, 2);
}

static int save_topology(struct keeper *k, struct vl_err *err);

/* "iface NODE OLD NEW MAC MTU ADDRS": an interface of a vnet node was
 * changed live (`vnetlab ifconfig` in a jail); the lab's own picture of it
 * follows, so inspect, check and capture see the interface as it is.
 * MAC and ADDRS may be "-" (none); ADDRS is comma-separated. */
static int restate_iface(struct keeper *k, char *args, struct vl_err *err)
{
	char *w[6], *save = NULL;
	int n = 0;
	for (char *t = strtok_r(args, " ", &save); t && n < 6; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	if (n != 6)
		return vl_errf(err, "iface: NODE OLD NEW MAC MTU ADDRS"), -EINVAL;
	/* The keeper's copy of the topology is its own: it may change it. */
	struct vl_topo *t = (struct vl_topo *)k->topo;
	long ni = vl_topo_find_node(t, w[0]);
	long fi = ni < 0 ? -1 : vl_node_find_iface(&t->nodes[ni], w[1]);
	if (fi < 0 || t->nodes[ni].kind != VL_KIND_VNET)
		return vl_errf(err, "no interface %s:%s", w[0], w[1]), -ENOENT;
	struct vl_iface *f = &t->nodes[ni].ifaces[fi];
	char *end;
	unsigned long mtu = strtoul(w[4], &end, 10);
	if (*end || (mtu != 0 && (mtu < 68 || mtu > 65535)))
		return vl_errf(err, "iface: mtu '%s' is not 0 or 68..65535", w[4]), -EINVAL;
	if (strcmp(w[1], w[2]) && (vl_check_ifname(w[2]) ||
				   vl_node_find_iface(&t->nodes[ni], w[2]) >= 0))
		return vl_errf(err, "interface name '%s' is taken or invalid", w[2]), -EINVAL;
	struct vl_addr *addrs = NULL;
	size_t na = 0;
	for (char *s2 = NULL, *a = strcmp(w[5], "-") ? strtok_r(w[5], ",", &s2) : NULL; a;
	     a = strtok_r(NULL, ",", &s2)) {
		struct vl_addr *x = realloc(addrs, (na + 1) * sizeof(*addrs));
		if (!x || vl_ip_parse(a, true, &x[na].ip) < 0) {
			free(x ? x : addrs);
			return vl_errf(err, "address '%s'", a), -EINVAL;
		}
		addrs = x;
		addrs[na++].pos = f->pos;
	}
	f->has_mac = strcmp(w[3], "-") && vl_mac_parse(w[3], f->mac) == 0;
	f->mtu = (unsigned)mtu;
	free(f->addrs);
	f->addrs = addrs;
	f->n_addrs = na;
	snprintf(f->name, sizeof(f->name), "%s", w[2]);
	snprintf(k->plan.hooks[f->gid].ifname, sizeof(k->plan.hooks[f->gid].ifname), "%s", w[2]);
	int rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be), k->opts, err);
	return rc < 0 ? rc : save_topology(k, err);
}

static void serve_iface(struct keeper *k, int c, char *args)
{
	struct vl_err err;
	vl_err_init(&err);
	char msg[VL_CTL_MAX];
	if (restate_iface(k, args, &err) < 0) {
		snprintf(msg, sizeof(msg), "error: %.4000s", err.msg);
		vl_ctl_send(c, msg, NULL, 0);
	} else {
		vl_ctl_send(c, "ok", NULL, 0);
	}
}

static struct json_object *counters_json(const struct vl_pipe_stats *st)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "rx", json_object_new_uint64(st->rx));
	json_object_object_add(o, "tx", json_object_new_uint64(st->tx));
	json_object_object_add(o, "lost", json_object_new_uint64(st->dropped_loss));
	json_object_object_add(o, "bit_errors", json_object_new_uint64(st->dropped_ber));
	json_object_object_add(o, "queue_drops", json_object_new_uint64(st->dropped_queue));
	json_object_object_add(o, "duplicated", json_object_new_uint64(st->duplicated));
	return o;
}

static int apply_edit(struct keeper *k, const struct vl_link_edit *e,
		      struct vl_err *err)
{
	const struct vl_link_live *now = &vl_linux_links(k->be)[e->link];
	struct vl_impair next[2];
	switch (e->action) {
	case VL_LINK_SET:
	case VL_LINK_CLEAR:
		vl_link_edit_apply(e, now->dir, next);
		if (vl_link_edit_check(e, next, err) < 0)
			return -EINVAL;
		return vl_linux_link_impair(k->be, e->link, next, err);
	case VL_LINK_UP:
	case VL_LINK_DOWN:
		return vl_linux_link_updown(k->be, e->link, e->action == VL_LINK_UP, err);
	default:
		return 0;
	}
}

/* "link A:IF B:IF [verb ...]": apply, record in state.json, answer with
 * the link as it is now (and the pipe's counters). */
static void serve_link(struct keeper *k, int c, char *args)
{
	char *words[64], *save = NULL;
	int n = 0;
	for (char *w = strtok_r(args, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_link_edit e;
	int rc = vl_link_edit_parse(k->topo, n, words, &e, &err);
	/* A lab that came up without impairments was never probed. */
	if (rc == 0 && e.action != VL_LINK_SHOW && !k->plan.opts.qdiscs_known) {
		unsigned q = 0;
		vl_probe_qdiscs(k->opts->mode == VL_MODE_ROOTLESS, &q);
		k->plan.opts.qdiscs = q;
		k->plan.opts.qdiscs_known = true;
	}
	if (rc == 0)
		rc = apply_edit(k, &e, &err);
	if (rc == 0 && e.action != VL_LINK_SHOW)
		rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be),
					k->opts, &err);
	char msg[VL_CTL_MAX];
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "error: %.4000s", err.msg);
		vl_ctl_send(c, msg, NULL, 0);
		return;
	}
	struct json_object *o = vl_statefile_link(&k->plan, e.link,
						  &vl_linux_links(k->be)[e.link]);
	struct vl_pipe_stats st[2];
	if (vl_linux_link_stats(k->be, e.link, st) == 0) {
		struct json_object *cs = json_object_new_object();
		json_object_object_add(cs, "downstream", counters_json(&st[0]));
		json_object_object_add(cs, "upstream", counters_json(&st[1]));
		json_object_object_add(o, "counters", cs);
	}
	snprintf(msg, sizeof(msg), "ok %s", json_object_to_json_string_ext(
			 o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	vl_ctl_send(c, msg, NULL, 0);
}

/* topology.json in the lab's directory: the lab as it runs now, in the
 * topology format, for the verbs that edit it (node|link add|rm) and for
 * anyone who wants the file of what they have built by hand. */
static int save_topology(struct keeper *k, struct vl_err *err)
{
	char path[sizeof(k->paths->dir) + 16];
	snprintf(path, sizeof(path), "%s/topology.json", k->paths->dir);
	struct json_object *doc = vl_topo_to_json(k->topo);
	char *text = doc ? vl_topo_json_text(doc) : NULL;
	int rc = text ? vl_file_write_atomic(path, text, err)
		      : (vl_errf(err, "%s: out of memory", path), -ENOMEM);
	free(text);
	json_object_put(doc);
	return rc;
}

/* "apply FILE": the running lab becomes the lab FILE describes, changing
 * only what differs (vl_linux_apply); FILE must name this lab. */
static int apply_file(struct keeper *k, const char *file, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	int rc = vl_topo_load_file(file, &t, err);
	if (rc < 0)
		return rc;
	if (strcmp(t->name, k->topo->name)) {
		vl_errf(err, "%s is lab '%s', not '%s'", file, t->name, k->topo->name);
		vl_topo_free(t);
		return -EINVAL;
	}
	/* New impairments may need what a lab without any never probed. */
	if (!k->plan.opts.qdiscs_known) {
		unsigned q = 0;
		vl_probe_qdiscs(k->opts->mode == VL_MODE_ROOTLESS, &q);
		k->plan.opts.qdiscs = q;
		k->plan.opts.qdiscs_known = true;
	}
	struct vl_plan next;
	struct vl_plan_diff d = {0};
	rc = vl_plan_build(t, &k->plan.opts, &next, err);
	if (rc == 0 && (rc = vl_plan_diff(&k->plan, &next, &d, err)) == 0)
		rc = vl_linux_apply(k->be, &next, &d, err);
	vl_plan_diff_free(&d);
	if (rc < 0) {
		if (next.topo)
			vl_plan_free(&next);
		vl_topo_free(t);
		return rc;
	}
	const struct vl_topo *old = k->topo;
	/* The lab is still the one `up` made from its file (ls shows it). */
	char *given = strdup(old->file);
	if (given) {
		free(t->file);
		t->file = given;
	}
	vl_plan_free(&k->plan);
	k->plan = next;
	k->topo = t;
	vl_linux_rebind(k->be, &k->plan);
	vl_topo_free((struct vl_topo *)old);
	rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be), k->opts, err);
	return rc < 0 ? rc : save_topology(k, err);
}

static void serve_apply(struct keeper *k, int c, const char *file)
{
	struct vl_err err;
	vl_err_init(&err);
	char msg[VL_CTL_MAX];
	if (apply_file(k, file, &err) < 0)
		snprintf(msg, sizeof(msg), "error: %.4000s", err.msg);
	else
		snprintf(msg, sizeof(msg), "ok%s%.4000s", err.len ? " " : "", err.msg);
	vl_ctl_send(c, msg, NULL, 0);
}

/* Returns true when the keeper should stop serving. */
static bool serve_one(struct keeper *k)
{
	int c = accept4(k->listen, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return false;
	char req[VL_CTL_MAX], msg[64];
	bool stop = false;
	/* A peer that connects and says nothing must not stall the keeper. */
	struct timeval tv = {.tv_sec = 2};
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Read the request even from a stranger, so the refusal reaches it
	 * as a reply rather than as a reset connection. */
	bool got = vl_ctl_recv(c, req, sizeof(req)) > 0;
	if (got && !vl_ctl_peer_allowed(c)) {
		vl_ctl_send(c, "error: permission denied: not the lab's owner", NULL, 0);
	} else if (got) {
		if (strcmp(req, "ping") == 0) {
			snprintf(msg, sizeof(msg), "ok %d", (int)getpid());
			vl_ctl_send(c, msg, NULL, 0);
		} else if (strncmp(req, "ns ", 3) == 0) {
			serve_ns(k, c, req + 3);
		} else if (strncmp(req, "iface ", 6) == 0) {
			serve_iface(k, c, req + 6);
		} else if (strncmp(req, "hook ", 5) == 0) {
			serve_hook(k, c, req + 5);
		} else if (strncmp(req, "link ", 5) == 0) {
			serve_link(k, c, req + 5);
		} else if (strncmp(req, "apply ", 6) == 0) {
			serve_apply(k, c, req + 6);
		} else if (strcmp(req, "down") == 0) {
			/* Tear down first, then answer: the caller's "ok" means
			 * the lab is gone. */
			teardown(k);
			vl_ctl_send(c, "ok", NULL, 0);
			stop = true;
		} else {
			vl_ctl_send(c, "error: unknown request", NULL, 0);
		}
	}
	close(c);
	return stop;
}

/* Someone removed the lab's state directory (rm -rf, a tmpfs cleaner):
 * then no `down` or `cleanup` could ever find this keeper again, so it
 * must go by itself.  The lock file it holds open tells: unlinked, its
 * link count is 0. */
static bool state_removed(const struct keeper *k)
{
	struct stat st;
	return k->lockfd >= 0 && fstat(k->lockfd, &st) == 0 && st.st_nlink == 0;
}

static void serve(struct keeper *k)
{
	for (;;) {
		struct pollfd p[2] = {{.fd = k->listen, .events = POLLIN},
				      {.fd = k->sigfd, .events = POLLIN}};
		int n = poll(p, 2, VL_KEEPER_WATCH_MS);
		if (n == 0 && state_removed(k)) {
			fprintf(stderr, "vnetlab: lab '%s': its state directory was "
				"removed; tearing the lab down\n", k->paths->name);
			teardown(k);
			return;
		}
		if (n <= 0)
			continue;
		if (p[1].revents) {
			struct signalfd_siginfo si;
			while (read(k->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					while (waitpid(-1, NULL, WNOHANG) > 0)
						;
				else {
					teardown(k);
					return;
				}
			}
		}
		if (p[0].revents && serve_one(k))
			return;
	}
}

/* ---- the keeper's life ----------------------------------------------------- */

static int setup_signals(struct keeper *k)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	k->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return k->sigfd < 0 ? -errno : 0;
}

static void redirect_stdio(const struct vl_lab_paths *p)
{
	char path[sizeof(p->logs) + 16];
	snprintf(path, sizeof(path), "%s/keeper.log", p->logs);
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (in >= 0)
		dup2(in, 0);
	if (out >= 0) {
		dup2(out, 1);
		dup2(out, 2);
	}
	if (in > 2)
		close(in);
	if (out > 2)
		close(out);
}

/* Progress to `up`, at most every 50 ms (a line each step would cost
 * more than the steps). */
static void progress(void *arg, size_t done, size_t total)
{
	struct keeper *k = arg;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	double now = (double)t.tv_sec + (double)t.tv_nsec / 1e9;
	if (done < total && now - k->last_progress < 0.05 &&
	    k->fault.kind != VL_FAULT_KILLUP)
		return;
	k->last_progress = now;
	char line[64];
	snprintf(line, sizeof(line), "progress %zu %zu\n", done, total);
	report(k, "%s", line);
}

static void report_phases(struct keeper *k, const struct vl_run_stats *st)
{
	for (int i = 0; i <= VL_OP__COUNT; i++) {
		if (!st->n[i])
			continue;
		char line[96];
		snprintf(line, sizeof(line), "phase %s %.6f %zu\n",
			 i == VL_OP__COUNT ? "sync" : vl_op_name((enum vl_op_type)i), st->s[i],
			 st->n[i]);
		report(k, "%s", line);
	}
	char line[64];
	snprintf(line, sizeof(line), "netlink %zu\n", vl_fault_nl_count());
	report(k, "%s", line);
}

/* A tmpfs only the keeper sees (its own mount namespace) to hold the
 * nodes' UTS namespaces by bind mounts (see linux.h), at <lab>/uts; when
 * the keeper dies, its mount namespace and the mounts go with it.  NULL
 * when the host does not allow it: the backend holds descriptors then. */
static const char *private_uts_dir(struct keeper *k)
{
	/* /run/netns links must be mounted where the host sees them, so a
	 * lab that has them keeps the keeper in the host's mount namespace
	 * (and a descriptor per UTS namespace). */
	if (k->opts->netns_links)
		return NULL;
	static char dir[sizeof(k->paths->dir) + 8];
	snprintf(dir, sizeof(dir), "%s/uts", k->paths->dir);
	if (mkdir(dir, 0700) < 0 || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("vnetlab-uts", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0)
		return NULL;
	return dir;
}

static int build(struct keeper *k, struct vl_err *err)
{
	struct vl_linux_opts lo = {
		.netns_journal = k->opts->netns_links ? k->paths->journal : NULL,
		.log_dir = k->paths->logs,
		.cmd_timeout_ms = k->opts->cmd_timeout_ms,
		.rootless = k->opts->mode == VL_MODE_ROOTLESS,
		.uts_dir = private_uts_dir(k),
	};
	int rc = vl_plan_build(k->topo, &k->opts->plan, &k->plan, err);
	if (rc < 0)
		return rc;
	if (!(k->be = vl_linux_backend_new(&k->plan, &lo, err)))
		return -ENOMEM;
	struct vl_run_stats st = {0};
	struct vl_run_hooks hooks = {.stop = term_requested, .arg = k, .stats = &st,
				     .progress = progress};
	rc = vl_backend_run(k->be, &hooks, err);
	if (rc == 0)
		report_phases(k, &st);
	if (rc < 0)
		return rc;
	if ((k->listen = vl_ctl_listen(k->paths->sock, err)) < 0)
		return k->listen;
	rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be), k->opts, err);
	return rc < 0 ? rc : save_topology(k, err);
}

static int keeper_main(struct keeper *k)
{
	struct vl_err err;
	vl_err_init(&err);
	redirect_stdio(k->paths);
	/* Namespace fds: one per node (two where UTS cannot be bound, see
	 * private_uts_dir), and a few of our own. */
	vl_privs_raise_nofile(k->topo->n_nodes * 2 + 256);
	k->pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	k->userns = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	int rc = setup_signals(k);
	if (rc == 0 && (k->pidns < 0 || k->userns < 0))
		rc = -errno;
	/* Rootless: a home of our own to return to between nodes. */
	if (rc == 0 && k->opts->mode == VL_MODE_ROOTLESS &&
	    unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0)
		rc = -errno;
	if (rc < 0)
		vl_err_sys(&err, -rc, "keeper setup");
	else
		rc = build(k, &err);
	/* Built, but `up` died before hearing so: nobody knows of this lab. */
	if (rc == 0 && !report(k, "%s\n", "ok"))
		rc = vl_errf(&err, "lab '%s': `vnetlab up` went away before the lab "
			     "was reported; removing it", k->paths->name);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		if (k->be)
			vl_linux_backend_free(k->be);
		k->be = NULL;
		kill_lab_processes();
		drop_uts_dir(k);
		vl_lab_remove_locked(k->paths);
		report(k, "error %s\n", err.msg);
		return 1;
	}
#ifdef __GLIBC__
	/* The build's garbage (YAML tree, state JSON) stays in the heap for
	 * the lab's whole life unless handed back: ~6 KiB a node. */
	malloc_trim(0);
#endif
	close(k->report);
	k->report = -1;
	serve(k);
	return 0;
}

/* ---- `vnetlab up` side ------------------------------------------------------- */

/* Under the root lock.  -EAGAIN: the lab of that name is being taken
 * down; the caller waits for that without the root lock and asks again. */
static int claim_name(const struct vl_lab_paths *p, int *lockfd, struct vl_err *err)
{
	pid_t who;
	switch (vl_lab_phase(p, &who)) {
	case VL_LAB_NONE:
		break;
	case VL_LAB_RUNNING:
		return vl_errf(err, "lab '%s' is already running "
			       "(stop it with: vnetlab down %s)", p->name,
			       p->name), -EEXIST;
	case VL_LAB_BUILDING:
		return vl_errf(err, "lab '%s' is already running: another vnetlab "
			       "(pid %d) is building it now", p->name, (int)who), -EEXIST;
	case VL_LAB_STOPPING:
		return -EAGAIN;
	case VL_LAB_STALE:
		fprintf(stderr, "vnetlab: removing what a crashed run of lab '%s' "
			"left behind\n", p->name);
		vl_lab_remove(p);
		break;
	}
	if (mkdir(p->dir, 0700) < 0)
		return vl_err_sys(err, errno, "creating %s", p->dir);
	if (mkdir(p->logs, 0700) < 0)
		return vl_err_sys(err, errno, "creating %s", p->logs);
	*lockfd = open(p->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (*lockfd < 0 || flock(*lockfd, LOCK_EX | LOCK_NB) < 0)
		return vl_err_sys(err, errno, "locking %s", p->lock);
	/* Who is building it, for anyone who asks meanwhile (vl_lab_phase). */
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write(*lockfd, pid, (size_t)n) != n)
		return vl_err_sys(err, errno, "writing %s", p->lock);
	return 0;
}

/* The keeper lives long and must hold nothing it was not given: a pipe
 * inherited from whoever ran `up` (a shell's $(...), a test runner) would
 * keep that reader waiting for as long as the lab runs. */
static void close_inherited(int keep1, int keep2)
{
	int lo = keep1 < keep2 ? keep1 : keep2, hi = keep1 < keep2 ? keep2 : keep1;
	if (lo > 3)
		close_range(3, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0U, 0);
}

static void report_exit(struct keeper *k, const struct vl_err *err)
{
	report(k, "error %s\n", err->msg);
	_exit(1);
}

/* Rootless: become root of a user namespace of our own.  When the host
 * forbids it, say which setting does, and where the fix is. */
static void enter_lab_userns(struct keeper *k)
{
	struct vl_err err;
	vl_err_init(&err);
	int rc = vl_userns_create(0, getuid(), 0, getgid(), &err);
	if (rc == 0)
		return;
	struct vl_host_facts f;
	char why[200], msg[sizeof(err.msg)];
	vl_doctor_read("/proc", &f);
	vl_doctor_rootless_reason(&f, -rc, why, sizeof(why));
	snprintf(msg, sizeof(msg), "%s", err.msg);
	vl_err_init(&err);
	vl_errf(&err, "rootless mode: cannot make the lab's user namespace: %s%s%s; "
		"run `vnetlab doctor` for the fix", msg, why[0] ? ": " : "", why);
	report_exit(k, &err);
}

/* Child of `up`: new session and PID namespace, then the keeper as PID 1.
 * Sends the keeper's pid (as seen from here) down the report pipe. */
static void spawn_keeper(struct keeper *k, int lockfd)
{
	close_inherited(k->report, lockfd);
	setsid();
	if (k->opts->mode == VL_MODE_ROOTLESS)
		enter_lab_userns(k);
	if (unshare(CLONE_NEWPID) < 0) {
		struct vl_err err;
		vl_err_init(&err);
		vl_err_sys(&err, errno, "new PID namespace");
		report_exit(k, &err);
	}
	pid_t pid = fork();
	if (pid == 0) {
		int status = keeper_main(k);
		vl_leak_check();
		_exit(status);
	}
	char msg[32];
	snprintf(msg, sizeof(msg), "pid %d\n", (int)pid);
	ssize_t w = write(k->report, msg, strlen(msg));
	(void)w;
	(void)lockfd; /* the keeper inherited it; the lock is now its */
	_exit(pid < 0 ? 1 : 0);
}

/* Read the keeper's report until "ok", "error" or EOF. */
/* What a keeper that died (or never started) left.  The dead keeper's
 * lock may be released a moment after its report pipe closes (the kernel
 * frees a dying process's files lazily), so wait for the lock first; then
 * remove under the root lock and only if the lock file is still the one
 * this `up` made — a concurrent `up` may have claimed the name since. */
static void remove_if_dead(const char *root, const struct vl_lab_paths *p,
			   ino_t lock_ino)
{
	struct stat st;
	int fd = open(p->lock, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* the keeper removed everything; the lock goes last */
	bool ours = fstat(fd, &st) == 0 && st.st_ino == lock_ino;
	if (ours)
		flock(fd, LOCK_SH);
	close(fd);
	if (!ours)
		return;
	struct vl_err ignored;
	vl_err_init(&ignored);
	int rfd = vl_root_lock(root, &ignored);
	if (stat(p->lock, &st) == 0 && st.st_ino == lock_ino && !vl_lab_alive(p))
		vl_lab_remove(p);
	if (rfd >= 0)
		close(rfd);
}

static int await_keeper(int rfd, const char *root, const struct vl_lab_paths *p,
			ino_t lock_ino, const struct vl_up_opts *o, pid_t *keeper,
			struct vl_err *err)
{
	FILE *f = fdopen(rfd, "r");
	char line[VL_ERR_REPORT_MAX];
	int rc = -EPIPE;
	bool error_text = false;
	struct vl_fault fault = vl_fault_get();
	while (f && fgets(line, sizeof(line), f)) {
		const struct vl_up_report *r = o->report;
		if (strncmp(line, "pid ", 4) == 0) {
			*keeper = (pid_t)atoi(line + 4);
		} else if (strncmp(line, "progress ", 9) == 0) {
			size_t done = 0, total = 0;
			if (sscanf(line + 9, "%zu %zu", &done, &total) != 2)
				continue;
			if (fault.kind == VL_FAULT_KILLUP && done >= fault.step)
				raise(SIGKILL);
			if (r && r->progress)
				r->progress(r->arg, done, total);
		} else if (strncmp(line, "netlink ", 8) == 0) {
			if (r && r->phase)
				r->phase(r->arg, "netlink", 0, strtoul(line + 8, NULL, 10));
		} else if (strncmp(line, "phase ", 6) == 0) {
			char name[32];
			double sec;
			size_t n;
			if (r && r->phase && sscanf(line + 6, "%31s %lf %zu", name, &sec, &n) == 3)
				r->phase(r->arg, name, sec, n);
		} else if (strcmp(line, "ok\n") == 0) {
			rc = 0;
			break;
		} else if (strncmp(line, "error ", 6) == 0 || error_text) {
			line[strcspn(line, "\n")] = '\0';
			vl_errf(err, "%s", error_text ? line : line + 6);
			error_text = true;
			rc = -EIO;
		}
	}
	if (f)
		fclose(f);
	else
		close(rfd);
	if (rc == -EPIPE)
		vl_errf(err, "lab '%s': the keeper died during setup; removing "
			"what it made", p->name);
	/* A keeper removes its own lab before it reports an error; without a
	 * keeper (no "pid" line) nobody has. */
	if (rc == -EPIPE || (rc < 0 && *keeper < 0))
		remove_if_dead(root, p, lock_ino);
	return rc;
}

int vl_keeper_up(const struct vl_topo *t, const char *root,
		 const struct vl_up_opts *o, pid_t *keeper_pid, struct vl_err *err)
{
	struct vl_lab_paths p;
	int rc = vl_lab_paths(root, t->name, &p, err);
	if (rc < 0)
		return rc;
	int rootfd, lockfd = -1;
	/* A lab of this name being taken down is waited for (a moment): then
	 * the name is free, as the user meant it to be. */
	for (int tries = 0;; tries++) {
		if ((rootfd = vl_root_lock(root, err)) < 0)
			return rootfd;
		rc = claim_name(&p, &lockfd, err);
		if (rc != -EAGAIN)
			break;
		close(rootfd);
		if (tries == 0)
			fprintf(stderr, "vnetlab: lab '%s' is being taken down by another "
				"vnetlab; waiting for it to finish\n", p.name);
		vl_lab_wait_released(&p);
		if (tries == 100) /* taken down and made again, over and over */
			return vl_errf(err, "lab '%s' keeps being taken down and made "
				       "by others; try again", p.name), -EBUSY;
	}
	struct stat lst;
	ino_t lock_ino = rc == 0 && fstat(lockfd, &lst) == 0 ? lst.st_ino : 0;
	int pipefd[2] = {-1, -1};
	if (rc == 0 && pipe2(pipefd, O_CLOEXEC) < 0)
		rc = vl_err_sys(err, errno, "pipe");
	pid_t child = -1;
	if (rc == 0) {
		fflush(NULL);
		child = fork();
		if (child < 0)
			rc = vl_err_sys(err, errno, "fork");
	}
	if (child == 0) {
		close(pipefd[0]);
		close(rootfd);
		struct keeper k = {.topo = t, .paths = &p, .opts = o,
				   .report = pipefd[1], .listen = -1, .sigfd = -1,
				   .fault = vl_fault_get(), .lockfd = lockfd,
				   .pidns = -1, .userns = -1};
		spawn_keeper(&k, lockfd);
	}
	if (lockfd >= 0)
		close(lockfd); /* the keeper holds its own copy */
	if (rc < 0) {
		if (pipefd[0] >= 0)
			close(pipefd[0]), close(pipefd[1]);
		/* Still under the root lock: what this `up` made, nobody else's. */
		if (rc != -EEXIST)
			vl_lab_remove(&p);
		close(rootfd);
		return rc;
	}
	close(rootfd);
	close(pipefd[1]);
	waitpid(child, NULL, 0);
	*keeper_pid = -1;
	return await_keeper(pipefd[0], root, &p, lock_ino, o, keeper_pid, err);
}

/* The keeper is going or gone (another `down`, a signal): wait until it
 * has let go, and clear what a dead one left. */
static int taken_down_by_another(const struct vl_lab_paths *p)
{
	vl_lab_wait_released(p);
	vl_lab_remove_stale(p);
	return 1;
}

int vl_keeper_down(const struct vl_lab_paths *p, struct vl_err *err)
{
	pid_t who;
	switch (vl_lab_phase(p, &who)) {
	case VL_LAB_NONE:
		return vl_errf(err, "no lab named '%s' (see: vnetlab ls)", p->name),
		       -ENOENT;
	case VL_LAB_STALE:
		/* Under the root lock: an `up` may be claiming the name now. */
		if (!vl_lab_remove_stale(p) && vl_lab_exists(p))
			return vl_keeper_down(p, err); /* it did: look again */
		return 0;
	case VL_LAB_BUILDING:
		return vl_errf(err, "lab '%s' is being built by another vnetlab (pid %d): "
			       "there is nothing to take down yet; run `vnetlab down %s` "
			       "when its `up` is done", p->name, (int)who, p->name),
		       -EBUSY;
	case VL_LAB_STOPPING:
		return taken_down_by_another(p);
	case VL_LAB_RUNNING:
		break;
	}
	/* Hold the lock file open: when the keeper exits, flock() returns,
	 * and that is the moment everything of the lab is released. */
	int lockfd = open(p->lock, O_RDONLY | O_CLOEXEC);
	struct vl_err mine;
	vl_err_init(&mine);
	int fd = vl_ctl_connect(p, &mine);
	if (fd < 0) {
		if (lockfd >= 0)
			close(lockfd);
		/* Gone between the look and the knock: someone else's down. */
		if (fd == -ENOENT || fd == -ECONNREFUSED)
			return taken_down_by_another(p);
		vl_errf(err, "%s", mine.msg);
		return fd;
	}
	vl_lab_mark_stopping(p, getpid());
	char reply[VL_CTL_MAX];
	int rc = vl_ctl_call(fd, "down", reply, sizeof(reply), NULL, NULL, &mine);
	close(fd);
	if (rc == 0 && lockfd >= 0)
		flock(lockfd, LOCK_SH);
	if (lockfd >= 0)
		close(lockfd);
	/* The keeper went away without answering: it was being taken down
	 * already (our request waited in its queue). */
	if (rc == -ECONNRESET || rc == -EPIPE)
		return taken_down_by_another(p);
	if (rc < 0) {
		unlink(p->stopping);
		vl_errf(err, "%s", mine.msg);
	}
	return rc;
}
