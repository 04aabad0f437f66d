/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.c — AF_PACKET capture to pcap or text (capture.h). */
#include "vnetlab/capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int vl_capture_open(int ifindex, struct vl_err *err)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return vl_err_sys(err, errno, "packet socket (needs CAP_NET_RAW)");
	int one = 1, rcvbuf = 4 << 20;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifindex};
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno;
		close(fd);
		return vl_err_sys(err, e, "binding a packet socket to ifindex %d", ifindex);
	}
	return fd;
}

size_t vl_pcap_header(uint8_t out[24])
{
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t zone;
		uint32_t sigfigs, snaplen, linktype;
	} __attribute__((packed)) h = {0xa1b2c3d4, 2, 4, 0, 0, VL_CAPTURE_SNAPLEN, 1};
	memcpy(out, &h, sizeof(h));
	return sizeof(h);
}

/* ---- text summaries ------------------------------------------------------- */

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void l4(int proto, const uint8_t *p, size_t len, const char *src,
	       const char *dst, char *buf, size_t n)
{
	if ((proto == 1 || proto == 58) && len >= 8) {
		int type = p[0];
		bool v6 = proto == 58;
		const char *what = (!v6 && type == 8) || (v6 && type == 128) ? "echo request"
				 : (!v6 && type == 0) || (v6 && type == 129) ? "echo reply"
				 : v6 && type == 135 ? "neighbor solicitation"
				 : v6 && type == 136 ? "neighbor advertisement"
				 : v6 && type == 133 ? "router solicitation"
				 : !v6 && type == 3 ? "destination unreachable"
						    : NULL;
		bool echo = what && strstr(what, "echo");
		if (!what)
			snprintf(buf, n, "%s > %s: ICMP%s type %d, length %zu", src, dst,
				 v6 ? "6" : "", type, len);
		else if (echo)
			snprintf(buf, n, "%s > %s: ICMP%s %s, id %u, seq %u, length %zu",
				 src, dst, v6 ? "6" : "", what, be16(p + 4), be16(p + 6), len);
		else
			snprintf(buf, n, "%s > %s: ICMP%s %s, length %zu", src, dst,
				 v6 ? "6" : "", what, len);
	} else if ((proto == 6 && len >= 20) || (proto == 17 && len >= 8)) {
		char flags[8] = "";
		if (proto == 6) {
			static const char fl[] = "FSRPAU";
			size_t k = 0;
			for (int i = 0; i < 6; i++)
				if (p[13] & (1 << i))
					flags[k++] = fl[i] == 'A' ? '.' : fl[i];
			flags[k] = '\0';
		}
		snprintf(buf, n, "%s.%u > %s.%u: %s%s%s, length %zu", src, be16(p), dst,
			 be16(p + 2), proto == 6 ? "TCP [" : "UDP", flags,
			 proto == 6 ? "]" : "", len);
	} else {
		snprintf(buf, n, "%s > %s: protocol %d, length %zu", src, dst, proto, len);
	}
}

void vl_frame_summary(const uint8_t *f, size_t len, char *buf, size_t n)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN], rest[256];
	size_t off = 14;
	uint16_t type = len >= 14 ? be16(f + 12) : 0;
	if (type == 0x8100 && len >= 18) {
		type = be16(f + 16);
		off = 18;
	}
	const uint8_t *p = f + off;
	size_t pl = len > off ? len - off : 0;
	if (type == 0x0806 && pl >= 28) {
		inet_ntop(AF_INET, p + 14, s, sizeof(s));
		inet_ntop(AF_INET, p + 24, d, sizeof(d));
		if (be16(p + 6) == 1)
			snprintf(buf, n, "ARP, Request who-has %s tell %s", d, s);
		else
			snprintf(buf, n, "ARP, Reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x",
				 s, p[8], p[9], p[10], p[11], p[12], p[13]);
	} else if (type == 0x0800 && pl >= 20 && (p[0] >> 4) == 4) {
		size_t ihl = (size_t)(p[0] & 15) * 4, tot = be16(p + 2);
		inet_ntop(AF_INET, p + 12, s, sizeof(s));
		inet_ntop(AF_INET, p + 16, d, sizeof(d));
		if (tot > pl)
			tot = pl;
		l4(p[9], p + ihl, tot > ihl ? tot - ihl : 0, s, d, rest, sizeof(rest));
		snprintf(buf, n, "IP %s", rest);
	} else if (type == 0x86dd && pl >= 40) {
		inet_ntop(AF_INET6, p + 8, s, sizeof(s));
		inet_ntop(AF_INET6, p + 24, d, sizeof(d));
		size_t plen = be16(p + 4);
		if (plen > pl - 40)
			plen = pl - 40;
		l4(p[6], p + 40, plen, s, d, rest, sizeof(rest));
		snprintf(buf, n, "IP6 %s", rest);
	} else {
		snprintf(buf, n, "ethertype 0x%04x, length %zu", type, len);
	}
}

