/* SPDX-License-Identifier: BSD-2-Clause */
/* main.c — vnetlab's verb table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "vnetlab/version.h"

static const struct vl_cli_cmd cmds[] = {
#if VL_LINUX
	{"run", cmd_run, "run [FILE | --topo SPEC [--link OPTS] [--mac]] [--name LAB] [--json] "
	 "[--count N] [-w|--wait S]",
	 "up + check (--wait as check's) + down; no FILE runs the built-in demo; "
	 "--topo: a Mininet topology (minimal, single,K, reversed,K, linear,K[,N], "
	 "tree,D[,F]; docs/mininet.md), as `mn --topo ... --test pingall`"},
#endif
	{"up", cmd_up, "up FILE|--topo SPEC [--link OPTS] [--mac] [--name LAB] [--no-netns] "
	 "[--quiet] [-v] [--keep-going] [--backend linux|freebsd] [--hosts HOSTS.yaml]",
	 "instantiate a lab; it runs until `down` (freebsd: vnet jails and netgraph, "
	 "by the jail/jexec/ngctl/ifconfig on PATH); --topo: Mininet's, with its names "
	 "and addresses, --link its tc options (bw=10,delay=5ms,loss=1,jitter=1ms); "
	 "--hosts: placed over several hosts, driven over ssh, joined by VXLAN "
	 "(docs/multihost.md)"},
	{"down", cmd_down, "down [--missing-ok] LAB...",
	 "tear a lab down completely (over several hosts: on every host); "
	 "--missing-ok: a lab that is not here is no error (one being built is "
	 "waited for)"},
	{"ls", cmd_ls, "ls [--json]", "list labs"},
	{"inspect", cmd_inspect, "inspect LAB [--json]",
	 "nodes, interfaces, addresses and links of a lab"},
#if VL_LINUX
	{"exec", cmd_exec, "exec [-U USER|--user] LAB NODE [--] [CMD...]",
	 "run a program inside a node (like jexec), as root there or as "
	 "you (--user); default: $SHELL"},
#endif
#if VL_LINUX
	{"check", cmd_check, "check LAB [--json] [--count N] [--timeout MS] [-w|--wait S] [--state FILE|-]",
	 "ICMP reachability/RTT matrix between all addressed nodes (N 1..10000, "
	 "default 3; waits at most MS 1..600000, default 1000, for the last replies); "
	 "--wait: probe the silent again until a full round answers everywhere, "
	 "at most S seconds (more than 0, at most 3600, e.g. 0.5), and say how long it took; "
	 "exit 0 iff there was something to check and all of it answered; "
	 "--state: probe from this host's nodes to every node of that state "
	 "document (a host's share of a check over several hosts)"},
#endif
#if VL_LINUX
	{"link", cmd_link,
	 "link LAB A:IF B:IF [show | set [downstream|upstream] PARAM VALUE... | "
	 "clear | up | down] [--json] [--force] | link add LAB A:IF[=ADDR,...] B:IF[=ADDR,...] "
	 "[[downstream|upstream] PARAM VALUE...] [impl MODE] | link rm LAB A:IF B:IF",
	 "show or change a link of a running lab, live (PARAM: bandwidth, delay, "
	 "jitter, loss, duplicate, ber, queue; VALUE none or any zero removes one, "
	 "bandwidth has no zero; delay and jitter at most 60s, an hour with --force); "
	 "add or remove one"},
#endif
#if VL_LINUX
	{"logs", cmd_logs, "logs LAB NODE [SERVICE] [-f|--follow]",
	 "what a node's startup commands and services wrote; -f: and what they write "
	 "next, until the lab goes"},
#endif
#if VL_LINUX
	{"service", cmd_service, "service LAB NODE SERVICE start|stop|restart",
	 "start, stop or restart one service of a running lab's node"},
#endif
#if VL_LINUX
	{"node", cmd_node,
	 "node add LAB NAME [--kind vnet|bridge|hub|tee] [--hostname H] [--forwarding] | "
	 "node rm LAB NAME",
	 "add or remove a node of a running lab; nothing else of the lab is touched"},
#endif
#if VL_LINUX
	{"capture", cmd_capture,
	 "capture LAB NODE:IF [-w FILE|-] [-c COUNT] [--duration S] [-q]",
	 "frames of one hook as pcap (tcpdump/Wireshark read it) or one line "
	 "each; works rootless; until COUNT frames, S seconds (0, the default: no "
	 "limit) or Ctrl-C; a failed write stops it with the error"},
#endif
#if VL_LINUX
	{"web", cmd_web, "web [--listen ADDR:PORT] [--expose] [--token-file F]",
	 "your running labs in a browser, live: the topology drawn, nodes' interfaces, "
	 "addresses and routes, links' counters, impairments set, links up/down, captures; "
	 "prints a URL with a random token that every request needs; loopback "
	 "(127.0.0.1, a free port) unless --listen says otherwise, and an address "
	 "other than loopback needs --expose; --token-file keeps the token in F (made "
	 "0600 when absent) so the URL stays the same; Ctrl-C stops"},
#endif
	{"compare", cmd_compare, "compare A.json B.json [--rtt-tolerance 1ms,25%]",
	 "two `check --json` reports side by side (e.g. Linux and FreeBSD); exit 1 "
	 "on any reachability difference or RTT out of tolerance"},
#if VL_LINUX
	{"jail", cmd_jail, "jail -c name=N [host.hostname=H] vnet [persist] | jail -r N",
	 "FreeBSD's jail(8) over Linux: a vnet jail in the lab $VNETLAB_VIMAGE_LAB "
	 "(default vimage)"},
#endif
#if VL_LINUX
	{"jls", cmd_jls, "jls", "list those jails, as jls(8)"},
#endif
#if VL_LINUX
	{"jexec", cmd_jexec, "jexec JAIL CMD...",
	 "run CMD in a jail; ifconfig, ngctl and jls there are vnetlab's"},
#endif
#if VL_LINUX
	{"ngctl", cmd_ngctl, "ngctl mkpeer|connect|name|shutdown|rmhook|msg|list|show ... | -f FILE",
	 "netgraph's ngctl(8) over Linux: eiface, bridge, hub, tee, pipe, ether (em0)"},
#endif
#if VL_LINUX
	{"ifconfig", cmd_ifconfig, "ifconfig [IF [vnet J | -vnet J | name N | link MAC | ADDR[/len] | "
	 "inet6 ADDR | up | down | mtu N]]",
	 "FreeBSD's ifconfig(8) for jails' and eifaces' interfaces"},
#endif
	{"plan", cmd_plan, "plan FILE|--topo SPEC [--link OPTS] [--mac] [--backend linux|freebsd] "
	 "[--qdiscs LIST] [--hosts HOSTS.yaml]",
	 "print the operations `up` would perform (linux), or the exact jail/"
	 "ngctl/ifconfig commands (freebsd); changes nothing; --hosts: the lab placed "
	 "over several hosts (docs/multihost.md), its tunnels and each host's part"},
	{"validate", cmd_validate, "validate FILE...",
	 "check topology files (vnetlab, IMUNES .imn, containerlab); errors as file:line:col"},
	{"convert", cmd_convert, "convert FILE | convert --topo SPEC [--link OPTS] [--mac]",
	 "print an IMUNES or containerlab topology (or a vnetlab one, or a Mininet "
	 "--topo) as vnetlab YAML; what was ignored or approximated goes to stderr"},
	{"graph", cmd_graph, "graph FILE|LAB|--topo SPEC [--link OPTS] [--mac] "
	 "[-f|--format dot|svg|png|mermaid|json] [-o OUT] [--addrs] [--engine E]",
	 "draw a topology (any file vnetlab loads) or a running lab with its link states, "
	 "impairments' carriers and services; svg and png by Graphviz in-process; format "
	 "from --format, else OUT's extension (.dot .gv .svg .png .mmd .json), else dot"},
	{"cleanup", cmd_cleanup, "cleanup [--all]",
	 "remove what crashed labs left; --all also stops running labs"},
#if VL_LINUX
	{"doctor", cmd_doctor, "doctor [--json]",
	 "what root and rootless labs need on this host, and the fixes"},
#endif
	{"complete", cmd_complete,
	 "complete verbs | labs | nodes LAB | hooks LAB | services LAB NODE",
	 "words for the shell completions (completion/), one per line"},
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

void cli_list_verbs(FILE *out)
{
	for (size_t i = 0; i < N_CMDS; i++)
		fprintf(out, "%s\n", cmds[i].name);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: vnetlab VERB [ARGS]\n\n");
	for (size_t i = 0; i < N_CMDS; i++)
		if (strlen(cmds[i].usage) <= 44)
			fprintf(out, "  %-44s %s\n", cmds[i].usage, cmds[i].help);
		else
			fprintf(out, "  %s\n  %-44s %s\n", cmds[i].usage, "", cmds[i].help);
	fprintf(out, "\nTopology format: docs/topology.md.  `vnetlab VERB --help` "
		"for one verb.\n");
}

int cli_usage(const char *verb)
{
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(cmds[i].name, verb) == 0) {
			fprintf(stderr, "usage: vnetlab %s\n  %s\n", cmds[i].usage,
				cmds[i].help);
			return 2;
		}
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("vnetlab %s\n", VNETLAB_VERSION);
		return 0;
	}
	for (size_t i = 0; i < N_CMDS; i++) {
		if (strcmp(cmds[i].name, argv[1]) != 0)
			continue;
		for (int a = 2; a < argc && strcmp(argv[a], "--"); a++)
			if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
				printf("usage: vnetlab %s\n  %s\n", cmds[i].usage,
				       cmds[i].help);
				return 0;
			}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "vnetlab: unknown verb '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
