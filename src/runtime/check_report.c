/* SPDX-License-Identifier: BSD-2-Clause */
/* check_report.c — a check's results as a node × node matrix or as JSON. */
#include "vnetlab/check.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

bool vl_check_ok(const struct vl_check *c)
{
	if (!c->n_probes)
		return false; /* nothing checked is not a pass */
	for (size_t i = 0; i < c->n_probes; i++)
		if (c->probes[i].received == 0)
			return false;
	return true;
}

static const char *node_name(const struct vl_check *c, size_t i)
{
	struct json_object *nodes = json_object_object_get(c->state, "nodes");
	return json_object_get_string(json_object_object_get(
		json_object_array_get_idx(nodes, i), "name"));
}

/* A cell summarises all addresses of dst probed from src: "FAIL" if any
 * address never answered, else the worst of the per-address minimum RTTs. */
struct cell {
	int probes, failed;
	double worst_min;
};

static struct cell cell_of(const struct vl_check *c, size_t s, size_t d)
{
	struct cell x = {0, 0, 0};
	for (size_t i = 0; i < c->n_probes; i++) {
		const struct vl_probe *p = &c->probes[i];
		if (p->src != s || p->dst != d)
			continue;
		x.probes++;
		if (!p->received)
			x.failed++;
		else if (p->rtt_min > x.worst_min)
			x.worst_min = p->rtt_min;
	}
	return x;
}

static bool is_source(const struct vl_check *c, size_t s)
{
	for (size_t i = 0; i < c->n_probes; i++)
		if (c->probes[i].src == s)
			return true;
	return false;
}

/* Why a probe could not even be sent ("no route"), or NULL. */
static const char *send_error(const struct vl_probe *p, char *buf, size_t len)
{
	if (p->sent || !p->send_errno)
		return NULL;
	if (p->send_errno == ENETUNREACH || p->send_errno == EHOSTUNREACH)
		snprintf(buf, len, "no route");
	else
		snprintf(buf, len, "not sent: %s (%s)", strerror(p->send_errno),
			 vl_errno_name(p->send_errno));
	return buf;
}

void vl_check_print_matrix(const struct vl_check *c, FILE *out)
{
	struct json_object *nodes = json_object_object_get(c->state, "nodes");
	size_t n = json_object_array_length(nodes);
	if (!c->n_probes) {
		fprintf(out, "nothing to check: no vnet node has an address that "
			"another vnet node can probe (sources are vnet nodes with an "
			"address, targets the other vnet nodes' addresses of that "
			"family)\n");
		return;
	}
	int w = 8;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(node_name(c, i)) + 1 > w)
			w = (int)strlen(node_name(c, i)) + 1;
	size_t *cols = calloc(n ? n : 1, sizeof(*cols)), nc = 0;
	for (size_t d = 0; cols && d < n; d++)
		for (size_t i = 0; i < c->n_probes; i++)
			if (c->probes[i].dst == d) {
				cols[nc++] = d;
				break;
			}
	fprintf(out, "RTT in ms (lowest of %u probes; worst address per node)\n",
		c->opts.count);
	fprintf(out, "%-*s", w, "from\\to");
	for (size_t j = 0; j < nc; j++)
		fprintf(out, " %*s", w, node_name(c, cols[j]));
	fputc('\n', out);
	size_t pairs = 0, good = 0;
	for (size_t s = 0; s < n; s++) {
		if (!is_source(c, s))
			continue;
		fprintf(out, "%-*s", w, node_name(c, s));
		for (size_t j = 0; j < nc; j++) {
			struct cell x = cell_of(c, s, cols[j]);
			char buf[32];
			if (cols[j] == s)
				snprintf(buf, sizeof(buf), "-");
			else if (!x.probes)
				snprintf(buf, sizeof(buf), "n/a");
			else if (x.failed)
				snprintf(buf, sizeof(buf), "FAIL");
			else
				snprintf(buf, sizeof(buf), "%.3f", x.worst_min);
			fprintf(out, " %*s", w, buf);
			if (cols[j] != s && x.probes) {
				pairs++;
				good += !x.failed;
			}
		}
		fputc('\n', out);
	}
	size_t addr_ok = 0;
	for (size_t i = 0; i < c->n_probes; i++)
		addr_ok += c->probes[i].received > 0;
	fprintf(out, "%zu/%zu node pairs reachable (%zu/%zu addresses answered)\n",
		good, pairs, addr_ok, c->n_probes);
	for (size_t i = 0; i < c->n_probes; i++) {
		const struct vl_probe *p = &c->probes[i];
		char a[64], why[128];
		if (send_error(p, why, sizeof(why)))
			fprintf(out, "  FAIL %s -> %s (%s): %s\n", node_name(c, p->src),
				node_name(c, p->dst), vl_ip_str(&p->ip, false, a, sizeof(a)),
				why);
		else if (!p->received)
			fprintf(out, "  FAIL %s -> %s (%s): 0/%u answered\n",
				node_name(c, p->src), node_name(c, p->dst),
				vl_ip_str(&p->ip, false, a, sizeof(a)), p->sent);
		else if (p->received < p->sent)
			fprintf(out, "  loss %s -> %s (%s): %u/%u lost (%.1f%%), RTT "
				"min/avg/max %.3f/%.3f/%.3f ms\n", node_name(c, p->src),
				node_name(c, p->dst), vl_ip_str(&p->ip, false, a, sizeof(a)),
				p->sent - p->received, p->sent,
				100.0 * (p->sent - p->received) / p->sent, p->rtt_min,
				p->rtt_sum / p->received, p->rtt_max);
	}
	free(cols);
}

