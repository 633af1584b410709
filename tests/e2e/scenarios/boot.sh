#!/bin/sh
# t-boot: the guest is up under Mamori; check it sees its disk as built.
echo "E2E-BOOT: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPU(s)"
modprobe -q ata_piix && modprobe -q sd_mod || { echo "E2E-BOOT: modprobe failed"; exit 1; }
i=0
while [ ! -e /sys/block/sda/sda2 ] && [ $i -lt 300 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -e /sys/block/sda/sda1 ] && [ -e /sys/block/sda/sda2 ] ||
	{ echo "E2E-BOOT: disk partitions missing"; cat /proc/partitions; exit 1; }
echo "E2E-BOOT-OK"
exit 0
