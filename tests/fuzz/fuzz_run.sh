#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz_run.sh NAME BINARY SECONDS OUT.tap CORPUS_DIR [SEED_DIR [LIBFUZZER_FLAG...]]
# Runs a libFuzzer target for SECONDS and writes one TAP result to OUT.tap
# (and stdout): executions and executions per second, or the crash. The
# flags (-max_len=N, say) go to the target as they are. Every fuzz run of
# make check-unit (core/, lib/, lib/topo/) goes through here.
set -u
name=$1 bin=$2 secs=$3 out=$4 corpus=$5 seeds=${6:-}
shift $(($# < 6 ? $# : 6))
mkdir -p "$corpus" "$(dirname "$out")"
log=$(mktemp)
"$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=1024 -timeout=10 "$@" \
	-artifact_prefix="$(dirname "$corpus")/$name-" "$corpus" ${seeds:+"$seeds"} >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
{
	echo "1..1"
	if [ "$rc" = 0 ] && [ -n "$execs" ] && [ "$execs" -gt 0 ]; then
		echo "ok 1 - $name: $execs execs, $rate exec/s in ${secs}s"
	else
		echo "not ok 1 - $name: exit status $rc after ${execs:-0} execs"
		grep -E 'ERROR|SUMMARY|invariant|Test unit written|#[0-9]+ +0x' "$log" | head -30 | sed 's/^/# /'
	fi
} | tee "$out"
rm -f "$log"
grep -q '^ok' "$out"
