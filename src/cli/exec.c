/* SPDX-License-Identifier: BSD-2-Clause */
/* exec.c — `vnetlab exec [-U USER|--user] LAB NODE -- CMD...`, like jexec(8).
 *
 * This process joins the lab's user namespace (rootless labs), then the
 * node's network and UTS namespaces and the lab's PID namespace (node.h),
 * then runs the command in the node's filesystem view (vl_node_run), so
 * stdin/stdout/stderr and the controlling terminal are simply inherited
 * and the exit status is the command's.  The view is the host's
 * filesystem but for the node's own /tmp, /run, /var/tmp, /var/log and
 * what its file binds or writes, so the caller's other files are where
 * they always are.
 *
 * Who the command runs as: root of the node by default.  --user runs it as
 * the caller (rootless: the uid you had before; as root through sudo:
 * $SUDO_UID), -U NAME as a named user (root mode only).  Rootless, the
 * caller's uid is the only one the lab's user namespace maps, so running
 * as the caller means one more user namespace inside it that maps the
 * caller's uid back onto it: the command is then you, with your files and
 * no capabilities over the lab.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/impair.h"
#include "vnetlab/node.h"

struct who {
	bool as_user;     /* run as someone other than the node's root */
	struct vl_node_user u; /* outside ids of the target user; name for
				* initgroups() in root mode, may be NULL */
};

static int resolve_user(const char *spec, struct who *w, struct vl_err *err)
{
	const char *sudo_uid = getenv("SUDO_UID"), *sudo_gid = getenv("SUDO_GID");
	w->as_user = true;
	if (!spec) {
		/* The caller: the human behind sudo when there is one. */
		w->u.uid = getuid();
		w->u.gid = getgid();
		unsigned long long su, sg;
		if (w->u.uid == 0 && vl_uint_arg(sudo_uid, 0, 4294967294ull, &su) == 0 &&
		    vl_uint_arg(sudo_gid, 0, 4294967294ull, &sg) == 0) {
			w->u.uid = (uid_t)su;
			w->u.gid = (gid_t)sg;
		}
		struct passwd *pw = getpwuid(w->u.uid);
		w->u.name = pw ? pw->pw_name : NULL;
		return 0;
	}
	/* A uid is digits only: "" would be read as 0 (root), "-1" as the
	 * (uid_t)-1 that setresuid takes as "leave it unchanged". */
	if (!*spec)
		return vl_errf(err, "-U needs a user: a name or a uid"), -EINVAL;
	unsigned long long id;
	bool numeric = vl_uint_arg(spec, 0, 4294967294ull, &id) == 0;
	struct passwd *pw = numeric ? getpwuid((uid_t)id) : getpwnam(spec);
	if (!pw && !numeric)
		return vl_errf(err, "no user named '%s'", spec), -ENOENT;
	w->u.uid = pw ? pw->pw_uid : (uid_t)id;
	w->u.gid = pw ? pw->pw_gid : (gid_t)id;
	w->u.name = pw ? pw->pw_name : NULL;
	return 0;
}

/* The command was killed: by the lab going down (its keeper kills every
 * process of the lab), say so, else the session just ends with 137. */
static void say_if_lab_went(void *arg)
{
	const char *lab = arg;
	struct vl_lab_paths p;
	struct vl_err err;
	vl_err_init(&err);
	if (cli_lab(lab, &p, &err) == 0 && vl_lab_phase(&p, NULL) != VL_LAB_RUNNING)
		fprintf(stderr, "vnetlab: lab '%s' was taken down; the command ended with it\n",
			lab);
}

/* The node is on another host: the same exec there, over ssh, with a
 * terminal there when this one has one. */
static int exec_remote(const char *lab, const char *node, const char *spec, bool as_user,
		       char **cmd, int n)
{
	const char **args = calloc((size_t)n + 8, sizeof(*args));
	if (!args)
		return fprintf(stderr, "vnetlab: out of memory\n"), 1;
	size_t k = 0;
	args[k++] = "exec";
	if (as_user)
		args[k++] = spec ? "-U" : "--user";
	if (as_user && spec)
		args[k++] = spec;
	args[k++] = lab;
	args[k++] = node;
	args[k++] = "--";
	for (int i = 0; i < n; i++)
		args[k++] = cmd[i];
	int rc = cli_mh_forward(lab, node, args, isatty(0) && isatty(1));
	free(args);
	return rc;
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{"user", optional_argument, NULL, 'u'},
		{0}};
	const char *spec = NULL;
	bool as_user = false;
	int c;
	/* "+": options end at LAB, so CMD's own options stay CMD's. */
	while ((c = getopt_long(argc, argv, "+U:", opts, NULL)) != -1) {
		switch (c) {
		case 'U': as_user = true; spec = optarg; break;
		case 'u': as_user = true; spec = optarg; break;
		default: return cli_usage("exec");
		}
	}
	if (argc - optind < 2)
		return cli_usage("exec");
	const char *lab = argv[optind], *node = argv[optind + 1];
	int first = optind + 2;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (cli_mh_is(lab))
		return exec_remote(lab, node, spec, as_user, argv + first, argc - first);
	/* An unset or empty SHELL is /bin/sh, as login(1) has it. */
	const char *sh = getenv("SHELL");
	char *shell[] = {sh && *sh ? (char *)sh : "/bin/sh", NULL};
	char **cmd = first < argc ? argv + first : shell;
	struct vl_err err;
	vl_err_init(&err);
	struct who w = {0};
	int rc = as_user ? resolve_user(spec, &w, &err) : 0;
	if (rc == -EINVAL)
		return cli_fail(&err), 2; /* a usage mistake, not the command's status */
	if (rc < 0)
		return cli_fail(&err);
	uid_t me = getuid();
	/* Into the node; the PID namespace is joined last, in run(). */
	struct vl_lab_paths p;
	struct vl_node_entry e;
	if (cli_lab(lab, &p, &err) < 0 ||
	    vl_node_enter(&p, node, VL_ENTER_NET | VL_ENTER_UTS | VL_ENTER_PID | VL_ENTER_MNT, &e,
			  &err) < 0)
		return cli_fail(&err);
	if (w.as_user && e.rootless && w.u.uid != me) {
		close(e.pidns);
		vl_errf(&err, "a rootless lab maps only your own uid (%u); it cannot "
			"run commands as uid %u", (unsigned)me, (unsigned)w.u.uid);
		return cli_fail(&err);
	}
	vl_node_run(cmd, w.as_user ? &w.u : NULL, &e, say_if_lab_went, (void *)lab);
}
