/* SPDX-License-Identifier: BSD-2-Clause */
/* doctor.c — host facts, and the judgement over them (doctor.h). */
#include "vnetlab/doctor.h"
#include "vnetlab/privs.h"
#include "vnetlab/probe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

/* ---- facts ------------------------------------------------------------- */

static long read_long(const char *root, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long v = -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int read_seccomp(const char *root)
{
	char path[512], line[256];
	snprintf(path, sizeof(path), "%s/self/status", root);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int mode = -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Seccomp:", 8) == 0) {
			mode = atoi(line + 8);
			break;
		}
	fclose(f);
	return mode;
}

void vl_doctor_read(const char *proc_root, struct vl_host_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->max_user_namespaces = read_long(proc_root, "sys/user/max_user_namespaces");
	f->unprivileged_userns_clone =
		read_long(proc_root, "sys/kernel/unprivileged_userns_clone");
	f->apparmor_restrict =
		read_long(proc_root, "sys/kernel/apparmor_restrict_unprivileged_userns");
	f->seccomp = read_seccomp(proc_root);
	f->qdisc_error = -1;
}

void vl_doctor_probe(struct vl_host_facts *f)
{
	f->live = true;
	f->cap_sys_admin = vl_privs_has(CAP_SYS_ADMIN);
	f->cap_net_admin = vl_privs_has(CAP_NET_ADMIN);
	f->cap_net_raw = vl_privs_has(CAP_NET_RAW);
	f->initial_userns = vl_privs_initial_userns();
	f->uid = (unsigned)geteuid();
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
		f->nofile_soft = (unsigned long)r.rlim_cur;
		f->nofile_hard = (unsigned long)r.rlim_max;
	}
	struct utsname u;
	if (uname(&u) == 0)
		snprintf(f->kernel, sizeof(f->kernel), "%s %s %s", u.sysname,
			 u.release, u.machine);
	f->rootless_error = -vl_probe_rootless(f->rootless_step,
					       sizeof(f->rootless_step));
	/* Probe the qdiscs the way this user's labs will meet them. */
	bool root = f->cap_sys_admin && f->cap_net_admin;
	f->qdisc_error = -vl_probe_qdiscs(!root, &f->qdiscs);
}

/* ---- judgement ------------------------------------------------------------ */

const char *vl_doc_status_name(enum vl_doc_status s)
{
	static const char *const n[] = {"ok", "info", "warn", "fail"};
	return n[s];
}

static struct vl_doctor_item *add(struct vl_doctor *d, const char *id,
				  const char *mode, enum vl_doc_status st)
{
	struct vl_doctor_item *it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	it->id = id;
	it->mode = mode;
	it->status = st;
	return it;
}

#define SET(field, ...) snprintf(it->field, sizeof(it->field), __VA_ARGS__)

void vl_doctor_rootless_reason(const struct vl_host_facts *f, int error,
			       char *out, size_t len)
{
	if (f->max_user_namespaces == 0)
		snprintf(out, len, "user namespaces are switched off "
			 "(user.max_user_namespaces is 0)");
	else if (f->unprivileged_userns_clone == 0)
		snprintf(out, len, "unprivileged user namespaces are switched off "
			 "(kernel.unprivileged_userns_clone is 0)");
	else if (f->apparmor_restrict == 1)
		snprintf(out, len, "AppArmor restricts unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns is 1)");
	else if (f->seccomp == 2 && (error == EPERM || error == ENOSYS))
		snprintf(out, len, "a seccomp filter denies CLONE_NEWUSER (as "
			 "Docker's default profile does)");
	else if (error == ENOSPC)
		snprintf(out, len, "the limit of user namespaces is reached "
			 "(user.max_user_namespaces is %ld)", f->max_user_namespaces);
	else
		out[0] = '\0';
}

