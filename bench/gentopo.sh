#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# gentopo.sh SHAPE N — a vnetlab topology of N vnet nodes on stdout:
#   chain  n0 - n1 - ... (a /30 per link)
#   star   every node on one bridge (one /16)
#   tree   a binary tree: node i linked to its parent (i-1)/2 (a /30 per link)
#   linear Mininet's linear,N: N bridges in a row, one host on each (one /8)
#   grid   a square grid of about N vnet nodes, each linked right and down
#          (no addresses: bench/graph.sh draws it, nothing brings it up)
# Addresses only, no routes: what is measured is building the lab.
shape=${1:?shape: chain|star|tree}
n=${2:?node count}
awk -v shape="$shape" -v n="$n" 'BEGIN {
	printf "name: %s%d\nnodes:\n", shape, n
	if (shape == "linear") {
		for (i = 0; i < n; i++) {
			printf "  s%d: { kind: bridge }\n", i
			printf "  h%d: { ifaces: { e0: { addrs: [10.%d.%d.%d/8] } } }\n", i, 1 + int(i / 65025), int(i / 255) % 255, 1 + i % 255
		}
		print "links:"
		for (i = 0; i < n; i++) {
			printf "  - [h%d:e0, s%d:h]\n", i, i
			if (i + 1 < n) printf "  - [s%d:r, s%d:l]\n", i, i + 1
		}
		exit
	}
	if (shape == "grid") {
		w = int(sqrt(n)); if (w * w < n) w++
		for (i = 0; i < n; i++) printf "  g%d: {}\n", i
		print "links:"
		for (i = 0; i < n; i++) {
			if ((i % w) + 1 < w && i + 1 < n) printf "  - [g%d:r, g%d:l]\n", i, i + 1
			if (i + w < n) printf "  - [g%d:d, g%d:u]\n", i, i + w
		}
		exit
	}
	if (shape == "star") {
		print "  sw: { kind: bridge }"
		for (i = 0; i < n; i++)
			printf "  n%d: { ifaces: { e0: { addrs: [10.%d.%d.%d/8] } } }\n", i, 1 + int(i / 65025), int(i / 255) % 255, 1 + i % 255
		print "links:"
		for (i = 0; i < n; i++)
			printf "  - [n%d:e0, sw:p%d]\n", i, i
		exit
	}
	# chain and tree: link k joins child k+1 to its parent
	for (i = 0; i < n; i++) {
		printf "  n%d: { ifaces: {", i
		sep = ""
		if (i > 0) { printf " up: { addrs: [%s] }", addr(i - 1, 2); sep = "," }
		if (shape == "chain" && i + 1 < n) printf "%s d: { addrs: [%s] }", sep, addr(i, 1)
		if (shape == "tree") for (c = 2 * i + 1; c <= 2 * i + 2 && c < n; c++) {
			printf "%s c%d: { addrs: [%s] }", sep, c - 2 * i, addr(c - 1, 1); sep = ","
		}
		print " } }"
	}
	print "links:"
	for (k = 1; k < n; k++) {
		p = shape == "chain" ? k - 1 : int((k - 1) / 2)
		hook = shape == "chain" ? "d" : "c" (k - 2 * p)
		printf "  - [n%d:%s, n%d:up]\n", p, hook, k
	}
}
function addr(link, end) {
	return sprintf("10.%d.%d.%d/30", int(link / 16384), int(link / 64) % 256, (link % 64) * 4 + end)
}'
