#!/bin/sh
# t-disk-pio: disk encryption on the PIO path and the ATA command filter
# (issue 6). As t-disk-dma, with the guest's libata loaded with dma=0, so
# every sector moves through the data port; in the same boot the guest sends
# ATA commands through SG_IO pass-through (mamori-ata): CHECK POWER MODE and
# IDENTIFY complete, DOWNLOAD MICROCODE and SECURITY FREEZE LOCK / ERASE
# PREPARE come back aborted (ABRT), the VMM log names them, they never reach
# the drive (bochs.log: Bochs sees only the NOP they become), and the disk
# keeps working. Last, with sda detached, mamori-ata raw-attack drives the
# registers by port I/O (finding 5: auto-incremented LBA, resets, unit
# switch, CHS, mid-transfer writes): no marker in the clear in partition 2,
# the count-only write where the VMM decided. DISK_NATIVE=1: --no-vmm.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-disk.sh"

disk_prepare_image
disk_boot pio "read refused exits write rawattack" --timeout 1500
[ "$DISK_NATIVE" = 1 ] || expect_log com2 'mamori: vmm' "no VMM banner"
expect_log com1 'DISK-MODE: pio: .*PIO' "the guest's disk is not in PIO mode (see DISK-MODE)"
disk_expect_read
expect_log com1 'mamori-ata: check-power \(0xe5\).*: ok' "CHECK POWER MODE did not complete"
expect_log com1 'mamori-ata: identify \(0xec\).*: ok' "IDENTIFY via pass-through did not complete"
for c in 'microcode \(0x92\)' 'freeze-lock \(0xf5\)' 'erase-prepare \(0xf3\)'; do
	expect_log com1 "mamori-ata: $c: key .* error 0x..: aborted" \
		"$(echo "$c" | tr -d '\\') was not aborted ($(grep -a 'mamori-ata:' "$E2E_OUT/com1.log" | tr -d '\r' | tr '\n' ';'))"
done
expect_log com1 'DISK-REFUSED-OK' "the ATA command checks failed (see DISK-REFUSED)"
# Bochs logs each command its drive aborts ("write cmd 0x92 (DOWNLOAD
# MICROCODE) not supported", "IO write to 0x01f7: unknown command 0x00"):
# beneath Mamori the refused opcodes never get there (the VMM sends NOP,
# which the drive aborts); natively they do.
unknown=$(grep -aoiE '(cmd|command) 0x(92|f5|f3)( |$)' "$E2E_OUT/bochs.log" | sort -u | tr '\n' ' ')
if [ "$DISK_NATIVE" != 1 ]; then
	for c in '0x92|microcode' '0xf5|freeze' '0xf3|erase'; do
		grep -aiE 'refus|denied|block' "$E2E_OUT/com2.log" | grep -aiqE "$c" ||
			fail "no VMM log line refusing ATA command $c"
	done
	[ -z "$unknown" ] || fail "refused commands reached the drive (bochs.log: $unknown)"
	grep -aq 'unknown command 0x00' "$E2E_OUT/bochs.log" ||
		fail "the drive never saw the NOP a refused command becomes (bochs.log)"
else
	[ -n "$unknown" ] || fail "native baseline: Bochs logged none of the refused opcodes"
fi
disk_expect_exits_and_write
disk_expect_raw_attack
pass
