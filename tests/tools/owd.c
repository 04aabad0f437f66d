/* SPDX-License-Identifier: BSD-2-Clause */
/* owd — one-way delay, loss, duplication and order of a UDP stream, for
 * the impairment tests (tests/integration/test_impair.c).
 *
 *   owd send ADDR PORT COUNT PPS [SIZE]
 *   owd recv PORT COUNT TIMEOUT_MS
 *
 * send: COUNT datagrams of SIZE payload bytes (default 64, at least 20) to
 * ADDR:PORT (IPv4 or IPv6), paced at PPS per second on an absolute
 * schedule (0: as fast as the socket takes them).  Each carries a magic
 * word, its sequence number 0..COUNT-1 and its CLOCK_MONOTONIC send time,
 * read just before the send.  Prints `sent=N`.
 *
 * recv: binds PORT (IPv6 socket taking IPv4 too), prints `ready` once it
 * can receive (wait for that line, never for a time), then counts until
 * TIMEOUT_MS pass without a datagram (at most 10 s wait for the first;
 * once every sequence number has come, 100 ms more for late copies).
 * Arrival times are the kernel's receive timestamps (SO_TIMESTAMPNS,
 * taken when the frame reaches the node's stack, so a receiver scheduled
 * late adds nothing), moved onto CLOCK_MONOTONIC.  That clock is one per
 * machine, shared by every network namespace (vnetlab makes no time
 * namespaces): the difference is the one-way delay.  Prints key=value
 * lines:
 *   received    datagrams of ours (copies included)
 *   unique      distinct sequence numbers below COUNT
 *   duplicates  received - unique
 *   reordered   datagrams whose seq is lower than the highest seen before
 *   lost        COUNT - unique
 *   min_us p10_us p50_us p90_us p95_us p99_us max_us   one-way delay quantiles
 *               over every datagram received (0 when none)
 *   ahead_p50 ahead_p90 ahead_p99 ahead_max   datagrams that arrived while
 *               one was on its way (sent to received): through a FIFO
 *               bottleneck with no delay, the queue it found, in datagrams
 *   span_us     first to last arrival
 *   rate_bps    Ethernet frame bits (payload + UDP + IP + 14) per second
 *               over the arrivals after the first: a bottleneck's rate
 *   ts          kernel | user: where the arrival times came from
 * With OWD_DUMP=FILE in its environment, recv also writes one line per
 * datagram to FILE.PORT: seq, one-way delay (ns), arrival (CLOCK_MONOTONIC
 * ns), for looking into a failed bound.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x6f776431u /* "owd1" */
#define HDR 20            /* magic 4, seq 8, sent 8 */
#define MAX_SIZE 65507

static uint64_t ns_of(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t now_ns(void)
{
	return ns_of(CLOCK_MONOTONIC);
}

static int usage(void)
{
	fprintf(stderr, "usage: owd send ADDR PORT COUNT PPS [SIZE]\n"
			"       owd recv PORT COUNT TIMEOUT_MS\n");
	return 2;
}

static int num(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *s && !*end && !errno && *v <= max ? 0 : -1;
}

static int do_send(const char *addr, unsigned port, uint64_t count, uint64_t pps,
		   size_t size)
{
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		sl = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		sl = sizeof(*s6);
	} else {
		fprintf(stderr, "owd send: '%s' is not an IP address\n", addr);
		return 2;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		perror("owd send");
		return 1;
	}
	/* An offered load is open-loop: a qdisc's queue on this node must
	 * not block the sender (its datagrams count against the send
	 * buffer until they leave); the qdisc drops instead. */
	int big = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	/* Wake-ups are departures: no 50 us of timer slack on each. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	static uint8_t buf[MAX_SIZE];
	memset(buf, 0xa5, size);
	uint32_t magic = MAGIC;
	memcpy(buf, &magic, 4);
	uint64_t start = now_ns(), sent = 0;
	for (uint64_t seq = 0; seq < count; seq++) {
		if (pps) {
			uint64_t due = start + (uint64_t)((double)seq * 1e9 / (double)pps);
			struct timespec ts = {(time_t)(due / 1000000000ull),
					      (long)(due % 1000000000ull)};
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
				;
		}
		uint64_t t = now_ns();
		memcpy(buf + 4, &seq, 8);
		memcpy(buf + 12, &t, 8);
		/* A full qdisc or an ICMP error from an earlier datagram is the
		 * network's doing: the datagram counts as sent (and lost). */
		if (send(fd, buf, size, 0) < 0 && errno != ENOBUFS && errno != EAGAIN &&
		    errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH) {
			perror("owd send");
			return 1;
		}
		sent++;
	}
	printf("sent=%llu\n", (unsigned long long)sent);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* How many of sorted v[0..n) are below t (or at most t, with equal). */
