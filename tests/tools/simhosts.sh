#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# simhosts.sh — "hosts" for the tests of labs over several hosts, on one
# machine (docs/multihost.md, issue 19).  Test harness only: the product
# never runs ip or sshd.
#
#   simhosts.sh up DIR N PREFIX [VNETLAB]  N hosts h1..hN; writes DIR/hosts.yaml
#                                    (VNETLAB: the vnetlab each host runs)
#   simhosts.sh down DIR             everything up made, by name and pid
#   simhosts.sh on DIR HOST CMD...   CMD inside that host (its network and
#                                    its own /run, so its vnetlab state)
#   simhosts.sh residue DIR          what is left on any host, one line each
#
# Each host is a network namespace PREFIX-hI on an underlay bridge (in its
# own namespace PREFIX-ul), address 192.0.2.I/24, with a mount namespace of
# its own (DIR/hI.mnt) whose /run is a private tmpfs: its vnetlab state
# root and /run/netns are its own, as on a real machine.  sshd runs there,
# listening on 192.0.2.I only, accepting one key the script makes.  The
# controller is the namespace PREFIX-ctl (192.0.2.100): run the controller's
# vnetlab with `ip netns exec PREFIX-ctl`.  No address of the underlay is
# reachable from outside these namespaces.
set -eu

cmd=$1
dir=$2

host_pids() { ip netns pids "$1" 2>/dev/null || true; }

case "$cmd" in
up)
	n=$3 prefix=$4 vnetlab=${5:-vnetlab}
	mkdir -p "$dir"
	echo "$prefix" > "$dir/prefix"
	echo "$n" > "$dir/count"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/id" -C vnetlab-test
	ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey" -C vnetlab-test-host
	cp "$dir/id.pub" "$dir/authorized_keys"
	chmod 600 "$dir/authorized_keys"
	: > "$dir/known_hosts"
	ip netns add "$prefix-ul"
	ip -n "$prefix-ul" link add br0 type bridge
	ip -n "$prefix-ul" link set br0 up
	join() { # NS ADDR
		ip netns add "$1"
		ip -n "$1" link add eth0 type veth peer name "p$2" netns "$prefix-ul"
		ip -n "$prefix-ul" link set "p$2" master br0 up
		ip -n "$1" addr add "192.0.2.$2/24" dev eth0
		ip -n "$1" link set eth0 up
		ip -n "$1" link set lo up
	}
	join "$prefix-ctl" 100
	echo "hosts:" > "$dir/hosts.yaml"
	sshd=$(command -v sshd || echo /usr/sbin/sshd)
	i=1
	while [ "$i" -le "$n" ]; do
		join "$prefix-h$i" "$i"
		cat > "$dir/sshd_h$i.conf" <<EOF
ListenAddress 192.0.2.$i
Port 22
HostKey $dir/hostkey
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd_h$i.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 100
MaxStartups 100:30:200
EOF
		# A private /run (the host's vnetlab state, its /run/netns),
		# then sshd, which forks into the background once listening.
		ip netns exec "$prefix-h$i" unshare --mount \
			--propagation private sh -c "mount -t tmpfs -o mode=755 tmpfs /run &&
				mkdir -p /run/sshd /run/netns && exec $sshd -f $dir/sshd_h$i.conf"
		echo "192.0.2.$i $(cut -d' ' -f1,2 "$dir/hostkey.pub")" >> "$dir/known_hosts"
		cat >> "$dir/hosts.yaml" <<EOF
  h$i: { ssh: root@192.0.2.$i, underlay: 192.0.2.$i, vnetlab: "$vnetlab",
        options: ["-i", "$dir/id", "-o", "UserKnownHostsFile=$dir/known_hosts",
                  "-o", "StrictHostKeyChecking=yes"] }
EOF
		i=$((i + 1))
	done
	# sshd listening everywhere before anyone connects
	i=1
	while [ "$i" -le "$n" ]; do
		t=0
		until ip netns exec "$prefix-h$i" ss -ltn 2>/dev/null | grep -q "192.0.2.$i:22"; do
			t=$((t + 1))
			[ "$t" -lt 100 ] || { echo "simhosts: sshd of h$i did not listen" >&2; exit 1; }
			sleep 0.05
		done
		i=$((i + 1))
	done
	;;
on)
	host=$3
	shift 3
	prefix=$(cat "$dir/prefix")
	# sshd's namespaces are the host's
	exec nsenter -t "$(cat "$dir/sshd_$host.pid")" --net --mount "$@"
	;;
residue)
	prefix=$(cat "$dir/prefix") n=$(cat "$dir/count")
	i=1
	while [ "$i" -le "$n" ]; do
		h="h$i"
		sshd_pid=$(cat "$dir/sshd_$h.pid" 2>/dev/null || echo none)
		# Processes left in the host's network: sshd and its sessions only.
		for p in $(host_pids "$prefix-$h"); do
			[ "$p" = "$sshd_pid" ] && continue
			comm=$(cat "/proc/$p/comm" 2>/dev/null || continue)
			state=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null || echo '?')
			[ "$state" = Z ] && continue # the slow init's to reap
			case "$comm" in sshd) continue ;; esac
			echo "$h: process $p ($comm)"
		done
		ip -n "$prefix-$h" -o link show 2>/dev/null | awk -F': ' '{print $2}' |
			grep -v -e '^lo$' -e '^eth0@' | sed "s/^/$h: link /" || true
		nsenter -t "$sshd_pid" --net --mount sh -c \
			'ls -A /run/netns; ls -A /run/vnetlab 2>/dev/null | grep -v "^\.ssh$" || true' |
			sed "s/^/$h: state or netns /" || true
		i=$((i + 1))
	done
	;;
down)
	[ -f "$dir/prefix" ] || exit 0
	prefix=$(cat "$dir/prefix") n=$(cat "$dir/count")
	i=1
	while [ "$i" -le "$n" ]; do
		[ -f "$dir/sshd_h$i.pid" ] && kill "$(cat "$dir/sshd_h$i.pid")" 2>/dev/null || true
		for p in $(host_pids "$prefix-h$i"); do kill -9 "$p" 2>/dev/null || true; done
		ip netns del "$prefix-h$i" 2>/dev/null || true
		i=$((i + 1))
	done
	for p in $(host_pids "$prefix-ctl"); do kill -9 "$p" 2>/dev/null || true; done
	ip netns del "$prefix-ctl" 2>/dev/null || true
	ip netns del "$prefix-ul" 2>/dev/null || true
	;;
*)
	echo "usage: simhosts.sh up DIR N PREFIX [VNETLAB] | down DIR | on DIR HOST CMD... | residue DIR" >&2
	exit 2
	;;
esac
