/* SPDX-License-Identifier: BSD-2-Clause */
/* place.c — which host each node runs on, and each host's part (place.h).
 *
 * The lab is a graph: every node (switches too) a vertex, every link an
 * edge between its two endpoints' nodes (a link from a node to itself, and
 * a tunnel end, join nothing).  Placement is the graph partitioning of
 * multilevel partitioners without the levels, since labs are small:
 *
 *   1. targets: host h's share n * cap_h / total (largest remainder, ties
 *      to the lower index), allowed max(1, 5%) either side;
 *   2. pinned nodes on their hosts;
 *   3. three initial partitions, all greedy graph growing (a frontier
 *      node joins by the cut it saves — its links into the region less
 *      those to nodes no host has yet — then breadth-first depth, then
 *      index: compact regions, squares on a grid):
 *      together: seeds far apart (the first a far end, by a double
 *      sweep from node 0; each next the node farthest from every seed so
 *      far, pins counting as their hosts' seeds; ties to the lower index),
 *      every host growing at once, the least filled (load / target)
 *      first, each up to its target;
 *      in turn: one host after the other grows to its target from a far
 *      end of what is left (or from its pins), so a chain is cut hosts-1
 *      times; and the same with equal gains by index instead of depth
 *      (rows of a grid, halves cut straight);
 *   4. nodes no region reaches (another component, every host full) start
 *      a region of the host most below its target;
 *   5. Fiduccia-Mattheyses passes, k-way: every free node's best move
 *      (the host its links gain most on) in a heap, best gain first; a
 *      move must keep both hosts within their bounds; a moved node is
 *      locked for the pass; the pass keeps the prefix of moves with the
 *      lowest cut.  Passes repeat while one lowers the cut, at most 10;
 *      the refined partition with the lowest cut wins (a tie: the first).
 *
 * Each pass costs O(E k + M log M) for M heap entries (a node's links per
 * host are counted in an n x k table, so a hub's best move is O(k)); no
 * step is quadratic in the nodes.  Everything is ordered by indices, so
 * the same lab and hosts give the same placement anywhere.
 */
#include "vnetlab/place.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/topo_json.h"

#define MAX_PASSES 10

/* ---- the graph ---------------------------------------------------------- */

struct graph {
	size_t n;
	size_t *off; /* n + 1: node v's neighbours are adj[off[v] .. off[v+1]) */
	size_t *adj; /* one entry per link end: a node linked twice is there twice */
};

static bool is_edge(const struct vl_link *l)
{
	return !l->has_tunnel && l->ep[0].node != l->ep[1].node;
}

static int graph_make(const struct vl_topo *t, struct graph *g)
{
	g->n = t->n_nodes;
	g->off = calloc(g->n + 1, sizeof(size_t));
	size_t m = 0;
	for (size_t l = 0; l < t->n_links; l++)
		m += is_edge(&t->links[l]) ? 2 : 0;
	g->adj = malloc((m ? m : 1) * sizeof(size_t));
	if (!g->off || !g->adj)
		return -ENOMEM;
	for (size_t l = 0; l < t->n_links; l++)
		if (is_edge(&t->links[l])) {
			g->off[t->links[l].ep[0].node + 1]++;
			g->off[t->links[l].ep[1].node + 1]++;
		}
	for (size_t v = 0; v < g->n; v++)
		g->off[v + 1] += g->off[v];
	size_t *fill = malloc((g->n ? g->n : 1) * sizeof(size_t));
	if (!fill)
		return -ENOMEM;
	memcpy(fill, g->off, g->n * sizeof(size_t));
	for (size_t l = 0; l < t->n_links; l++)
		if (is_edge(&t->links[l])) {
			size_t a = t->links[l].ep[0].node, b = t->links[l].ep[1].node;
			g->adj[fill[a]++] = b;
			g->adj[fill[b]++] = a;
		}
	free(fill);
	return 0;
}

static void graph_free(struct graph *g)
{
	free(g->off);
	free(g->adj);
}

/* Multi-source breadth-first distances from every node with dist 0 on
 * entry (the others SIZE_MAX); queue has room for n. */
static void bfs(const struct graph *g, size_t *dist, size_t *queue)
{
	size_t head = 0, tail = 0;
	for (size_t v = 0; v < g->n; v++)
		if (dist[v] == 0)
			queue[tail++] = v;
	while (head < tail) {
		size_t v = queue[head++];
		for (size_t i = g->off[v]; i < g->off[v + 1]; i++) {
			size_t u = g->adj[i];
			if (dist[u] == SIZE_MAX) {
				dist[u] = dist[v] + 1;
				queue[tail++] = u;
			}
		}
	}
}

