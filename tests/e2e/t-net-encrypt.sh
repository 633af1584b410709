#!/bin/sh
# Issue 12, encrypt: the 82540EM under `network e1000 ... mode=encrypt` with a
# pre-shared CAK/CKN. Bochs's e1000 and a Linux peer (Debian's kernel in
# QEMU, wpa_supplicant macsec_linux with the same CAK/CKN, priority 32) on
# one bridge in a private network namespace (MTU 1500). The guest knows
# nothing of MACsec (plain eth0, 192.0.2.1, MTU 1468: Bochs 2.7's tuntap
# reads at most 1514 bytes, so protected frames must fit that; the peer's
# macsec0 has 1468 too, as Linux sets it on a 1500 link); the
# VMM's MKA is elected key server and distributes its SAK while the guest
# boots. One boot checks:
#  - pings both ways, full-size (1468-byte IP) pings both ways, 2 MiB each
#    way over TCP with SHA-256 compared between the guest and the peer;
#  - the capture on Bochs's tap: every frame from the guest's MAC is MACsec
#    (0x88E5) or EAPOL (0x888E), 1514-byte MACsec frames both ways, and no
#    (SCI, AN, PN) twice from the guest;
#  - negatives, sent only towards Bochs (from the tap's host side): an MKA
#    member with a wrong CAK and one with the right CAK but a foreign SCI
#    (build/tests/net/mka_peer) never become live or get a SAK; replayed,
#    forged (bad ICV) and foreign-SCI MACsec frames and plain UDP datagrams
#    to the guest's MAC (net_capture.py) are dropped and counted by the VMM
#    (its "macsec: drops:" summary) and no UDP datagram reaches the guest's
#    stack (/proc/net/snmp; sent only once the peer's MACsec frames flow to
#    the guest, so its NIC is receiving); the plain markers are dropped.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"
. "$E2E_DIR/lib-net.sh"
net_ns_enter "$@"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (tools/deps.sh)"
MKA_PEER=$REPO/build/tests/net/mka_peer
need_file "$MKA_PEER"

CAK=6d616d6f72692d6465762d6d6163736b	# development only (docs/network.md)
CKN=6d616d6f72692d6465762d636b6e2121
XFER=2097152	# scenarios/net-encrypt.sh's E2E_XFER
PEER_MAC=52:54:00:4d:00:02
dev_policy_with "$E2E_OUT/encrypt.bin" \
	"network e1000 bdf=00:02.0 mode=encrypt peer=$PEER_MAC key=net0" \
	"key net0 = $CAK$CKN"
net_macsec_peer_initrd "$CAK" "$CKN" 32 "PEER_PING_TRIES=400
PEER_LINGER=300
PEER_BIGPING=1440
PEER_XFER=$XFER"

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
python3 "$E2E_DIR/net_capture.py" "$NET_TAP" "$E2E_OUT/capture.txt" "$NET_GUEST_MAC" \
	"$PEER_MAC" &
NET_CAPTURE=$!
# two MKA members that must never be let in, on the tap's host side (only Bochs hears them)
"$MKA_PEER" --if "$NET_TAP" --mac 02:00:00:00:53:01 --ip 192.0.2.66 --peer-ip 192.0.2.1 \
	--cak 00112233445566778899aabbccddeeff --ckn "$CKN" --prio 1 --seconds 1200 \
	>"$E2E_OUT/wrong-cak.txt" 2>&1 &
WRONG_CAK=$!
"$MKA_PEER" --if "$NET_TAP" --mac 02:00:00:00:53:02 --ip 192.0.2.67 --peer-ip 192.0.2.1 \
	--cak "$CAK" --ckn "$CKN" --prio 1 --seconds 1200 >"$E2E_OUT/foreign-sci.txt" 2>&1 &
FOREIGN=$!
net_macsec_peer_start mamtap1 900
trap 'kill "$NET_QPID" "$WRONG_CAK" "$FOREIGN" 2>/dev/null || true' EXIT

