/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper_up.c — `vnetlab up`'s side of the keeper: claim the lab's name,
 * spawn the keeper as PID 1 of the lab, wait for its report; and `down`. */
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
	kpr_report(k, "error %s\n", err->msg);
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
		int status = kpr_keeper_main(k);
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
		} else if (strncmp(line, "warn ", 5) == 0) {
			line[strcspn(line, "\n")] = '\0';
			if (r && r->warn)
				r->warn(r->arg, line + 5);
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
