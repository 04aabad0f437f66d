#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A recording stand-in for FreeBSD's jail(8), jexec(8), ngctl(8),
# ifconfig(8) and the commands that build a jail's root (mount, umount,
# mkdir, rmdir, touch, cp, dd, rm, chown), linked under those names first
# on PATH.  Each call appends its command line to $VNETLAB_TRANSCRIPT
# exactly as `vnetlab plan --backend freebsd` prints it (words outside
# [A-Za-z0-9_./:=@%+,-] single-quoted; `... -f -` and dd followed by what
# they read, as a heredoc whose delimiter is EOF with as many _ as it takes
# to be none of its lines, and a missing last newline added and said), and
# the call numbered $VNETLAB_STANDIN_FAIL (1-based) exits 1 after recording.
set -eu
t=${VNETLAB_TRANSCRIPT:?VNETLAB_TRANSCRIPT not set}
echo >> "$t.calls"
n=$(wc -l < "$t.calls")
me=${0##*/}
line=$me
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
if { [ "$prev" = -f ] && [ "$last" = - ]; } || [ "$me" = dd ]; then
	# All of it, its last newlines too.
	c=$(cat; echo .)
	c=${c%.}
	d=EOF
	while printf '%s\n' "$c" | grep -qx -- "$d"; do d=${d}_; done
	note=
	case $c in
	'' | *'
') ;;
	*) note='  # no newline at the end' c="$c
" ;;
	esac
	{ printf "%s <<'%s'%s\n" "$line" "$d" "$note"; printf '%s' "$c"; echo "$d"; } >> "$t"
else
	printf '%s\n' "$line" >> "$t"
fi
[ "$n" != "${VNETLAB_STANDIN_FAIL:-0}" ]
