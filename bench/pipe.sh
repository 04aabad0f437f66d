#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/pipe.sh — vnetlab's userspace pipe against a plain veth pair, in
# one run, rounds interleaved so the machine's noise hits both alike.
#
#   bench/pipe.sh [ROUNDS] [SECONDS]      (root or rootless; make bench)
#
# Three labs of two nodes: a plain veth link, the same link through an
# unimpaired pipe (impl: userspace), and through a pipe with 10 ms delay.
# Prints medians over the rounds: 64-byte UDP packets/s and TCP Gbit/s
# (pipe / plain ratios), and the delay error of the 10 ms pipe at 10 kpps
# and 100 kpps (one-way delay from CLOCK_MONOTONIC stamps, minus 10 ms).
set -eu
rounds=${1:-3}
secs=${2:-3}
bin=$(readlink -f "${VNETLAB:-./vnetlab}")
gen=$(readlink -f "${UDPGEN:-build/bench/udpgen}")
own_state=
[ -n "${VNETLAB_STATE_DIR:-}" ] || own_state=$(mktemp -d /tmp/vnetlab-bench-XXXXXX)
export VNETLAB_STATE_DIR=${VNETLAB_STATE_DIR:-$own_state}
chmod 700 "$VNETLAB_STATE_DIR"
tmp=$(mktemp -d)
labs=""
cleanup() {
	for l in $labs; do "$bin" down "$l" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
	[ -z "$own_state" ] || rmdir "$own_state" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

mklab() { # name, link parameters (YAML lines)
	cat > "$tmp/$1.yaml" <<YAML
nodes:
  a: { ifaces: { eth0: { addrs: [10.77.0.1/24] } } }
  b: { ifaces: { eth0: { addrs: [10.77.0.2/24] } } }
links:
  - endpoints: [a:eth0, b:eth0]
$2
YAML
	"$bin" up "$tmp/$1.yaml" --name "bench-$1-$$" --no-netns --quiet >/dev/null
	labs="$labs bench-$1-$$"
}

# UDP from a to b: rate (0 = flat out); prints the receiver's line.
udp() { # lab rate
	out=$tmp/recv.$$
	"$bin" exec "$1" b -- "$gen" recv 9000 --duration $((secs + 1)) > "$out" &
	rpid=$!
	for _ in $(seq 50); do grep -q ready "$out" 2>/dev/null && break; sleep 0.05; done
	"$bin" exec "$1" a -- "$gen" send 10.77.0.2 9000 --rate "$2" --duration "$secs" >/dev/null
	wait $rpid
	grep received "$out"
}
field() { # line name: the number after name
	echo "$1" | awk -v k="$2" '{for (i = 1; i < NF; i++) if ($i == k) {print $(i + 1); exit}}'
}
tcp() { # lab: Gbit/s at the receiver
	"$bin" exec "$1" b -- iperf3 -s -D -1 >/dev/null
	sleep 0.3
	"$bin" exec "$1" a -- iperf3 -c 10.77.0.2 -t "$secs" -f g 2>/dev/null |
		awk '/receiver/ {for (i = 1; i < NF; i++) if ($(i + 1) == "Gbits/sec") print $i}'
}
median() { sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "nan"}'; }

mklab plain ""
mklab pipe "    impl: userspace"
mklab delay "    impl: userspace
    delay: 10ms"
plain=bench-plain-$$ pipe=bench-pipe-$$ delay=bench-delay-$$
sh "$(dirname "$0")/settle.sh"   # earlier labs' namespaces, freed before we measure

for r in $(seq "$rounds"); do
	echo "round $r of $rounds" >&2
	for l in plain pipe; do
		eval lab=\$$l
		line=$(udp "$lab" 0)
		field "$line" pps >> "$tmp/$l.pps"
		tcp "$lab" >> "$tmp/$l.tcp"
	done
	for rate in 10000 100000; do
		line=$(udp "$delay" $rate)
		echo "$(field "$line" p50) $(field "$line" p99) $(field "$line" received)" >> "$tmp/delay.$rate"
	done
done

pp=$(median < "$tmp/plain.pps") pq=$(median < "$tmp/pipe.pps")
tp=$(median < "$tmp/plain.tcp") tq=$(median < "$tmp/pipe.tcp")
echo
echo "vnetlab userspace pipe vs plain veth — $(nproc) cores, kernel $(uname -r), $rounds rounds x ${secs} s, medians"
printf '%-28s %12s %12s %8s\n' "" "plain veth" "pipe" "ratio"
printf '%-28s %12.0f %12.0f %8.2f\n' "64-byte UDP, packets/s" "$pp" "$pq" "$(echo "$pq $pp" | awk '{print $1 / $2}')"
printf '%-28s %12.2f %12.2f %8.2f\n' "TCP, Gbit/s" "$tp" "$tq" "$(echo "$tq $tp" | awk '{print $1 / $2}')"
echo
printf '%-28s %12s %12s %12s\n' "pipe with delay 10ms" "p50 error" "p99 error" "delivered"
for rate in 10000 100000; do
	p50=$(cut -d' ' -f1 < "$tmp/delay.$rate" | median)
	p99=$(cut -d' ' -f2 < "$tmp/delay.$rate" | median)
	got=$(cut -d' ' -f3 < "$tmp/delay.$rate" | median)
	printf '%-28s %9.1f us %9.1f us %11.1f%%\n' "at $((rate / 1000)) kpps" \
		"$(echo "$p50" | awk '{print $1 - 10000}')" "$(echo "$p99" | awk '{print $1 - 10000}')" \
		"$(echo "$got $rate $secs" | awk '{print 100 * $1 / ($2 * $3)}')"
done
