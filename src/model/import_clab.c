/* SPDX-License-Identifier: BSD-2-Clause */
/* import_clab.c — containerlab topologies (import.h): the file's top
 * level and its nodes, each node's settings taken as containerlab takes
 * them (defaults < kinds < groups < node).  Links and exec commands are
 * import_clab_links.c's.  docs/containerlab.md says what maps to what. */
#include "vnetlab/import.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clab.h"

void clab_warn(struct clab_ctx *c, const struct vl_ynode *n, const char *fmt, ...)
{
	if (!c->warn)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vl_errf(c->warn, "%s:%d:%d: warning: %s", c->p.file, n ? n->line : 1, n ? n->col : 1,
		msg);
}

void clab_warn_once(struct clab_ctx *c, unsigned bit, const struct vl_ynode *n,
		    const char *fmt, ...)
{
	if (c->once & bit || !c->warn)
		return;
	c->once |= bit;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clab_warn(c, n, "%s", msg);
}

/* Every key a containerlab node (or defaults, kinds, groups) may have.
 * The first ones are read; from IGNORED_FROM on they are warned about
 * once a file and otherwise ignored. */
static const char *const node_keys[] = {
	"kind", "image", "group", "binds", "exec", "env", "labels", "sysctls", "network-mode",
#define IGNORED_FROM 9
	"type", "startup-config", "startup-delay", "enforce-startup-config",
	"suppress-startup-config", "auto-remove", "restart-policy", "image-pull-policy",
	"license", "ports", "publish", "user", "entrypoint", "cmd", "runtime", "mgmt-ipv4",
	"mgmt-ipv6", "mgmt_ipv4", "mgmt_ipv6", "cpu", "memory", "cpu-set", "shm-size",
	"cap-add", "devices", "dns", "extras", "config", "wait-for", "stages", "certificate",
	"healthcheck", "aliases", "SANs", "sandbox", "kernel", "env-files", "components",
	"extra-hosts", NULL};

/* What other kinds are: refused with what they would need. */
static const char *refused_kind(const char *k)
{
	if (!strcmp(k, "host"))
		return "the host's own namespace is never part of a vnetlab lab";
	if (!strcmp(k, "ext-container") || !strcmp(k, "k8s-kind") || !strcmp(k, "generic_vm"))
		return "vnetlab runs no containers or VMs of its own kind";
	return "vnetlab runs no VM/NOS images; write the node as `kind: linux` running the "
	       "host's software (FRR, BIRD), or leave it out";
}

/* The setting `key` as containerlab resolves it: the node's, else its
 * group's, its kind's, the defaults'. */
static const struct vl_ynode *setting(const struct vl_ynode *const lv[4], const char *key)
{
	for (int i = 0; i < 4; i++) {
		const struct vl_ynode *v = lv[i] ? vl_ymap_get(lv[i], key) : NULL;
		if (v)
			return v;
	}
	return NULL;
}

/* A settings mapping (a node, a group, a kind, the defaults): known keys
 * only; an empty value ("r1:") is none. */
static int settings_map(struct clab_ctx *c, const struct vl_ynode *m, const char *what,
			const struct vl_ynode **out)
{
	*out = NULL;
	if (!m || (m->type == VL_Y_SCALAR && !m->str[0] && !m->quoted))
		return 0;
	if (want(&c->p, m, VL_Y_MAP, what) < 0 || known_keys(&c->p, m, what, node_keys) < 0)
		return -1;
	*out = m;
	return 0;
}

/* The ignored keys of one settings mapping: one warning per key a file. */
static void warn_ignored(struct clab_ctx *c, const struct vl_ynode *m)
{
	for (size_t i = 0; m && i < m->n; i++) {
		const struct vl_ynode *k = m->kv[2 * i];
		for (size_t j = IGNORED_FROM; node_keys[j]; j++)
			if (!strcmp(k->str, node_keys[j]) && !c->ignored[j] &&
			    /* an FRR node's: read there (frr_settings) */
			    strcmp(k->str, "startup-config") && strcmp(k->str, "extras")) {
				c->ignored[j] = true;
				clab_warn(c, k, "'%s' is containerlab's (a container's setting): "
					  "ignored", k->str);
			}
		if (!strcmp(k->str, "labels"))
			clab_warn_once(c, CLAB_ONCE_LABELS, k, "labels are ignored");
	}
}

