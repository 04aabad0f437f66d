/* SPDX-License-Identifier: BSD-2-Clause */
/* ifconfig.c — ifconfig on the model (vimage.h): listing, and what one
 * command line changes of one interface, refused with FreeBSD's words
 * before anything changes. */
#include "vimage/vimage_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static struct json_object *iface(struct json_object *m, const char *where, const char *name)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *n = json_object_array_get_idx(a, i);
		if (vimg_in_place(n, where) && !strcmp(s_of(n, "ifname"), name))
			return n;
	}
	return NULL;
}

static void print_iface(struct json_object *n, FILE *out)
{
	bool up = json_object_get_boolean(json_object_object_get(n, "up"));
	fprintf(out, "%s: flags=%s metric 0 mtu %d\n", s_of(n, "ifname"),
		up ? "8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>"
		   : "8802<BROADCAST,SIMPLEX,MULTICAST>",
		i_of(n, "mtu") ? i_of(n, "mtu") : 1500);
	fprintf(out, "\tether %s\n", *s_of(n, "mac") ? s_of(n, "mac") : "(as the kernel chose)");
	struct json_object *a = json_object_object_get(n, "addrs");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct vl_ip ip;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(a, i)), true, &ip) < 0)
			continue;
		char s[64];
		vl_ip_str(&ip, false, s, sizeof(s));
		if (ip.family == AF_INET) {
			uint32_t mask = ip.plen ? ~0u << (32 - ip.plen) : 0;
			fprintf(out, "\tinet %s netmask 0x%08x\n", s, mask);
		} else {
			fprintf(out, "\tinet6 %s prefixlen %d\n", s, ip.plen);
		}
	}
}

static void list_ifaces(struct json_object *m, const char *where, FILE *out)
{
	fprintf(out, "lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 65536\n"
		     "\tinet 127.0.0.1 netmask 0xff000000\n\tinet6 ::1 prefixlen 128\n");
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (vimg_in_place(json_object_array_get_idx(a, i), where))
			print_iface(json_object_array_get_idx(a, i), out);
}

/* FreeBSD's default for an IPv4 address without a mask: its class. */
static int classful(const struct vl_ip *ip)
{
	return ip->a[0] < 128 ? 8 : ip->a[0] < 192 ? 16 : 24;
}

/* A netmask (0xffffff00 or 255.255.255.0) as a prefix length; -1 for one
 * that is not a run of ones then zeros (255.0.255.0 was taken as /16). */
static int netmask_plen(const char *s)
{
	unsigned long v;
	struct vl_ip ip;
	char *end;
	if (!strncmp(s, "0x", 2) && s[2]) {
		errno = 0;
		v = strtoul(s + 2, &end, 16);
		if (*end || errno || v > 0xffffffffu || strchr(s + 2, '-') || strchr(s + 2, '+'))
			return -1;
	} else if (vl_ip_parse(s, false, &ip) == 0 && ip.family == AF_INET && ip.plen ==
		   32) {
		v = (unsigned long)ip.a[0] << 24 | ip.a[1] << 16 | ip.a[2] << 8 | ip.a[3];
	} else {
		return -1;
	}
	int plen = __builtin_popcountl(v);
	uint32_t want = plen ? ~0u << (32 - plen) : 0;
	return (uint32_t)v == want ? plen : -1;
}

/* Does another interface of n's vnet (jail, or the host) hold ip? */
static bool addr_taken(struct json_object *m, struct json_object *n, const struct vl_ip *ip)
{
	struct json_object *a = arr(m, "nodes");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (o == n || !json_object_object_get(o, "ifname") ||
		    strcmp(s_of(o, "vnet"), s_of(n, "vnet")))
			continue;
		struct json_object *addrs = json_object_object_get(o, "addrs");
		for (size_t k = 0; k < json_object_array_length(addrs); k++) {
			struct vl_ip x;
			if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)),
					true, &x) == 0 && vl_ip_same_addr(&x, ip))
				return true;
		}
	}
	return false;
}

/* Addresses no interface may own, and why: Linux refuses IPv6's loopback,
 * unspecified and multicast addresses outright (and a lab built with one
 * would fail to come up); the IPv4 ones mean something else than an
 * address of this interface.  NULL for an address an interface may hold. */
