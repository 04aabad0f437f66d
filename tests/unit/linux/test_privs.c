/* SPDX-License-Identifier: BSD-2-Clause */
/* privs: the mode from the effective capabilities (not the uid), the
 * initial user namespace, and the descriptor limit. */
#include <criterion/criterion.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vnetlab/privs.h"

Test(privs, mode_is_a_function_of_two_caps)
{
	cr_expect_eq(vl_mode_from_caps(true, true), VL_MODE_ROOT);
	cr_expect_eq(vl_mode_from_caps(true, false), VL_MODE_ROOTLESS, "no CAP_NET_ADMIN");
	cr_expect_eq(vl_mode_from_caps(false, true), VL_MODE_ROOTLESS, "no CAP_SYS_ADMIN");
	cr_expect_eq(vl_mode_from_caps(false, false), VL_MODE_ROOTLESS);
	cr_expect_str_eq(vl_mode_name(VL_MODE_ROOT), "root");
	cr_expect_str_eq(vl_mode_name(VL_MODE_ROOTLESS), "rootless");
}

Test(privs, mode_follows_this_process_caps)
{
	enum vl_mode m = vl_mode_from_caps(vl_privs_has(CAP_SYS_ADMIN), vl_privs_has(CAP_NET_ADMIN));
	cr_expect_eq(vl_privs_mode(), m);
	cr_expect_eq(vl_privs_root_mode(), m == VL_MODE_ROOT);
}

/* Drop cap from the effective set of this process; false if it could not. */
static bool drop_effective(cap_value_t cap)
{
	cap_t c = cap_get_proc();
	bool ok = c && cap_set_flag(c, CAP_EFFECTIVE, 1, &cap, CAP_CLEAR) == 0 &&
		  cap_set_proc(c) == 0;
	if (c)
		cap_free(c);
	return ok;
}

/* In a child: uid 0 with one capability dropped is rootless (the header's
 * "a root shell with capabilities dropped is told the truth"). */
static int mode_without(cap_value_t cap)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (!drop_effective(cap))
			_exit(3);
		if (geteuid() != 0 || vl_privs_has((int)cap))
			_exit(4);
		_exit(vl_privs_mode() == VL_MODE_ROOTLESS ? 0 : 5);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

Test(privs, root_without_a_cap_is_rootless)
{
	if (geteuid() != 0 || vl_privs_mode() != VL_MODE_ROOT)
		cr_skip_test("needs uid 0 with CAP_SYS_ADMIN and CAP_NET_ADMIN (here: "
			     "mode_is_a_function_of_two_caps covers the decision)");
	cr_expect_eq(mode_without(CAP_NET_ADMIN), 0, "uid 0 without CAP_NET_ADMIN");
	cr_expect_eq(mode_without(CAP_SYS_ADMIN), 0, "uid 0 without CAP_SYS_ADMIN");
}

Test(privs, initial_user_namespace)
{
	/* Here: the identity map over all uids means the host's namespace. */
	char map[256] = "";
	FILE *f = fopen("/proc/self/uid_map", "re");
	cr_assert_not_null(f);
	size_t n = fread(map, 1, sizeof(map) - 1, f);
	fclose(f);
	map[n] = '\0';
	unsigned long a, b, c;
	int lines = 0;
	for (const char *p = map; *p; p++)
		lines += *p == '\n';
	bool identity = sscanf(map, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 &&
			c == 4294967295UL && lines == 1;
	cr_expect_eq(vl_privs_initial_userns(), identity, "uid_map: %s", map);

	/* In a user namespace of its own (unmapped, or mapped one uid) a
	 * process is not in the initial one. */
	unsigned me = (unsigned)geteuid(); /* unmapped, it reads as 65534 */
	pid_t pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(2);
		if (vl_privs_initial_userns())
			_exit(1); /* unmapped */
		char one[64];
		snprintf(one, sizeof(one), "0 %u 1\n", me);
		FILE *m = fopen("/proc/self/uid_map", "we");
		if (!m || fputs(one, m) < 0 || fclose(m) != 0)
			_exit(3);
		_exit(vl_privs_initial_userns() ? 1 : 0);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	if (WEXITSTATUS(st) == 2)
		cr_skip_test("user namespaces not allowed here");
	cr_expect_neq(WEXITSTATUS(st), 3, "could not map uid %u in the child", me);
	cr_expect_eq(WEXITSTATUS(st), 0, "a fresh user namespace taken for the initial one");
}

Test(privs, raise_nofile)
{
	/* A soft limit below want rises to want, within the hard limit. */
	struct rlimit r = {256, 2048};
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &r), 0);
	vl_privs_raise_nofile(1000);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &r), 0);
	cr_expect_eq(r.rlim_cur, 1000);
	cr_expect_eq(r.rlim_max, 2048);
	/* Never lowered. */
	vl_privs_raise_nofile(500);
	getrlimit(RLIMIT_NOFILE, &r);
	cr_expect_eq(r.rlim_cur, 1000);
	/* Past the hard limit only with CAP_SYS_RESOURCE; else capped. */
	bool can = vl_privs_has(CAP_SYS_RESOURCE);
	vl_privs_raise_nofile(4096);
	getrlimit(RLIMIT_NOFILE, &r);
	if (can) {
		cr_expect_eq(r.rlim_cur, 4096);
		cr_expect_eq(r.rlim_max, 4096);
	} else {
		cr_expect_eq(r.rlim_cur, 2048);
		cr_expect_eq(r.rlim_max, 2048);
	}
	if (can && drop_effective(CAP_SYS_RESOURCE)) {
		vl_privs_raise_nofile(8192);
		getrlimit(RLIMIT_NOFILE, &r);
		cr_expect_eq(r.rlim_cur, 4096, "without CAP_SYS_RESOURCE: the hard limit");
		cr_expect_eq(r.rlim_max, 4096);
	}
}
