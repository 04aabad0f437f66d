/* SPDX-License-Identifier: BSD-2-Clause */
/* statefile: the atomic 0600 writer every state file goes through, and
 * state.json written and read back. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vnetlab/plan.h"
#include "vnetlab/statefile.h"

static char dir[64];

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vl-statefile-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", dir, dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(statefile, .init = mkdir_tmp, .fini = rm_tmp);

static void in_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(chmod(path, mode), 0);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
	return st.st_mode;
}

/* The names in dir, sorted, space-separated. */
static void listing(char *out, size_t len)
{
	struct dirent **e;
	int n = scandir(dir, &e, NULL, alphasort);
	cr_assert_geq(n, 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(e[i]->d_name, ".") && strcmp(e[i]->d_name, "..")) {
			strncat(out, out[0] ? " " : "", len - strlen(out) - 1);
			strncat(out, e[i]->d_name, len - strlen(out) - 1);
		}
		free(e[i]);
	}
	free(e);
}

static int write_atomic(const char *path, const char *text, struct vl_err *err)
{
	vl_err_init(err);
	return vl_file_write_atomic(path, text, err);
}

/* ---- the writer ---------------------------------------------------------------- */

Test(statefile, mode_0600_whatever_the_umask)
{
	char p[128];
	in_dir(p, sizeof(p), "state.json");
	const mode_t masks[] = {0, 022, 0277, 0777};
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		struct vl_err err;
		mode_t old = umask(masks[i]);
		int rc = write_atomic(p, "{}\n", &err);
		umask(old);
		cr_assert_eq(rc, 0, "%s", err.msg);
		cr_expect_eq(mode_of(p) & 07777, 0600, "umask %o: mode %o", masks[i],
			     mode_of(p) & 07777);
		cr_expect(S_ISREG(mode_of(p)));
		char *got = slurp(p);
		cr_expect_str_eq(got, "{}\n");
		free(got);
	}
}

Test(statefile, replaces_a_wider_file)
{
	char p[128], names[256];
	in_dir(p, sizeof(p), "state.json");
	put(p, "old\n", 0644);
	struct vl_err err;
	cr_assert_eq(write_atomic(p, "new\n", &err), 0, "%s", err.msg);
	cr_expect_eq(mode_of(p) & 07777, 0600);
	char *got = slurp(p);
	cr_expect_str_eq(got, "new\n");
	free(got);
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "state.json", "nothing else left: %s", names);
}

Test(statefile, a_leftover_temp_file_is_not_reused)
{
	/* A temp file a crash left behind, world-writable: the new state
	 * must still be 0600 and only the writer's. */
	char p[128], tmp[160], names[256];
	in_dir(p, sizeof(p), "state.json");
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	mode_t old = umask(0);
	put(tmp, "half a state fi", 0666);
	umask(old);
	struct vl_err err;
	cr_assert_eq(write_atomic(p, "whole\n", &err), 0, "%s", err.msg);
	cr_expect_eq(mode_of(p) & 07777, 0600, "mode %o", mode_of(p) & 07777);
	char *got = slurp(p);
	cr_expect_str_eq(got, "whole\n");
	free(got);
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "state.json");
}

Test(statefile, a_symlink_in_place_of_the_temp_file_is_not_followed)
{
	char p[128], tmp[160], victim[128];
	in_dir(p, sizeof(p), "state.json");
	in_dir(victim, sizeof(victim), "victim");
	snprintf(tmp, sizeof(tmp), "%s.tmp", p);
	put(victim, "precious\n", 0644);
	cr_assert_eq(symlink(victim, tmp), 0);
	struct vl_err err;
	int rc = write_atomic(p, "new\n", &err);
	char *v = slurp(victim);
	cr_expect_str_eq(v, "precious\n", "the link's target was written through");
	free(v);
	if (rc == 0) {
		cr_expect(S_ISREG(mode_of(p)), "state.json is the link, not a file");
		char *got = slurp(p);
		cr_expect_str_eq(got, "new\n");
		free(got);
	}
}

