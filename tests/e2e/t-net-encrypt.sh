#!/bin/sh
# Issue 12, encrypt: the 82540EM under `network e1000 ... mode=encrypt` with a
# pre-shared CAK/CKN. Bochs's e1000 and a Linux peer (Debian's kernel in
# QEMU, wpa_supplicant macsec_linux with the same CAK/CKN, priority 32) on
# one bridge in a private network namespace. The guest knows nothing of
# MACsec (plain eth0, 192.0.2.1); the VMM's MKA is elected key server and
# distributes its SAK while the guest boots, the guest pings the peer's
# macsec0 (192.0.2.2) and the peer pings the guest. The capture on Bochs's
# tap shows every frame from the guest's MAC is MACsec (0x88E5) or EAPOL
# (0x888E); the plain marker frames sent towards the guest never reach it.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"
. "$E2E_DIR/lib-net.sh"
net_ns_enter "$@"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (tools/deps.sh)"

CAK=6d616d6f72692d6465762d6d6163736b	# development only (docs/network.md)
CKN=6d616d6f72692d6465762d636b6e2121
dev_policy_with "$E2E_OUT/encrypt.bin" \
	'network e1000 bdf=00:02.0 mode=encrypt peer=52:54:00:4d:00:02 key=net0' \
	"key net0 = $CAK$CKN"
net_macsec_peer_initrd "$CAK" "$CKN" 32 'PEER_PING_TRIES=400
PEER_LINGER=150'

ip link set lo up
# a Linux bridge drops 01:80:C2:00:00:0X unless asked: forward EAPOL (PAE, bit 3)
ip link add br0 type bridge group_fwd_mask 8 || fail "cannot create the bridge"
ip tuntap add dev "$NET_TAP" mode tap || fail "cannot create tap $NET_TAP"
ip tuntap add dev mamtap1 mode tap || fail "cannot create tap mamtap1"
for l in "$NET_TAP" mamtap1; do
	ip link set "$l" master br0
	ip link set "$l" up
done
ip link set br0 up
python3 "$E2E_DIR/net_capture.py" "$NET_TAP" "$E2E_OUT/capture.txt" "$NET_GUEST_MAC" &
NET_CAPTURE=$!
net_macsec_peer_start mamtap1 900
trap 'kill "$NET_QPID" 2>/dev/null || true' EXIT

# MKA's timers (hello 2 s, life 6 s) run on the TSC, against a real-time peer:
# Bochs's TSC counts instructions (ips), and an idle guest's HLT skips ahead
# (sync=none or realtime: the VMM's clock ran ~10x fast, MKA saw its peer
# expire). slowdown keeps emulated time from passing the wall clock; an ips
# near what Bochs manages here keeps it from lagging much.
net_boot --scenario "$E2E_DIR/scenarios/net-encrypt.sh" --policy "$E2E_OUT/encrypt.bin" \
	--bochs-opt "clock: sync=slowdown" --bochs-opt "cpu: ips=25000000" \
	--timeout 900 --until 'mamori: halted'
net_capture_stop
sleep 2
kill "$NET_QPID" 2>/dev/null || true
echo "peer:"; grep -a '^PEER-' "$E2E_OUT/peer.log" | tr -d '\r'
expect_log com2 'e1000 00:02\.0: intercepted, BAR0 0x[0-9a-f]+, mode encrypt' \
	"the e1000 was not intercepted in encrypt mode"
expect_log com2 'net: e1000 00:02\.0: MACsec \(GCM-AES-128' "the MACsec port did not start"
expect_log com2 'mka: key server: new SAK' "the VMM's MKA made no SAK"
expect_log com1 'E2E-NET: eth0 02:4d:4d:00:00:01 carrier=1' "the guest saw no link"
expect_log com1 'E2E-NET-PING=ok' "the guest's pings to the peer's macsec0 failed"
expect_log com1 'E2E-NET-DONE' "the scenario did not finish"
grep -qa 'PEER-PING ok=[1-9]' "$E2E_OUT/peer.log" || fail "the peer's pings over macsec0 got no answer"
# the wire: from the guest's MAC only MACsec and EAPOL-MKA
plain=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 != "88e5" && $4 != "888e"' \
	"$E2E_OUT/capture.txt" | head -5)
[ -z "$plain" ] || fail "plain frames from the guest on the wire: $plain"
n88e5=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "88e5"' "$E2E_OUT/capture.txt" | wc -l)
n888e=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "888e"' "$E2E_OUT/capture.txt" | wc -l)
echo "capture: from the guest's MAC $n88e5 MACsec, $n888e EAPOL, 0 other; markers $(net_count markers)"
[ "$n88e5" -ge 6 ] && [ "$n888e" -ge 3 ] || fail "too few protected frames ($n88e5 MACsec, $n888e EAPOL)"
[ "$(net_count markers)" -ge 20 ] || fail "the capture sent too few plain markers"
expect_log com2 'macsec: dropped a received frame: not-macsec \(EtherType 0x88b5\)' \
	"the VMM logged no dropped plain marker"
expect_no_log com2 'e1000 .*refused' "the intercept refused something Linux's driver did"
expect_rc 0
pass
