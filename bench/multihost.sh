#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# multihost.sh — a chain of N routers over 4 simulated hosts (issue 19):
# `up` and `down` times of `vnetlab up --hosts` against the same lab on
# one host, in the same run, and the control-plane overhead per host.
#
#   sh bench/multihost.sh [N] [ROUNDS]      (N default 2000, ROUNDS 1)
#
# The hosts are tests/tools/simhosts.sh's: network namespaces on an
# underlay bridge, each with a private /run and its own sshd; the
# controller is the namespace PREFIX-ctl.  The one-host baselines: the
# same file brought up with plain `vnetlab up` inside host h1 (the same
# kind of environment as the parts), and in the root namespace.  Every
# run is cold: the controller's multiplexed ssh masters are ended (by
# pid) before each `up` and each `down`, so both pay the ssh connects.
# Times: wall clock of the whole command; medians over ROUNDS.  The
# kernel frees namespaces in the background: bench/settle.sh before each
# measurement.  Needs root and sshd (Debian openssh-server).
set -eu
N=${1:-2000}
ROUNDS=${2:-1}
H=4
bin=$(readlink -f "${VNETLAB:-./vnetlab}")
here=$(cd "$(dirname "$0")" && pwd)
sim=$here/../tests/tools/simhosts.sh
settle="$here/settle.sh"

skip() { echo "multihost: SKIP ($1)"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root: simulated hosts are network namespaces with sshd"
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || skip "no sshd (Debian package openssh-server)"
for t in ssh ssh-keygen ip nsenter unshare; do
	command -v "$t" >/dev/null 2>&1 || skip "no $t"
done
[ -x "$bin" ] || skip "no vnetlab at $bin"

prefix=vmb$$
dir=/tmp/vmb$$.d
lab=mhbench
state=$dir/state # the controller's and the root-namespace run's state root
ctl=
cleanup() {
	if [ -n "$ctl" ]; then
		ip netns exec "$prefix-ctl" env VNETLAB_STATE_DIR="$state" \
			"$bin" down --missing-ok "$lab" >/dev/null 2>&1 || true
		sh "$sim" on "$dir" h1 env -u VNETLAB_STATE_DIR \
			"$bin" down --missing-ok "$lab" >/dev/null 2>&1 || true
		VNETLAB_STATE_DIR=$state "$bin" down --missing-ok "$lab" >/dev/null 2>&1 || true
	fi
	sh "$sim" down "$dir" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$state"
chmod 700 "$dir" "$state"

# Router i: e0 to i-1, e1 to i+1; link k (r_k - r_k+1) is a /30.
gen() { # N FILE
	awk -v n="$1" -v lab="$lab" 'function addr(k, end) {
		return sprintf("10.%d.%d.%d/30", int(k / 16384), int(k / 64) % 256, (k % 64) * 4 + end)
	}
	BEGIN {
		printf "name: %s\nnodes:\n", lab
		for (i = 1; i <= n; i++) {
			printf "  r%d: { forwarding: true, ifaces: {", i
			sep = ""
			if (i > 1) { printf " e0: { addrs: [%s] }", addr(i - 1, 2); sep = "," }
			if (i < n) printf "%s e1: { addrs: [%s] }", sep, addr(i, 1)
			print " } }"
		}
		print "links:"
		for (i = 1; i < n; i++) printf "  - [r%d:e1, r%d:e0]\n", i, i + 1
	}' > "$2"
}
gen "$N" "$dir/chain.yaml"
gen 8 "$dir/small.yaml"

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{printf "%.3f", $1 - $2}'; }
median() { sort -g | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : "nan"}'; }

echo "multihost: $ROUNDS round(s) of a chain of $N routers: root namespace, host h1, $H hosts"
t0=$(now)
sh "$sim" up "$dir" "$H" "$prefix" "$bin" >/dev/null
ctl=1
echo "multihost: $H simulated hosts made in $(since "$t0") s"

# The controller's ssh masters (ControlPersist) live in PREFIX-ctl: end
# them, by pid, so the next command connects anew.
cold() {
	for p in $(ip netns pids "$prefix-ctl" 2>/dev/null); do
		if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = ssh ]; then kill "$p" 2>/dev/null || true; fi
	done
	for _ in $(seq 50); do
		left=0
		for p in $(ip netns pids "$prefix-ctl" 2>/dev/null); do left=1; done
		[ "$left" = 0 ] && return
		sleep 0.05
	done
}
residue() { # CONTEXT: a keeper's last processes may take a moment to go
	out=
	for _ in $(seq 30); do
		out=$(sh "$sim" residue "$dir" 2>&1 || true)
		[ -z "$out" ] && return
		sleep 0.1
	done
	echo "multihost: WARNING: left on the hosts after $1:"
	echo "$out" | sed 's/^/    /'
}
fail() { # WHAT LOGFILE
	echo "multihost: $1 failed:"
	tail -20 "$2" | sed 's/^/    /'
	exit 1
}

