#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/rootless.sh — `vnetlab up` of one topology, root mode against
# rootless mode, interleaved in one run so machine noise hits both alike.
#
#   sudo bench/rootless.sh [TOPOLOGY] [ROUNDS] [USER]
#
# Run as root; USER (default: nobody's stand-in, vnetlab-ci) is the
# unprivileged account for the rootless half.  Prints the median and
# quartiles of the time `up` reports for itself, and the ratio.
set -eu
topo=${1:-topologies/chain14.yaml}
rounds=${2:-30}
user=${3:-vnetlab-ci}
bin=${VNETLAB:-./vnetlab}
[ "$(id -u)" = 0 ] || { echo "run as root (the rootless half uses runuser)" >&2; exit 2; }
id "$user" >/dev/null 2>&1 || { echo "no user $user (useradd -m $user)" >&2; exit 2; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
cp "$bin" "$tmp/vnetlab"
cp "$topo" "$tmp/topo.yaml"
chmod 644 "$tmp/topo.yaml"
mkdir "$tmp/root" "$tmp/user"
chmod 700 "$tmp/root" "$tmp/user"
chown "$user" "$tmp/user"
one() { # $1 = root|user: prints the seconds `up` reported
	if [ "$1" = root ]; then
		VNETLAB_STATE_DIR=$tmp/root "$tmp/vnetlab" up "$tmp/topo.yaml" --name bench \
			--no-netns 2>&1 >/dev/null | sed -n 's/.* in \([0-9.]*\) s.*/\1/p'
		VNETLAB_STATE_DIR=$tmp/root "$tmp/vnetlab" down bench >/dev/null 2>&1
	else
		runuser -u "$user" -- env VNETLAB_STATE_DIR="$tmp/user" sh -c \
			"'$tmp/vnetlab' up '$tmp/topo.yaml' --name bench 2>&1 >/dev/null |
			 sed -n 's/.* in \([0-9.]*\) s.*/\1/p'; '$tmp/vnetlab' down bench >/dev/null 2>&1"
	fi
}
i=0
while [ $i -lt "$rounds" ]; do
	one root >>"$tmp/root.t"
	one user >>"$tmp/user.t"
	i=$((i + 1))
done
stats() { sort -n "$1" | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int(NR/4)+1]*1000, a[int(NR/2)+1]*1000, a[int(3*NR/4)+1]*1000}'; }
r=$(stats "$tmp/root.t")
u=$(stats "$tmp/user.t")
echo "vnetlab up $(basename "$topo"), $rounds rounds each, interleaved (ms: p25 median p75)"
echo "root mode:     $r"
echo "rootless mode: $u"
echo "$r $u" | awk '{printf "rootless/root median ratio: %.2f\n", $5/$2}'
rm -rf "$tmp"
