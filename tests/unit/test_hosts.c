/* SPDX-License-Identifier: BSD-2-Clause */
/* The hosts file (hosts.h): defaults, both forms of `vnetlab`, the vxlan
 * block, and every refusal at its line:col. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vnetlab/hosts.h"

static struct vl_hosts *ok(const char *text)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_hosts *h = NULL;
	cr_assert_eq(vl_hosts_load_buffer("hosts.yaml", text, strlen(text), &h, &err), 0,
		     "%s\n%s", err.msg, text);
	cr_assert_not_null(h);
	return h;
}

/* The load fails and err has a line beginning with `where` that holds
 * `what`. */
static void refused(const char *text, const char *where, const char *what)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_hosts *h = (void *)1;
	cr_assert_lt(vl_hosts_load_buffer("hosts.yaml", text, strlen(text), &h, &err), 0,
		     "accepted:\n%s", text);
	cr_assert_null(h);
	char want[128];
	snprintf(want, sizeof(want), "hosts.yaml:%s: error: ", where);
	const char *line = strstr(err.msg, want);
	cr_expect_not_null(line, "no '%s' in:\n%s", want, err.msg);
	if (line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char one[1024];
		snprintf(one, sizeof(one), "%.*s", (int)len, line);
		cr_expect(strstr(one, what), "'%s' not in '%s'", what, one);
	}
}

Test(hosts, defaults)
{
	struct vl_hosts *h = ok("hosts:\n"
				"  h1: {ssh: root@192.0.2.1, underlay: 192.0.2.1}\n");
	cr_expect_eq(h->n, 1);
	cr_expect_str_eq(h->file, "hosts.yaml");
	cr_expect_str_eq(h->hosts[0].name, "h1");
	cr_expect_str_eq(h->hosts[0].ssh, "root@192.0.2.1");
	cr_expect_eq(h->hosts[0].underlay.family, AF_INET);
	cr_expect_eq(h->hosts[0].underlay.plen, 32);
	cr_expect_eq(h->hosts[0].capacity, 1);
	cr_expect_eq(h->hosts[0].n_vnetlab, 1);
	cr_expect_str_eq(h->hosts[0].vnetlab[0], "vnetlab");
	cr_expect_null(h->hosts[0].vnetlab[1]);
	cr_expect_eq(h->hosts[0].n_options, 0);
	cr_expect_null(h->hosts[0].options[0]);
	cr_expect_eq(h->hosts[0].pos.line, 2);
	cr_expect_eq(h->hosts[0].pos.col, 3);
	cr_expect_eq(h->vxlan_port, 4789);
	cr_expect_eq(h->vni_base, 4096);
	cr_expect_eq(h->underlay_mtu, 1500);
	cr_expect_eq(vl_hosts_find(h, "h1"), 0);
	cr_expect_eq(vl_hosts_find(h, "h2"), -1);
	vl_hosts_free(h);
}

Test(hosts, every_key)
{
	struct vl_hosts *h = ok(
		"hosts:\n"
		"  h1: { ssh: root@2001:db8::1, underlay: '2001:db8::1', vnetlab: sudo -n vnetlab }\n"
		"  h-2_b:\n"
		"    ssh: lab@[2001:db8::2]\n"
		"    underlay: 2001:db8::2\n"
		"    vnetlab: [/opt/v b/vnetlab, --x]\n"
		"    capacity: 1000000\n"
		"    options: [-i, key, -o, StrictHostKeyChecking=no]\n"
		"vxlan: {port: 8472, vni_base: 1, underlay_mtu: 9000}\n");
	cr_assert_eq(h->n, 2);
	cr_expect_eq(h->hosts[0].underlay.family, AF_INET6);
	cr_expect_eq(h->hosts[0].n_vnetlab, 3);
	cr_expect_str_eq(h->hosts[0].vnetlab[0], "sudo");
	cr_expect_str_eq(h->hosts[0].vnetlab[2], "vnetlab");
	cr_expect_str_eq(h->hosts[1].name, "h-2_b");
	cr_expect_eq(h->hosts[1].n_vnetlab, 2);
	cr_expect_str_eq(h->hosts[1].vnetlab[0], "/opt/v b/vnetlab", "a list is taken as it is");
	cr_expect_eq(h->hosts[1].capacity, 1000000);
	cr_expect_eq(h->hosts[1].n_options, 4);
	cr_expect_str_eq(h->hosts[1].options[3], "StrictHostKeyChecking=no");
	cr_expect_null(h->hosts[1].options[4]);
	cr_expect_eq(h->vxlan_port, 8472);
	cr_expect_eq(h->vni_base, 1);
	cr_expect_eq(h->underlay_mtu, 9000);
	cr_expect_eq(vl_hosts_find(h, "h-2_b"), 1);
	vl_hosts_free(h);
}

