#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A recording stand-in for FreeBSD's jail(8), jexec(8), ngctl(8) and
# ifconfig(8), linked under those names first on PATH.  Each call appends
# its command line to $VNETLAB_TRANSCRIPT exactly as `vnetlab plan
# --backend freebsd` prints it (words outside [A-Za-z0-9_./:=@%+,-]
# single-quoted; `... -f -` followed by what it read, as a heredoc), and
# the call numbered $VNETLAB_STANDIN_FAIL (1-based) exits 1 after recording.
set -eu
t=${VNETLAB_TRANSCRIPT:?VNETLAB_TRANSCRIPT not set}
echo >> "$t.calls"
n=$(wc -l < "$t.calls")
line=$(basename "$0")
prev= last=
for a in "$@"; do
	case $a in
	'' | *[!A-Za-z0-9_./:=@%+,-]*)
		q=$(printf '%s' "$a" | sed "s/'/'\\\\''/g")
		line="$line '$q'" ;;
	*) line="$line $a" ;;
	esac
	prev=$last last=$a
done
if [ "$prev" = -f ] && [ "$last" = - ]; then
	{ printf "%s <<'EOF'\n" "$line"; cat; echo EOF; } >> "$t"
else
	printf '%s\n' "$line" >> "$t"
fi
[ "$n" != "${VNETLAB_STANDIN_FAIL:-0}" ]
