#!/bin/bash
# Run each libFuzzer target for FUZZ_SECONDS (default 60) seconds, seeded from
# tests/fuzz/seeds/<target>/ and its corpus under build/fuzz/corpus/<target>/;
# print executions and crashes per target; exit non-zero if any target crashed.
# Reproduce a crash: <target> build/fuzz/artifacts/<target>/crash-...
set -u
secs=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-8192}
fail=0

for f in "$@"; do
	name=$(basename "$f")
	dir=$(dirname "$f")
	corpus=$dir/corpus/$name
	art=$dir/artifacts/$name
	log=$dir/$name.log
	seeds=tests/fuzz/seeds/$name
	mkdir -p "$corpus" "$art"
	rm -f "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*
	"$f" -max_total_time="$secs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" \
		"$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o \
		-name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	[ $rc -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	echo "fuzz: $name: ${execs:-0} executions in ${secs}s, $crashes crashes," \
		"corpus $(ls "$corpus" | wc -l) inputs (log $log)"
	if [ "$crashes" -ne 0 ]; then
		fail=1
		grep -E 'ERROR|SUMMARY|==[0-9]+==|artifact' "$log" | head -20
	fi
done
exit $fail
