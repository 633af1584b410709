#!/bin/sh
# MACsec/MKA interop (issue 12, the protocol core in net/): Mamori's MKA and
# SecY (tests/net/mka_peer.c, the VMM's own net/ sources built for the host)
# on one end of a link, Linux on the other: Debian's kernel in QEMU with its
# macsec module and Debian's wpa_supplicant (driver macsec_linux, pre-shared
# CAK/CKN), on a tap device inside a network namespace this test creates
# (192.0.2.0/24, nothing leaves it). The host kernel has no MACsec, so the
# Linux end is a VM; the test guest's initramfs plus wpa_supplicant, ip and
# tests/net/peer-scenario.sh.
#   1. A Mamori end with the wrong CAK (same CKN): no live peer, no SAK, every
#      peer MKPDU fails the ICV, no frame validates and none is sent.
#   2. The right CAK, Mamori priority 16 vs wpa_supplicant's 32: Mamori is
#      elected key server, distributes its SAK, both ends transmit; the peer
#      pings 192.0.2.1 over its macsec device and Mamori's end answers;
#      Mamori's end pings the peer and gets replies.
#   3. Mamori restarts (new MI, as after a reboot) with priority 255 (never
#      key server): wpa_supplicant is elected, distributes a new SAK that
#      Mamori unwraps and uses; Mamori's pings get replies under that SAK.
# GCM-AES-256 is not tried against Linux: wpa_supplicant 2.10's macsec_linux
# driver ignores the cipher suite (set_current_cipher_suite is a no-op), so
# its macsec device stays GCM-AES-128 and refuses a 32-byte SAK. test_mka
# covers GCM-AES-256 between two Mamori actors.
# No Bochs, no slot needed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-net.sh"

PEER_PROG=$REPO/build/tests/net/mka_peer
GUEST=$REPO/build/guest
KVER=$(cat "$GUEST/kernel/kver" 2>/dev/null || true)
KERNEL=$GUEST/kernel/boot/vmlinuz-$KVER
need_file "$PEER_PROG"
need_file "$GUEST/initrd.img"
need_file "$KERNEL"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (tools/deps.sh)"
command -v wpa_supplicant >/dev/null || fail "wpa_supplicant missing (tools/deps.sh: wpasupplicant)"
[ "$(id -u)" = 0 ] || fail "needs root (network namespace, tap, raw socket)"

CAK=135bd758b0ee5c11c55ff6ab19fdb199
CKN=96437a93ccf10d9dfe347846cce52c7d9f3c5a6b1e2d4f8071a3b5c7d9e1f203
BAD_CAK=135bd758b0ee5c11c55ff6ab19fdb198
NS=mamori-macsec-$$
TAP=mtap0
MAC=02:4d:4d:00:00:01

# The peer's initramfs: the test guest's, plus wpa_supplicant, iproute2's ip
# (for `ip macsec show`), their libraries, and the scenario (lib-net.sh).
net_macsec_peer_initrd "$CAK" "$CKN" 32 ""

qpid=
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$NS" || fail "cannot create network namespace $NS"
ip -n "$NS" tuntap add "$TAP" mode tap || fail "cannot create $TAP"
ip -n "$NS" link set "$TAP" up
ip -n "$NS" link set lo up

# TCG: this machine's /dev/kvm is a software KVM that hangs this guest.
accel=tcg
log=$E2E_OUT/peer.log
rm -f "$log"
echo "peer: QEMU ($accel), Linux $KVER, wpa_supplicant $(wpa_supplicant -v | sed -n 's/^wpa_supplicant v//p')"
ip netns exec "$NS" timeout "$(_scaled 150)" qemu-system-x86_64 -machine q35,accel=$accel \
	-m 512 -smp 1 -nodefaults -display none -no-reboot \
	-kernel "$KERNEL" -initrd "$E2E_OUT/peer-initrd.img" \
	-append "console=ttyS0,115200 loglevel=4 mamori.modules=e1000,macsec" \
	-netdev tap,id=n0,ifname=$TAP,script=no,downscript=no \
	-device e1000,netdev=n0,mac=52:54:00:4d:00:02 \
	-serial file:"$log" </dev/null >"$E2E_OUT/qemu.out" 2>&1 &
qpid=$!

wait_for() {	# PATTERN SECONDS
	t=0
	while ! grep -qa "$1" "$log" 2>/dev/null; do
		kill -0 "$qpid" 2>/dev/null || fail "peer VM ended before '$1' ($(tail -3 "$log" | tr -d '\r'))"
		[ "$t" -lt "$(_scaled "$2")" ] || fail "peer: no '$1' within $2 s"
		sleep 1
		t=$((t + 1))
	done
}
wait_for PEER-WPA-UP 90
grep -a PEER-WPA-UP "$log" | tr -d '\r'

