/* SPDX-License-Identifier: BSD-2-Clause */
/* graph.c — `vnetlab graph FILE|LAB`: a topology, or a running lab with
 * its live state, drawn as dot, svg, png, Mermaid or json (graph.h;
 * docs/graph.md).  FILE is anything the other verbs load; a word that is
 * no file but the name of one of the caller's running labs draws that
 * lab from its keeper's topology and its `inspect --json` document. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/graph.h"
#include "vnetlab/lifecycle.h"
#include "vnetlab/statefile.h"

/* The format -o's name asks for: .dot .gv .svg .png .mmd .json. */
static int format_from_path(const char *path, enum vl_graph_format *out)
{
	static const struct {
		const char *ext;
		enum vl_graph_format f;
	} exts[] = {{".dot", VL_GRAPH_DOT}, {".gv", VL_GRAPH_DOT}, {".svg", VL_GRAPH_SVG},
		    {".png", VL_GRAPH_PNG}, {".mmd", VL_GRAPH_MERMAID}, {".json", VL_GRAPH_JSON}};
	const char *dot = path ? strrchr(path, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++)
		if (!strcasecmp(dot, exts[i].ext)) {
			*out = exts[i].f;
			return 0;
		}
	return -1;
}

/* The running lab's topology: the keeper's topology.json (what live
 * graph edits made of it), else the file it came up from; and its
 * state, for link states, carriers and services. */
static int load_lab(const char *lab, struct vl_topo **t, struct json_object **state,
		    struct vl_err *err)
{
	if (cli_mh_is(lab))
		return cli_mh_graph_load(lab, t, state, err);
	struct vl_lab_paths p;
	if (cli_lab(lab, &p, err) < 0)
		return -EINVAL;
	const struct vl_lab_ops *ops = vl_lab_ops_choose(NULL, &p, NULL);
	if (!ops || !ops->alive(&p))
		return vl_errf(err, "graph: '%s' is neither a file nor a running lab of yours "
			       "(see: vnetlab ls)", lab), -ENOENT;
	*state = ops->inspect(&p, err);
	if (!*state)
		return -EIO;
	char doc[PATH_MAX];
	snprintf(doc, sizeof(doc), "%.3000s/topology.json", p.dir);
	const char *file = json_object_get_string(json_object_object_get(*state, "file"));
	int rc = cli_load(access(doc, R_OK) == 0 ? doc : file, t, err);
	if (rc < 0) {
		json_object_put(*state);
		*state = NULL;
	}
	return rc;
}

/* out's mode as a new file's would be: 0666 less the umask. */
static mode_t file_mode(void)
{
	mode_t m = umask(022);
	umask(m);
	return 0666 & ~m;
}


/* OUT replaced at once (OUT.XXXXXX beside it, then renamed), so a viewer
 * watching it never shows half a picture, and a failed run leaves the
 * old one. */
static int write_out(const char *path, const char *buf, size_t len, struct vl_err *err)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return vl_errf(err, "graph: %s: name too long", path), -ENAMETOOLONG;
	int fd = mkstemp(tmp);
	if (fd < 0)
		return vl_err_sys(err, errno, "graph: %s: cannot create %s", path, tmp), -errno;
	int rc = fchmod(fd, file_mode()) < 0 ? -errno : vl_write_all(fd, buf, len);
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		return vl_err_sys(err, -rc, "graph: writing %s", path), rc;
	}
	return 0;
}

static int write_stdout(const char *buf, size_t len, struct vl_err *err)
{
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)
		return vl_err_sys(err, errno, "graph: writing the output"), -EIO;
	return 0;
}

struct graph_args {
	const char *what, *format, *out, *engine;
	bool addrs;
	struct cli_mn mn;
};

static int parse_args(int argc, char **argv, struct graph_args *a)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
		{"addrs", no_argument, NULL, 'a'}, {"engine", required_argument, NULL, 'e'},
		CLI_MN_OPTS, {0}};
	int c;
	while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		if (cli_mn_opt(&a->mn, c, optarg))
			continue;
		switch (c) {
		case 'f': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'a': a->addrs = true; break;
		case 'e': a->engine = optarg; break;
		default: return cli_usage("graph");
		}
	}
	int bad = cli_mn_check(&a->mn, "graph", argc - optind);
	if (bad)
		return bad;
	if (optind + !a->mn.topo != argc)
		return cli_usage("graph");
	a->what = a->mn.topo ? NULL : argv[optind];
	return 0;
}

/* --format, else -o's extension, else dot; pictures never to a terminal. */
static int pick_format(const struct graph_args *a, enum vl_graph_format *f)
{
	if (a->format && vl_graph_format_parse(a->format, f) < 0) {
		fprintf(stderr, "vnetlab: graph: unknown format '%s': write dot, svg, png, "
			"mermaid or json\n", a->format);
		return 2;
	}
	if (!a->format && format_from_path(a->out, f) < 0)
		*f = VL_GRAPH_DOT;
	if (!a->out && (*f == VL_GRAPH_PNG || *f == VL_GRAPH_SVG) && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vnetlab: graph: not writing %s to a terminal: give -o FILE "
			"or redirect the output\n", vl_graph_format_name(*f));
		return 2;
	}
	return 0;
}

static int load(const struct graph_args *a, struct vl_topo **t, struct json_object **state,
		struct vl_err *err)
{
	struct stat st;
	*state = NULL;
	if (a->mn.topo || stat(a->what, &st) == 0 || strchr(a->what, '/'))
		return cli_load_mn(&a->mn, a->what, t, err);
	return load_lab(a->what, t, state, err);
}

int cmd_graph(int argc, char **argv)
{
	struct graph_args a = {0};
	int bad = parse_args(argc, argv, &a);
	enum vl_graph_format f = VL_GRAPH_DOT;
	if (bad || (bad = pick_format(&a, &f)))
		return bad;
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t;
	struct json_object *state;
	if (load(&a, &t, &state, &err) < 0)
		return cli_fail(&err);
	struct vl_graph_opts o = {.format = f, .addrs = a.addrs, .state = state,
				  .engine = a.engine};
	char *buf;
	size_t len;
	int rc = vl_graph_render(t, &o, &buf, &len, &err);
	if (rc == 0)
		rc = a.out ? write_out(a.out, buf, len, &err) : write_stdout(buf, len, &err);
	free(buf);
	json_object_put(state);
	vl_topo_free(t);
	return rc < 0 ? cli_fail(&err) : 0;
}
