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

const char *bin(void);
/* Run argv; stdout+stderr into out; exit status (128+sig if killed). */
int runx(const char *const argv[], const struct runopt *o, char *out, size_t len);
int run(const char *const argv[], const char *in, char *out, size_t len,
	const char *env);

/* "t<pid>-base", in a static buffer. */
const char *lab(const char *base);
void topo(const char *name, char *path, size_t len);
const char *state_dir(void);

/* "root" or "rootless": what this process's labs must be. */
const char *lab_mode(void);
/* SKIP (with the reason) when this process can make no lab at all. */
void need_labs(void);
/* SKIP unless root: for tests that act as several users. */
void need_root(const char *why);

/* A lab from YAML text: written to a temporary file (path into file, 64
 * bytes) and brought up as lab(base) (name into name, 64 bytes). */
void up_text(const char *base, const char *yaml, char *file, char *name);
/* Its `down`, the file removed, and nothing of it left. */
void down_text(const char *file, const char *name);

/* Nothing of lab L may remain: state dir, /run/netns links. */
void assert_gone(const char *l);

#endif
