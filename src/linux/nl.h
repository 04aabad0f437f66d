/* SPDX-License-Identifier: BSD-2-Clause */
/* nl.h — rtnetlink over libmnl: batched requests, bulk acks.
 *
 * Promise: requests queued with vl_nl_begin() go to the kernel in as few
 * sendmsg() calls as possible (one per batch buffer, or when the target
 * socket changes).  vl_nl_flush() reads every ack and reports the first
 * failure with the tag of the request that caused it and the kernel's
 * extended-ack text when it gave one.  Nothing here knows about labs.
 */
#ifndef VNETLAB_LINUX_NL_H
#define VNETLAB_LINUX_NL_H

#include <libmnl/libmnl.h>
#include <stdint.h>

#define VL_NL_BATCH_BYTES (64 * 1024)
/* Each ack costs ~1 KiB of receive-buffer truesize even when capped: 128
 * in flight stay well under the default 212 KiB (1000 gave ENOBUFS). */
#define VL_NL_BATCH_MSGS 128

struct vl_nl_fail {
	const void *tag;     /* as given to vl_nl_begin */
	int error;           /* positive errno */
	char extack[256];    /* kernel's message, "" if none */
};

struct vl_nl_batch {
	struct mnl_socket *sock;  /* socket of the queued messages */
	char buf[VL_NL_BATCH_BYTES];
	size_t last;              /* offset of the newest queued message */
	uint32_t seq;             /* next sequence number */
	uint32_t first_seq;
	const void *tags[VL_NL_BATCH_MSGS];
	size_t n;
};

/* A route socket in the *current* network namespace, with extended acks
 * and capped acks turned on.  NULL with errno set on failure. */
struct mnl_socket *vl_nl_open(void);

void vl_nl_batch_init(struct vl_nl_batch *b);
/* Start a request on sock; flushes first when the batch is full or bound to
 * another socket.  NLM_F_REQUEST|NLM_F_ACK are added to flags.  Returns the
 * header to fill (valid until the next begin/flush), or NULL with *fail set
 * when the implicit flush failed. */
struct nlmsghdr *vl_nl_begin(struct vl_nl_batch *b, struct mnl_socket *sock,
			     uint16_t type, uint16_t flags, const void *tag,
			     struct vl_nl_fail *fail);
/* Send what is queued and wait for every ack.  0, or -errno with *fail. */
int vl_nl_flush(struct vl_nl_batch *b, struct vl_nl_fail *fail);

#endif
