#!/bin/sh
# Issue 12, fail closed: a signed policy asking for network mode encrypt.
# This build has no MACsec layer wired in, so the VMM refuses the policy
# before the passphrase prompt, naming the rule, and the loader halts; a NIC
# must never run "encrypted" in the log and plain on the wire.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-policy.sh"

dev_policy_with "$E2E_OUT/encrypt.bin" \
	'network e1000 bdf=00:02.0 mode=encrypt peer=52:54:00:12:34:56 key=net0' \
	'key net0 = random:32'

e2e_boot --policy "$E2E_OUT/encrypt.bin" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 'policy: refused: record [0-9]+ \(network\) asks e1000 00:02\.0 for mode encrypt, but this build has no MACsec layer' \
	"no refusal naming the encrypt rule"
expect_no_log com2 'passphrase:' "the VMM asked for a passphrase for an unenforceable policy"
expect_log com1 'VMM refused to start: policy .*\(status 7\)' "the loader did not halt with the policy refusal"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
