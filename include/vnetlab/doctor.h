/* SPDX-License-Identifier: BSD-2-Clause */
/* doctor.h — what this host allows, and what to change when it does not.
 *
 * Promise: facts are gathered in two separable steps — files under a proc
 * root (sysctls and /proc/self/status; unit tests point it at a fake
 * tree) and live probes (capabilities, limits, and trying to make a
 * rootless namespace and each qdisc; see probe.h) — then judged by a pure
 * function.  Every item that is not OK carries the exact fix.  `up` uses
 * the same judgement to say *why* a rootless lab could not start.
 */
#ifndef VNETLAB_DOCTOR_H
#define VNETLAB_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#define VL_DOCTOR_MAX_ITEMS 16

struct vl_host_facts {
	/* from the proc root; -1 where the file is absent */
	long max_user_namespaces;       /* user.max_user_namespaces */
	long unprivileged_userns_clone; /* kernel.unprivileged_userns_clone (Debian/Ubuntu patch) */
	long apparmor_restrict;         /* kernel.apparmor_restrict_unprivileged_userns */
	int seccomp;                    /* Seccomp: in self/status; 2 = filter */
	/* live */
	bool live;                      /* the fields below were measured */
	bool cap_sys_admin, cap_net_admin, cap_net_raw;
	bool initial_userns;
	unsigned uid;
	int rootless_error;             /* probe: 0 works, else errno */
	char rootless_step[96];         /* the step that failed */
	int qdisc_error;                /* 0: qdiscs below were probed */
	unsigned qdiscs;                /* VL_QDISC_* */
	unsigned long nofile_soft, nofile_hard;
	char kernel[256];
};

enum vl_doc_status { VL_DOC_OK, VL_DOC_INFO, VL_DOC_WARN, VL_DOC_FAIL };

struct vl_doctor_item {
	const char *id;      /* "user.max_user_namespaces", "qdisc.netem", ... */
	const char *mode;    /* which mode it matters to: root|rootless|all|impairments */
	enum vl_doc_status status;
	char value[192];
	char detail[256];
	char fix[512];       /* "" when nothing needs doing */
};

struct vl_doctor {
	struct vl_doctor_item items[VL_DOCTOR_MAX_ITEMS];
	size_t n;
	bool root_ok, rootless_ok;
};

/* Read sysctls and seccomp state under proc_root ("/proc" normally). */
void vl_doctor_read(const char *proc_root, struct vl_host_facts *f);
/* Capabilities, limits, kernel release and the live probes. */
void vl_doctor_probe(struct vl_host_facts *f);
void vl_doctor_eval(const struct vl_host_facts *f, struct vl_doctor *d);
const char *vl_doc_status_name(enum vl_doc_status s);
/* Why a user namespace cannot be made here, as one clause naming the
 * setting ("user.max_user_namespaces is 0"); "" if none is known. */
void vl_doctor_rootless_reason(const struct vl_host_facts *f, int error,
			       char *out, size_t len);

#endif
