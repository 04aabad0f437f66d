/* SPDX-License-Identifier: BSD-2-Clause */
/* Tunnel ends (issue 19, docs/multihost.md): one lab over two "hosts".
 * Each host is a network namespace of this test's own (vltun-PID-h1,
 * -h2) joined by a veth on 192.0.2.0/24, the underlay; every address of
 * it lives only inside those two namespaces.  topologies/tunnel-a.yaml
 * comes up in host 1 and tunnel-b.yaml in host 2, each with a state
 * directory of its own, as two machines would have; a's packets reach b
 * through the VXLAN devices the keepers made from their host's namespace.
 * Each direction carries 5 ms (on the pipe: this kernel has no netem),
 * so a round trip is at least 10 ms.  `down` on both leaves no VXLAN
 * device, no UDP socket, no state and no netns link in either host.
 *
 * The test harness makes the hosts with ip(8); the product never runs it.
 * Rootless mode refuses a tunnel end before anything is made: tested as
 * the rootless run's user, or as nobody in the root run. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define IP "/usr/sbin/ip"
#define NSENTER "/usr/bin/nsenter"

static char host[2][48], veth[2][16], st[2][128], labname[64];
static bool made[2];

/* Split words on spaces (the harness's own commands: no quoting needed). */
static int runw(char *line, char *out, size_t len)
{
	const char *argv[24];
	int n = 0;
	for (char *save, *w = strtok_r(line, " ", &save); w && n < 23;
	     w = strtok_r(NULL, " ", &save))
		argv[n++] = w;
	argv[n] = NULL;
	return run(argv, NULL, out, len, NULL);
}

__attribute__((format(printf, 1, 2))) static void ipx(const char *fmt, ...)
{
	char line[512], out[4096];
	va_list ap;
	va_start(ap, fmt);
	int k = snprintf(line, sizeof(line), "%s ", IP);
	vsnprintf(line + k, sizeof(line) - (size_t)k, fmt, ap);
	va_end(ap);
	char shown[512];
	snprintf(shown, sizeof(shown), "%s", line);
	cr_assert_eq(runw(line, out, sizeof(out)), 0, "%s: %s", shown, out);
}

/* vnetlab as host h (0, 1) runs it: in its namespace, with its state. */
static const char *extra_env; /* one more NAME=VALUE for on_host, or NULL */
static const char *fault_now = "-"; /* the fault being tried, for messages */

