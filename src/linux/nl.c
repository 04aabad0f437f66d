/* SPDX-License-Identifier: BSD-2-Clause */
/* nl.c — batched rtnetlink requests.  Deliberately thin: build the message
 * with libmnl, queue it, send the queue, walk the acks. */
#include "linux/nl.h"

#include <errno.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "vnetlab/fault.h"

struct mnl_socket *vl_nl_open(void)
{
	struct mnl_socket *s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!s)
		return NULL;
	int one = 1;
	/* Extended acks carry the kernel's reason ("Unknown device type");
	 * capped acks keep error replies small so a big batch cannot
	 * overflow the receive buffer. */
	mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(s);
		errno = e;
		return NULL;
	}
	return s;
}

void vl_nl_batch_init(struct vl_nl_batch *b)
{
	b->sock = NULL;
	b->last = 0;
	b->n = 0;
	b->seq = (uint32_t)time(NULL);
	b->first_seq = b->seq;
}

/* Messages are filled by the caller after vl_nl_begin() returns, so the
 * end of the batch is found from the last message's final length. */
static size_t batch_end(const struct vl_nl_batch *b)
{
	if (b->n == 0)
		return 0;
	const struct nlmsghdr *last = (const struct nlmsghdr *)(b->buf + b->last);
	return b->last + NLMSG_ALIGN(last->nlmsg_len);
}

struct nlmsghdr *vl_nl_begin(struct vl_nl_batch *b, struct mnl_socket *sock,
			     uint16_t type, uint16_t flags, const void *tag,
			     struct vl_nl_fail *fail)
{
	size_t off = batch_end(b);
	/* 1 KiB is room for the largest message we build (a veth pair). */
	if (b->n && (b->sock != sock || b->n == VL_NL_BATCH_MSGS ||
		     off + 1024 > sizeof(b->buf))) {
		if (vl_nl_flush(b, fail) < 0)
			return NULL;
		off = 0;
	}
	if (b->n == 0) {
		b->sock = sock;
		b->first_seq = b->seq;
	}
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(b->buf + off);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = b->seq++;
	b->tags[b->n++] = tag;
	b->last = off;
	return nlh;
}

static void read_extack(const struct nlmsghdr *nlh, char *out, size_t len)
{
	out[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	/* With NETLINK_CAP_ACK the echoed request is its header only. */
	size_t off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	/* libmnl's iterator takes a non-const pointer; it only reads. */
	void *payload = (char *)(uintptr_t)e + off;
	struct nlattr *attr;
	mnl_attr_for_each_payload(payload,
				  mnl_nlmsg_get_payload_len(nlh) - off)
	{
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			snprintf(out, len, "%s", mnl_attr_get_str(attr));
	}
}

/* VNETLAB_FAULT=nlfail:K (fault.h): give the K-th request a message type
 * rtnetlink does not know, so the kernel refuses that one request with
 * EOPNOTSUPP and goes on with the rest of the batch.  Index of the
 * request in this batch, or -1. */
static long inject_fault(char *buf, size_t bytes)
{
	long idx = 0, hit = -1;
	int left = (int)bytes;
	for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left), idx++) {
		if (vl_fault_nl_request()) {
			nlh->nlmsg_type = RTM_MAX + 1;
			hit = idx;
		}
	}
	return hit;
}

int vl_nl_flush(struct vl_nl_batch *b, struct vl_nl_fail *fail)
{
	if (b->n == 0)
		return 0;
	size_t bytes = batch_end(b);
	size_t expect = b->n;
	uint32_t first = b->first_seq;
	int rc = 0;
	long injected = inject_fault(b->buf, bytes);
	b->n = 0;
	if (mnl_socket_sendto(b->sock, b->buf, bytes) < 0) {
		fail->tag = b->tags[0];
		fail->error = errno;
		fail->extack[0] = '\0';
		return -fail->error;
	}
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	while (expect > 0) {
		ssize_t r = mnl_socket_recvfrom(b->sock, rbuf, sizeof(rbuf));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (rc == 0) {
				fail->tag = b->tags[0];
				fail->error = errno;
				fail->extack[0] = '\0';
				rc = -errno;
			}
			return rc;
		}
		for (struct nlmsghdr *nlh = (struct nlmsghdr *)rbuf;
		     mnl_nlmsg_ok(nlh, (int)r); nlh = mnl_nlmsg_next(nlh, (int *)&r)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			uint32_t idx = nlh->nlmsg_seq - first;
			if (idx >= VL_NL_BATCH_MSGS)
				continue; /* not ours */
			expect--;
			if (e->error && rc == 0) {
				fail->tag = b->tags[idx];
				fail->error = -e->error;
				read_extack(nlh, fail->extack, sizeof(fail->extack));
				if ((long)idx == injected)
					snprintf(fail->extack, sizeof(fail->extack),
						 "injected fault (VNETLAB_FAULT)");
				rc = e->error;
			}
		}
	}
	return rc;
}
