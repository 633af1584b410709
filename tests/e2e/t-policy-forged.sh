#!/bin/sh
# Issue 5: a policy signed by a key the VMM does not trust is refused before
# any passphrase prompt; the VMM names the signer, the loader halts.
. "$(dirname "$0")/lib.sh"

need_file "$REPO/build/mamori-policy"
tool=$REPO/build/mamori-policy
"$tool" keygen --key "$E2E_OUT/other.key" --pub "$E2E_OUT/other.pub" --force >/dev/null ||
	fail "mamori-policy keygen failed"
MAMORI_E2E_PASS=mamori-dev "$tool" build --key "$E2E_OUT/other.key" \
	--passphrase-env MAMORI_E2E_PASS -o "$E2E_OUT/forged.bin" "$REPO/mgmt/dev-policy.txt" \
	>/dev/null || fail "mamori-policy build with the other key failed"
fpr=$("$tool" export-pubkey --format fingerprint "$E2E_OUT/other.pub" | sed 's/^sha256://' | cut -c1-16)
[ -n "$fpr" ] || fail "test bug: no fingerprint for the other key"

e2e_boot --policy "$E2E_OUT/forged.bin" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com2 "policy: refused: signed by key $fpr\.\.\., not the trusted key" \
	"no refusal naming the untrusted signer $fpr"
expect_no_log com2 'passphrase:' "the VMM asked for a passphrase for a forged policy"
expect_log com1 'VMM refused to start: policy .*status 7.*halt' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
