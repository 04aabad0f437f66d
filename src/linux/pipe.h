/* pipe.h — vnetlab's ng_pipe: a userspace forwarder between two ports in
 * the lab's core namespace, applying bandwidth, delay, jitter, loss,
 * duplication, bit errors and a queue limit per direction.
 *
 * Promise: frames are read from AF_PACKET receive rings (TPACKET_V2, mmap)
 * and sent in batches (sendmmsg), so the steady state costs no system call
 * per frame; one thread serves every pipe of a lab and sleeps until the
 * next frame is due (ppoll with a nanosecond timeout).  Frames of one
 * direction leave in the order they came (jitter never reorders).
 * Parameters may be changed while frames flow.
 */
#ifndef VNETLAB_LINUX_PIPE_H
#define VNETLAB_LINUX_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "vnetlab/impair.h"

struct vl_pipes;

struct vl_pipe_stats {
	uint64_t rx, tx, dropped_loss, dropped_ber, dropped_queue, duplicated;
};

struct vl_pipes *vl_pipes_new(void);
/* Open the two ports (interface indexes in the *current* network
 * namespace) and start forwarding between them; dir[0] applies to frames
 * arriving on port a (leaving by b), dir[1] to the other way.  Returns the
 * pipe's number, or -errno. */
int vl_pipes_add(struct vl_pipes *ps, int ifindex_a, int ifindex_b,
		 const struct vl_impair dir[2]);
/* Replace one direction's parameters, live. */
void vl_pipes_set(struct vl_pipes *ps, int pipe, int dir, const struct vl_impair *im);
void vl_pipes_stats(struct vl_pipes *ps, int pipe, int dir, struct vl_pipe_stats *st);
/* Stop the thread, close everything. */
void vl_pipes_free(struct vl_pipes *ps);

#endif
