/* SPDX-License-Identifier: BSD-2-Clause */
/* A node's software in the model: files, binds, private directories and
 * services as parsed (topo_soft.c), the view they make (view.c), FRR's
 * daemons (service.c) and shell-like words (words.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/service.h"
#include "vnetlab/topo.h"
#include "vnetlab/view.h"
#include "vnetlab/words.h"

static struct vl_topo *load(const char *yaml, struct vl_err *err)
{
	struct vl_topo *t = NULL;
	vl_err_init(err);
	vl_topo_load_buffer("/tmp/t.yaml", yaml, strlen(yaml), &t, err);
	return t;
}

static void refused(const char *yaml, const char *want)
{
	struct vl_err err;
	struct vl_topo *t = load(yaml, &err);
	cr_assert_null(t, "accepted: %s", yaml);
	cr_assert(strstr(err.msg, want), "wanted '%s' in: %s", want, err.msg);
}

Test(soft, binds_files_private_and_services_parse)
{
	char dir[] = "/tmp/vnetlab-soft-XXXXXX";
	cr_assert(mkdtemp(dir));
	char yaml[2048];
	snprintf(yaml, sizeof(yaml),
		 "nodes:\n"
		 "  r1:\n"
		 "    binds: [\"%s:/srv//data/:ro\", \"%s:/etc/x\"]\n"
		 "    files: {\"/etc/motd\": \"hi\\n\"}\n"
		 "    private: [default, /srv/scratch]\n"
		 "    services: [frr, {name: web, start: [sleep, '9'], ready: [true]}]\n",
		 dir, dir);
	struct vl_err err;
	struct vl_topo *t = load(yaml, &err);
	cr_assert_not_null(t, "%s", err.msg);
	const struct vl_node *n = &t->nodes[0];
	cr_assert_eq(n->n_binds, 2);
	cr_assert_str_eq(n->binds[0].dst, "/srv/data");
	cr_assert_str_eq(n->binds[0].src, dir);
	cr_assert(n->binds[0].ro && !n->binds[1].ro);
	cr_assert_eq(n->binds[0].pos.line, 3);
	cr_assert_eq(n->n_files, 1);
	cr_assert_str_eq(n->files[0].content, "hi\n");
	cr_assert(n->private_set);
	cr_assert_eq(n->n_private, 5, "the 4 defaults and /srv/scratch");
	cr_assert_eq(n->n_services, 2);
	cr_assert_eq(n->services[0].kind, VL_SVC_FRR);
	cr_assert_eq(n->services[1].kind, VL_SVC_CMD);
	cr_assert_str_eq(n->services[1].start[1], "9");
	cr_assert_str_eq(n->services[1].ready[0], "true");
	vl_topo_free(t);
	rmdir(dir);
}

Test(soft, a_relative_source_is_the_files_neighbour)
{
	/* The buffer's "file" is /tmp/t.yaml: "." is /tmp. */
	struct vl_err err;
	struct vl_topo *t = load("nodes:\n  a: {binds: [\".:/mnt/x\"]}\n", &err);
	cr_assert_not_null(t, "%s", err.msg);
	char real[4096];
	cr_assert(realpath("/tmp", real));
	cr_assert_str_eq(t->nodes[0].binds[0].src, real);
	vl_topo_free(t);
}

