#!/bin/bash
# Boot overhead of Mamori against the same image booted without it (--no-vmm),
# all runs of one CPU count at once so they share the machine's load, with the
# VM exits by reason during the boot (docs/testing.md, "Benchmarks").
#
# The figure that counts is Bochs's emulated time at the guest's power-off (the
# tick of bochs.log's "quit_sim called" line; 200 M ticks = 1 s at the runner's
# ips), repeatable to ~0.02 s whatever the host's load; wall-clock ratios are
# printed beside it. Mamori runs twice: with a signed secret-free policy (no
# passphrase prompt, nothing to wait for) and with the development policy (a
# disk rule, so the disk intercept encrypts; its passphrase unlock, prompt to
# unlocked in TSC cycles = emulated ticks, is taken out, since it includes the
# wait for the typed answer). Target: at most +1.5% (BitVisor's passthrough
# build, measured in the same setup: ../shared/PLATFORM.md).
# BOOT_BENCH_CPUS selects CPU counts (default "1 2 4"); with more than one the
# test-only ACPI shim (--acpi-shim) gives Linux a MADT, in every run alike.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${BOOT_BENCH_OUT:-$repo/build/bench/boot}
image=$repo/build/disk.img
scenario=$out/scenario.sh
ips=200000000
target_pct=1.5
rm -rf "$out" && mkdir -p "$out"
printf '#!/bin/sh\necho BOOT-BENCH-UP\nexit 0\n' >"$scenario"
chmod +x "$scenario"
printf 'version 1\nconsole uart port=com2\n' >"$out/nosecret.txt"
"$repo/build/mamori-policy" build --key "$repo/build/keys/policy-dev.key" \
	-o "$out/nosecret.bin" "$out/nosecret.txt" >/dev/null

# milestone DIR PATTERN: seconds from Bochs start to the first PATTERN (timings.txt).
milestone() {
	awk -v p="$2" '$0 ~ p { print $1; exit }' "$1/timings.txt"
}

# emulated DIR: emulated seconds at the guest's power-off, or nothing.
emulated() {
	awk -v ips="$ips" '/quit_sim called/ { t = $1; sub(/[^0-9].*/, "", t);
		printf "%.2f\n", t / ips; exit }' "$1/bochs.log"
}

# unlock_s DIR: emulated seconds from the passphrase prompt to the unlock.
unlock_s() {
	sed -n 's/.*secrets unlocked.* \([0-9]*\) cycles from the first prompt.*/\1/p' \
		"$1/com2.log" | awk -v ips="$ips" '{ printf "%.2f\n", $1 / ips; exit }'
}

# tick DIR PATTERN [N]: Bochs tick of the Nth (default first) bochs.log line matching PATTERN.
tick() {
	awk -v p="$2" -v n="${3:-1}" '$0 ~ p && ++k == n { t = $1; sub(/[^0-9].*/, "", t);
		print t + 0; exit }' "$1/bochs.log"
}

# tsc DIR SED-REGEX: the TSC (= Bochs ticks) the loader or the VMM logged.
tsc() {
	sed -n "s/.*$2.*/\1/p" "$1/com1.log" "$1/com2.log" | head -1
}

# phases DIR: emulated seconds at each boot phase (docs/testing.md, "Benchmarks").
# The loader's and the VMM's own stamps (TSC), then events Bochs logs with its
# tick in every run alike: the guest's first two MISC_ENABLE reads (both
# after GRUB started), Linux's local APIC set-up, the scenario's power-off.
phases() {
	local d=$1 v name
	for name in \
		"loader start|tsc $d 'starting the VMM (tsc [0-9]*; loader \([0-9]*\),'" \
		"vmm.elf read|tsc $d 'vmm.elf read \([0-9]*\),'" \
		"vmm.elf verified|tsc $d 'verified \([0-9]*\))'" \
		"VMM entry|tsc $d 'starting the VMM (tsc \([0-9]*\);'" \
		"VMX launch|tsc $d 'launching the firmware as guest (rip 0x[0-9a-f]*, tsc \([0-9]*\))'" \
		"loader back as guest|tsc $d 'VMM started (status 0) at tsc \([0-9]*\);'" \
		"1st MISC_ENABLE read|tick $d 'RDMSR: Unknown register 0x1a0' 1" \
		"2nd MISC_ENABLE read|tick $d 'RDMSR: Unknown register 0x1a0' 2" \
		"Linux APIC set-up|tick $d 'write to read-only APIC register 0x20'" \
		"power-off|tick $d 'quit_sim called'"; do
		v=$(eval "${name#*|}")
		printf '%s|%s\n' "${name%%|*}" "${v:+$(awk -v t="$v" -v i="$ips" 'BEGIN { printf "%.3f", t / i }')}"
	done
}

