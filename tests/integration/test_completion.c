/* SPDX-License-Identifier: BSD-2-Clause */
/* The bash completion offers a running lab's names, vnet nodes and
 * NODE:HOOK endpoints (completion/vnetlab.bash, `vnetlab complete`). */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* What the completion offers for the words (the last one being typed). */
static void offers(const char *words, char *out, size_t len)
{
	const char *top = getenv("TOPOLOGIES");
	char script[512], path[1024], self[512], prog[4096];
	snprintf(script, sizeof(script), "%s/../completion/vnetlab.bash", top ? top : "topologies");
	snprintf(self, sizeof(self), "%s", bin());
	snprintf(path, sizeof(path), "PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin", dirname(self));
	snprintf(prog, sizeof(prog),
		 ". '%s'; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _vnetlab; "
		 "printf '%%s\\n' \"${COMPREPLY[@]}\"", script, words);
	const char *argv[] = {"/bin/bash", "-c", prog, NULL};
	cr_assert_eq(run(argv, NULL, out, len, path), 0, "%s", out);
}

Test(completion, labs_nodes_and_hooks_of_a_running_lab, .timeout = 60)
{
	need_labs();
	char file[64], l[64], out[8192], words[256];
	up_text("compl",
		"nodes:\n"
		"  n1: { ifaces: { eth0: { addrs: [10.9.0.1/24] } } }\n"
		"  n2: { ifaces: { eth0: { addrs: [10.9.0.2/24] } } }\n"
		"  sw: { kind: bridge }\n"
		"links:\n  - [n1:eth0, sw:p1]\n  - [n2:eth0, sw:p2]\n",
		file, l);
	offers("vnetlab down ''", out, sizeof(out));
	cr_expect(strstr(out, l), "down does not offer %s:\n%s", l, out);
	snprintf(words, sizeof(words), "vnetlab exec %s ''", l);
	offers(words, out, sizeof(out));
	cr_expect(strstr(out, "n1\n") && strstr(out, "n2\n"), "%s", out);
	cr_expect_null(strstr(out, "sw\n"), "a bridge is no place to exec:\n%s", out);
	snprintf(words, sizeof(words), "vnetlab capture %s n1:", l);
	offers(words, out, sizeof(out));
	cr_expect(strstr(out, "n1:eth0"), "%s", out);
	snprintf(words, sizeof(words), "vnetlab link %s ''", l);
	offers(words, out, sizeof(out));
	cr_expect(strstr(out, "sw:p1") && strstr(out, "n2:eth0"), "%s", out);
	offers("vnetlab ch", out, sizeof(out));
	cr_expect_str_eq(out, "check\n");
	down_text(file, l);
}