/* "frrouting/frr", "quay.io/frrouting/frr:9.1.0", "docker.io/frrouting/frr@sha256:..". */
static bool frr_image(const char *img)
{
	size_t n = strcspn(img, "@");
	const char *colon = memchr(img, ':', n);
	const char *slash = NULL;
	for (const char *p = img; p < img + n; p++)
		if (*p == '/')
			slash = p;
	if (colon && (!slash || colon > slash))
		n = (size_t)(colon - img);
	static const char tail[] = "frrouting/frr";
	size_t t = sizeof(tail) - 1;
	return n >= t && !memcmp(img + n - t, tail, t) && (n == t || img[n - t - 1] == '/');
}

/* A containerlab name made to fit vnetlab's rule (max bytes; letters,
 * digits, '-', '_'). */
static void fit_name(const char *s, size_t max, char *out)
{
	size_t o = 0;
	for (const char *p = s; *p && o < max; p++) {
		unsigned char ch = (unsigned char)*p;
		bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			  (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_';
		out[o++] = ok ? (char)ch : '-';
	}
	out[o] = '\0';
}

/* binds of every level, the node's first; a destination given by a
 * higher level hides the lower levels' (containerlab merges them so). */
static int node_binds(struct clab_ctx *c, struct vl_node *node,
		      const struct vl_ynode *const lv[4])
{
	int rc = 0;
	for (int i = 0; i < 4; i++) {
		const struct vl_ynode *v = lv[i] ? vl_ymap_get(lv[i], "binds") : NULL;
		if (!v)
			continue;
		if (want(&c->p, v, VL_Y_SEQ, "binds") < 0) {
			rc = -1;
			continue;
		}
		size_t level = node->n_binds; /* this level's binds start here */
		for (size_t j = 0; j < v->n; j++) {
			size_t had = node->n_binds;
			if (parse_bind(&c->p, node, v->kv[j]) < 0) {
				rc = -1;
				continue;
			}
			struct vl_bind *nb = &node->binds[had];
			long dup = -1;
			for (size_t k = 0; k < had && dup < 0; k++)
				if (!strcmp(node->binds[k].dst, nb->dst))
					dup = (long)k;
			if (dup < 0)
				continue;
			/* Said when one level binds a path twice (docker refuses
			 * a duplicate mount point); hidden from a lower level. */
			if ((size_t)dup >= level)
				rc = perr(&c->p, v->kv[j], "'%s' is bound twice", nb->dst);
			free(nb->src);
			free(nb->dst);
			node->n_binds--;
		}
	}
	return rc;
}

/* env of every level merged, the node's winning: "K=V" strings. */
static int node_env(struct clab_ctx *c, const struct vl_ynode *const lv[4], char ***env,
		    size_t *n_env)
{
	int rc = 0;
	for (int i = 0; i < 4; i++) {
		const struct vl_ynode *v = lv[i] ? vl_ymap_get(lv[i], "env") : NULL;
		if (!v)
			continue;
		if (want(&c->p, v, VL_Y_MAP, "env") < 0) {
			rc = -1;
			continue;
		}
		for (size_t j = 0; j < v->n; j++) {
			const struct vl_ynode *k = v->kv[2 * j], *val = v->kv[2 * j + 1];
			if (!k->str[0] || strchr(k->str, '=')) {
				rc = perr(&c->p, k, "env name '%s' must be non-empty, without '='",
					  k->str);
				continue;
			}
			if (want(&c->p, val, VL_Y_SCALAR, "an env value") < 0) {
				rc = -1;
				continue;
			}
			size_t kl = strlen(k->str);
			bool have = false;
			for (size_t e = 0; e < *n_env; e++)
				have = have || (!strncmp((*env)[e], k->str, kl) && (*env)[e][kl] == '=');
			if (have)
				continue;
			char **slot = vl_build_grow((void **)env, n_env, sizeof(char *));
			if (!slot || !(*slot = malloc(kl + strlen(val->str) + 2)))
				return perr(&c->p, k, "out of memory");
			sprintf(*slot, "%s=%s", k->str, val->str);
		}
	}
	return rc;
}

/* sysctls that mean forwarding: net.ipv4.ip_forward, net.ipv6.conf.all.forwarding. */
static void node_sysctls(struct clab_ctx *c, struct vl_node *node, const struct vl_ynode *v)
{
	if (!v || want(&c->p, v, VL_Y_MAP, "sysctls") < 0)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const struct vl_ynode *k = v->kv[2 * i], *val = v->kv[2 * i + 1];
		bool fwd = !strcmp(k->str, "net.ipv4.ip_forward") ||
			   !strcmp(k->str, "net.ipv6.conf.all.forwarding");
		if (fwd && val->type == VL_Y_SCALAR)
			node->forwarding = node->forwarding || strcmp(val->str, "0") != 0;
		else
			clab_warn(c, k, "sysctl '%s' is not set (vnetlab sets only forwarding)",
				  k->str);
	}
}

