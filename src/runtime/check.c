/* SPDX-License-Identifier: BSD-2-Clause */
/* check.c — reachability / RTT matrix with vnetlab's own ICMP sockets.
 *
 * One raw ICMP socket per source node and address family, opened inside
 * the node's namespace (a socket keeps the namespace it was born in), then
 * every probe of a round is sent at once and the replies are collected with
 * one poll() loop over all sockets.  No `ping` process per pair, and the
 * whole matrix costs about one timeout, not one per pair.
 *
 * --wait (vl_check_converge) keeps those sockets: full rounds, and
 * between them cheap re-probes of the targets still silent, until a full
 * round answers everywhere or the time is up.
 */
#include "vnetlab/check.h"
#include "vnetlab/node.h"
#include "vnetlab/privs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/icmp.h>
#include <math.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct src {
	const char *node;
	int sock[2];        /* [0] v4, [1] v6; -1 when the node has none */
	size_t first, n;    /* its probes: probes[first .. first+n) */
};

/* CLOCK_REALTIME because the kernel's receive timestamps (SO_TIMESTAMPNS)
 * use it: a reply's RTT is then measured to when it arrived, not to when
 * this loop got round to reading it. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Call fn for every non-link-local address of a state.json node; stops
 * and returns fn's value when it is non-zero. */
