/* SPDX-License-Identifier: BSD-2-Clause */
/* webclient.c — see webclient.h. */
#include "webclient.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void web_start(struct websrv *w)
{
	const char *argv[] = {bin(), "web", "--listen", "127.0.0.1:0", NULL};
	bg_start(&w->bg, argv);
	/* The URL is one printf and fflush: once "\n" follows it, all of it is in. */
	cr_assert(bg_wait_text(&w->bg, "?token=", 10000), "no URL from vnetlab web: %s", w->bg.out);
	const char *u = strstr(w->bg.out, "http://127.0.0.1:");
	cr_assert_not_null(u, "%s", w->bg.out);
	cr_assert_eq(sscanf(u, "%255s", w->url), 1);
	cr_assert_eq(sscanf(u, "http://127.0.0.1:%d/?token=%159[0-9a-f]", &w->port, w->token), 2,
		     "%s", u);
	cr_assert_geq(strlen(w->token), 32, "a token of at least 128 bits: %s", w->token);
}

int web_stop(struct websrv *w)
{
	kill(w->bg.pid, SIGTERM);
	return bg_finish(&w->bg);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_to(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

int http_raw(int port, const void *req, size_t len, bool half_close, int timeout_ms,
	     char *out, size_t outlen)
{
	int s = connect_to(port);
	cr_assert(s >= 0, "connect: %s", strerror(errno));
	/* The server may answer (413, 431) and close before all is sent. */
	for (size_t off = 0; off < len;) {
		ssize_t n = send(s, (const char *)req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (half_close)
		shutdown(s, SHUT_WR);
	size_t got = 0;
	long long end = now_ms() + timeout_ms;
	for (;;) {
		struct pollfd p = {.fd = s, .events = POLLIN};
		long long left = end - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = recv(s, out + got, outlen - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == outlen - 1)
			break;
	}
	out[got] = '\0';
	close(s);
	int status = 0;
	if (sscanf(out, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	return status;
}

int http_req(const struct websrv *w, const char *method, const char *path, const char *body,
	     char *out, size_t outlen)
{
	char req[8192];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vnetlab-Token: %s\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s",
			 method, path, w->token, strlen(body), body);
	return http_raw(w->port, req, (size_t)n, false, 10000, out, outlen);
}

int proc_fds(int pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	cr_assert_not_null(d, "%s: %s", path, strerror(errno));
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

long proc_rss_kb(int pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	cr_assert_not_null(f);
	long kb = -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}
