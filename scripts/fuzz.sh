#!/bin/sh
# fuzz.sh BINARY SECONDS — run the topology fuzzer for a bounded time.
# Seeds: the shipped topologies, the broken-file corpus and every earlier
# finding (tests/fuzz/regress/); the corpus grows in build-fuzz/corpus.
# Exits non-zero on a crash, hang (>10 s for one input), leak or a memory
# blow-up (>2 GiB); the input is kept in build-fuzz/ as crash-*/timeout-*/
# oom-*: copy it to tests/fuzz/regress/ and fix the code.
set -eu
bin=$1 secs=$2
dir=$(dirname "$bin")
mkdir -p "$dir/corpus" "$dir/seeds"
cp topologies/*.yaml tests/data/bad/*.yaml "$dir/seeds/"
cp tests/fuzz/regress/* "$dir/seeds/" 2>/dev/null || true
start=$(date +%s)
set +e
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
	-dict=tests/fuzz/topo.dict -print_final_stats=1 -artifact_prefix="$dir/" \
	"$dir/corpus" "$dir/seeds" 2>"$dir/fuzz.log"
rc=$?
set -e
end=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$dir/fuzz.log")
echo "fuzz: $((end - start)) s, ${execs:-?} executions, peak RSS ${peak:-?} MB," \
	"corpus $(ls "$dir/corpus" | wc -l) inputs, exit $rc (log: $dir/fuzz.log)"
if [ "$rc" != 0 ]; then
	grep -E "ERROR|SUMMARY|Test unit written" "$dir/fuzz.log" | head -20 >&2
fi
exit "$rc"
