#!/bin/sh
# t-net-encrypt: Linux's own e1000 driver, plain eth0 (it knows nothing of
# MACsec) at MTU 1468, so that its frames fit a 1514-byte wire frame once
# protected (+32; Bochs 2.7's tuntap reads at most 1514 bytes, docs/network.md
# "MTU"); the Linux peer behind the VMM's MACsec is 192.0.2.2 (its macsec0
# has 1468 on a 1500 link). Pings, full-size pings, then E2E_XFER bytes each
# way over TCP with SHA-256 on both ends.
E2E_XFER=2097152
modprobe -q e1000 || { echo "E2E-NET: modprobe e1000 failed"; exit 1; }
i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
[ -e /sys/class/net/eth0 ] || { echo "E2E-NET: no eth0"; exit 1; }
ip link set eth0 mtu 1468
ip link set eth0 up
ip addr add 192.0.2.1/24 dev eth0
i=0
while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
echo "E2E-NET: eth0 $(cat /sys/class/net/eth0/address) carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null) mtu=$(cat /sys/class/net/eth0/mtu)"
# MKA needs a few hellos (2 s each) before a SAK is in use
ok=0
for i in $(seq 1 60); do
	if ping -c 1 -W 2 192.0.2.2 >/dev/null 2>&1; then
		ok=$((ok + 1))
		[ $ok -ge 3 ] && break
	fi
done
[ $ok -ge 3 ] && echo "E2E-NET-PING=ok" || echo "E2E-NET-PING=fail ok=$ok"
# 1468-byte IP packets, the largest at this MTU (1482-byte frames, 1514 on
# the wire): no silent drop. One ping per call and no sleeps from here on:
# under Bochs's slowdown clock a timer the idle guest waits for can take a
# minute (docs/network.md); a reply wakes it.
n=0
for i in 1 2 3; do
	ping -c 1 -W 5 -s 1440 192.0.2.2 >/dev/null 2>&1 && n=$((n + 1))
done
echo "E2E-NET-BIGPING ok=$n"
dd if=/dev/urandom of=/tmp/out bs=65536 count=$((E2E_XFER / 65536)) 2>/dev/null
echo "E2E-NET: out-sha256 $(sha256sum </tmp/out | cut -d' ' -f1)"
timeout 600 nc 192.0.2.2 5001 </tmp/out
echo "E2E-NET: sent rc=$?"
wget -q -O /tmp/in http://192.0.2.2:8080/pout
echo "E2E-NET: wget rc=$?"
echo "E2E-NET: in-sha256 $(sha256sum </tmp/in | cut -d' ' -f1) bytes=$(wc -c </tmp/in)"
# plain UDP datagrams were sent to us from the bridge: none may arrive
echo "E2E-NET-UDP $(awk '/^Udp:/ { if (h) print "InDatagrams=" $2, "NoPorts=" $3, "InErrors=" $4; h = 1 }' /proc/net/snmp)"
s=/sys/class/net/eth0/statistics
echo "E2E-NET: rx_packets=$(cat $s/rx_packets) tx_packets=$(cat $s/tx_packets)"
echo "E2E-NET-DONE"
exit 0
