#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# deps.sh — install the Debian packages vnetlab builds and tests with, only
# when something is missing (so `make check` costs nothing the second time).
# `deps.sh fuzz` adds clang and its fuzzer/sanitizer runtime (`make fuzz`).
set -eu
PKGS="build-essential pkg-config libmnl-dev libnl-3-dev libnl-route-3-dev \
libcap-dev libyaml-dev libjson-c-dev libcriterion-dev iproute2 iputils-ping procps iperf3 tcpdump \
groff-base zsh frr bird2 libgraphviz-dev libexpat1-dev libmicrohttpd-dev chromium \
openssh-client openssh-server"
# openssh: the control of labs over several hosts (ssh), and the sshd the
# tests start inside each simulated host (never the machine's own).
case "${1:-}" in
fuzz) PKGS="$PKGS clang libclang-rt-14-dev" ;;
esac
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "vnetlab: missing Debian packages:$missing" >&2
	echo "vnetlab: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "vnetlab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# A package's own service is not started by installing it (openssh-server
# would start an sshd on the machine): policy-rc.d says no, for this
# install only, and only when no policy was there already.
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && ours=1
fi
rc=0
apt-get install -y -qq --no-install-recommends $missing || rc=$?
[ -n "$ours" ] && rm -f "$policy"
exit $rc