# MKA's timers (hello 2 s, life 6 s) run on the TSC, against a real-time peer:
# Bochs's TSC counts instructions (ips), and an idle guest's HLT skips ahead
# (sync=none or realtime: the VMM's clock ran ~10x fast, MKA saw its peer
# expire). slowdown keeps emulated time from passing the wall clock; an ips
# near what Bochs manages here keeps it from lagging much.
net_boot --scenario "$E2E_DIR/scenarios/net-encrypt.sh" --policy "$E2E_OUT/encrypt.bin" \
	--bochs-opt "clock: sync=slowdown" --bochs-opt "cpu: ips=25000000" \
	--timeout 900 --until 'mamori: halted'
kill "$WRONG_CAK" "$FOREIGN" 2>/dev/null || true
wait "$WRONG_CAK" "$FOREIGN" 2>/dev/null || true
net_capture_stop
sleep 2
kill "$NET_QPID" 2>/dev/null || true
echo "peer:"; grep -a '^PEER-' "$E2E_OUT/peer.log" | tr -d '\r'
echo "guest:"; grep -a '^E2E-NET' "$E2E_OUT/com1.log" | tr -d '\r'
echo "wrong CAK: $(grep '^MKA-PEER' "$E2E_OUT/wrong-cak.txt")"
echo "foreign SCI: $(grep '^MKA-PEER' "$E2E_OUT/foreign-sci.txt")"
drops=$(grep -a 'macsec: drops:' "$E2E_OUT/com2.log" | tail -1 | tr -d '\r')
echo "VMM: $drops"
expect_log com2 'e1000 00:02\.0: intercepted, BAR0 0x[0-9a-f]+, mode encrypt' \
	"the e1000 was not intercepted in encrypt mode"
expect_log com2 "net: e1000 00:02\.0: MACsec \(GCM-AES-128.* only peer $PEER_MAC" \
	"the MACsec port did not start for the policy's peer"
expect_log com2 'mka: key server: new SAK' "the VMM's MKA made no SAK"
expect_log com1 'E2E-NET: eth0 02:4d:4d:00:00:01 carrier=1 mtu=1468' "the guest saw no link"
expect_log com1 'E2E-NET-PING=ok' "the guest's pings to the peer's macsec0 failed"
expect_log com1 'E2E-NET-BIGPING ok=[1-9]' "the guest's full-size pings were lost"
expect_log com1 'E2E-NET-DONE' "the scenario did not finish"
grep -qa 'PEER-PING ok=[1-9]' "$E2E_OUT/peer.log" || fail "the peer's pings over macsec0 got no answer"
grep -qa 'PEER-BIGPING ok=[1-9]' "$E2E_OUT/peer.log" || fail "the peer's full-size pings were lost"
# 2 MiB each way, the same SHA-256 at both ends
g_out=$(grep -a 'E2E-NET: out-sha256' "$E2E_OUT/com1.log" | awk '{ print $3 }' | tr -d '\r')
g_in=$(grep -a 'E2E-NET: in-sha256' "$E2E_OUT/com1.log" | awk '{ print $3 }' | tr -d '\r')
p_in=$(grep -a 'PEER-XFER recv-bytes' "$E2E_OUT/peer.log" | awk '{ print $5 }' | tr -d '\r')
p_out=$(grep -a 'PEER-XFER sent-sha256' "$E2E_OUT/peer.log" | awk '{ print $3 }' | tr -d '\r')
grep -qa "PEER-XFER recv-bytes $XFER " "$E2E_OUT/peer.log" ||
	fail "the peer did not receive $XFER bytes from the guest"
