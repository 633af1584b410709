#!/bin/sh
# mamori-policy verify --vmm: the policy is checked against the key inside
# vmm.elf. Independent references: the key file's own fingerprint
# (export-pubkey), the symbol's file offset from binutils (nm/readelf, not the
# tool's ELF reader), a policy signed by another key. Needs `make all` (the
# development key build: build/vmm.elf, build/policy.bin, build/mamori-policy).
set -u
repo=$(cd "$(dirname "$0")/../../.." && pwd)
b=$repo/build
P=$b/mamori-policy
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failed=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; failed=$((failed + 1)); }
for f in "$P" "$b/vmm.elf" "$b/policy.bin" "$b/keys/policy-dev.pub"; do
	[ -f "$f" ] || { echo "[  FAILED  ] setup: $f missing (run make all)"; exit 1; }
done

# 1. the genuine pair verifies, and the key named is the key file's
out=$("$P" verify --vmm "$b/vmm.elf" "$b/policy.bin" 2>&1); rc=$?
fpr=$("$P" export-pubkey --format fingerprint "$b/keys/policy-dev.pub")
case "$rc:$out" in
0:*"trusts policy key ${fpr%% *}"*"signature valid"*) ok genuine ;;
*) bad genuine "rc=$rc $out (want key $fpr)" ;;
esac

# 2. a policy signed by another key is rejected (exit 1)
"$P" keygen --key "$tmp/o.key" --pub "$tmp/o.pub" >/dev/null 2>&1
MP=other-passphrase "$P" build --key "$tmp/o.key" --passphrase-env MP -o "$tmp/o.bin" \
	--secrets-out "$tmp/o.sec" "$repo/mgmt/dev-policy.txt" >/dev/null 2>&1
"$P" verify --vmm "$b/vmm.elf" "$tmp/o.bin" >"$tmp/out" 2>&1; rc=$?
[ "$rc" = 1 ] && ok other-signer || bad other-signer "rc=$rc $(cat "$tmp/out")"

# 3. one byte of the built-in key changed (located with binutils): rejected
off=$(readelf -SW "$b/vmm.elf" | awk '$0 ~ /\] \.rodata / { for (i = 1; i <= NF; i++) if ($i == "PROGBITS") { print $(i+1), $(i+2) } }')
addr=$(nm "$b/vmm.elf" | awk '$3 == "policy_pubkey" { print $1 }')
at=$(( 0x${addr} - 0x${off% *} + 0x${off#* } + 20 ))
cp "$b/vmm.elf" "$tmp/v.elf"
printf '\377' | dd of="$tmp/v.elf" bs=1 seek="$at" conv=notrunc 2>/dev/null
"$P" verify --vmm "$tmp/v.elf" "$b/policy.bin" >"$tmp/out" 2>&1; rc=$?
case $rc in 1|5) ok key-byte-changed ;; *) bad key-byte-changed "rc=$rc $(cat "$tmp/out")" ;; esac

# 4. a stripped vmm.elf: a clear error, not a pass
strip -o "$tmp/s.elf" "$b/vmm.elf"
out=$("$P" verify --vmm "$tmp/s.elf" "$b/policy.bin" 2>&1); rc=$?
case "$rc:$out" in 5:*"no symbol table"*) ok stripped ;; *) bad stripped "rc=$rc $out" ;; esac

# 5. truncated anywhere: refused with exit 5, never a crash
size=$(stat -c %s "$b/vmm.elf"); r=ok
for n in 0 10 64 100 4096 $((size / 2)) $((size - 100)) $((size - 1)); do
	head -c "$n" "$b/vmm.elf" >"$tmp/t.elf"
	"$P" verify --vmm "$tmp/t.elf" "$b/policy.bin" >/dev/null 2>&1; rc=$?
	[ "$rc" = 5 ] || r="truncated at $n: rc=$rc"
done
[ "$r" = ok ] && ok truncated || bad truncated "$r"

# 6. --pubkey and --vmm together: usage error
"$P" verify --vmm "$b/vmm.elf" --pubkey "$b/keys/policy-dev.pub" "$b/policy.bin" >/dev/null 2>&1
[ $? = 2 ] && ok both-keys || bad both-keys "not a usage error"

echo "[==========] $((pass + failed)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
[ "$failed" = 0 ] || { echo "[  FAILED  ] $failed test(s), listed above."; exit 1; }