Test(hosts, refusals_say_where)
{
	refused("", "1:1", "the file is empty");
	refused("vxlan: {port: 1}\n", "1:1", "needs a 'hosts:' mapping");
	refused("hosts: {}\n", "1:8", "at least one host");
	refused("hosts: [a]\n", "1:8", "hosts must be a mapping");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nextra: 1\n", "3:1",
		"unknown key 'extra' in the hosts file (expected one of: hosts, vxlan)");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, capacty: 2}\n", "2:37",
		"unknown key 'capacty' in a host (expected one of: ssh, underlay, vnetlab, "
		"capacity, options)");
	refused("hosts:\n  h1: {underlay: 192.0.2.1}\n", "2:7", "host 'h1' needs 'ssh'");
	refused("hosts:\n  h1: {ssh: -oProxyCommand=x, underlay: 192.0.2.1}\n", "2:13",
		"not starting with '-'");
	refused("hosts:\n  h1: {ssh: '', underlay: 192.0.2.1}\n", "2:13", "is not a destination");
	refused("hosts:\n  h1: {ssh: [a], underlay: 192.0.2.1}\n", "2:13", "ssh must be a scalar");
	refused("hosts:\n  h1: {ssh: a}\n", "2:7", "host 'h1' needs 'underlay'");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1/24}\n", "2:26",
		"must be a bare address, without a prefix length");
	refused("hosts:\n  h1: {ssh: a, underlay: host.example}\n", "2:26",
		"is not an IPv4 or IPv6 address");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, capacity: 0}\n", "2:47",
		"capacity must be a whole number from 1 to 1000000, not '0'");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, capacity: 1000001}\n", "2:47",
		"from 1 to 1000000");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, capacity: two}\n", "2:47",
		"not 'two'");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, vnetlab: ''}\n", "2:46",
		"vnetlab must have at least one word");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, vnetlab: {a: b}}\n", "2:46",
		"vnetlab must be a string or a list of strings");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, vnetlab: [a, [b]]}\n", "2:50",
		"each word must be a scalar");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, options: -v}\n", "2:46",
		"options must be a list of strings");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1, options: [-v, '']}\n", "2:51",
		"a word must not be empty");
	refused("hosts:\n  h.1: {ssh: a, underlay: 192.0.2.1}\n", "2:3",
		"host name 'h.1' may contain only letters, digits, '-' and '_'");
	refused("hosts:\n  h1234567890123456789012345678901: {ssh: a, underlay: 192.0.2.1}\n",
		"2:3", "is longer than 31 bytes");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\n  h2: {ssh: b, underlay: 2001:db8::2}\n",
		"3:26", "every host's underlay is of one family");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\n  h2: {ssh: b, underlay: 192.0.2.1}\n",
		"3:26", "underlay '192.0.2.1' is host 'h1''s already (line 2)");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\n  h1: {ssh: b, underlay: 192.0.2.2}\n",
		"3:3", "duplicate");
	refused("hosts:\n  h1: a\n", "2:7", "a host must be a mapping");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nvxlan: {port: 0}\n", "3:15",
		"vxlan port must be a whole number from 1 to 65535");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nvxlan: {vni_base: 16777216}\n",
		"3:19", "vni_base must be a whole number from 1 to 16777215");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nvxlan: {underlay_mtu: 600}\n",
		"3:23", "underlay_mtu must be a whole number from 1280 to 65535");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nvxlan: {ttl: 5}\n", "3:9",
		"unknown key 'ttl' in vxlan (expected one of: port, vni_base, underlay_mtu)");
	refused("hosts:\n  h1: {ssh: a, underlay: 192.0.2.1}\nvxlan: 4789\n", "3:8",
		"vxlan must be a mapping");
}

Test(hosts, every_mistake_in_one_run)
{
	const char *text = "hosts:\n"
			   "  h1: {underlay: 192.0.2.1}\n"
			   "  h2: {ssh: b, underlay: 192.0.2.2, capacity: 0}\n";
	struct vl_err err;
	vl_err_init(&err);
	struct vl_hosts *h;
	cr_assert_lt(vl_hosts_load_buffer("hosts.yaml", text, strlen(text), &h, &err), 0);
	cr_expect_eq(err.count, 2, "%s", err.msg);
}

Test(hosts, a_missing_file_is_an_error)
{
	struct vl_err err;
	vl_err_init(&err);
	struct vl_hosts *h;
	cr_assert_lt(vl_hosts_load_file("/nonexistent/hosts.yaml", &h, &err), 0);
	cr_expect(strstr(err.msg, "/nonexistent/hosts.yaml"), "%s", err.msg);
}
