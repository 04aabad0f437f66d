/* SPDX-License-Identifier: BSD-2-Clause */
/* remote.h: the ssh argv (vnetlab's options before the host's, "--"
 * before the destination, every remote word quoted for the remote
 * shell), the quoting itself, and a run through a stand-in for ssh. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/remote.h"

Test(remote, quoting_survives_a_shell)
{
	const char *words[] = {"plain", "it's", "$HOME", "a b", "`id`", "\\", "'", "", NULL};
	for (size_t i = 0; words[i]; i++) {
		char *q = vl_shell_quote(words[i]);
		cr_assert_not_null(q);
		/* what sh makes of it is the word itself */
		char cmd[512];
		snprintf(cmd, sizeof(cmd), "printf %%s %s", q);
		FILE *f = popen(cmd, "r"); /* the test's own fixed words, to check a shell */
		cr_assert_not_null(f);
		char got[256] = "";
		size_t n = fread(got, 1, sizeof(got) - 1, f);
		got[n] = '\0';
		pclose(f);
		cr_expect_str_eq(got, words[i], "quoted as %s", q);
		free(q);
	}
}

Test(remote, argv_order)
{
	const char *opts[] = {"-i", "key", "-o", "BatchMode=no"};
	const char *cmdw[] = {"/opt/v/vnetlab", "--x"};
	struct vl_remote_host h = {"h2", "-oProxyCommand=evil", opts, 4, cmdw, 2};
	const char *args[] = {"up", "-", "--name", "lab's", NULL};
	char **a = vl_remote_argv(&h, "/run/ctl", args, false);
	cr_assert_not_null(a);
	size_t n = 0, dd = 0, batch = 0, hostopt = 0;
	while (a[n]) {
		if (!strcmp(a[n], "--"))
			dd = n;
		if (!strcmp(a[n], "BatchMode=yes"))
			batch = n;
		if (!strcmp(a[n], "BatchMode=no"))
			hostopt = n;
		n++;
	}
	cr_expect_str_eq(a[0], "ssh");
	cr_expect(batch && hostopt && batch < hostopt, "vnetlab's BatchMode first");
	cr_expect(dd > 0 && !strcmp(a[dd + 1], "-oProxyCommand=evil"),
		  "the destination comes after --");
	cr_expect_str_eq(a[dd + 2], "'/opt/v/vnetlab'");
	cr_expect_str_eq(a[n - 1], "'lab'\\''s'");
	bool ctl = false;
	for (size_t i = 0; i < n; i++)
		ctl |= !strcmp(a[i], "ControlPath=/run/ctl/%C");
	cr_expect(ctl);
	vl_remote_argv_free(a);
}

/* A stand-in `ssh` on PATH that runs its last words with sh, as sshd
 * hands them to the user's shell: the words, stdin, exit status and
 * stderr come back as they left. */
Test(remote, run_through_a_stand_in)
{
	char dir[] = "/tmp/vnetlab-remote-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/ssh", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	/* skip to the destination after "--", then hand the rest to sh */
	fputs("#!/bin/sh\nwhile [ \"$1\" != -- ]; do shift; done; shift 2\nexec sh -c \"$*\"\n", f);
	fclose(f);
	chmod(path, 0755);
	const char *old = getenv("PATH");
	char np[4096];
	snprintf(np, sizeof(np), "%s:%s", dir, old ? old : "/usr/bin:/bin");
	setenv("PATH", np, 1);
	const char *cmdw[] = {"sh", "-c", "cat; echo \"[$1]\"; echo oops >&2; exit 3", "x"};
	struct vl_remote_host h = {"h1", "me@there", NULL, 0, cmdw, 4};
	const char *args[] = {"it's a word", NULL};
	struct vl_remote_result r;
	struct vl_err err;
	vl_err_init(&err);
	int rc = vl_remote_run(&h, dir, args, "in\n", 3, 5000, &r, &err);
	cr_assert_eq(rc, 0, "%s", err.msg);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.out, "in\n[it's a word]\n");
	cr_expect_str_eq(r.errout, "oops\n");
	vl_remote_result_free(&r);
	/* a remote that never answers is cut off */
	const char *slow[] = {"sleep", "30"};
	struct vl_remote_host hs = {"h1", "me@there", NULL, 0, slow, 2};
	rc = vl_remote_run(&hs, dir, NULL, NULL, 0, 300, &r, &err);
	cr_expect_lt(rc, 0);
	cr_expect(r.timed_out);
	cr_expect(strstr(err.msg, "host h1 (me@there): no answer within") != NULL, "%s", err.msg);
	vl_remote_result_free(&r);
	setenv("PATH", old ? old : "/usr/bin:/bin", 1);
	unlink(path);
	rmdir(dir);
}
