#!/bin/bash
# VM exits per MiB of disk I/O beneath Mamori (issue 6): two boots at once, the
# guest's libata in PIO mode (dma=0) and in bus-master DMA mode, each writing
# then reading DISK_BENCH_MIB MiB (default 4) raw with O_DIRECT on the encrypted
# partition /dev/sda2 between snapshots of the exit counters
# (tests/e2e/scenarios/disk.sh step "exits", /proc/mamori-exits from
# tools/guest/mamori_exits.c). Results in docs/disk.md.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${DISK_BENCH_OUT:-$repo/build/bench/disk}
mib=${DISK_BENCH_MIB:-4}
rm -rf "$out" && mkdir -p "$out"

pids=()
for mode in pio dma; do
	printf 'MODE=%s\nSTEPS=exits\nEXITS_MIB=%s\n' "$mode" "$mib" >"$out/$mode.conf"
	"$repo/tools/run-bochs" --image "$repo/build/disk.img" --timeout 1500 \
		--passphrase "${DISK_BENCH_PASSPHRASE:-mamori-dev}" \
		--scenario "$repo/tests/e2e/scenarios/disk.sh" \
		--guest-put "$out/$mode.conf=/etc/mamori-disk.conf" \
		--out "$out/$mode" >"$out/$mode.out" 2>&1 &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done

summary=""
for mode in pio dma; do
	log=$out/$mode/com1.log
	grep -a 'DISK-MODE:\|DISK-EXITS' "$log" | tr -d '\r' | sed 's/^/  /' || true
	for dir in write read; do
		v=$(sed -n "s/.*DISK-EXITS: $mode-$dir [0-9]* MiB: .*, \([0-9]*\)\/MiB;.*/\1/p" \
			"$log" | tr -d '\r' | tail -n 1)
		[ -n "$v" ] || { echo "disk_exits: no $mode-$dir result (see $out/$mode)"; rc=1; v=?; }
		summary="$summary${summary:+, }$mode-$dir $v"
	done
done
echo "disk exits/MiB: $summary"
echo "SUMMARY: disk exits/MiB ($mib MiB raw O_DIRECT, Bochs): $summary"
exit $rc