static const char *not_unicast(const struct vl_ip *ip)
{
	static const char *const mcast = "is a multicast group, which an interface joins, never owns";
	if (ip->family == AF_INET) {
		if (ip->a[0] == 127)
			return "is a loopback address: it belongs on lo0";
		if (ip->a[0] == 0)
			return "is in 0.0.0.0/8, \"this network\", no interface's address";
		if (ip->a[0] >= 224 && ip->a[0] < 240)
			return mcast;
		return ip->a[0] >= 240 ? "is reserved (240.0.0.0/4, and the broadcast address)" : NULL;
	}
	static const uint8_t zero[16], one[16] = {[15] = 1};
	if (!memcmp(ip->a, zero, 16))
		return "is the unspecified address";
	if (!memcmp(ip->a, one, 16))
		return "is the loopback address: it belongs on lo0";
	return ip->a[0] == 0xff ? mcast : NULL;
}

static bool has_inet6(struct json_object *n)
{
	struct json_object *addrs = json_object_object_get(n, "addrs");
	for (size_t k = 0; k < json_object_array_length(addrs); k++) {
		struct vl_ip x;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)), true,
				&x) == 0 && x.family == AF_INET6)
			return true;
	}
	return false;
}

/* What an address command says after the address, from argv[*i] on:
 * netmask M | prefixlen N (ip's length), alias (add), -alias (delete). */
static int addr_words(int argc, char **argv, int *i, struct vl_ip *ip, bool *alias,
		      bool *remove, struct vl_err *err)
{
	for (; *i < argc; (*i)++) {
		const char *w = argv[*i];
		if (!strcmp(w, "alias") || !strcmp(w, "add")) {
			*alias = true;
		} else if (!strcmp(w, "-alias") || !strcmp(w, "delete")) {
			*remove = true;
		} else if ((!strcmp(w, "netmask") || !strcmp(w, "prefixlen")) && *i + 1 < argc) {
			unsigned long long pl = 0;
			const char *v = argv[++(*i)];
			int p = w[0] == 'n' ? netmask_plen(v)
				: vl_uint_arg(v, 0, 128, &pl) == 0 ? (int)pl : -1;
			if (p < 0 || p > (ip->family == AF_INET ? 32 : 128))
				return vl_errf(err, "ifconfig: %s: bad value", v), -EINVAL;
			ip->plen = p;
		} else {
			break;
		}
	}
	return 0;
}

/* What no interface may be given, refused with FreeBSD's words. */
static int addr_refused(struct json_object *m, struct json_object *n, const struct vl_ip *ip,
			struct vl_err *err)
{
	const char *ioc = ip->family == AF_INET ? "SIOCAIFADDR" : "SIOCAIFADDR_IN6";
	const char *why = not_unicast(ip);
	char s[64];
	vl_ip_str(ip, false, s, sizeof(s));
	if (why)
		return vl_errf(err, "ifconfig: ioctl (%s): Can't assign requested address (%s %s)",
			       ioc, s, why), -EADDRNOTAVAIL;
	/* Linux keeps no IPv6 on a link under IPv6's minimum MTU (it refuses
	 * the address; FreeBSD takes it and disables IPv6 on the link). */
	if (ip->family == AF_INET6 && i_of(n, "mtu") && i_of(n, "mtu") < 1280)
		return vl_errf(err, "ifconfig: ioctl (%s): Invalid argument (%s has mtu %d; "
			       "IPv6 needs 1280)", ioc, s_of(n, "ifname"), i_of(n, "mtu")), -EINVAL;
	/* One address on two interfaces of a vnet: FreeBSD refuses it (found
	 * by the verbs fuzzer; the loader refuses such a node too). */
	if (addr_taken(m, n, ip))
		return vl_errf(err, "ifconfig: ioctl (SIOCAIFADDR): File exists"), -EEXIST;
	return 0;
}

/* inet/inet6 ADDR[/len] [netmask M | prefixlen N] [alias | -alias]; words
 * from *i on, the family word already taken. */
