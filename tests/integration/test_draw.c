/* SPDX-License-Identifier: BSD-2-Clause */
/* `vnetlab graph` (docs/graph.md) as a user runs it: a running lab drawn
 * with its live state (a link set down is dashed, an impairment labelled
 * with its carrier), an IMUNES file and a Mininet --topo drawn as any
 * topology, and a 1,000-node lab's svg within a bound (5 s asked on this
 * machine's optimised build; the bound here leaves room for ASan). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

/* The dot line of the edge with that id, NUL-terminated in buf. */
static const char *edge_line(const char *dot, const char *id, char *buf, size_t len)
{
	char want[64];
	snprintf(want, sizeof(want), "[id=\"%s\"", id);
	const char *p = strstr(dot, want);
	cr_assert(p, "no edge %s in\n%s", id, dot);
	const char *start = p, *end = strchr(p, '\n');
	while (start > dot && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)((end ? end : p + strlen(p)) - start), start);
	return buf;
}

static const char three[] =
	"name: draw\n"
	"nodes:\n"
	"  a: { ifaces: { eth0: { addrs: [10.0.0.1/24] } } }\n"
	"  b: { forwarding: true, ifaces: { eth0: { addrs: [10.0.0.2/24] },"
	" eth1: { addrs: [10.0.1.1/24] } } }\n"
	"  c: { ifaces: { eth0: { addrs: [10.0.1.2/24] } } }\n"
	"links:\n"
	"  - { endpoints: [a:eth0, b:eth0], delay: 20ms, loss: 1% }\n"
	"  - [b:eth1, c:eth0]\n";

Test(draw, running_lab_shows_down_links_and_carriers, .timeout = 120)
{
	need_labs();
	char file[64], name[64], out[1 << 16], line[1024];
	up_text("draw", three, file, name);
	const char *down[] = {bin(), "link", name, "b:eth1", "c:eth0", "down", NULL};
	cr_assert_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	const char *dot[] = {bin(), "graph", name, NULL};
	cr_assert_eq(run(dot, NULL, out, sizeof(out), NULL), 0, "%s", out);
	edge_line(out, "link-1", line, sizeof(line));
	cr_expect(strstr(line, "style=dashed"), "the down link is dashed: %s", line);
	edge_line(out, "link-0", line, sizeof(line));
	cr_expect(!strstr(line, "dashed"), "the up link is not: %s", line);
	/* Who carries it: netem where the kernel has it, else the pipe. */
	cr_expect(strstr(line, "20ms 1% [netem]") || strstr(line, "20ms 1% [pipe]"),
		  "the impairment and its carrier: %s", line);
	char svg[128];
	snprintf(svg, sizeof(svg), "/tmp/%s.svg", name);
	const char *pic[] = {bin(), "graph", name, "-o", svg, NULL};
	cr_expect_eq(run(pic, NULL, out, sizeof(out), NULL), 0, "%s", out);
	FILE *f = fopen(svg, "r");
	cr_expect(f && fgets(line, sizeof(line), f) && !strncmp(line, "<?xml", 5), "%s", svg);
	if (f)
		fclose(f);
	unlink(svg);
	down_text(file, name);
}

Test(draw, imunes_file_and_mininet_topo)
{
	char imn[512], out[1 << 16];
	const char *dir = getenv("TOPOLOGIES");
	snprintf(imn, sizeof(imn), "%s/../tests/data/imunes/static-lan.imn", dir ? dir : "topologies");
	const char *val[] = {bin(), "validate", imn, NULL};
	cr_assert_eq(run(val, NULL, out, sizeof(out), NULL), 0, "%s", out);
	size_t nodes = 0, links = 0;
	const char *ok = strstr(out, "(lab ");
	cr_assert(ok && sscanf(strchr(ok, ':') + 1, "%zu nodes, %zu links", &nodes, &links) == 2,
		  "%s", out);
	const char *dot[] = {bin(), "graph", imn, "--format", "dot", NULL};
	cr_assert_eq(run(dot, NULL, out, sizeof(out), NULL), 0, "%s", out);
	/* IMUNES's pipes are folded into links and drawn as nodes again. */
	size_t pipes = count(out, "shape=cds");
	cr_expect_eq(count(out, "[id=\"node-"), nodes + pipes, "%s", out);
	cr_expect_eq(count(out, "[id=\"link-"), links + pipes, "%s", out);
	const char *mm[] = {bin(), "graph", "--topo", "linear,4", "-f", "mermaid", NULL};
	cr_assert_eq(run(mm, NULL, out, sizeof(out), NULL), 0, "%s", out);
	cr_expect_eq(strncmp(out, "graph LR\n", 9), 0, "%s", out);
	static const char *const names[] = {"h1", "h2", "h3", "h4", "s1", "s2", "s3", "s4"};
	for (size_t i = 0; i < 8; i++) {
		char want[16];
		snprintf(want, sizeof(want), "[\"%s", names[i]);
		cr_expect(strstr(out, want), "%s not named in\n%s", names[i], out);
	}
	const char *bad[] = {bin(), "graph", imn, "--format", "gif", NULL};
	cr_expect_eq(run(bad, NULL, out, sizeof(out), NULL), 2, "%s", out);
	cr_expect(strstr(out, "unknown format 'gif'"), "%s", out);
}

/* One bridge and 1,000 hosts: the shape dot finds hardest (one rank of
 * 1,000), so the engine choice by size is what keeps it fast. */
Test(draw, thousand_nodes_svg_in_bounded_time, .timeout = 120)
{
	char yaml[] = "/tmp/vnetlab-draw-XXXXXX", svg[64], out[4096];
	int fd = mkstemp(yaml);
	cr_assert(fd >= 0);
	dprintf(fd, "name: star1000\nnodes:\n  sw: { kind: bridge }\n");
	for (int i = 0; i < 1000; i++)
		dprintf(fd, "  n%d: { ifaces: { e0: { addrs: [10.%d.%d.%d/8] } } }\n", i, 1,
			i / 250, 1 + i % 250);
	dprintf(fd, "links:\n");
	for (int i = 0; i < 1000; i++)
		dprintf(fd, "  - [n%d:e0, sw:p%d]\n", i, i);
	close(fd);
	snprintf(svg, sizeof(svg), "%s.svg", yaml);
	const char *argv[] = {bin(), "graph", yaml, "-o", svg, NULL};
	double t0 = now();
	int rc = run(argv, NULL, out, sizeof(out), NULL);
	double took = now() - t0;
	cr_expect_eq(rc, 0, "%s", out);
	fprintf(stderr, "draw: a 1,000-node star as svg took %.2f s\n", took);
	cr_expect_lt(took, 30.0, "1,000 nodes took %.1f s", took);
	FILE *f = fopen(svg, "r");
	cr_assert(f);
	static char buf[8 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_expect_eq(count(buf, "class=\"node\""), 1001);
	cr_expect_eq(count(buf, "class=\"edge\""), 1000);
	unlink(svg);
	unlink(yaml);
}
