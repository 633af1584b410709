#!/bin/bash
# Boot time beneath Mamori against the same image booted without it (--no-vmm),
# both runs at once so they share the machine's load, with the VM exits by
# reason during the boot. Reported as a ratio (see docs/testing.md).
# BOOT_BENCH_CPUS selects CPU counts (default "1 2 4"); with more than one the
# test-only ACPI shim (--acpi-shim) gives Linux a MADT, in both runs alike.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${BOOT_BENCH_OUT:-$repo/build/bench/boot}
image=$repo/build/disk.img
scenario=$out/scenario.sh
rm -rf "$out" && mkdir -p "$out"
printf '#!/bin/sh\necho BOOT-BENCH-UP\nexit 0\n' >"$scenario"
chmod +x "$scenario"

# milestone DIR PATTERN: seconds from Bochs start to the first PATTERN (timings.txt).
milestone() {
	awk -v p="$2" '$0 ~ p { print $1; exit }' "$1/timings.txt"
}

for cpus in ${BOOT_BENCH_CPUS:-1 2 4}; do
	shim=
	[ "$cpus" -eq 1 ] || { shim=--acpi-shim; make -s -C "$repo" acpi-shim; }
	"$repo/tools/run-bochs" --image "$image" --cpus "$cpus" --timeout 900 $shim \
		--passphrase "${BOOT_BENCH_PASSPHRASE:-mamori-dev}" \
		--scenario "$scenario" --out "$out/vmm-$cpus" >"$out/vmm-$cpus.out" 2>&1 &
	a=$!
	"$repo/tools/run-bochs" --image "$image" --cpus "$cpus" --timeout 900 --no-vmm $shim \
		--scenario "$scenario" --out "$out/native-$cpus" >"$out/native-$cpus.out" 2>&1 &
	b=$!
	rc=0
	wait $a || rc=$?
	wait $b || rc=$((rc | $?))
	[ $rc -eq 0 ] || { echo "boot_bench: a run failed (see $out)"; exit 1; }
	for m in "Linux version" "MAMORI-SCENARIO-START"; do
		v=$(milestone "$out/vmm-$cpus" "$m")
		n=$(milestone "$out/native-$cpus" "$m")
		[ -n "$v" ] && [ -n "$n" ] || { echo "boot_bench: no '$m' milestone"; exit 1; }
		r=$(awk -v v="$v" -v n="$n" 'BEGIN { printf "%.2f", v / n }')
		echo "boot ($cpus CPU): to '$m': ${v}s with Mamori, ${n}s without: ratio ${r}x"
	done
	echo "SUMMARY: boot to scenario with $cpus CPU: ${r}x the time without Mamori (${v}s vs ${n}s, Bochs)"
	# Part of the Mamori boot is the policy unlock (PBKDF2 at the passphrase prompt).
	p=$(milestone "$out/vmm-$cpus" "com2:passphrase:")
	u=$(milestone "$out/vmm-$cpus" "com2:policy: secrets unlocked")
	[ -z "$p" ] || [ -z "$u" ] ||
		echo "boot ($cpus CPU): of which the policy unlock (prompt to unlocked): $(awk -v p="$p" -v u="$u" 'BEGIN { printf "%.1f", u - p }')s"
	echo "VM exits by reason during the boot (firmware + GRUB + Linux to power-off):"
	stats=$(sed -n 's/^.*stats:   /  /p; s/^.*\(stats: [0-9]* VM exits.*\)/  \1/p' "$out/vmm-$cpus/com2.log")
	echo "${stats:-  none: the run ended before the Shutdown of the guest, where the VMM prints them}"
done
