#!/bin/sh
# The authenticated boot chain under QEMU (TCG, q35) with Debian's OVMF
# Secure Boot build (snakeoil PK/KEK/db) and, once, plain OVMF. QEMU has no
# VMX, so a boot that gets through every check ends at the VMM's VT-x probe:
# "the VMM refused to start: CPU lacks VT-x" is the expected last line, and it
# proves each step before it (firmware -> loader -> vmm.elf -> policy).
#   sb-genuine     loader signed with the snakeoil key: runs, says Secure Boot
#                  is on, verifies vmm.elf, the VMM logs the chain verified and
#                  refuses at its VT-x probe
#   sb-unsigned    unsigned loader: the firmware refuses it (no loader banner)
#   sb-otherkey    loader signed by a key not in db: the firmware refuses it
#   vmm-flipped    one byte of vmm.elf changed: the loader refuses, "does not verify"
#   vmm-otherkey   a valid vmm.elf signed with another key: "signed by another key"
#   vmm-nosig      no vmm.elf.sig: "no signature"
#   vmm-oldsvn     vmm.elf validly signed by the trusted key with a security
#                  version below the loader's built-in minimum: "rollback"
#   vmm-badelf     a malformed ELF validly signed: passes the signature, the ELF
#                  checks refuse it ("magic"): they still run after the signature
#   sb-off         plain OVMF, unsigned loader: loud warning on the console and
#                  in the VMM log, and it goes on to the VT-x probe
# Each boot is killed as soon as its last line appears (a few seconds each).
# No Bochs, no slot needed.
. "$(dirname "$0")/lib.sh"

SB_CODE=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd
SB_VARS=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
SNAKEOIL_KEY=/usr/share/ovmf/PkKek-1-snakeoil.key	# passphrase "snakeoil" (README.Debian)
SNAKEOIL_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem
LOADER=$REPO/build/mamori-unsigned.efi
SIGN=$REPO/tools/vmm-sign.py
for f in "$SB_CODE" "$SB_VARS" "$CODE" "$VARS" "$SNAKEOIL_KEY" "$SNAKEOIL_CERT" "$LOADER" \
	"$REPO/build/vmm.elf" "$REPO/build/vmm.elf.sig" "$REPO/build/keys/vmm-dev.key" \
	"$REPO/build/keys/policy-dev.key" "$REPO/build/mamori-policy"; do
	need_file "$f"
done
for c in qemu-system-x86_64 mcopy sbsign openssl; do
	command -v $c >/dev/null || fail "$c missing (tools/deps.sh)"
done
O=$E2E_OUT
: >"$O/com1.log"
: >"$O/com2.log"

# ---- inputs, made here from the build and Debian's snakeoil pair ----------
openssl pkey -in "$SNAKEOIL_KEY" -passin pass:snakeoil -out "$O/snakeoil.key" 2>/dev/null ||
	fail "cannot decrypt the snakeoil key"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$O/other-sb.key" -out "$O/other-sb.crt" \
	-subj "/CN=not in db" -days 1 2>/dev/null || fail "cannot make another Secure Boot key"
sbsign --key "$O/snakeoil.key" --cert "$SNAKEOIL_CERT" --output "$O/loader-snakeoil.efi" \
	"$LOADER" >/dev/null 2>&1 || fail "sbsign with the snakeoil key failed"
sbsign --key "$O/other-sb.key" --cert "$O/other-sb.crt" --output "$O/loader-other.efi" \
	"$LOADER" >/dev/null 2>&1 || fail "sbsign with another key failed"
cp "$LOADER" "$O/loader-unsigned.efi"

# vmm.elf variants (signed at the loader's built-in minimum svn unless said)
MIN_SVN=$(sed -n 's/^const u64 vmm_min_svn = \([0-9]*\);$/\1/p' "$REPO/build/gen/vmm_sign_pubkey.c")
[ -n "$MIN_SVN" ] && [ "$MIN_SVN" -gt 0 ] || fail "no vmm_min_svn > 0 in build/gen/vmm_sign_pubkey.c"
cp "$REPO/build/vmm.elf" "$O/vmm-flipped.elf"
printf '\001' | dd of="$O/vmm-flipped.elf" bs=1 seek=8192 conv=notrunc status=none
"$SIGN" keygen "$O/other-vmm.key" --force || fail "vmm-sign keygen failed"
cp "$REPO/build/vmm.elf" "$O/vmm-other.elf"
"$SIGN" sign --key "$O/other-vmm.key" --svn "$MIN_SVN" -o "$O/vmm-other.elf.sig" "$O/vmm-other.elf" ||
	fail "vmm-sign sign failed"
cp "$REPO/build/vmm.elf" "$O/vmm-oldsvn.elf"
"$SIGN" sign --key "$REPO/build/keys/vmm-dev.key" --svn $((MIN_SVN - 1)) \
	-o "$O/vmm-oldsvn.elf.sig" "$O/vmm-oldsvn.elf" || fail "vmm-sign sign failed"
