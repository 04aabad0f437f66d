/* SPDX-License-Identifier: BSD-2-Clause */
/* capture.c — GET .../capture?hook=NODE:IF&seconds=N: N seconds of one
 * hook's frames as a pcap download, taken by the capture module in a
 * child that entered the hook's namespace (labview.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnetlab/impair.h"
#include "vnetlab/labview.h"
#include "web/web_int.h"

#define WEB_CAPTURE_START_MS 5000

struct pcap_stream {
	struct vl_web *w;
	int fd;
	pid_t pid;
};

static ssize_t pcap_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct pcap_stream *s = cls;
	for (;;) {
		struct pollfd pf[2] = {{.fd = s->fd, .events = POLLIN},
				       {.fd = s->w->quit[0], .events = POLLIN}};
		int r = poll(pf, 2, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || pf[1].revents)
			return MHD_CONTENT_READER_END_OF_STREAM;
		ssize_t n = read(s->fd, buf, max);
		if (n < 0 && errno == EINTR)
			continue;
		return n > 0 ? n : MHD_CONTENT_READER_END_OF_STREAM;
	}
}

/* The reader went away or the capture ended: the child is reaped here
 * (killed first when it still runs), so none outlives its download. */
static void pcap_free(void *cls)
{
	struct pcap_stream *s = cls;
	close(s->fd);
	vl_labview_reap(s->pid);
	free(s);
}

enum MHD_Result web_capture(struct vl_web *w, struct MHD_Connection *c, const struct vl_lab_paths *p)
{
	const char *hook = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "hook");
	const char *secs = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "seconds");
	double seconds = 0;
	if (!hook || !strchr(hook, ':') || strlen(hook) > 128 || !secs ||
	    vl_real_arg(secs, 0.1, VL_WEB_CAPTURE_MAX_S, &seconds) < 0)
		return web_error(c, MHD_HTTP_BAD_REQUEST, "write ?hook=NODE:IF&seconds=N, N from "
				 "0.1 to %d", VL_WEB_CAPTURE_MAX_S);
	struct pcap_stream *s = calloc(1, sizeof(*s));
	if (!s)
		return MHD_NO;
	struct vl_err err;
	vl_err_init(&err);
	s->w = w;
	s->fd = vl_labview_capture(p, hook, seconds, WEB_CAPTURE_START_MS, &s->pid, &err);
	if (s->fd < 0) {
		free(s);
		return web_error(c, MHD_HTTP_BAD_REQUEST, "%s", err.msg);
	}
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
								    pcap_read, s, pcap_free);
	if (!r) {
		pcap_free(s);
		return MHD_NO;
	}
	/* The file name from names only: nothing the header could misread. */
	char name[200], disp[256];
	snprintf(name, sizeof(name), "%s-%s", p->name, hook);
	for (char *x = name; *x; x++)
		if (!((*x >= 'a' && *x <= 'z') || (*x >= 'A' && *x <= 'Z') ||
		      (*x >= '0' && *x <= '9') || *x == '-' || *x == '.'))
			*x = '_';
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.pcap\"", name);
	MHD_add_response_header(r, "Content-Type", "application/vnd.tcpdump.pcap");
	MHD_add_response_header(r, "Content-Disposition", disp);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	return web_queue(c, MHD_HTTP_OK, r);
}
