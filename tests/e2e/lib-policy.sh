# Signed variants of the development policy for refusal tests (sourced after lib.sh).

# dev_policy_with OUT LINE...: mgmt/dev-policy.txt plus LINEs, signed with the
# development key and sealed with the development passphrase, into OUT. When
# a LINE is a `network` rule, the development policy's own network rule (the
# e1000's encrypt rule) and its key net0 are left out: the test's replace them;
# DEV_POLICY_NO_NET=1 leaves them out without replacing them (no network
# section: every NIC gets the default, block).
dev_policy_with() {
	out=$1
	shift
	need_file "$REPO/build/mamori-policy"
	need_file "$REPO/build/keys/policy-dev.key"
	drop=${DEV_POLICY_NO_NET:+'^(network |key net0 )'}
	for l in "$@"; do
		case "$l" in network\ *) drop='^(network |key net0 )' ;; esac
	done
	{ grep -Ev "${drop:-^\$}" "$REPO/mgmt/dev-policy.txt"; printf '%s\n' "$@"; } >"$out.txt"
	MAMORI_E2E_PASS=$E2E_PASSPHRASE "$REPO/build/mamori-policy" build \
		--key "$REPO/build/keys/policy-dev.key" --passphrase-env MAMORI_E2E_PASS \
		-o "$out" "$out.txt" >/dev/null || fail "mamori-policy build of $out.txt failed"
}