peer() {	# CAK SECONDS OUTFILE PRIO [OPTIONS] (ip netns exec execs: one process)
	cak=$1 secs=$2 out=$3 prio=$4
	shift 4
	exec ip netns exec "$NS" "$PEER_PROG" --if "$TAP" --mac "$MAC" --ip 192.0.2.1 \
		--peer-ip 192.0.2.2 --cak "$cak" --ckn "$CKN" --prio "$prio" --seconds "$secs" \
		"$@" >"$out" 2>&1
}
field() {	# FILE KEY
	awk -v k="$2" '$1 == "MKA-PEER" { for (i = 2; i <= NF; i++) { split($i, kv, "=")
		if (kv[1] == k) print kv[2] } }' "$1"
}
want() {	# FILE KEY OP VALUE WHAT
	v=$(field "$1" "$2")
	[ -n "$v" ] || fail "$5: no $2 in $(basename "$1")"
	[ "$v" "$3" "$4" ] || fail "$5: $2=$v, want $3 $4 ($(grep MKA-PEER "$1"))"
}

echo "phase 1: Mamori end with the wrong CAK, 8 s"
(peer "$BAD_CAK" 8 "$E2E_OUT/wrong-cak.out" 16)
grep -a MKA-PEER "$E2E_OUT/wrong-cak.out"
W=$E2E_OUT/wrong-cak.out
want "$W" live = 0 "wrong CAK"
want "$W" secured = 0 "wrong CAK"
want "$W" saks_made = 0 "wrong CAK"
want "$W" mkpdu_ok = 0 "wrong CAK"
want "$W" mkpdu_bad_icv -ge 2 "wrong CAK"
want "$W" macsec_ok = 0 "wrong CAK"
want "$W" tx_protected = 0 "wrong CAK"
want "$W" echo_answered = 0 "wrong CAK"

echo "phase 2: the right CAK"
(peer "$CAK" "$(_scaled 90)" "$E2E_OUT/right-cak.out" 16 --until-replies 3) &
ppid=$!
wait_for PEER-SAK 100
wait "$ppid" 2>/dev/null || true
R=$E2E_OUT/right-cak.out
grep -a 'mka_peer:\|MKA-PEER' "$R"
sed -n '/PEER-PING/,/PEER-SAK/p' "$log" | tr -d '\r'

grep -qa "PEER-PING ok=5 " "$log" || fail "the Linux peer's pings over macsec did not get 5 answers ($(grep -a PEER-PING "$log" | tr -d '\r'))"
want "$R" live = 1 "right CAK"
want "$R" key_server = 1 "right CAK"
want "$R" secured = 1 "right CAK"
want "$R" saks_made -ge 1 "right CAK"
want "$R" echo_answered -ge 5 "right CAK"
want "$R" echo_replies -ge 3 "right CAK"
want "$R" bad_icv = 0 "right CAK"
want "$R" mkpdu_bad_icv = 0 "right CAK"
# Linux's side: an RX SA from Mamori's SCI (MAC + port 1) and the SAK in use.
sci=$(echo "$MAC" | tr -d :)0001
grep -qai "$sci" "$log" || fail "peer's ip macsec show lists no RXSC for $sci"
grep -qa "PEER-WPA-BAD-ICV [1-9]" "$log" || fail "wpa_supplicant did not refuse the wrong-CAK MKPDUs by ICV"
sak1=$(sed -n 's/^PEER-SAK \([0-9a-f]*\).*/\1/p' "$log" | head -1)
[ -n "$sak1" ] || fail "no PEER-SAK"

echo "phase 3: Mamori restarts with priority 255; wpa_supplicant is key server"
(peer "$CAK" "$(_scaled 40)" "$E2E_OUT/follower.out" 255 --until-replies 3 \
	--peer-mac 52:54:00:4d:00:02)
F=$E2E_OUT/follower.out
grep -a 'mka_peer:\|MKA-PEER' "$F"
want "$F" live = 1 "follower"
want "$F" key_server = 0 "follower"
want "$F" secured = 1 "follower"
want "$F" saks_made = 0 "follower"
want "$F" saks_installed -ge 1 "follower"
want "$F" echo_replies -ge 3 "follower"
want "$F" bad_icv = 0 "follower"
t=0
while [ "$(grep -ca '^PEER-SAK' "$log")" -lt 2 ]; do
	[ "$t" -lt 10 ] || fail "peer shows no second SAK after phase 3"
	sleep 1
	t=$((t + 1))
done
sak2=$(sed -n 's/^PEER-SAK \([0-9a-f]*\).*/\1/p' "$log" | sed -n 2p)
echo "peer's transmit SA keys: phase 2 $sak1, phase 3 $sak2"
[ "$sak1" != "$sak2" ] || fail "phase 3 reused the phase 2 SAK"

grep -a '^PEER-SAK' "$log" | tr -d '\r'
pass
