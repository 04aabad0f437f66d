/* SPDX-License-Identifier: BSD-2-Clause */
/* Golden plans: every shipped topology renders, on both backends, exactly
 * as checked in under tests/golden/ (scripts/golden.sh rewrites them after
 * a deliberate change).  The FreeBSD ones read as an administrator's
 * session: jail -c ... vnet persist, ngctl mkpeer ... eiface, ifconfig
 * ngethN vnet NODE. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/freebsd.h"
#include "vnetlab/plan.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: missing (run scripts/golden.sh)", path);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strdup(buf);
}

/* The plan of one topology as `vnetlab plan` prints it. */
static char *render(const char *name, bool freebsd)
{
	char path[512];
	snprintf(path, sizeof(path), "topologies/%s.yaml", name);
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_file(path, &t, &err), 0, "%s", err.msg);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (freebsd) {
		/* A lab the backend refuses (services, on FreeBSD) has its
		 * refusal as its golden text: the refusal is what is pinned. */
		if (vl_freebsd_render(t, out, &err) < 0)
			fprintf(out, "# refused:\n%s\n", err.msg);
	} else {
		struct vl_plan p;
		struct vl_plan_opts o = {.qdiscs = VL_QDISC_TBF | VL_QDISC_HTB};
		cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0, "%s", err.msg);
		fprintf(out, "# lab %s: %zu operations, backend linux\n", t->name, p.n_ops);
		vl_plan_render(&p, out);
		vl_plan_free(&p);
	}
	fclose(out);
	vl_topo_free(t);
	return buf;
}

static void compare(const char *name, bool freebsd)
{
	char path[512];
	snprintf(path, sizeof(path), "tests/golden/%s.%s", name, freebsd ? "freebsd" : "linux");
	char *want = slurp(path), *got = render(name, freebsd);
	size_t i = 0, line = 1;
	while (want[i] && want[i] == got[i])
		line += want[i++] == '\n';
	cr_expect(!want[i] && !got[i], "%s differs from line %zu:\n  want: %.80s\n  got:  %.80s",
		  path, line, want + i, got + i);
	free(want);
	free(got);
}

/* Golden files are compared from the source tree, for every topology. */
Test(golden, every_shipped_topology_both_backends)
{
	cr_assert_eq(chdir(SRCDIR), 0);
	DIR *d = opendir("topologies");
	cr_assert_not_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(l - 5), e->d_name);
		compare(name, false);
		compare(name, true);
		n++;
	}
	closedir(d);
	cr_expect_geq(n, 6, "found %d topologies", n);
}

/* The talk's commands are there (a reviewer reads these files). */
Test(golden, freebsd_reads_like_the_talk)
{
	cr_assert_eq(chdir(SRCDIR), 0);
	char *s = render("demo", true);
	static const char *const want[] = {
		"jail -c name=demo host.hostname=demo path=/ vnet persist",
		/* The talk's jails have path=/; a node's has a root of its own,
		 * the host's / with the node's view on top (view.c). */
		"mount -t nullfs / /var/run/vnetlab/demo.n1/root\n",
		"jail -c name=demo.n1 host.hostname=n1 path=/var/run/vnetlab/demo.n1/root vnet "
		"persist",
		"jexec demo ngctl -f - <<'EOF'\n",
		"mkpeer eiface tmp ether\n",
		"connect n1_eth0: bridge: ether link2\n",
		"jexec demo ifconfig ngeth0 vnet n1\n",
		"jexec demo.n1 ifconfig ngeth0 name eth0\n",
		"jexec demo.n1 ifconfig eth0 link 02:0a:0b:0c:0d:0e\n",
		"jail -r demo  # undoes 1\n",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_not_null(strstr(s, want[i]), "missing: %s\n%s", want[i], s);
	free(s);
}

/* What ng_pipe cannot do is refused with the line that asks for it. */
Test(golden, freebsd_refuses_jitter_and_oneway_delay)
{
	static const char *const y[] = {
		"nodes: {a: {}, b: {}}\nlinks:\n  - {endpoints: [a:e, b:e], jitter: 1ms, delay: 5ms}\n",
		"nodes: {a: {}, b: {}}\nlinks:\n  - {endpoints: [a:e, b:e], downstream: {delay: 5ms}}\n",
	};
	static const char *const why[] = {"no jitter", "one delay to both directions"};
	for (int i = 0; i < 2; i++) {
		struct vl_err err;
		vl_err_init(&err);
		struct vl_topo *t;
		cr_assert_eq(vl_topo_load_buffer("x.yaml", y[i], strlen(y[i]), &t, &err), 0);
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		cr_expect_lt(vl_freebsd_render(t, out, &err), 0);
		fclose(out);
		free(buf);
		cr_expect_not_null(strstr(err.msg, "x.yaml:3:5: error"), "%s", err.msg);
		cr_expect_not_null(strstr(err.msg, why[i]), "%s", err.msg);
		vl_topo_free(t);
	}
}
