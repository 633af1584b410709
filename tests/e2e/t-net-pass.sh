#!/bin/sh
# Issue 12, pass: a policy that passes the 82540EM explicitly (unprotected).
# Frames go through the VMM's shadow rings unchanged: the guest pings the
# tap's side and gets its replies, the capture sees the guest's frames and
# the guest counts the markers sent towards it; 1 MiB goes each way over TCP
# (Linux's e1000 driver uses TSO: the VMM segments in software) and arrives
# with the sender's SHA-256.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"
. "$E2E_DIR/lib-net.sh"
net_ns_enter "$@"
dev_policy_with "$E2E_OUT/pass.bin" 'network default mode=pass'
net_tap_up
net_peer_up

net_boot --policy "$E2E_OUT/pass.bin" --timeout 1050 --until 'mamori: halted'
net_capture_stop
expect_log com2 'net: default mode pass' "the policy's default was not read"
expect_log com2 'e1000 00:[0-9a-f]{2}\.0: intercepted, BAR0 0x[0-9a-f]+, mode pass' \
	"the e1000 was not intercepted in pass mode"
expect_log com1 'E2E-NET: eth0 02:4d:4d:00:00:01 carrier=1' "the guest saw no link"
expect_log com1 'E2E-NET-PING=ok' "the ping failed"
expect_log com1 'E2E-NET-DONE' "the scenario did not finish"
[ "$(net_count from_guest)" -ge 4 ] || fail "only $(net_count from_guest) frames from the guest"
[ "$(net_count to_guest)" -ge 3 ] || fail "only $(net_count to_guest) replies towards the guest"
grep -q 'E2E-NET: rx_packets=[1-9]' "$E2E_OUT/com1.log" || fail "the guest received nothing"
expect_no_log com2 'e1000 .*refused' "the intercept refused something Linux's driver did"
out=$(sed -n 's/.*E2E-NET: out-sha256 \([0-9a-f]*\).*/\1/p' "$E2E_OUT/com1.log")
in=$(sed -n 's/.*E2E-NET: in-sha256 \([0-9a-f]*\) .*/\1/p' "$E2E_OUT/com1.log")
[ -n "$out" ] && grep -q "^recv-sha256 $out" "$E2E_OUT/peer.txt" ||
	fail "the guest's 1 MiB did not arrive intact ($(cat "$E2E_OUT/peer.txt" 2>/dev/null))"
[ -n "$in" ] && grep -q "^sent-sha256 $in" "$E2E_OUT/peer.txt" ||
	fail "the peer's 1 MiB did not reach the guest intact (guest: $in)"
expect_rc 0
pass