static int on_host(int h, const char *const args[], char *out, size_t len)
{
	char net[96], env[192];
	snprintf(net, sizeof(net), "--net=/run/netns/%s", host[h]);
	snprintf(env, sizeof(env), "VNETLAB_STATE_DIR=%s", st[h]);
	const char *argv[24] = {NSENTER, net, bin()};
	int n = 3;
	for (int i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct runopt o = {.env = {env, extra_env, NULL}};
	return runx(argv, &o, out, len);
}

/* A command in node `node` of host h's part of the lab. */
static int in_node(int h, const char *node, const char *const cmd[], char *out, size_t len)
{
	const char *args[20] = {"exec", labname, node, "--"};
	int n = 4;
	for (int i = 0; cmd[i] && n < 19; i++)
		args[n++] = cmd[i];
	args[n] = NULL;
	return on_host(h, args, out, len);
}

static void teardown(void)
{
	char out[4096];
	for (int h = 0; h < 2; h++) {
		if (!made[h])
			continue;
		const char *down[] = {"down", labname, NULL};
		on_host(h, down, out, sizeof(out)); /* already down: refused, fine */
		char line[128];
		snprintf(line, sizeof(line), "%s netns del %s", IP, host[h]);
		runw(line, out, sizeof(out));
		rmdir(st[h]);
		made[h] = false;
	}
}

static void setup(void)
{
	need_root("makes two host namespaces and their underlay (and VXLAN "
		  "devices need CAP_NET_ADMIN there)");
	need_tool(IP, "iproute2");
	need_tool(NSENTER, "util-linux");
	int pid = (int)getpid();
	for (int h = 0; h < 2; h++) {
		snprintf(host[h], sizeof(host[h]), "vltun-%d-h%d", pid, h + 1);
		snprintf(veth[h], sizeof(veth[h]), "vltun%d%c", pid % 10000000, "ab"[h]);
		snprintf(st[h], sizeof(st[h]), "%s/vltun-h%d", state_dir(), h + 1);
		ipx("netns add %s", host[h]);
		made[h] = true;
		cr_assert(mkdir(st[h], 0700) == 0 || errno == EEXIST, "%s: %s", st[h],
			  strerror(errno));
	}
	/* The underlay: a veth born in both hosts, never in this namespace. */
	ipx("link add %s netns %s type veth peer name %s netns %s", veth[0], host[0], veth[1],
	    host[1]);
	for (int h = 0; h < 2; h++) {
		ipx("-n %s addr add 192.0.2.%d/24 dev %s", host[h], h + 1, veth[h]);
		ipx("-n %s addr add 2001:db8:77::%d/64 dev %s nodad", host[h], h + 1, veth[h]);
		ipx("-n %s link set %s up", host[h], veth[h]);
		ipx("-n %s link set lo up", host[h]);
	}
	snprintf(labname, sizeof(labname), "%s", lab("tunnel"));
}

static void up_both(void)
{
	char out[8192], path[2][256];
	topo("tunnel-a", path[0], sizeof(path[0]));
	topo("tunnel-b", path[1], sizeof(path[1]));
	for (int h = 0; h < 2; h++) {
		const char *up[] = {"up", path[h], "--name", labname, "--quiet", NULL};
		cr_assert_eq(on_host(h, up, out, sizeof(out)), 0, "up on host %d: %s", h + 1, out);
	}
}

/* ping's "rtt min/avg/max/mdev = A/B/C/D ms": the minimum, -1 if none. */
static double rtt_min(const char *out)
{
	const char *p = strstr(out, "min/avg/max");
	double v = -1;
	if (p && (p = strchr(p, '=')))
		sscanf(p + 1, "%lf", &v);
	return v;
}

static double ping_min(const char *to, const char *count)
{
	char out[8192];
	const char *ping[] = {"ping", "-c", count, "-i", "0.2", "-W", "2", to, NULL};
	cr_assert_eq(in_node(0, "a", ping, out, sizeof(out)), 0, "ping %s: %s", to, out);
	cr_assert(strstr(out, " 0% packet loss"), "%s", out);
	return rtt_min(out);
}

/* Neither host holds a VXLAN device, its UDP socket, or anything of the lab. */
static void nothing_left(void)
{
	char out[16384], line[256];
	for (int h = 0; h < 2; h++) {
		snprintf(line, sizeof(line), "%s -n %s -d link show", IP, host[h]);
		cr_assert_eq(runw(line, out, sizeof(out)), 0, "%s", out);
		cr_expect(!strstr(out, "vxlan"), "host %d keeps a VXLAN device:\n%s", h + 1, out);
		/* The devices go with `down`; where a fault took that request
		 * (nlfail), with their namespaces, which the kernel frees a
		 * moment later: waited for, never for long. */
		bool sock = true;
		for (int i = 0; i < 50 && sock; i++) {
			snprintf(line, sizeof(line), "%s netns exec %s ss -uanH", IP, host[h]);
			sock = runw(line, out, sizeof(out)) == 0 && strstr(out, ":4789");
			if (sock)
				usleep(100 * 1000);
		}
		if (sock)
			cr_expect(!strstr(out, ":4789"), "host %d keeps the UDP socket (%s):\n%s", h + 1, fault_now,
				  out);
		char p[256];
		struct stat sb;
		snprintf(p, sizeof(p), "%s/%s", st[h], labname);
		cr_expect_neq(stat(p, &sb), 0, "state directory %s left behind", p);
	}
	assert_gone(labname); /* /run/netns/LAB.NODE of either host */
}

/* A part's text in a temporary file of this test's own; the path into file (64). */
static void part_file(char *file, const char *yaml)
{
	snprintf(file, 64, "/tmp/vltun-%d-XXXXXX", (int)getpid());
	int fd = mkstemp(file);
	cr_assert(fd >= 0);
	dprintf(fd, "%s", yaml);
	close(fd);
}

Test(tunnel, two_hosts, .init = setup, .fini = teardown, .timeout = 180)
{
	char out[16384];
	up_both();
	/* Both ways 5 ms, on IPv4 and IPv6. */
	double v4 = ping_min("10.77.0.2", "5");
	cr_expect_geq(v4, 10.0, "rtt %.3f ms: each way carries 5 ms", v4);
	cr_expect_lt(v4, 60.0, "rtt %.3f ms", v4);
	double v6 = ping_min("fd77::2", "3");
	cr_expect_geq(v6, 10.0, "rtt %.3f ms over IPv6", v6);
	/* inspect shows the tunnel. */
	const char *inspect[] = {"inspect", labname, NULL};
	cr_assert_eq(on_host(0, inspect, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "a:eth0 vxlan:4096 -> 192.0.2.2  up  (local 192.0.2.1, port 4789, "
			      "mtu 1450)"), "%s", out);
	const char *ij[] = {"inspect", labname, "--json", NULL};
	cr_assert_eq(on_host(1, ij, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "\"vxlan\":4096") || strstr(out, "\"vxlan\": 4096"), "%s", out);
	/* Live: the leaving direction changes, the wire goes down and up. */
	const char *set[] = {"link", labname, "a:eth0", "vxlan:4096", "set", "delay", "20ms", NULL};
	cr_assert_eq(on_host(0, set, out, sizeof(out)), 0, "%s", out);
	double slow = ping_min("10.77.0.2", "3");
	cr_expect_geq(slow, 25.0, "rtt %.3f ms after set delay 20ms", slow);
	const char *down[] = {"link", labname, "a:eth0", "vxlan:4096", "down", NULL};
	cr_assert_eq(on_host(0, down, out, sizeof(out)), 0, "%s", out);
	const char *one[] = {"ping", "-c", "1", "-W", "1", "10.77.0.2", NULL};
	cr_expect_neq(in_node(0, "a", one, out, sizeof(out)), 0, "a downed tunnel carried: %s",
		      out);
	const char *upw[] = {"link", labname, "a:eth0", "vxlan:4096", "up", NULL};
	cr_assert_eq(on_host(0, upw, out, sizeof(out)), 0, "%s", out);
	ping_min("10.77.0.2", "2");
	const char *up_dir[] = {"link", labname, "a:eth0", "vxlan:4096", "set", "upstream",
				"delay", "1ms", NULL};
	cr_expect_neq(on_host(0, up_dir, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "a tunnel end carries only the direction leaving this host"), "%s",
		  out);
	/* Throughput, where iperf3 is installed. */
	if (access("/usr/bin/iperf3", X_OK) == 0) {
		const char *srv[] = {"iperf3", "-s", "-1", "-D", NULL};
		cr_assert_eq(in_node(1, "b", srv, out, sizeof(out)), 0, "%s", out);
		const char *ss[] = {"ss", "-ltnH", "sport", "=", ":5201", NULL};
		for (int i = 0; i < 100; i++) {
			if (in_node(1, "b", ss, out, sizeof(out)) == 0 && strstr(out, "5201"))
				break;
			usleep(100 * 1000);
		}
		const char *cli[] = {"iperf3", "-c", "10.77.0.2", "-t", "2", NULL};
		cr_expect_eq(in_node(0, "a", cli, out, sizeof(out)), 0, "iperf3: %s", out);
		cr_expect(strstr(out, "receiver"), "%s", out);
	} else {
		cr_log_warn("SKIP (part): iperf3 is not installed (Debian package iperf3): "
			    "no throughput measured");
	}
	/* Down on both: nothing of either part stays, in either host. */
	const char *dn[] = {"down", labname, NULL};
	for (int h = 0; h < 2; h++)
		cr_assert_eq(on_host(h, dn, out, sizeof(out)), 0, "down on host %d: %s", h + 1, out);
	nothing_left();
	/* At once again: the VNI and port are free (the devices went with
	 * `down`, not later with their namespaces). */
	up_both();
	ping_min("10.77.0.2", "2");
	for (int h = 0; h < 2; h++)
		cr_assert_eq(on_host(h, dn, out, sizeof(out)), 0, "down on host %d: %s", h + 1, out);
	nothing_left();
}

/* A tunnel end made without a pipe (no impairment) that is given a delay
 * the kernel cannot carry moves onto the pipe (its device made again
 * there), as a plain link does. */
Test(tunnel, a_plain_end_moves_onto_the_pipe, .init = setup, .fini = teardown, .timeout = 120)
{
	char out[16384], file[64], pathb[256];
	part_file(file, "nodes:\n  a: { ifaces: { eth0: { addrs: [10.77.0.1/24] } } }\nlinks:\n"
			"  - { endpoints: [a:eth0], tunnel: { vxlan: 4096, local: 192.0.2.1, "
			"remote: 192.0.2.2 } }\n");
	topo("tunnel-b", pathb, sizeof(pathb));
	const char *up0[] = {"up", file, "--name", labname, "--quiet", NULL};
	const char *up1[] = {"up", pathb, "--name", labname, "--quiet", NULL};
	cr_assert_eq(on_host(0, up0, out, sizeof(out)), 0, "%s", out);
	cr_assert_eq(on_host(1, up1, out, sizeof(out)), 0, "%s", out);
	unlink(file);
	double plain = ping_min("10.77.0.2", "3");
	cr_expect_geq(plain, 5.0, "rtt %.3f ms: b's way carries 5 ms", plain);
	const char *set[] = {"link", labname, "a:eth0", "vxlan:4096", "set", "delay", "30ms", NULL};
	cr_assert_eq(on_host(0, set, out, sizeof(out)), 0, "%s", out);
	const char *inspect[] = {"inspect", labname, NULL};
	cr_assert_eq(on_host(0, inspect, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "mtu 1450)  userspace pipe"), "%s", out);
	double slow = ping_min("10.77.0.2", "3");
	cr_expect_geq(slow, 35.0, "rtt %.3f ms after set delay 30ms", slow);
	const char *dn[] = {"down", labname, NULL};
	for (int h = 0; h < 2; h++)
		cr_assert_eq(on_host(h, dn, out, sizeof(out)), 0, "down on host %d: %s", h + 1, out);
	nothing_left();
}

/* Over an IPv6 underlay: LOCAL6/GROUP6, and the MTU 1500 - 70. */
Test(tunnel, ipv6_underlay, .init = setup, .fini = teardown, .timeout = 120)
{
	char out[16384], file[2][64];
	part_file(file[0], "nodes:\n  a: { ifaces: { eth0: { addrs: [10.78.0.1/24] } } }\n"
			   "links:\n  - { endpoints: [a:eth0], tunnel: { vxlan: 77, "
			   "local: '2001:db8:77::1', remote: '2001:db8:77::2' }, bandwidth: 50Mbit }\n");
	part_file(file[1], "nodes:\n  b: { ifaces: { eth0: { addrs: [10.78.0.2/24] } } }\n"
			   "links:\n  - { endpoints: [b:eth0], tunnel: { vxlan: 77, "
			   "local: '2001:db8:77::2', remote: '2001:db8:77::1' } }\n");
	for (int h = 0; h < 2; h++) {
		const char *up[] = {"up", file[h], "--name", labname, "--quiet", NULL};
		int rc = on_host(h, up, out, sizeof(out));
		unlink(file[h]);
		cr_assert_eq(rc, 0, "up on host %d: %s", h + 1, out);
	}
	const char *mtu[] = {"cat", "/sys/class/net/eth0/mtu", NULL};
	cr_assert_eq(in_node(0, "a", mtu, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(atoi(out), 1430, "mtu %s", out);
	/* The bandwidth is tbf on the VXLAN device itself (no pipe). */
	const char *tc[] = {"tc", "qdisc", "show", "dev", "eth0", NULL};
	cr_assert_eq(in_node(0, "a", tc, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "qdisc tbf"), "%s", out);
	const char *kind[] = {"ip", "-d", "link", "show", "eth0", NULL};
	cr_assert_eq(in_node(0, "a", kind, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "vxlan id 77 remote 2001:db8:77::2 local 2001:db8:77::1"), "%s", out);
	cr_expect(strstr(out, "nolearning"), "%s", out);
	ping_min("10.78.0.2", "3");
	const char *inspect[] = {"inspect", labname, NULL};
	cr_assert_eq(on_host(0, inspect, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "a:eth0 vxlan:77 -> 2001:db8:77::2  up  (local 2001:db8:77::1, port "
			      "4789, mtu 1430)"), "%s", out);
	const char *dn[] = {"down", labname, NULL};
	for (int h = 0; h < 2; h++)
		cr_assert_eq(on_host(h, dn, out, sizeof(out)), 0, "down on host %d: %s", h + 1, out);
	nothing_left();
}

/* Every step of host 1's part failing, and every netlink request: `up`
 * fails and leaves nothing, no VXLAN device or UDP socket in the host. */
Test(tunnel, every_failure_rolls_back, .init = setup, .fini = teardown, .timeout = 180)
{
	char out[16384], path[256], env[64];
	topo("tunnel-a", path, sizeof(path));
	const char *up[] = {"up", path, "--name", labname, "--quiet", NULL};
	static const char *const modes[] = {"fail", "nlfail"};
	int failed = 0;
	for (int m = 0; m < 2; m++)
		for (int k = 1; k <= 12; k++) {
			snprintf(env, sizeof(env), "VNETLAB_FAULT=%s:%d", modes[m], k);
			extra_env = fault_now = env;
			int rc = on_host(0, up, out, sizeof(out));
			extra_env = NULL;
			if (rc == 0) { /* past the last step or request: it is up */
				const char *dn[] = {"down", labname, NULL};
				cr_assert_eq(on_host(0, dn, out, sizeof(out)), 0, "%s", out);
			} else
				failed++;
			nothing_left();
		}
	fault_now = "-";
	cr_expect_geq(failed, 10, "the faults hit nothing: %d failures", failed);
}

/* A rootless lab cannot make a VXLAN device in the underlay: refused with
 * the reason and the line, and nothing made. */
Test(tunnel, rootless_refused, .timeout = 60)
{
	char out[8192], path[256], dir[128];
	topo("tunnel-a", path, sizeof(path));
	const char *name = lab("tunrl");
	const char *up[] = {bin(), "up", path, "--name", name, NULL};
	int rc;
	if (!strcmp(lab_mode(), "rootless")) {
		rc = run(up, NULL, out, sizeof(out), NULL);
		snprintf(dir, sizeof(dir), "%s", state_dir());
	} else {
		need_root("acts as nobody for rootless mode");
		/* nobody's own state directory, as a rootless user has. */
		snprintf(dir, sizeof(dir), "/tmp/vltun-%d-nobody", (int)getpid());
		cr_assert_eq(mkdir(dir, 0700), 0, "%s", strerror(errno));
		cr_assert_eq(chown(dir, 65534, 65534), 0);
		char env[192];
		snprintf(env, sizeof(env), "VNETLAB_STATE_DIR=%s", dir);
		struct runopt o = {.as_uid = true, .uid = 65534, .gid = 65534, .env = {env, NULL}};
		rc = runx(up, &o, out, sizeof(out));
	}
	cr_expect_eq(rc, 1, "%s", out);
	cr_expect(strstr(out, "tunnel-a.yaml:16:13: error: rootless mode cannot make a tunnel "
			      "end: its VXLAN device needs CAP_NET_ADMIN in the underlay's "
			      "network namespace"), "%s", out);
	char p[256];
	struct stat sb;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	cr_expect_neq(stat(p, &sb), 0, "%s made", p);
	if (strcmp(dir, state_dir()))
		rmdir(dir);
}
