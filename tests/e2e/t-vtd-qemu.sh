#!/bin/sh
# VT-d DMA remapping for real, without VMX: QEMU's q35 + intel-iommu (TCG)
# boots tests/vtd/vtd_qemu.c (drivers/vtd*.c in a test-only EFI program),
# which enables remapping with one page held back as the "VMM region" and has
# the AHCI controller DMA into it (must fault, page unchanged) and into an
# allowed page (must land), then has it read both pages (WRITE DMA EXT): the
# protected page's bytes must not reach the disk. Peer to peer: a DMA into the
# VGA framebuffer BAR lands before VT-d is on and must fault after (the tables
# map only the memory map's RAM). Twice: 39-bit (3-level) and 48-bit (4-level)
# second-level tables, the second with snoop control (SNP set in the leaves).
# Each boot also parses q35's MCFG (drivers/pci_mcfg.c) and checks it
# against PCIEXBAR and a read through ECAM.
# DMA windows: a second page of the hole opened to 00:1f.2 (domain 2) takes
# its DMA; re-programmed with that page opened to 00:1f.3 instead, the AHCI's
# DMA into it must fault.
# No Bochs, no slot needed.
. "$(dirname "$0")/lib.sh"

EFI=$REPO/build/tests/vtd/vtd-qemu.efi
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
need_file "$EFI"
need_file "$CODE"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
command -v mcopy >/dev/null || fail "mtools missing"

esp=$E2E_OUT/esp.img
rm -f "$esp"
truncate -s 16M "$esp"
mkfs.vfat -n VTDTEST "$esp" >/dev/null || fail "mkfs.vfat failed"
mmd -i "$esp" ::/EFI ::/EFI/BOOT && mcopy -i "$esp" "$EFI" ::/EFI/BOOT/BOOTX64.EFI ||
	fail "cannot put the test program on the ESP"

# vtd_run AW-BITS SNOOP: one boot on a blank disk; COM1 in $E2E_OUT/com1-AW.log.
vtd_run() {
	cp "$VARS" "$E2E_OUT/vars.fd"
	rm -f "$E2E_OUT/disk0.img"
	truncate -s 1M "$E2E_OUT/disk0.img"
	log=$E2E_OUT/com1-$1.log
	rm -f "$log"
	echo "qemu: intel-iommu aw-bits=$1 snoop-control=$2"
	timeout "$(_scaled 150)" qemu-system-x86_64 -machine q35,accel=tcg -m 512 \
		-device intel-iommu,aw-bits="$1",snoop-control="$2" -nic none -display none -no-reboot \
		-drive if=pflash,format=raw,readonly=on,file="$CODE" \
		-drive if=pflash,format=raw,file="$E2E_OUT/vars.fd" \
		-drive if=none,id=d0,format=raw,file="$E2E_OUT/disk0.img" \
		-device ide-hd,drive=d0,bus=ide.0 \
		-drive if=none,id=esp,format=raw,file="$esp" \
		-device ide-hd,drive=esp,bus=ide.1,bootindex=1 \
		-serial file:"$log" </dev/null || echo "qemu: exit status $?"
	cat "$log" >>"$E2E_OUT/com1.log"
	grep -a 'VTD-TEST\|vtd' "$log" | tr -d '\r'
}

