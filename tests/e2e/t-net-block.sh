#!/bin/sh
# Issue 12, block: the development policy without its network rule (it
# encrypts the e1000) names no NIC, so the policy-wide default, block, holds
# for Bochs's 82540EM. The VMM intercepts it (BAR0
# trapped, rings shadowed), the guest's Linux e1000 driver sees no link, and
# the capture on the tap's side sees no frame from the guest's MAC, while
# marker frames sent towards the guest never reach it (rx_packets stays 0).
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"
. "$E2E_DIR/lib-net.sh"
net_ns_enter "$@"
DEV_POLICY_NO_NET=1 dev_policy_with "$E2E_OUT/block.bin"
net_tap_up

net_boot --policy "$E2E_OUT/block.bin" --timeout 1050 --until 'mamori: halted'
net_capture_stop
expect_log com2 'net: e1000 00:[0-9a-f]{2}\.0: mode block' "the NIC did not get the default block mode"
expect_log com2 'e1000 00:[0-9a-f]{2}\.0: intercepted, BAR0 0x[0-9a-f]+, mode block' \
	"the e1000 was not intercepted"
expect_log com2 'net: every NIC is served by an intercept' "no coverage line"
expect_log com1 'E2E-NET: eth0 02:4d:4d:00:00:01 carrier=0' "the guest saw its link up"
expect_log com1 'E2E-NET-PING=fail' "the ping went through"
expect_log com1 'E2E-NET: rx_packets=0 ' "frames reached the guest"
expect_log com1 'E2E-NET-DONE' "the scenario did not finish"
[ "$(net_count markers)" -gt 10 ] || fail "the capture sent too few markers towards the guest"
[ "$(net_count from_guest)" = 0 ] || fail "$(net_count from_guest) frames left the guest in block mode"
expect_rc 0
pass
