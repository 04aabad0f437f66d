#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/example/check.sh — libvnetlab as a program using it gets it:
#   1. `make install PREFIX=<fresh temporary directory>` (no DESTDIR);
#   2. every installed header compiles alone, in the compiler's default
#      mode and as strict C11 + POSIX.1-2008, with -Wall -Wextra -Werror;
#   3. examples/lab.c builds through pkg-config against that prefix and
#      links the shared library by its soname (libvnetlab.so.0); it also
#      links the static library with `pkg-config --static` (not run);
#   4. it runs the demo topology with a state directory of its own and
#      exits 0 (lab up, the command exited 0, every pair answered, nothing
#      left), in the mode VNETLAB_TEST_REQUIRE (root|rootless) asks when set.
# Run by `make check-example`; MAKE and CC come from make; KEEP=1 keeps
# the work directory (/tmp/vnetlab-example-*) to look at.  Prints
# "example: N passed, N failed" and exits 1 on any failure.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
MAKE=${MAKE:-make} CC=${CC:-cc}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "example: FAIL: $*" >&2; }
work=$(mktemp -d /tmp/vnetlab-example-XXXXXX) || exit 1
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
trap 'exit 1' HUP INT PIPE TERM # through the EXIT trap
prefix=$work/prefix state=$work/state
mkdir -m 0700 "$state"

# 1. The install.  The plain build's library: vnetlab.pc names no
# sanitizer runtime, so a sanitized pass installs the plain one too.
if $MAKE -C "$top" --no-print-directory SANITIZE= install PREFIX="$prefix" \
	>"$work/install.log" 2>&1; then ok; else
	cat "$work/install.log" >&2
	bad "make install PREFIX=$prefix"
	echo "example: $pass passed, $fail failed"
	exit 1
fi
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs vnetlab) && ok || bad "pkg-config --cflags --libs vnetlab"
[ "$(pkg-config --modversion vnetlab)" = "$(sed -n 's/.*define VNETLAB_VERSION "\(.*\)".*/\1/p' \
	"$top/include/vnetlab/version.h")" ] && ok || bad "pkg-config --modversion is not version.h's"

# 2. Each header alone (two at a time: make check's budget).
ls "$prefix/include/vnetlab/"*.h >"$work/headers" && ok || bad "no headers installed"
cflags=$(pkg-config --cflags vnetlab)
export CFL="$cflags" CC
# shellcheck disable=SC2016
xargs -P 2 -n 1 sh -c '
	h=$(basename "$1")
	for mode in "" "-std=c11 -pedantic -D_POSIX_C_SOURCE=200809L"; do
		printf "#include <vnetlab/%s>\nint vl_example_dummy;\n" "$h" |
			$CC $mode -Wall -Wextra -Werror $CFL -fsyntax-only -x c - 2>&1 ||
			echo "HEADER-FAIL $h [${mode:-default}]"
	done' sh <"$work/headers" >"$work/headers.log" 2>&1
if grep -q HEADER-FAIL "$work/headers.log"; then
	cat "$work/headers.log" >&2
	bad "a header does not compile alone"
else
	ok
fi

# 3. The example, against the installed shared library.
# shellcheck disable=SC2086
if $CC -Wall -Wextra -Werror "$top/examples/lab.c" $flags -o "$work/lab"; then ok; else
	bad "cc examples/lab.c \$(pkg-config --cflags --libs vnetlab)"
fi
readelf -d "$work/lab" 2>/dev/null | grep -q 'NEEDED.*\[libvnetlab\.so\.0\]' && ok ||
	bad "lab does not need libvnetlab.so.0"
# The static library links too, with what --static adds (Libs.private,
# Requires.private): no libvnetlab.so needed then.
# shellcheck disable=SC2046
if $CC -Wall -Wextra -Werror "$top/examples/lab.c" \
	$(pkg-config --cflags --static --libs vnetlab | sed 's/-lvnetlab/-l:libvnetlab.a/') \
	-o "$work/lab-static" && ! readelf -d "$work/lab-static" | grep -q 'NEEDED.*libvnetlab'; then
	ok
else
	bad "examples/lab.c does not link libvnetlab.a alone with pkg-config --static --libs"
fi
readelf -d "$prefix/lib/libvnetlab.so.0" 2>/dev/null | grep -q 'SONAME.*\[libvnetlab\.so\.0\]' &&
	ok || bad "the installed library's soname is not libvnetlab.so.0"

# 4. A lab, run by it.
if [ -x "$work/lab" ]; then
	(cd "$top" && VNETLAB_STATE_DIR=$state LD_LIBRARY_PATH=$prefix/lib \
		timeout 60 "$work/lab" topologies/demo.yaml n1 -- ping -c1 -W5 192.168.0.124) \
		>"$work/run.log" 2>&1
	rc=$?
	cat "$work/run.log"
	[ "$rc" = 0 ] && ok || bad "./lab topologies/demo.yaml n1 -- ping ... exited $rc"
	[ -z "$(ls -A "$state")" ] && ok || bad "the state directory holds: $(ls -A "$state")"
	want=${VNETLAB_TEST_REQUIRE:-}
	if [ -n "$want" ]; then
		grep -q "^lab: demo up ($want)" "$work/run.log" && ok ||
			bad "the lab was not made in $want mode"
	fi
fi
echo "example: $pass passed, $fail failed"
[ "$fail" = 0 ]