: >"$E2E_OUT/com1.log"
for aw in 39 48; do
	snoop=off
	[ "$aw" = 48 ] && snoop=on
	vtd_run $aw $snoop
	f=$E2E_OUT/com1-$aw.log
	grep -aq 'VTD-TEST: start' "$f" || fail "aw-bits=$aw: the test program never ran"
	grep -aEq 'vtd0: DMA remapping on' "$f" || fail "aw-bits=$aw: VT-d was not enabled"
	grep -aEq 'VTD-TEST: PASS translation enabled' "$f" || fail "aw-bits=$aw: GSTS.TES not set"
	grep -aEq 'VTD-TEST: PASS DMA into the protected page did not land' "$f" ||
		fail "aw-bits=$aw: DMA into the protected page landed"
	grep -aEq 'VTD-TEST: PASS fault recorded' "$f" || fail "aw-bits=$aw: no fault record"
	grep -aEq 'VTD-TEST: PASS DMA into an allowed page landed' "$f" ||
		fail "aw-bits=$aw: DMA into an allowed page did not land"
	grep -aEq 'VTD-TEST: PASS control: IDENTIFY lands in the display BAR' "$f" ||
		fail "aw-bits=$aw: the peer-to-peer control DMA did not land"
	grep -aEq 'VTD-TEST: PASS peer-to-peer DMA into the display BAR did not land' "$f" ||
		fail "aw-bits=$aw: peer-to-peer DMA into the display BAR landed"
	grep -aEq 'VTD-TEST: PASS fault recorded: peer-to-peer' "$f" ||
		fail "aw-bits=$aw: no fault record for the peer-to-peer DMA"
	case $snoop in
	on) grep -aq 'snoop forced' "$f" || fail "aw-bits=$aw: SNP not set with snoop control" ;;
	*) grep -aq 'lacks snoop control' "$f" || fail "aw-bits=$aw: no warning without snoop control" ;;
	esac
	grep -aEq 'VTD-TEST: PASS fault recorded: read of the protected page' "$f" ||
		fail "aw-bits=$aw: no fault record for the device's read of the protected page"
	# on the disk itself: sector 1 (written from the protected page) holds none
	# of its 0x5a pattern, sector 2 (from an allowed page) holds 0xc3 bytes
	s1=$(dd if="$E2E_OUT/disk0.img" bs=512 skip=1 count=1 2>/dev/null | od -An -tx1 -v | tr -s ' \n' ' ')
	s2=$(dd if="$E2E_OUT/disk0.img" bs=512 skip=2 count=1 2>/dev/null | od -An -tx1 -v | tr -s ' \n' ' ')
	case "$s1" in *5a*) fail "aw-bits=$aw: the protected page's bytes reached the disk" ;; esac
	case "$s2" in *c3*) ;; *) fail "aw-bits=$aw: the allowed page's bytes did not reach the disk" ;; esac
	grep -aEq 'VTD-TEST: PASS ECAM: MCFG parsed, its base is where PCIEXBAR decodes' "$f" ||
		fail "aw-bits=$aw: the MCFG did not parse or does not name PCIEXBAR's window"
	grep -aEq "VTD-TEST: PASS ECAM: 00:1f.2's page reads what 0xcf8 reads" "$f" ||
		fail "aw-bits=$aw: ECAM and 0xcf8 disagree"
	grep -aEq 'VTD-TEST: PASS DMA by 00:1f.2 into its window landed' "$f" ||
		fail "aw-bits=$aw: DMA into the AHCI's own window did not land"
	grep -aq 'vtd: domain 2: 1 device' "$f" || fail "aw-bits=$aw: no domain 2 for the window owner"
	grep -aEq "VTD-TEST: PASS DMA by 00:1f.2 into 00:1f.3's window did not land" "$f" ||
		fail "aw-bits=$aw: the AHCI reached another requester's window"
	grep -aEq "VTD-TEST: PASS fault recorded: write to 00:1f.3's window" "$f" ||
		fail "aw-bits=$aw: no fault record for another requester's window"
	grep -aEq 'VTD-TEST: FAIL' "$f" && fail "aw-bits=$aw: $(grep -a -m1 'VTD-TEST: FAIL' "$f" | tr -d '\r')"
	grep -aEq 'VTD-TEST: RESULT PASS' "$f" || fail "aw-bits=$aw: no RESULT PASS line"
done
expect_log com1 '3-level tables' "no 3-level (39-bit) run"
expect_log com1 '4-level tables' "no 4-level (48-bit) run"
pass
