#!/bin/sh
# File access check scenario (issue 13; tests/e2e/t-filecheck.sh,
# docs/filecheck.md). /etc/mamori-fc.conf (the test writes it) gives
# DENY_BLOCK, the 4 KiB block of /fc/deny.txt in /dev/sda2. Each attack prints
# FC-<NAME>: ok|BROKEN; the host checks the disk afterwards. Mounts are
# sync,dirsync (no journal on the test's ext4) so a refused write fails the
# system call instead of a later writeback. FC-OK at the end.
DENY_BLOCK=0
[ ! -f /etc/mamori-fc.conf ] || . /etc/mamori-fc.conf

fail() {
	echo "FC-FAIL: $*"
	exit 1
}

# must_fail NAME CMD...: CMD must fail (the VMM's ATA abort is an I/O error).
must_fail() {
	n=$1
	shift
	if "$@" >/tmp/out 2>&1; then
		echo "FC-$n: BROKEN (succeeded)"
	else
		echo "FC-$n: ok (failed: $(head -c 120 /tmp/out | tr '\n' ' '))"
	fi
}

must_work() {
	n=$1
	shift
	if "$@" >/tmp/out 2>&1; then
		echo "FC-$n: ok"
	else
		echo "FC-$n: BROKEN ($(head -c 120 /tmp/out | tr '\n' ' '))"
	fi
}

for m in ata_piix sd_mod ext4 vfat nls_cp437 nls_iso8859_1 nls_utf8; do
	modprobe "$m" 2>/dev/null
done
i=0
while [ ! -b /dev/sda2 ] && [ $i -lt 300 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -b /dev/sda2 ] || fail "no /dev/sda2"
mkdir -p /mnt/d /mnt/esp
mount -t ext4 -o sync,dirsync,noatime,errors=continue /dev/sda2 /mnt/d || fail "cannot mount /dev/sda2"
echo 3 >/proc/sys/vm/drop_caches
must_fail DENY-CAT cat /mnt/d/fc/deny.txt
must_fail DENY-DD dd if=/dev/sda2 of=/tmp/raw bs=4096 skip="$DENY_BLOCK" count=1 iflag=direct
must_fail DENY-DD-WIDE dd if=/dev/sda2 of=/tmp/raw bs=4096 skip=$((DENY_BLOCK - 2)) count=4 \
	iflag=direct
echo "FC-RO-READ: $(cat /mnt/d/fc/ro.txt 2>&1 | head -c 60)"
must_fail RO-WRITE dd if=/dev/zero of=/mnt/d/fc/ro.txt bs=4096 count=1 conv=notrunc oflag=direct
must_fail RO-APPEND sh -c 'echo appended >>/mnt/d/fc/ro.txt'
must_fail RO-UNLINK rm /mnt/d/fc/ro.txt
must_fail RO-RENAME mv /mnt/d/fc/ro.txt /mnt/d/fc/moved.txt
must_fail RO-LINK ln /mnt/d/fc/ro.txt /mnt/d/free/hardlink.txt
echo "FREE-NEW-CONTENT" >/tmp/free
must_work FREE-WRITE dd if=/tmp/free of=/mnt/d/free/free.txt bs=4096 conv=notrunc,fsync
echo 3 >/proc/sys/vm/drop_caches
echo "FC-FREE-READ: $(head -c 16 /mnt/d/free/free.txt)"
umount /mnt/d 2>/dev/null || umount -l /mnt/d

mount -t vfat -o sync,dirsync,errors=continue /dev/sda1 /mnt/esp || fail "cannot mount the ESP"
[ -f /mnt/esp/EFI/mamori/vmm.elf ] || fail "no vmm.elf on the ESP"
must_fail ESP-OVERWRITE dd if=/dev/zero of=/mnt/esp/EFI/mamori/vmm.elf bs=4096 count=1 \
	conv=notrunc oflag=direct
must_fail ESP-RM rm /mnt/esp/EFI/mamori/vmm.elf
umount /mnt/esp 2>/dev/null || umount -l /mnt/esp
# review-3 F1: the BPB is an anchor. BPB_RootClus (offset 44) := 3 would make
# the firmware and the next boot's resolution follow a crafted root.
dd if=/dev/sda1 of=/tmp/bpb bs=512 count=1 iflag=direct 2>/dev/null || fail "cannot read the BPB"
printf '\003\000\000\000' | dd of=/tmp/bpb bs=1 seek=44 conv=notrunc 2>/dev/null
must_fail ESP-BPB dd if=/tmp/bpb of=/dev/sda1 bs=512 count=1 conv=notrunc,fsync oflag=direct
sync
echo "FC-OK"
