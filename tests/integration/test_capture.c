/* SPDX-License-Identifier: BSD-2-Clause */
/* Capture and the netgraph-style switching kinds, checked frame by frame:
 * `vnetlab capture` writes pcap that holds every frame once (and that
 * tcpdump reads), a hub floods unicast to every other hook while a bridge
 * (the control) does not, and a tee copies each frame once to its tap. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static char file[64], labname[64];

static void up_yaml(const char *name, const char *yaml)
{
	up_text(name, yaml, file, labname);
}

static void down_lab(void)
{
	down_text(file, labname);
}

/* Start `vnetlab capture` on hook into pcap, and return once it says it is
 * capturing (so no frame sent afterwards can be missed). */
static pid_t capture_start(const char *hook, const char *pcap, const char *secs)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		execl(bin(), bin(), "capture", labname, hook, "-w", pcap, "--duration",
		      secs, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char buf[512];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(buf) - 1 && (r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0) {
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "capturing on"))
			break;
	}
	close(p[0]);
	cr_assert_not_null(strstr(buf, "capturing on"), "capture did not start: %s", buf);
	return pid;
}

static void capture_wait(pid_t pid)
{
	int st;
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "capture failed: status %d", st);
}

static void ping(const char *node, const char *dst, const char *count)
{
	char out[16384];
	const char *argv[] = {bin(), "exec", labname, node, "--", "ping", "-n", "-q", "-c",
			      count, "-i", "0.05", "-W", "1", dst, NULL};
	cr_assert_eq(run(argv, NULL, out, sizeof(out), NULL), 0, "%s", out);
}

/* ICMP (v4) frames of `type` from src to dst in a pcap file; -1 when the
 * file is not pcap of Ethernet frames. */
static int count_icmp(const char *path, int type, const char *src, const char *dst)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	uint32_t h[6];
	int n = -1;
	if (fread(h, sizeof(h), 1, f) == 1 && h[0] == 0xa1b2c3d4 && h[5] == 1) {
		n = 0;
		uint32_t rec[4];
		static uint8_t frame[1 << 18];
		uint32_t s, d;
		inet_pton(AF_INET, src, &s);
		inet_pton(AF_INET, dst, &d);
		while (fread(rec, sizeof(rec), 1, f) == 1 && rec[2] <= sizeof(frame) &&
		       fread(frame, 1, rec[2], f) == rec[2]) {
			const uint8_t *ip = frame + 14;
			if (rec[2] >= 14 + 28 && frame[12] == 8 && frame[13] == 0 &&
			    ip[9] == 1 && !memcmp(ip + 12, &s, 4) && !memcmp(ip + 16, &d, 4) &&
			    ip[(ip[0] & 15) * 4] == type)
				n++;
		}
	}
	fclose(f);
	return n;
}

static void pcap_path(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "/tmp/vnetlab-itest-%d-%s.pcap", (int)getpid(), tag);
}

