/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe.h — vnetlab's ng_pipe: a userspace forwarder between ports in the
 * lab's core namespace, applying bandwidth, delay, jitter, loss,
 * duplication, bit errors and a queue limit to the frames arriving at each
 * port.  A link's pipe is two ports sending to each other; a tee (ng_tee)
 * is up to four, where a frame may leave by two ports (pass and copy).
 *
 * Promise: frames are read from AF_PACKET receive rings (TPACKET_V2, mmap)
 * and sent in batches (sendmmsg), so the steady state costs no system call
 * per frame; one thread serves every pipe of a lab and sleeps until the
 * next frame is due (ppoll with a nanosecond timeout).  Frames of one
 * direction leave in the order they came (jitter never reorders).  The
 * decisions (what is dropped, when a frame leaves) are pipe_sched.h's;
 * this file is the I/O around them.
 * Parameters may be changed while frames flow: when bandwidth, delay or
 * jitter change, frames already queued leave at the earlier of their old
 * time and the time the new values give them, in order, so a cleared pipe
 * is clear at once; a link set down loses every frame its pipe holds.
 */
#ifndef VNETLAB_LINUX_PIPE_H
#define VNETLAB_LINUX_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "vnetlab/impair.h"
#include "vnetlab/pipe_sched.h" /* struct vl_pipe_stats */

struct vl_pipes;

struct vl_pipes *vl_pipes_new(void);
#define VL_PIPE_MAX_PORTS 4

struct vl_pipe_port {
	int ifindex;          /* in the *current* network namespace */
	int out[2];           /* ports (indexes into the same array) a frame
				 arriving here leaves by; -1: none */
	struct vl_impair im;  /* applied to frames arriving here */
};

/* Open n ports and start forwarding among them.  Returns the pipe's
 * number, or -errno.  A link's pipe: port 0 faces ep[0] and carries
 * direction 0 (out by port 1), port 1 the reverse. */
int vl_pipes_add(struct vl_pipes *ps, const struct vl_pipe_port *ports, int n);
/* Replace the parameters of frames arriving at one port, live; the frames
 * it holds are re-timed (vl_sched_retune). */
void vl_pipes_set(struct vl_pipes *ps, int pipe, int port, const struct vl_impair *im);
/* The wire was pulled: drop every frame the pipe holds, queued or still
 * in a receive ring, at all its ports (counted as queue drops). */
void vl_pipes_flush(struct vl_pipes *ps, int pipe);
/* Counters of frames arriving at one port (tx: sent by its first out). */
void vl_pipes_stats(struct vl_pipes *ps, int pipe, int port, struct vl_pipe_stats *st);
/* Stop one pipe and close its ports (a link or tee removed while the lab
 * runs); the numbers of the other pipes stay as they are. */
void vl_pipes_del(struct vl_pipes *ps, int pipe);
/* Stop the thread, close everything. */
void vl_pipes_free(struct vl_pipes *ps);

#endif