"$SIGN" verify --key "$REPO/build/keys/vmm-dev.key" "$O/vmm-oldsvn.elf" "$O/vmm-oldsvn.elf.sig" \
	>/dev/null || fail "the older-svn signature does not verify by itself"
cp "$REPO/build/vmm.elf" "$O/vmm-badelf.elf"
printf 'X' | dd of="$O/vmm-badelf.elf" bs=1 seek=1 conv=notrunc status=none
"$SIGN" sign --key "$REPO/build/keys/vmm-dev.key" --svn "$MIN_SVN" \
	-o "$O/vmm-badelf.elf.sig" "$O/vmm-badelf.elf" ||
	fail "vmm-sign sign failed"

# A policy the VMM accepts without a passphrase or disk (only the console).
printf 'version 1\nconsole uart port=com2 baud=115200\n' >"$O/policy.txt"
"$REPO/build/mamori-policy" build --key "$REPO/build/keys/policy-dev.key" \
	-o "$O/policy.bin" "$O/policy.txt" >/dev/null || fail "mamori-policy build failed"

# esp LOADER VMM SIG: a fresh ESP in $O/esp.img. The next stage is only
# loaded (LoadImage), never started: a snakeoil-signed copy of the loader.
esp() {
	rm -f "$O/esp.img"
	truncate -s 16M "$O/esp.img"
	mkfs.vfat -n CHAINTEST "$O/esp.img" >/dev/null || fail "mkfs.vfat failed"
	mmd -i "$O/esp.img" ::/EFI ::/EFI/BOOT ::/EFI/mamori ::/EFI/debian || fail "mmd failed"
	mcopy -i "$O/esp.img" "$1" ::/EFI/BOOT/BOOTX64.EFI &&
		mcopy -i "$O/esp.img" "$2" ::/EFI/mamori/vmm.elf &&
		mcopy -i "$O/esp.img" "$O/policy.bin" ::/EFI/mamori/policy.bin &&
		mcopy -i "$O/esp.img" "$O/loader-snakeoil.efi" ::/EFI/debian/grubx64.efi ||
		fail "mcopy failed"
	[ -z "$3" ] || mcopy -i "$O/esp.img" "$3" ::/EFI/mamori/vmm.elf.sig || fail "mcopy failed"
}

# boot NAME CODE VARS UNTIL: one boot of $O/esp.img, killed once COM1 matches
# the extended regex UNTIL (or after the time limit); logs $O/NAME.com{1,2}.
boot() {
	name=$1 code=$2 vars=$3 until=$4
	cp "$vars" "$O/vars.fd"
	c1=$O/$name.com1 c2=$O/$name.com2
	rm -f "$c1" "$c2"
	: >"$c1"
	limit=$(_scaled 90)
	start=$(date +%s)
	qemu-system-x86_64 -machine q35,smm=on,accel=tcg -m 256 -nic none -display none \
		-no-reboot -global driver=cfi.pflash01,property=secure,value=on \
		-drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
		-drive if=pflash,format=raw,unit=1,file="$O/vars.fd" \
		-drive if=none,id=esp,format=raw,file="$O/esp.img" \
		-device ide-hd,drive=esp,bus=ide.0,bootindex=1 \
		-serial file:"$c1" -serial file:"$c2" </dev/null >"$O/$name.qemu" 2>&1 &
	qpid=$!
	while kill -0 $qpid 2>/dev/null && ! tr -d '\r' <"$c1" | grep -aEq "$until"; do
		[ $(($(date +%s) - start)) -lt "$limit" ] || break
		sleep 0.5
	done
	sleep 0.5
	kill $qpid 2>/dev/null || true
	wait $qpid 2>/dev/null || true
	echo "qemu: $name: $(($(date +%s) - start)) s"
	for n in 1 2; do
		{ echo "==== $name"; tr -d '\r' <"$O/$name.com$n"; } >>"$O/com$n.log"
	done
}

# has NAME COM REGEX MESSAGE / hasnt ...: checks on one boot's log.
has() {
	tr -d '\r' <"$O/$1.$2" | grep -aEq "$3" || fail "$1: $4"
}
hasnt() {
	! tr -d '\r' <"$O/$1.$2" | grep -aEq "$3" || fail "$1: $4"
}

HALT='mamori: halted'
FW_REFUSED='failed to load Boot[0-9A-F]+ "UEFI QEMU HARDDISK[^"]*" .*: (Access Denied|Security Violation)'
NOVMX='the VMM refused to start: CPU lacks VT-x'
SIGOK='vmm.elf: signature verified'

