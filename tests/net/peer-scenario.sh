#!/bin/sh
# The Linux MACsec peer of tests/e2e/t-macsec-interop.sh: runs as /scenario
# in the test guest's initramfs under QEMU (Debian's kernel, its macsec
# module) with Debian's wpa_supplicant (driver macsec_linux) keyed with the
# test's CAK/CKN, then pings Mamori's end over the kernel's macsec device.
# Markers on the console: PEER-WPA-UP, PEER-PING ok=N fail=N, then a
# PEER-SAK line with the transmit SA's key each time the SAK changes, until
# the test stops the VM (or PEER-DONE after PEER_LINGER seconds).
# PEER_PING_TRIES (80): pings tried before giving up (a Bochs end boots late).
# Optional (t-net-encrypt): PEER_MTU, eth0's MTU (macsec0 gets 32 less);
# PEER_BIGPING=SIZE, 3 pings after
# the first pings (PEER-BIGPING ok=N) of PEER_BIGPING bytes (ping -s); PEER_XFER=BYTES, receive that many
# bytes on :5001 (PEER-XFER recv-bytes N recv-sha256 H) and serve as many
# random bytes as http://192.0.2.2:8080/pout (busybox httpd; PEER-XFER
# sent-sha256 H), for a client that needs no timer of its own.
. /peer.env
echo "PEER-START"
[ -z "${PEER_MTU:-}" ] || ip link set eth0 mtu "$PEER_MTU"
ip link set eth0 up
cat >/tmp/wpa.conf <<CONF
eapol_version=3
ap_scan=0
network={
	key_mgmt=NONE
	eapol_flags=0
	macsec_policy=1
	mka_cak=$PEER_CAK
	mka_ckn=$PEER_CKN
	mka_priority=$PEER_PRIO
}
CONF
wpa_supplicant -D macsec_linux -i eth0 -c /tmp/wpa.conf -d >/tmp/wpa.log 2>&1 &
m=
for i in $(seq 1 40); do
	m=$(ls /sys/class/net | grep '^macsec' | head -1)
	[ -n "$m" ] && break
	sleep 0.5
done
[ -n "$m" ] || { echo "PEER-FAIL no macsec link"; tail -30 /tmp/wpa.log; exit 1; }
ip addr add 192.0.2.2/24 dev "$m"
echo "PEER-WPA-UP $m $(cat /sys/class/net/$m/mtu)"
if [ -n "${PEER_XFER:-}" ]; then
	sleep 3000 | nc -l -p 5001 >/tmp/pin &
	mkdir -p /tmp/www
	dd if=/dev/urandom of=/tmp/www/pout bs=65536 count=$((PEER_XFER / 65536)) 2>/dev/null
	echo "PEER-XFER sent-sha256 $(sha256sum </tmp/www/pout | cut -d' ' -f1)"
	httpd -p 8080 -h /tmp/www
fi
ok=0
fail=0
for i in $(seq 1 "${PEER_PING_TRIES:-80}"); do
	ip link set "$m" up 2>/dev/null
	if ping -c 1 -W 1 192.0.2.1 >/dev/null 2>&1; then
		ok=$((ok + 1))
		[ "$ok" -ge 5 ] && break
	else
		fail=$((fail + 1))
	fi
done
echo "PEER-PING ok=$ok fail=$fail"
if [ -n "${PEER_BIGPING:-}" ]; then
	n=$(ping -c 3 -W 3 -s "$PEER_BIGPING" 192.0.2.1 2>&1 | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	echo "PEER-BIGPING ok=${n:-0}"
fi
if [ -n "${PEER_XFER:-}" ]; then
	for i in $(seq 1 1200); do
		[ "$(wc -c </tmp/pin)" -ge "$PEER_XFER" ] && break
		sleep 0.5
	done
	echo "PEER-XFER recv-bytes $(wc -c </tmp/pin) recv-sha256 $(sha256sum </tmp/pin | cut -d' ' -f1)"
fi
ip-full macsec show
ip-full -s link show "$m" | head -8
echo "PEER-WPA-BAD-ICV $(grep -c 'Computed ICV is not equal' /tmp/wpa.log)"
grep -E 'KaY: (I am elected|Peer .* was elected)|CP: .*(SECURED|TRANSMIT)' /tmp/wpa.log | head -8
last=
for i in $(seq 1 "$((${PEER_LINGER:-60} * 2))"); do
	show=$(ip-full macsec show "$m" 2>/dev/null)
	sak=$(echo "$show" | sed -n '/TXSC/,/RXSC/s/.*state on, key \([0-9a-f]*\).*/\1/p' | head -1)
	cs=$(echo "$show" | sed -n 's/.*cipher suite: \([A-Z0-9-]*\).*/\1/p' | head -1)
	if [ -n "$sak" ] && [ "$sak" != "$last" ]; then
		echo "PEER-SAK $sak $cs"
		last=$sak
	fi
	sleep 0.5
done
grep -E 'KaY: (I am elected|Peer .* was elected)' /tmp/wpa.log | tail -2
echo "PEER-DONE"
