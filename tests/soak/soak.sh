#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# soak.sh — many up/down cycles must leave the machine as they found it.
#
#   tests/soak/soak.sh [CYCLES] [TOPOLOGY]        (make soak; default 200, chain14)
#
# VNETLAB_SAN (the ASan/UBSan build) does the cycles: every vnetlab process
# (up, down, the keeper) runs LeakSanitizer at exit and writes any report
# to a log directory that must stay empty.  Before and after, it counts
# what a lab could leave: network namespaces, namespaces of any kind, host
# interfaces, mounts, /run/netns links, vnetlab processes, state files,
# and open descriptors (system-wide, and the cycles' own).  Then one lab
# stays up under VNETLAB (the plain build, whose RSS means something) while
# 1000 requests (inspect, live link changes, exec) hit its keeper, whose
# RSS is sampled before and after.
#
# As root it runs root mode, then rootless mode as SOAK_USER (default
# vnetlab-ci, created if missing, as .ci/run does); as a user, rootless only.
set -eu
cycles=${1:-200}
topo=${2:-topologies/chain14.yaml}
san=${VNETLAB_SAN:-build-san/vnetlab}
plain=${VNETLAB:-./vnetlab}
user=${SOAK_USER:-vnetlab-ci}
for b in "$san" "$plain"; do
	[ -x "$b" ] || { echo "soak: no binary $b (make; make SANITIZE=1)" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/vnetlab-soak.XXXXXX)
chmod 755 "$tmp"
cp "$san" "$tmp/vnetlab-san"
cp "$plain" "$tmp/vnetlab"
cp "$topo" "$tmp/topo.yaml"
chmod 644 "$tmp/topo.yaml"
mkdir -m 1777 "$tmp/lsan"
# On any exit, labs first (by name, in our own state directories), then
# the files: a lab whose state directory vanished could not be downed.
finish() {
	for d in "$tmp"/state-*; do
		[ -d "$d" ] || continue
		for l in soak rss; do
			if [ "${d##*-}" = root ]; then
				VNETLAB_STATE_DIR=$d "$tmp/vnetlab" down $l >/dev/null 2>&1 || true
			else
				runuser -u "$user" -- env VNETLAB_STATE_DIR="$d" "$tmp/vnetlab" down $l \
					>/dev/null 2>&1 || true
			fi
		done
	done
	rm -rf "$tmp"
}
trap finish EXIT

# ---- counting ------------------------------------------------------------
live_ns_dirs() { # /proc/PID/ns of every process but zombies (a zombie
	# keeper, waiting for init to reap it, still shows its PID namespace)
	awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " ");
	       if (f[1] != "Z") print "/proc/" $1 "/ns" }' /proc/[0-9]*/stat 2>/dev/null
}
ns_all() { # distinct namespaces of every kind held by any process we see
	live_ns_dirs | xargs -r sh -c 'find "$@" -maxdepth 1 -type l -printf "%l\n" 2>/dev/null' sh |
		sort -u
}
vl_procs() { # pids running either copied binary
	find /proc/[0-9]*/exe -maxdepth 0 -printf '%p %l\n' 2>/dev/null |
		awk -v a="$tmp/vnetlab" -v b="$tmp/vnetlab-san" \
			'$2 == a || $2 == b { split($1, p, "/"); print p[3] }'
}
counts() { # one line of NAME=VALUE
	netns=$(ns_all | grep -c '^net:' || true)
	allns=$(ns_all | wc -l)
	links=$(ls /sys/class/net | wc -l)
	mounts=$(wc -l </proc/self/mountinfo)
	runnetns=$(ls /run/netns 2>/dev/null | wc -l)
	procs=$(vl_procs | wc -l)
	state=$(find "$tmp/state-$1" 2>/dev/null | wc -l)
	fds=$(cut -f1 /proc/sys/fs/file-nr)
	echo "netns=$netns namespaces=$allns host-interfaces=$links mounts=$mounts" \
		"netns-links=$runnetns vnetlab-processes=$procs state-entries=$state" \
		"system-fds=$fds"
}

