/* SPDX-License-Identifier: BSD-2-Clause */
/* pipe.c — the userspace pipe (pipe.h). */
#include "linux/pipe.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_SIZE 2048u          /* one ring slot: header + up to ~1.9 KB */
#define RING_FRAMES 4096u
#define BLOCK_SIZE (1u << 16)
#define TX_BATCH 64
#define MAX_PIPES 4096

struct port {
	int fd;
	uint8_t *ring;
	size_t ring_len;
	unsigned next;                /* next ring frame to look at */
	struct vl_sched_dir in;       /* frames that arrived here, on
					 CLOCK_MONOTONIC; guarded by pipes.lock */
	int out[2];                   /* ports they leave by; -1: none */
};

struct pipe {
	struct port port[VL_PIPE_MAX_PORTS];
	int n;
};

struct vl_pipes {
	pthread_mutex_t lock;
	pthread_t thread;
	bool running;
	int wake;                     /* eventfd: new pipe or stop */
	bool stop;
	struct pipe *p[MAX_PIPES];    /* NULL: a removed pipe's free slot */
	int n;
	uint64_t gen;                 /* passes begun, see vl_pipes_del */
	uint64_t rng;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- ports --------------------------------------------------------------- */

static int open_port(struct port *pt, int ifindex)
{
	pt->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			htons(ETH_P_ALL));
	if (pt->fd < 0)
		return -errno;
	int v2 = TPACKET_V2, one = 1;
	struct tpacket_req req = {.tp_block_size = BLOCK_SIZE,
				  .tp_block_nr = RING_FRAMES * FRAME_SIZE / BLOCK_SIZE,
				  .tp_frame_size = FRAME_SIZE,
				  .tp_frame_nr = RING_FRAMES};
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifindex};
	/* Only frames arriving at the port: what we send out of it must not
	 * come back to us. */
	if (setsockopt(pt->fd, SOL_PACKET, PACKET_VERSION, &v2, sizeof(v2)) < 0 ||
	    setsockopt(pt->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0 ||
	    setsockopt(pt->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0 ||
	    setsockopt(pt->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -errno;
	pt->ring_len = (size_t)req.tp_block_size * req.tp_block_nr;
	pt->ring = mmap(NULL, pt->ring_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			pt->fd, 0);
	if (pt->ring == MAP_FAILED) {
		pt->ring = NULL;
		return -errno;
	}
	if (bind(pt->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static void close_port(struct port *pt)
{
	if (pt->ring)
		munmap(pt->ring, pt->ring_len);
	if (pt->fd >= 0)
		close(pt->fd);
	pt->ring = NULL;
	pt->fd = -1;
}

/* ---- frames in and out ---------------------------------------------------- */

/* A batch of frames that arrived at pt, out by each of its out ports (a
 * tee's copy leaves with the original); tx counts the first. */
static void send_out(struct pipe *p, struct port *pt, struct mmsghdr *m, unsigned n)
{
	for (int o = 0; o < 2; o++) {
		if (pt->out[o] < 0)
			continue;
		int sent = sendmmsg(p->port[pt->out[o]].fd, m, n, MSG_DONTWAIT);
		if (o == 0)
			pt->in.st.tx += sent > 0 ? (uint64_t)sent : 0;
	}
}

static struct tpacket2_hdr *ring_frame(struct port *pt, unsigned i)
{
	return (struct tpacket2_hdr *)(pt->ring + (size_t)(i % RING_FRAMES) * FRAME_SIZE);
}

static bool frame_ready(struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER;
}

/* Nothing to apply and nothing waiting: send the ring's frames as they
 * are, straight from the ring, in batches, and hand the slots back after
 * (no copy, no queue).  Returns false when the frames must take the
 * queue instead. */
static bool cut_through(struct pipe *p, struct port *pt)
{
	struct vl_sched_dir *d = &pt->in;
	if (d->im.set || d->count)
		return false;
	for (;;) {
		struct mmsghdr m[TX_BATCH];
		struct iovec iov[TX_BATCH];
		unsigned n = 0;
		struct tpacket2_hdr *h;
		while (n < TX_BATCH && frame_ready(h = ring_frame(pt, pt->next + n))) {
			iov[n] = (struct iovec){(uint8_t *)h + h->tp_mac, h->tp_snaplen};
			m[n] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[n], .msg_iovlen = 1}};
			n++;
		}
		if (!n)
			return true;
		send_out(p, pt, m, n);
		d->st.rx += n;
		for (unsigned i = 0; i < n; i++)
			__atomic_store_n(&ring_frame(pt, pt->next + i)->tp_status,
					 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		pt->next = (pt->next + n) % RING_FRAMES;
	}
}

/* Take every frame the kernel has put in the port's ring.  Each is timed
 * from when it is taken, never from the start of the pass: a frame that
 * reached the ring while this thread was busy with other ports, or was
 * preempted, would otherwise count as having arrived before it did and
 * leave up to that long before its delay (measured one way: 5 ms delay,
 * frames through in 1 ms beside a flow the other way). */
static void drain(struct vl_pipes *ps, struct pipe *p, struct port *pt)
{
	if (cut_through(p, pt))
		return;
	for (;;) {
		struct tpacket2_hdr *h =
			(struct tpacket2_hdr *)(pt->ring + (size_t)pt->next * FRAME_SIZE);
		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return;
		vl_sched_admit(&pt->in, &ps->rng, (uint8_t *)h + h->tp_mac, h->tp_snaplen,
			       now_ns());
		__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		pt->next = (pt->next + 1) % RING_FRAMES;
	}
}

/* Send what is due of the frames that arrived at port pt, in batches,
 * out by each of its out ports (a tee's copy leaves with the original). */
static void transmit(struct pipe *p, struct port *pt, uint64_t t)
{
	struct vl_sched_dir *dr = &pt->in;
	while (vl_sched_next_due(dr) <= t) {
		struct mmsghdr m[TX_BATCH];
		struct iovec iov[TX_BATCH];
		unsigned n = 0;
		for (uint32_t i = 0; n < TX_BATCH && i < dr->count; i++) {
			struct vl_sched_slot *s = vl_sched_at(dr, i);
			if (s->due > t)
				break;
			iov[n] = (struct iovec){s->data, s->len};
			m[n] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[n], .msg_iovlen = 1}};
			n++;
		}
		send_out(p, pt, m, n);
		/* A frame a port refuses (peer gone, buffer full, link down)
		 * is lost like on a wire; never retry forever. */
		vl_sched_pop(dr, n);
	}
}

/* ---- the thread ----------------------------------------------------------------- */

/* One pass over every port: take what arrived, send what is due; the
 * earliest departure still waiting into *next. */
static int pass(struct vl_pipes *ps, struct pollfd *pfd, uint64_t t, uint64_t *next)
{
	int k = 1;
	for (int i = 0; i < ps->n; i++) {
		struct pipe *p = ps->p[i];
		for (int j = 0; p && j < p->n; j++) {
			struct port *pt = &p->port[j];
			drain(ps, p, pt);
			transmit(p, pt, t);
			if (vl_sched_next_due(&pt->in) < *next)
				*next = vl_sched_next_due(&pt->in);
			pfd[k++] = (struct pollfd){.fd = pt->fd, .events = POLLIN};
		}
	}
	return k;
}

static void *run(void *arg)
{
	struct vl_pipes *ps = arg;
	/* Wake-ups are departures: the default 50 us timer slack would be
	 * 50 us of delay error on every frame. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	struct pollfd pfd[VL_PIPE_MAX_PORTS * MAX_PIPES + 1]; /* 128 KiB of 8 MiB */
	for (;;) {
		pthread_mutex_lock(&ps->lock);
		if (ps->stop) {
			pthread_mutex_unlock(&ps->lock);
			return NULL;
		}
		ps->gen++;
		uint64_t t = now_ns(), next = UINT64_MAX;
		pfd[0] = (struct pollfd){.fd = ps->wake, .events = POLLIN};
		int n = pass(ps, pfd, t, &next);
		pthread_mutex_unlock(&ps->lock);
		struct timespec ts, *tsp = NULL;
		if (next != UINT64_MAX) {
			/* From now, not from the pass's start: a long pass
			 * must not add its length to the sleep. */
			uint64_t now = now_ns(), wait = next > now ? next - now : 0;
			ts = (struct timespec){(time_t)(wait / 1000000000ull),
					       (long)(wait % 1000000000ull)};
			tsp = &ts;
		}
		if (ppoll(pfd, (nfds_t)n, tsp, NULL) <= 0)
			continue;
		if (pfd[0].revents) {
			uint64_t v;
			ssize_t r = read(ps->wake, &v, sizeof(v));
			(void)r;
		}
		/* A port whose link went down reports ENETDOWN once; read it,
		 * or poll would return at once forever. */
		for (int i = 1; i < n; i++)
			if (pfd[i].revents & POLLERR) {
				int e;
				socklen_t l = sizeof(e);
				getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &e, &l);
			}
	}
}

struct vl_pipes *vl_pipes_new(void)
{
	struct vl_pipes *ps = calloc(1, sizeof(*ps));
	if (!ps)
		return NULL;
	pthread_mutex_init(&ps->lock, NULL);
	ps->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (getrandom(&ps->rng, sizeof(ps->rng), 0) != sizeof(ps->rng) || !ps->rng)
		ps->rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)now_ns();
	if (ps->wake < 0) {
		free(ps);
		return NULL;
	}
	return ps;
}

static void poke(struct vl_pipes *ps)
{
	uint64_t one = 1;
	ssize_t w = write(ps->wake, &one, sizeof(one));
	(void)w;
}

static void free_pipe(struct pipe *p)
{
	for (int i = 0; i < p->n; i++) {
		close_port(&p->port[i]);
		vl_sched_fini(&p->port[i].in);
	}
	free(p);
}

int vl_pipes_add(struct vl_pipes *ps, const struct vl_pipe_port *ports, int n)
{
	int idx = 0;
	while (idx < ps->n && ps->p[idx])
		idx++;
	if (idx == MAX_PIPES)
		return -ENOSPC;
	if (n < 1 || n > VL_PIPE_MAX_PORTS)
		return -EINVAL;
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->n = n;
	for (int i = 0; i < n; i++)
		p->port[i].fd = -1;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct port *pt = &p->port[i];
		for (int o = 0; o < 2; o++)
			pt->out[o] = ports[i].out[o] >= 0 && ports[i].out[o] < n ? ports[i].out[o] : -1;
		rc = vl_sched_init(&pt->in, &ports[i].im);
		if (rc == 0)
			rc = open_port(pt, ports[i].ifindex);
	}
	if (rc < 0) {
		free_pipe(p);
		return rc;
	}
	pthread_mutex_lock(&ps->lock);
	ps->p[idx] = p;
	if (idx == ps->n)
		ps->n++;
	pthread_mutex_unlock(&ps->lock);
	if (!ps->running) {
		/* The thread must not take the keeper's signals (signalfd). */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		rc = -pthread_create(&ps->thread, NULL, run, ps);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc < 0)
			return rc;
		ps->running = true;
	}
	poke(ps);
	return idx;
}

