/* SPDX-License-Identifier: BSD-2-Clause */
/* Hygiene: what vnetlab hands to the commands it runs, the modes of what
 * it writes, hostile names, and a lab whose state was removed under it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "residue.h"

/* ls lists its own descriptors: 0, 1, 2, and the one it reads the list
 * through; anything else came from whoever started it. */
static const char *const fd_list[] = {"ls", "-l", "/proc/self/fd", NULL};

static void expect_std_only(const char *who, const char *listing)
{
	int n = 0;
	for (const char *p = strstr(listing, " -> "); p; p = strstr(p + 4, " -> ")) {
		const char *num = p;
		while (num > listing && num[-1] >= '0' && num[-1] <= '9')
			num--;
		int fd = atoi(num);
		const char *end = strchr(p, '\n');
		int tlen = end ? (int)(end - p - 4) : (int)strlen(p + 4);
		n++;
		if (fd <= 2)
			continue;
		/* ls's own directory stream. */
		if (strncmp(p + 4, "/proc/", 6) == 0 && strstr(p + 4, "/fd") &&
		    strstr(p + 4, "/fd") < p + 4 + tlen)
			continue;
		cr_expect_fail("%s inherited descriptor %d -> %.*s", who, fd, tlen, p + 4);
	}
	cr_expect_geq(n, 3, "%s: no listing: %s", who, listing);
}

static const char *fd_yaml =
	"nodes:\n"
	"  a:\n"
	"    ifaces: { eth0: { addrs: [10.9.0.1/24] } }\n"
	"    exec:\n"
	"      - [ls, -l, /proc/self/fd]\n"
	"      - [sh, -c, 'cd -P /proc/self && echo \"self=${PWD#/proc/} pid=$$\"']\n"
	"  b: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
	"links:\n  - { endpoints: [a:eth0, b:eth0], impl: userspace }\n";

/* Commands started by `exec` and by the topology's exec: get stdin,
 * stdout and stderr, nothing else: no namespace fd, control socket,
 * netlink or packet socket of vnetlab's. */
Test(hygiene, commands_inherit_no_descriptors)
{
	need_labs();
	char file[64], l[64], out[8192];
	up_text("fds", fd_yaml, file, l);
	const char *ex[] = {bin(), "exec", l, "a", "--", fd_list[0], fd_list[1], fd_list[2],
			    NULL};
	cr_expect_eq(run(ex, NULL, out, sizeof(out), NULL), 0, "%s", out);
	expect_std_only("a command run by exec", out);
	char log[256];
	snprintf(log, sizeof(log), "%s/%s/logs/a.log", state_dir(), l);
	FILE *f = fopen(log, "r");
	cr_assert_not_null(f, "%s", log);
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	expect_std_only("a startup command", out);
	/* As under exec, a startup command has the lab's own /proc: the
	 * shell finds itself there under the pid it knows as $$. */
	char *self = strstr(out, "self=");
	cr_assert_not_null(self, "%s", out);
	int a = -1, b = -2;
	sscanf(self, "self=%d pid=%d", &a, &b);
	cr_expect_eq(a, b, "a startup command's /proc is not its PID namespace's: %s", self);
	down_text(file, l);
}

static void check_private(const char *path, int *count)
{
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0, "%s", path);
	(*count)++;
	mode_t want = S_ISDIR(st.st_mode) ? 0700 : 0600;
	cr_expect_eq(st.st_mode & 0077, 0, "%s has mode %o; group and others must get "
		     "nothing", path, st.st_mode & 07777);
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISSOCK(st.st_mode))
		return;
	cr_expect_eq(st.st_mode & 0700, want & 0700, "%s mode %o", path, st.st_mode & 07777);
	cr_expect_null(strstr(path, ".tmp"), "%s: a temporary file left behind", path);
	if (!S_ISDIR(st.st_mode))
		return;
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char sub[512];
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		check_private(sub, count);
	}
	if (d)
		closedir(d);
}

/* Everything a lab writes (state.json, logs, lock, control socket, the
 * vimage model) is its owner's alone, whatever the umask. */
