/* SPDX-License-Identifier: BSD-2-Clause */
/* Labs over several hosts (docs/multihost.md): "hosts" simulated on this
 * machine by tests/tools/simhosts.sh — network namespaces on an underlay
 * bridge, each with its own /run and its own sshd — and a controller
 * namespace that drives them with `vnetlab ... --hosts`.  Traffic stays
 * inside these namespaces. */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

struct sim {
	char dir[128], prefix[32], ctl[48], hosts[160];
	int n;
};

static const char *simhosts(void)
{
	static char path[4096];
	const char *t = getenv("TOPOLOGIES");
	snprintf(path, sizeof(path), "%s/../tests/tools/simhosts.sh", t ? t : "topologies");
	return path;
}

static void need_sim(void)
{
	need_root("simulated hosts are network namespaces, each with its own sshd");
	need_tool("/usr/sbin/sshd", "openssh-server");
	need_tool("/usr/bin/ssh", "openssh-client");
	need_tool("/usr/bin/ssh-keygen", "openssh-client");
}

/* The test's hosts, taken down by teardown() however the test ends (a
 * failed cr_assert leaves the test at once). */
static struct sim *current;

static void sim_up(struct sim *s, int n, const char *tag)
{
	need_sim();
	current = s;
	s->n = n;
	snprintf(s->prefix, sizeof(s->prefix), "vm%s%d", tag, (int)getpid() % 100000);
	snprintf(s->dir, sizeof(s->dir), "/tmp/%s.d", s->prefix);
	snprintf(s->ctl, sizeof(s->ctl), "%s-ctl", s->prefix);
	snprintf(s->hosts, sizeof(s->hosts), "%s/hosts.yaml", s->dir);
	char num[8], out[8192];
	snprintf(num, sizeof(num), "%d", n);
	const char *argv[] = {"/bin/sh", simhosts(), "up", s->dir, num, s->prefix, bin(), NULL};
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	cr_assert_eq(rc, 0, "simhosts up failed (%d):\n%s", rc, out);
}

static void sim_down(struct sim *s)
{
	current = NULL;
	char out[4096];
	const char *argv[] = {"/bin/sh", simhosts(), "down", s->dir, NULL};
	run(argv, NULL, out, sizeof(out), NULL);
	const char *rm[] = {"/bin/rm", "-rf", s->dir, NULL};
	run(rm, NULL, out, sizeof(out), NULL);
}

static void teardown(void)
{
	if (current) {
		/* every lab of this run on the hosts goes with them; the
		 * controller's records of them are the test's to check */
		sim_down(current);
	}
}

/* vnetlab on the controller; words after the verb, NULL-ended. */
static int ctl(const struct sim *s, char *out, size_t len, const char *const *words)
{
	const char *argv[32] = {"/usr/bin/ip", "netns", "exec", s->ctl, bin()};
	size_t k = 5;
	for (size_t i = 0; words[i] && k < 31; i++)
		argv[k++] = words[i];
	argv[k] = NULL;
	return run(argv, NULL, out, len, NULL);
}

/* What is left on the hosts ("" when nothing). */
static void residue(const struct sim *s, char *out, size_t len)
{
	const char *argv[] = {"/bin/sh", simhosts(), "residue", s->dir, NULL};
	/* a keeper's last processes may take a moment to go */
	for (int i = 0; i < 30; i++) {
		run(argv, NULL, out, len, NULL);
		if (!*out)
			return;
		usleep(100000);
	}
}

static void assert_clean(const struct sim *s, const char *lab, const char *ctx)
{
	char out[8192];
	residue(s, out, sizeof(out));
	cr_expect_str_empty(out, "%s: left on the hosts:\n%s", ctx, out);
	char rec[512];
	snprintf(rec, sizeof(rec), "%s/.hosts/%s.json", state_dir(), lab);
	cr_expect(access(rec, F_OK) != 0, "%s: the controller's record %s is left", ctx, rec);
}

