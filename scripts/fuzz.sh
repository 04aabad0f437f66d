#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# fuzz.sh BINARY SECONDS DICT SEED... — run one fuzzer for a bounded time.
# Seeds (files or directories) are copied beside the binary; the corpus
# grows in <binary>.corpus.  Exits non-zero on a crash, hang (>10 s for
# one input), leak or memory blow-up (>2 GiB); the input is kept beside
# the binary as crash-*/timeout-*/oom-*: copy it to the target's
# regression directory and fix the code.
set -eu
bin=$1 secs=$2 dict=$3
shift 3
dir=$(dirname "$bin")
name=$(basename "$bin")
corpus="$dir/$name.corpus" seeds="$dir/$name.seeds"
mkdir -p "$corpus" "$seeds"
for s in "$@"; do
	if [ -d "$s" ]; then cp "$s"/* "$seeds/" 2>/dev/null || true; else cp "$s" "$seeds/"; fi
done
log="$dir/$name.log"
start=$(date +%s)
set +e
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
	-dict="$dict" -print_final_stats=1 -artifact_prefix="$dir/$name-" \
	"$corpus" "$seeds" 2>"$log"
rc=$?
set -e
end=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
echo "fuzz $name: $((end - start)) s, ${execs:-?} executions, peak RSS ${peak:-?} MB," \
	"corpus $(ls "$corpus" | wc -l) inputs, exit $rc (log: $log)"
if [ "$rc" != 0 ]; then
	grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -20 >&2
fi
exit "$rc"
