#!/bin/sh
# t-net-*: Linux's own e1000 driver on the NIC; talk to the tap's side (192.0.2.1).
modprobe -q e1000 || { echo "E2E-NET: modprobe e1000 failed"; exit 1; }
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -e /sys/class/net/eth0 ] || { echo "E2E-NET: no eth0"; exit 1; }
ip link set eth0 up
ip addr add 192.0.2.2/24 dev eth0
i=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
echo "E2E-NET: eth0 $(cat /sys/class/net/eth0/address) carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null)"
if ping -c 3 -W 3 192.0.2.1; then
	echo "E2E-NET-PING=ok"
	# 1 MiB each way over TCP with the tap side's net_peer.py (t-net-pass)
	dd if=/dev/urandom of=/tmp/out bs=65536 count=16 2>/dev/null
	echo "E2E-NET: out-sha256 $(sha256sum /tmp/out | cut -d' ' -f1)"
	timeout 300 nc 192.0.2.1 5001 </tmp/out >/dev/null
	timeout 300 nc 192.0.2.1 5002 </dev/null >/tmp/in
	echo "E2E-NET: in-sha256 $(sha256sum /tmp/in | cut -d' ' -f1) bytes=$(wc -c </tmp/in)"
else
	echo "E2E-NET-PING=fail"
fi
sleep 2
s=/sys/class/net/eth0/statistics
echo "E2E-NET: rx_packets=$(cat $s/rx_packets) tx_packets=$(cat $s/tx_packets)"
echo "E2E-NET-DONE"
exit 0
