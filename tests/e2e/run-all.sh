#!/bin/bash
# Run every tests/e2e/t-*.sh (or those named as arguments), at most
# E2E_JOBS (default 2) at once, each with its own output directory
# build/e2e/<name>/. Prints PASS/FAIL per test and a summary line
# "e2e: N passed, M failed, K skipped"; exits non-zero when any test fails.
#
# A test whose requirement cannot be met on this platform yet carries a line
# "# e2e-blocked: <reason and issue>". It is reported as SKIP with that reason
# (never as passing) unless E2E_RUN_BLOCKED=1 asks to run it anyway.
set -eu
# The whole script is one block, read before it runs: editing this file
# while a suite runs cannot change the running suite.
{
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$E2E_DIR/../.." && pwd)
JOBS=${E2E_JOBS:-2}
# Where each test's directory goes (another tree's build/, or a private one
# when two people share a checkout).
E2E_ROOT=${E2E_ROOT:-$REPO/build/e2e}
# Upper bound per test, on top of the test's own run-bochs --timeout.
TEST_LIMIT=${E2E_TEST_LIMIT:-1500}
export E2E_TIMEOUT_SCALE=${E2E_TIMEOUT_SCALE:-1}
TEST_LIMIT=$(awk -v t="$TEST_LIMIT" -v s="$E2E_TIMEOUT_SCALE" 'BEGIN { printf "%d\n", t * s + 0.5 }')

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		case "$t" in
		*/*) tests+=("$t") ;;
		*) tests+=("$E2E_DIR/${t%.sh}.sh") ;;
		esac
	done
else
	tests=("$E2E_DIR"/t-*.sh)
fi
for t in "${tests[@]}"; do
	[ -f "$t" ] || { echo "e2e: no test $t" >&2; exit 2; }
done
skipped=0
if [ "${E2E_RUN_BLOCKED:-0}" != 1 ]; then
	runnable=()
	for t in "${tests[@]}"; do
		why=$(sed -n 's/^# e2e-blocked: //p' "$t" | head -n1)
		if [ -n "$why" ]; then
			echo "SKIP $(basename "$t" .sh): blocked: $why"
			skipped=$((skipped + 1))
		else
			runnable+=("$t")
		fi
	done
	tests=("${runnable[@]}")
fi

# Longest first (durations of the last run in $E2E_ROOT/durations, else the
# estimates in tests/e2e/durations.default, else long): with 2 at once this
# ends the suite soonest.
mkdir -p "$E2E_ROOT"
DURATIONS=$E2E_ROOT/durations
touch "$DURATIONS"
mapfile -t tests < <(for t in "${tests[@]}"; do
	d=$(awk -v n="$(basename "$t" .sh)" '$1 == n { d = $2 } END { print d + 0 }' \
		"$E2E_DIR/durations.default" "$DURATIONS")
	[ "$d" != 0 ] || d=100000
	echo "$d $t"
done | sort -k1,1nr -k2 | cut -d' ' -f2-)

declare -A pid_test=()
declare -A test_start=()
passed=0
failed=0
failures=()

cleanup() {
	for p in "${!pid_test[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap 'cleanup; exit 130' INT TERM

finish() {
	local p=$1 rc=$2 t name out secs reason
	t=${pid_test[$p]}
	unset "pid_test[$p]"
	name=$(basename "$t" .sh)
	out=$E2E_ROOT/$name
	secs=$(($(date +%s) - ${test_start[$name]}))
	echo "$name $secs" >>"$DURATIONS"
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name (${secs}s)"
		# The image copy is kept only for post-mortems of failures.
		rm -f "$out/disk.img"
	else
		failed=$((failed + 1))
		reason=$(cat "$out/reason" 2>/dev/null || true)
		[ -n "$reason" ] || reason="exit status $rc (see test.log)"
		[ "$rc" != 124 ] || reason="test exceeded ${TEST_LIMIT}s"
		echo "FAIL $name (${secs}s): $reason"
		echo "     logs: $out/{test.log,com1.log,com2.log,bochs.log}"
		failures+=("$name")
	fi
}

# Wait for any one running test to end.
reap_one() {
	local p rc
	while :; do
		for p in "${!pid_test[@]}"; do
			if ! kill -0 "$p" 2>/dev/null; then
				rc=0
				wait "$p" || rc=$?
				finish "$p" "$rc"
				return
			fi
		done
		sleep 1
	done
}

# Bochs is CPU-bound: other runs on the machine stretch every boot.
load=$(cut -d' ' -f1 /proc/loadavg)
cores=$(nproc)
if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c) }'; then
	echo "e2e: warning: load average $load on $cores cores; boots will be slower" \
		"(E2E_TIMEOUT_SCALE=$E2E_TIMEOUT_SCALE; try $(awk -v l="$load" -v c="$cores" \
		'BEGIN { printf "%.1f", l / c }'))"
fi

start=$(date +%s)
echo "e2e: ${#tests[@]} test(s), up to $JOBS at once; output in $E2E_ROOT/"
for t in "${tests[@]}"; do
	while [ "${#pid_test[@]}" -ge "$JOBS" ]; do
		reap_one
	done
	name=$(basename "$t" .sh)
	out=$E2E_ROOT/$name
	rm -rf "$out"
	mkdir -p "$out"
	test_start[$name]=$(date +%s)
	E2E_OUT=$out timeout -k 10 "$TEST_LIMIT" "$t" >"$out/test.log" 2>&1 </dev/null &
	pid_test[$!]=$t
done
while [ "${#pid_test[@]}" -gt 0 ]; do
	reap_one
done

tail -n 500 "$DURATIONS" >"$DURATIONS.tmp" && mv "$DURATIONS.tmp" "$DURATIONS"
echo "e2e: total $(($(date +%s) - start))s"
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
exit
}
