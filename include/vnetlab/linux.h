/* SPDX-License-Identifier: BSD-2-Clause */
/* linux.h — the Linux backend: network namespaces, veth, bridges, netlink.
 *
 * Promise: every object of a lab lives inside namespaces the backend made
 * (one per vnet node, plus a core namespace for bridges and hubs); nothing
 * is created in the caller's namespace.  The namespaces are held by file
 * descriptors, so releasing the backend (or the death of its process) lets
 * the kernel free the whole lab.  The only things that outlive the process
 * are the optional /run/netns/LAB.NODE links, each written to the journal
 * file *before* it is mounted so that cleanup can always find it.
 */
#ifndef VNETLAB_LINUX_H
#define VNETLAB_LINUX_H

#include <sys/types.h>

#include "vnetlab/backend.h"

struct vl_linux_opts {
	const char *netns_journal; /* path; NULL: no /run/netns links */
	const char *log_dir;       /* startup command output, NODE.log */
	int cmd_timeout_ms;        /* per startup command */
	bool rootless;             /* inside a one-uid user namespace */
	/* A directory on a tmpfs in a mount namespace private to this
	 * process: each node's UTS namespace is held by a bind mount there
	 * instead of a descriptor, so a node costs one descriptor (its
	 * network namespace), not two.  NULL (or a failing mount): fds.
	 * Not with netns_journal: /run/netns links must be host mounts. */
	const char *uts_dir;
	/* The lab's state directory: nodes/NODE/ there holds what a node's
	 * view binds from (inline files, FRR's group file). */
	const char *lab_dir;
};

struct vl_backend *vl_linux_backend_new(const struct vl_plan *p,
					const struct vl_linux_opts *o,
					struct vl_err *err);
/* Network namespace fd of a node (node index) or of the core (-1), held by
 * the backend; -1 if none. */
int vl_linux_ns_fd(struct vl_backend *be, long node, int nstype);
/* A new descriptor (the caller's to close) of a node's namespace, nstype
 * CLONE_NEWNET or CLONE_NEWUTS; -errno on failure. */
int vl_linux_ns_open(struct vl_backend *be, long node, int nstype);
/* A new descriptor (the caller's to close) of node's filesystem view, its
 * mount namespace (view.h), made now if it was not yet; -errno with err
 * set. */
int vl_linux_view_open(struct vl_backend *be, long node, struct vl_err *err);
/* The root directory of node's view (borrowed, O_PATH): openat2() from
 * it with RESOLVE_IN_ROOT reads what the node sees.  -errno, err set. */
int vl_linux_view_root(struct vl_backend *be, long node, struct vl_err *err);
/* Start argv in node: its network, UTS namespace and view, as the node's
 * root, stdin /dev/null, stdout and stderr to logfd, in a session of its
 * own, with env (NULL: this process's).  The pid; -errno with err set when
 * it could not be started (exec's own failure included). */
pid_t vl_linux_node_spawn(struct vl_backend *be, long node, char *const argv[],
			  char *const env[], int logfd, struct vl_err *err);
/* Wait for child pid up to timeout_ms: 0 (status filled) or -ETIMEDOUT. */
int vl_linux_wait_timeout(pid_t pid, int timeout_ms, int *status);
/* The last whole lines (at most 8) of log into err, each "  PREFIX| line". */
void vl_log_tail(struct vl_err *err, const char *log, const char *prefix);
/* Live changes (`vnetlab link`).  The state of every link starts as the
 * plan made it; vl_linux_links() is that state, by link index. */
const struct vl_link_live *vl_linux_links(struct vl_backend *be);
/* New impairments for link l: qdiscs replaced or removed, the pipe retuned;
 * nothing changes when it fails. */
int vl_linux_link_impair(struct vl_backend *be, size_t l,
			 const struct vl_impair dir[2], struct vl_err *err);
/* Plug or unplug link l's wire.  Where the link meets the core (a switch
 * port, a pipe) the core end goes down, so the nodes see carrier loss and
 * keep their configuration; a direct node-to-node link has both ends set
 * down, and on up the topology's routes of both nodes are restored. */
int vl_linux_link_updown(struct vl_backend *be, size_t l, bool up,
			 struct vl_err *err);
/* Counters of a piped link into st[0..1] (by direction); -ENOENT
 * without a pipe. */
struct vl_pipe_stats;
int vl_linux_link_stats(struct vl_backend *be, size_t l, struct vl_pipe_stats *st);

/* The running lab becomes the lab of plan `next` (built for its topology
 * and rewritten by vl_plan_diff against the lab's plan, whose diff d is):
 * links and nodes that go are removed first (with the processes of
 * removed nodes), then what is new is made, then kept nodes and links
 * are changed in place (addresses, routes, hostname, forwarding,
 * impairments).  Everything kept, its processes and sessions included,
 * lives on.  On success the backend runs `next` (which must live as long
 * as the backend, or be passed again by vl_linux_rebind); on failure what
 * was made is removed and what was removed is made again, so the lab is
 * as it was but for the processes of removed nodes; err says so.
 * err may hold warnings (lines "warning: ...") on success. */
struct vl_plan_diff;
int vl_linux_apply(struct vl_backend *be, const struct vl_plan *next,
		   const struct vl_plan_diff *d, struct vl_err *err);
/* The same plan, moved: the backend's plan pointer follows it. */
void vl_linux_rebind(struct vl_backend *be, const struct vl_plan *p);

/* Release everything: /run/netns links, fds; the kernel frees the rest. */
void vl_linux_backend_free(struct vl_backend *be);

/* /run/netns/<name> bind-mount helpers shared with cleanup.  vl_netns_link
 * returns -EEXIST, having touched nothing, when the name is taken. */
int vl_netns_link(int netns_fd, const char *name, struct vl_err *err);
void vl_netns_unlink(const char *name);
/* In a process about to run a command in a node (after setns into its
 * network namespace): the node's own /sys and the lab's own /proc, in a
 * mount namespace of its own.  Best effort; see nsutil.c. */
void vl_node_mounts(void);
/* Remove every link a journal file lists as this lab's ("LAB.NODE"),
 * except those a "!LAB.NODE" line marks as someone else's. */
void vl_netns_unlink_journal(const char *journal, const char *lab);

#endif
