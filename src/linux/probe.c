/* SPDX-License-Identifier: BSD-2-Clause */
/* probe.c — try, in a throwaway child, what a lab will need (probe.h). */
#include "vnetlab/probe.h"
#include "vnetlab/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/nl.h"

/* The child's verdict travels back as {errno, step text} over a pipe. */
struct verdict {
	int error;
	char step[96];
	unsigned present;
};

/* Each probe is one request and its ack: nl.h's batch, one message long. */
static struct nlmsghdr *begin(struct vl_nl_batch *b, struct mnl_socket *s,
			      uint16_t type)
{
	struct vl_nl_fail f;
	return vl_nl_begin(b, s, type, NLM_F_CREATE | NLM_F_EXCL, NULL, &f);
}

static int finish(struct vl_nl_batch *b)
{
	struct vl_nl_fail f;
	return vl_nl_flush(b, &f);
}

static int make_veth(struct vl_nl_batch *b, struct mnl_socket *s)
{
	struct nlmsghdr *nlh = begin(b, s, RTM_NEWLINK);
	if (!nlh)
		return -EIO;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	memset(ifi, 0, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vlprobe0");
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	struct ifinfomsg *pi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pi));
	memset(pi, 0, sizeof(*pi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vlprobe1");
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return finish(b);
}

/* 0 if the kernel knows the qdisc kind (even if it then refuses our empty
 * options), -ENOENT if it does not. */
static int try_qdisc(struct vl_nl_batch *b, struct mnl_socket *s, const char *kind)
{
	struct nlmsghdr *nlh = begin(b, s, RTM_NEWQDISC);
	if (!nlh)
		return -EIO;
	struct tcmsg *tc = mnl_nlmsg_put_extra_header(nlh, sizeof(*tc));
	memset(tc, 0, sizeof(*tc));
	tc->tcm_family = AF_UNSPEC;
	tc->tcm_ifindex = 1; /* lo of the probe's own namespace */
	tc->tcm_parent = TC_H_ROOT;
	tc->tcm_handle = 0x10000;
	mnl_attr_put_strz(nlh, TCA_KIND, kind);
	return finish(b) == -ENOENT ? -ENOENT : 0;
}

static void fail(struct verdict *v, int e, const char *step)
{
	v->error = e;
	snprintf(v->step, sizeof(v->step), "%s", step);
}

/* In the child: make the namespaces, then do `what`. */
static void child(bool userns, bool qdiscs, struct verdict *v)
{
	struct vl_err err;
	vl_err_init(&err);
	int rc = userns ? vl_userns_create(0, getuid(), 0, getgid(), &err) : 0;
	if (rc < 0) {
		/* err.msg starts with the step: "unshare(...): ..." */
		char step[96];
		snprintf(step, sizeof(step), "%.*s", (int)strcspn(err.msg, ":"),
			 err.msg);
		return fail(v, -rc, step);
	}
	if (unshare(CLONE_NEWNET) < 0)
		return fail(v, errno, "unshare(CLONE_NEWNET)");
	struct mnl_socket *s = vl_nl_open();
	struct vl_nl_batch *b = malloc(sizeof(*b));
	if (!s || !b)
		return fail(v, errno, "opening a netlink socket");
	vl_nl_batch_init(b);
	if (qdiscs) {
		static const struct { const char *kind; unsigned bit; } k[] = {
			{"netem", VL_QDISC_NETEM}, {"tbf", VL_QDISC_TBF},
			{"htb", VL_QDISC_HTB}};
		for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
			if (try_qdisc(b, s, k[i].kind) == 0)
				v->present |= k[i].bit;
	} else {
		rc = make_veth(b, s);
		if (rc < 0)
			fail(v, -rc, "creating a veth pair");
	}
	mnl_socket_close(s);
	free(b);
}

static int run_probe(bool userns, bool qdiscs, struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]), close(p[1]);
		return -e;
	}
	if (pid == 0) {
		close(p[0]);
		struct verdict mine = {0};
		child(userns, qdiscs, &mine);
		ssize_t w = write(p[1], &mine, sizeof(mine));
		_exit(w == (ssize_t)sizeof(mine) ? 0 : 1);
	}
	close(p[1]);
	ssize_t r = read(p[0], v, sizeof(*v));
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (r != (ssize_t)sizeof(*v))
		return -EPIPE;
	return 0;
}

int vl_probe_rootless(char *step, size_t len)
{
	struct verdict v;
	int rc = run_probe(true, false, &v);
	if (rc < 0) {
		snprintf(step, len, "running the probe");
		return rc;
	}
	snprintf(step, len, "%s", v.step);
	return -v.error;
}

int vl_probe_qdiscs(bool in_userns, unsigned *present)
{
	struct verdict v;
	int rc = run_probe(in_userns, true, &v);
	*present = v.present;
	return rc < 0 ? rc : -v.error;
}
