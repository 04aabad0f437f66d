/* SPDX-License-Identifier: BSD-2-Clause */
/* A vnet jail's view on FreeBSD (compat/freebsd/view.c): the view's /run
 * is /var/run there; a file's content goes to dd on its standard input,
 * under a heredoc delimiter none of its lines is; services are refused
 * with the line that asks for one; and, before anything runs, every mount
 * point outside the view's own tmpfs must be on the host as what is
 * mounted on it, reached through no symbolic link (checked here against
 * a tree standing in for the host's /). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/freebsd.h"
#include "vnetlab/plan.h"
#include "vnetlab/view.h"

static struct vl_topo *load(const char *y)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_topo_load_buffer("x.yaml", y, strlen(y), &t, &err), 0, "%s\n%s", err.msg,
		     y);
	return t;
}

/* `vnetlab plan --backend freebsd` of y; NULL with err when refused. */
static char *render(const char *y, struct vl_err *err)
{
	struct vl_topo *t = load(y);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	vl_err_init(err);
	int rc = vl_freebsd_render(t, out, err);
	fclose(out);
	vl_topo_free(t);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

Test(fbview, run_moves_to_var_run_and_parents_stay_first)
{
	struct vl_topo *t = load("nodes:\n  a:\n    private: [default, /run/x]\n"
				 "    files: {/run/x/f: hi}\n");
	struct vl_err err;
	vl_err_init(&err);
	struct vl_view v;
	struct vl_view_opts o = {.run_dir = VL_FBSD_RUN_DIR};
	cr_assert_eq(vl_view_build(&t->nodes[0], &o, &v, &err), 0, "%s", err.msg);
	static const char *const want[] = {"/tmp", "/var/log", "/var/run", "/var/tmp",
					   "/var/run/x", "/var/run/x/f"};
	cr_assert_eq(v.n, 6);
	for (size_t i = 0; i < v.n; i++)
		cr_expect_str_eq(v.e[i].path, want[i], "entry %zu", i);
	vl_view_free(&v);
	/* Linux's view is as it was. */
	struct vl_view_opts lo = {0};
	cr_assert_eq(vl_view_build(&t->nodes[0], &lo, &v, &err), 0, "%s", err.msg);
	cr_expect_str_eq(v.e[0].path, "/run");
	vl_view_free(&v);
	vl_topo_free(t);
}

Test(fbview, a_files_content_is_a_heredoc_of_dd)
{
	struct vl_err err;
	char *s = render("nodes:\n  a:\n    files:\n      /tmp/x: \"one\\nEOF\\nEOF_\\n\"\n"
			 "      /tmp/y: bare\n", &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_expect_not_null(strstr(s, "dd of=/var/run/vnetlab/x.a/root/tmp/x status=none "
				     "<<'EOF__'\none\nEOF\nEOF_\nEOF__\n"), "%s", s);
	cr_expect_not_null(strstr(s, "dd of=/var/run/vnetlab/x.a/root/tmp/y status=none "
				     "<<'EOF'  # no newline at the end\nbare\nEOF\n"), "%s", s);
	/* In the node's /tmp: written in place, nothing to undo. */
	cr_expect_null(strstr(s, "rm -f"), "%s", s);
	free(s);
}

Test(fbview, services_are_refused_with_their_line)
{
	struct vl_err err;
	char *s = render("nodes:\n  a:\n    services: [frr]\n", &err);
	cr_expect_null(s);
	free(s);
	cr_expect_not_null(strstr(err.msg, "x.yaml:3:16: error: node a: service frr: the "
					   "FreeBSD backend does not run services yet"), "%s",
			   err.msg);
}

/* A loopback address is an alias on the jail's lo0. */
Test(fbview, loopback_addresses_are_lo0_aliases)
{
	struct vl_err err;
	char *s = render("nodes:\n  a: { loopback: [10.255.0.1/32, 'fd00::1/128'] }\n", &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_expect_not_null(strstr(s, "ifconfig lo0 inet 10.255.0.1/32 alias"), "%s", s);
	cr_expect_not_null(strstr(s, "ifconfig lo0 inet6 fd00::1/128 alias"), "%s", s);
	free(s);
}

/* ng_bridge has no spanning tree: a looped lab would loop. */
Test(fbview, a_spanning_tree_is_refused_with_its_line)
{
	struct vl_err err;
	char *s = render("nodes:\n  b: { kind: bridge, stp: true }\n", &err);
	cr_expect_null(s);
	free(s);
	cr_expect_not_null(strstr(err.msg, "x.yaml:2:27: error: node b: ng_bridge(4) runs no "
					   "spanning tree"), "%s", err.msg);
}

/* A stand-in for the host's /: what a default view needs, and more. */
static char host[64], src[64];

static void mk(const char *rel, bool dir)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s%s", host, rel);
	if (dir) {
		cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
	} else {
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f, "%s", p);
		fclose(f);
	}
}

static void make_host(void)
{
	snprintf(host, sizeof(host), "/tmp/vnetlab-fbhost-XXXXXX");
	cr_assert_not_null(mkdtemp(host));
	snprintf(src, sizeof(src), "/tmp/vnetlab-fbsrc-XXXXXX");
	cr_assert_not_null(mkdtemp(src));
	static const char *const dirs[] = {"/tmp", "/var", "/var/log", "/var/run", "/var/tmp",
					   "/etc", "/mnt", "/opt", "/opt/data"};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mk(dirs[i], true);
	mk("/etc/hosts", false);
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/etc/localtime", host);
	cr_assert_eq(symlink("/usr/share/zoneinfo/UTC", p), 0);
	snprintf(p, sizeof(p), "%s/conf", src);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fclose(f);
}

static void remove_host(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", host, src);
	cr_expect_eq(system(cmd), 0);
}

/* Whether the backend takes y on this host; its errors into err. */
static bool host_takes(const char *y, struct vl_err *err)
{
	struct vl_topo *t = load(y);
	struct vl_plan p;
	struct vl_plan_opts po = vl_freebsd_plan_opts();
	vl_err_init(err);
	cr_assert_eq(vl_plan_build(t, &po, &p, err), 0, "%s", err->msg);
	FILE *sink = fopen("/dev/null", "w");
	struct vl_fbsd_opts o = {.render = sink, .host_root = host};
	struct vl_backend *be = vl_freebsd_backend_new(&p, &o, err);
	vl_freebsd_backend_free(be);
	fclose(sink);
	vl_plan_free(&p);
	vl_topo_free(t);
	return be != NULL;
}

Test(fbview, mount_points_the_host_has_are_taken, .init = make_host, .fini = remove_host)
{
	char y[1024];
	struct vl_err err;
	/* A private dir, a file on the host's, a bind in a private dir and a
	 * file in a bind (its source has it). */
	snprintf(y, sizeof(y), "nodes:\n  a:\n    private: [default, /mnt]\n"
		 "    binds: [\"%s:/opt/data\", \"%s:/mnt/src\"]\n"
		 "    files: {/etc/hosts: x, /opt/data/conf: y, /mnt/new/f: z}\n", src, src);
	cr_expect(host_takes(y, &err), "%s", err.msg);
}

Test(fbview, what_the_host_lacks_is_said_before_anything_runs, .init = make_host,
     .fini = remove_host)
{
	char y[1024], want[512];
	struct vl_err err;
	snprintf(y, sizeof(y), "nodes:\n  a:\n    private: [default, /srv]\n"
		 "    binds: [\"%s:/opt/data/sub\", \"%s:/etc/hosts\"]\n"
		 "    files: {/etc/localtime: x, /opt/data/sub/none: y}\n", src, src);
	cr_assert_not(host_takes(y, &err));
	snprintf(want, sizeof(want), "x.yaml:2:3: error: node a: private directory /srv: "
		 "%s/srv does not exist on this host", host);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
	snprintf(want, sizeof(want), "node a: bind /opt/data/sub: %s/opt/data/sub does not "
		 "exist", host);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
	snprintf(want, sizeof(want), "node a: bind /etc/hosts: %s/etc/hosts is not a "
		 "directory", host);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
	snprintf(want, sizeof(want), "node a: file /etc/localtime: %s/etc/localtime is a "
		 "symbolic link", host);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
	/* Inside a bind: the bind's source must have it. */
	snprintf(want, sizeof(want), "node a: file /opt/data/sub/none: %s/none does not exist",
		 src);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
	/* vnetlab's own entries have no line: the file's name still leads. */
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/var/run", host);
	cr_assert_eq(rmdir(p), 0);
	cr_assert_not(host_takes("nodes: {a: {}}\n", &err));
	snprintf(want, sizeof(want), "x.yaml: error: node a: private directory /var/run: "
		 "%s/var/run does not exist", host);
	cr_expect_not_null(strstr(err.msg, want), "want %s in:\n%s", want, err.msg);
}
