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

#include "keeper_int.h"


/* False when the line could not be written: `up` is gone (EPIPE; SIGPIPE
 * is ignored) or never listened. */
bool kpr_report(struct keeper *k, const char *fmt, const char *arg)
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

void kpr_teardown(struct keeper *k)
{
	/* Others asking meanwhile hear that the lab is being taken down
	 * (a `down` has usually said so already, with its own pid). */
	if (access(k->paths->stopping, F_OK) < 0)
		vl_lab_mark_stopping(k->paths, vl_host_pid());
	/* Daemons first, gracefully, while their network still exists (a
	 * BGP speaker says goodbye to its peers). */
	kpr_services_stop(k);
	kill_lab_processes();
	kpr_services_free(k);
	vl_linux_backend_free(k->be);
	k->be = NULL;
	drop_uts_dir(k);
	vl_lab_remove_locked(k->paths);
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
void kpr_progress(void *arg, size_t done, size_t total)
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
	kpr_report(k, "%s", line);
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
		kpr_report(k, "%s", line);
	}
	char line[64];
	snprintf(line, sizeof(line), "netlink %zu\n", vl_fault_nl_count());
	kpr_report(k, "%s", line);
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
		.lab_dir = k->paths->dir,
		.cmd_timeout_ms = k->opts->cmd_timeout_ms,
		.rootless = k->opts->mode == VL_MODE_ROOTLESS,
		.uts_dir = private_uts_dir(k),
	};
	int rc = kpr_services_check(k->topo, err);
	if (rc == 0)
		rc = vl_plan_build(k->topo, &k->opts->plan, &k->plan, err);
	if (rc < 0)
		return rc;
	if (!(k->be = vl_linux_backend_new(&k->plan, &lo, err)))
		return -ENOMEM;
	struct vl_run_stats st = {0};
	struct vl_run_hooks hooks = {.stop = term_requested, .arg = k, .stats = &st,
				     .progress = kpr_progress};
	rc = vl_backend_run(k->be, &hooks, err);
	if (rc == 0)
		report_phases(k, &st);
	if (rc == 0)
		rc = kpr_services_start(k, err);
	if (rc < 0)
		return rc;
	if ((k->listen = vl_ctl_listen(k->paths->sock, err)) < 0)
		return k->listen;
	rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be), k->opts, err);
	return rc < 0 ? rc : kpr_save_topology(k, err);
}

int kpr_keeper_main(struct keeper *k)
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
	if (rc == 0 && !kpr_report(k, "%s\n", "ok"))
		rc = vl_errf(&err, "lab '%s': `vnetlab up` went away before the lab "
			     "was reported; removing it", k->paths->name);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		if (k->be)
			vl_linux_backend_free(k->be);
		k->be = NULL;
		kill_lab_processes();
		kpr_services_free(k);
		drop_uts_dir(k);
		vl_lab_remove_locked(k->paths);
		kpr_report(k, "error %s\n", err.msg);
		return 1;
	}
#ifdef __GLIBC__
	/* The build's garbage (YAML tree, state JSON) stays in the heap for
	 * the lab's whole life unless handed back: ~6 KiB a node. */
	malloc_trim(0);
#endif
	close(k->report);
	k->report = -1;
	kpr_serve(k);
	return 0;
}