Test(statefile, missing_directory_fails_cleanly)
{
	char p[160], names[256];
	snprintf(p, sizeof(p), "%s/nope/state.json", dir);
	struct vl_err err;
	cr_expect_lt(write_atomic(p, "x\n", &err), 0);
	cr_expect(strstr(err.msg, "nope"), "the error names the path: %s", err.msg);
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "");
}

/* In a child: a write into a directory it may not write (root loses
 * CAP_DAC_OVERRIDE first), and a write cut short by RLIMIT_FSIZE.  Each
 * must fail and leave the old file as it was, and no temp file. */
static int child_write(const char *p, const char *text, bool readonly, bool small)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (readonly && geteuid() == 0) {
			cap_t c = cap_get_proc();
			cap_value_t v[2] = {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH};
			if (!c || cap_set_flag(c, CAP_EFFECTIVE, 2, v, CAP_CLEAR) < 0 ||
			    cap_set_proc(c) < 0)
				_exit(10);
			cap_free(c);
		}
		if (small) {
			signal(SIGXFSZ, SIG_IGN);
			struct rlimit r = {100, 100};
			if (setrlimit(RLIMIT_FSIZE, &r) < 0)
				_exit(11);
		}
		struct vl_err err;
		_exit(write_atomic(p, text, &err) < 0 ? 0 : 1);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

Test(statefile, failed_write_keeps_the_old_file)
{
	char p[128], names[256];
	in_dir(p, sizeof(p), "state.json");
	put(p, "old\n", 0600);
	static char big[8192];
	memset(big, 'x', sizeof(big) - 1);

	cr_expect_eq(child_write(p, big, false, true), 0, "a write past RLIMIT_FSIZE succeeded");
	char *got = slurp(p);
	cr_expect_str_eq(got, "old\n");
	free(got);
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "state.json", "left behind: %s", names);

	cr_assert_eq(chmod(dir, 0500), 0);
	cr_expect_eq(child_write(p, "new\n", true, false), 0,
		     "a write into a read-only directory succeeded");
	cr_assert_eq(chmod(dir, 0700), 0);
	got = slurp(p);
	cr_expect_str_eq(got, "old\n");
	free(got);
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "state.json", "left behind: %s", names);
}

Test(statefile, failed_rename_leaves_no_temp_file)
{
	/* The target is a directory: the rename fails, after the temp file
	 * was written. */
	char p[128], names[256];
	in_dir(p, sizeof(p), "state.json");
	cr_assert_eq(mkdir(p, 0700), 0);
	char inside[160];
	snprintf(inside, sizeof(inside), "%s/keep", p);
	put(inside, "k", 0600);
	struct vl_err err;
	cr_expect_lt(write_atomic(p, "new\n", &err), 0);
	cr_expect(S_ISDIR(mode_of(p)));
	listing(names, sizeof(names));
	cr_expect_str_eq(names, "state.json", "left behind: %s", names);
}

Test(statefile, readers_see_old_or_new_never_half)
{
	/* Two large contents, rewritten in turn while a reader keeps
	 * reading: every read must be one of them, whole. */
	enum { A = 300000, B = 200000 };
	static char a[A + 1], b[B + 1];
	memset(a, 'a', A);
	memset(b, 'b', B);
	char p[128];
	in_dir(p, sizeof(p), "state.json");
	struct vl_err err;
	cr_assert_eq(write_atomic(p, a, &err), 0, "%s", err.msg);
	pid_t reader = fork();
	if (reader == 0) {
		int bad = 0;
		for (int i = 0; i < 3000 && bad < 100; i++) {
			char *got = slurp(p);
			if (!got || (strcmp(got, a) && strcmp(got, b)))
				bad++;
			free(got);
		}
		_exit(bad);
	}
	int st = 0, writes = 0;
	while (waitpid(reader, &st, WNOHANG) == 0) {
		cr_assert_eq(write_atomic(p, writes++ % 2 ? a : b, &err), 0, "%s", err.msg);
	}
	cr_assert(WIFEXITED(st));
	cr_expect_eq(WEXITSTATUS(st), 0, "%d reads saw a missing or partial file (%d writes)",
		     WEXITSTATUS(st), writes);
	cr_expect_gt(writes, 10, "the reader finished before the writer got going");
}