Test(capture, pcap_holds_every_frame_once, .timeout = 60)
{
	need_labs();
	up_yaml("cap", "nodes:\n"
		"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"links:\n  - [a:eth0, b:eth0]\n");
	char pcap[128];
	pcap_path(pcap, sizeof(pcap), "cap");
	pid_t cap = capture_start("b:eth0", pcap, "2");
	ping("a", "10.9.0.2", "10");
	capture_wait(cap);
	/* Both directions, each frame once. */
	cr_expect_eq(count_icmp(pcap, 8, "10.9.0.1", "10.9.0.2"), 10);
	cr_expect_eq(count_icmp(pcap, 0, "10.9.0.2", "10.9.0.1"), 10);
	if (access("/usr/bin/tcpdump", X_OK) == 0 || access("/usr/sbin/tcpdump", X_OK) == 0) {
		static char out[1 << 16];
		const char *td[] = {access("/usr/bin/tcpdump", X_OK) == 0 ? "/usr/bin/tcpdump"
									   : "/usr/sbin/tcpdump",
				    "-n", "-r", pcap, "icmp[icmptype] == icmp-echo", NULL};
		cr_expect_eq(run(td, NULL, out, sizeof(out), NULL), 0, "tcpdump: %s", out);
		int lines = 0;
		for (const char *p = out; (p = strstr(p, "ICMP echo request")); p++)
			lines++;
		cr_expect_eq(lines, 10, "tcpdump read %d echo requests:\n%s", lines, out);
	} else {
		cr_log_warn("tcpdump not installed: pcap checked by this test's own reader only");
	}
	unlink(pcap);
	down_lab();
}

/* On a hub, c sees a's unicast frames to b; on a bridge, z does not see
 * x's frames to y once the bridge has learned (so the test can fail). */
Test(hub, floods_unicast_to_every_other_hook, .timeout = 60)
{
	need_labs();
	up_yaml("hub", "nodes:\n"
		"  hub: { kind: hub }\n  br: { kind: bridge }\n"
		"  a: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"  c: { ifaces: { eth0: { addrs: [10.9.0.3/24] } } }\n"
		"  x: { ifaces: { eth0: { addrs: [10.9.1.1/24] } } }\n"
		"  y: { ifaces: { eth0: { addrs: [10.9.1.2/24] } } }\n"
		"  z: { ifaces: { eth0: { addrs: [10.9.1.3/24] } } }\n"
		"links:\n  - [a:eth0, hub:link0]\n  - [b:eth0, hub:link1]\n"
		"  - [c:eth0, hub:link2]\n  - [x:eth0, br:link0]\n"
		"  - [y:eth0, br:link1]\n  - [z:eth0, br:link2]\n");
	char p1[128], p2[128];
	pcap_path(p1, sizeof(p1), "hub");
	pcap_path(p2, sizeof(p2), "br");
	ping("x", "10.9.1.2", "1"); /* let the bridge learn x and y */
	pid_t c1 = capture_start("c:eth0", p1, "2");
	pid_t c2 = capture_start("z:eth0", p2, "2");
	ping("a", "10.9.0.2", "20");
	ping("x", "10.9.1.2", "20");
	capture_wait(c1);
	capture_wait(c2);
	cr_expect_eq(count_icmp(p1, 8, "10.9.0.1", "10.9.0.2"), 20, "hub: c must see all 20");
	cr_expect_eq(count_icmp(p1, 0, "10.9.0.2", "10.9.0.1"), 20);
	cr_expect_eq(count_icmp(p2, 8, "10.9.1.1", "10.9.1.2"), 0, "bridge flooded known unicast");
	unlink(p1);
	unlink(p2);
	down_lab();
}

/* ng_tee: n1 -> n2 passes left to right with one copy of each frame on
 * left2right, replies right to left with one copy on right2left. */
Test(tee, copies_each_frame_once_to_its_tap, .timeout = 60)
{
	need_labs();
	up_yaml("tee", "nodes:\n"
		"  n1: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  n2: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"  m1: { ifaces: { eth0: {} } }\n  m2: { ifaces: { eth0: {} } }\n"
		"  t: { kind: tee }\n"
		"links:\n  - [n1:eth0, t:left]\n  - [t:right, n2:eth0]\n"
		"  - [t:left2right, m1:eth0]\n  - [t:right2left, m2:eth0]\n");
	char p1[128], p2[128];
	pcap_path(p1, sizeof(p1), "l2r");
	pcap_path(p2, sizeof(p2), "r2l");
	pid_t c1 = capture_start("m1:eth0", p1, "2");
	pid_t c2 = capture_start("m2:eth0", p2, "2");
	ping("n1", "10.9.0.2", "20");
	capture_wait(c1);
	capture_wait(c2);
	cr_expect_eq(count_icmp(p1, 8, "10.9.0.1", "10.9.0.2"), 20, "left2right: requests");
	cr_expect_eq(count_icmp(p1, 0, "10.9.0.2", "10.9.0.1"), 0, "left2right: replies");
	cr_expect_eq(count_icmp(p2, 0, "10.9.0.2", "10.9.0.1"), 20, "right2left: replies");
	cr_expect_eq(count_icmp(p2, 8, "10.9.0.1", "10.9.0.2"), 0, "right2left: requests");
	unlink(p1);
	unlink(p2);
	down_lab();
}
