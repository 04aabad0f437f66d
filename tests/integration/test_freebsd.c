/* SPDX-License-Identifier: BSD-2-Clause */
/* The FreeBSD backend against recording stand-ins for jail, jexec, ngctl,
 * ifconfig and what builds a jail's root (mount, umount, mkdir, rmdir,
 * touch, cp, dd, rm, chown: tests/freebsd/standin.sh, first on PATH):
 * `up` and `down` of every shipped topology issue exactly its golden plan
 * (tests/golden/NAME.freebsd), a jail's view is mounted before the jail is
 * made and unmounted, innermost first, after it is gone, and a stand-in
 * failing at step K makes `up` undo steps K-1..1, newest first, and leave
 * no lab behind.  Needs no privilege: nothing but the stand-ins runs. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define MAX_CMDS 1024

/* A plan or transcript cut into commands (a heredoc is one command). */
struct cmds {
	char *c[MAX_CMDS];
	int undoes[MAX_CMDS]; /* step a teardown command undoes; 0 in `up` */
	size_t n, n_up;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return strdup("");
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strdup(buf);
}

static void split(const char *text, struct cmds *out)
{
	memset(out, 0, sizeof(*out));
	bool down = false;
	for (const char *p = text; *p && out->n < MAX_CMDS;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		if (*p == '#') {
			down = down || strstr(p, "what `vnetlab down` runs") == p + 2;
			p += len;
			continue;
		}
		/* A heredoc runs to its delimiter's line (EOF, EOF_, ...). */
		const char *here = memmem(p, len, "<<'", 3);
		if (here) {
			char delim[24];
			size_t dl = strcspn(here + 3, "'\n");
			snprintf(delim, sizeof(delim), "\n%.*s\n", (int)(dl < 20 ? dl : 20), here + 3);
			const char *end = strstr(p, delim);
			len = end ? (size_t)(end - p) + strlen(delim) : strlen(p);
		}
		char *c = strndup(p, len);
		char *note = strstr(c, "  # undoes ");
		if (note) {
			out->undoes[out->n] = atoi(note + 11);
			memmove(note, strchr(note, '\n'), strlen(strchr(note, '\n')) + 1);
		}
		out->c[out->n++] = c;
		if (!down)
			out->n_up = out->n;
		p += len;
	}
}

static void free_cmds(struct cmds *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->c[i]);
}

static char standins[64], transcript[96], fstate[96];

/* Every command the backend runs, each a stand-in. */
static const char *const names[] = {"jail", "jexec", "ngctl", "ifconfig", "mount",
				    "umount", "mkdir", "rmdir", "touch", "cp",
				    "dd", "rm", "chown"};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static void make_standins(void)
{
	snprintf(standins, sizeof(standins), "/tmp/vnetlab-standins-XXXXXX");
	cr_assert_not_null(mkdtemp(standins));
	char src[512];
	const char *topo = getenv("TOPOLOGIES");
	snprintf(src, sizeof(src), "%s/../tests/freebsd/standin.sh", topo ? topo : "topologies");
	char *abs = realpath(src, NULL);
	cr_assert_not_null(abs, "%s", src);
	for (size_t i = 0; i < N_NAMES; i++) {
		char l[128];
		snprintf(l, sizeof(l), "%s/%s", standins, names[i]);
		cr_assert_eq(symlink(abs, l), 0);
	}
	free(abs);
	snprintf(transcript, sizeof(transcript), "%s/transcript", standins);
	/* A state directory of this test's own: lab names here are the
	 * topologies' (they are in the golden plans), so two tests running
	 * at once must not share one. */
	snprintf(fstate, sizeof(fstate), "%s/state", standins);
	cr_assert_eq(mkdir(fstate, 0700), 0);
}

/* Nothing of lab l remains in this test's state directory. */
static void gone(const char *l)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", fstate, l);
	cr_expect_neq(stat(p, &st), 0, "state directory %s left behind", p);
}

static void clear_transcript(void)
{
	char calls[128];
	snprintf(calls, sizeof(calls), "%s.calls", transcript);
	unlink(transcript);
	unlink(calls);
}

/* Everything make_standins() made, gone (the test's own files). */
static void remove_standins(void)
{
	char p[160];
	for (size_t i = 0; i < N_NAMES; i++) {
		snprintf(p, sizeof(p), "%s/%s", standins, names[i]);
		unlink(p);
	}
	clear_transcript();
	cr_expect_eq(rmdir(fstate), 0, "labs left in %s", fstate);
	cr_expect_eq(rmdir(standins), 0, "%s not empty", standins);
}

