/* SPDX-License-Identifier: BSD-2-Clause */
/* link.c — `vnetlab link LAB A:IF B:IF [show|set ...|clear|up|down] [--json]`.
 *
 * The words go to the lab's keeper as they are (it owns the topology and
 * applies the change, see linkedit.h); the answer is the link as it is now.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/ctl.h"

int cmd_link(int argc, char **argv)
{
	/* `link add LAB A:IF B:IF` changes the graph (edit.c); a lab named
	 * add or rm is still reached by `link add A:IF B:IF`: a lab name has
	 * no colon. */
	if (argc >= 3 && !strchr(argv[2], ':') && !strcmp(argv[1], "add"))
		return cli_link_add(argc - 1, argv + 1);
	if (argc >= 3 && !strchr(argv[2], ':') && !strcmp(argv[1], "rm"))
		return cli_link_rm(argc - 1, argv + 1);
	bool json = false, force = false;
	char *words[64];
	int n = 0;
	const char *lab = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--force"))
			force = true;
		else if (!lab)
			lab = argv[i];
		else if (n < 63)
			words[n++] = argv[i];
		else
			return cli_usage("link");
	}
	if (!lab || n < 2)
		return cli_usage("link");
	if (cli_mh_is(lab))
		return cli_mh_link(lab, n, words, json, force);
	/* The keeper reads --force among the words (linkedit.h). */
	if (force)
		words[n++] = "--force";
	struct vl_err err;
	vl_err_init(&err);
	char reply[VL_CTL_MAX];
	struct vl_lab_paths p;
	if (cli_lab(lab, &p, &err) < 0)
		return cli_fail(&err);
	if (!vl_lab_alive(&p)) {
		vl_errf(&err, "lab '%s' is not running (see: vnetlab ls)", lab);
		return cli_fail(&err);
	}
	if (vl_ctl_link(&p, n, words, reply, sizeof(reply), &err) < 0)
		return cli_fail(&err);
	struct json_object *o = json_tokener_parse(reply + 3);
	if (!o) {
		vl_errf(&err, "lab '%s': the keeper's answer is not JSON", lab);
		return cli_fail(&err);
	}
	if (json)
		printf("%s\n", json_object_to_json_string_ext(
				       o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		cli_print_link(o);
	json_object_put(o);
	return 0;
}
