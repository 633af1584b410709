#!/bin/sh
# Issue 5: one byte changed inside the signed part of the development policy:
# the signature no longer verifies, the VMM refuses, the loader halts.
. "$(dirname "$0")/lib.sh"

need_file "$REPO/build/policy.bin"
bad=$E2E_OUT/policy-corrupt.bin
cp "$REPO/build/policy.bin" "$bad"
# Offset 44: a byte of the first record's payload (header 32 + record header 8).
orig=$(od -An -tu1 -j44 -N1 "$bad" | tr -d ' ')
printf "\\$(printf %o $(((orig + 1) % 256)))" | dd of="$bad" bs=1 seek=44 conv=notrunc status=none
cmp -s "$bad" "$REPO/build/policy.bin" && fail "test bug: the copy was not changed"

e2e_boot --policy "$bad" --timeout 300 --until 'mamori: halted' --until 'Linux version'
expect_log com2 'policy: refused: signature does not verify' "no refusal of the corrupt policy"
expect_no_log com2 'passphrase:' "the VMM asked for a passphrase for a corrupt policy"
expect_log com1 'VMM refused to start: policy .*status 7.*halt' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