static int set_addr(struct json_object *m, struct json_object *n, int fam, int argc,
		    char **argv, int *i, struct vl_err *err)
{
	if (*i >= argc)
		return vl_errf(err, "ifconfig: address expected"), -EINVAL;
	const char *a = argv[(*i)++];
	if (fam == AF_INET && !strcmp(a, "localhost"))
		a = "127.0.0.1";
	struct vl_ip ip;
	bool has_len = strchr(a, '/') != NULL;
	if (vl_ip_parse(a, has_len, &ip) < 0 || (fam && ip.family != fam))
		return vl_errf(err, "ifconfig: %s: bad value", a), -EINVAL;
	if (!has_len)
		ip.plen = ip.family == AF_INET ? classful(&ip) : 64;
	bool alias = false, remove = false;
	int rc = addr_words(argc, argv, i, &ip, &alias, &remove, err);
	if (rc == 0 && !remove)
		rc = addr_refused(m, n, &ip, err);
	if (rc < 0)
		return rc;
	char s[64];
	vl_ip_str(&ip, true, s, sizeof(s));
	struct json_object *addrs = json_object_object_get(n, "addrs");
	/* Without alias an IPv4 address replaces the first one, as on FreeBSD. */
	for (size_t k = 0; k < json_object_array_length(addrs); k++) {
		struct vl_ip x;
		if (vl_ip_parse(json_object_get_string(json_object_array_get_idx(addrs, k)), true,
				&x) < 0 || x.family != ip.family)
			continue;
		bool same = !memcmp(x.a, ip.a, (size_t)vl_ip_alen(ip.family));
		if (same || (!alias && !remove && ip.family == AF_INET)) {
			json_object_array_del_idx(addrs, k, 1);
			break;
		}
	}
	if (!remove) {
		json_object_array_add(addrs, json_object_new_string(s));
		json_object_object_add(n, "up", json_object_new_boolean(true));
	}
	return 0;
}

static int rename_iface(struct json_object *m, struct json_object *n, const char *where,
			const char *name, struct vl_err *err)
{
	(void)n;
	const char *why = vl_check_ifname(name);
	if (why)
		return vl_errf(err, "ifconfig: %s: %s", name, why), -EINVAL;
	/* Every vnet has its loopback, lo0 (and on Linux also lo): taken. */
	bool lo = !strcmp(name, "lo0") || !strcmp(name, "lo");
	if (lo || iface(m, where, name))
		return vl_errf(err, "ifconfig: ioctl SIOCSIFNAME (set name): File exists%s",
			       lo ? " (every jail has its loopback lo0, and on Linux lo)" : ""),
		       -EEXIST;
	set_s(n, "ifname", name);
	return 0;
}

/* vnet JAIL (into JAIL) or -vnet JAIL (back to the host), from the host. */
static int move_iface(struct json_object *m, struct json_object *n, bool home, const char *w,
		      const char *v, bool *changed, struct vl_err *err)
{
	bool back = w[0] == '-';
	if (!home)
		return vl_errf(err, "ifconfig: %s: only the host moves interfaces between jails",
			       w), -EPERM;
	if (!vimg_jail(m, v))
		return vl_errf(err, "ifconfig: jail \"%s\" not found", v), -ENOENT;
	/* FreeBSD checks this for vnet (if_vmove_loan) and not for -vnet,
	 * which then makes a second one. */
	if (vimg_name_taken(m, back ? VL_VIMAGE_HOST : v, s_of(n, "ifname"), n))
		return vl_errf(err, "ifconfig: %s: File exists (%s has an interface %s: rename "
			       "one of them first)", back ? "SIOCSIFRVNET" : "SIOCSIFVNET",
			       back ? "the host" : v, s_of(n, "ifname")), -EEXIST;
	/* if_vmove purges the interface's addresses, as FreeBSD does:
	 * configure it in its new vnet. */
	vimg_vmove(n, back ? "" : v);
	*changed = true;
	return 0;
}

/* link|ether|lladdr MAC */
static int set_mac(struct json_object *n, const char *v, struct vl_err *err)
{
	uint8_t mac[6];
	char s[24];
	if (vl_mac_parse(v, mac) < 0)
		return vl_errf(err, "ifconfig: %s: bad value", v), -EINVAL;
	if (mac[0] & 1) /* multicast: an interface cannot own one */
		return vl_errf(err, "ifconfig: ioctl (SIOCSIFLLADDR): Invalid argument"), -EINVAL;
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		/* Linux refuses it (EADDRNOTAVAIL): no station has it. */
		return vl_errf(err, "ifconfig: ioctl (SIOCSIFLLADDR): Can't assign requested "
			       "address (%s is no interface's address)", v), -EADDRNOTAVAIL;
	set_s(n, "mac", vl_mac_str(mac, s, sizeof(s)));
	return 0;
}