/* A file beside the topology (startup-config), read whole: at most 1 MiB. */
static char *read_beside(struct clab_ctx *c, const struct vl_ynode *v, size_t *len)
{
	char path[PATH_MAX];
	const char *slash = strrchr(c->p.file, '/');
	if (v->str[0] == '/' || !slash)
		snprintf(path, sizeof(path), "%s", v->str);
	else
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - c->p.file), c->p.file,
			 v->str);
	FILE *f = fopen(path, "re");
	char *buf = f ? malloc((1u << 20) + 1) : NULL;
	*len = buf ? fread(buf, 1, 1u << 20, f) : 0;
	bool big = buf && *len == (1u << 20) && fgetc(f) != EOF;
	int e = errno;
	if (f)
		fclose(f);
	if (!buf || big) {
		free(buf);
		perr(&c->p, v, "startup-config '%s': %s", v->str,
		     big ? "larger than 1 MiB" : strerror(f ? ENOMEM : e));
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static int add_file(struct clab_ctx *c, struct vl_node *node, const char *path,
		    const char *content, size_t len, const struct vl_ynode *at)
{
	struct vl_file *f = vl_build_grow((void **)&node->files, &node->n_files, sizeof(*f));
	if (!f || !(f->path = strdup(path)) || !(f->content = malloc(len + 1)))
		return perr(&c->p, at, "out of memory");
	memcpy(f->content, content, len);
	f->content[len] = '\0';
	f->len = len;
	f->pos = pos_of(at);
	return 0;
}

/* kind frr: its startup-config (a file beside the topology, or the
 * configuration itself) is the node's /etc/frr/frr.conf, and
 * extras.frr.daemons the daemons that run (zebra and staticd always). */
static int frr_settings(struct clab_ctx *c, struct clab_node *cn, struct vl_node *node,
			const struct vl_ynode *const lv[4])
{
	const struct vl_ynode *v = setting(lv, "startup-config"), *e = setting(lv, "extras");
	int rc = 0;
	if (!cn->frr) {
		if (v)
			clab_warn(c, v, "startup-config applies to FRR nodes (kind frr): ignored "
				  "for '%s'", node->name);
		if (e)
			clab_warn(c, e, "extras apply to FRR nodes (kind frr): ignored for '%s'",
				  node->name);
		return 0;
	}
	if (v && want(&c->p, v, VL_Y_SCALAR, "startup-config") == 0) {
		size_t len = 0;
		char *conf = strchr(v->str, '\n') ? strdup(v->str) : read_beside(c, v, &len);
		if (conf && strchr(v->str, '\n'))
			len = strlen(conf);
		rc |= conf ? add_file(c, node, "/etc/frr/frr.conf", conf, len, v) : -1;
		free(conf);
	} else if (v) {
		rc = -1;
	}
	const struct vl_ynode *fr = e && e->type == VL_Y_MAP ? vl_ymap_get(e, "frr") : NULL;
	const struct vl_ynode *d = fr && fr->type == VL_Y_MAP ? vl_ymap_get(fr, "daemons") : NULL;
	if (d) {
		if (want(&c->p, d, VL_Y_SEQ, "extras.frr.daemons") < 0)
			return -1;
		char text[2048] = "zebra=yes\nstaticd=yes\n";
		for (size_t i = 0; i < d->n; i++) {
			if (want(&c->p, d->kv[i], VL_Y_SCALAR, "a daemon") < 0)
				return -1;
			size_t l = strlen(text);
			snprintf(text + l, sizeof(text) - l, "%s=yes\n", d->kv[i]->str);
		}
		rc |= add_file(c, node, "/etc/frr/daemons", text, strlen(text), d);
	}
	return rc;
}

static int vnet_node(struct clab_ctx *c, struct clab_node *cn,
		     const struct vl_ynode *const lv[4])
{
	struct vl_node *node = &c->p.t->nodes[cn->ix];
	int rc = 0;
	const struct vl_ynode *v = setting(lv, "network-mode");
	if (v && (want(&c->p, v, VL_Y_SCALAR, "network-mode") < 0 ||
		  (strcmp(v->str, "none") && strcmp(v->str, "bridge"))))
		rc = v->type != VL_Y_SCALAR
			     ? -1
			     : perr(&c->p, v, "network-mode '%s' shares another namespace "
				    "(the host's or a container's): a vnetlab node has its own "
				    "(none and bridge are taken as that)", v->str);
	if ((v = setting(lv, "image"))) {
		if (want(&c->p, v, VL_Y_SCALAR, "image") < 0) {
			rc = -1;
		} else if (cn->frr || frr_image(v->str)) {
			struct vl_service *s = vl_build_grow((void **)&node->services,
							     &node->n_services, sizeof(*s));
			if (!s)
				return perr(&c->p, v, "out of memory");
			snprintf(s->name, sizeof(s->name), "frr");
			s->kind = VL_SVC_FRR;
			s->pos = pos_of(v);
			node->forwarding = true;
			clab_warn(c, v, "image '%s' is not pulled: node '%s' runs the host's FRR "
				  "as service frr, with its /etc/frr binds", v->str, node->name);
		} else {
			clab_warn(c, v, "image '%s' is not pulled: node '%s' runs the host's "
				  "binaries", v->str, node->name);
		}
	}
	if (cn->frr && !node->n_services) { /* kind frr without an image */
		struct vl_service *s = vl_build_grow((void **)&node->services,
						     &node->n_services, sizeof(*s));
		if (!s)
			return perr(&c->p, setting(lv, "kind"), "out of memory");
		snprintf(s->name, sizeof(s->name), "frr");
		s->kind = VL_SVC_FRR;
		s->pos = pos_of(setting(lv, "kind"));
		node->forwarding = true;
	}
	rc |= frr_settings(c, cn, node, lv);
	rc |= node_binds(c, node, lv);
	node_sysctls(c, node, setting(lv, "sysctls"));
	char **env = NULL;
	size_t n_env = 0;
	rc |= node_env(c, lv, &env, &n_env);
	if ((v = setting(lv, "exec")))
		rc |= clab_exec(c, cn, v, env, n_env);
	else if (n_env)
		clab_warn_once(c, CLAB_ONCE_ENV, setting(lv, "env"),
			       "env applies to exec commands only (node '%s' has none)",
			       node->name);
	for (size_t i = 0; i < n_env; i++)
		free(env[i]);
	free(env);
	return rc;
}

static void bridge_node(struct clab_ctx *c, struct clab_node *cn, const struct vl_ynode *kind,
			const struct vl_ynode *const lv[4])
{
	const char *k = kind->str;
	clab_warn(c, kind, "%s '%s' is made by the lab, inside it (containerlab's is a "
		  "host bridge you make first%s)", k, c->p.t->nodes[cn->ix].name,
		  strcmp(k, "ovs-bridge") ? "" : "; here a learning bridge, not Open vSwitch");
	static const char *const unused[] = {"image", "binds", "exec", "env", "sysctls",
					     "network-mode"};
	for (size_t i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		const struct vl_ynode *v = lv[0] ? vl_ymap_get(lv[0], unused[i]) : NULL;
		if (v)
			clab_warn(c, v, "'%s' of a %s is ignored", unused[i], k);
	}
}

static int one_node(struct clab_ctx *c, const struct vl_ynode *key, const struct vl_ynode *val,
		    struct clab_node *cn)
{
	cn->ix = -1;
	cn->name = key->str;
	const struct vl_ynode *lv[4] = {NULL, NULL, NULL, NULL}, *v;
	if (settings_map(c, val, "a node", &lv[0]) < 0)
		return -1;
	warn_ignored(c, lv[0]);
	if ((v = lv[0] ? vl_ymap_get(lv[0], "group") : NULL)) {
		if (want(&c->p, v, VL_Y_SCALAR, "group") < 0)
			return -1;
		lv[1] = c->groups ? vl_ymap_get(c->groups, v->str) : NULL;
		if (lv[1] && lv[1]->type != VL_Y_MAP)
			lv[1] = NULL; /* said when the groups were read */
	}
	lv[3] = c->defaults;
	const struct vl_ynode *kind = setting(lv, "kind");
	if (!kind)
		return perr(&c->p, key, "node '%s' has no kind (and topology.defaults gives "
			    "none)", key->str);
	if (want(&c->p, kind, VL_Y_SCALAR, "kind") < 0)
		return -1;
	lv[2] = c->kinds ? vl_ymap_get(c->kinds, kind->str) : NULL;
	if (lv[2] && lv[2]->type != VL_Y_MAP)
		lv[2] = NULL;
	if (!strcmp(kind->str, "linux"))
		cn->kind = VL_KIND_VNET;
	else if (!strcmp(kind->str, "frr"))
		cn->kind = VL_KIND_VNET, cn->frr = true; /* containerlab's native FRR kind */
	else if (!strcmp(kind->str, "bridge") || !strcmp(kind->str, "ovs-bridge"))
		cn->kind = VL_KIND_BRIDGE;
	else
		return perr(&c->p, kind, "node '%s': kind '%s' is refused: %s", key->str,
			    kind->str, refused_kind(kind->str));
	char name[VL_NAME_MAX + 1];
	fit_name(key->str, VL_NAME_MAX, name);
	if (strcmp(name, key->str) && !vl_check_node_name(name))
		clab_warn(c, key, "node '%s' is '%s' here (vnetlab's names: at most 15 "
			  "bytes of letters, digits, '-' and '_')", key->str, name);
	const char *why = vl_check_node_name(name);
	if (why)
		return perr(&c->p, key, "node name '%s' cannot be made a vnetlab name: it %s",
			    key->str, why);
	if ((cn->ix = vl_build_node(&c->p.b, name, cn->kind, pos_of(key))) < 0)
		return -1;
	if (cn->kind == VL_KIND_BRIDGE) {
		bridge_node(c, cn, kind, lv);
		return 0;
	}
	return vnet_node(c, cn, lv);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct clab_name *)a)->name, ((const struct clab_name *)b)->name);
}

