/* SPDX-License-Identifier: BSD-2-Clause */
/* doctor reads each setting from a (fake) /proc tree correctly, judges it,
 * and gives the fix; the state-directory rule keeps users apart. */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vnetlab/doctor.h"
#include "vnetlab/lab.h"
#include "vnetlab/probe.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], dir[256];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void fake_proc(void)
{
	snprintf(root, sizeof(root), "/tmp/vnetlab-fakeproc-XXXXXX");
	cr_assert_not_null(mkdtemp(root));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

static void rm_tree(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(doctor, .init = fake_proc, .fini = rm_tree);

static const struct vl_doctor_item *item(const struct vl_doctor *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->items[i].id, id) == 0)
			return &d->items[i];
	cr_assert_fail("no item %s", id);
	return NULL;
}

/* A host where everything works, as the probes would report it. */
static void healthy_live(struct vl_host_facts *f)
{
	f->live = true;
	f->rootless_error = 0;
	f->qdisc_error = 0;
	f->qdiscs = VL_QDISC_NETEM | VL_QDISC_TBF | VL_QDISC_HTB;
	f->nofile_soft = 1024;
	f->nofile_hard = 20000;
}

Test(doctor, absent_files_read_as_absent)
{
	struct vl_host_facts f;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.max_user_namespaces, -1);
	cr_expect_eq(f.unprivileged_userns_clone, -1);
	cr_expect_eq(f.apparmor_restrict, -1);
	cr_expect_eq(f.seccomp, -1);
}

Test(doctor, healthy_host)
{
	put("sys/user/max_user_namespaces", "15000\n");
	put("self/status", "Name:\tvnetlab\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.max_user_namespaces, 15000);
	cr_expect_eq(f.seccomp, 0);
	healthy_live(&f);
	vl_doctor_eval(&f, &d);
	cr_expect(d.rootless_ok);
	cr_expect_not(d.root_ok, "no capabilities were set");
	for (size_t i = 0; i < d.n; i++)
		cr_expect(d.items[i].status == VL_DOC_OK ||
			  d.items[i].status == VL_DOC_INFO, "%s: %s", d.items[i].id,
			  d.items[i].detail);
}

Test(doctor, max_user_namespaces_zero)
{
	put("sys/user/max_user_namespaces", "0\n");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.max_user_namespaces, 0);
	vl_doctor_eval(&f, &d);
	cr_expect_not(d.rootless_ok);
	const struct vl_doctor_item *it = item(&d, "user.max_user_namespaces");
	cr_expect_eq(it->status, VL_DOC_FAIL);
	cr_expect(strstr(it->fix, "sysctl -w user.max_user_namespaces=15000"), "%s", it->fix);
	char why[200];
	vl_doctor_rootless_reason(&f, EPERM, why, sizeof(why));
	cr_expect(strstr(why, "user.max_user_namespaces is 0"), "%s", why);
}

Test(doctor, debian_unprivileged_userns_clone)
{
	put("sys/user/max_user_namespaces", "15000\n");
	put("sys/kernel/unprivileged_userns_clone", "0\n");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.unprivileged_userns_clone, 0);
	vl_doctor_eval(&f, &d);
	cr_expect_not(d.rootless_ok);
	const struct vl_doctor_item *it = item(&d, "kernel.unprivileged_userns_clone");
	cr_expect_eq(it->status, VL_DOC_FAIL);
	cr_expect(strstr(it->fix, "kernel.unprivileged_userns_clone=1"), "%s", it->fix);
	put("sys/kernel/unprivileged_userns_clone", "1\n");
	vl_doctor_read(root, &f);
	vl_doctor_eval(&f, &d);
	cr_expect(d.rootless_ok);
	cr_expect_eq(item(&d, "kernel.unprivileged_userns_clone")->status, VL_DOC_OK);
}

