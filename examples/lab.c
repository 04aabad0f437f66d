/* SPDX-License-Identifier: BSD-2-Clause */
/* lab.c — libvnetlab in one page: load a topology, bring the lab up, run a
 * command in one of its nodes, check that every node reaches every other,
 * take the lab down.
 *
 *   cc examples/lab.c $(pkg-config --cflags --libs vnetlab) -o lab
 *   ./lab TOPOLOGY NODE -- CMD...
 *
 * Exit 0 when the lab came up, CMD exited 0, every pair answered and the
 * teardown left nothing; 1 otherwise, 2 for a usage mistake.  As root the
 * lab is made directly; as anyone else it is rootless (its own user
 * namespace), with no change here.  State goes where `vnetlab` puts it
 * ($VNETLAB_STATE_DIR overrides), so `vnetlab ls` sees the lab meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vnetlab/check.h>     /* the reachability matrix */
#include <vnetlab/keeper.h>    /* up and down */
#include <vnetlab/node.h>      /* entering a node */
#include <vnetlab/probe.h>     /* what the kernel offers */
#include <vnetlab/statefile.h> /* a running lab's state.json */
#include <vnetlab/topo.h>      /* loading a topology file */

/* Every library call fills a vl_err with one line per problem. */
static int fail(const struct vl_err *err)
{
	fprintf(stderr, "lab: %s\n", err->count ? err->msg : "failed");
	return 1;
}

/* CMD inside NODE, as `vnetlab exec` runs it: the child enters the node's
 * namespaces and is then replaced by CMD.  The node's namespaces are only
 * ever joined in the child, so this process stays where it is. */
static int run_in_node(const struct vl_lab_paths *p, const char *node, char **cmd)
{
	fflush(stdout); /* what we printed comes before what CMD prints */
	pid_t pid = fork();
	if (pid < 0)
		return perror("lab: fork"), 1;
	if (pid == 0) {
		struct vl_err err;
		struct vl_node_entry e;
		vl_err_init(&err);
		/* Network and hostname.  (`vnetlab exec` asks VL_ENTER_PID
		 * too and calls vl_node_join_pid before a second fork, so its
		 * command is also in the lab's PID namespace.) */
		if (vl_node_enter(p, node, VL_ENTER_NET | VL_ENTER_UTS, &e, &err) < 0)
			_exit(fail(&err) + 125); /* 126, like a shell's "cannot run" */
		execvp(cmd[0], cmd);
		fprintf(stderr, "lab: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return perror("lab: waitpid"), 1;
	printf("lab: %s exited %d in %s\n", cmd[0],
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), node);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* Probe every addressed node from every other one, print the matrix. */
static int check_all(const struct vl_lab_paths *p)
{
	struct vl_err err;
	vl_err_init(&err);
	struct json_object *state = vl_statefile_read(p->state, &err);
	if (!state)
		return fail(&err);
	struct vl_check_opts o = {.count = 1, .interval_ms = 20, .timeout_ms = 1000};
	struct vl_check c;
	int rc = vl_check_run(p, state, &o, &c, &err); /* joins the lab's user ns */
	json_object_put(state);
	if (rc == 0)
		vl_check_print_matrix(&c, stdout);
	int ok = rc == 0 && vl_check_ok(&c);
	vl_check_free(&c);
	return rc < 0 ? fail(&err) : !ok;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: %s TOPOLOGY NODE -- CMD...\n", argv[0]);
		return 2;
	}
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	if (vl_topo_load_file(argv[1], &t, &err) < 0) /* parsed and validated */
		return fail(&err);

	/* Up: root mode or rootless from what this process holds; the
	 * probe says which qdiscs can carry the links' impairments (the
	 * rest go to vnetlab's userspace pipe). */
	char root[PATH_MAX / 2 - 64];
	struct vl_up_opts o = {.mode = vl_privs_mode(), .cmd_timeout_ms = 30000};
	vl_probe_qdiscs(o.mode == VL_MODE_ROOTLESS, &o.plan.qdiscs);
	o.plan.qdiscs_known = true;
	struct vl_lab_paths p;
	pid_t keeper;
	if (vl_state_root(root, sizeof(root), true, &err) < 0 ||
	    vl_lab_paths(root, t->name, &p, &err) < 0 ||
	    vl_keeper_up(t, root, &o, &keeper, &err) < 0) {
		vl_topo_free(t);
		return fail(&err);
	}
	printf("lab: %s up (%s), keeper pid %d\n", t->name, vl_mode_name(o.mode), (int)keeper);

	/* The paths were taken before the check: it may join a rootless
	 * lab's user namespace, where this process is root and would find
	 * root's state directory instead. */
	int bad = run_in_node(&p, argv[2], argv + 4);
	bad |= check_all(&p);

	/* Down: returns once the keeper has exited and the kernel has the
	 * lab's namespaces back; then its state directory must be gone. */
	if (vl_keeper_down(&p, &err) < 0)
		bad |= fail(&err);
	struct stat st;
	if (stat(p.dir, &st) == 0 || errno != ENOENT) {
		fprintf(stderr, "lab: %s is still there after down\n", p.dir);
		bad = 1;
	}
	printf("lab: %s down%s\n", t->name, bad ? "" : "; all good");
	vl_topo_free(t);
	return bad;
}