/* Run vnetlab with the stand-ins first on PATH. */
static int vn(const char *const argv[], int fail_at, char *out, size_t len)
{
	char path[1024], tr[160], fail[48], st[128];
	snprintf(path, sizeof(path), "PATH=%s:%s", standins, getenv("PATH"));
	snprintf(st, sizeof(st), "VNETLAB_STATE_DIR=%s", fstate);
	snprintf(tr, sizeof(tr), "VNETLAB_TRANSCRIPT=%s", transcript);
	snprintf(fail, sizeof(fail), "VNETLAB_STANDIN_FAIL=%d", fail_at);
	struct runopt o = {.env = {path, tr, fail, st, NULL}};
	return runx(argv, &o, out, len);
}

static void golden(const char *name, struct cmds *g)
{
	char path[512];
	const char *topo = getenv("TOPOLOGIES");
	snprintf(path, sizeof(path), "%s/../tests/golden/%s.freebsd", topo ? topo : "topologies",
		 name);
	char *s = slurp(path);
	split(s, g);
	free(s);
	cr_assert_gt(g->n_up, 3, "%s: no plan", path);
}

static void topo_path(const char *name, char *buf, size_t len)
{
	const char *topo = getenv("TOPOLOGIES");
	snprintf(buf, len, "%s/%s.yaml", topo ? topo : "topologies", name);
}

/* The lab name of a shipped topology is its file's `name:`. */
static void lab_name(const struct cmds *g, char *buf, size_t len)
{
	const char *s = strstr(g->c[0], "name=");
	cr_assert_not_null(s);
	snprintf(buf, len, "%.*s", (int)strcspn(s + 5, " \n"), s + 5);
}

static void expect_transcript(const struct cmds *want, size_t n, const char *what)
{
	char *s = slurp(transcript);
	struct cmds got;
	split(s, &got);
	free(s);
	cr_expect_eq(got.n, n, "%s: %zu commands, want %zu", what, got.n, n);
	for (size_t i = 0; i < n && i < got.n; i++)
		cr_expect_str_eq(got.c[i], want->c[i], "%s: command %zu", what, i + 1);
	free_cmds(&got);
}

static void each_topology(void (*fn)(const char *name))
{
	const char *topo = getenv("TOPOLOGIES");
	DIR *d = opendir(topo ? topo : "topologies");
	cr_assert_not_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(l - 5), e->d_name);
			fn(name);
		}
	}
	closedir(d);
}

/* The golden text of a lab the backend refuses: "# refused:" and the
 * refusal (scripts/golden.sh).  NULL for any other lab. */
static char *refusal(const char *name)
{
	char path[512];
	const char *topo = getenv("TOPOLOGIES");
	snprintf(path, sizeof(path), "%s/../tests/golden/%s.freebsd", topo ? topo : "topologies",
		 name);
	char *s = slurp(path);
	if (strncmp(s, "# refused:\n", 11) == 0)
		return s;
	free(s);
	return NULL;
}

/* `up` of it fails with that refusal and runs no command at all. */
static void is_refused(const char *name, const char *golden_text)
{
	char file[512], out[8192], first[512];
	topo_path(name, file, sizeof(file));
	clear_transcript();
	const char *up[] = {bin(), "up", file, "--backend", "freebsd", "--quiet", NULL};
	cr_expect_eq(vn(up, 0, out, sizeof(out)), 1, "%s: %s", name, out);
	const char *l = golden_text + 11;
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(l, "\n"), l);
	cr_expect(strstr(out, first), "%s: wanted '%s' in: %s", name, first, out);
	struct stat st;
	cr_expect(stat(transcript, &st) < 0 || st.st_size == 0,
		  "%s: a refused lab ran commands", name);
}

static void up_down_is_golden(const char *name)
{
	char *refused = refusal(name);
	if (refused) {
		is_refused(name, refused);
		free(refused);
		return;
	}
	struct cmds g;
	golden(name, &g);
	char file[512], lab[64], out[8192];
	topo_path(name, file, sizeof(file));
	lab_name(&g, lab, sizeof(lab));
	clear_transcript();
	const char *up[] = {bin(), "up", file, "--backend", "freebsd", "--quiet", NULL};
	cr_assert_eq(vn(up, 0, out, sizeof(out)), 0, "%s: %s", name, out);
	const char *down[] = {bin(), "down", lab, NULL};
	cr_assert_eq(vn(down, 0, out, sizeof(out)), 0, "%s: %s", name, out);
	expect_transcript(&g, g.n, name);
	gone(lab);
	free_cmds(&g);
}

