#!/bin/sh
# Issue 5: three wrong passphrases on the trusted console: the VMM refuses,
# the loader halts, no scenario runs; the passphrase never reaches the log.
. "$(dirname "$0")/lib.sh"

wrong=not-the-passphrase-4711
e2e_boot --passphrase "$wrong" --scenario "$E2E_DIR/scenarios/boot.sh" --timeout 600 \
	--until 'mamori: halted' --until 'Linux version'
for n in 1 2 3; do
	expect_log com2 "policy: wrong passphrase \(attempt $n of 3\)" "no message for wrong attempt $n"
done
n=$(grep -ac 'passphrase:' "$E2E_OUT/com2.log" || true)
[ "$n" = 3 ] || fail "$n passphrase prompts, want 3"
expect_log com2 'policy: 3 wrong passphrases; not starting the OS' "no final refusal on COM2"
expect_log com1 'VMM refused to start: unlock failed on the trusted console \(status 8\); halt' \
	"the loader did not halt with the unlock failure"
expect_no_log com2 "$wrong" "the typed passphrase appears in the VMM log"
expect_no_log com2 'secrets unlocked' "the secrets were unlocked"
expect_no_log com1 'MAMORI-SCENARIO-START' "the scenario ran"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
