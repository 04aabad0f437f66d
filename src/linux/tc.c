/* SPDX-License-Identifier: BSD-2-Clause */
/* tc.c — a link direction's kernel share: tbf (bandwidth, queue) and netem
 * (delay, jitter, loss, duplication), at up and on live changes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vnetlab/plan_diff.h"

#include "linux/be.h"

/* ---- kernel impairments: tbf (bandwidth), netem (the rest) ------------------ */

static void put_tbf(struct nlmsghdr *nlh, const struct vl_impair *im)
{
	uint64_t bytes_s = im->v[VL_P_BANDWIDTH] / 8;
	/* A burst of 1 ms at the rate, but at least two full frames: less
	 * and a 1500-byte frame could never leave. */
	uint32_t burst = (uint32_t)(bytes_s / 1000 > 3028 ? bytes_s / 1000 : 3028);
	/* Queue: the frames asked for, else what 50 ms at the rate holds. */
	uint64_t limit = vl_impair_has(im, VL_P_QUEUE)
				 ? im->v[VL_P_QUEUE] * 1514
				 : bytes_s / 20 + burst;
	struct tc_tbf_qopt q = {0};
	q.rate.rate = bytes_s > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_s;
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	q.limit = limit > UINT32_MAX ? UINT32_MAX : (uint32_t)limit;
	/* buffer is in scheduler ticks (64 ns); TCA_TBF_BURST below makes the
	 * kernel recompute it exactly from the burst in bytes. */
	q.buffer = (uint32_t)((uint64_t)burst * 1000000000ull / bytes_s / 64);
	struct nlattr *opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	mnl_attr_put_u64(nlh, TCA_TBF_RATE64, bytes_s);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, burst);
	mnl_attr_nest_end(nlh, opt);
}

static uint32_t netem_prob(uint64_t ppb)
{
	/* netem's probabilities are fractions of 2^32 - 1. */
	return (uint32_t)((double)ppb / VL_PPB * UINT32_MAX);
}

static void put_netem(struct nlmsghdr *nlh, const struct vl_impair *im)
{
	struct tc_netem_qopt q = {0};
	q.limit = vl_impair_has(im, VL_P_QUEUE) ? (uint32_t)im->v[VL_P_QUEUE] : 1000;
	q.loss = netem_prob(im->v[VL_P_LOSS]);
	q.duplicate = netem_prob(im->v[VL_P_DUPLICATE]);
	struct nlattr *opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	/* netem's options are the struct itself followed by attributes. */
	memcpy(mnl_nlmsg_get_payload_tail(nlh), &q, sizeof(q));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(q));
	mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, (int64_t)im->v[VL_P_DELAY]);
	mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, (int64_t)im->v[VL_P_JITTER]);
	if (vl_impair_has(im, VL_P_BANDWIDTH))
		mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, im->v[VL_P_BANDWIDTH] / 8);
	mnl_attr_nest_end(nlh, opt);
}

/* The root qdisc of ifindex carrying im (RTM_NEWQDISC), or none (DEL). */
static void put_qdisc(struct nlmsghdr *nlh, int ifindex, const struct vl_impair *im)
{
	struct tcmsg *tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = ifindex;
	tc->tcm_parent = TC_H_ROOT;
	tc->tcm_handle = 0x10000; /* 1: */
	if (!im)
		return;
	bool netem = vl_kernel_needs_netem(im->set);
	mnl_attr_put_strz(nlh, TCA_KIND, netem ? "netem" : "tbf");
	if (netem)
		put_netem(nlh, im);
	else
		put_tbf(nlh, im);
}

int lbe_qdisc_set(struct vl_backend *be, const struct vl_op *op,
		     struct vl_err *err)
{
	struct linux_be *b = LBE(be);
	const struct vl_link *l = &topo_of(b)->links[op->idx];
	const struct vl_link_place *lp = &b->base.plan->links[op->idx];
	struct end e;
	lbe_describe_end(b, &l->ep[op->dir], &e);
	struct vl_impair im = vl_impair_only(&l->dir[op->dir], lp->kernel_set[op->dir]);
	struct mnl_socket *s = e.nl ? e.nl : lbe_node_sock(b, l->ep[op->dir].node, op, err);
	struct nlmsghdr *nlh = s ? lbe_begin(b, s, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
					 op, err) : NULL;
	if (!nlh)
		return -EIO;
	put_qdisc(nlh, e.ifindex, &im);
	return 0;
}


/* Make the kernel's share of direction d of link l be im (none: no qdisc). */
int lbe_live_qdisc(struct linux_be *b, size_t l, int d, const struct vl_impair *im,
		      struct vl_err *err)
{
	const struct vl_topo *t = topo_of(b);
	struct end e;
	lbe_describe_end(b, &t->links[l].ep[d], &e);
	char what[128], ep[40];
	vl_endpoint_name(t, &t->links[l].ep[d], ep, sizeof(ep));
	snprintf(what, sizeof(what), "%s the qdisc on %s", im ? "setting" : "removing", ep);
	struct mnl_socket *s = lbe_ns_socket(b, e.ns);
	if (!s)
		return vl_err_sys(err, errno, "%s", what);
	struct vl_nl_fail f;
	struct nlmsghdr *nlh = vl_nl_begin(b->batch, s, im ? RTM_NEWQDISC : RTM_DELQDISC,
					   im ? NLM_F_CREATE | NLM_F_REPLACE : 0, NULL, &f);
	int rc = 0;
	if (nlh) {
		put_qdisc(nlh, e.ifindex, im);
		rc = lbe_live_flush(b, what, err);
	}
	mnl_socket_close(s);
	return rc;
}