Test(doctor, ubuntu_apparmor_restriction)
{
	put("sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.apparmor_restrict, 1);
	vl_doctor_eval(&f, &d);
	cr_expect_not(d.rootless_ok);
	const struct vl_doctor_item *it =
		item(&d, "kernel.apparmor_restrict_unprivileged_userns");
	cr_expect_eq(it->status, VL_DOC_FAIL);
	cr_expect(strstr(it->fix, "apparmor_restrict_unprivileged_userns=0"), "%s", it->fix);
	cr_expect(strstr(it->fix, "userns,"), "the profile alternative: %s", it->fix);
}

Test(doctor, docker_seccomp_profile)
{
	put("self/status", "Seccomp:\t2\nSeccomp_filters:\t1\n");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	cr_expect_eq(f.seccomp, 2);
	healthy_live(&f);
	/* A filter alone is not a failure: Docker-like profiles that allow
	 * user namespaces exist. */
	vl_doctor_eval(&f, &d);
	cr_expect_eq(item(&d, "seccomp")->status, VL_DOC_OK);
	cr_expect(d.rootless_ok);
	/* A filter and the probe's EPERM at unshare(CLONE_NEWUSER) is. */
	f.rootless_error = EPERM;
	snprintf(f.rootless_step, sizeof(f.rootless_step), "unshare(CLONE_NEWUSER)");
	vl_doctor_eval(&f, &d);
	cr_expect_not(d.rootless_ok);
	const struct vl_doctor_item *it = item(&d, "seccomp");
	cr_expect_eq(it->status, VL_DOC_FAIL);
	cr_expect(strstr(it->fix, "seccomp=unconfined"), "%s", it->fix);
	cr_expect_eq(item(&d, "rootless-probe")->status, VL_DOC_FAIL);
}

Test(doctor, missing_netem_is_a_warning_with_a_way_out)
{
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	healthy_live(&f);
	f.qdiscs = VL_QDISC_TBF | VL_QDISC_HTB;
	vl_doctor_eval(&f, &d);
	const struct vl_doctor_item *it = item(&d, "qdisc.netem");
	cr_expect_eq(it->status, VL_DOC_WARN);
	cr_expect_str_eq(it->value, "missing");
	cr_expect(strstr(it->fix, "modprobe sch_netem"), "%s", it->fix);
	cr_expect_eq(item(&d, "qdisc.tbf")->status, VL_DOC_OK);
	cr_expect_eq(item(&d, "qdisc.htb")->status, VL_DOC_OK);
	cr_expect(d.rootless_ok, "impairments never block a mode");
}

Test(doctor, low_nofile_limit)
{
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(root, &f);
	healthy_live(&f);
	f.nofile_hard = 1024;
	vl_doctor_eval(&f, &d);
	cr_expect_eq(item(&d, "RLIMIT_NOFILE")->status, VL_DOC_WARN);
}

/* ---- state directories: root's, each user's, and a squatted /tmp one ---- */

Test(state_root, root_and_users_are_apart)
{
	char out[256];
	vl_state_root_choose(VL_MODE_ROOT, NULL, "/run/user/1000", 0, out, sizeof(out));
	cr_expect_str_eq(out, "/run/vnetlab");
	vl_state_root_choose(VL_MODE_ROOTLESS, "/x/y", "/run/user/1000", 1000, out,
			     sizeof(out));
	cr_expect_str_eq(out, "/x/y", "VNETLAB_STATE_DIR wins");
	vl_state_root_choose(VL_MODE_ROOTLESS, NULL, NULL, 1000, out, sizeof(out));
	cr_expect_str_eq(out, "/tmp/vnetlab-1000");
	vl_state_root_choose(VL_MODE_ROOTLESS, NULL, "relative", 1000, out, sizeof(out));
	cr_expect_str_eq(out, "/tmp/vnetlab-1000");
}

Test(state_root, runtime_dir_only_when_private)
{
	char xdg[] = "/tmp/vnetlab-xdg-XXXXXX", out[256], want[300];
	cr_assert_not_null(mkdtemp(xdg));
	uid_t me = geteuid();
	vl_state_root_choose(VL_MODE_ROOTLESS, NULL, xdg, me, out, sizeof(out));
	snprintf(want, sizeof(want), "%s/vnetlab", xdg);
	cr_expect_str_eq(out, want);
	chmod(xdg, 0755);
	vl_state_root_choose(VL_MODE_ROOTLESS, NULL, xdg, me, out, sizeof(out));
	snprintf(want, sizeof(want), "/tmp/vnetlab-%u", (unsigned)me);
	cr_expect_str_eq(out, want, "a runtime dir others can enter is not used");
	chmod(xdg, 0700);
	vl_state_root_choose(VL_MODE_ROOTLESS, NULL, xdg, me + 1, out, sizeof(out));
	cr_expect(strncmp(out, "/tmp/vnetlab-", 13) == 0 && !strstr(out, xdg),
		  "someone else's runtime dir is not used: %s", out);
	rmdir(xdg);
}

Test(state_root, refuses_a_shared_or_foreign_directory)
{
	char dir[] = "/tmp/vnetlab-st-XXXXXX", out[256];
	cr_assert_not_null(mkdtemp(dir));
	setenv("VNETLAB_STATE_DIR", dir, 1);
	struct vl_err err;
	vl_err_init(&err);
	cr_expect_eq(vl_state_root(out, sizeof(out), false, &err), 0, "%s", err.msg);
	chmod(dir, 0777);
	vl_err_init(&err);
	cr_expect_eq(vl_state_root(out, sizeof(out), false, &err), -EPERM);
	cr_expect(strstr(err.msg, "not a private directory"), "%s", err.msg);
	chmod(dir, 0700);
	rmdir(dir);
	unsetenv("VNETLAB_STATE_DIR");
}