Test(hygiene, state_files_are_private)
{
	need_labs();
	struct sysview before;
	sysview_take(&before);
	mode_t old = umask(0);
	char file[64], l[64], dir[256];
	up_text("modes", fd_yaml, file, l);
	snprintf(dir, sizeof(dir), "%s/%s", state_dir(), l);
	int n = 0;
	check_private(dir, &n);
	cr_expect_geq(n, 6, "only %d entries under %s", n, dir);
	down_text(file, l);
	/* The vimage verbs keep a model beside the labs. */
	char out[4096], vlab[64];
	snprintf(vlab, sizeof(vlab), "%s", lab("vim"));
	const char *env = NULL;
	char envbuf[128];
	snprintf(envbuf, sizeof(envbuf), "VNETLAB_VIMAGE_LAB=%s", vlab);
	env = envbuf;
	const char *jail[] = {bin(), "jail", "-c", "name=j1", "vnet", "persist", NULL};
	cr_expect_eq(run(jail, NULL, out, sizeof(out), env), 0, "%s", out);
	DIR *d = opendir(state_dir());
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, vlab))
			continue;
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", state_dir(), e->d_name);
		check_private(p, &n);
	}
	if (d)
		closedir(d);
	const char *rm[] = {bin(), "jail", "-r", "j1", NULL};
	cr_expect_eq(run(rm, NULL, out, sizeof(out), env), 0, "%s", out);
	/* The model's lab (its host node) lives on without jails, as the
	 * compat host does: down removes it and the model. */
	const char *down[] = {bin(), "down", vlab, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_gone(vlab);
	umask(old);
	assert_no_residue(&before, "state files test");
	sysview_free(&before);
}

/* Names that would reach a path or an interface name are refused before
 * anything is made, and the refusal does not echo control bytes raw. */
Test(hygiene, hostile_names_reach_nothing)
{
	need_labs();
	char path[256], out[4096];
	topo("demo", path, sizeof(path));
	struct sysview before;
	sysview_take(&before);
	const char *names[] = {"../x", "a/b", "..", ".hidden", "a\nb", "a\033[2Jb", "-rf",
			       "", "a b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL};
	for (int i = 0; names[i]; i++) {
		const char *up[] = {bin(), "up", path, "--name", names[i], NULL};
		const char *down[] = {bin(), "down", names[i], NULL};
		const char *ex[] = {bin(), "exec", names[i], "n1", "--", "true", NULL};
		const char *const *cmds[] = {up, down, ex};
		for (int c = 0; c < 3; c++) {
			/* "-rf" is an unknown option to getopt: a usage error. */
			int rc = run(cmds[c], NULL, out, sizeof(out), NULL);
			cr_expect(rc == 1 || (names[i][0] == '-' && rc == 2), "%s '%s': exit %d: %s",
				  cmds[c][1], names[i], rc, out);
			cr_expect(strstr(out, "name '") || strstr(out, "usage:"), "%s: %s",
				  cmds[c][1], out);
			for (const char *p = out; *p; p++)
				cr_expect(*p == '\n' || (unsigned char)*p >= 0x20,
					  "raw control byte 0x%02x in: %s", *p, out);
		}
	}
	assert_no_residue(&before, "hostile names");
	sysview_free(&before);
}

/* rm -rf of a running lab's state directory would leave a keeper no
 * `down` or `cleanup` can find; the keeper notices and takes the lab
 * down itself. */
Test(hygiene, removed_state_directory_takes_the_lab_down, .timeout = 30)
{
	need_labs();
	struct sysview before;
	sysview_take(&before);
	char path[256], out[4096], l[64], dir[256];
	topo("demo", path, sizeof(path));
	snprintf(l, sizeof(l), "%s", lab("rmrf"));
	const char *up[] = {bin(), "up", path, "--name", l, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
	snprintf(dir, sizeof(dir), "%s/%s", state_dir(), l);
	const char *rm[] = {"/bin/rm", "-rf", dir, NULL};
	cr_assert_eq(run(rm, NULL, out, sizeof(out), NULL), 0, "%s", out);
	assert_no_residue(&before, "state directory removed");
	sysview_free(&before);
}
