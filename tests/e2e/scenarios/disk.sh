#!/bin/sh
# Disk-encryption scenario (issue 6; tests/e2e/t-disk-*.sh, docs/disk.md).
# Settings in /etc/mamori-disk.conf (tests/e2e/lib-disk.sh writes it):
#   MODE=dma|pio   pio loads libata with dma=0, so every transfer is PIO
#   STEPS="..."    in order, from:
#     read      mount /dev/sda2 read-only, print the sha256 of /in.bin
#     refused   mamori-ata: allowed commands complete, refused ones are aborted
#     exits     raw O_DIRECT write then read of EXITS_MIB MiB on /dev/sda2,
#               VM exits per MiB from /proc/mamori-exits (mamori_exits.ko)
#     write     mkfs.ext4 /dev/sda2, write /pattern.bin (PATTERN_MIB MiB of
#               the 16-byte marker), sync, re-read it uncached, umount
#     rawattack detach sda from the SCSI layer (libata then leaves the channel
#               alone), then mamori-ata raw-attack: register sequences from
#               guest root by port I/O that try to land a marker in plaintext
#               in sda2's first sector (finding 5); the host checks the disk
#     powercut  raw O_DIRECT writes of the marker over /dev/sda2, forever,
#               printing DISK-POWERCUT-MIB N after each MiB (the test kills Bochs)
# Prints DISK-<STEP>-OK per step and DISK-OK at the end; exit 1 on a failure
# (DISK-FAIL: why).
MODE=dma
STEPS="read"
EXITS_MIB=2
PATTERN_MIB=1
MARK='MAMORI-DISKPAT!\n'
BENCH_MARK='MAMORI-BENCHPT!\n'
CUT_MARK='MAMORI-PWRCUT!!\n'
[ ! -f /etc/mamori-disk.conf ] || . /etc/mamori-disk.conf

fail() {
	echo "DISK-FAIL: $*"
	exit 1
}

# make_pattern MARK MIB OUT: OUT := the 16-byte MARK repeated to MIB MiB.
make_pattern() {
	printf "$1" >"$3.u"
	i=0
	while [ $i -lt 16 ]; do
		cat "$3.u" "$3.u" >"$3.d" && mv "$3.d" "$3.u"
		i=$((i + 1))
	done
	: >"$3"
	i=0
	while [ $i -lt "$2" ]; do
		cat "$3.u" >>"$3"
		i=$((i + 1))
	done
	rm -f "$3.u"
}

setup() {
	if [ "$MODE" = pio ]; then
		modprobe libata dma=0 || fail "modprobe libata dma=0"
	fi
	for m in ata_piix sd_mod ext4; do
		modprobe "$m" || fail "modprobe $m"
	done
	modprobe mamori_exits || echo "DISK: mamori_exits.ko did not load"
	i=0
	while [ ! -b /dev/sda2 ] && [ $i -lt 300 ]; do
		usleep 100000
		i=$((i + 1))
	done
	[ -b /dev/sda2 ] || fail "no /dev/sda2"
	xfer=$(cat /sys/class/ata_device/dev1.0/xfer_mode 2>/dev/null)
	echo "DISK-MODE: $MODE: ata1.00 xfer_mode ${xfer:-?}"
	case "$MODE:$xfer" in
	pio:*PIO*|dma:*DMA*) ;;
	*)
		dmesg | grep -a 'ata[0-9]' | tail -n 8
		fail "transfer mode ${xfer:-unknown} is not $MODE"
		;;
	esac
}

step_read() {
	mount -t ext4 -o ro /dev/sda2 /mnt || fail "cannot mount /dev/sda2 (host-encrypted ext4)"
	[ -f /mnt/in.bin ] || fail "no /in.bin on /dev/sda2"
	echo "DISK-READ: in.bin sha256 $(sha256sum /mnt/in.bin | cut -d' ' -f1)"
	umount /mnt || fail "umount"
	echo "DISK-READ-OK"
}

step_refused() {
	bad=0
	for c in check-power identify; do
		mamori-ata /dev/sda "$c" || { echo "DISK-REFUSED: allowed $c did not complete"; bad=1; }
	done
	for c in microcode freeze-lock erase-prepare; do
		rc=0
		mamori-ata /dev/sda "$c" || rc=$?
		[ $rc = 10 ] || { echo "DISK-REFUSED: $c not aborted (exit $rc)"; bad=1; }
	done
	# The disk still works after the refusals.
	dd if=/dev/sda2 of=/dev/null bs=64k count=4 iflag=direct 2>/dev/null ||
		{ echo "DISK-REFUSED: read after the refusals failed"; bad=1; }
	[ $bad = 0 ] || fail "ATA command filtering"
	echo "DISK-REFUSED-OK"
}

# snap FILE: the VM-exit counters now ("total N", "REASON N" lines).
snap() {
	cat /proc/mamori-exits >"$1" 2>/dev/null
}