Test(multihost, chain14_over_two_hosts, .timeout = 240, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "a");
	char file[4096], out[1 << 16];
	topo("chain14", file, sizeof(file));
	const char *name = lab("mh14");
	const char *plan[] = {"plan", file, "--hosts", s.hosts, NULL};
	int rc = ctl(&s, out, sizeof(out), plan);
	cr_expect_eq(rc, 0, "plan --hosts: %s", out);
	cr_expect(strstr(out, "cut"), "plan --hosts shows no cut:\n%s", out);
	const char *up[] = {"up", file, "--hosts", s.hosts, "--name", name, NULL};
	rc = ctl(&s, out, sizeof(out), up);
	cr_assert_eq(rc, 0, "up --hosts failed:\n%s", out);
	cr_expect(strstr(out, "1 through VXLAN"), "chain over 2 hosts should cut 1 link:\n%s",
		  out);
	const char *ls[] = {"ls", NULL};
	ctl(&s, out, sizeof(out), ls);
	cr_expect(strstr(out, name) && strstr(out, "h1,h2"), "ls:\n%s", out);
	const char *check[] = {"check", name, NULL};
	rc = ctl(&s, out, sizeof(out), check);
	cr_expect_eq(rc, 0, "check across hosts:\n%s", out);
	cr_expect(strstr(out, "240/240 node pairs reachable"), "check:\n%s", out);
	/* exec on a node of either host, from the controller */
	const char *ex1[] = {"exec", name, "h1", "--", "ping", "-c1", "-W2", "10.0.14.2", NULL};
	rc = ctl(&s, out, sizeof(out), ex1);
	cr_expect_eq(rc, 0, "exec h1 ping h2 across the tunnel:\n%s", out);
	const char *ex2[] = {"exec", name, "h2", "--", "hostname", NULL};
	rc = ctl(&s, out, sizeof(out), ex2);
	cr_expect(rc == 0 && strstr(out, "h2"), "exec on the second host:\n%s", out);
	const char *insp[] = {"inspect", name, NULL};
	rc = ctl(&s, out, sizeof(out), insp);
	cr_expect(rc == 0 && strstr(out, "over 2 hosts"), "inspect:\n%s", out);
	const char *down[] = {"down", name, NULL};
	rc = ctl(&s, out, sizeof(out), down);
	cr_expect_eq(rc, 0, "down:\n%s", out);
	assert_clean(&s, name, "after down");
	sim_down(&s);
}

/* A pinned pair of nodes with a delayed link between them: the tunnel
 * carries the link's impairment one way each side. */
static void write_pair(const char *path, const char *name, const char *extra)
{
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "name: %s\nnodes:\n"
		"  a: { host: h1, ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  b: { host: h2, ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"links:\n  - { endpoints: [a:eth0, b:eth0]%s }\n", name, extra);
	fclose(f);
}

static double rtt_ms(const char *ping_out)
{
	const char *p = strstr(ping_out, "min/avg/max");
	double mn = -1, avg, mx;
	if (p && (p = strchr(p, '=')))
		sscanf(p + 1, "%lf/%lf/%lf", &mn, &avg, &mx);
	return mn;
}

