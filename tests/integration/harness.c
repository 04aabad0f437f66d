/* harness.c — see harness.h. */
#include "harness.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char state[64];

/* One private state directory for the whole run, made before Criterion
 * forks the tests so all of them share it, removed at the end. */
__attribute__((constructor)) static void make_state_dir(void)
{
	/* Criterion may re-execute this binary for each test: reuse. */
	const char *mine = getenv("VNETLAB_ITEST_STATE");
	if (mine && strlen(mine) < sizeof(state)) {
		snprintf(state, sizeof(state), "%s", mine);
		return;
	}
	snprintf(state, sizeof(state), "/tmp/vnetlab-itest-XXXXXX");
	if (!mkdtemp(state)) {
		perror("mkdtemp");
		exit(2);
	}
	setenv("VNETLAB_STATE_DIR", state, 1);
	setenv("VNETLAB_ITEST_STATE", state, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	(void)stats;
	if (rmdir(state) == 0)
		return;
	/* Something outlived its test: say what, loudly. */
	fprintf(stderr, "harness: WARNING: %s is not empty; left behind:\n", state);
	DIR *d = opendir(state);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fprintf(stderr, "harness:   %s\n", e->d_name);
	if (d)
		closedir(d);
}

const char *state_dir(void)
{
	return state;
}

const char *bin(void)
{
	const char *b = getenv("VNETLAB");
	return b ? b : "./vnetlab";
}

static bool root_caps(void)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t a = CAP_CLEAR, n = CAP_CLEAR;
	if (c) {
		cap_get_flag(c, CAP_SYS_ADMIN, CAP_EFFECTIVE, &a);
		cap_get_flag(c, CAP_NET_ADMIN, CAP_EFFECTIVE, &n);
		cap_free(c);
	}
	return a == CAP_SET && n == CAP_SET;
}

const char *lab_mode(void)
{
	return root_caps() ? "root" : "rootless";
}

/* Can this process make a user namespace?  Tried in a child. */
static int userns_errno(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) < 0 ? errno : 0);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : EIO;
}

void need_labs(void)
{
	if (root_caps())
		return;
	int e = userns_errno();
	if (e)
		cr_skip_test("SKIP: not root, and this host forbids user namespaces "
			     "(unshare: %s); `vnetlab doctor` says why", strerror(e));
}

void need_root(const char *why)
{
	if (!root_caps())
		cr_skip_test("SKIP: needs root: %s", why);
}

/* A filter like Docker's default profile: unshare/clone with
 * CLONE_NEWUSER get EPERM, clone3 ENOSYS (so libc falls back to clone). */
static void deny_userns(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("seccomp");
		_exit(125);
	}
}

static void child(const char *const argv[], const struct runopt *o, int in,
		  int out)
{
	if (o->pty) {
		setsid();
		ioctl(out, TIOCSCTTY, 0);
	}
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	for (int i = 0; i < 6 && o->env[i]; i++)
		putenv((char *)o->env[i]);
	if (o->as_uid && (setgroups(0, NULL) < 0 || setresgid(o->gid, o->gid, o->gid) < 0 ||
			  setresuid(o->uid, o->uid, o->uid) < 0)) {
		perror("becoming the test user");
		_exit(125);
	}
	if (o->deny_userns)
		deny_userns();
	/* vnetlab starts with 0, 1 and 2 only, as from a shell: what it
	 * passes on is then its own doing (test_hygiene checks that). */
	close_range(3, ~0U, 0);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

static void collect(int fd, char *out, size_t len)
{
	size_t got = 0;
	ssize_t r;
	char sink[4096];
	while ((r = read(fd, got + 1 < len ? out + got : sink,
			 got + 1 < len ? len - 1 - got : sizeof(sink))) > 0 ||
	       (r < 0 && errno == EINTR))
		if (r > 0 && got + 1 < len)
			got += (size_t)r;
	out[got] = '\0';
}

int runx(const char *const argv[], const struct runopt *o, char *out, size_t len)
{
	int ip[2], op[2];
	cr_assert_eq(pipe2(ip, O_CLOEXEC), 0);
	if (o->pty) {
		int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		cr_assert(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
		int s = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
		cr_assert(s >= 0);
		op[0] = m, op[1] = s;
	} else {
		cr_assert_eq(pipe2(op, O_CLOEXEC), 0);
	}
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0)
		child(argv, o, o->pty ? op[1] : ip[0], op[1]);
	close(ip[0]);
	close(op[1]);
	if (o->in) {
		ssize_t w = write(ip[1], o->in, strlen(o->in));
		(void)w;
	}
	close(ip[1]);
	collect(op[0], out, len); /* a pty master reads EIO once all closed */
	close(op[0]);
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int run(const char *const argv[], const char *in, char *out, size_t len,
	const char *env)
{
	struct runopt o = {.in = in, .env = {env, NULL}};
	return runx(argv, &o, out, len);
}

static char lab_name[64];

const char *lab(const char *base)
{
	snprintf(lab_name, sizeof(lab_name), "t%d-%s", (int)getpid(), base);
	return lab_name;
}

void topo(const char *name, char *path, size_t len)
{
	const char *dir = getenv("TOPOLOGIES");
	snprintf(path, len, "%s/%s.yaml", dir ? dir : "topologies", name);
}

void assert_gone(const char *l)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", state, l);
	cr_expect_neq(stat(p, &st), 0, "state directory %s left behind", p);
	DIR *d = opendir("/run/netns");
	struct dirent *e;
	size_t ln = strlen(l);
	while (d && (e = readdir(d)))
		cr_expect(!(strncmp(e->d_name, l, ln) == 0 && e->d_name[ln] == '.'),
			  "netns link %s left behind", e->d_name);
	if (d)
		closedir(d);
}

void up_text(const char *base, const char *yaml, char *file, char *name)
{
	snprintf(file, 64, "/tmp/vnetlab-itest-XXXXXX");
	int fd = mkstemp(file);
	cr_assert(fd >= 0);
	dprintf(fd, "%s", yaml);
	close(fd);
	snprintf(name, 64, "%s", lab(base));
	char out[4096];
	const char *up[] = {bin(), "up", file, "--name", name, "--quiet", NULL};
	cr_assert_eq(run(up, NULL, out, sizeof(out), NULL), 0, "%s", out);
}

void down_text(const char *file, const char *name)
{
	char out[4096];
	const char *down[] = {bin(), "down", name, NULL};
	cr_expect_eq(run(down, NULL, out, sizeof(out), NULL), 0, "%s", out);
	unlink(file);
	assert_gone(name);
}
