#!/bin/sh
# t-reboot: `reboot -f` resets the machine and it boots again beneath Mamori.
# The first boot leaves a marker on the data partition (this run's own image copy).
modprobe -q ata_piix && modprobe -q sd_mod || { echo "E2E-REBOOT: modprobe failed"; exit 1; }
i=0
while [ ! -e /dev/sda2 ] && [ $i -lt 300 ]; do usleep 100000; i=$((i + 1)); done
[ -e /dev/sda2 ] || { echo "E2E-REBOOT: /dev/sda2 missing"; exit 1; }
if [ "$(dd if=/dev/sda2 bs=15 count=1 2>/dev/null)" = "MAMORI-REBOOTED" ]; then
	echo "E2E-REBOOT-SECOND-BOOT"
	exit 0
fi
printf 'MAMORI-REBOOTED' | dd of=/dev/sda2 bs=15 count=1 conv=notrunc,fsync 2>/dev/null
sync
echo "E2E-REBOOT-FIRST-BOOT"
reboot -f
sleep 60
echo "E2E-REBOOT: reboot -f did not reset the machine"
exit 1