# phase_table CPUS: the phases of the three runs side by side.
phase_table() {
	echo "boot phases ($1 CPU), emulated seconds (- = not in that run):"
	printf '  %-26s %9s %9s %9s %9s\n' phase native secret-free development d-free-n
	paste -d'|' <(phases "$out/native-$1") <(phases "$out/nosecret-$1") \
		<(phases "$out/vmm-$1") | awk -F'|' '{ d = "-"
		if ($2 != "" && $4 != "") d = sprintf("%+.3f", $4 - $2)
		printf "  %-26s %9s %9s %9s %9s\n", $1, $2 ? $2 : "-", $4 ? $4 : "-",
			$6 ? $6 : "-", d }'
}

pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a / b - 1) * 100 }'
}

# stats_s DIR: emulated seconds from the VMM's power-off statistics (its
# "stats: N VM exits at guest power-off (tsc T)" line) to the power-off: the
# time the statistics take on the console, ~1 KB at 115200 baud.
stats_s() {
	local t q
	t=$(sed -n 's/.*VM exits at guest power-off (tsc \([0-9]*\)).*/\1/p' "$1/com2.log" | head -1)
	q=$(tick "$1" 'quit_sim called')
	[ -n "$t" ] && [ -n "$q" ] && awk -v t="$t" -v q="$q" -v i="$ips" 'BEGIN { printf "%.2f\n", (q - t) / i }'
}

# check NAME EMULATED NATIVE: print the overhead, and BELOW TARGET past it.
check() {
	local p
	p=$(pct "$2" "$3")
	echo "boot ($cpus CPU): $1: ${2}s emulated vs ${3}s native: ${p}%"
	awk -v p="$p" -v t="$target_pct" 'BEGIN { exit !(p > t) }' &&
		echo "BELOW TARGET: $1 with $cpus CPU: ${p}% boot overhead (target +${target_pct}%)"
	echo "SUMMARY: boot with $cpus CPU, $1: ${p}% emulated time (${2}s vs ${3}s native)"
}

run() {	# run NAME ARGS...: one boot in the background
	local name=$1
	shift
	"$repo/tools/run-bochs" --image "$image" --cpus "$cpus" --timeout 1200 $shim \
		--scenario "$scenario" --out "$out/$name-$cpus" "$@" \
		>"$out/$name-$cpus.out" 2>&1 &
	pids+=($!)
}

for cpus in ${BOOT_BENCH_CPUS:-1 2 4}; do
	shim=
	[ "$cpus" -eq 1 ] || { shim=--acpi-shim; make -s -C "$repo" acpi-shim; }
	pids=()
	run native --no-vmm
	run vmm --passphrase "${BOOT_BENCH_PASSPHRASE:-mamori-dev}"
	run nosecret --policy "$out/nosecret.bin"
	rc=0
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	[ $rc -eq 0 ] || { echo "boot_bench: a run failed (see $out)"; exit 1; }
	n=$(emulated "$out/native-$cpus")
	v=$(emulated "$out/vmm-$cpus")
	s=$(emulated "$out/nosecret-$cpus")
	u=$(unlock_s "$out/vmm-$cpus")
	[ -n "$n" ] && [ -n "$v" ] && [ -n "$s" ] && [ -n "$u" ] ||
		{ echo "boot_bench: a run has no power-off tick or unlock time (see $out)"; exit 1; }
	echo "boot ($cpus CPU): development policy: ${v}s emulated, of which ${u}s the passphrase unlock"
	check "secret-free policy" "$s" "$n"
	check "development policy (disk rule) less the unlock" \
		"$(awk -v v="$v" -v u="$u" 'BEGIN { printf "%.2f", v - u }')" "$n"
	st=$(stats_s "$out/nosecret-$cpus")
	[ -z "$st" ] || echo "boot ($cpus CPU): secret-free policy less the VMM's power-off" \
		"statistics (${st}s on its console): $(awk -v s="$s" -v t="$st" \
		'BEGIN { printf "%.2f", s - t }')s, $(pct "$(awk -v s="$s" -v t="$st" \
		'BEGIN { printf "%.2f", s - t }')" "$n")% (for comparison; the target applies above)"
	phase_table "$cpus"
	sed -n 's/^.*\(boot: set-up kcycles:.*\)$/  VMM \1 (secret-free run)/p' \
		"$out/nosecret-$cpus/com2.log" | tr -d '\r'
	for m in "Linux version" "MAMORI-SCENARIO-START"; do
		wv=$(milestone "$out/vmm-$cpus" "$m")
		wn=$(milestone "$out/native-$cpus" "$m")
		echo "boot ($cpus CPU): wall clock to '$m': ${wv}s with Mamori, ${wn}s without" \
			"($(awk -v a="$wv" -v b="$wn" 'BEGIN { printf "%.2f", a / b }')x; load-dependent)"
	done
	for name in vmm nosecret; do
		echo "VM exits by reason during the boot ($name policy, firmware + GRUB + Linux to power-off):"
		stats=$(sed -n 's/^.*stats:   /  /p; s/^.*\(stats: [0-9]* VM exits.*\)/  \1/p' \
			"$out/$name-$cpus/com2.log")
		echo "${stats:-  none: the run ended before the Shutdown of the guest, where the VMM prints them}"
	done
done
