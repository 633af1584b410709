#!/bin/sh
# Review finding 2: a signed policy with an nvme rule. No intercept serves NVMe
# disks, so the rule would be "encrypted" in the log and plaintext on the disk:
# the VMM refuses the policy naming the rule, the loader halts, Linux never boots.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"

dev_policy_with "$E2E_OUT/nvme.bin" 'disk nvme namespace=1 lba=0-2048 key=disk0'

e2e_boot --policy "$E2E_OUT/nvme.bin" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 'policy: secrets unlocked' "the policy was not unlocked"
expect_log com2 'disk: rule [0-9]+: no intercept enforces nvme rules' \
	"no refusal naming the nvme rule"
expect_no_log com2 'rule inactive' "the nvme rule was taken as inactive"
expect_log com1 'VMM refused to start: a disk rule of the policy cannot be enforced \(status 10\)' \
	"the loader did not halt with the disk refusal"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