# The three ways to run a command of the lab
on_ctl() { ip netns exec "$prefix-ctl" env VNETLAB_STATE_DIR="$state" "$bin" "$@"; }
on_h1() { sh "$sim" on "$dir" h1 env -u VNETLAB_STATE_DIR "$bin" "$@"; }
on_root() { VNETLAB_STATE_DIR=$state "$bin" "$@"; }

# One measured up+down: NAME WHO FILE [UP-ARGS...] (WHO: root, h1 or ctl)
# -> appends to $dir/NAME.up and $dir/NAME.down
measure() {
	name=$1 who=$2 file=$3
	shift 3
	sh "$settle"
	cold
	t0=$(now)
	"on_$who" up "$file" --name "$lab" "$@" > "$dir/log" 2>&1 || fail "$who: up" "$dir/log"
	since "$t0" >> "$dir/$name.up"
	cp "$dir/log" "$dir/$name.uplog"
	cold
	t0=$(now)
	"on_$who" down "$lab" > "$dir/log" 2>&1 || fail "$who: down" "$dir/log"
	since "$t0" >> "$dir/$name.down"
	case $who in
	root) [ -z "$(on_root ls 2>/dev/null | grep -w "$lab" || true)" ] ||
		echo "multihost: WARNING: $lab still listed after down (root)" ;;
	*) residue "$name down" ;;
	esac
}

# Per host: a fresh ssh connection running `true`, and `vnetlab version`.
sshh() { # I CMD...
	i=$1
	shift
	ip netns exec "$prefix-ctl" ssh -i "$dir/id" -o UserKnownHostsFile="$dir/known_hosts" \
		-o StrictHostKeyChecking=yes -o BatchMode=yes "root@192.0.2.$i" "$@"
}
ssh_round() {
	i=1
	while [ "$i" -le "$H" ]; do
		t0=$(now)
		sshh "$i" true
		since "$t0" >> "$dir/ssh.true"
		t0=$(now)
		sshh "$i" "$bin" version >/dev/null
		since "$t0" >> "$dir/ssh.version"
		i=$((i + 1))
	done
	# all hosts at once, as the controller connects
	t0=$(now)
	i=1
	while [ "$i" -le "$H" ]; do
		sshh "$i" "$bin" version >/dev/null &
		i=$((i + 1))
	done
	wait
	since "$t0" >> "$dir/ssh.all"
}

for r in $(seq "$ROUNDS"); do
	rt0=$(now)
	ssh_round
	measure root root "$dir/chain.yaml"
	measure h1 h1 "$dir/chain.yaml"
	measure ctl ctl "$dir/chain.yaml" --hosts "$dir/hosts.yaml"
	measure small ctl "$dir/small.yaml" --hosts "$dir/hosts.yaml"
	echo "multihost: round $r ($(since "$rt0") s): up/down s: root $(tail -1 "$dir/root.up")/$(tail -1 "$dir/root.down"), h1 $(tail -1 "$dir/h1.up")/$(tail -1 "$dir/h1.down"), $H hosts $(tail -1 "$dir/ctl.up")/$(tail -1 "$dir/ctl.down"), 8-router $(tail -1 "$dir/small.up")/$(tail -1 "$dir/small.down")"
done

# `small`: the fixed cost of up --hosts (an 8-router chain over the 4 hosts)
med() { median < "$dir/$1"; }
grep -e ' over [0-9]* hosts' "$dir/ctl.uplog" | sed 's/^vnetlab: /multihost: up --hosts said: /' || true
awk -v n="$N" -v h="$H" -v rounds="$ROUNDS" \
    -v ru="$(med root.up)" -v rd="$(med root.down)" \
    -v hu="$(med h1.up)" -v hd="$(med h1.down)" \
    -v cu="$(med ctl.up)" -v cd="$(med ctl.down)" \
    -v su="$(med small.up)" -v sd="$(med small.down)" \
    -v st="$(med ssh.true)" -v sv="$(med ssh.version)" -v sa="$(med ssh.all)" 'BEGIN {
	printf "multihost: chain of %d routers; %d simulated hosts (namespaces, sshd each); medians of %d round(s)\n", n, h, rounds
	printf "%-28s %8s %9s\n", "", "up (s)", "down (s)"
	printf "%-28s %8.2f %9.2f\n", "one host (root namespace)", ru, rd
	printf "%-28s %8.2f %9.2f\n", "one host (simulated h1)", hu, hd
	printf "%-28s %8.2f %9.2f     ratio to h1: up %.2f, down %.2f\n", h " hosts over ssh", cu, cd, cu / hu, cd / hd
	printf "%-28s %8.2f %9.2f     (fixed cost of --hosts, cold ssh)\n", h " hosts, 8-router chain", su, sd
	printf "per-host control overhead: ssh connect+true %.3f s, ssh connect+vnetlab version %.3f s (median over the %d hosts); all %d at once %.3f s\n", st, sv, h, h, sa
	printf "overhead estimate (%d-host time - one-host h1 time / %d, as if each host had its own kernel): up %.2f s, down %.2f s\n", h, h, cu - hu / h, cd - hd / h
	printf "overhead estimate (%d-host time - one-host h1 time; the simulated hosts share one kernel and its CPUs): up %.2f s, down %.2f s\n", h, cu - hu, cd - hd
}'
