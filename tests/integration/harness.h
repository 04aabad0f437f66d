/* SPDX-License-Identifier: BSD-2-Clause */
/* harness.h — running the vnetlab binary from integration tests.
 *
 * The suite runs twice in CI: as root (root mode) and as an unprivileged
 * user (rootless mode).  Every test works in both; what differs between
 * the modes is asked of lab_mode(), never assumed.  The whole run keeps
 * its labs in a private state directory of its own (VNETLAB_STATE_DIR),
 * so it never meets a user's labs, and lab names carry the runner's pid.
 */
#ifndef VNETLAB_TEST_HARNESS_H
#define VNETLAB_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct runopt {
	const char *in;          /* stdin text, or NULL */
	const char *env[6];      /* NAME=VALUE entries added, NULL-terminated */
	bool as_uid;             /* become uid/gid before exec (needs root) */
	uid_t uid;
	gid_t gid;
	bool deny_userns;        /* seccomp filter denying CLONE_NEWUSER */
	bool pty;                /* stdin/stdout/stderr on a new terminal */
};

/* The exit status of a sanitizer report in sanitized runs
 * (scripts/testrun.sh sets it in ASAN_OPTIONS and UBSAN_OPTIONS). */
#define VL_SAN_EXIT 86

const char *bin(void);
/* Run argv; stdout+stderr into out; exit status (128+sig if killed).
 * When argv[0] is vnetlab, a crash or a sanitizer exit fails the test. */
int runx(const char *const argv[], const struct runopt *o, char *out, size_t len);
int run(const char *const argv[], const char *in, char *out, size_t len,
	const char *env);

/* "t<run tag><pid>-base", in a static buffer. */
const char *lab(const char *base);
void topo(const char *name, char *path, size_t len);
const char *state_dir(void);

/* VNETLAB_TEST_REQUIRE ("root", "rootless"), or NULL when unset.  CI
 * sets it for each pass: then a missing capability, user namespaces or
 * tool fails the test instead of skipping it. */
const char *required_mode(void);
/* "root" or "rootless": what this process's labs must be — the required
 * mode when set, else what this process's capabilities make. */
const char *lab_mode(void);
/* SKIP (with the reason) when this process can make no lab at all; in a
 * required-mode run, FAIL instead, and FAIL when the mode would differ. */
void need_labs(void);
/* SKIP unless root: for tests that act as several users.  Skipped in the
 * rootless run, FAIL in the root run when root is missing. */
void need_root(const char *why);
/* SKIP (FAIL in a required-mode run) when the program at path is not
 * there: CI installs every tool the tests use. */
void need_tool(const char *path, const char *package);

/* A lab from YAML text: written to a temporary file (path into file, 64
 * bytes) and brought up as lab(base) (name into name, 64 bytes). */
void up_text(const char *base, const char *yaml, char *file, char *name);
/* Its `down`, the file removed, and nothing of it left. */
void down_text(const char *file, const char *name);

/* `vnetlab exec L NODE -- CMD...` (at most 10 words), as run(). */
int run_in(const char *l, const char *node, const char *const cmd[], char *out, size_t len);
/* Wait (at most 10 s, else FAIL) until a TCP socket listens on port in
 * the node: a condition, never a fixed sleep. */
void wait_listening(const char *l, const char *node, int port);
/* /sys/class/net/IF/statistics/COUNTER of an interface of a node. */
unsigned long long iface_counter(const char *l, const char *node, const char *ifname,
				 const char *counter);

/* Nothing of lab L may remain: state dir, /run/netns links. */
void assert_gone(const char *l);

/* ---- one-way measurements (test_impair) ---------------------------------- */

/* The owd tool (tests/tools/owd.c): $OWD, else build/tests/owd, as an
 * absolute path (it runs inside nodes through `vnetlab exec`). */
const char *owd_bin(void);

/* What `vnetlab doctor --json` says of check ID (its "value", e.g.
 * "present" for qdisc.tbf), into buf; false when doctor has no such
 * check or its answer does not parse. */
bool doctor_value(const char *id, char *buf, size_t len);
/* The kernel has qdisc KIND ("tbf", "netem"), by doctor's probe. */
bool have_qdisc(const char *kind);

/* A command running beside the test, its stdout and stderr collected. */
struct bg {
	pid_t pid;
	int fd;
	size_t got;
	char out[16384];
};
void bg_start(struct bg *b, const char *const argv[]);
/* Wait until the output holds text (true), the command ends or timeout_ms
 * pass (false). */
bool bg_wait_text(struct bg *b, const char *text, int timeout_ms);
/* All its output, then its exit status (128+sig if killed). */
int bg_finish(struct bg *b);

#endif
