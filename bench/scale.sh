#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/scale.sh — how fast labs come up and go down, against the floor
# (bench/floor: the same kernel objects made by the least possible raw
# netlink program) and against Mininet, all in one run.
#
#   bench/scale.sh [SIZES] [ROUNDS]     default: "100 1000 5000" 3
#
# Shapes: chain (a /30 per link), star (one bridge), binary tree.  Times
# are wall clock of the whole command (parse, plan, build), medians over
# ROUNDS; `down` is until vnetlab returns, which is when the lab's
# namespaces are released (the kernel frees them in the background).
# Memory: the keeper's RSS, and the drop in MemAvailable, per node.
set -eu
sizes=${1:-100 1000 5000}
rounds=${2:-3}
bin=$(readlink -f "${VNETLAB:-./vnetlab}")
floor=$(readlink -f "${FLOOR:-build/bench/floor}")
gen=$(dirname "$0")/gentopo.sh
own_state=
[ -n "${VNETLAB_STATE_DIR:-}" ] || own_state=$(mktemp -d /tmp/vnetlab-scale-XXXXXX)
export VNETLAB_STATE_DIR=${VNETLAB_STATE_DIR:-$own_state}
chmod 700 "$VNETLAB_STATE_DIR"
tmp=$(mktemp -d)
lab=
cleanup() {
	[ -n "$lab" ] && "$bin" down "$lab" >/dev/null 2>&1 || true
	rm -rf "$tmp"
	[ -z "$own_state" ] || rmdir "$own_state" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{printf "%.3f", $1 - $2}'; }
median() { sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "nan"}'; }
avail_kb() { awk '/^MemAvailable/ {print $2}' /proc/meminfo; }

# The kernel frees dead namespaces in the background, batch by batch, the
# last batch only when another namespace comes or goes (measured on 6.18;
# /sys/kernel/slab/net_namespace/objects shows it).  Left alone, one lab's
# freeing runs during the next one's build.  So before each measurement:
# a throwaway namespace as the kick, then wait until they are gone.
slab=/sys/kernel/slab/net_namespace/objects
live_ns() { cut -d' ' -f1 "$slab"; }
settle() {
	"$floor" 1 >/dev/null
	[ -r "$slab" ] || { sleep 2; return; }
	for _ in $(seq 300); do
		[ "$(live_ns)" -le "$base_ns" ] && return
		sleep 0.1
	done
}
"$floor" 1 >/dev/null
base_ns=$(( $( [ -r "$slab" ] && live_ns || echo 0) + 8 ))

# One round of vnetlab on FILE: "up_s down_s rss_kb kernel_kb"
vn_round() {
	settle
	m0=$(avail_kb)
	t0=$(now)
	lab=$("$bin" up "$1" --no-netns --quiet) || { echo "failed"; return; }
	up=$(since "$t0")
	pid=$("$bin" ls --json | sed -n 's/.*"keeper_pid": *\([0-9]*\).*/\1/p' | head -1)
	rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
	m1=$(avail_kb)
	t0=$(now)
	"$bin" down "$lab" >/dev/null 2>&1
	lab=
	echo "$up $(since "$t0") $rss $((m0 - m1))"
}

printf '%-7s %6s %10s %10s %7s %9s %9s %10s %12s\n' shape nodes "up (s)" "floor (s)" ratio "down (s)" nodes/s "RSS KiB" "kernel KiB/node"
for shape in chain star tree; do
	for n in $sizes; do
		if [ "$shape" = star ] && [ "$n" -gt 1024 ]; then
			echo "star    $n: skipped: a Linux bridge takes at most 1024 ports"
			continue
		fi
		sh "$gen" "$shape" "$n" > "$tmp/t.yaml"
		: > "$tmp/up"; : > "$tmp/down"; : > "$tmp/rss"; : > "$tmp/kern"; : > "$tmp/floor"
		for r in $(seq "$rounds"); do
			set -- $(vn_round "$tmp/t.yaml")
			[ "$1" = failed ] && { echo "$shape $n: vnetlab up failed" >&2; break; }
			echo "$1" >> "$tmp/up"; echo "$2" >> "$tmp/down"
			echo "$3" >> "$tmp/rss"; echo "$4" >> "$tmp/kern"
			if [ "$shape" = chain ]; then
				settle
				"$floor" "$n" | cut -d' ' -f1 >> "$tmp/floor"
			fi
		done
		up=$(median < "$tmp/up") down=$(median < "$tmp/down")
		rss=$(median < "$tmp/rss") kern=$(median < "$tmp/kern")
		fl=$(median < "$tmp/floor")
		printf '%-7s %6d %10.3f %10s %7s %9.3f %9.0f %10d %12.1f\n' "$shape" "$n" "$up" \
			"$([ "$fl" = nan ] && echo - || echo "$fl")" \
			"$([ "$fl" = nan ] && echo - || echo "$up $fl" | awk '{printf "%.2f", $1 / $2}')" \
			"$down" "$(echo "$n $up" | awk '{print $1 / $2}')" "$rss" \
			"$(echo "$kern $n" | awk '{print $1 / $2}')"
	done
done

# Mininet's linear,N (N switches, N hosts; Linux bridges, no controller)
# against the same shape in vnetlab, up + down.
if command -v mn >/dev/null 2>&1 && command -v brctl >/dev/null 2>&1; then
	echo
	printf '%-22s %12s %12s %8s\n' "up + down" "Mininet (s)" "vnetlab (s)" "ratio"
	for n in ${MININET_SIZES:-200}; do
		sh "$gen" linear "$n" > "$tmp/l.yaml"
		settle
		t0=$(now)
		mn --topo "linear,$n" --switch lxbr --controller none --test build >/dev/null 2>&1
		m=$(since "$t0")
		settle
		t0=$(now)
		lab=$("$bin" up "$tmp/l.yaml" --no-netns --quiet)
		"$bin" down "$lab" >/dev/null 2>&1
		lab=
		v=$(since "$t0")
		printf '%-22s %12.3f %12.3f %8.1f\n' "linear,$n" "$m" "$v" "$(echo "$m $v" | awk '{print $1 / $2}')"
	done
else
	echo
	echo "Mininet: not installed (apt-get install mininet bridge-utils), comparison skipped"
fi
