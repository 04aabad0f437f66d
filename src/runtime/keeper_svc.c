/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper_svc.c — the keeper runs the nodes' services (service.h): starts
 * them once the network is up, in the node's view, as the node's root;
 * notices when one exits; stops them before the network goes; and starts,
 * stops or restarts one on request.  Each service's output goes to
 * logs/NODE.SERVICE.log; what they are doing to services.json, which
 * `ls` and `inspect` show. */
#include "vnetlab/linux.h"
#include "vnetlab/service.h"
#include "vnetlab/statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "keeper_int.h"

#define SVC_START_MS 30000 /* a service that does not serve by then failed */
#define SVC_STOP_MS 3000   /* then SIGKILL */
#define FILE_MAX (256u << 10)

static char *const service_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root", "LANG=C.UTF-8", NULL};

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void nap(int ms)
{
	nanosleep(&(struct timespec){0, ms * 1000000L}, NULL);
}

static const char *const state_names[] = {"stopped", "starting", "running", "exited",
					  "failed"};

/* ---- what the node sees ---------------------------------------------------- */

/* path as the node sees it, from its view's root, symlinks kept inside. */
static int view_open(struct keeper *k, size_t node, const char *path, int flags)
{
	struct vl_err ignored;
	vl_err_init(&ignored);
	int root = vl_linux_view_root(k->be, (long)node, &ignored);
	if (root < 0)
		return root;
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, root, path + (path[0] == '/'), &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

static bool view_exists(struct keeper *k, size_t node, const char *path)
{
	int fd = view_open(k, node, path, O_PATH);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static char *view_read(struct keeper *k, size_t node, const char *path)
{
	int fd = view_open(k, node, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	char *buf = malloc(FILE_MAX + 1);
	size_t got = 0;
	ssize_t r;
	while (buf && got < FILE_MAX && (r = read(fd, buf + got, FILE_MAX - got)) > 0)
		got += (size_t)r;
	close(fd);
	if (buf)
		buf[got] = '\0';
	return buf;
}

/* ---- the state file -------------------------------------------------------- */

void kpr_services_save(struct keeper *k)
{
	char path[sizeof(k->paths->dir) + 16];
	snprintf(path, sizeof(path), "%s/services.json", k->paths->dir);
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < k->n_svcs; i++) {
		const struct svc_run *s = &k->svcs[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "node", json_object_new_string(k->topo->nodes[s->node].name));
		json_object_object_add(o, "service", json_object_new_string(s->def->name));
		json_object_object_add(o, "state", json_object_new_string(state_names[s->state]));
		if (s->state == SVC_EXITED || s->state == SVC_FAILED) {
			json_object_object_add(o, "code", json_object_new_int(s->code));
			json_object_object_add(o, "process", json_object_new_string(s->who));
		}
		struct json_object *procs = json_object_new_array();
		for (size_t p = 0; p < s->plan.n_procs; p++) {
			struct json_object *po = json_object_new_object();
			json_object_object_add(po, "name", json_object_new_string(s->plan.procs[p].label));
			json_object_object_add(po, "pid", json_object_new_int(s->pid[p]));
			json_object_array_add(procs, po);
		}
		json_object_object_add(o, "processes", procs);
		json_object_object_add(o, "log", json_object_new_string(s->log));
		json_object_array_add(a, o);
	}
	struct vl_err ignored;
	vl_err_init(&ignored);
	vl_file_write_atomic(path, json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY),
			     &ignored);
	json_object_put(a);
}

/* ---- starting -------------------------------------------------------------- */

static int open_log(struct svc_run *s, struct vl_err *err)
{
	int fd = open(s->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	return fd < 0 ? vl_err_sys(err, errno, "%s", s->log) : fd;
}

static void say(int logfd, const char *line)
{
	if (write(logfd, line, strlen(line)) < 0)
		return;
}

/* A process of the service went during its start: its status. */
static bool proc_died(struct svc_run *s, size_t p, int *status)
{
	return s->pid[p] > 0 && waitpid(s->pid[p], status, WNOHANG) == s->pid[p];
}

static int code_of(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run argv in the node to completion within the time left; its output to
 * the log.  0 when it exited 0. */
/* Child pid's end, by the deadline (then it is killed): 0 when it exited
 * 0, -ECHILD when it failed, -ETIMEDOUT. */
static int wait_until(pid_t pid, double deadline, int *status)
{
	int left = (int)(deadline - now_ms());
	int rc = vl_linux_wait_timeout(pid, left > 0 ? left : 1, status);
	if (rc == -ETIMEDOUT) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return rc < 0 ? rc : (WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? 0 : -ECHILD);
}

static int run_once(struct keeper *k, struct svc_run *s, char **argv, int logfd,
		    double deadline, int *status, struct vl_err *err)
{
	pid_t pid = vl_linux_node_spawn(k->be, (long)s->node, argv, service_env, logfd, err);
	return pid < 0 ? (int)pid : wait_until(pid, deadline, status);
}

static int start_failed(struct keeper *k, struct svc_run *s, struct vl_err *err,
			const char *fmt, const char *arg)
{
	char what[256];
	snprintf(what, sizeof(what), fmt, arg);
	/* Not the log's path: the rollback removes it (its lines are here). */
	vl_errf(err, "%s:%d:%d: error: node %s: service %s: %s; its output:", k->topo->file,
		s->def->pos.line, s->def->pos.col, k->topo->nodes[s->node].name, s->def->name,
		what);
	vl_log_tail(err, s->log, s->def->name);
	return -ECHILD;
}

#define SVC_SETTLE_MS 300 /* a process with nothing to show it serves lives this long */

/* Wait until process p serves: its ready path exists in the view; with
 * none, it is still there after a moment (a start command that exits at
 * once, or daemonizes, did not start a service the keeper can watch). */
static int wait_ready(struct keeper *k, struct svc_run *s, size_t p, double deadline,
		      struct vl_err *err)
{
	const char *path = s->plan.procs[p].ready_path;
	double settle = now_ms() + SVC_SETTLE_MS;
	int status;
	while (*path ? !view_exists(k, s->node, path) : now_ms() < settle) {
		if (proc_died(s, p, &status)) {
			s->pid[p] = 0;
			s->code = code_of(status);
			snprintf(s->who, sizeof(s->who), "%s", s->plan.procs[p].label);
			char why[160];
			snprintf(why, sizeof(why), "%s exited (%d) while starting%s", s->who,
				 s->code, s->code == 0 && !*path ? " (a service must stay in "
				 "the foreground)" : "");
			return start_failed(k, s, err, "%s", why);
		}
		if (now_ms() > deadline)
			return start_failed(k, s, err, "%s did not serve within 30 s",
					    s->plan.procs[p].label);
		nap(20);
	}
	return 0;
}

/* FRR reads which daemons to run from the node's own files. */
static int plan_service(struct keeper *k, struct svc_run *s, struct vl_err *err)
{
	char *daemons = NULL, *conf = NULL;
	if (s->def->kind == VL_SVC_FRR) {
		daemons = view_read(k, s->node, "/etc/frr/daemons");
		conf = view_read(k, s->node, "/etc/frr/frr.conf");
	}
	vl_svc_plan_free(&s->plan);
	int rc = vl_service_plan(s->def, daemons, conf, k->opts->mode == VL_MODE_ROOTLESS,
				 &s->plan, err);
	free(daemons);
	free(conf);
	free(s->pid);
	s->pid = rc == 0 ? calloc(s->plan.n_procs + 1, sizeof(pid_t)) : NULL;
	return rc < 0 ? rc : s->pid ? 0 : (vl_errf(err, "out of memory"), -ENOMEM);
}

/* FRR's configuration load: spawned for every service of a batch at
 * once, then waited for. */
static pid_t post_spawn(struct keeper *k, struct svc_run *s, int logfd, struct vl_err *err)
{
	struct vl_err why;
	vl_err_init(&why);
	pid_t pid = vl_linux_node_spawn(k->be, (long)s->node, s->plan.post, service_env, logfd,
					&why);
	return pid < 0 ? start_failed(k, s, err, "%s", why.msg) : pid;
}

static int post_wait(struct keeper *k, struct svc_run *s, pid_t pid, double deadline,
		     struct vl_err *err)
{
	int status = 0, rc = wait_until(pid, deadline, &status);
	if (rc < 0) {
		s->code = rc == -ECHILD ? code_of(status) : -1;
		snprintf(s->who, sizeof(s->who), "%s", s->plan.post[0]);
		return start_failed(k, s, err, "%s failed", s->plan.post[0]);
	}
	return 0;
}

/* A user's ready command, until it exits 0. */
static int poll_ready(struct keeper *k, struct svc_run *s, int logfd, double deadline,
		      struct vl_err *err)
{
	int status = 0;
	while (s->plan.ready) {
		struct vl_err why;
		vl_err_init(&why);
		if (run_once(k, s, s->plan.ready, logfd, deadline, &status, &why) == 0)
			break;
		for (size_t p = 0; p < s->plan.n_procs; p++)
			if (proc_died(s, p, &status)) {
				s->pid[p] = 0;
				s->code = code_of(status);
				snprintf(s->who, sizeof(s->who), "%s", s->plan.procs[p].label);
				return start_failed(k, s, err, "%s exited while starting",
						    s->plan.procs[p].label);
			}
		if (now_ms() > deadline) {
			s->code = code_of(status);
			snprintf(s->who, sizeof(s->who), "%s", s->plan.ready[0]);
			return start_failed(k, s, err, "%s never succeeded within 30 s",
					    s->plan.ready[0]);
		}
		nap(100);
	}
	return 0;
}

static void kill_procs(struct svc_run *s, int sig)
{
	for (size_t p = 0; p < s->plan.n_procs; p++)
		if (s->pid[p] > 0)
			kill(-s->pid[p], sig); /* its session: what it forked too */
}

static void end_start(struct svc_run *s, int rc)
{
	if (rc < 0) {
		kill_procs(s, SIGKILL);
		for (size_t p = 0; s->pid && p < s->plan.n_procs; p++)
			if (s->pid[p] > 0)
				waitpid(s->pid[p], NULL, 0), s->pid[p] = 0;
		s->state = SVC_FAILED;
		return;
	}
	s->state = SVC_RUNNING;
	s->code = 0;
	s->who[0] = '\0';
}

/* Start n services in lockstep: the first process of every one, then
 * wait until all of them serve, then the second...; then their
 * configuration loads, all at once; then their ready commands.  A lab's
 * routers come up in the time one takes, not in n times that.  One
 * service failing fails itself only: rc[i] and errs[i] say. */
static void start_batch(struct keeper *k, struct svc_run **list, size_t n, int *rc,
			struct vl_err *errs)
{
	int *logfd = calloc(n + 1, sizeof(int));
	pid_t *post = calloc(n + 1, sizeof(pid_t));
	size_t steps = 0;
	if (!logfd || !post) {
		for (size_t i = 0; i < n; i++) {
			vl_errf(&errs[i], "out of memory");
			rc[i] = -ENOMEM;
		}
		free(logfd), free(post);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct svc_run *s = list[i];
		s->state = SVC_STARTING;
		logfd[i] = -1;
		rc[i] = open_log(s, &errs[i]);
		if (rc[i] >= 0) {
			logfd[i] = rc[i];
			rc[i] = plan_service(k, s, &errs[i]);
		}
		if (rc[i] == 0 && s->plan.note[0]) {
			say(logfd[i], s->plan.note);
			say(logfd[i], "\n");
		}
		if (rc[i] == 0 && s->plan.n_procs > steps)
			steps = s->plan.n_procs;
	}
	double deadline = now_ms() + SVC_START_MS;
	for (size_t p = 0; p < steps; p++) {
		for (size_t i = 0; i < n; i++) {
			struct svc_run *s = list[i];
			if (rc[i] < 0 || p >= s->plan.n_procs)
				continue;
			struct vl_err why;
			vl_err_init(&why);
			s->pid[p] = vl_linux_node_spawn(k->be, (long)s->node, s->plan.procs[p].argv,
							service_env, logfd[i], &why);
			if (s->pid[p] < 0) {
				s->pid[p] = 0;
				rc[i] = start_failed(k, s, &errs[i], "%s", why.msg);
			}
		}
		for (size_t i = 0; i < n; i++)
			if (rc[i] == 0 && p < list[i]->plan.n_procs)
				rc[i] = wait_ready(k, list[i], p, deadline, &errs[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (rc[i] == 0 && list[i]->plan.post && (post[i] = post_spawn(k, list[i], logfd[i],
									    &errs[i])) < 0)
			rc[i] = (int)post[i];
	for (size_t i = 0; i < n; i++)
		if (rc[i] == 0 && list[i]->plan.post)
			rc[i] = post_wait(k, list[i], post[i], deadline, &errs[i]);
	for (size_t i = 0; i < n; i++) {
		if (rc[i] == 0)
			rc[i] = poll_ready(k, list[i], logfd[i], deadline, &errs[i]);
		end_start(list[i], rc[i]);
		if (logfd[i] >= 0)
			close(logfd[i]);
	}
	free(logfd);
	free(post);
}

static int svc_start(struct keeper *k, struct svc_run *s, struct vl_err *err)
{
	int rc;
	start_batch(k, &s, 1, &rc, err);
	return rc;
}

/* ---- stopping -------------------------------------------------------------- */

static bool any_alive(struct svc_run *s)
{
	for (size_t p = 0; p < s->plan.n_procs; p++)
		if (s->pid[p] > 0) {
			if (waitpid(s->pid[p], NULL, WNOHANG) == s->pid[p])
				s->pid[p] = 0;
			else
				return true;
		}
	return false;
}

/* Its stop command if it has one, then SIGTERM, then SIGKILL. */
static void svc_stop(struct keeper *k, struct svc_run *s)
{
	if (!s->pid || (s->state != SVC_RUNNING && s->state != SVC_STARTING))
		return;
	s->stopping = true;
	if (s->plan.stop) {
		struct vl_err ignored;
		vl_err_init(&ignored);
		int logfd = open_log(s, &ignored), status;
		if (logfd >= 0) {
			run_once(k, s, s->plan.stop, logfd, now_ms() + SVC_STOP_MS, &status,
				 &ignored);
			close(logfd);
		}
	}
	kill_procs(s, SIGTERM);
	for (double end = now_ms() + SVC_STOP_MS; any_alive(s) && now_ms() < end;)
		nap(10);
	kill_procs(s, SIGKILL);
	while (any_alive(s))
		nap(5);
	s->state = SVC_STOPPED;
	s->stopping = false;
}

void kpr_services_stop(struct keeper *k)
{
	for (size_t i = k->n_svcs; i-- > 0;)
		svc_stop(k, &k->svcs[i]);
	kpr_services_save(k);
}

/* ---- the lab's life -------------------------------------------------------- */

int kpr_services_check(const struct vl_topo *t, struct vl_err *err)
{
	int rc = 0;
	for (size_t i = 0; i < t->n_nodes; i++)
		for (size_t j = 0; j < t->nodes[i].n_services; j++)
			if (vl_service_host_check(&t->nodes[i].services[j], &t->nodes[i], t->file,
						  err) < 0)
				rc = -ENOENT;
	return rc;
}

static int make_views(struct keeper *k, struct vl_err *err)
{
	for (size_t i = 0; i < k->topo->n_nodes; i++)
		if (vl_view_eager(&k->topo->nodes[i])) {
			int fd = vl_linux_view_open(k->be, (long)i, err);
			if (fd < 0)
				return fd;
			close(fd);
		}
	return 0;
}

int kpr_services_start(struct keeper *k, struct vl_err *err)
{
	int rc = make_views(k, err);
	size_t n = 0;
	for (size_t i = 0; i < k->topo->n_nodes; i++)
		n += k->topo->nodes[i].n_services;
	if (rc < 0 || n == 0)
		return rc;
	if (!(k->svcs = calloc(n, sizeof(*k->svcs))))
		return vl_errf(err, "out of memory"), -ENOMEM;
	for (size_t i = 0; i < k->topo->n_nodes; i++)
		for (size_t j = 0; j < k->topo->nodes[i].n_services; j++) {
			struct svc_run *s = &k->svcs[k->n_svcs++];
			s->node = i;
			s->def = &k->topo->nodes[i].services[j];
			snprintf(s->log, sizeof(s->log), "%s/%s.%s.log", k->paths->logs,
				 k->topo->nodes[i].name, s->def->name);
		}
	struct svc_run **list = calloc(k->n_svcs, sizeof(*list));
	int *res = calloc(k->n_svcs, sizeof(int));
	struct vl_err *errs = calloc(k->n_svcs, sizeof(*errs));
	if (!list || !res || !errs) {
		free(list), free(res), free(errs);
		return vl_errf(err, "out of memory"), -ENOMEM;
	}
	for (size_t i = 0; i < k->n_svcs; i++) {
		list[i] = &k->svcs[i];
		vl_err_init(&errs[i]);
	}
	start_batch(k, list, k->n_svcs, res, errs);
	for (size_t i = 0; i < k->n_svcs; i++) {
		if (res[i] == 0)
			continue;
		/* line by line: one vl_errf would escape the newlines */
		for (char *save, *l = strtok_r(errs[i].msg, "\n", &save); l;
		     l = strtok_r(NULL, "\n", &save))
			if (k->opts->keep_going)
				kpr_report(k, "warn %s\n", l);
			else
				vl_errf(err, "%s", l);
		rc = -ECHILD;
	}
	free(list), free(res), free(errs);
	kpr_services_save(k);
	return k->opts->keep_going ? 0 : rc;
}

void kpr_services_free(struct keeper *k)
{
	for (size_t i = 0; i < k->n_svcs; i++) {
		vl_svc_plan_free(&k->svcs[i].plan);
		free(k->svcs[i].pid);
	}
	free(k->svcs);
	k->svcs = NULL;
	k->n_svcs = 0;
}

bool kpr_services_reaped(struct keeper *k, pid_t pid, int status)
{
	for (size_t i = 0; i < k->n_svcs; i++) {
		struct svc_run *s = &k->svcs[i];
		for (size_t p = 0; s->pid && p < s->plan.n_procs; p++) {
			if (s->pid[p] != pid)
				continue;
			s->pid[p] = 0;
			if (!s->stopping && s->state == SVC_RUNNING) {
				/* One daemon gone is the service gone: the others
				 * would only pretend (ospfd without zebra). */
				s->state = SVC_EXITED;
				s->code = code_of(status);
				snprintf(s->who, sizeof(s->who), "%s", s->plan.procs[p].label);
				kill_procs(s, SIGTERM);
				char line[160];
				snprintf(line, sizeof(line), "vnetlab: %s exited (%d); service %s "
					 "stopped\n", s->who, s->code, s->def->name);
				int fd = open(s->log, O_WRONLY | O_APPEND | O_CLOEXEC);
				if (fd >= 0)
					say(fd, line), close(fd);
			}
			if (!s->stopping)
				kpr_services_save(k);
			return true;
		}
	}
	return false;
}

/* ---- requests -------------------------------------------------------------- */

/* "service NODE SERVICE start|stop|restart" */
int kpr_service_request(struct keeper *k, char *args, struct vl_err *err)
{
	char *save = NULL, *node = strtok_r(args, " ", &save);
	char *name = node ? strtok_r(NULL, " ", &save) : NULL;
	char *action = name ? strtok_r(NULL, " ", &save) : NULL;
	if (!action || (strcmp(action, "start") && strcmp(action, "stop") &&
			strcmp(action, "restart")))
		return vl_errf(err, "service: NODE SERVICE start|stop|restart"), -EINVAL;
	struct svc_run *s = NULL;
	for (size_t i = 0; i < k->n_svcs && !s; i++)
		if (!strcmp(k->topo->nodes[k->svcs[i].node].name, node) &&
		    !strcmp(k->svcs[i].def->name, name))
			s = &k->svcs[i];
	if (!s)
		return vl_errf(err, "lab '%s' has no service '%s' on node '%s' (see: vnetlab "
			       "inspect %s)", k->topo->name, name, node, k->topo->name), -ENOENT;
	int rc = 0;
	if (strcmp(action, "start"))
		svc_stop(k, s);
	if (strcmp(action, "stop")) {
		if (s->state == SVC_RUNNING) {
			vl_errf(err, "service %s of %s is running already", name, node);
			rc = -EALREADY;
		} else {
			rc = svc_start(k, s, err);
		}
	}
	kpr_services_save(k);
	return rc;
}

/* ---- live graph changes ---------------------------------------------------- */

static struct svc_run *find_old(struct keeper *k, const struct vl_topo *old, const char *node,
				const char *name)
{
	for (size_t i = 0; i < k->n_svcs; i++) {
		struct svc_run *s = &k->svcs[i];
		if (s->def && !strcmp(old->nodes[s->node].name, node) && !strcmp(s->def->name, name))
			return s;
	}
	return NULL;
}

void kpr_services_rebind(struct keeper *k, const struct vl_topo *old)
{
	size_t n = 0;
	for (size_t i = 0; i < k->topo->n_nodes; i++)
		n += k->topo->nodes[i].n_services;
	struct svc_run *next = calloc(n + 1, sizeof(*next));
	struct svc_run **fresh = calloc(n + 1, sizeof(*fresh));
	if (!next || !fresh) {
		free(next), free(fresh);
		return; /* the old picture stays: better than none */
	}
	size_t m = 0, nf = 0;
	for (size_t i = 0; i < k->topo->n_nodes; i++)
		for (size_t j = 0; j < k->topo->nodes[i].n_services; j++) {
			const struct vl_service *def = &k->topo->nodes[i].services[j];
			struct svc_run *s = find_old(k, old, k->topo->nodes[i].name, def->name);
			struct svc_run *to = &next[m++];
			if (s) {
				*to = *s;        /* it runs on, in a kept node */
				s->def = NULL;   /* moved */
			} else {
				fresh[nf++] = to; /* a new node's, or new in its node */
				snprintf(to->log, sizeof(to->log), "%s/%s.%s.log", k->paths->logs,
					 k->topo->nodes[i].name, def->name);
			}
			to->node = i;
			to->def = def;
		}
	/* What the new topology no longer has goes (a removed node's
	 * processes went with it already). */
	for (size_t i = 0; i < k->n_svcs; i++)
		if (k->svcs[i].def) {
			/* Not its stop command: its node may be gone, and the
			 * backend's node numbers are the new topology's. */
			kill_procs(&k->svcs[i], SIGKILL);
			for (size_t p = 0; k->svcs[i].pid && p < k->svcs[i].plan.n_procs; p++)
				if (k->svcs[i].pid[p] > 0)
					waitpid(k->svcs[i].pid[p], NULL, 0);
			vl_svc_plan_free(&k->svcs[i].plan);
			free(k->svcs[i].pid);
		}
	free(k->svcs);
	k->svcs = next;
	k->n_svcs = m;
	if (nf) {
		int *rc = calloc(nf, sizeof(int));
		struct vl_err *errs = calloc(nf, sizeof(*errs));
		for (size_t i = 0; rc && errs && i < nf; i++)
			vl_err_init(&errs[i]);
		if (rc && errs)
			start_batch(k, fresh, nf, rc, errs);
		free(rc), free(errs);
	}
	free(fresh);
	kpr_services_save(k);
}