static uint64_t count_before(const uint64_t *v, uint64_t n, uint64_t t, bool equal)
{
	uint64_t lo = 0, hi = n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (v[mid] < t || (equal && v[mid] == t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The q-quantile of sorted v[0..n): the nearest rank (0 when empty). */
static double quantile(const int64_t *v, uint64_t n, double q)
{
	if (!n)
		return 0;
	uint64_t i = (uint64_t)(q * (double)(n - 1) + 0.5);
	return (double)v[i];
}

static double quantile_us(const int64_t *v, uint64_t n, double q)
{
	return quantile(v, n, q) / 1e3;
}

static int open_recv(unsigned port)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), zero = 0;
	if (fd >= 0) {
		struct sockaddr_in6 s6 = {.sin6_family = AF_INET6,
					  .sin6_port = htons((uint16_t)port),
					  .sin6_addr = IN6ADDR_ANY_INIT};
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) == 0 &&
		    bind(fd, (struct sockaddr *)&s6, sizeof(s6)) == 0)
			return fd;
		close(fd);
	}
	/* A node without IPv6 (disabled): IPv4 only. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in s4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (fd < 0 || bind(fd, (struct sockaddr *)&s4, sizeof(s4)) < 0)
		return -1;
	return fd;
}

/* CLOCK_REALTIME - CLOCK_MONOTONIC, read between two readings of the
 * former that lie close together (a preemption between the readings would
 * skew it by as long as it lasted); CLOCK_MONOTONIC into *mono. */
static uint64_t real_minus_mono(uint64_t *mono)
{
	uint64_t best = UINT64_MAX, off = 0;
	for (int i = 0; i < 8; i++) {
		uint64_t r1 = ns_of(CLOCK_REALTIME), m = now_ns(), r2 = ns_of(CLOCK_REALTIME);
		if (r2 - r1 < best) {
			best = r2 - r1;
			off = r1 + (r2 - r1) / 2 - m;
			*mono = m;
		}
		if (best < 2000)
			break;
	}
	return off;
}

struct rec {
	uint64_t sent, arrival; /* CLOCK_MONOTONIC ns */
};

