/* SPDX-License-Identifier: BSD-2-Clause */
/* residue.h — what a lab could leave on the system, as a set of strings.
 *
 * A snapshot lists every namespace any visible process is in, the netns
 * links in /run/netns, the interfaces and mounts this process sees, the
 * processes running the vnetlab binary, every file under the run's state
 * directory and every AF_UNIX socket bound there.  Taken before an
 * experiment and compared after it, it shows what the experiment left
 * behind, whatever the cause: the rollback, fault and soak tests use it.
 */
#ifndef VNETLAB_TEST_RESIDUE_H
#define VNETLAB_TEST_RESIDUE_H

#include <stddef.h>

struct sysview {
	char **item; /* sorted: "ns net:[4026532292]", "mount /run/netns/x", ... */
	size_t n;
};

void sysview_take(struct sysview *s);
void sysview_free(struct sysview *s);
/* Items of now not in before, one per line, into out; their count. */
size_t sysview_new(const struct sysview *before, const struct sysview *now,
		   char *out, size_t len);
/* cr_expect that nothing is new since before, allowing the kernel up to
 * 3 s to finish killing processes and freeing what they held; ctx
 * prefixes the failure message. */
void assert_no_residue(const struct sysview *before, const char *ctx);

#endif