/* ---- the state of one placement ------------------------------------------ */

#define NONE SIZE_MAX

struct pl {
	const struct graph *g;
	size_t n, k;
	size_t *host;    /* by node, NONE while unplaced */
	bool *pinned;
	size_t *load;
	size_t *target, *lo, *hi; /* by host */
	uint32_t *conn;  /* n x k: node v's links to nodes on host h */
	bool by_index;   /* grow: equal gains by index, not by depth */
	uint32_t *placed; /* grow: node v's links to placed nodes */
};

static size_t cut_of(const struct pl *s)
{
	size_t c = 0;
	for (size_t v = 0; v < s->n; v++)
		for (size_t i = s->g->off[v]; i < s->g->off[v + 1]; i++)
			c += s->g->adj[i] > v && s->host[s->g->adj[i]] != s->host[v];
	return c;
}

static void targets(struct pl *s, const struct vl_hosts *h)
{
	unsigned long long total = 0;
	for (size_t i = 0; i < s->k; i++)
		total += h->hosts[i].capacity;
	size_t sum = 0;
	unsigned long long *rem = calloc(s->k, sizeof(*rem));
	for (size_t i = 0; i < s->k; i++) {
		unsigned long long x = (unsigned long long)s->n * h->hosts[i].capacity;
		s->target[i] = (size_t)(x / total);
		if (rem)
			rem[i] = x % total;
		sum += s->target[i];
	}
	/* The nodes the floors leave: to the largest remainders. */
	while (sum < s->n) {
		size_t best = 0;
		for (size_t i = 1; rem && i < s->k; i++)
			if (rem[i] > rem[best])
				best = i;
		s->target[best]++;
		if (rem)
			rem[best] = 0;
		sum++;
	}
	free(rem);
	for (size_t i = 0; i < s->k; i++) {
		size_t slack = s->target[i] * 5 / 100;
		if (slack < 1)
			slack = 1;
		s->hi[i] = s->target[i] + slack;
		s->lo[i] = s->target[i] > slack ? s->target[i] - slack : 0;
	}
}

static void put(struct pl *s, size_t v, size_t h)
{
	s->host[v] = h;
	s->load[h]++;
}

/* ---- seeds and the breadth-first grow ------------------------------------- */

/* A frontier node of a host's region: the cut it saves by joining
 * (links into the region minus the others), then its breadth-first depth
 * from the region's seed, then its index.  Greedy graph growing, as in
 * METIS's initial partitioning: by gain, the regions come out compact
 * (squares on a grid, not diamonds), by depth still breadth-first. */
struct gent {
	long gain;
	size_t depth, v;
};

struct gheap {
	struct gent *e;
	size_t n, cap;
};

static bool gbefore(const struct gent *a, const struct gent *b)
{
	if (a->gain != b->gain)
		return a->gain > b->gain;
	if (a->depth != b->depth)
		return a->depth < b->depth;
	return a->v < b->v;
}

