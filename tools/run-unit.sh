#!/bin/bash
# Run each cmocka unit-test binary; print a closing "N passed, N failed" line.
set -u
pass=0; fail=0; failed=()
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	echo "$out" | grep -E '^\[  (PASSED|FAILED)  \]|^\[  ERROR   \]|FAILED|ERROR' | sed "s|^|$(basename "$t"): |"
	n=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "$out" | tail -20
	fi
	pass=$((pass + n)); fail=$((fail + f))
	[ $rc -eq 0 ] || failed+=("$(basename "$t")")
done
echo "unit: ${#failed[@]} binaries failed${failed:+: ${failed[*]}}"
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ ${#failed[@]} -eq 0 ]