static int do_recv(unsigned port, uint64_t count, uint64_t timeout_ms)
{
	int fd = open_recv(port);
	if (fd < 0) {
		perror("owd recv");
		return 1;
	}
	/* Room for seconds of traffic: a receiver that is not scheduled for
	 * a while must not turn into loss.  FORCE works for root of the
	 * node (rootless too: the node's namespace is the lab's). */
	int big = 8 << 20, one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	uint8_t *seen = calloc(count ? count : 1, 1);
	uint64_t cap = 1024, n = 0;
	struct rec *rec = malloc(cap * sizeof(*rec));
	if (!seen || !rec) {
		perror("owd recv");
		return 1;
	}
	const char *dump_to = getenv("OWD_DUMP");
	char dump_path[4096];
	FILE *dump = NULL;
	if (dump_to && *dump_to) {
		snprintf(dump_path, sizeof(dump_path), "%s.%u", dump_to, port);
		dump = fopen(dump_path, "we");
	}
	printf("ready\n");
	fflush(stdout);

	uint64_t unique = 0, reordered = 0, bytes_after_first = 0, hi = 0;
	uint64_t first = 0, last = 0, idle_from = now_ns();
	bool any = false, user_ts = false;
	static uint8_t buf[MAX_SIZE + 1];
	char ctl[256];
	struct sockaddr_storage from;
	for (;;) {
		uint64_t t = now_ns();
		uint64_t limit_ms = !any ? 10000 + timeout_ms
			: unique == count && timeout_ms > 100 ? 100 : timeout_ms;
		uint64_t end = idle_from + limit_ms * 1000000ull;
		if (t >= end)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = (int)((end - t + 999999) / 1000000);
		int r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue; /* the loop head sees the time is up */
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof(from),
				   .msg_iov = &iov, .msg_iovlen = 1,
				   .msg_control = ctl, .msg_controllen = sizeof(ctl)};
		ssize_t len = recvmsg(fd, &m, MSG_DONTWAIT);
		if (len < 0)
			continue;
		/* The kernel's arrival time on CLOCK_REALTIME, moved onto
		 * CLOCK_MONOTONIC by their offset now (the two are slewed
		 * alike; only a clock step would move it). */
		uint64_t mono = 0, off = real_minus_mono(&mono), arrival = mono;
		bool kernel = false;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				uint64_t k = (uint64_t)ts.tv_sec * 1000000000ull +
					     (uint64_t)ts.tv_nsec;
				if (k > off) { /* never after now */
					arrival = k - off < mono ? k - off : mono;
					kernel = true;
				}
			}
		user_ts |= !kernel;
		uint32_t magic;
		uint64_t seq, sent;
		if (len < HDR)
			continue;
		memcpy(&magic, buf, 4);
		memcpy(&seq, buf + 4, 8);
		memcpy(&sent, buf + 12, 8);
		if (magic != MAGIC)
			continue;
		idle_from = mono;
		if (n == cap) {
			struct rec *g = realloc(rec, 2 * cap * sizeof(*rec));
			if (!g) {
				perror("owd recv");
				return 1;
			}
			rec = g, cap *= 2;
		}
		rec[n++] = (struct rec){sent, arrival};
		if (dump)
			fprintf(dump, "%llu %lld %llu\n", (unsigned long long)seq,
				(long long)(arrival - sent), (unsigned long long)arrival);
		if (any && seq < hi)
			reordered++;
		if (!any || seq > hi)
			hi = seq;
		if (!any)
			first = arrival;
		else
			bytes_after_first += (uint64_t)len + 8 +
					     (from.ss_family == AF_INET6 &&
						      !IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&from)->sin6_addr)
					      ? 40 : 20) + 14;
		last = arrival;
		any = true;
		if (seq < count && !seen[seq]) {
			seen[seq] = 1;
			unique++;
		}
	}
	int64_t *owd = malloc((n ? n : 1) * sizeof(*owd)), *ahead = malloc((n ? n : 1) * sizeof(*ahead));
	uint64_t *arr = malloc((n ? n : 1) * sizeof(*arr));
	if (!owd || !ahead || !arr) {
		perror("owd recv");
		return 1;
	}
	for (uint64_t i = 0; i < n; i++) {
		owd[i] = (int64_t)(rec[i].arrival - rec[i].sent);
		arr[i] = rec[i].arrival;
	}
	qsort(owd, n, sizeof(*owd), cmp_i64);
	/* Through a FIFO bottleneck (no delay beyond it), what arrived while a
	 * datagram was on its way was ahead of it in the queue: its length in
	 * datagrams when this one joined it, whatever the machine's timing. */
	qsort(arr, n, sizeof(*arr), cmp_u64);
	for (uint64_t i = 0; i < n; i++)
		ahead[i] = (int64_t)(count_before(arr, n, rec[i].arrival, false) -
				     count_before(arr, n, rec[i].sent, true));
	qsort(ahead, n, sizeof(*ahead), cmp_i64);
	uint64_t span = last > first ? last - first : 0;
	printf("received=%llu\nunique=%llu\nduplicates=%llu\nreordered=%llu\nlost=%llu\n",
	       (unsigned long long)n, (unsigned long long)unique,
	       (unsigned long long)(n - unique), (unsigned long long)reordered,
	       (unsigned long long)(count - unique));
	printf("min_us=%.1f\np10_us=%.1f\np50_us=%.1f\np90_us=%.1f\np95_us=%.1f\n"
	       "p99_us=%.1f\nmax_us=%.1f\n",
	       quantile_us(owd, n, 0), quantile_us(owd, n, 0.10), quantile_us(owd, n, 0.50),
	       quantile_us(owd, n, 0.90), quantile_us(owd, n, 0.95), quantile_us(owd, n, 0.99),
	       quantile_us(owd, n, 1));
	printf("ahead_p50=%.0f\nahead_p90=%.0f\nahead_p99=%.0f\nahead_max=%.0f\n",
	       quantile(ahead, n, 0.5), quantile(ahead, n, 0.9), quantile(ahead, n, 0.99),
	       quantile(ahead, n, 1));
	printf("span_us=%.1f\nrate_bps=%.0f\nts=%s\n", (double)span / 1e3,
	       span ? (double)bytes_after_first * 8e9 / (double)span : 0.0,
	       user_ts || !n ? "user" : "kernel");
	if (dump)
		fclose(dump);
	free(owd);
	free(ahead);
	free(arr);
	free(rec);
	free(seen);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long port, count, pps, size = 64, timeout;
	if (argc >= 6 && argc <= 7 && !strcmp(argv[1], "send")) {
		if (num(argv[3], 65535, &port) || num(argv[4], 1ull << 32, &count) ||
		    num(argv[5], 10000000, &pps) ||
		    (argc == 7 && (num(argv[6], MAX_SIZE, &size) || size < HDR)))
			return usage();
		return do_send(argv[2], (unsigned)port, count, pps, (size_t)size);
	}
	if (argc == 5 && !strcmp(argv[1], "recv")) {
		if (num(argv[2], 65535, &port) || num(argv[3], 1ull << 28, &count) ||
		    num(argv[4], 3600000, &timeout))
			return usage();
		return do_recv((unsigned)port, count, timeout);
	}
	return usage();
}
