/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.h — the frames of one interface, as pcap or as one line each.
 *
 * Promise: works in the caller's current network namespace (join a node's
 * first), needs only CAP_NET_RAW there (so it works rootless, as root of
 * the lab's user namespace) and sees both directions, like tcpdump.  pcap
 * output is the classic format (microseconds, LINKTYPE_ETHERNET) that
 * tcpdump, tshark and Wireshark read, flushed frame by frame so a reader
 * on a pipe sees each one at once.
 */
#ifndef VNETLAB_CAPTURE_H
#define VNETLAB_CAPTURE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vnetlab/err.h"

#define VL_CAPTURE_SNAPLEN 262144 /* a GSO frame on a veth can pass 64 KiB */
/* `capture -c` and `--duration` bounds (the CLI refuses others). */
#define VL_CAPTURE_MAX_COUNT 1000000000000ull
#define VL_CAPTURE_MAX_DURATION_S 31536000.0 /* a year */

struct vl_capture_opts {
	FILE *pcap;          /* pcap records, or NULL */
	FILE *text;          /* one summary line per frame, or NULL */
	uint64_t count;      /* stop after this many frames; 0: no limit */
	double duration_s;   /* stop after this long; 0: no limit */
	const volatile sig_atomic_t *stop; /* set by a signal handler */
};

/* A packet socket on ifindex, ready before it returns (frames from then on
 * are kept): -errno on failure, with err naming the step. */
int vl_capture_open(int ifindex, struct vl_err *err);
/* Take frames until count, duration or *stop; the count taken in *got.
 * The first write that fails (pcap or text) stops it with that error. */
int vl_capture_run(int fd, const struct vl_capture_opts *o, uint64_t *got,
		   struct vl_err *err);
/* Pure, for text mode and tests: "IP 10.0.0.1 > 10.0.0.2: ICMP echo
 * request, id 7, seq 1, length 64" and the like for ARP, IPv4, IPv6,
 * ICMP/ICMPv6, TCP and UDP; other frames by ethertype. */
void vl_frame_summary(const uint8_t *f, size_t len, char *buf, size_t buflen);
/* The pcap global header (24 bytes) into out. */
size_t vl_pcap_header(uint8_t out[24]);

#endif
