#!/bin/sh
# t-disk-dma: disk encryption on the DMA path (issue 6). The host writes an
# ext4 with /in.bin into partition 2, encrypted with the policy key; beneath
# Mamori the guest (libata with bus-master DMA) reads it back, measures the VM
# exits per MiB of raw O_DIRECT writes and reads, makes a fresh ext4 and writes
# /pattern.bin. On the host the raw partition holds none of what the guest
# wrote, and decrypting it (disk_check.py, not Mamori's code) gives an ext4
# whose /pattern.bin (debugfs) is the pattern. DISK_NATIVE=1: --no-vmm baseline.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-disk.sh"

disk_prepare_image
disk_boot dma "read exits write" --timeout 1200
[ "$DISK_NATIVE" = 1 ] || expect_log com2 'mamori: vmm' "no VMM banner"
expect_log com1 'DISK-MODE: dma: .*DMA' "the guest's disk is not in DMA mode (see DISK-MODE)"
disk_expect_read
disk_expect_exits_and_write
pass
