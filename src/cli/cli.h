/* SPDX-License-Identifier: BSD-2-Clause */
/* cli.h — shared by the verb files: the command table and small helpers.
 * The CLI parses arguments and prints; it makes no kernel calls itself. */
#ifndef VNETLAB_CLI_H
#define VNETLAB_CLI_H

#include <signal.h>
#include <stdio.h>

#include "vnetlab/err.h"
#include "vnetlab/lab.h"
#include "vnetlab/topo.h"

struct vl_cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *help;
};

int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_cleanup(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_node(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_service(int argc, char **argv);
int cmd_web(int argc, char **argv);
int cmd_graph(int argc, char **argv);
/* The verb table's verbs, one per line (complete.c). */
void cli_list_verbs(FILE *out);
/* `link add|rm LAB ...` (edit.c); argv[0] is "add" or "rm". */
int cli_link_add(int argc, char **argv);
int cli_link_rm(int argc, char **argv);
/* The running lab p becomes the lab of topology FILE, changing only what
 * differs (the keeper's "apply"); its warnings printed. */
int cli_apply_file(const struct vl_lab_paths *p, const char *file, struct vl_err *err);
int cmd_capture(int argc, char **argv);
int cmd_compare(int argc, char **argv);
/* FreeBSD's verbs over the Linux backend (vimage.c). */
int cmd_jail(int argc, char **argv);
int cmd_jls(int argc, char **argv);
int cmd_jexec(int argc, char **argv);
int cmd_ngctl(int argc, char **argv);
int cmd_ifconfig(int argc, char **argv);

/* One entry of state.json's "links" (or of a `link` answer) as text. */
struct json_object;
void cli_print_link(struct json_object *l);

/* Print err's lines as "vnetlab: ..." on stderr; returns exit status 1. */
int cli_fail(const struct vl_err *err);
int cli_usage(const char *verb);
/* A numeric option's value, read strictly (impair.h: vl_uint_arg, a whole
 * number; vl_real_arg, a decimal): 0, or the reason printed as
 * "vnetlab: VERB: OPT 'VALUE' ...: write ... from MIN to MAX UNIT" and 2
 * (the usage status) returned.  unit may be "". */
int cli_uint_opt(const char *verb, const char *opt, const char *s,
		 unsigned long long min, unsigned long long max, const char *unit,
		 unsigned long long *out);
int cli_real_opt(const char *verb, const char *opt, const char *s, double min,
		 double max, const char *unit, double *out);
/* Load FILE, or the built-in demo when file is NULL. */
int cli_load(const char *file, struct vl_topo **t, struct vl_err *err);
/* All of stdin (at most max bytes), or up to a NUL byte in it,
 * NUL-terminated; NULL with err set. */
char *cli_read_stdin(size_t max, size_t *len, struct vl_err *err);
/* Mininet's habits (docs/mininet.md): --topo SPEC [--link OPTS] [--mac]
 * instead of a FILE, for up, run, plan and convert.  CLI_MN_OPTS go in a
 * verb's getopt_long table; cli_mn_opt takes their codes (true: taken). */
struct cli_mn {
	const char *topo, *link;
	bool mac;
};
#define CLI_MN_OPTS                                                                    \
	{"topo", required_argument, NULL, 'T'}, {"link", required_argument, NULL, 'L'}, \
	{"mac", no_argument, NULL, 'M'}
bool cli_mn_opt(struct cli_mn *m, int c, const char *arg);
/* Whether the words left (nfile of them) go with the options: --topo
 * takes the place of FILE, and --link/--mac need --topo.  0, or the
 * reason printed and 2 (the usage status). */
int cli_mn_check(const struct cli_mn *m, const char *verb, int nfile);
/* The --topo model, or FILE's (cli_load) when there is no --topo. */
int cli_load_mn(const struct cli_mn *m, const char *file, struct vl_topo **t,
		struct vl_err *err);
/* fn for every lab in this user's state root; 1 (printed) on error. */
int cli_foreach_lab(int (*fn)(const struct vl_lab_paths *, void *), void *arg);
/* Paths of a lab in this user's state root. */
int cli_lab(const char *lab, struct vl_lab_paths *p, struct vl_err *err);

/* Shared by up and run. */
struct vl_lab_ops;
struct cli_up_args {
	const char *file;
	/* A topology already made (the FreeBSD verbs' model): up takes it,
	 * freed whatever happens, instead of loading file. */
	struct vl_topo *topo;
	const char *name;
	bool no_netns;
	bool quiet;
	int cmd_timeout_ms;
	const struct vl_lab_ops *ops; /* --backend; NULL: the build's default */
	bool verbose;  /* -v: time per kind of step */
	bool keep_going; /* --keep-going: a service that fails leaves the lab up */
};
int cli_up(struct cli_up_args *a, struct vl_topo **out, struct vl_err *err);
/* Down by the lab's backend: its keeper, or its FreeBSD teardown. */
int cli_down(const struct vl_lab_paths *p, struct vl_err *err);
/* Shared by check and run: 0 all reachable, 1 not, 2 error.  wait_s > 0
 * (--wait): probe until converged or that long (vl_check_converge);
 * cancel, or NULL: a flag that ends the wait. */
int cli_check(const char *lab, bool json, unsigned count, double timeout_ms,
	      double wait_s, volatile sig_atomic_t *cancel);
/* The same with another state document (FILE, or "-": stdin) than the
 * lab's: a host of a lab over several hosts probes the whole lab. */
int cli_check_with(const char *lab, const char *state_file, bool json, unsigned count,
		   double timeout_ms, double wait_s, volatile sig_atomic_t *cancel);
/* A lab over several hosts (hosts.c, docs/multihost.md): the record
 * exists; up --hosts; the verbs that find its hosts there.  Each returns
 * the verb's exit status. */
bool cli_mh_is(const char *lab);
int cli_up_hosts(struct cli_up_args *a, const char *hosts_file, struct vl_err *err);
int cli_mh_down(const char *lab);
/* Becomes ssh running `vnetlab ARGS...` on node's host. */
int cli_mh_forward(const char *lab, const char *node, const char *const *args, bool tty);
int cli_mh_inspect(const char *lab, bool json);
int cli_mh_check(const char *lab, bool json, unsigned count, double timeout_ms);
/* Rows (or JSON objects added to list) for ls. */
struct json_object;
int cli_mh_ls(bool json, struct json_object *list); /* how many labs */
int cli_mh_cleanup(bool all);
/* For completion, from the records alone (no host is asked): the labs
 * over several hosts (lab NULL), or lab's nodes; one per line. */
void cli_mh_complete(const char *lab);
/* `link LAB A:IF B:IF ...` (w: the words after LAB): on the host of both
 * ends, or across hosts on each tunnel end with its own direction. */
int cli_mh_link(const char *lab, int n, char **w, bool json, bool force);
/* `graph LAB`: the whole lab's topology (the record's) and its merged
 * state. */
int cli_mh_graph_load(const char *lab, struct vl_topo **t, struct json_object **state,
		      struct vl_err *err);
/* --wait S of check and run into *out: 0, or the reason printed and 2. */
int cli_wait_opt(const char *verb, const char *s, double *out);

#endif
