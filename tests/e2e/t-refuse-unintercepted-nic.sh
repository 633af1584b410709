#!/bin/sh
# Issue 12, fail closed on coverage: a PCI NE2000 (Bochs's RTL8029, 10ec:8029),
# a NIC model no intercept serves, under the development policy without its
# network rule (which encrypts 00:02.0, the slot the NE2000 takes), whose
# network default is block. Nothing could keep its frames in, so the VMM
# refuses to launch in the coverage phase and the loader halts; Linux never
# boots. No tap needed: the NIC is attached to Bochs's null network.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"
DEV_POLICY_NO_NET=1 dev_policy_with "$E2E_OUT/block.bin"

e2e_boot --policy "$E2E_OUT/block.bin" --timeout 300 --until 'mamori: halted' --until 'Linux version' \
	--bochs-opt "pci: enabled=1, chipset=i440fx, slot1=ne2k" \
	--bochs-opt "ne2k: enabled=1, mac=02:4d:4d:00:00:02, ethmod=null"
expect_log com2 'net: NIC 00:[0-9a-f]{2}\.0 \(10ec:8029\) is to be blocked, but no intercept serves it; not launching' \
	"no refusal naming the NE2000"
expect_log com2 'mamori: phase coverage failed' "the coverage phase did not stop the boot"
expect_log com1 'VMM refused to start: a NIC the policy blocks or encrypts is not intercepted .*\(status 13\)' \
	"the loader did not halt with the network refusal"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
