#!/bin/sh
# t-disk-powercut: Bochs is killed while the guest writes a marker to the
# encrypted partition in a loop of O_DIRECT writes (issue 6): the raw image holds
# no plaintext of it, and the partition decrypted on the host does (the writes
# did reach the disk before the cut). DISK_NATIVE=1: --no-vmm baseline.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-disk.sh"

disk_boot dma powercut --timeout 1200 --until 'DISK-POWERCUT-MIB 3'
[ "$DISK_NATIVE" = 1 ] || expect_log com2 'mamori: vmm' "no VMM banner"
expect_log com1 'DISK-POWERCUT-MIB 3' "the write loop did not get 3 MiB out (see DISK-FAIL)"
expect_no_log com1 'MAMORI-SCENARIO-EXIT' "the loop ended by itself"
expect_rc 124
disk_expect_ciphertext "$DISK_CUT_HEX" "power-cut pattern"
n=$(disk_count_decrypted "$DISK_CUT_HEX")
echo "disk: decrypted partition 2 holds ${n:-0} copies of the marker"
[ "${n:-0}" -ge 131072 ] 2>/dev/null ||
	fail "the decrypted partition holds ${n:-no} copies of the marker, want >= 131072 (2 MiB)"
pass