struct json_object *vl_check_json(const struct vl_check *c)
{
	struct json_object *root = json_object_new_object();
	json_object_object_add(root, "lab", json_object_get(
						    json_object_object_get(c->state, "name")));
	json_object_object_add(root, "backend", json_object_get(
							json_object_object_get(c->state, "backend")));
	json_object_object_add(root, "probes_per_target", json_object_new_int((int)c->opts.count));
	struct json_object *res = json_object_new_array();
	size_t ok = 0;
	for (size_t i = 0; i < c->n_probes; i++) {
		const struct vl_probe *p = &c->probes[i];
		struct json_object *o = json_object_new_object();
		char a[64];
		json_object_object_add(o, "src", json_object_new_string(node_name(c, p->src)));
		json_object_object_add(o, "dst", json_object_new_string(node_name(c, p->dst)));
		json_object_object_add(o, "addr", json_object_new_string(
							  vl_ip_str(&p->ip, false, a, sizeof(a))));
		json_object_object_add(o, "family", json_object_new_string(
							    p->ip.family == AF_INET ? "ipv4" : "ipv6"));
		json_object_object_add(o, "sent", json_object_new_int((int)p->sent));
		json_object_object_add(o, "received", json_object_new_int((int)p->received));
		char why[128];
		if (send_error(p, why, sizeof(why)))
			json_object_object_add(o, "error", json_object_new_string(why));
		if (p->received) {
			struct json_object *r = json_object_new_object();
			json_object_object_add(r, "min", json_object_new_double(p->rtt_min));
			json_object_object_add(r, "avg", json_object_new_double(p->rtt_sum / p->received));
			json_object_object_add(r, "max", json_object_new_double(p->rtt_max));
			json_object_object_add(o, "rtt_ms", r);
		} else {
			json_object_object_add(o, "rtt_ms", NULL);
		}
		json_object_array_add(res, o);
		ok += p->received > 0;
	}
	json_object_object_add(root, "results", res);
	struct json_object *sum = json_object_new_object();
	json_object_object_add(sum, "targets", json_object_new_int((int)c->n_probes));
	json_object_object_add(sum, "answered", json_object_new_int((int)ok));
	json_object_object_add(sum, "ok", json_object_new_boolean(vl_check_ok(c)));
	json_object_object_add(root, "summary", sum);
	return root;
}

/* The node pairs of the matrix (a source and a node it probed): the
 * probes of one pair are adjacent (vl_check_run plans them source by
 * source, target node by target node).  Probe i starts a pair; with only,
 * a pair with a probe marked in only, counted at its first marked one. */
static bool starts_pair(const struct vl_check *c, size_t i, const uint8_t *only)
{
	const struct vl_probe *p = &c->probes[i];
	if (only && !only[i])
		return false;
	for (size_t j = i; j-- > 0;) {
		const struct vl_probe *q = &c->probes[j];
		if (q->src != p->src || q->dst != p->dst)
			break;
		if (!only || only[j])
			return false;
	}
	return true;
}

static size_t count_pairs(const struct vl_check *c, const uint8_t *only)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_probes; i++)
		n += starts_pair(c, i, only);
	return n;
}

