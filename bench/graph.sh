#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/graph.sh — how long `vnetlab graph` takes to draw large labs.
#
#   bench/graph.sh [SIZES] [ROUNDS]      (no lab is brought up; make bench)
#
# For each size N (default 100 1000) and shape (chain, star: one bridge
# and N hosts, grid: about N nodes linked right and down, tree) the
# topology comes from bench/gentopo.sh, and each format that needs a
# layout (svg, png, json) is drawn ROUNDS times (default 3); the median
# wall time is printed, with the engine the size chose (graph.h:
# vl_graph_engine).  The issue's bound is 5 s for 1,000 nodes in svg.
set -eu
sizes=${1:-100 1000}
rounds=${2:-3}
bin=$(readlink -f "${VNETLAB:-./vnetlab}")
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-6s %-6s %-5s %-6s %8s\n' SHAPE NODES FMT ENGINE SECONDS
for n in $sizes; do
	for shape in chain star grid tree; do
		sh "$here/gentopo.sh" "$shape" "$n" > "$tmp/$shape.yaml"
		engine=$("$bin" graph "$tmp/$shape.yaml" -f json | awk -F'"' '/"engine"/ { print $4; exit }')
		for fmt in svg png json; do
			for _ in $(seq "$rounds"); do
				t0=$(now)
				"$bin" graph "$tmp/$shape.yaml" -o "$tmp/out.$fmt"
				t1=$(now)
				awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
			done | median | xargs printf '%-6s %-6s %-5s %-6s %8.2f\n' "$shape" "$n" "$fmt" "$engine"
		done
	done
done