static int index_nodes(struct clab_ctx *c)
{
	if (!c->n_nodes)
		return 0;
	if (!(c->by_name = malloc(c->n_nodes * sizeof(*c->by_name))))
		return -ENOMEM;
	for (size_t i = 0; i < c->n_nodes; i++)
		c->by_name[i] = (struct clab_name){c->nodes[i].name, i};
	qsort(c->by_name, c->n_nodes, sizeof(*c->by_name), cmp_name);
	return 0;
}

/* The sections that hold settings: a mapping of settings mappings. */
static int settings_section(struct clab_ctx *c, const struct vl_ynode *v, const char *what,
			    const char *each)
{
	if (!v)
		return 0;
	if (want(&c->p, v, VL_Y_MAP, what) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct vl_ynode *m;
		if (settings_map(c, v->kv[2 * i + 1], each, &m) < 0)
			rc = -1;
		else
			warn_ignored(c, m);
	}
	return rc;
}

static int clab_nodes(struct clab_ctx *c, const struct vl_ynode *topo)
{
	static const char *const keys[] = {"defaults", "kinds", "groups", "nodes", "links", NULL};
	if (known_keys(&c->p, topo, "topology", keys) < 0)
		return -1;
	/* A wrong section is said and left out: the nodes are still read,
	 * so every mistake shows in one run. */
	settings_map(c, vl_ymap_get(topo, "defaults"), "topology.defaults", &c->defaults);
	warn_ignored(c, c->defaults);
	c->kinds = vl_ymap_get(topo, "kinds");
	if (settings_section(c, c->kinds, "topology.kinds", "a kind's settings") < 0 &&
	    c->kinds->type != VL_Y_MAP)
		c->kinds = NULL;
	c->groups = vl_ymap_get(topo, "groups");
	if (settings_section(c, c->groups, "topology.groups", "a group's settings") < 0 &&
	    c->groups->type != VL_Y_MAP)
		c->groups = NULL;
	const struct vl_ynode *nodes = vl_ymap_get(topo, "nodes");
	if (!nodes)
		return perr(&c->p, topo, "the topology needs a 'nodes:' mapping");
	if (want(&c->p, nodes, VL_Y_MAP, "topology.nodes") < 0)
		return -1;
	if (!nodes->n)
		return perr(&c->p, nodes, "topology.nodes is empty");
	if (!(c->nodes = calloc(nodes->n, sizeof(*c->nodes))))
		return perr(&c->p, nodes, "out of memory");
	for (size_t i = 0; i < nodes->n; i++) {
		const struct vl_ynode *key = nodes->kv[2 * i];
		c->n_nodes++;
		if (key->type != VL_Y_SCALAR) {
			c->nodes[i].ix = -1;
			c->nodes[i].name = "";
			perr(&c->p, key, "a node's name must be a scalar");
			continue;
		}
		one_node(c, key, nodes->kv[2 * i + 1], &c->nodes[i]);
	}
	if (index_nodes(c) < 0)
		return perr(&c->p, nodes, "out of memory");
	return 0;
}

