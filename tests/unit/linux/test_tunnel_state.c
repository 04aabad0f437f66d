/* SPDX-License-Identifier: BSD-2-Clause */
/* A tunnel end in state.json (`inspect --json`): its endpoints as the
 * model has them (ep[1] is ep[0]) and the tunnel with its defaults, so
 * `inspect` shows VNI, remote and MTU. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <string.h>

#include "vnetlab/plan.h"
#include "vnetlab/statefile.h"

Test(tunnel_state, link_carries_the_tunnel)
{
	const char *y = "nodes: { a: {} }\nlinks:\n"
			"  - { endpoints: [a:eth0], tunnel: { vxlan: 9, local: 192.0.2.1, "
			"remote: 192.0.2.2 }, delay: 5ms }\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_topo *t = NULL;
	cr_assert_eq(vl_topo_load_buffer("s.yaml", y, strlen(y), &t, &err), 0, "%s", err.msg);
	struct vl_plan p;
	struct vl_plan_opts o = {.qdiscs = VL_QDISC_TBF, .qdiscs_known = true};
	cr_assert_eq(vl_plan_build(t, &o, &p, &err), 0, "%s", err.msg);
	struct vl_link_live lv = {.dir = {t->links[0].dir[0], t->links[0].dir[1]},
				  .pipe_set = {p.links[0].pipe_set[0], 0}};
	struct json_object *l = vl_statefile_link(&p, 0, &lv);
	const char *s = json_object_to_json_string_ext(l, JSON_C_TO_STRING_PLAIN);
	cr_expect(strstr(s, "\"endpoints\":[\"a:eth0\",\"a:eth0\"]"), "%s", s);
	cr_expect(strstr(s, "\"tunnel\":{\"vxlan\":9,\"local\":\"192.0.2.1\",\"remote\":"
			    "\"192.0.2.2\",\"port\":4789,\"mtu\":1450}"), "%s", s);
	cr_expect(strstr(s, "\"pipe\":true"), "%s", s);
	json_object_put(l);
	vl_plan_free(&p);
	vl_topo_free(t);
}