static void caps_item(const struct vl_host_facts *f, struct vl_doctor *d)
{
	bool root = f->cap_sys_admin && f->cap_net_admin;
	struct vl_doctor_item *it = add(d, "capabilities", "root",
					root ? VL_DOC_OK : VL_DOC_INFO);
	SET(value, "%s%s%s", f->cap_sys_admin ? "CAP_SYS_ADMIN " : "",
	    f->cap_net_admin ? "CAP_NET_ADMIN " : "",
	    f->cap_net_raw ? "CAP_NET_RAW" : "");
	if (!it->value[0])
		SET(value, "none");
	if (root)
		SET(detail, "root mode: labs are made directly%s",
		    f->initial_userns ? " and nodes are linked under /run/netns"
				      : " (inside a user namespace: no /run/netns links)");
	else {
		SET(detail, "root mode needs CAP_SYS_ADMIN and CAP_NET_ADMIN; "
		    "labs run rootless instead");
		SET(fix, "nothing needed for rootless labs; for root mode run "
		    "vnetlab as root (sudo vnetlab ...)");
	}
}

/* One sysctl that can switch rootless labs off: the value that does, and
 * what to say about each state. */
struct sysctl_rule {
	const char *id;
	long bad;
	enum vl_doc_status absent_status;
	const char *absent, *when_bad, *when_ok, *fix;
};

static const struct sysctl_rule sysctl_rules[] = {
	{"user.max_user_namespaces", 0, VL_DOC_INFO, "",
	 "user namespaces are switched off", "",
	 "sudo sysctl -w user.max_user_namespaces=15000 && echo "
	 "user.max_user_namespaces=15000 | sudo tee /etc/sysctl.d/90-vnetlab-userns.conf"},
	{"kernel.unprivileged_userns_clone", 0, VL_DOC_OK,
	 "not a Debian/Ubuntu-patched kernel: nothing to allow",
	 "only root may make user namespaces", "allowed",
	 "sudo sysctl -w kernel.unprivileged_userns_clone=1 && echo "
	 "kernel.unprivileged_userns_clone=1 | sudo tee /etc/sysctl.d/90-vnetlab-userns.conf"},
	{"kernel.apparmor_restrict_unprivileged_userns", 1, VL_DOC_OK,
	 "no AppArmor user-namespace restriction in this kernel",
	 "AppArmor denies capabilities in new user namespaces to unconfined programs",
	 "not restricted",
	 "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or load an "
	 "AppArmor profile for vnetlab that allows `userns,` (docs/rootless.md has one)"},
};

static void sysctl_items(const struct vl_host_facts *f, struct vl_doctor *d)
{
	const long values[] = {f->max_user_namespaces, f->unprivileged_userns_clone,
			       f->apparmor_restrict};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const struct sysctl_rule *r = &sysctl_rules[i];
		long v = values[i];
		bool bad = v == r->bad;
		struct vl_doctor_item *it = add(d, r->id, "rootless",
			bad ? VL_DOC_FAIL : v < 0 ? r->absent_status : VL_DOC_OK);
		if (v < 0)
			SET(value, "absent");
		else
			SET(value, "%ld", v);
		SET(detail, "%s", v < 0 ? r->absent : bad ? r->when_bad : r->when_ok);
		if (bad)
			SET(fix, "%s", r->fix);
	}
}

static void seccomp_item(const struct vl_host_facts *f, struct vl_doctor *d)
{
	bool denied = f->live && f->seccomp == 2 &&
		      strcmp(f->rootless_step, "unshare(CLONE_NEWUSER)") == 0 &&
		      (f->rootless_error == EPERM || f->rootless_error == ENOSYS);
	struct vl_doctor_item *it = add(d, "seccomp", "rootless",
					denied ? VL_DOC_FAIL : VL_DOC_OK);
	static const char *const modes[] = {"none", "strict", "filter"};
	SET(value, "%s", f->seccomp >= 0 && f->seccomp <= 2 ? modes[f->seccomp]
							     : "unknown");
	if (denied) {
		SET(detail, "a seccomp filter denies CLONE_NEWUSER (Docker's and "
		    "Podman's default profiles do)");
		SET(fix, "run the container with --security-opt seccomp=unconfined "
		    "(or a profile that allows unshare/clone with CLONE_NEWUSER), or "
		    "run vnetlab as root in a --privileged container");
	} else {
		SET(detail, f->seccomp == 2 ? "a filter is loaded; it allowed the "
		    "rootless probe" : "no filter on this process");
	}
}

