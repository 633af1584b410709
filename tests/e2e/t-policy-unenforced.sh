#!/bin/sh
# Issue 15 (fail closed on coverage): a correctly signed policy with a rule
# this build cannot enforce (a trusted console on COM3, while this build
# prompts on COM2 only; until review 3 it was a monitor section with
# action=halt, now built) is refused before the passphrase prompt; the VMM
# names the section, the loader halts. The old behaviour, a warning and a
# launch, would let the OS boot unprotected.
. "$(dirname "$0")/lib.sh"

need_file "$REPO/build/mamori-policy"
need_file "$REPO/build/keys/policy-dev.key"
tool=$REPO/build/mamori-policy
sed 's/^console uart port=com2 /console uart port=com3 /' "$REPO/mgmt/dev-policy.txt" \
	>"$E2E_OUT/monitor.txt"
grep -q '^console uart port=com3 ' "$E2E_OUT/monitor.txt" || fail "no console line to change"
MAMORI_E2E_PASS=mamori-dev "$tool" build --key "$REPO/build/keys/policy-dev.key" \
	--passphrase-env MAMORI_E2E_PASS -o "$E2E_OUT/monitor.bin" "$E2E_OUT/monitor.txt" \
	>/dev/null || fail "mamori-policy build of the monitor policy failed"

e2e_boot --policy "$E2E_OUT/monitor.bin" --passphrase mamori-dev --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 'policy: version 1 from key .* verified' "the policy was not verified first"
expect_log com2 'policy: refused: section console names uart 0x3e8, but this build prompts on the VMM console UART 0x2f8 only' \
	"no refusal naming the unenforced console section"
expect_no_log com2 'passphrase:' "the VMM asked for a passphrase for an unenforceable policy"
expect_log com1 'VMM refused to start: policy .*halt' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
