/* SPDX-License-Identifier: BSD-2-Clause */
/* keeper_serve.c — the keeper's control socket: one request, one reply
 * (ctl.h), from the lab's owner only: ns, hook, iface, link, apply, down. */
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

/* ---- serving --------------------------------------------------------------- */

static void serve_ns(struct keeper *k, int c, const char *node)
{
	long i = vl_topo_find_node(k->topo, node);
	if (i < 0 || !vl_kind_has(k->topo->nodes[i].kind, VL_KF_STACK)) {
		char msg[VL_CTL_MAX + 128];
		snprintf(msg, sizeof(msg), "error: lab '%s' has no vnet node '%s'",
			 k->topo->name, node);
		vl_ctl_send(c, msg, NULL, 0);
		return;
	}
	struct vl_err err;
	vl_err_init(&err);
	int fds[VL_NS_COUNT] = {
		[VL_NS_NET] = vl_linux_ns_open(k->be, i, CLONE_NEWNET),
		[VL_NS_UTS] = vl_linux_ns_open(k->be, i, CLONE_NEWUTS),
		[VL_NS_PID] = k->pidns,
		[VL_NS_USER] = k->userns,
		[VL_NS_MNT] = vl_linux_view_open(k->be, i, &err),
	};
	char msg[VL_CTL_MAX];
	if (fds[VL_NS_NET] < 0 || fds[VL_NS_UTS] < 0) {
		vl_ctl_send(c, "error: the node's namespaces are gone", NULL, 0);
	} else if (fds[VL_NS_MNT] < 0) {
		snprintf(msg, sizeof(msg), "error: %.4000s", err.msg);
		vl_ctl_send(c, msg, NULL, 0);
	} else {
		vl_ctl_send(c, "ok", fds, VL_NS_COUNT);
	}
	for (int f = 0; f < VL_NS_COUNT; f++)
		if (f != VL_NS_PID && f != VL_NS_USER && fds[f] >= 0)
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
	if (fi < 0 || !vl_kind_has(t->nodes[ni].kind, VL_KF_STACK))
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
	return rc < 0 ? rc : kpr_save_topology(k, err);
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

/* A lab that came up without impairments was never probed for qdiscs
 * (up skips it); a live change or a graph edit may need them now. */
static void know_qdiscs(struct keeper *k)
{
	if (k->plan.opts.qdiscs_known)
		return;
	unsigned q = 0;
	vl_probe_qdiscs(k->opts->mode == VL_MODE_ROOTLESS, &q);
	k->plan.opts.qdiscs = q;
	k->plan.opts.qdiscs_known = true;
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

static int apply_topo(struct keeper *k, struct vl_topo *t, struct vl_err *err);

/* Link l becomes a link through the userspace pipe, keeping what it
 * carries now: the running lab is re-applied (apply_file) from its own
 * model with that one link's impl set to userspace, which remakes only
 * that link (its veth ends, addresses and routes on them) for a moment.
 * For a live change the kernel cannot make on a plain link (a delay
 * without netem), as a link written `impl: userspace` would take it. */
static int repipe_link(struct keeper *k, size_t l, struct vl_err *err)
{
	struct vl_link *lk = &((struct vl_topo *)k->topo)->links[l];
	const struct vl_link_live *now = &vl_linux_links(k->be)[l];
	struct vl_link was = *lk;
	lk->impl = VL_IMPL_USERSPACE;
	lk->dir[0] = now->dir[0], lk->dir[1] = now->dir[1];
	struct json_object *doc = vl_topo_to_json(k->topo);
	*lk = was;
	char *text = doc ? vl_topo_json_text(doc) : NULL;
	json_object_put(doc);
	if (!text)
		return vl_errf(err, "out of memory"), -ENOMEM;
	struct vl_topo *t = NULL;
	int rc = vl_topo_load_buffer(k->topo->file, text, strlen(text), &t, err);
	free(text);
	return rc < 0 ? rc : apply_topo(k, t, err);
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
		struct vl_link_live probe = *now;
		struct vl_err why;
		vl_err_init(&why);
		/* What the kernel cannot carry on a plain `impl: auto` link
		 * moves the link onto the pipe first, then the change is made. */
		if (k->topo->links[e->link].impl == VL_IMPL_AUTO && !k->plan.links[e->link].piped &&
		    vl_link_place(&k->plan, e->link, next, &probe, &why) == -EOPNOTSUPP) {
			int rc = repipe_link(k, e->link, err);
			if (rc < 0)
				return rc;
		}
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
	if (rc == 0 && e.action != VL_LINK_SHOW)
		know_qdiscs(k);
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
int kpr_save_topology(struct keeper *k, struct vl_err *err)
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
	return apply_topo(k, t, err);
}

/* The running lab becomes t (taken over, freed on failure). */
static int apply_topo(struct keeper *k, struct vl_topo *t, struct vl_err *err)
{
	know_qdiscs(k);
	struct vl_plan next;
	struct vl_plan_diff d = {0};
	int rc = vl_plan_build(t, &k->plan.opts, &next, err);
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
	kpr_services_rebind(k, old);
	vl_topo_free((struct vl_topo *)old);
	rc = vl_statefile_write(k->paths->state, &k->plan, vl_linux_links(k->be), k->opts, err);
	return rc < 0 ? rc : kpr_save_topology(k, err);
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

static void serve_service(struct keeper *k, int c, char *args)
{
	struct vl_err err;
	vl_err_init(&err);
	char msg[VL_CTL_MAX];
	if (kpr_service_request(k, args, &err) < 0)
		snprintf(msg, sizeof(msg), "error: %.4000s", err.msg);
	else
		snprintf(msg, sizeof(msg), "ok");
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
		} else if (strncmp(req, "service ", 8) == 0) {
			serve_service(k, c, req + 8);
		} else if (strcmp(req, "down") == 0) {
			/* Tear down first, then answer: the caller's "ok" means
			 * the lab is gone. */
			kpr_teardown(k);
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

void kpr_serve(struct keeper *k)
{
	for (pid_t pid;;) {
		struct pollfd p[2] = {{.fd = k->listen, .events = POLLIN},
				      {.fd = k->sigfd, .events = POLLIN}};
		int n = poll(p, 2, VL_KEEPER_WATCH_MS);
		if (n == 0 && state_removed(k)) {
			fprintf(stderr, "vnetlab: lab '%s': its state directory was "
				"removed; tearing the lab down\n", k->paths->name);
			kpr_teardown(k);
			return;
		}
		if (n <= 0)
			continue;
		if (p[1].revents) {
			struct signalfd_siginfo si;
			while (read(k->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGCHLD)
					for (int st; (pid = waitpid(-1, &st, WNOHANG)) > 0;)
						kpr_services_reaped(k, pid, st);
				else {
					kpr_teardown(k);
					return;
				}
			}
		}
		if (p[0].revents && serve_one(k))
			return;
	}
}