expect_log com1 "E2E-NET: in-sha256 [0-9a-f]+ bytes=$XFER" "the guest did not receive $XFER bytes"
[ -n "$g_out" ] && [ "$g_out" = "$p_in" ] || fail "guest->peer SHA-256 differs: $g_out vs $p_in"
[ -n "$p_out" ] && [ "$p_out" = "$g_in" ] || fail "peer->guest SHA-256 differs: $p_out vs $g_in"
# the wire: from the guest's MAC only MACsec and EAPOL-MKA
plain=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 != "88e5" && $4 != "888e"' \
	"$E2E_OUT/capture.txt" | head -5)
[ -z "$plain" ] || fail "plain frames from the guest on the wire: $plain"
n88e5=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "88e5"' "$E2E_OUT/capture.txt" | wc -l)
n888e=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "888e"' "$E2E_OUT/capture.txt" | wc -l)
big_out=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "88e5" && $5 == 1514' \
	"$E2E_OUT/capture.txt" | wc -l)
big_in=$(awk -v m="$PEER_MAC" '$1 == "out" && $2 == m && $4 == "88e5" && $5 == 1514' \
	"$E2E_OUT/capture.txt" | wc -l)
reused=$(awk -v m="$NET_GUEST_MAC" '$1 == "in" && $2 == m && $4 == "88e5" { print $6, $7, $8 }' \
	"$E2E_OUT/capture.txt" | sort | uniq -d | head -3)
echo "capture: from the guest's MAC $n88e5 MACsec ($big_out of 1514 bytes), $n888e EAPOL, 0 other;" \
	"1514-byte MACsec to the guest $big_in; $(grep '^summary' "$E2E_OUT/capture.txt")"
[ "$n88e5" -ge 1000 ] && [ "$n888e" -ge 3 ] || fail "too few protected frames ($n88e5 MACsec, $n888e EAPOL)"
[ "$big_out" -ge 100 ] && [ "$big_in" -ge 100 ] || fail "too few full-size frames ($big_out out, $big_in in)"
[ -z "$reused" ] || fail "a (SCI, AN, PN) from the guest appeared twice on the wire: $reused"
[ "$(net_count markers)" -ge 20 ] || fail "the capture sent too few plain markers"
for k in replayed forged foreign_sci plain_udp; do
	[ "$(net_count $k)" -ge 5 ] || fail "the capture injected too few $k frames"
done
# negatives: the VMM counted each kind, the guest's stack saw no UDP
drop() { echo "$drops" | grep -o "$1=[0-9]*" | head -1 | cut -d= -f2; }
[ "$(drop replay)" -ge 1 ] || fail "no replayed MACsec frame counted by the VMM ($drops)"
[ "$(drop bad-icv)" -ge 1 ] || fail "no forged MACsec frame counted by the VMM ($drops)"
[ "$(drop unknown-sci)" -ge 1 ] || fail "no foreign-SCI MACsec frame counted by the VMM ($drops)"
[ "$(drop not-macsec)" -ge 20 ] || fail "too few plain frames counted by the VMM ($drops)"
[ "$(drop foreign-peer)" -ge 2 ] || fail "the foreign-SCI MKA member was not counted ($drops)"
echo "$drops" | grep -q 'mka: .*bad-icv=[1-9]' || fail "the wrong-CAK MKA member was not counted ($drops)"
expect_log com1 'E2E-NET-UDP InDatagrams=0 NoPorts=0' "a plain UDP datagram reached the guest's stack"
for f in wrong-cak foreign-sci; do
	grep -q '^MKA-PEER secured=0 key_server=[01] live=0 .* macsec_ok=0 ' "$E2E_OUT/$f.txt" ||
		fail "the $f MKA member got in: $(grep '^MKA-PEER' "$E2E_OUT/$f.txt")"
done
expect_log com2 'macsec: dropped a received frame: not-macsec \(EtherType 0x88b5\)' \
	"the VMM logged no dropped plain marker"
expect_no_log com2 'e1000 .*refused' "the intercept refused something Linux's driver did"
expect_rc 0
pass