static void lab_name(struct clab_ctx *c, const struct vl_ynode *root)
{
	const struct vl_ynode *v = vl_ymap_get(root, "name");
	if (!v) {
		perr(&c->p, root, "a containerlab topology needs 'name:'");
		return;
	}
	if (want(&c->p, v, VL_Y_SCALAR, "name") < 0)
		return;
	char name[VL_LABNAME_MAX + 1];
	fit_name(v->str, VL_LABNAME_MAX, name);
	if (strcmp(name, v->str) && !vl_check_lab_name(name))
		clab_warn(c, v, "lab '%s' is '%s' here (vnetlab's lab names: at most 32 bytes "
			  "of letters, digits, '-' and '_')", v->str, name);
	if (vl_check_lab_name(name))
		vl_build_lab(&c->p.b, v->str, pos_of(v)); /* says why */
	else
		vl_build_lab(&c->p.b, name, pos_of(v));
}

static void clab_top(struct clab_ctx *c, const struct vl_ynode *root)
{
	static const char *const keys[] = {"name", "prefix", "mgmt", "topology", "settings", NULL};
	if (want(&c->p, root, VL_Y_MAP, "a containerlab topology") < 0 ||
	    known_keys(&c->p, root, "a containerlab topology", keys) < 0)
		return;
	lab_name(c, root);
	const struct vl_ynode *v;
	if ((v = vl_ymap_get(root, "prefix")))
		clab_warn(c, v, "prefix is ignored (vnetlab names a node LAB.NODE)");
	if ((v = vl_ymap_get(root, "settings")))
		clab_warn(c, v, "settings are ignored");
	const struct vl_ynode *topo = vl_ymap_get(root, "topology");
	v = vl_ymap_get(root, "mgmt");
	clab_warn_once(c, CLAB_ONCE_MGMT, v ? v : topo,
		       "%scontainerlab's management network (eth0 of every node) is not made: "
		       "a node has only its links' interfaces", v ? "mgmt is ignored: " : "");
	if (!topo) {
		perr(&c->p, root, "a containerlab topology needs 'topology:' with its nodes");
		return;
	}
	if (want(&c->p, topo, VL_Y_MAP, "topology") < 0 || clab_nodes(c, topo) < 0)
		return;
	if (vl_build_nodes_done(&c->p.b) < 0)
		return;
	clab_links(c, vl_ymap_get(topo, "links"));
	clab_apply_pending(c);
}

int vl_import_clab(const char *file, const char *buf, size_t len, struct vl_topo **out,
		   struct vl_err *warn, struct vl_err *err)
{
	struct vl_ynode *root;
	*out = NULL;
	int rc = vl_yaml_parse(file, buf, len, &root, err);
	if (rc < 0)
		return rc;
	struct clab_ctx c = {.p = {.file = file}, .warn = warn};
	if ((rc = vl_build_begin(&c.p.b, file, NULL, err)) < 0) {
		vl_ynode_free(root);
		return rc;
	}
	c.p.t = c.p.b.t;
	if (clab_expand_env(&c, root) == 0)
		clab_top(&c, root);
	for (size_t i = 0; i < c.n_nodes; i++) {
		free(c.nodes[i].ports);
		free(c.nodes[i].pend);
	}
	free(c.nodes);
	free(c.by_name);
	vl_ynode_free(root);
	return vl_build_finish(&c.p.b, out);
}