/* ---- the loop ---------------------------------------------------------------- */

static int write_record(FILE *f, const struct timespec *ts, const uint8_t *data,
			size_t caplen, size_t len)
{
	uint32_t rec[4] = {(uint32_t)ts->tv_sec, (uint32_t)(ts->tv_nsec / 1000),
			   (uint32_t)caplen, (uint32_t)len};
	if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(data, 1, caplen, f) != caplen ||
	    fflush(f) != 0)
		return -errno;
	return 0;
}

static int write_line(FILE *f, const struct timespec *ts, bool out,
		      const uint8_t *data, size_t caplen)
{
	struct tm tm;
	localtime_r(&ts->tv_sec, &tm);
	char s[320];
	vl_frame_summary(data, caplen, s, sizeof(s));
	if (fprintf(f, "%02d:%02d:%02d.%06ld %-3s %s\n", tm.tm_hour, tm.tm_min, tm.tm_sec,
		    ts->tv_nsec / 1000, out ? "out" : "in", s) < 0 || fflush(f) != 0)
		return -(errno ? errno : EIO);
	return 0;
}

static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int vl_capture_run(int fd, const struct vl_capture_opts *o, uint64_t *got,
		   struct vl_err *err)
{
	uint8_t *buf = malloc(VL_CAPTURE_SNAPLEN);
	if (!buf)
		return vl_err_sys(err, ENOMEM, "capture buffer");
	*got = 0;
	if (o->pcap) {
		uint8_t h[24];
		if (fwrite(h, vl_pcap_header(h), 1, o->pcap) != 1 || fflush(o->pcap)) {
			free(buf);
			return vl_err_sys(err, errno ? errno : EIO, "writing the pcap header");
		}
	}
	double end = o->duration_s > 0 ? mono_s() + o->duration_s : 0;
	int rc = 0;
	while (rc == 0 && !(o->stop && *o->stop) && (!o->count || *got < o->count)) {
		double left = end ? end - mono_s() : 0.2;
		if (end && left <= 0)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)(left < 0.2 ? left * 1000 + 1 : 200)) <= 0)
			continue;
		struct sockaddr_ll from;
		char cbuf[CMSG_SPACE(sizeof(struct timespec))];
		struct iovec iov = {buf, VL_CAPTURE_SNAPLEN};
		struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof(from),
				   .msg_iov = &iov, .msg_iovlen = 1,
				   .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
		ssize_t r = recvmsg(fd, &m, MSG_TRUNC | MSG_DONTWAIT);
		if (r < 0) {
			if (errno != EAGAIN && errno != EINTR)
				rc = vl_err_sys(err, errno, "reading frames");
			continue;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS)
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		size_t len = (size_t)r, cap = len < VL_CAPTURE_SNAPLEN ? len : VL_CAPTURE_SNAPLEN;
		/* The first failed write stops the capture (a full disk, a
		 * closed pipe): nothing after it could be kept. */
		if (o->pcap && (rc = write_record(o->pcap, &ts, buf, cap, len)) < 0) {
			vl_err_sys(err, -rc, "writing a pcap record");
			break;
		}
		if (o->text && (rc = write_line(o->text, &ts, from.sll_pkttype ==
							   PACKET_OUTGOING, buf, cap)) < 0) {
			vl_err_sys(err, -rc, "writing a frame's line");
			break;
		}
		++*got;
	}
	free(buf);
	return rc;
}