/* ---- state.json -------------------------------------------------------------------- */

static const char *topo_yaml =
	"name: st\n"
	"nodes:\n"
	"  a:\n"
	"    hostname: alpha\n"
	"    ifaces:\n"
	"      eth0: { addrs: [10.0.0.1/24, 'fd00::1/64'], mac: '02:0a:0b:0c:0d:0e', mtu: 1400 }\n"
	"      eth1: { addrs: [10.1.0.1/24] }\n"
	"    routes: [ { to: default, via: 10.0.0.2 } ]\n"
	"  b:\n"
	"    forwarding: true\n"
	"    ifaces: { eth0: { addrs: [10.0.0.2/24] } }\n"
	"  c:\n"
	"    ifaces: { eth0: { addrs: [10.1.0.2/24] } }\n"
	"links:\n"
	"  - endpoints: [a:eth0, b:eth0]\n"
	"    impl: userspace\n"
	"    delay: 10ms\n"
	"    upstream: { loss: 1% }\n"
	"  - [a:eth1, c:eth0]\n";

static struct json_object *get(struct json_object *o, const char *path)
{
	/* "nodes.0.ifaces.1.hook" */
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *w = strtok_r(buf, ".", &save); w && o; w = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(w));
		else if (!json_object_object_get_ex(o, w, &o))
			return NULL;
	}
	return o;
}

static const char *str(struct json_object *o, const char *path)
{
	struct json_object *v = get(o, path);
	return v ? json_object_get_string(v) : "(absent)";
}

static struct json_object *write_and_read(const char *backend, enum vl_mode mode,
					  bool netns_links, bool second_down)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	cr_assert_eq(vl_topo_load_buffer("st.yaml", topo_yaml, strlen(topo_yaml), &t, &err), 0,
		     "%s", err.msg);
	struct vl_plan pl;
	cr_assert_eq(vl_plan_build(t, NULL, &pl, &err), 0, "%s", err.msg);
	struct vl_link_live live[2];
	for (size_t l = 0; l < 2; l++)
		live[l] = (struct vl_link_live){
			.dir = {t->links[l].dir[0], t->links[l].dir[1]},
			.kernel_set = {pl.links[l].kernel_set[0], pl.links[l].kernel_set[1]},
			.pipe_set = {pl.links[l].pipe_set[0], pl.links[l].pipe_set[1]}};
	live[1].down = second_down;
	struct vl_up_opts o = {.netns_links = netns_links, .mode = mode, .backend = backend};
	char p[128];
	in_dir(p, sizeof(p), "state.json");
	cr_assert_eq(vl_statefile_write(p, &pl, live, &o, &err), 0, "%s", err.msg);
	cr_expect_eq(mode_of(p) & 07777, 0600);
	struct json_object *st = vl_statefile_read(p, &err);
	cr_assert_not_null(st, "%s", err.msg);
	/* A link's entry is what vl_statefile_link renders. */
	for (size_t l = 0; l < 2; l++) {
		struct json_object *one = vl_statefile_link(&pl, l, &live[l]);
		struct json_object *links = json_object_object_get(st, "links");
		cr_expect(json_object_equal(one, json_object_array_get_idx(links, l)), "link %zu",
			  l);
		json_object_put(one);
	}
	vl_plan_free(&pl);
	vl_topo_free(t);
	return st;
}