static void probe_item(const struct vl_host_facts *f, struct vl_doctor *d)
{
	struct vl_doctor_item *it = add(d, "rootless-probe", "rootless",
					f->rootless_error ? VL_DOC_FAIL : VL_DOC_OK);
	if (!f->rootless_error) {
		SET(value, "works");
		SET(detail, "made a user namespace (uid %u -> 0), a network "
		    "namespace and a veth pair in it", f->uid);
		return;
	}
	char why[200];
	vl_doctor_rootless_reason(f, f->rootless_error, why, sizeof(why));
	SET(value, "%s: %s", f->rootless_step, strerror(f->rootless_error));
	SET(detail, "%s", why[0] ? why : "the kernel refused; no known setting explains it");
	SET(fix, why[0] ? "see the failing item above" :
	    "check `dmesg` and any LSM (SELinux, AppArmor) policy for denials of "
	    "user namespaces");
}

static void qdisc_items(const struct vl_host_facts *f, struct vl_doctor *d)
{
	static const struct { const char *id, *does; unsigned bit; } q[] = {
		{"qdisc.netem", "delay, jitter, loss, duplication", VL_QDISC_NETEM},
		{"qdisc.tbf", "bandwidth", VL_QDISC_TBF},
		{"qdisc.htb", "bandwidth with a queue limit", VL_QDISC_HTB}};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		bool have = f->qdisc_error == 0 && (f->qdiscs & q[i].bit);
		struct vl_doctor_item *it = add(d, q[i].id, "impairments",
			f->qdisc_error ? VL_DOC_INFO : have ? VL_DOC_OK : VL_DOC_WARN);
		if (f->qdisc_error) {
			SET(value, "not probed");
			SET(detail, "could not make a namespace to probe in: %s",
			    strerror(f->qdisc_error));
			continue;
		}
		SET(value, have ? "present" : "missing");
		SET(detail, have ? "the kernel carries %s" :
			"without it, %s need vnetlab's userspace pipe", q[i].does);
		if (!have)
			SET(fix, "optional: sudo modprobe sch_%s (if the module exists "
			    "for this kernel; a kernel built without it needs "
			    "nothing: the userspace pipe is used)", q[i].id + 6);
	}
}

static void nofile_item(const struct vl_host_facts *f, struct vl_doctor *d)
{
	/* Each node holds ~3 fds in the keeper; it raises its soft limit to
	 * the hard one by itself. */
	unsigned long nodes = f->nofile_hard > 256 ? (f->nofile_hard - 256) / 3 : 0;
	struct vl_doctor_item *it = add(d, "RLIMIT_NOFILE", "all",
					nodes < 1000 ? VL_DOC_WARN : VL_DOC_OK);
	SET(value, "soft %lu, hard %lu", f->nofile_soft, f->nofile_hard);
	SET(detail, "labs of up to ~%lu nodes (the keeper raises its soft "
	    "limit to the hard one)", nodes);
	if (nodes < 1000)
		SET(fix, "raise the hard limit: `ulimit -Hn 65536` as root, or "
		    "`* hard nofile 65536` in /etc/security/limits.conf");
}

void vl_doctor_eval(const struct vl_host_facts *f, struct vl_doctor *d)
{
	memset(d, 0, sizeof(*d));
	caps_item(f, d);
	sysctl_items(f, d);
	seccomp_item(f, d);
	if (f->live) {
		probe_item(f, d);
		qdisc_items(f, d);
		nofile_item(f, d);
	}
	d->root_ok = f->cap_sys_admin && f->cap_net_admin;
	/* The probe is the truth when there is one; the sysctls otherwise. */
	char why[200];
	vl_doctor_rootless_reason(f, f->live ? f->rootless_error : 0, why, sizeof(why));
	d->rootless_ok = f->live ? f->rootless_error == 0 : why[0] == '\0';
}
