/* SPDX-License-Identifier: BSD-2-Clause */
/* web.c — `vnetlab web [--listen ADDR:PORT] [--expose] [--token-file F]`:
 * the caller's labs in a browser (web.h), until Ctrl-C or SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "vnetlab/web.h"

struct web_args {
	struct vl_web_opts o;
	const char *token_file;
	char token[VL_WEB_TOKEN_MAX + 2];
};

static int parse_args(int argc, char **argv, struct web_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--listen") && v)
			a->o.listen = argv[++i];
		else if (!strcmp(argv[i], "--token-file") && v)
			a->token_file = argv[++i];
		else if (!strcmp(argv[i], "--expose"))
			a->o.expose = true;
		else
			return -1;
	}
	return 0;
}

/* --token-file F: its first line is the token, so the URL stays the same
 * from one start to the next; a file that is not there is made (0600)
 * with a new random one. */
static int token_from_file(struct web_args *a, struct vl_err *err)
{
	int fd = open(a->token_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		int rc = vl_web_token_new(a->token, err);
		size_t n = strlen(a->token);
		a->token[n] = '\n';
		if (rc == 0 && write(fd, a->token, n + 1) != (ssize_t)(n + 1))
			rc = vl_err_sys(err, errno ? errno : EIO, "%s", a->token_file);
		a->token[n] = '\0';
		close(fd);
		return rc;
	}
	if (errno != EEXIST)
		return vl_err_sys(err, errno, "%s", a->token_file);
	FILE *f = fopen(a->token_file, "re");
	if (!f)
		return vl_err_sys(err, errno, "%s", a->token_file);
	bool got = fgets(a->token, sizeof(a->token), f) != NULL;
	fclose(f);
	a->token[strcspn(a->token, "\r\n")] = '\0';
	if (!got || vl_web_token_check(a->token, err) < 0)
		return vl_errf(err, "%s: its first line is not a token", a->token_file), -EINVAL;
	return 0;
}

int cmd_web(int argc, char **argv)
{
	struct web_args a = {0};
	if (parse_args(argc, argv, &a) < 0)
		return cli_usage("web");
	struct vl_err err;
	vl_err_init(&err);
	if (a.token_file && token_from_file(&a, &err) < 0)
		return cli_fail(&err);
	a.o.token = a.token_file ? a.token : NULL;
	/* Blocked before the server's threads exist, so they inherit it and
	 * only sigwait below takes Ctrl-C and SIGTERM. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct vl_web *w = vl_web_start(&a.o, &err);
	if (!w)
		return cli_fail(&err);
	if (!vl_web_loopback(w))
		fprintf(stderr, "vnetlab: web: NOT on loopback (--expose): anyone who can reach "
			"this address and has the token can see all your labs (topology, "
			"addresses, routes, counters), download captures of their traffic "
			"and change their links\n");
	fprintf(stderr, "vnetlab: web: your labs at this URL (its token is the key; "
		"Ctrl-C stops):\n");
	printf("%s\n", vl_web_url(w));
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "vnetlab: web: stopping\n");
	vl_web_stop(w);
	return 0;
}