# exits_per_mib WHAT BEFORE AFTER MIB [SNAP]: one DISK-EXITS line: the exits
# between the two snapshots, less SNAP (what taking one snapshot costs), per
# MiB, then the raw count per exit reason.
exits_per_mib() {
	awk -v what="$1" -v mib="$4" -v snap="${5:-0}" '
		BEGIN {
			split("1 extint 7 intwin 10 cpuid 12 hlt 18 vmcall 28 cr 30 io 31 rdmsr 32 wrmsr 48 ept 49 eptmis", n, " ")
			for (i = 1; i in n; i += 2)
				name[n[i]] = n[i + 1]
		}
		FNR == NR { a[$1] = $2; next }
		{
			d = $2 - a[$1]
			if ($1 == "total")
				t = d
			else if (d)
				r = r sprintf(" %s=%d", ($1 in name) ? name[$1] : "r" $1, d)
		}
		END {
			printf "DISK-EXITS: %s %d MiB: %d exits, %d net of a snapshot, %.0f/MiB;%s\n",
				what, mib, t, t - snap, (t - snap) / mib, r
		}
	' "$2" "$3"
}

step_exits() {
	make_pattern "$BENCH_MARK" "$EXITS_MIB" /tmp/bench.bin
	if ! snap /tmp/e0; then
		echo "DISK-EXITS: unavailable (no Mamori beneath: /proc/mamori-exits)"
		dd if=/tmp/bench.bin of=/dev/sda2 bs=64k oflag=direct 2>/dev/null ||
			fail "raw write"
		echo "DISK-EXITS-OK"
		return
	fi
	snap /tmp/e1
	dd if=/tmp/bench.bin of=/dev/sda2 bs=64k oflag=direct 2>/dev/null || fail "raw write"
	snap /tmp/e2
	dd if=/dev/sda2 of=/tmp/back.bin bs=64k count=$((EXITS_MIB * 16)) iflag=direct \
		2>/dev/null || fail "raw read"
	snap /tmp/e3
	cmp -s /tmp/bench.bin /tmp/back.bin || fail "raw read-back differs from what was written"
	# Two snapshots with nothing between: the cost of taking one.
	base=$(awk 'FNR == NR { if ($1 == "total") a = $2; next }
		$1 == "total" { print $2 - a }' /tmp/e0 /tmp/e1)
	exits_per_mib "$MODE-snapshot" /tmp/e0 /tmp/e1 1
	exits_per_mib "$MODE-write" /tmp/e1 /tmp/e2 "$EXITS_MIB" "$base"
	exits_per_mib "$MODE-read" /tmp/e2 /tmp/e3 "$EXITS_MIB" "$base"
	rm -f /tmp/back.bin /tmp/bench.bin
	echo "DISK-EXITS-OK"
}

step_write() {
	mkfs.ext4 -q -F -L mamori-e2e /dev/sda2 || fail "mkfs.ext4 /dev/sda2"
	mount -t ext4 /dev/sda2 /mnt || fail "cannot mount the new ext4"
	make_pattern "$MARK" "$PATTERN_MIB" /tmp/pattern.bin
	cp /tmp/pattern.bin /mnt/pattern.bin || fail "writing /pattern.bin"
	sync
	want=$(sha256sum /tmp/pattern.bin | cut -d' ' -f1)
	echo 3 >/proc/sys/vm/drop_caches
	got=$(sha256sum /mnt/pattern.bin | cut -d' ' -f1)
	umount /mnt || fail "umount"
	echo "DISK-WRITE: pattern.bin sha256 $want, read back $got"
	[ "$want" = "$got" ] || fail "pattern.bin reads back differently"
	echo "DISK-WRITE-OK"
}

step_rawattack() {
	start=$(cat /sys/block/sda/sda2/start 2>/dev/null) || fail "no start sector of sda2"
	sync
	echo 1 >/sys/block/sda/device/delete || fail "cannot detach sda"
	usleep 500000
	echo "DISK-RAWATTACK: sda2 starts at $start"
	mamori-ata raw-attack "$start" || fail "mamori-ata raw-attack"
	echo "DISK-RAWATTACK-OK"
}

step_powercut() {
	make_pattern "$CUT_MARK" 1 /tmp/cut.bin
	size=$(($(blockdev --getsize64 /dev/sda2) / 1048576))
	echo "DISK-POWERCUT: writing the marker over /dev/sda2 ($size MiB) until killed"
	n=0
	while :; do
		dd if=/tmp/cut.bin of=/dev/sda2 bs=64k seek=$(((n % size) * 16)) \
			oflag=direct conv=notrunc 2>/dev/null || fail "raw write"
		n=$((n + 1))
		echo "DISK-POWERCUT-MIB $n"
	done
}

setup
for s in $STEPS; do
	"step_$s"
done
echo "DISK-OK"
