#!/bin/bash
# Run each benchmark named on the command line (a binary or a script; `make bench`
# passes $(BENCHES)), print its output under a header, then a summary.
#
# Conventions for a bench: exit 0 when it ran (a missed target is not a failure),
# print "BELOW TARGET: <what>" for each target it misses, and optionally one or
# more "SUMMARY: <text>" lines that are repeated in the summary.
# Exit status: non-zero if any bench is missing, fails or times out.
# BENCH_TIMEOUT (seconds, default 1800) bounds each bench.
set -u
timeout_s=${BENCH_TIMEOUT:-1800}
names=(); status=(); secs=(); below=(); notes=()
failed=0; total_below=0

if [ $# -eq 0 ]; then
	echo "bench: nothing to run (BENCHES is empty)"
	exit 0
fi

for b in "$@"; do
	name=$(basename "$b")
	echo "==== bench: $name ($b) ===="
	if [ ! -e "$b" ]; then
		st="MISSING"; rc=127; out=""; t=0
	else
		if [ -x "$b" ]; then
			cmd=("$b")
		else
			cmd=(bash "$b")
		fi
		log=$(mktemp)
		start=$EPOCHREALTIME
		timeout "$timeout_s" "${cmd[@]}" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
		t=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
		out=$(cat "$log"); rm -f "$log"
		if [ "$rc" -eq 0 ]; then
			st="ok"
		elif [ "$rc" -eq 124 ]; then
			st="TIMEOUT (${timeout_s}s)"
		else
			st="FAILED (exit $rc)"
		fi
	fi
	n=$(printf '%s\n' "$out" | grep -c 'BELOW TARGET')
	[ "$rc" -eq 0 ] || failed=$((failed + 1))
	total_below=$((total_below + n))
	names+=("$name"); status+=("$st"); secs+=("$t"); below+=("$n")
	notes+=("$(printf '%s\n' "$out" | sed -n 's/^SUMMARY: //p' | sed 's/^/      /')")
	echo
done

echo "==== bench summary ===="
for i in "${!names[@]}"; do
	if [ "${status[$i]}" != ok ]; then
		tgt="-"
	elif [ "${below[$i]}" -gt 0 ]; then
		tgt="BELOW TARGET x${below[$i]}"
	else
		tgt="targets met"
	fi
	printf '%-24s %-22s %7.1f s  %s\n' "${names[$i]}" "${status[$i]}" \
		"${secs[$i]}" "$tgt"
	[ -z "${notes[$i]}" ] || printf '%s\n' "${notes[$i]}"
done
echo "bench: ${#names[@]} run, $failed failed, $total_below below target"
[ "$failed" -eq 0 ]