# ---- one mode --------------------------------------------------------------
as() { # as MODE CMD...: run as root, or as $user for rootless
	if [ "$mode" = root ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}
fail=0
soak_mode() {
	mode=$1
	st="$tmp/state-$mode"
	mkdir -m 700 "$st"
	[ "$mode" = root ] || chown "$user" "$st"
	env="VNETLAB_STATE_DIR=$st"
	sanenv="ASAN_OPTIONS=detect_leaks=1:log_path=$tmp/lsan/$mode \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$tmp/lsan/$mode-ubsan"
	before=$(counts "$mode")
	echo "soak[$mode] before: $before"
	start=$(date +%s)
	i=1 maxfds=0
	while [ $i -le "$cycles" ]; do
		as env $env $sanenv "$tmp/vnetlab-san" up "$tmp/topo.yaml" --name soak --quiet \
			>"$tmp/out" 2>&1 || { echo "soak[$mode] cycle $i: up failed:"; cat "$tmp/out"; fail=1; break; }
		# Descriptors of the cycle's own processes while the lab is up.
		n=0
		for p in $(vl_procs); do n=$((n + $(ls "/proc/$p/fd" 2>/dev/null | wc -l))); done
		[ "$i" = 1 ] && first=$n
		[ $n -gt $maxfds ] && maxfds=$n
		if [ "$i" = 1 ] || [ "$i" = "$cycles" ]; then
			as env $env "$tmp/vnetlab" check soak >"$tmp/out" 2>&1 ||
				{ echo "soak[$mode] cycle $i: check failed:"; cat "$tmp/out"; fail=1; }
			echo "soak[$mode] cycle $i: $(grep -o '[0-9]*/[0-9]* node pairs reachable' "$tmp/out"), keeper fds $n"
		fi
		as env $env $sanenv "$tmp/vnetlab-san" down soak >"$tmp/out" 2>&1 ||
			{ echo "soak[$mode] cycle $i: down failed:"; cat "$tmp/out"; fail=1; break; }
		i=$((i + 1))
	done
	end=$(date +%s)
	# The last keeper's exit is asynchronous to `down`'s, and its zombie
	# (holding its PID namespace) waits for init to reap it: allow 10 s.
	b=$(echo "$before" | sed 's/ system-fds=.*//')
	for _ in $(seq 50); do
		after=$(counts "$mode")
		[ "$(echo "$after" | sed 's/ system-fds=.*//')" = "$b" ] && break
		sleep 0.2
	done
	echo "soak[$mode] after $((i - 1)) cycles in $((end - start)) s: $after"
	echo "soak[$mode] vnetlab descriptors while up: first cycle $first, most $maxfds"
	# Everything but the system-wide descriptor count must match exactly;
	# that one moves with the rest of the machine.
	a=$(echo "$after" | sed 's/ system-fds=.*//')
	if [ "$a" != "$b" ]; then echo "soak[$mode] FAIL: counts differ"; fail=1; fi
	if [ "$maxfds" != "$first" ]; then echo "soak[$mode] FAIL: descriptors grew"; fail=1; fi
	if ls "$tmp/lsan/" | grep -q "^$mode"; then
		echo "soak[$mode] FAIL: sanitizer reports:"; cat "$tmp/lsan/$mode"*; fail=1
	else
		echo "soak[$mode] sanitizer reports (LeakSanitizer, UBSan): none"
	fi
	keeper_rss "$mode"
}

# ---- a long-lived keeper -------------------------------------------------
rss_of() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
keeper_rss() {
	as env $env "$tmp/vnetlab" up "$tmp/topo.yaml" --name rss --quiet >"$tmp/out" 2>&1 ||
		{ echo "soak[$1] keeper RSS: up failed"; cat "$tmp/out"; fail=1; return; }
	k=$(vl_procs | head -1)
	[ -n "$k" ] || { echo "soak[$1] keeper RSS: no keeper process found"; fail=1; return; }
	warm() { # N rounds of inspect, a live change and its undo, exec
		j=0
		while [ $j -lt "$1" ]; do
			as env $env "$tmp/vnetlab" inspect rss --json >/dev/null &&
			as env $env "$tmp/vnetlab" link rss h1:eth0 r1:e0 set bandwidth 10mbit >/dev/null &&
			as env $env "$tmp/vnetlab" link rss h1:eth0 r1:e0 clear >/dev/null &&
			as env $env "$tmp/vnetlab" exec rss h1 -- true ||
				{ echo "soak: request $j to the long-lived keeper failed"; fail=1; return 1; }
			j=$((j + 1))
		done
	}
	r0= r1=
	warm 20 && r0=$(rss_of "$k") && warm 250 && r1=$(rss_of "$k")
	as env $env "$tmp/vnetlab" down rss >/dev/null 2>&1 || { echo "soak: down rss failed"; fail=1; }
	[ -n "$r1" ] || return 0
	echo "soak[$1] keeper RSS: $r0 KiB after 80 requests, $r1 KiB after 1000 more"
	if [ $((r1 - r0)) -gt 256 ]; then echo "soak[$1] FAIL: keeper RSS grew"; fail=1; fi
}

if [ "$(id -u)" = 0 ]; then
	if ! id "$user" >/dev/null 2>&1; then
		useradd --create-home --shell /bin/sh "$user"
		sed -i "/^$user:/d" /etc/subuid /etc/subgid 2>/dev/null || true
	fi
	soak_mode root
	soak_mode rootless
else
	as() { "$@"; }
	soak_mode rootless
fi
[ "$fail" = 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit "$fail"