void vl_pipes_set(struct vl_pipes *ps, int pipe, int port, const struct vl_impair *im)
{
	pthread_mutex_lock(&ps->lock);
	if (ps->p[pipe])
		vl_sched_retune(&ps->p[pipe]->port[port].in, im);
	pthread_mutex_unlock(&ps->lock);
	poke(ps);
}

void vl_pipes_flush(struct vl_pipes *ps, int pipe)
{
	pthread_mutex_lock(&ps->lock);
	struct pipe *p = ps->p[pipe];
	for (int i = 0; p && i < p->n; i++) {
		struct port *pt = &p->port[i];
		/* What the ring holds arrived before the wire was pulled. */
		struct tpacket2_hdr *h;
		while (frame_ready(h = ring_frame(pt, pt->next))) {
			pt->in.st.rx++;
			pt->in.st.dropped_queue++;
			__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
			pt->next = (pt->next + 1) % RING_FRAMES;
		}
		vl_sched_flush(&pt->in);
	}
	pthread_mutex_unlock(&ps->lock);
	poke(ps);
}

void vl_pipes_del(struct vl_pipes *ps, int pipe)
{
	pthread_mutex_lock(&ps->lock);
	struct pipe *p = ps->p[pipe];
	ps->p[pipe] = NULL;
	uint64_t gen = ps->gen;
	pthread_mutex_unlock(&ps->lock);
	if (!p)
		return;
	/* The thread polls the ports' descriptors outside the lock: close
	 * them only once it has begun a pass that no longer lists them. */
	poke(ps);
	for (bool seen = !ps->running; !seen;) {
		pthread_mutex_lock(&ps->lock);
		seen = ps->gen != gen || ps->stop;
		pthread_mutex_unlock(&ps->lock);
		if (!seen)
			nanosleep(&(struct timespec){0, 200 * 1000}, NULL);
	}
	free_pipe(p);
}

void vl_pipes_stats(struct vl_pipes *ps, int pipe, int port, struct vl_pipe_stats *st)
{
	pthread_mutex_lock(&ps->lock);
	if (ps->p[pipe])
		*st = ps->p[pipe]->port[port].in.st;
	else
		memset(st, 0, sizeof(*st));
	pthread_mutex_unlock(&ps->lock);
}

void vl_pipes_free(struct vl_pipes *ps)
{
	if (!ps)
		return;
	if (ps->running) {
		pthread_mutex_lock(&ps->lock);
		ps->stop = true;
		pthread_mutex_unlock(&ps->lock);
		poke(ps);
		pthread_join(ps->thread, NULL);
	}
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i])
			free_pipe(ps->p[i]);
	close(ps->wake);
	pthread_mutex_destroy(&ps->lock);
	free(ps);
}
