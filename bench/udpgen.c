/* SPDX-License-Identifier: BSD-2-Clause */
/* udpgen — a UDP load generator and sink for vnetlab's benchmarks.
 *
 *   udpgen send DST PORT [--rate PPS] [--size BYTES] [--duration S]
 *   udpgen recv PORT [--duration S]
 *
 * Each datagram carries its sequence number and CLOCK_MONOTONIC send time.
 * That clock is one per machine, shared by every network namespace, so
 * the receiver measures one-way delay directly.  send paces with sendmmsg
 * batches (rate 0: as fast as it can); recv prints one line:
 *   received N pps P delay_us p50 A p99 B max C
 * The payload default (18 bytes) makes 64-byte Ethernet frames with FCS.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_SAMPLES (1 << 22)

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static double opt(int argc, char **argv, const char *name, double dflt)
{
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return atof(argv[i + 1]);
	return dflt;
}

static int do_send(const char *dst, int port, double rate, size_t size, double secs)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (fd < 0 || inet_pton(AF_INET, dst, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("udpgen send");
		return 1;
	}
	if (size < 16)
		size = 16;
	static uint8_t buf[BATCH][2048];
	struct iovec iov[BATCH];
	struct mmsghdr m[BATCH];
	uint64_t start = now_ns(), end = start + (uint64_t)(secs * 1e9), seq = 0;
	/* Paced: batches of at most ~100 us of traffic, each sent when due
	 * (sleeping, not spinning: on a small machine a spinning sender
	 * would starve the very forwarder being measured). */
	unsigned batch = rate > 0 ? (unsigned)(rate * 100e-6) : BATCH;
	batch = batch < 1 ? 1 : batch > BATCH ? BATCH : batch;
	while (now_ns() < end) {
		if (rate > 0) { /* never ahead of the schedule */
			uint64_t due = start + (uint64_t)((double)seq * 1e9 / rate);
			struct timespec ts = {(time_t)(due / 1000000000ull),
					      (long)(due % 1000000000ull)};
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
				;
		}
		uint64_t t = now_ns();
		for (unsigned i = 0; i < batch; i++) {
			uint64_t s = seq + i;
			memcpy(buf[i], &s, 8);
			memcpy(buf[i] + 8, &t, 8);
			iov[i] = (struct iovec){buf[i], size};
			m[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
		}
		int n = sendmmsg(fd, m, batch, 0);
		if (n > 0)
			seq += (uint64_t)n;
		else if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED)
			break;
	}
	double took = (double)(now_ns() - start) / 1e9;
	printf("sent %llu pps %.0f\n", (unsigned long long)seq, (double)seq / took);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int do_recv(int port, double secs)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 16 << 20;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct timeval tv = {0, 100000};
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("udpgen recv");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	uint64_t *lat = malloc(MAX_SAMPLES * sizeof(*lat)), n = 0, first = 0, last = 0;
	static uint8_t buf[BATCH][2048];
	struct iovec iov[BATCH];
	struct mmsghdr m[BATCH];
	uint64_t end = now_ns() + (uint64_t)(secs * 1e9);
	while (now_ns() < end) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){buf[i], sizeof(buf[i])};
			m[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
		}
		int r = recvmmsg(fd, m, BATCH, MSG_WAITFORONE, NULL);
		uint64_t t = now_ns();
		for (int i = 0; i < r; i++) {
			uint64_t sent;
			memcpy(&sent, buf[i] + 8, 8);
			if (!first)
				first = t;
			last = t;
			if (lat && n < MAX_SAMPLES)
				lat[n] = t - sent;
			n++;
		}
	}
	uint64_t k = n < MAX_SAMPLES ? n : MAX_SAMPLES;
	double p50 = 0, p99 = 0, mx = 0;
	if (lat && k) {
		qsort(lat, k, sizeof(*lat), cmp_u64);
		p50 = (double)lat[k / 2] / 1e3;
		p99 = (double)lat[k * 99 / 100] / 1e3;
		mx = (double)lat[k - 1] / 1e3;
	}
	double span = last > first ? (double)(last - first) / 1e9 : 1;
	printf("received %llu pps %.0f delay_us p50 %.1f p99 %.1f max %.1f\n",
	       (unsigned long long)n, (double)n / span, p50, p99, mx);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), opt(argc, argv, "--rate", 0),
			       (size_t)opt(argc, argv, "--size", 18),
			       opt(argc, argv, "--duration", 5));
	if (argc >= 3 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]), opt(argc, argv, "--duration", 6));
	fprintf(stderr, "usage: udpgen send DST PORT [--rate PPS] [--size B] [--duration S]\n"
			"       udpgen recv PORT [--duration S]\n");
	return 2;
}