static int set_mtu(struct json_object *n, const char *v, struct vl_err *err)
{
	int mtu = atoi(v);
	if (mtu < 68 || mtu > 65535)
		return vl_errf(err, "ifconfig: mtu %s: bad value", v), -EINVAL;
	if (mtu < 1280 && has_inet6(n))
		/* Linux would drop them; the model would keep them. */
		return vl_errf(err, "ifconfig: mtu %s: %s has IPv6 addresses, which need an "
			       "MTU of 1280 or more (remove them first: inet6 ADDR -alias)", v,
			       s_of(n, "ifname")), -EINVAL;
	set_i(n, "mtu", mtu);
	return 0;
}

/* The words of one command line from argv[*i] on: one setting, *i past
 * what it took. */
static int one_setting(struct json_object *m, struct json_object *n, const char *look,
		       bool home, int argc, char **argv, int *i, bool *changed,
		       struct vl_err *err)
{
	const char *w = argv[(*i)++], *v = *i < argc ? argv[*i] : NULL;
	if ((!strcmp(w, "vnet") || !strcmp(w, "-vnet")) && v)
		return (*i)++, move_iface(m, n, home, w, v, changed, err);
	if (!strcmp(w, "name") && v)
		return (*i)++, rename_iface(m, n, look, v, err);
	if ((!strcmp(w, "link") || !strcmp(w, "ether") || !strcmp(w, "lladdr")) && v)
		return (*i)++, set_mac(n, v, err);
	if (!strcmp(w, "mtu") && v)
		return (*i)++, set_mtu(n, v, err);
	if (!strcmp(w, "up") || !strcmp(w, "down")) {
		json_object_object_add(n, "up", json_object_new_boolean(w[0] == 'u'));
		return 0;
	}
	if (!strcmp(w, "promisc") || !strcmp(w, "-promisc"))
		return 0; /* every vnetlab port already sees all its frames */
	if (!strcmp(w, "inet") || !strcmp(w, "inet6"))
		return set_addr(m, n, w[4] == '6' ? AF_INET6 : AF_INET, argc, argv, i, err);
	if (strchr(w, '.') || strchr(w, ':')) {
		(*i)--;
		return set_addr(m, n, 0, argc, argv, i, err);
	}
	return vl_errf(err, "ifconfig: %s: bad value", w), -EINVAL;
}

static bool listing(int argc, char **argv)
{
	return argc == 0 || (argc == 1 && !strcmp(argv[0], "-a"));
}

/* Where a command line's interface is: `ifconfig IF -vnet JAIL` names
 * one that is in JAIL. */
static const char *look_in(const char *where, int argc, char **argv)
{
	bool home = !strcmp(where, VL_VIMAGE_HOST);
	return home && argc == 3 && !strcmp(argv[1], "-vnet") ? argv[2] : where;
}

struct json_object *vl_vimage_ifconfig_iface(struct json_object *m, const char *where,
					     int argc, char **argv)
{
	if (listing(argc, argv) || !strcmp(argv[0], "lo0"))
		return NULL;
	return iface(m, look_in(where, argc, argv), argv[0]);
}

int vl_vimage_ifconfig(struct json_object *m, const char *where, int argc, char **argv,
		       FILE *out, bool *changed, struct json_object **ifc,
		       struct vl_err *err)
{
	*ifc = NULL;
	if (listing(argc, argv)) {
		list_ifaces(m, where, out);
		return 0;
	}
	if (!strcmp(argv[0], "lo0"))
		return 0; /* every node's loopback is up, as `ifconfig lo0 localhost` makes it */
	bool home = !strcmp(where, VL_VIMAGE_HOST);
	const char *look = look_in(where, argc, argv);
	struct json_object *n = iface(m, look, argv[0]);
	if (!n)
		return vl_errf(err, "ifconfig: interface %s does not exist", argv[0]), -ENXIO;
	*ifc = n;
	if (argc == 1) {
		print_iface(n, out);
		return 0;
	}
	int rc = 0;
	for (int i = 1; i < argc && rc == 0;)
		rc = one_setting(m, n, look, home, argc, argv, &i, changed, err);
	return rc;
}
