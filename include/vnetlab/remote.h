/* SPDX-License-Identifier: BSD-2-Clause */
/* remote.h — vnetlab run on another host, over OpenSSH (labs over
 * several hosts, docs/multihost.md).
 *
 * Promise: vl_remote_run() runs the host's vnetlab command line with the
 * given arguments through the OpenSSH client, started with an argv (no
 * local shell), in BatchMode (no prompt: keys or an agent, or a clear
 * failure), through one multiplexed master connection per host
 * (ControlMaster=auto, ControlPersist, its socket under ctl_dir), with the
 * host's own ssh options after vnetlab's.  ssh hands the remote side one
 * string that the remote user's shell splits, so every remote word is
 * single-quoted here (a quote inside becomes '\''): what reaches the
 * remote vnetlab is exactly the words given.  It feeds `in` to the remote
 * stdin, collects stdout and stderr apart, and kills the client after
 * timeout_ms (the master stays; vl_remote_close ends it).
 */
#ifndef VNETLAB_REMOTE_H
#define VNETLAB_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "vnetlab/err.h"

struct vl_remote_host {
	const char *name;            /* the hosts file's name, for messages */
	const char *ssh;             /* the destination: [user@]host */
	const char *const *options;  /* extra ssh arguments */
	size_t n_options;
	const char *const *vnetlab;  /* the command line there, as words */
	size_t n_vnetlab;
};

struct vl_remote_result {
	int status;     /* the remote command's exit status; 255: ssh failed */
	bool timed_out;
	char *out, *errout; /* NUL-terminated */
	size_t out_len, err_len;
};

/* The ssh argv (NULL-terminated, malloc'd; free with vl_remote_argv_free)
 * for running `vnetlab ARGS...` on h; tty: -t (an interactive exec). */
char **vl_remote_argv(const struct vl_remote_host *h, const char *ctl_dir,
		      const char *const *args, bool tty);
void vl_remote_argv_free(char **argv);

/* One word quoted for a POSIX shell: 'it'\''s'.  malloc'd. */
char *vl_shell_quote(const char *word);

int vl_remote_run(const struct vl_remote_host *h, const char *ctl_dir,
		  const char *const *args, const char *in, size_t in_len, int timeout_ms,
		  struct vl_remote_result *r, struct vl_err *err);
/* The same, but stdin is held open after `in` until the remote command
 * exits (its end tells the remote side that this side is gone: `up -
 * --tied`). */
int vl_remote_run_held(const struct vl_remote_host *h, const char *ctl_dir,
		       const char *const *args, const char *in, size_t in_len, int timeout_ms,
		       struct vl_remote_result *r, struct vl_err *err);
void vl_remote_result_free(struct vl_remote_result *r);

/* Ends h's master connection (ssh -O exit); harmless when there is none. */
void vl_remote_close(const struct vl_remote_host *h, const char *ctl_dir);

#endif