Test(multihost, impairment_and_throughput_across_the_tunnel, .timeout = 240, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "b");
	char file[256], out[1 << 16];
	const char *name = lab("mhpair");
	snprintf(file, sizeof(file), "%s/pair.yaml", s.dir);
	write_pair(file, name, ", delay: 5ms");
	const char *up[] = {"up", file, "--hosts", s.hosts, NULL};
	int rc = ctl(&s, out, sizeof(out), up);
	cr_assert_eq(rc, 0, "up:\n%s", out);
	const char *ping[] = {"exec", name, "a", "--", "ping", "-c5", "-i0.2", "10.9.0.2", NULL};
	rc = ctl(&s, out, sizeof(out), ping);
	cr_expect_eq(rc, 0, "ping across:\n%s", out);
	double r = rtt_ms(out);
	cr_log_info("multihost: RTT across a 5 ms each-way tunnel link: %.3f ms", r);
	cr_expect(r >= 10.0 && r < 30.0, "RTT %.3f ms, want about 10 (5 ms each way):\n%s", r,
		  out);
	/* a live change of the link across hosts: downstream is a -> b, so
	 * the RTT grows by 15 ms, on a's host's end alone */
	const char *set[] = {"link", name, "a:eth0", "b:eth0", "set", "downstream", "delay",
			     "20ms", NULL};
	rc = ctl(&s, out, sizeof(out), set);
	cr_expect_eq(rc, 0, "link set across hosts:\n%s", out);
	cr_expect(strstr(out, "host h1") && !strstr(out, "host h2"),
		  "only a's end carries a -> b:\n%s", out);
	rc = ctl(&s, out, sizeof(out), ping);
	r = rtt_ms(out);
	cr_log_info("multihost: RTT after `link set downstream delay 20ms`: %.3f ms", r);
	cr_expect(r >= 25.0 && r < 45.0, "RTT %.3f ms, want about 25:\n%s", r, out);
	/* the whole lab drawn from the controller */
	const char *graph[] = {"graph", name, "-f", "json", NULL};
	rc = ctl(&s, out, sizeof(out), graph);
	cr_expect(rc == 0 && strstr(out, "\"a\"") && strstr(out, "\"b\""),
		  "graph of a lab over hosts:\n%.2000s", out);
	/* a capture on the far host, its pcap written here */
	char pcap[256];
	snprintf(pcap, sizeof(pcap), "%s/b.pcap", s.dir);
	struct bg cap;
	const char *capv[] = {"/usr/bin/ip", "netns", "exec", s.ctl, bin(), "capture", name,
			      "b:eth0", "-c", "4", "-w", pcap, NULL};
	bg_start(&cap, capv);
	cr_expect(bg_wait_text(&cap, "capturing", 10000), "capture did not start: %s", cap.out);
	ctl(&s, out, sizeof(out), ping);
	rc = bg_finish(&cap);
	struct stat sb;
	cr_expect(rc == 0 && stat(pcap, &sb) == 0 && sb.st_size > 24 + 4 * 16,
		  "capture across hosts (%d): %s", rc, cap.out);
	if (access("/usr/bin/iperf3", X_OK) == 0) {
		const char *srv[] = {"exec", name, "b", "--", "iperf3", "-s", "-D", "-1", NULL};
		ctl(&s, out, sizeof(out), srv);
		usleep(300000);
		const char *cli[] = {"exec", name, "a", "--", "iperf3", "-c", "10.9.0.2", "-t", "2",
				     NULL};
		rc = ctl(&s, out, sizeof(out), cli);
		cr_expect_eq(rc, 0, "iperf3 across:\n%s", out);
		const char *sum = strstr(out, "receiver");
		cr_log_info("multihost: iperf3 across the tunnel: %.120s", sum ? sum - 60 : out);
	} else {
		cr_log_warn("SKIP iperf3 part: /usr/bin/iperf3 missing");
	}
	const char *down[] = {"down", name, NULL};
	rc = ctl(&s, out, sizeof(out), down);
	cr_expect_eq(rc, 0, "down:\n%s", out);
	assert_clean(&s, name, "after down");
	sim_down(&s);
}

Test(multihost, an_unreachable_host_rolls_back_the_others, .timeout = 240, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "c");
	char file[256], hosts[256], out[1 << 16];
	const char *name = lab("mhgone");
	snprintf(file, sizeof(file), "%s/pair.yaml", s.dir);
	write_pair(file, name, "");
	snprintf(hosts, sizeof(hosts), "%s/bad.yaml", s.dir);
	FILE *f = fopen(hosts, "w");
	cr_assert(f);
	fprintf(f, "hosts:\n"
		"  h1: { ssh: root@192.0.2.1, underlay: 192.0.2.1, vnetlab: %s,\n"
		"        options: [-i, %s/id, -o, UserKnownHostsFile=%s/known_hosts] }\n"
		"  h2: { ssh: root@192.0.2.9, underlay: 192.0.2.9, vnetlab: %s,\n"
		"        options: [-i, %s/id, -o, ConnectTimeout=2] }\n",
		bin(), s.dir, s.dir, bin(), s.dir);
	fclose(f);
	const char *up[] = {"up", file, "--hosts", hosts, NULL};
	int rc = ctl(&s, out, sizeof(out), up);
	cr_expect_neq(rc, 0, "up with an unreachable host succeeded:\n%s", out);
	cr_expect(strstr(out, "h2") && strstr(out, "cannot be reached"),
		  "the failure does not name the host:\n%s", out);
	assert_clean(&s, name, "after a failed up");
	sim_down(&s);
}

