#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# frr.sh — N FRR routers (zebra, ospfd, staticd each) in a ring: time to
# come up, time until every address answers every router (check --wait),
# and memory per router; against the same ring without FRR (static
# routes none: only neighbours answer, so only `up` is compared), in the
# same run.  Usage: sh bench/frr.sh [N] [ROUNDS]   (N default 100)
set -eu
N=${1:-100}
ROUNDS=${2:-1}
V=${VNETLAB:-./vnetlab}
[ -x /usr/lib/frr/zebra ] || { echo "bench/frr.sh: FRR is not installed (Debian package frr); skipped"; exit 0; }
dir=$(mktemp -d /tmp/vnetlab-frr-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT

# Router i: e0 to i-1, e1 to i+1 (the ring closes at N); link i is
# 10.(i/250).(i%250).0/30 between router i (.1) and i+1 (.2); OSPF
# point-to-point with 1 s hellos, so the ring converges in seconds.
gen() { # $1 file, $2 with-frr (1/0)
	awk -v n="$N" -v frr="$2" 'function net(i) { return sprintf("10.%d.%d", int(i / 250), i % 250) }
	BEGIN {
		print "name: frrbench"; print "nodes:"
		for (i = 1; i <= n; i++) {
			prev = i == 1 ? n : i - 1
			printf "  r%d:\n    forwarding: true\n    ifaces:\n", i
			printf "      e0: {addrs: [%s.2/30]}\n", net(prev)
			printf "      e1: {addrs: [%s.1/30]}\n", net(i)
			if (!frr) continue
			printf "    services: [frr]\n    files:\n      /etc/frr/frr.conf: |\n"
			printf "        frr defaults traditional\n"
			for (e = 0; e < 2; e++)
				printf "        interface e%d\n         ip ospf network point-to-point\n         ip ospf hello-interval 1\n         ip ospf dead-interval 4\n", e
			printf "        router ospf\n         ospf router-id %s.1\n         network 10.0.0.0/8 area 0\n         timers throttle lsa all 0\n         timers lsa min-arrival 0\n         timers throttle spf 0 50 500\n", net(i)
		}
		print "links:"
		for (i = 1; i <= n; i++) printf "  - [r%d:e1, r%d:e0]\n", i, i == n ? 1 : i + 1
	}' > "$1"
}
gen "$dir/frr.yaml" 1
gen "$dir/bare.yaml" 0

now() { date +%s.%N; }
# PSS of every process of the lab but its keeper, in KiB (the daemons).
pss() { # $1 keeper pid
	ns=$(readlink "/proc/$1/ns/pid")
	total=0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		[ "${p#/proc/}" = "$1" ] && continue
		kb=$(awk '/^Pss:/ { print $2 }' "$p/smaps_rollup" 2>/dev/null || echo 0)
		total=$((total + ${kb:-0}))
	done
	echo "$total"
}

for r in $(seq "$ROUNDS"); do
	sh bench/settle.sh
	t0=$(now)
	"$V" up "$dir/bare.yaml" --no-netns --quiet >/dev/null
	t1=$(now)
	"$V" down frrbench >/dev/null 2>&1
	sh bench/settle.sh
	t2=$(now)
	out=$("$V" up "$dir/frr.yaml" --no-netns 2>&1) || { echo "$out"; exit 1; }
	t3=$(now)
	keeper=$(echo "$out" | sed -n 's/.*keeper pid \([0-9]*\).*/\1/p')
	conv=$("$V" check frrbench --wait 120 --count 1 --timeout 300 2>&1 | tail -1)
	t4=$(now)
	kb=$(pss "$keeper")
	"$V" down frrbench >/dev/null 2>&1
	awk -v n="$N" -v bare="$(echo "$t1 - $t0" | bc)" -v up="$(echo "$t3 - $t2" | bc)" \
	    -v conv="$(echo "$t4 - $t3" | bc)" -v kb="$kb" -v line="$conv" -v r="$r" 'BEGIN {
		printf "round %d: %d FRR routers: up %.2f s (bare ring %.2f s: %.1fx), converged %.2f s later, up+converged %.2f s (target 60 s: %.2fx)\n",
			r, n, up, bare, up / bare, conv, up + conv, (up + conv) / 60
		printf "round %d: memory: %.1f MiB PSS per router (zebra+ospfd+staticd), %.0f MiB in all\n",
			r, kb / 1024 / n, kb / 1024
		printf "round %d: check: %s\n", r, line
	}'
done