Test(statefile, state_json_round_trip)
{
	time_t before = time(NULL);
	struct json_object *st = write_and_read(NULL, VL_MODE_ROOTLESS, true, true);
	cr_expect_str_eq(str(st, "name"), "st");
	cr_expect_str_eq(str(st, "file"), "st.yaml");
	cr_expect_str_eq(str(st, "backend"), "linux");
	cr_expect_str_eq(str(st, "mode"), "rootless");
	cr_expect_eq(json_object_get_int(get(st, "keeper_pid")), getpid());
	struct tm tm = {0};
	const char *created = str(st, "created");
	const char *end = strptime(created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cr_expect(end && !*end, "created: %s", created);
	time_t c = timegm(&tm);
	cr_expect(c >= before - 1 && c <= time(NULL) + 1, "created %s is not now", created);

	cr_assert_eq(json_object_array_length(get(st, "nodes")), 3);
	cr_expect_str_eq(str(st, "nodes.0.name"), "a");
	cr_expect_str_eq(str(st, "nodes.0.kind"), "vnet");
	cr_expect_str_eq(str(st, "nodes.0.hostname"), "alpha");
	cr_expect_str_eq(str(st, "nodes.0.netns"), "st.a");
	cr_expect_str_eq(str(st, "nodes.0.ifaces.0.hook"), "eth0");
	cr_expect_str_eq(str(st, "nodes.0.ifaces.0.mac"), "02:0a:0b:0c:0d:0e");
	cr_expect_eq(json_object_get_int(get(st, "nodes.0.ifaces.0.mtu")), 1400);
	cr_expect_str_eq(str(st, "nodes.0.ifaces.0.addrs.0"), "10.0.0.1/24");
	cr_expect_str_eq(str(st, "nodes.0.ifaces.0.addrs.1"), "fd00::1/64");
	cr_expect_str_eq(str(st, "nodes.0.ifaces.0.peer"), "b:eth0");
	cr_expect_str_eq(str(st, "nodes.0.ifaces.1.peer"), "c:eth0");
	cr_expect_null(get(st, "nodes.0.ifaces.1.mac"), "no mac given, none written");
	cr_expect_str_eq(str(st, "nodes.0.routes.0.to"), "default");
	cr_expect_str_eq(str(st, "nodes.0.routes.0.via"), "10.0.0.2");
	cr_expect(json_object_get_boolean(get(st, "nodes.1.forwarding")));
	cr_expect_str_eq(str(st, "nodes.2.ifaces.0.peer"), "a:eth1");

	cr_assert_eq(json_object_array_length(get(st, "links")), 2);
	cr_expect_str_eq(str(st, "links.0.endpoints.0"), "a:eth0");
	cr_expect_str_eq(str(st, "links.0.endpoints.1"), "b:eth0");
	cr_expect_str_eq(str(st, "links.0.state"), "up");
	cr_expect(json_object_get_boolean(get(st, "links.0.pipe")));
	cr_expect_str_eq(str(st, "links.0.impl"), "userspace");
	cr_expect_str_eq(str(st, "links.0.downstream.delay.value"), "10ms");
	cr_expect_str_eq(str(st, "links.0.downstream.delay.by"), "pipe");
	cr_expect_str_eq(str(st, "links.0.upstream.delay.value"), "10ms");
	cr_expect_str_eq(str(st, "links.0.upstream.loss.value"), "1%");
	cr_expect_null(get(st, "links.0.downstream.loss"), "loss is upstream only");
	cr_expect_str_eq(str(st, "links.1.state"), "down");
	cr_expect(!json_object_get_boolean(get(st, "links.1.pipe")));
	cr_expect_eq(json_object_object_length(get(st, "links.1.downstream")), 0);
	json_object_put(st);
}

Test(statefile, freebsd_lab_has_no_keeper_and_no_netns)
{
	struct json_object *st = write_and_read("freebsd", VL_MODE_ROOT, false, false);
	cr_expect_str_eq(str(st, "backend"), "freebsd");
	cr_expect_str_eq(str(st, "mode"), "root");
	struct json_object *v = (struct json_object *)1;
	cr_expect(json_object_object_get_ex(st, "keeper_pid", &v), "keeper_pid is there");
	cr_expect_null(v, "as null");
	v = (struct json_object *)1;
	cr_expect(json_object_object_get_ex(get(st, "nodes.0"), "netns", &v));
	cr_expect_null(v, "no /run/netns link: netns null");
	json_object_put(st);
}

Test(statefile, read_refuses_missing_and_garbage)
{
	char p[128];
	in_dir(p, sizeof(p), "state.json");
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_null(vl_statefile_read(p, &err));
	cr_expect(strstr(err.msg, p), "%s", err.msg);
	put(p, "{\"name\": \"half", 0600);
	vl_err_init(&err);
	cr_expect_null(vl_statefile_read(p, &err));
	cr_expect(strstr(err.msg, "cannot read lab state"), "%s", err.msg);
}
