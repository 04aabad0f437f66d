/* SPDX-License-Identifier: BSD-2-Clause */
/* doctor.c — `vnetlab doctor [--json]`: what each mode needs on this host,
 * whether it is there, and the fix for what is not. */
#include <getopt.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>

#include "cli/cli.h"
#include "vnetlab/doctor.h"
#include "vnetlab/privs.h"

static const char *verdict(bool ok)
{
	return ok ? "available" : "NOT available";
}

static void print_text(const struct vl_host_facts *f, const struct vl_doctor *d,
		       enum vl_mode mode, const char *root)
{
	printf("host: %s, uid %u\n", f->kernel, f->uid);
	printf("root mode:     %s\nrootless mode: %s\n", verdict(d->root_ok),
	       verdict(d->rootless_ok));
	printf("your labs run in %s mode; their state is kept in %s\n\n",
	       vl_mode_name(mode), root);
	for (size_t i = 0; i < d->n; i++) {
		const struct vl_doctor_item *it = &d->items[i];
		printf("%-4s  %-45s %s\n", vl_doc_status_name(it->status), it->id,
		       it->value);
		if (it->detail[0])
			printf("      %s [%s]\n", it->detail, it->mode);
		if (it->fix[0])
			printf("      fix: %s\n", it->fix);
	}
}

static json_object *to_json(const struct vl_host_facts *f, const struct vl_doctor *d,
			    enum vl_mode mode, const char *root)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kernel", json_object_new_string(f->kernel));
	json_object_object_add(o, "uid", json_object_new_int64(f->uid));
	json_object_object_add(o, "mode", json_object_new_string(vl_mode_name(mode)));
	json_object_object_add(o, "state_dir", json_object_new_string(root));
	json_object *modes = json_object_new_object();
	json_object_object_add(modes, "root", json_object_new_boolean(d->root_ok));
	json_object_object_add(modes, "rootless", json_object_new_boolean(d->rootless_ok));
	json_object_object_add(o, "available", modes);
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct vl_doctor_item *it = &d->items[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_string(it->id));
		json_object_object_add(j, "mode", json_object_new_string(it->mode));
		json_object_object_add(j, "status",
				       json_object_new_string(vl_doc_status_name(it->status)));
		json_object_object_add(j, "value", json_object_new_string(it->value));
		json_object_object_add(j, "detail", json_object_new_string(it->detail));
		json_object_object_add(j, "fix", it->fix[0] ? json_object_new_string(it->fix)
							    : NULL);
		json_object_array_add(items, j);
	}
	json_object_object_add(o, "checks", items);
	return o;
}

int cmd_doctor(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"proc-root", required_argument, NULL, 'p'},
		{0}};
	bool json = false;
	const char *proc = "/proc";
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'p': proc = optarg; break;
		default: return cli_usage("doctor");
		}
	}
	if (optind != argc)
		return cli_usage("doctor");
	struct vl_host_facts f;
	struct vl_doctor d;
	vl_doctor_read(proc, &f);
	vl_doctor_probe(&f);
	vl_doctor_eval(&f, &d);
	enum vl_mode mode = vl_privs_mode();
	char root[PATH_MAX / 2 - 64];
	struct vl_err err;
	vl_err_init(&err);
	if (vl_state_root(root, sizeof(root), false, &err) < 0)
		snprintf(root, sizeof(root), "(unusable: %.1900s)", err.msg);
	if (json) {
		json_object *o = to_json(&f, &d, mode, root);
		printf("%s\n", json_object_to_json_string_ext(
				       o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		print_text(&f, &d, mode, root);
	}
	return (mode == VL_MODE_ROOT ? d.root_ok : d.rootless_ok) ? 0 : 1;
}