/* The remote vnetlab killed (SIGKILL, no cleanup of its own) at each step
 * of its part, or its `up` gone while its keeper builds: `up` fails and
 * nothing is left on either host. */
Test(multihost, fault_walk_kills_the_remote_vnetlab_at_each_step, .timeout = 600, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "d");
	char file[256], hosts[256], out[1 << 16];
	const char *name = lab("mhwalk");
	snprintf(file, sizeof(file), "%s/pair.yaml", s.dir);
	/* a delay this kernel carries in the pipe: its steps walked too */
	write_pair(file, name, ", delay: 2ms");
	snprintf(hosts, sizeof(hosts), "%s/fault.yaml", s.dir);
	int walked = 0, passed_at = 0;
	static const char *const kinds[] = {"kill", "killup"};
	/* each fault on either host: the other host's part is the one the
	 * rollback must find */
	for (int walk = 0; walk < 4; walk++) {
		int kind = walk % 2, on = walk / 2;
		passed_at = 0;
		for (int k = 1; k <= 40; k++) {
			char fault[4300], plain[4200];
			snprintf(fault, sizeof(fault), "[env, VNETLAB_FAULT=%s:%d, %s]", kinds[kind], k,
				 bin());
			snprintf(plain, sizeof(plain), "%s", bin());
			FILE *f = fopen(hosts, "w");
			cr_assert(f);
			fprintf(f, "hosts:\n"
				"  h1: { ssh: root@192.0.2.1, underlay: 192.0.2.1, vnetlab: %s,\n"
				"        options: [-i, %s/id, -o, UserKnownHostsFile=%s/known_hosts] }\n"
				"  h2: { ssh: root@192.0.2.2, underlay: 192.0.2.2, vnetlab: %s,\n"
				"        options: [-i, %s/id, -o, UserKnownHostsFile=%s/known_hosts] }\n",
				on == 0 ? fault : plain, s.dir, s.dir, on == 1 ? fault : plain, s.dir,
				s.dir);
			fclose(f);
			const char *up[] = {"up", file, "--hosts", hosts, NULL};
			int rc = ctl(&s, out, sizeof(out), up);
			char ctx[64];
			snprintf(ctx, sizeof(ctx), "%s:%d on h%d", kinds[kind], k, on + 1);
			walked++;
			if (rc == 0) {
				/* past the last step: the fault never fired */
				const char *down[] = {"down", name, NULL};
				rc = ctl(&s, out, sizeof(out), down);
				cr_expect_eq(rc, 0, "%s: down: %s", ctx, out);
				assert_clean(&s, name, ctx);
				passed_at = k;
				break;
			}
			assert_clean(&s, name, ctx);
			const char *down[] = {"down", name, NULL};
			ctl(&s, out, sizeof(out), down); /* should there be anything */
		}
		cr_expect(passed_at > 1, "%s on h%d: no step was walked", kinds[kind], on + 1);
	}
	cr_log_info("multihost: fault walk: %d ups, each left nothing on either host", walked);
	sim_down(&s);
}

/* The controller's ssh clients killed at moments through `up` (the
 * connection lost while a part builds): `up` fails or succeeds, and
 * either way nothing is left once it is over and `down` has run. */
