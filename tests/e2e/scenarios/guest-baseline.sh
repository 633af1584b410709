#!/bin/sh
# t-guest-baseline: the guest side alone (no Mamori) — every module the image
# promises loads, the disk shows both partitions, the data partition mounts.
bad=0
for m in ata_piix sd_mod ahci nvme e1000 ext4 vfat dm_crypt macsec wireguard \
	esp4 xfrm_user aesni_intel xts essiv gcm; do
	modprobe -q "$m" || { echo "BASELINE: modprobe $m failed"; bad=1; }
done
i=0
while [ ! -e /sys/block/sda/sda2 ] && [ $i -lt 300 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -b /dev/sda1 ] && [ -b /dev/sda2 ] || { echo "BASELINE: no sda1/sda2"; cat /proc/partitions; bad=1; }
if mount -t ext4 /dev/sda2 /mnt; then
	echo "BASELINE: data partition: $(df -k /mnt | tail -n 1)"
	umount /mnt
else
	echo "BASELINE: cannot mount /dev/sda2 (ext4)"
	bad=1
fi
if mount -t vfat -o ro /dev/sda1 /mnt; then
	[ -f /mnt/EFI/debian/vmlinuz ] || { echo "BASELINE: ESP lacks EFI/debian/vmlinuz"; bad=1; }
	umount /mnt
else
	echo "BASELINE: cannot mount the ESP"
	bad=1
fi
[ $bad = 0 ] && echo "BASELINE-OK"
exit $bad