Test(freebsd, up_and_down_issue_the_golden_plan)
{
	make_standins();
	each_topology(up_down_is_golden);
	remove_standins();
}

/* Fail every step of `up` in turn: what ran is steps 1..K, then exactly
 * the undo of those before K, newest first; nothing of the lab remains. */
static void fault_walk(const char *name)
{
	struct cmds g;
	golden(name, &g);
	char file[512], lab[64], out[8192];
	topo_path(name, file, sizeof(file));
	lab_name(&g, lab, sizeof(lab));
	const char *up[] = {bin(), "up", file, "--backend", "freebsd", "--quiet", NULL};
	for (size_t k = 1; k <= g.n_up; k++) {
		clear_transcript();
		cr_assert_neq(vn(up, (int)k, out, sizeof(out)), 0, "%s: step %zu failed, up "
			      "succeeded", name, k);
		struct cmds want = {0};
		for (size_t i = 0; i < k; i++)
			want.c[want.n++] = g.c[i];
		for (size_t i = g.n_up; i < g.n; i++)
			if ((size_t)g.undoes[i] < k)
				want.c[want.n++] = g.c[i];
		char what[96];
		snprintf(what, sizeof(what), "%s failing at step %zu", name, k);
		expect_transcript(&want, want.n, what);
		gone(lab);
	}
	free_cmds(&g);
}

Test(freebsd, a_failing_step_undoes_the_steps_before_it, .timeout = 240)
{
	make_standins();
	fault_walk("demo");
	fault_walk("tap");   /* a tee, a pipe node, routes */
	fault_walk("views"); /* binds, files and private directories */
	remove_standins();
}

/* The command of got that starts with prefix (its first line), after
 * command from; its index. */
static size_t find(const struct cmds *got, size_t from, const char *prefix)
{
	for (size_t i = from; i < got->n; i++)
		if (!strncmp(got->c[i], prefix, strlen(prefix)))
			return i;
	cr_assert_fail("no command '%s' after command %zu", prefix, from + 1);
	return 0;
}

/* Each prefix found, in this order. */
static void in_order(const struct cmds *got, const char *const *prefix)
{
	size_t at = 0;
	for (size_t i = 0; prefix[i]; i++)
		at = find(got, at, prefix[i]) + 1;
}

#define R1 "/var/run/vnetlab/views.n1"
#define R2 "/var/run/vnetlab/views.n2"

/* views.yaml's n1: a private /mnt with a file written in it and the host's
 * /etc bound read-only in it, and /etc/hosts written beside the root and
 * mounted on the host's; n2 a file bound onto a file.  Each is mounted in
 * order before its jail is made; `down` removes the jail, then unmounts
 * what is on top first, then the root, then its directories. */
