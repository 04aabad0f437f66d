#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testrun.sh NAME SECONDS BINARY [ARGS...] — run one test binary as
# `make check` does: within a time limit (a hang fails, it does not stall
# CI), and, when SANITIZE=1, with every sanitized process of the run (test
# workers, the CLI, keepers, exec) writing its reports into one directory
# that outlives the labs' state directories.  Any report fails the run,
# whatever the binary said; reports exit with 86, never 1 (vnetlab's
# refusal), so a test cannot take a crash for a refusal.
set -u
name=$1 limit=$2
shift 2
san=
if [ "${SANITIZE:-0}" = 1 ]; then
	san=$(mktemp -d /tmp/vnetlab-san-XXXXXX)
	# Other users' processes (isolation tests) report here too.
	chmod 1777 "$san"
	export VNETLAB_SAN_DIR="$san"
	export ASAN_OPTIONS="log_path=$san/asan:exitcode=86:detect_leaks=1:strict_string_checks=1"
	export UBSAN_OPTIONS="log_path=$san/ubsan:exitcode=86:print_stacktrace=1:halt_on_error=1"
	export LSAN_OPTIONS="exitcode=86:print_suppressions=0:suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp"
fi
timeout --kill-after=30 "$limit" "$@"
rc=$?
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "$name: FAILED: no result within $limit s" >&2
	rc=1
fi
if [ -n "$san" ]; then
	reports=$(find "$san" -type f | sort)
	if [ -n "$reports" ]; then
		echo "$name: FAILED: sanitizer reports:" >&2
		for f in $reports; do
			echo "==== $f" >&2
			cat "$f" >&2
		done
		rc=1
	fi
	rm -rf "$san"
fi
exit "$rc"