Test(soft, bad_software_is_refused_where_it_is_written)
{
	refused("nodes:\n  a: {binds: [\"/nonexistent-vnetlab:/x\"]}\n",
		"/tmp/t.yaml:2:15: error: bind source '/nonexistent-vnetlab'");
	refused("nodes:\n  a: {binds: [\"/tmp:/proc/x\"]}\n", "2:15: error: bind target '/proc/x' is the kernel's");
	refused("nodes:\n  a: {binds: [\"/tmp:/\"]}\n", "would hide the whole filesystem");
	refused("nodes:\n  a: {binds: [\"/tmp:/dev\"]}\n", "is the kernel's");
	refused("nodes:\n  a: {binds: [\"/tmp:/x:rx\"]}\n", "must be SRC:DST, SRC:DST:ro or SRC:DST:rw");
	refused("nodes:\n  a: {binds: [\"/tmp:x\"]}\n", "must be an absolute path");
	refused("nodes:\n  a: {binds: [\"/tmp:/a/../b\"]}\n", "must not contain '..'");
	refused("nodes:\n  a: {private: [/sys]}\n", "2:17: error: private directory '/sys'");
	refused("nodes:\n  a: {private: [/]}\n", "would hide the whole filesystem");
	refused("nodes:\n  a: {files: {/proc/x: y}}\n", "file '/proc/x' is the kernel's");
	refused("nodes:\n  a: {services: [quagga]}\n", "2:18: error: unknown service 'quagga'");
	refused("nodes:\n  a: {services: [{name: x}]}\n", "service 'x' needs start: [ARGV...]");
	refused("nodes:\n  a: {services: [{name: frr, start: [x]}]}\n", "is vnetlab's own");
	refused("nodes:\n  a: {services: [frr, frr]}\n", "service 'frr' is given twice");
	refused("nodes:\n  a: {binds: [\"/tmp:/x\", \"/tmp:/x/\"]}\n", "'/x' is bound twice");
	refused("nodes:\n  a: {binds: [\"/tmp:/x\"], files: {/x: y}}\n", "both bound and written");
	refused("nodes:\n  s: {kind: bridge, services: [frr]}\n",
		"'services' applies to vnet nodes, not to a bridge");
}

Test(view, tmpfs_first_then_by_depth_and_defaults_only_where_nothing_is)
{
	struct vl_err err;
	struct vl_topo *t = load("nodes:\n  r1:\n    files: {/etc/frr/frr.conf: x, "
				 "/run/a/b: c}\n    services: [frr]\n",
				 &err);
	cr_assert_not_null(t, "%s", err.msg);
	struct vl_view v;
	struct vl_view_opts o = {.rootless = false};
	cr_assert_eq(vl_view_build(&t->nodes[0], &o, &v, &err), 0, "%s", err.msg);
	bool seen_other = false;
	size_t depth_before = 0;
	long conf_user = -1, conf_default = -1;
	for (size_t i = 0; i < v.n; i++) {
		size_t depth = 0;
		for (const char *p = v.e[i].path; *p; p++)
			depth += *p == '/';
		if (v.e[i].kind == VL_VIEW_TMPFS) {
			cr_assert(!seen_other, "tmpfs %s after another kind", v.e[i].path);
			cr_assert(depth >= depth_before, "%s", v.e[i].path);
			depth_before = depth;
		} else {
			seen_other = true;
		}
		if (!strcmp(v.e[i].path, "/etc/frr/frr.conf"))
			*(v.e[i].if_absent ? &conf_default : &conf_user) = (long)i;
	}
	cr_assert(vl_view_tmpfs_of(&v, "/etc/frr/frr.conf"), "FRR's /etc/frr is the node's");
	cr_assert(vl_view_tmpfs_of(&v, "/run/a/b"));
	cr_assert(!vl_view_tmpfs_of(&v, "/etc/motd"));
	cr_assert(conf_user >= 0 && conf_default > conf_user,
		  "the file's frr.conf goes first; the default only where nothing is");
	vl_view_free(&v);
	vl_topo_free(t);
}

Test(view, a_node_without_software_has_the_default_private_dirs_lazily)
{
	struct vl_err err;
	struct vl_topo *t = load("nodes:\n  a:\n  b: {private: []}\n", &err);
	cr_assert_not_null(t, "%s", err.msg);
	cr_assert(!vl_view_eager(&t->nodes[0]));
	cr_assert(vl_view_eager(&t->nodes[1]), "a private: list is something to make");
	struct vl_view v;
	struct vl_view_opts o = {0};
	cr_assert_eq(vl_view_build(&t->nodes[0], &o, &v, &err), 0);
	cr_assert_eq(v.n, 4);
	cr_assert(vl_view_tmpfs_of(&v, "/tmp/x") && vl_view_tmpfs_of(&v, "/var/log"));
	vl_view_free(&v);
	cr_assert_eq(vl_view_build(&t->nodes[1], &o, &v, &err), 0);
	cr_assert_eq(v.n, 0, "private: [] shares the host's directories");
	vl_view_free(&v);
	vl_topo_free(t);
}