# (a) the genuine chain, Secure Boot on
esp "$O/loader-snakeoil.efi" "$REPO/build/vmm.elf" "$REPO/build/vmm.elf.sig"
boot sb-genuine "$SB_CODE" "$SB_VARS" "$HALT"
has sb-genuine com1 'Mamori loader' "the firmware did not run the snakeoil-signed loader"
has sb-genuine com1 'Secure Boot: on' "the loader did not see Secure Boot on"
hasnt sb-genuine com1 'Secure Boot is OFF' "the loader warned about Secure Boot while it is on"
has sb-genuine com1 "$SIGOK" "the genuine vmm.elf did not verify"
has sb-genuine com1 "$SIGOK, .*security version $MIN_SVN \(minimum $MIN_SVN built in" \
	"the loader did not log the genuine vmm.elf's svn and its minimum"
has sb-genuine com2 'boot: chain: Secure Boot on' "the VMM did not log the verified chain"
has sb-genuine com2 'vmx: CPUID reports no VMX' "the VMM did not reach its VT-x probe"
has sb-genuine com1 "$NOVMX" "the last step was not the VT-x refusal"

# (b) the firmware refuses an unsigned loader, and one signed by another key
for v in unsigned other; do
	esp "$O/loader-$v.efi" "$REPO/build/vmm.elf" "$REPO/build/vmm.elf.sig"
	boot sb-$v "$SB_CODE" "$SB_VARS" "$FW_REFUSED"
	has sb-$v com1 "$FW_REFUSED" "the firmware did not refuse the $v loader"
	hasnt sb-$v com1 'Mamori loader' "the firmware ran the $v loader"
done

# (c) the loader refuses tampered vmm.elf files, with the reason
esp "$O/loader-snakeoil.efi" "$O/vmm-flipped.elf" "$REPO/build/vmm.elf.sig"
boot vmm-flipped "$SB_CODE" "$SB_VARS" "$HALT"
has vmm-flipped com1 'refused vmm\.elf: signature: signature does not verify' \
	"a vmm.elf with one byte changed was not refused for its signature"
esp "$O/loader-snakeoil.efi" "$O/vmm-other.elf" "$O/vmm-other.elf.sig"
boot vmm-otherkey "$SB_CODE" "$SB_VARS" "$HALT"
has vmm-otherkey com1 'refused vmm\.elf: signature: signed by another key' \
	"a vmm.elf signed with another key was not refused as such"
esp "$O/loader-snakeoil.efi" "$REPO/build/vmm.elf" ""
boot vmm-nosig "$SB_CODE" "$SB_VARS" "$HALT"
has vmm-nosig com1 'refused vmm\.elf: no signature' "a vmm.elf without signature was not refused"
esp "$O/loader-snakeoil.efi" "$O/vmm-oldsvn.elf" "$O/vmm-oldsvn.elf.sig"
boot vmm-oldsvn "$SB_CODE" "$SB_VARS" "$HALT"
has vmm-oldsvn com1 "refused vmm\.elf: signature: security version $((MIN_SVN - 1)) is below the minimum $MIN_SVN \(an older vmm\.elf: rollback\)" \
	"a validly signed vmm.elf with an older svn was not refused as a rollback"
esp "$O/loader-snakeoil.efi" "$O/vmm-badelf.elf" "$O/vmm-badelf.elf.sig"
boot vmm-badelf "$SB_CODE" "$SB_VARS" "$HALT"
has vmm-badelf com1 "$SIGOK" "the validly signed malformed ELF did not pass the signature"
has vmm-badelf com1 'refused vmm\.elf: .*magic' "the ELF checks did not refuse a bad magic"
for b in vmm-flipped vmm-otherkey vmm-nosig vmm-oldsvn vmm-badelf; do
	has $b com1 'Secure Boot: on' "the loader did not run under Secure Boot"
	has $b com1 "$HALT" "the loader did not halt"
	hasnt $b com2 'mamori: vmm' "the refused VMM ran"
done
for b in vmm-flipped vmm-otherkey vmm-nosig vmm-oldsvn; do
	hasnt $b com1 "$SIGOK" "the loader accepted a tampered vmm.elf"
done

# (d) Secure Boot off: a loud warning, and on to the VT-x probe
esp "$O/loader-unsigned.efi" "$REPO/build/vmm.elf" "$REPO/build/vmm.elf.sig"
boot sb-off "$CODE" "$VARS" "$HALT"
has sb-off com1 'WARNING: \*+ UEFI Secure Boot is OFF' "no Secure Boot warning on the console"
has sb-off com1 'boot chain is UNVERIFIED' "the console warning does not say the chain is unverified"
has sb-off com2 'boot: chain UNVERIFIED' "no warning in the VMM log"
has sb-off com1 "$SIGOK" "vmm.elf was not verified with Secure Boot off"
has sb-off com1 "$NOVMX" "the boot did not go on to the VT-x probe"
pass