Test(multihost, ssh_connections_killed_through_up, .timeout = 600, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "g");
	char file[256], out[1 << 16];
	const char *name = lab("mhssh");
	snprintf(file, sizeof(file), "%s/pair.yaml", s.dir);
	write_pair(file, name, ", delay: 2ms");
	static const int delays_ms[] = {20, 50, 100, 150, 200, 300, 450, 700, 1000};
	int failed = 0, n = (int)(sizeof(delays_ms) / sizeof(delays_ms[0]));
	for (int i = 0; i < n; i++) {
		struct bg up;
		const char *argv[] = {"/usr/bin/ip", "netns", "exec", s.ctl, bin(), "up", file,
				      "--hosts", s.hosts, NULL};
		bg_start(&up, argv);
		usleep((useconds_t)delays_ms[i] * 1000);
		char ppid[16];
		snprintf(ppid, sizeof(ppid), "%d", (int)up.pid);
		const char *pk[] = {"/usr/bin/pkill", "-KILL", "-P", ppid, "-x", "ssh", NULL};
		run(pk, NULL, out, sizeof(out), NULL);
		int rc = bg_finish(&up);
		failed += rc != 0;
		char ctx[64];
		snprintf(ctx, sizeof(ctx), "ssh killed after %d ms (up: %d)", delays_ms[i], rc);
		if (rc == 0) {
			const char *down[] = {"down", name, NULL};
			rc = ctl(&s, out, sizeof(out), down);
			cr_expect_eq(rc, 0, "%s: down: %s", ctx, out);
		}
		assert_clean(&s, name, ctx);
	}
	cr_log_info("multihost: ssh killed at %d moments of up: %d ups failed and rolled back, "
		    "%d finished first; nothing left after any", n, failed, n - failed);
	sim_down(&s);
}

Test(multihost, a_lost_host_after_up_is_named_by_down, .timeout = 240, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 2, "e");
	char file[256], out[1 << 16];
	const char *name = lab("mhlost");
	snprintf(file, sizeof(file), "%s/pair.yaml", s.dir);
	write_pair(file, name, "");
	const char *up[] = {"up", file, "--hosts", s.hosts, NULL};
	int rc = ctl(&s, out, sizeof(out), up);
	cr_assert_eq(rc, 0, "up:\n%s", out);
	/* host 2's sshd goes away (and with it every connection to it) */
	char pidf[256];
	snprintf(pidf, sizeof(pidf), "%s/sshd_h2.pid", s.dir);
	FILE *f = fopen(pidf, "r");
	int pid = 0;
	cr_assert(f && fscanf(f, "%d", &pid) == 1);
	fclose(f);
	const char *pk[] = {"/usr/bin/pkill", "-KILL", "-P", "", NULL};
	char ppid[16];
	snprintf(ppid, sizeof(ppid), "%d", pid);
	pk[3] = ppid;
	run(pk, NULL, out, sizeof(out), NULL);
	kill(pid, SIGSTOP);
	const char *down[] = {"down", name, NULL};
	rc = ctl(&s, out, sizeof(out), down);
	cr_expect_neq(rc, 0, "down with a host gone says so:\n%s", out);
	cr_expect(strstr(out, "host h2") && strstr(out, "may be left"), "down:\n%s", out);
	/* it comes back: down again removes the rest */
	kill(pid, SIGCONT);
	rc = ctl(&s, out, sizeof(out), down);
	cr_expect_eq(rc, 0, "down once the host is back:\n%s", out);
	assert_clean(&s, name, "after the second down");
	sim_down(&s);
}

Test(multihost, chain14_over_four_hosts, .timeout = 300, .fini = teardown)
{
	struct sim s;
	sim_up(&s, 4, "f");
	char file[4096], out[1 << 16];
	topo("chain14", file, sizeof(file));
	const char *name = lab("mh14x4");
	const char *up[] = {"up", file, "--hosts", s.hosts, "--name", name, NULL};
	int rc = ctl(&s, out, sizeof(out), up);
	cr_assert_eq(rc, 0, "up over 4 hosts:\n%s", out);
	cr_expect(strstr(out, "3 through VXLAN"), "a chain over 4 hosts should cut 3:\n%s", out);
	const char *check[] = {"check", name, NULL};
	rc = ctl(&s, out, sizeof(out), check);
	cr_expect_eq(rc, 0, "check across 4 hosts:\n%s", out);
	cr_expect(strstr(out, "240/240 node pairs reachable"), "check:\n%s", out);
	const char *down[] = {"down", name, NULL};
	rc = ctl(&s, out, sizeof(out), down);
	cr_expect_eq(rc, 0, "down:\n%s", out);
	assert_clean(&s, name, "after down");
	sim_down(&s);
}