static int gpush(struct gheap *h, struct gent x)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		struct gent *e = realloc(h->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		h->e = e;
		h->cap = cap;
	}
	size_t i = h->n++;
	while (i > 0 && gbefore(&x, &h->e[(i - 1) / 2])) {
		h->e[i] = h->e[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->e[i] = x;
	return 0;
}

static void gpop(struct gheap *h)
{
	struct gent x = h->e[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && gbefore(&h->e[c + 1], &h->e[c]))
			c++;
		if (!gbefore(&h->e[c], &x))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	if (h->n)
		h->e[i] = x;
}

static size_t deg(const struct pl *s, size_t v)
{
	return s->g->off[v + 1] - s->g->off[v];
}

/* What v joining h saves: its links into h's region, less those to
 * nodes nobody has yet (a link to another host's region is cut whoever
 * takes v but that host). */
static long ggain(const struct pl *s, size_t v, size_t h)
{
	return (long)s->conn[v * s->k + h] + (long)s->placed[v] - (long)deg(s, v);
}

/* Host h takes v (depth from its seed): every neighbour's count of links
 * to h goes up (the table the refinement starts from), and the unplaced
 * ones are h's frontier at their new gain. */
static int claim(struct pl *s, struct gheap *fr, size_t v, size_t h, size_t depth)
{
	put(s, v, h);
	for (size_t i = s->g->off[v]; i < s->g->off[v + 1]; i++) {
		size_t u = s->g->adj[i];
		s->conn[u * s->k + h]++;
		s->placed[u]++;
		if (s->host[u] == NONE &&
		    gpush(&fr[h], (struct gent){ggain(s, u, h), s->by_index ? 0 : depth + 1, u}) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* h's best frontier node still unplaced, at its current gain (gains only
 * grow while growing: an entry behind is put back at its gain now). */
static bool gtop(const struct pl *s, struct gheap *h, size_t host, struct gent *out)
{
	while (h->n) {
		struct gent e = h->e[0];
		if (s->host[e.v] != NONE) {
			gpop(h);
			continue;
		}
		long now = ggain(s, e.v, host);
		if (e.gain == now) {
			*out = e;
			return true;
		}
		gpop(h);
		e.gain = now;
		(void)gpush(h, e); /* a slot just freed: no allocation */
	}
	return false;
}

/* load/target below the other's: a * tb < b * ta, as integers. */
static bool less_full(const struct pl *s, size_t a, size_t b)
{
	unsigned long long la = s->load[a], lb = s->load[b];
	unsigned long long ta = s->target[a] ? s->target[a] : 1, tb = s->target[b] ? s->target[b] : 1;
	return la * tb < lb * ta;
}

/* The host most below its target (or least over it), for a node no
 * region reaches. */
static size_t neediest(const struct pl *s)
{
	size_t best = 0;
	for (size_t i = 1; i < s->k; i++) {
		long long di = (long long)s->target[i] - (long long)s->load[i];
		long long db = (long long)s->target[best] - (long long)s->load[best];
		if (di > db || (di == db && less_full(s, i, best)))
			best = i;
	}
	return best;
}

struct scratch {
	size_t *dist, *queue; /* n each; dist SIZE_MAX between uses */
	size_t cursor;        /* every node below it is placed */
};

static size_t first_unplaced(const struct pl *s, struct scratch *w)
{
	while (w->cursor < s->n && s->host[w->cursor] != NONE)
		w->cursor++;
	return w->cursor < s->n ? w->cursor : NONE;
}

/* The unplaced node farthest from `from` through unplaced nodes (ties
 * to the lower index); only from's component is visited. */
static size_t farthest_unplaced(const struct pl *s, struct scratch *w, size_t from)
{
	size_t head = 0, tail = 0, best = from;
	w->dist[from] = 0;
	w->queue[tail++] = from;
	while (head < tail) {
		size_t v = w->queue[head++];
		if (w->dist[v] > w->dist[best] || (w->dist[v] == w->dist[best] && v < best))
			best = v;
		for (size_t i = s->g->off[v]; i < s->g->off[v + 1]; i++) {
			size_t u = s->g->adj[i];
			if (s->host[u] == NONE && w->dist[u] == SIZE_MAX) {
				w->dist[u] = w->dist[v] + 1;
				w->queue[tail++] = u;
			}
		}
	}
	for (size_t i = 0; i < tail; i++)
		w->dist[w->queue[i]] = SIZE_MAX;
	return best;
}

/* Seeds far apart for the hosts without pins: each the node farthest
 * from every placed node (the first, with nothing placed, a far end:
 * a double sweep's far end); a node nothing reaches is farthest. */
static int seed_apart(struct pl *s, struct gheap *fr, struct scratch *w)
{
	size_t n = s->n;
	bool any = false;
	for (size_t h = 0; h < s->k; h++)
		any |= s->load[h] > 0;
	for (size_t h = 0; h < s->k; h++) {
		if (s->load[h] > 0 || s->target[h] == 0)
			continue;
		for (size_t v = 0; v < n; v++)
			w->dist[v] = SIZE_MAX;
		if (any) {
			for (size_t v = 0; v < n; v++)
				if (s->host[v] != NONE)
					w->dist[v] = 0;
		} else {
			/* The first: a far end, found by a double sweep (the
			 * node farthest from the node farthest from node 0), so
			 * on a chain the first host starts where node 0 is. */
			w->dist[0] = 0;
			bfs(s->g, w->dist, w->queue);
			size_t a = 0;
			for (size_t v = 0; v < n; v++)
				if (w->dist[v] != SIZE_MAX && w->dist[v] > w->dist[a])
					a = v;
			for (size_t v = 0; v < n; v++)
				w->dist[v] = SIZE_MAX;
			w->dist[a] = 0;
		}
		bfs(s->g, w->dist, w->queue);
		size_t best = NONE;
		for (size_t v = 0; v < n; v++)
			if (s->host[v] == NONE && (best == NONE || w->dist[v] > w->dist[best]))
				best = v;
		for (size_t v = 0; v < n; v++)
			w->dist[v] = SIZE_MAX;
		if (best == NONE)
			break; /* more hosts than nodes */
		if (claim(s, fr, best, h, 0) < 0)
			return -ENOMEM;
		any = true;
	}
	return 0;
}

/* Every host at once from seeds far apart, the least filled first. */
static int grow_together(struct pl *s, struct gheap *fr, struct scratch *w, size_t left)
{
	if (seed_apart(s, fr, w) < 0)
		return -ENOMEM;
	left = 0;
	for (size_t v = 0; v < s->n; v++)
		left += s->host[v] == NONE;
	while (left > 0) {
		size_t h = NONE;
		struct gent e, he = {0};
		for (size_t i = 0; i < s->k; i++)
			if (s->load[i] < s->target[i] && gtop(s, &fr[i], i, &e) &&
			    (h == NONE || less_full(s, i, h))) {
				h = i;
				he = e;
			}
		if (h == NONE) {
			/* No region reaches further: the lowest unplaced node
			 * starts another region of the neediest host. */
			size_t v = first_unplaced(s, w);
			if (claim(s, fr, v, neediest(s), 0) < 0)
				return -ENOMEM;
		} else {
			gpop(&fr[h]);
			if (claim(s, fr, he.v, h, he.depth) < 0)
				return -ENOMEM;
		}
		left--;
	}
	return 0;
}

/* One host after the other, each to its target, from a far end of what
 * is left (or from its pins): on a chain every region is one stretch. */
static int grow_in_turn(struct pl *s, struct gheap *fr, struct scratch *w, size_t left)
{
	for (size_t h = 0; h < s->k && left > 0; h++) {
		while (s->load[h] < s->target[h] && left > 0) {
			struct gent e;
			if (gtop(s, &fr[h], h, &e)) {
				gpop(&fr[h]);
				if (claim(s, fr, e.v, h, e.depth) < 0)
					return -ENOMEM;
			} else {
				size_t v = first_unplaced(s, w);
				v = farthest_unplaced(s, w, farthest_unplaced(s, w, v));
				if (claim(s, fr, v, h, 0) < 0)
					return -ENOMEM;
			}
			left--;
		}
	}
	while (left-- > 0)
		if (claim(s, fr, first_unplaced(s, w), neediest(s), 0) < 0)
			return -ENOMEM;
	return 0;
}

enum grow_mode { GROW_TOGETHER, GROW_IN_TURN, GROW_IN_TURN_BY_INDEX, GROW__COUNT };

static int grow(struct pl *s, enum grow_mode mode)
{
	size_t n = s->n, na = n ? n : 1, k = s->k;
	struct scratch w = {malloc(na * sizeof(size_t)), malloc(na * sizeof(size_t)), 0};
	struct gheap *fr = calloc(k, sizeof(*fr));
	int rc = -ENOMEM;
	if (!w.dist || !w.queue || !fr)
		goto out;
	for (size_t v = 0; v < n; v++)
		w.dist[v] = SIZE_MAX;
	/* Pins first: their hosts' regions start from them. */
	size_t left = 0;
	for (size_t v = 0; v < n; v++) {
		if (s->pinned[v]) {
			size_t h = s->host[v];
			s->host[v] = NONE;
			s->load[h]--;
			if (claim(s, fr, v, h, 0) < 0)
				goto out;
		}
	}
	for (size_t v = 0; v < n; v++)
		left += s->host[v] == NONE;
	s->by_index = mode == GROW_IN_TURN_BY_INDEX;
	rc = mode == GROW_TOGETHER ? grow_together(s, fr, &w, left)
				   : grow_in_turn(s, fr, &w, left);
out:
	for (size_t i = 0; fr && i < k; i++)
		free(fr[i].e);
	free(fr);
	free(w.dist);
	free(w.queue);
	return rc;
}

/* ---- Fiduccia-Mattheyses ---------------------------------------------------- */

struct entry {
	long gain;
	size_t v, to;
	uint32_t stamp;
};

struct heap {
	struct entry *e;
	size_t n, cap;
};

/* a before b: higher gain, then lower node index, then lower host. */
static bool before(const struct entry *a, const struct entry *b)
{
	if (a->gain != b->gain)
		return a->gain > b->gain;
	if (a->v != b->v)
		return a->v < b->v;
	return a->to < b->to;
}

static int heap_push(struct heap *h, struct entry x)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		struct entry *e = realloc(h->e, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		h->e = e;
		h->cap = cap;
	}
	size_t i = h->n++;
	while (i > 0 && before(&x, &h->e[(i - 1) / 2])) {
		h->e[i] = h->e[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->e[i] = x;
	return 0;
}

static struct entry heap_pop(struct heap *h)
{
	struct entry top = h->e[0], x = h->e[--h->n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->e[c + 1], &h->e[c]))
			c++;
		if (!before(&h->e[c], &x))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	if (h->n)
		h->e[i] = x;
	return top;
}

static bool may_move(const struct pl *s, size_t v, size_t to)
{
	size_t from = s->host[v];
	return to != from && s->load[to] < s->hi[to] && s->load[from] > s->lo[from];
}

/* v's best move now that keeps the balance: false when it has none. */
static bool best_move(const struct pl *s, size_t v, struct entry *out)
{
	const uint32_t *c = &s->conn[v * s->k];
	size_t from = s->host[v];
	bool found = false;
	for (size_t h = 0; h < s->k; h++) {
		if (h == from || !may_move(s, v, h))
			continue;
		/* Only towards a host v has links to: elsewhere the gain is
		 * never positive, and a pass need not wander there. */
		if (c[h] == 0)
			continue;
		long gain = (long)c[h] - (long)c[from];
		if (!found || gain > out->gain) {
			*out = (struct entry){.gain = gain, .v = v, .to = h};
			found = true;
		}
	}
	return found;
}

static void move(struct pl *s, size_t v, size_t to)
{
	size_t from = s->host[v];
	for (size_t i = s->g->off[v]; i < s->g->off[v + 1]; i++) {
		size_t u = s->g->adj[i];
		s->conn[u * s->k + from]--;
		s->conn[u * s->k + to]++;
	}
	s->load[from]--;
	s->load[to]++;
	s->host[v] = to;
}

struct step {
	size_t v, from;
};

/* One pass; the cut's change through *delta (<= 0).  -ENOMEM or 0. */
static int fm_pass(struct pl *s, long *delta, bool *locked, uint32_t *stamp,
		   struct step *steps, struct heap *hp)
{
	size_t n = s->n;
	hp->n = 0;
	memset(locked, 0, n * sizeof(bool));
	for (size_t v = 0; v < n; v++) {
		stamp[v]++;
		struct entry e;
		if (!s->pinned[v] && best_move(s, v, &e)) {
			e.stamp = stamp[v];
			if (heap_push(hp, e) < 0)
				return -ENOMEM;
		}
	}
	long run = 0, best = 0;
	size_t n_steps = 0, best_steps = 0;
	/* A pass that has gone this far past its best is not coming back. */
	size_t patience = n / 4 > 100 ? n / 4 : 100;
	while (hp->n > 0 && n_steps - best_steps < patience) {
		struct entry e = heap_pop(hp);
		if (locked[e.v] || e.stamp != stamp[e.v])
			continue; /* stale */
		struct entry now;
		if (!best_move(s, e.v, &now))
			continue; /* no longer allowed; a neighbour's move may re-offer it */
		if (now.gain != e.gain || now.to != e.to) {
			now.stamp = e.stamp;
			if (heap_push(hp, now) < 0)
				return -ENOMEM;
			continue;
		}
		steps[n_steps++] = (struct step){e.v, s->host[e.v]};
		move(s, e.v, e.to);
		locked[e.v] = true;
		run -= e.gain;
		if (run < best) {
			best = run;
			best_steps = n_steps;
		}
		for (size_t i = s->g->off[e.v]; i < s->g->off[e.v + 1]; i++) {
			size_t u = s->g->adj[i];
			if (locked[u] || s->pinned[u])
				continue;
			struct entry ue;
			stamp[u]++;
			if (best_move(s, u, &ue)) {
				ue.stamp = stamp[u];
				if (heap_push(hp, ue) < 0)
					return -ENOMEM;
			}
		}
	}
	/* Keep the best prefix: undo the rest, last first. */
	while (n_steps > best_steps) {
		n_steps--;
		move(s, steps[n_steps].v, steps[n_steps].from);
	}
	*delta = best;
	return 0;
}

static int refine(struct pl *s, unsigned *passes)
{
	size_t n = s->n, na = n ? n : 1;
	bool *locked = malloc(na * sizeof(bool));
	uint32_t *stamp = calloc(na, sizeof(uint32_t));
	struct step *steps = malloc(na * sizeof(*steps));
	struct heap hp = {0};
	int rc = -ENOMEM;
	if (!locked || !stamp || !steps)
		goto out;
	rc = 0; /* conn: the grow's */
	*passes = 0;
	while (*passes < MAX_PASSES) {
		long delta;
		if ((rc = fm_pass(s, &delta, locked, stamp, steps, &hp)) < 0)
			break;
		++*passes;
		if (delta == 0)
			break;
	}
out:
	free(locked);
	free(stamp);
	free(steps);
	free(hp.e);
	return rc;
}

/* ---- vl_place ---------------------------------------------------------------- */

static int check_pins(const struct vl_topo *t, const struct vl_hosts *h, struct pl *s,
		      struct vl_err *err)
{
	int bad = 0;
	for (size_t v = 0; v < t->n_nodes; v++) {
		const struct vl_node *nd = &t->nodes[v];
		if (!nd->host[0])
			continue;
		long i = vl_hosts_find(h, nd->host);
		if (i < 0) {
			char names[256] = "";
			size_t o = 0;
			for (size_t j = 0; j < h->n && o + 40 < sizeof(names); j++)
				o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
						      j ? ", " : "", h->hosts[j].name);
			if (bad++ < 20)
				vl_errf(err, "%s:%d:%d: error: node %s is pinned to host '%s', "
					"which %s does not have (it has %s)", t->file,
					nd->host_pos.line, nd->host_pos.col, nd->name, nd->host,
					h->file, names);
			continue;
		}
		s->pinned[v] = true;
		put(s, v, (size_t)i);
	}
	return bad ? -EINVAL : 0;
}

int vl_place(const struct vl_topo *t, const struct vl_hosts *h, struct vl_placement *p,
	     struct vl_err *err)
{
	memset(p, 0, sizeof(*p));
	p->method = "bfs-grow + fiduccia-mattheyses";
	if (!h || h->n == 0)
		return vl_errf(err, "placement: no hosts"), -EINVAL;
	if (t->n_links && (uint64_t)h->vni_base + t->n_links - 1 > 16777215u)
		return vl_errf(err, "%s: error: vni_base %u and %zu links pass the largest VNI, "
			       "16777215", h->file, h->vni_base, t->n_links), -EINVAL;
	struct graph g = {0};
	struct pl s = {.g = &g, .n = t->n_nodes, .k = h->n};
	size_t n = s.n ? s.n : 1, k = s.k, *pins = NULL, *best = NULL;
	int rc = graph_make(t, &g);
	s.host = malloc(n * sizeof(size_t));
	s.pinned = calloc(n, sizeof(bool));
	s.load = calloc(k, sizeof(size_t));
	s.target = calloc(k, sizeof(size_t));
	s.lo = calloc(k, sizeof(size_t));
	s.hi = calloc(k, sizeof(size_t));
	s.conn = calloc(n * k, sizeof(uint32_t));
	s.placed = calloc(n, sizeof(uint32_t));
	if (rc < 0 || !s.host || !s.pinned || !s.load || !s.target || !s.lo || !s.hi ||
	    !s.conn || !s.placed) {
		vl_errf(err, "placement: out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t v = 0; v < s.n; v++)
		s.host[v] = NONE;
	targets(&s, h);
	if ((rc = check_pins(t, h, &s, err)) < 0)
		goto out;
	pins = malloc(n * sizeof(size_t));
	best = malloc(n * sizeof(size_t));
	if (!pins || !best) {
		rc = -ENOMEM;
		goto oom;
	}
	memcpy(pins, s.host, s.n * sizeof(size_t));
	/* Every grow, each refined; the lower cut wins (a tie: the first). */
	static const char *const methods[] = {
		"bfs-grow (together, seeds far apart) + fiduccia-mattheyses",
		"bfs-grow (in turn, from far ends) + fiduccia-mattheyses",
		"bfs-grow (in turn, from far ends, ties by index) + fiduccia-mattheyses"};
	for (int mode = GROW_TOGETHER; mode < GROW__COUNT; mode++) {
		memcpy(s.host, pins, s.n * sizeof(size_t));
		memset(s.load, 0, k * sizeof(size_t));
		for (size_t v = 0; v < s.n; v++)
			if (s.host[v] != NONE)
				s.load[s.host[v]]++;
		memset(s.conn, 0, n * k * sizeof(uint32_t));
		memset(s.placed, 0, n * sizeof(uint32_t));
		unsigned passes = 0;
		if ((rc = grow(&s, (enum grow_mode)mode)) < 0)
			goto oom;
		size_t initial = cut_of(&s);
		if ((rc = refine(&s, &passes)) < 0)
			goto oom;
		size_t cut = cut_of(&s);
		if (mode == GROW_TOGETHER || cut < p->cut) {
			p->cut = cut;
			p->cut_initial = initial;
			p->passes = passes;
			p->method = methods[mode];
			memcpy(best, s.host, s.n * sizeof(size_t));
		}
	}
	memcpy(s.host, best, s.n * sizeof(size_t));
	memset(s.load, 0, k * sizeof(size_t));
	for (size_t v = 0; v < s.n; v++)
		s.load[s.host[v]]++;
	p->n_nodes = s.n;
	p->n_hosts = k;
	p->host = s.host;
	p->load = s.load;
	s.host = NULL;
	s.load = NULL;
	goto out;
oom:
	vl_errf(err, "placement: out of memory");
out:
	free(pins);
	free(best);
	graph_free(&g);
	free(s.host);
	free(s.pinned);
	free(s.load);
	free(s.target);
	free(s.lo);
	free(s.hi);
	free(s.conn);
	free(s.placed);
	return rc;
}

void vl_placement_free(struct vl_placement *p)
{
	free(p->host);
	free(p->load);
	p->host = p->load = NULL;
}

bool vl_place_is_cut(const struct vl_topo *t, const struct vl_placement *p, size_t link)
{
	const struct vl_link *l = &t->links[link];
	return is_edge(l) && p->host[l->ep[0].node] != p->host[l->ep[1].node];
}

uint32_t vl_place_vni(const struct vl_hosts *h, size_t link)
{
	return h->vni_base + (uint32_t)link;
}

unsigned vl_place_mtu(const struct vl_hosts *h)
{
	unsigned over = h->n && h->hosts[0].underlay.family == AF_INET6 ? 70 : 50;
	return h->underlay_mtu > over ? h->underlay_mtu - over : 0;
}

/* ---- the parts ------------------------------------------------------------------ */

/* The tunnel end of cut link l on the side of its endpoint e. */
static struct json_object *tunnel_end(const struct vl_topo *t, const struct vl_hosts *h,
				      const struct vl_placement *p, size_t l, int e)
{
	static const char *const impls[] = {"auto", "kernel", "userspace"};
	const struct vl_link *lk = &t->links[l];
	const struct vl_host *here = &h->hosts[p->host[lk->ep[e].node]];
	const struct vl_host *there = &h->hosts[p->host[lk->ep[1 - e].node]];
	struct json_object *o = json_object_new_object();
	struct json_object *eps = json_object_new_array();
	struct json_object *tun = json_object_new_object();
	if (!o || !eps || !tun) {
		json_object_put(o);
		json_object_put(eps);
		json_object_put(tun);
		return NULL;
	}
	char buf[64];
	vl_endpoint_name(t, &lk->ep[e], buf, sizeof(buf));
	json_object_array_add(eps, json_object_new_string(buf));
	json_object_object_add(o, "endpoints", eps);
	json_object_object_add(tun, "vxlan", json_object_new_int64(vl_place_vni(h, l)));
	json_object_object_add(tun, "local", json_object_new_string(
						     vl_ip_str(&here->underlay, false, buf, sizeof(buf))));
	json_object_object_add(tun, "remote", json_object_new_string(vl_ip_str(
						      &there->underlay, false, buf, sizeof(buf))));
	json_object_object_add(tun, "port", json_object_new_int(h->vxlan_port));
	json_object_object_add(tun, "mtu", json_object_new_int((int)vl_place_mtu(h)));
	json_object_object_add(o, "tunnel", tun);
	if (lk->impl != VL_IMPL_AUTO)
		json_object_object_add(o, "impl", json_object_new_string(impls[lk->impl]));
	/* What leaves this host: ep[e]'s direction (dir[0] is ep[0] -> ep[1]).
	 * The frames arriving are the other side's to impair. */
	if (lk->dir[e].set)
		json_object_object_add(o, "downstream", vl_impair_to_json(&lk->dir[e]));
	return o;
}

struct json_object *vl_place_part(const struct vl_topo *t, const struct vl_hosts *h,
				  const struct vl_placement *p, size_t host)
{
	struct json_object *doc = vl_topo_to_json(t);
	struct json_object *nodes, *links, *kept = json_object_new_array();
	if (!doc || !kept || !json_object_object_get_ex(doc, "nodes", &nodes) ||
	    !json_object_object_get_ex(doc, "links", &links))
		goto fail;
	for (size_t v = 0; v < t->n_nodes; v++) {
		if (p->host[v] != host) {
			json_object_object_del(nodes, t->nodes[v].name);
			continue;
		}
		struct json_object *nd;
		if (json_object_object_get_ex(nodes, t->nodes[v].name, &nd))
			json_object_object_del(nd, "host");
	}
	for (size_t l = 0; l < t->n_links; l++) {
		const struct vl_link *lk = &t->links[l];
		size_t a = p->host[lk->ep[0].node], b = p->host[lk->ep[1].node];
		if (a == host && b == host) {
			struct json_object *o = json_object_array_get_idx(links, l);
			if (json_object_array_add(kept, json_object_get(o)) < 0)
				goto fail;
		} else if (a == host || b == host) {
			struct json_object *o = tunnel_end(t, h, p, l, a == host ? 0 : 1);
			if (!o || json_object_array_add(kept, o) < 0)
				goto fail;
		}
	}
	json_object_object_add(doc, "links", kept);
	return doc;
fail:
	json_object_put(kept);
	json_object_put(doc);
	return NULL;
}

/* ---- plan --hosts ------------------------------------------------------------------ */

#define SHOW_NODES 20

void vl_place_print(FILE *out, const struct vl_topo *t, const struct vl_hosts *h,
		    const struct vl_placement *p)
{
	fprintf(out, "placement: %s, %zu node%s over %zu host%s\n", p->method, p->n_nodes,
		p->n_nodes == 1 ? "" : "s", p->n_hosts, p->n_hosts == 1 ? "" : "s");
	fprintf(out, "cut: %zu -> %zu link%s across hosts (%u refinement pass%s)\n",
		p->cut_initial, p->cut, p->cut == 1 ? "" : "s", p->passes,
		p->passes == 1 ? "" : "es");
	for (size_t i = 0; i < p->n_hosts; i++) {
		const struct vl_host *x = &h->hosts[i];
		char ip[64];
		fprintf(out, "host %s (%s, underlay %s): capacity %u, load %zu:", x->name, x->ssh,
			vl_ip_str(&x->underlay, false, ip, sizeof(ip)), x->capacity, p->load[i]);
		size_t shown = 0;
		for (size_t v = 0; v < t->n_nodes; v++) {
			if (p->host[v] != i)
				continue;
			if (shown++ < SHOW_NODES)
				fprintf(out, " %s", t->nodes[v].name);
		}
		if (shown > SHOW_NODES)
			fprintf(out, " ... and %zu more", shown - SHOW_NODES);
		fputc('\n', out);
	}
	size_t n_tun = 0;
	for (size_t l = 0; l < t->n_links; l++)
		n_tun += vl_place_is_cut(t, p, l);
	fprintf(out, "tunnels: %zu\n", n_tun);
	for (size_t l = 0; l < t->n_links; l++) {
		if (!vl_place_is_cut(t, p, l))
			continue;
		const struct vl_link *lk = &t->links[l];
		char a[64], b[64], ua[64], ub[64];
		vl_endpoint_name(t, &lk->ep[0], a, sizeof(a));
		vl_endpoint_name(t, &lk->ep[1], b, sizeof(b));
		const struct vl_host *ha = &h->hosts[p->host[lk->ep[0].node]];
		const struct vl_host *hb = &h->hosts[p->host[lk->ep[1].node]];
		fprintf(out, "  vxlan %u  %s (%s %s) <-> %s (%s %s)  mtu %u\n", vl_place_vni(h, l),
			a, ha->name, vl_ip_str(&ha->underlay, false, ua, sizeof(ua)), b, hb->name,
			vl_ip_str(&hb->underlay, false, ub, sizeof(ub)), vl_place_mtu(h));
	}
}