static int for_each_ip(struct json_object *node,
		       int (*fn)(const struct vl_ip *ip, void *arg), void *arg)
{
	struct json_object *ifaces = json_object_object_get(node, "ifaces");
	for (size_t j = 0; j < json_object_array_length(ifaces); j++) {
		struct json_object *addrs = json_object_object_get(
			json_object_array_get_idx(ifaces, j), "addrs");
		for (size_t a = 0; a < json_object_array_length(addrs); a++) {
			struct vl_ip ip;
			const char *txt = json_object_get_string(
				json_object_array_get_idx(addrs, a));
			if (vl_ip_parse(txt, false, &ip) < 0 || vl_ip_is_link_local(&ip))
				continue;
			int rc = fn(&ip, arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int is_family(const struct vl_ip *ip, void *arg)
{
	return ip->family == *(int *)arg;
}

static bool has_family(struct json_object *node, int family)
{
	return for_each_ip(node, is_family, &family) != 0;
}

static int add_probe(struct vl_check *c, size_t src, size_t dst,
		     const struct vl_ip *ip)
{
	if (c->n_probes % 64 == 0) {
		void *p = realloc(c->probes, (c->n_probes + 64) * sizeof(*c->probes));
		if (!p)
			return -ENOMEM;
		c->probes = p;
	}
	struct vl_probe *pr = &c->probes[c->n_probes++];
	memset(pr, 0, sizeof(*pr));
	pr->src = src;
	pr->dst = dst;
	pr->ip = *ip;
	pr->ip.plen = ip->family == AF_INET ? 32 : 128;
	pr->rtt_min = pr->rtt_max = -1;
	return 0;
}

struct probe_ctx {
	struct vl_check *c;
	size_t src, dst;
	bool v4, v6;
};

static int probe_ip(const struct vl_ip *ip, void *arg)
{
	struct probe_ctx *x = arg;
	if (ip->family == AF_INET ? !x->v4 : !x->v6)
		return 0;
	return add_probe(x->c, x->src, x->dst, ip);
}

/* Probes from every addressed vnet node of this host to every non-link-local address of
 * every other vnet node, in the families the source has an address of. */
static int plan_probes(struct vl_check *c, struct json_object *nodes)
{
	size_t n = json_object_array_length(nodes);
	for (size_t s = 0; s < n; s++) {
		struct json_object *sn = json_object_array_get_idx(nodes, s);
		/* A node of another host (a lab over several hosts): a
		 * target here, a source where it runs. */
		if (json_object_get_boolean(json_object_object_get(sn, "remote")))
			continue;
		struct probe_ctx x = {c, s, 0, has_family(sn, AF_INET),
				      has_family(sn, AF_INET6)};
		if (!x.v4 && !x.v6)
			continue;
		for (x.dst = 0; x.dst < n; x.dst++)
			if (x.dst != s &&
			    for_each_ip(json_object_array_get_idx(nodes, x.dst),
					probe_ip, &x) < 0)
				return -ENOMEM;
	}
	return 0;
}

static int open_icmp(int family)
{
	int fd = family == AF_INET
			 ? socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP)
			 : socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	/* Wake up for echo replies only. */
	if (family == AF_INET) {
		struct icmp_filter f = {.data = ~(1u << ICMP_ECHOREPLY)};
		setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	return fd;
}

/* Enter each source node's namespace once, open its sockets there. */
static int open_sources(struct vl_check *c, const struct vl_lab_paths *p,
			struct json_object *nodes, struct src *srcs,
			struct vl_err *err)
{
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int rc = home < 0 ? vl_err_sys(err, errno, "/proc/self/ns/net") : 0;
	for (size_t i = 0; i < c->n_probes && rc == 0;) {
		size_t s = c->probes[i].src, j = i;
		while (j < c->n_probes && c->probes[j].src == s)
			j++;
		struct src *sr = &srcs[s];
		sr->node = json_object_get_string(json_object_object_get(
			json_object_array_get_idx(nodes, s), "name"));
		sr->first = i;
		sr->n = j - i;
		struct vl_node_entry e;
		rc = vl_node_enter(p, sr->node, VL_ENTER_NET, &e, err);
		for (int f = 0; f < 2 && rc == 0; f++) {
			int fam = f ? AF_INET6 : AF_INET;
			bool need = false;
			for (size_t k = i; k < j; k++)
				need = need || c->probes[k].ip.family == fam;
			if (need && (sr->sock[f] = open_icmp(fam)) < 0)
				rc = vl_err_sys(err, errno, "ICMP socket in node %s",
						sr->node);
		}
		i = j;
	}
	if (home >= 0) {
		/* Fails (harmlessly) after joining a rootless lab's user
		 * namespace: the host's namespace is not ours to enter from
		 * there, and nothing below needs it. */
		setns(home, CLONE_NEWNET);
		close(home);
	}
	return rc;
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

/* One check's sockets and rounds.  A full round (every target, count
 * echoes each) and the re-probes of silent targets between full rounds
 * each carry a tag in the echo's payload, which the reply gives back: a
 * late reply of an earlier round never counts in a later one.  The first
 * round's tag is 0, so a check without --wait sends what it always did. */
struct session {
	struct vl_check *c;
	struct src *srcs;
	size_t n_src;
	struct pollfd *pfd;
	size_t *owner;      /* pfd[i]'s source * 2 + family (0 v4, 1 v6) */
	size_t npfd;
	uint16_t id;        /* ICMP identifier: this process's */
	uint32_t tag;       /* of the current full round */
	uint32_t re_tag;    /* of the re-probes after it */
	bool counting;      /* a full round is on: its replies count */
	uint8_t *pending;   /* per probe: silent, being re-probed */
	size_t n_pending;
	volatile sig_atomic_t *cancel;
};

static bool cancelled(const struct session *s)
{
	return s->cancel && *s->cancel;
}

/* One echo to probe k of sr; 0 or the errno of sendto. */
static int send_echo(struct session *s, struct src *sr, size_t k, unsigned round,
		     uint32_t tag)
{
	struct vl_check *c = s->c;
	struct vl_probe *pr = &c->probes[k];
	uint8_t pkt[16] = {0};
	uint16_t seq = (uint16_t)((k - sr->first) * c->opts.count + round);
	pkt[0] = pr->ip.family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	memcpy(pkt + 4, &s->id, 2);
	uint16_t nseq = htons(seq);
	memcpy(pkt + 6, &nseq, 2);
	uint32_t ntag = htonl(tag);
	memcpy(pkt + 8, &ntag, 4);
	if (pr->ip.family == AF_INET) {
		uint16_t sum = csum(pkt, sizeof(pkt));
		memcpy(pkt + 2, &sum, 2);
	}
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (pr->ip.family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		memcpy(&a->sin_addr, pr->ip.a, 4);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, pr->ip.a, 16);
		len = sizeof(*a);
	}
	if (sendto(sr->sock[pr->ip.family == AF_INET6], pkt, sizeof(pkt), 0,
		   (struct sockaddr *)&ss, len) == (ssize_t)sizeof(pkt))
		return 0;
	return errno ? errno : EIO;
}

static void send_probe(struct session *s, struct src *sr, size_t k, unsigned round)
{
	struct vl_check *c = s->c;
	struct vl_probe *pr = &c->probes[k];
	c->sent_at[k * c->opts.count + round] = now_ms();
	int e = send_echo(s, sr, k, round, s->tag);
	if (e == 0) {
		pr->sent++;
		c->outstanding++;
	} else if (!pr->sent) {
		pr->send_errno = e; /* e.g. ENETUNREACH: no route to it */
	}
}

static void on_reply(struct session *s, struct src *sr, int fam, const uint8_t *buf,
		     size_t n, const struct sockaddr_storage *from, double rx_ms)
{
	struct vl_check *c = s->c;
	size_t off = 0;
	if (fam == AF_INET) {
		if (n < 20)
			return;
		off = (size_t)(buf[0] & 0x0f) * 4;
	}
	if (n < off + 8 || buf[off] != (fam == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY))
		return;
	uint16_t rid, rseq;
	uint32_t tag = 0;
	memcpy(&rid, buf + off + 4, 2);
	memcpy(&rseq, buf + off + 6, 2);
	rseq = ntohs(rseq);
	if (n >= off + 12) {
		memcpy(&tag, buf + off + 8, 4);
		tag = ntohl(tag);
	}
	if (rid != s->id)
		return;
	size_t k = sr->first + rseq / c->opts.count;
	unsigned round = rseq % c->opts.count;
	if (k >= sr->first + sr->n)
		return;
	struct vl_probe *pr = &c->probes[k];
	const void *src = fam == AF_INET
				  ? (const void *)&((const struct sockaddr_in *)from)->sin_addr
				  : (const void *)&((const struct sockaddr_in6 *)from)->sin6_addr;
	if (pr->ip.family != fam || memcmp(src, pr->ip.a, (size_t)vl_ip_alen(fam)))
		return;
	if (!s->counting && s->pending && tag == s->re_tag) {
		/* A re-probe came back: the target answers again. */
		if (s->pending[k]) {
			s->pending[k] = 0;
			s->n_pending--;
		}
		return;
	}
	size_t slot = k * c->opts.count + round;
	if (!s->counting || tag != s->tag || c->got[slot])
		return;
	c->got[slot] = 1;
	if (c->outstanding)
		c->outstanding--;
	double rtt = rx_ms - c->sent_at[slot];
	pr->received++;
	pr->rtt_sum += rtt;
	if (pr->rtt_min < 0 || rtt < pr->rtt_min)
		pr->rtt_min = rtt;
	if (rtt > pr->rtt_max)
		pr->rtt_max = rtt;
}

enum until { ALL_WINDOW, ALL_ANSWERED, NONE_PENDING };

/* Replies until `until` (ms, now_ms's clock) or, sooner, ALL_ANSWERED:
 * every probe sent has its reply (a healthy lab costs its RTTs, not the
 * timeout); NONE_PENDING: every silent target re-probed has answered. */
static void collect(struct session *s, double until, enum until stop)
{
	struct vl_check *c = s->c;
	for (double left; (left = until - now_ms()) > 0 && !cancelled(s) &&
			  !(stop == ALL_ANSWERED && !c->outstanding) &&
			  !(stop == NONE_PENDING && !s->n_pending);) {
		/* In slices: a timeout of any size never overflows poll's int. */
		int slice = left > 1000 ? 1000 : (int)left + 1;
		if (poll(s->pfd, s->npfd, slice) <= 0)
			continue;
		for (size_t i = 0; i < s->npfd; i++) {
			if (!(s->pfd[i].revents & POLLIN))
				continue;
			struct src *sr = &s->srcs[s->owner[i] / 2];
			int fam = s->owner[i] % 2 ? AF_INET6 : AF_INET;
			for (;;) {
				uint8_t buf[1500];
				union {
					char b[CMSG_SPACE(sizeof(struct timespec))];
					struct cmsghdr align;
				} ctl;
				struct sockaddr_storage from;
				struct iovec iov = {buf, sizeof(buf)};
				struct msghdr m = {.msg_name = &from,
						   .msg_namelen = sizeof(from),
						   .msg_iov = &iov, .msg_iovlen = 1,
						   .msg_control = ctl.b,
						   .msg_controllen = sizeof(ctl.b)};
				ssize_t r = recvmsg(s->pfd[i].fd, &m, 0);
				if (r < 0)
					break;
				double rx = now_ms();
				for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm;
				     cm = CMSG_NXTHDR(&m, cm))
					if (cm->cmsg_level == SOL_SOCKET &&
					    cm->cmsg_type == SCM_TIMESTAMPNS) {
						struct timespec ts;
						memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
						rx = (double)ts.tv_sec * 1e3 +
						     (double)ts.tv_nsec / 1e6;
					}
				on_reply(s, sr, fam, buf, (size_t)r, &from, rx);
			}
		}
	}
}

/* Milliseconds on a clock no one sets: the wait's deadline. */
static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A window of ms from now, cut at deadline (mono_ms's clock), as an
 * instant of now_ms's clock (collect's). */
static double window(double ms, double deadline)
{
	double left = deadline - mono_ms();
	return now_ms() + (ms < left ? ms : left);
}

/* Every target, count echoes each, opts.interval_ms apart, then replies
 * for at most opts.timeout_ms; the round's results replace the last. */
static void full_round(struct session *s, double deadline)
{
	struct vl_check *c = s->c;
	for (size_t k = 0; k < c->n_probes; k++) {
		struct vl_probe *pr = &c->probes[k];
		pr->sent = pr->received = 0;
		pr->send_errno = 0;
		pr->rtt_sum = 0;
		pr->rtt_min = pr->rtt_max = -1;
	}
	memset(c->got, 0, c->n_probes * c->opts.count);
	c->outstanding = 0;
	s->counting = true;
	for (unsigned r = 0; r < c->opts.count; r++) {
		for (size_t i = 0; i < s->n_src; i++)
			for (size_t k = s->srcs[i].first; k < s->srcs[i].first + s->srcs[i].n; k++)
				send_probe(s, &s->srcs[i], k, r);
		bool last = r + 1 == c->opts.count;
		double wait = last ? c->opts.timeout_ms : c->opts.interval_ms;
		collect(s, window(wait, deadline), last ? ALL_ANSWERED : ALL_WINDOW);
		if (mono_ms() >= deadline || cancelled(s))
			break;
	}
	/* Later replies are after its timeout: they never count. */
	s->counting = false;
}

/* One echo to every pending target, then replies for pause_ms or until
 * none is pending. */
static void reprobe(struct session *s, double pause_ms, double deadline)
{
	for (size_t i = 0; i < s->n_src; i++)
		for (size_t k = s->srcs[i].first; k < s->srcs[i].first + s->srcs[i].n; k++)
			if (s->pending[k])
				send_echo(s, &s->srcs[i], k, 0, s->re_tag);
	collect(s, window(pause_ms, deadline), NONE_PENDING);
}

/* The targets the last full round left silent become pending. */
static void mark_silent(struct session *s)
{
	s->n_pending = 0;
	for (size_t k = 0; k < s->c->n_probes; k++) {
		s->pending[k] = s->c->probes[k].received == 0;
		s->n_pending += s->pending[k];
	}
}

static bool session_open(struct session *s, struct vl_check *c, struct src *srcs,
			 size_t n_src)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->srcs = srcs;
	s->n_src = n_src;
	s->id = (uint16_t)(getpid() & 0xffff);
	s->re_tag = 1; /* full rounds' tags are even, re-probes' odd */
	s->pfd = calloc(n_src * 2 + 1, sizeof(*s->pfd));
	s->owner = calloc(n_src * 2 + 1, sizeof(*s->owner));
	if (!s->pfd || !s->owner)
		return false;
	for (size_t i = 0; i < n_src; i++)
		for (int f = 0; f < 2; f++)
			if (srcs[i].sock[f] >= 0) {
				s->pfd[s->npfd] = (struct pollfd){.fd = srcs[i].sock[f],
								  .events = POLLIN};
				s->owner[s->npfd++] = i * 2 + (size_t)f;
			}
	return true;
}

static void session_close(struct session *s)
{
	free(s->pfd);
	free(s->owner);
	free(s->pending);
}

/* The waiting: full rounds, and re-probes of the silent between them. */
static void converge(struct session *s, double wait_ms, struct vl_convergence *w)
{
	struct vl_check *c = s->c;
	double t0 = mono_ms(), deadline = t0 + wait_ms;
	s->pending = calloc(c->n_probes ? c->n_probes : 1, 1);
	w->silent = calloc(c->n_probes ? c->n_probes : 1, 1);
	if (!s->pending || !w->silent) {
		/* Out of memory: one round, as without --wait. */
		full_round(s, deadline);
		w->rounds = w->full_rounds = 1;
		w->converged = vl_check_ok(c);
		w->took_ms = mono_ms() - t0;
		return;
	}
	for (;;) {
		full_round(s, deadline);
		w->rounds++;
		w->full_rounds++;
		if (vl_check_ok(c)) {
			w->converged = true;
			break;
		}
		mark_silent(s);
		/* The silent targets' re-probes carry a tag of their own. */
		s->re_tag = s->tag + 1;
		size_t failed = s->n_pending;
		while (s->n_pending && mono_ms() < deadline && !cancelled(s)) {
			reprobe(s, VL_CHECK_REPROBE_MS, deadline);
			w->rounds++;
		}
		w->answered_since = failed - s->n_pending;
		if (s->n_pending || mono_ms() >= deadline || cancelled(s) || !c->n_probes)
			break;
		s->tag += 2;
	}
	w->took_ms = mono_ms() - t0;
	w->interrupted = !w->converged && cancelled(s);
	if (!w->converged) {
		memcpy(w->silent, s->pending, c->n_probes);
		w->n_silent = s->n_pending;
	} else {
		w->answered_since = 0;
	}
}

/* vl_check_run, or with wait_ms > 0 vl_check_converge. */
static int check(const struct vl_lab_paths *p, struct json_object *state,
		 const struct vl_check_opts *o, double wait_ms,
		 volatile sig_atomic_t *cancel, struct vl_check *c,
		 struct vl_convergence *w, struct vl_err *err)
{
	memset(c, 0, sizeof(*c));
	c->opts = *o;
	if (c->opts.count < 1 || c->opts.count > VL_CHECK_MAX_COUNT)
		c->opts.count = 3;
	/* Bounds the callers' checked values, should one not have. */
	if (!(c->opts.timeout_ms >= VL_CHECK_MIN_TIMEOUT_MS &&
	      c->opts.timeout_ms <= VL_CHECK_MAX_TIMEOUT_MS))
		c->opts.timeout_ms = 1000;
	c->state = json_object_get(state);
	struct json_object *nodes = json_object_object_get(state, "nodes");
	size_t n = json_object_array_length(nodes);
	if (plan_probes(c, nodes) < 0)
		return vl_errf(err, "check: out of memory"), -ENOMEM;
	size_t max_per_src = 0;
	for (size_t i = 0, run = 0; i < c->n_probes; i++) {
		run = i && c->probes[i].src == c->probes[i - 1].src ? run + 1 : 1;
		if (run > max_per_src)
			max_per_src = run;
	}
	if (max_per_src * c->opts.count > 65535)
		return vl_errf(err, "check: %zu targets per node is more than "
			       "one ICMP sequence space holds", max_per_src), -E2BIG;
	size_t slots = (c->n_probes ? c->n_probes : 1) * c->opts.count;
	c->sent_at = calloc(slots, sizeof(*c->sent_at));
	c->got = calloc(slots, 1);
	struct src *srcs = calloc(n ? n : 1, sizeof(*srcs));
	if (!srcs || !c->sent_at || !c->got) {
		free(srcs);
		return vl_errf(err, "check: out of memory"), -ENOMEM;
	}
	for (size_t s = 0; s < n; s++)
		srcs[s].sock[0] = srcs[s].sock[1] = -1;
	/* Two sockets per source node: past 1024 at ~500 nodes. */
	vl_privs_raise_nofile(2 * json_object_array_length(nodes) + 64);
	int rc = open_sources(c, p, nodes, srcs, err);
	struct session s;
	if (rc == 0 && session_open(&s, c, srcs, n)) {
		s.cancel = cancel;
		if (w)
			converge(&s, wait_ms, w);
		else
			full_round(&s, INFINITY);
	}
	if (rc == 0)
		session_close(&s);
	for (size_t i = 0; i < n; i++)
		for (int f = 0; f < 2; f++)
			if (srcs[i].sock[f] >= 0)
				close(srcs[i].sock[f]);
	free(srcs);
	return rc;
}

int vl_check_run(const struct vl_lab_paths *p, struct json_object *state,
		 const struct vl_check_opts *o, struct vl_check *c,
		 struct vl_err *err)
{
	return check(p, state, o, 0, NULL, c, NULL, err);
}

int vl_check_converge(const struct vl_lab_paths *p, struct json_object *state,
		      const struct vl_check_opts *o, double wait_ms,
		      volatile sig_atomic_t *cancel, struct vl_check *c,
		      struct vl_convergence *w, struct vl_err *err)
{
	memset(w, 0, sizeof(*w));
	/* Bounded as the CLI bounds --wait, should a caller not have. */
	if (!(wait_ms > 0 && wait_ms <= VL_CHECK_MAX_WAIT_S * 1000.0))
		wait_ms = 1000;
	w->limit_ms = wait_ms;
	return check(p, state, o, wait_ms, cancel, c, w, err);
}

void vl_convergence_free(struct vl_convergence *w)
{
	free(w->silent);
	memset(w, 0, sizeof(*w));
}

void vl_check_free(struct vl_check *c)
{
	free(c->probes);
	free(c->sent_at);
	free(c->got);
	json_object_put(c->state);
	memset(c, 0, sizeof(*c));
}
