/* SPDX-License-Identifier: BSD-2-Clause */
/* labview.h — a running lab's insides read from a process that must not
 * enter it itself (`vnetlab web`: threaded, and it serves more than one
 * lab).
 *
 * Promise: every namespace is entered in a forked child (node.h), never
 * by the caller, so the caller may have threads and stays where it was:
 * a rootless lab's user namespace refuses a threaded process, and the
 * child, born with one thread, can join it.  What a child finds comes
 * back over a pipe; a child that takes too long is killed and reaped, so
 * no call leaves a process or a descriptor behind.  The child does only
 * what the verbs do (vl_node_enter, vl_hook_enter, rtnetlink, a packet
 * socket): no shell, no `ip`.
 */
#ifndef VNETLAB_LABVIEW_H
#define VNETLAB_LABVIEW_H

#include <sys/types.h>

#include "vnetlab/err.h"
#include "vnetlab/lab.h"

struct json_object;

/* vl_netstat() (netstat.h) in each node named in nodes (an array of
 * strings), read by one child that enters them in turn: an object
 * {"NODE": netstat document, or {"error": "why"}}.  NULL with err set
 * when no child could be made or it gave no answer within timeout_ms. */
struct json_object *vl_labview_nodes(const struct vl_lab_paths *p, struct json_object *nodes,
				     int timeout_ms, struct vl_err *err);

/* A capture of hook NODE:IF (capture.h) for seconds, as pcap, in a child:
 * returns the read end of a pipe the child writes the pcap to (header
 * first) once its packet socket is open, with *pid the child's, for the
 * caller to read to its end and then vl_labview_reap.  -errno with err
 * set (the child's own reason: no such hook, ...) when it could not
 * start within timeout_ms. */
int vl_labview_capture(const struct vl_lab_paths *p, const char *hook, double seconds,
		       int timeout_ms, pid_t *pid, struct vl_err *err);

/* Kill (when still running) and reap a child of this module. */
void vl_labview_reap(pid_t pid);

#endif