Test(freebsd, a_jails_view_is_mounted_and_unmounted_in_order, .timeout = 60)
{
	make_standins();
	char file[512], out[8192];
	topo_path("views", file, sizeof(file));
	clear_transcript();
	const char *up[] = {bin(), "up", file, "--backend", "freebsd", "--quiet", NULL};
	cr_assert_eq(vn(up, 0, out, sizeof(out)), 0, "%s", out);
	char *s = slurp(transcript);
	struct cmds got;
	split(s, &got);
	free(s);
	size_t d = got.n; /* where `down` starts */
	free_cmds(&got);
	const char *down[] = {bin(), "down", "views", NULL};
	cr_assert_eq(vn(down, 0, out, sizeof(out)), 0, "%s", out);
	s = slurp(transcript);
	split(s, &got);
	free(s);
	static const char *const n1_up[] = {
		"mkdir -m 0700 " R1 "\n",
		"mkdir " R1 "/root\n",
		"mount -t nullfs / " R1 "/root\n",
		"mount -t devfs devfs " R1 "/root/dev\n",
		"mount -t tmpfs -o nosuid,size=64m,mode=755 tmpfs " R1 "/root/mnt\n",
		"mount -t tmpfs -o nosuid,size=64m,mode=1777 tmpfs " R1 "/root/tmp\n",
		"mount -t tmpfs -o nosuid,size=64m,mode=755 tmpfs " R1 "/root/var/run\n",
		"cp /var/run/ld-elf.so.hints " R1 "/root/var/run/ld-elf.so.hints\n",
		"dd of=" R1 "/f5 status=none <<'EOF'\n127.0.0.1 localhost\n",
		"mount -t nullfs " R1 "/f5 " R1 "/root/etc/hosts\n",
		"mkdir -p " R1 "/root/mnt/host-etc\n",
		"mount -t nullfs -o ro /etc " R1 "/root/mnt/host-etc\n",
		"mkdir -p " R1 "/root/mnt/www\n",
		"dd of=" R1 "/root/mnt/www/index.html status=none <<'EOF'\n<p>hello from n1</p>\nEOF\n",
		"jail -c name=views.n1 host.hostname=n1 path=" R1 "/root vnet persist",
		NULL};
	in_order(&got, n1_up);
	static const char *const n2_up[] = {
		"mount -t tmpfs -o nosuid,size=64m,mode=755 tmpfs " R2 "/root/mnt\n",
		"touch " R2 "/root/mnt/hosts.host\n",
		"mount -t nullfs -o ro /etc/hosts " R2 "/root/mnt/hosts.host\n",
		"dd of=" R2 "/root/mnt/motd status=none <<'EOF'  # no newline at the end\n"
		"n2: only /tmp and /mnt are its own\nEOF\n",
		"jail -c name=views.n2 ",
		NULL};
	in_order(&got, n2_up);
	/* n2 has no private /var/run: nothing of the host's is copied for it. */
	for (size_t i = 0; i < got.n; i++)
		cr_expect_null(strstr(got.c[i], R2 "/root/var/run"), "%s", got.c[i]);
	static const char *const n1_down[] = {
		"jail -r views.n1\n",
		"umount -f " R1 "/root/mnt/host-etc\n",
		"umount -f " R1 "/root/etc/hosts\n",
		"rm -f " R1 "/f5\n",
		"umount -f " R1 "/root/var/run\n",
		"umount -f " R1 "/root/mnt\n",
		"umount -f " R1 "/root/dev\n",
		"umount -f " R1 "/root\n",
		"rmdir " R1 "/root\n",
		"rmdir " R1 "\n",
		"jail -r views\n",
		NULL};
	cr_expect_gt(find(&got, d, n1_down[0]), find(&got, d, "jail -r views.n2\n"));
	size_t at = d;
	for (size_t i = 0; n1_down[i]; i++)
		at = find(&got, at, n1_down[i]) + 1;
	cr_expect_eq(at, got.n, "the lab's jail goes last");
	free_cmds(&got);
	gone("views");
	remove_standins();
}

/* Whatever a file holds (a line that is the heredoc's delimiter, no last
 * newline, nothing at all, quotes and shell words), the plan shows exactly
 * what `up` and `down` run: the stand-in reads dd's input as the backend
 * wrote it and records it as the plan prints it. */
Test(freebsd, the_plan_is_what_runs_whatever_a_file_holds, .timeout = 60)
{
	make_standins();
	char file[160], out[8192];
	snprintf(file, sizeof(file), "%s/odd.yaml", standins);
	FILE *f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs("name: odd\nnodes:\n  a:\n    private: [/tmp]\n    files:\n"
	      "      /tmp/eof: \"EOF\\nEOF_\\n\"\n"
	      "      /tmp/bare: \"no newline\"\n"
	      "      /tmp/empty: \"\"\n"
	      "      /tmp/quote: \"it's $HOME `x` \\\\ done\\n\"\n"
	      "      /etc/hosts: \"127.0.0.1 localhost\\n\"\n", f);
	fclose(f);
	static char plan[1 << 16];
	const char *p[] = {bin(), "plan", file, "--backend", "freebsd", NULL};
	cr_assert_eq(vn(p, 0, plan, sizeof(plan)), 0, "%s", plan);
	cr_assert_not_null(strstr(plan, "<<'EOF__'\nEOF\nEOF_\nEOF__\n"), "%s", plan);
	clear_transcript();
	const char *up[] = {bin(), "up", file, "--backend", "freebsd", "--quiet", NULL};
	cr_assert_eq(vn(up, 0, out, sizeof(out)), 0, "%s", out);
	const char *down[] = {bin(), "down", "odd", NULL};
	cr_assert_eq(vn(down, 0, out, sizeof(out)), 0, "%s", out);
	struct cmds want;
	split(plan, &want);
	expect_transcript(&want, want.n, "odd.yaml");
	free_cmds(&want);
	gone("odd");
	unlink(file);
	remove_standins();
}