Test(frr, daemons_from_the_daemons_file_else_from_frr_conf)
{
	const char *names[32];
	size_t n = vl_frr_daemons("zebra=no\nbgpd=yes\nospfd=no\n", NULL, names, 32);
	/* zebra and staticd whatever the file says (frrinit's rule); mgmtd
	 * only where this FRR has it. */
	cr_assert_str_eq(names[0], "zebra");
	bool bgpd = false, ospfd = false, staticd = false;
	for (size_t i = 0; i < n; i++) {
		bgpd |= !strcmp(names[i], "bgpd");
		ospfd |= !strcmp(names[i], "ospfd");
		staticd |= !strcmp(names[i], "staticd");
	}
	cr_assert(bgpd && !ospfd && staticd);
	n = vl_frr_daemons(NULL, "router ospf\n ospf router-id 1.1.1.1\n!\ninterface e0\n"
			   " ipv6 ospf6 area 0\n!\nrouter ospf6\n",
			   names, 32);
	bool ospf6d = false;
	ospfd = bgpd = false;
	for (size_t i = 0; i < n; i++) {
		ospfd |= !strcmp(names[i], "ospfd");
		ospf6d |= !strcmp(names[i], "ospf6d");
		bgpd |= !strcmp(names[i], "bgpd");
	}
	cr_assert(ospfd && ospf6d && !bgpd);
}

Test(frr, the_plan_keeps_daemons_in_the_foreground_as_the_right_user)
{
	struct vl_service s = {.name = "frr", .kind = VL_SVC_FRR};
	struct vl_svc_plan p;
	struct vl_err err;
	vl_err_init(&err);
	cr_assert_eq(vl_service_plan(&s, "ospfd=yes\nospfd_options=\"-d -A 127.0.0.1 -M 'x y'\"\n",
				     "router ospf\n", true, &p, &err),
		     0, "%s", err.msg);
	bool found = false;
	for (size_t i = 0; i < p.n_procs; i++) {
		if (strcmp(p.procs[i].label, "ospfd"))
			continue;
		found = true;
		char line[512] = "";
		for (char **a = p.procs[i].argv; *a; a++)
			strcat(strcat(line, *a), "|");
		cr_assert_str_eq(line, "/usr/lib/frr/ospfd|-A|127.0.0.1|-M|x y|-u|root|-g|root|--log|stdout|");
		cr_assert_str_eq(p.procs[i].ready_path, "/run/frr/ospfd.vty");
	}
	cr_assert(found);
	cr_assert_str_eq(p.post[0], "vtysh");
	cr_assert_str_eq(p.post[1], "-b");
	vl_svc_plan_free(&p);
	/* No frr.conf (a bound /etc/frr without one): nothing to load. */
	cr_assert_eq(vl_service_plan(&s, "ospfd=yes\n", NULL, true, &p, &err), 0, "%s", err.msg);
	cr_assert_null(p.post);
	vl_svc_plan_free(&p);
	cr_assert_lt(vl_service_plan(&s, "zebra_options=\"-A 'x\"\n", NULL, true, &p, &err), 0);
	cr_assert(strstr(err.msg, "zebra_options: an unterminated '"), "%s", err.msg);
}

Test(words, split_as_a_shell_would_without_one)
{
	char **w;
	size_t n;
	const char *why;
	cr_assert_eq(vl_words_split("  a 'b c' \"d \\\"e\\\"\" f\\ g '' $HOME", &w, &n, &why), 0);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(w[0], "a");
	cr_assert_str_eq(w[1], "b c");
	cr_assert_str_eq(w[2], "d \"e\"");
	cr_assert_str_eq(w[3], "f g");
	cr_assert_str_eq(w[4], "");
	cr_assert_str_eq(w[5], "$HOME", "no expansion");
	cr_assert_null(w[6]);
	vl_words_free(w);
	cr_assert_eq(vl_words_split("", &w, &n, &why), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(w[0]);
	vl_words_free(w);
	cr_assert_lt(vl_words_split("a \"b", &w, &n, &why), 0);
	cr_assert_str_eq(why, "an unterminated \"");
	cr_assert_lt(vl_words_split("a\\", &w, &n, &why), 0);
}
