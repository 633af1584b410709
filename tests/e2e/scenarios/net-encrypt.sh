#!/bin/sh
# t-net-encrypt: Linux's own e1000 driver, plain eth0 (it knows nothing of
# MACsec); the Linux peer behind the VMM's MACsec is 192.0.2.2.
modprobe -q e1000 || { echo "E2E-NET: modprobe e1000 failed"; exit 1; }
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -e /sys/class/net/eth0 ] || { echo "E2E-NET: no eth0"; exit 1; }
ip link set eth0 mtu 1468	# the peer's macsec device: 1500 - 32
ip link set eth0 up
ip addr add 192.0.2.1/24 dev eth0
i=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
echo "E2E-NET: eth0 $(cat /sys/class/net/eth0/address) carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null)"
# MKA needs a few hellos (2 s each) before a SAK is in use
ok=0
for i in $(seq 1 60); do
	if ping -c 1 -W 2 192.0.2.2 >/dev/null 2>&1; then
		ok=$((ok + 1))
		[ $ok -ge 3 ] && break
	fi
done
[ $ok -ge 3 ] && echo "E2E-NET-PING=ok" || echo "E2E-NET-PING=fail ok=$ok"
# the peer pings us concurrently (its loop runs from before our boot)
s=/sys/class/net/eth0/statistics
echo "E2E-NET: rx_packets=$(cat $s/rx_packets) tx_packets=$(cat $s/tx_packets)"
echo "E2E-NET-DONE"
exit 0
