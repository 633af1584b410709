#!/bin/sh
# Review finding 2: an ata rule on IDE controller 1. The ata intercept takes
# over controller 0 only, so nothing would enforce the rule: the VMM refuses the
# policy naming the rule and the controller, the loader halts.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"

dev_policy_with "$E2E_OUT/ctl1.bin" \
	'disk ata controller=1 channel=0 device=master lba=0-2048 key=disk0'

e2e_boot --policy "$E2E_OUT/ctl1.bin" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 'disk: rule [0-9]+: ata controller 1 is not intercepted' \
	"no refusal naming the rule on the unintercepted controller"
expect_no_log com2 'rule inactive' "the rule was taken as inactive"
expect_log com1 'VMM refused to start: a disk rule of the policy cannot be enforced \(status 10\)' \
	"the loader did not halt with the disk refusal"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