void vl_convergence_print(const struct vl_check *c, const struct vl_convergence *w,
			  FILE *out)
{
	char rounds[48];
	snprintf(rounds, sizeof(rounds), "%u round%s", w->rounds, w->rounds == 1 ? "" : "s");
	if (w->converged) {
		fprintf(out, "converged after %.1f s (%s)\n", w->took_ms / 1e3, rounds);
		return;
	}
	fprintf(out, "not converged after %.1f s (%s%s)", w->took_ms / 1e3, rounds,
		w->interrupted ? ", interrupted" : "");
	if (!c->n_probes) {
		fprintf(out, ": nothing to check\n");
		return;
	}
	const uint8_t *silent = w->silent;
	size_t n = silent ? count_pairs(c, silent) : 0;
	fprintf(out, ": %zu of %zu node pairs still silent", n, count_pairs(c, NULL));
	/* Name them: up to 8, then how many more. */
	size_t named = 0;
	for (size_t i = 0; silent && i < c->n_probes && named < 8; i++)
		if (starts_pair(c, i, silent))
			fprintf(out, "%s%s -> %s", named++ ? ", " : ": ",
				node_name(c, c->probes[i].src), node_name(c, c->probes[i].dst));
	if (n > named)
		fprintf(out, ", and %zu more", n - named);
	if (w->answered_since)
		fprintf(out, "; %zu address%s answered after the last full round, "
			"too late for another", w->answered_since,
			w->answered_since == 1 ? "" : "es");
	fputc('\n', out);
}

struct json_object *vl_convergence_json(const struct vl_check *c,
					const struct vl_convergence *w)
{
	struct json_object *o = json_object_new_object();
	char txt[32];
	snprintf(txt, sizeof(txt), "%.15g", w->limit_ms / 1e3);
	json_object_object_add(o, "limit_s", json_object_new_double_s(w->limit_ms / 1e3, txt));
	json_object_object_add(o, "converged", json_object_new_boolean(w->converged));
	/* To the millisecond, written so: not 2.5007999999999999. */
	snprintf(txt, sizeof(txt), "%.3f", w->took_ms / 1e3);
	json_object_object_add(o, "seconds", json_object_new_double_s(round(w->took_ms) / 1e3, txt));
	json_object_object_add(o, "rounds", json_object_new_int((int)w->rounds));
	json_object_object_add(o, "full_rounds", json_object_new_int((int)w->full_rounds));
	json_object_object_add(o, "interrupted", json_object_new_boolean(w->interrupted));
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; w->silent && i < c->n_probes; i++) {
		if (!w->silent[i])
			continue;
		const struct vl_probe *p = &c->probes[i];
		struct json_object *t = json_object_new_object();
		char buf[64];
		json_object_object_add(t, "src", json_object_new_string(node_name(c, p->src)));
		json_object_object_add(t, "dst", json_object_new_string(node_name(c, p->dst)));
		json_object_object_add(t, "addr", json_object_new_string(
							  vl_ip_str(&p->ip, false, buf, sizeof(buf))));
		json_object_array_add(a, t);
	}
	json_object_object_add(o, "silent", a);
	return o;
}

static long node_index(const struct vl_check *c, const char *name)
{
	struct json_object *nodes = json_object_object_get(c->state, "nodes");
	for (size_t i = 0; name && i < json_object_array_length(nodes); i++)
		if (!strcmp(node_name(c, i), name))
			return (long)i;
	return -1;
}

static double rtt_of(struct json_object *r, const char *key)
{
	return json_object_get_double(json_object_object_get(r, key));
}

int vl_check_add_json(struct vl_check *c, struct json_object *report, struct vl_err *err)
{
	struct json_object *res = json_object_object_get(report, "results");
	if (!json_object_is_type(res, json_type_array))
		return vl_errf(err, "check report without results"), -EINVAL;
	size_t n = json_object_array_length(res);
	struct vl_probe *p = realloc(c->probes, (c->n_probes + n + 1) * sizeof(*p));
	if (!p)
		return vl_errf(err, "check: out of memory"), -ENOMEM;
	c->probes = p;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(res, i);
		struct vl_probe x = {.rtt_min = -1, .rtt_max = -1};
		const char *src = json_object_get_string(json_object_object_get(o, "src"));
		const char *dst = json_object_get_string(json_object_object_get(o, "dst"));
		const char *addr = json_object_get_string(json_object_object_get(o, "addr"));
		long s = node_index(c, src), d = node_index(c, dst);
		if (s < 0 || d < 0 || !addr || vl_ip_parse(addr, false, &x.ip) < 0)
			return vl_errf(err, "check report: result %zu names %s -> %s (%s), which "
				       "this lab does not have", i + 1, src ? src : "?",
				       dst ? dst : "?", addr ? addr : "?"), -EINVAL;
		x.src = (size_t)s, x.dst = (size_t)d;
		x.sent = (unsigned)json_object_get_int(json_object_object_get(o, "sent"));
		x.received = (unsigned)json_object_get_int(json_object_object_get(o, "received"));
		if (json_object_object_get(o, "error"))
			x.send_errno = EHOSTUNREACH;
		struct json_object *r = json_object_object_get(o, "rtt_ms");
		if (x.received && r) {
			x.rtt_min = rtt_of(r, "min");
			x.rtt_max = rtt_of(r, "max");
			x.rtt_sum = rtt_of(r, "avg") * x.received;
		}
		c->probes[c->n_probes++] = x;
	}
	return 0;
}
