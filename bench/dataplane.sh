#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/dataplane.sh — does a lab built by vnetlab forward as fast as the
# same kernel objects built by hand?  One run, rounds interleaved.
#
#   sudo bench/dataplane.sh [ROUNDS] [SECONDS]     (root: the hand-built
#                                                   chain uses ip netns)
#
# Both are h1 - r1 - ... - r14 - h2: 16 network namespaces, 15 veth pairs,
# /30 addresses, static routes, forwarding on the routers.  The by-hand one
# is made with ip(8), as a person would; vnetlab's from the equivalent
# topology file.  Measured h1 -> h2: 64-byte UDP packets/s (bench/udpgen)
# and TCP Gbit/s (iperf3); printed: medians and vnetlab / by-hand ratios.
set -eu
rounds=${1:-3}
secs=${2:-3}
bin=$(readlink -f "${VNETLAB:-./vnetlab}")
gen=$(readlink -f "${UDPGEN:-build/bench/udpgen}")
[ "$(id -u)" = 0 ] || { echo "run as root (the by-hand chain uses ip netns)" >&2; exit 2; }
own_state=
[ -n "${VNETLAB_STATE_DIR:-}" ] || own_state=$(mktemp -d /tmp/vnetlab-dp-XXXXXX)
export VNETLAB_STATE_DIR=${VNETLAB_STATE_DIR:-$own_state}
chmod 700 "$VNETLAB_STATE_DIR"
tmp=$(mktemp -d)
pfx=vlbench$$
lab=dp$$
R=14
cleanup() {
	"$bin" down "$lab" >/dev/null 2>&1 || true
	for n in $(ip netns list | awk '{print $1}' | grep "^$pfx-" || true); do
		ip netns del "$n"
	done
	rm -rf "$tmp"
	[ -z "$own_state" ] || rmdir "$own_state" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Node k = 0 (h1), 1..R (routers), R+1 (h2); link k joins node k and k+1:
# 10.200.k.1/30 on node k's "r", 10.200.k.2/30 on node k+1's "l".
name() { if [ "$1" = 0 ]; then echo h1; elif [ "$1" = $((R + 1)) ]; then echo h2; else echo "r$1"; fi; }

{
	echo "name: $lab"
	echo "nodes:"
	for k in $(seq 0 $((R + 1))); do
		echo "  $(name $k):"
		[ "$k" -ge 1 ] && [ "$k" -le $R ] && echo "    forwarding: true"
		printf '    ifaces: {'
		[ "$k" -gt 0 ] && printf ' l: { addrs: [10.200.%d.2/30] },' $((k - 1))
		[ "$k" -le $R ] && printf ' r: { addrs: [10.200.%d.1/30] }' "$k"
		echo ' }'
		printf '    routes: ['
		[ "$k" = 0 ] && printf '{ to: default, via: 10.200.0.2 }'
		[ "$k" = $((R + 1)) ] && printf '{ to: default, via: 10.200.%d.1 }' $R
		if [ "$k" -ge 1 ] && [ "$k" -le $R ]; then
			[ "$k" -gt 1 ] && printf '{ to: 10.200.0.0/30, via: 10.200.%d.1 }, ' $((k - 1))
			[ "$k" -lt $R ] && printf '{ to: 10.200.%d.0/30, via: 10.200.%d.2 }' $R "$k"
		fi
		echo ']'
	done
	echo "links:"
	for k in $(seq 0 $R); do echo "  - [$(name $k):r, $(name $((k + 1))):l]"; done
} | sed 's/, ]/]/' > "$tmp/chain.yaml"

by_hand() {
	for k in $(seq 0 $((R + 1))); do
		ip netns add "$pfx-$(name $k)"
		ip -n "$pfx-$(name $k)" link set lo up
	done
	for k in $(seq 0 $R); do
		a=$pfx-$(name $k) b=$pfx-$(name $((k + 1)))
		ip link add "${pfx}x" netns "$a" type veth peer name "${pfx}y" netns "$b"
		ip -n "$a" link set "${pfx}x" name r
		ip -n "$b" link set "${pfx}y" name l
		ip -n "$a" addr add "10.200.$k.1/30" dev r
		ip -n "$b" addr add "10.200.$k.2/30" dev l
		ip -n "$a" link set dev r up
		ip -n "$b" link set dev l up
	done
	ip -n "$pfx-h1" route add default via 10.200.0.2
	ip -n "$pfx-h2" route add default via 10.200.$R.1
	for k in $(seq 1 $R); do
		n=$pfx-r$k
		ip netns exec "$n" sysctl -qw net.ipv4.ip_forward=1
		[ "$k" -gt 1 ] && ip -n "$n" route add 10.200.0.0/30 via "10.200.$((k - 1)).1"
		[ "$k" -lt $R ] && ip -n "$n" route add "10.200.$R.0/30" via "10.200.$k.2"
	done
	return 0
}

# run_in KIND NODE CMD...: in vnetlab's node, or in the by-hand namespace.
run_in() {
	kind=$1 node=$2
	shift 2
	if [ "$kind" = vnetlab ]; then "$bin" exec "$lab" "$node" -- "$@"; else ip netns exec "$pfx-$node" "$@"; fi
}

udp() {
	out=$tmp/recv
	run_in "$1" h2 "$gen" recv 9000 --duration $((secs + 1)) > "$out" &
	p=$!
	for _ in $(seq 50); do grep -q ready "$out" 2>/dev/null && break; sleep 0.05; done
	run_in "$1" h1 "$gen" send "10.200.$R.2" 9000 --duration "$secs" >/dev/null
	wait $p
	awk '/received/ {for (i = 1; i < NF; i++) if ($i == "pps") print $(i + 1)}' "$out"
}
tcp() {
	run_in "$1" h2 iperf3 -s -D -1 >/dev/null
	sleep 0.3
	run_in "$1" h1 iperf3 -c "10.200.$R.2" -t "$secs" -f g 2>/dev/null |
		awk '/receiver/ {for (i = 1; i < NF; i++) if ($(i + 1) == "Gbits/sec") print $i}'
}
median() { sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "nan"}'; }

"$bin" up "$tmp/chain.yaml" --no-netns --quiet >/dev/null
by_hand
run_in vnetlab h1 ping -c1 -W2 "10.200.$R.2" >/dev/null
run_in hand h1 ping -c1 -W2 "10.200.$R.2" >/dev/null
sh "$(dirname "$0")/settle.sh"   # earlier labs' namespaces, freed before we measure
for r in $(seq "$rounds"); do
	echo "round $r of $rounds" >&2
	for kind in vnetlab hand; do
		udp "$kind" >> "$tmp/$kind.pps"
		tcp "$kind" >> "$tmp/$kind.tcp"
	done
done
vp=$(median < "$tmp/vnetlab.pps") hp=$(median < "$tmp/hand.pps")
vt=$(median < "$tmp/vnetlab.tcp") ht=$(median < "$tmp/hand.tcp")
echo
echo "14-router chain h1 -> h2 — $(nproc) cores, kernel $(uname -r), $rounds rounds x ${secs} s, medians"
printf '%-24s %12s %12s %8s\n' "" "by hand (ip)" "vnetlab" "ratio"
printf '%-24s %12.0f %12.0f %8.3f\n' "64-byte UDP, packets/s" "$hp" "$vp" "$(echo "$vp $hp" | awk '{print $1 / $2}')"
printf '%-24s %12.2f %12.2f %8.3f\n' "TCP, Gbit/s" "$ht" "$vt" "$(echo "$vt $ht" | awk '{print $1 / $2}')"
