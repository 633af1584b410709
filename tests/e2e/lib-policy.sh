# Signed variants of the development policy for refusal tests (sourced after lib.sh).

# dev_policy_with OUT LINE...: mgmt/dev-policy.txt plus LINEs, signed with the
# development key and sealed with the development passphrase, into OUT.
dev_policy_with() {
	out=$1
	shift
	need_file "$REPO/build/mamori-policy"
	need_file "$REPO/build/keys/policy-dev.key"
	{ cat "$REPO/mgmt/dev-policy.txt"; printf '%s\n' "$@"; } >"$out.txt"
	MAMORI_E2E_PASS=$E2E_PASSPHRASE "$REPO/build/mamori-policy" build \
		--key "$REPO/build/keys/policy-dev.key" --passphrase-env MAMORI_E2E_PASS \
		-o "$out" "$out.txt" >/dev/null || fail "mamori-policy build of $out.txt failed"
}
