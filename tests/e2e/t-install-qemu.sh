#!/bin/sh
# mamori-install on a real UEFI with persistent variables: QEMU (TCG) q35 with
# OVMF_CODE_4M.fd and a writable copy of OVMF_VARS_4M.fd, booting the test
# image WITHOUT Mamori (\EFI\BOOT\BOOTX64.EFI := GRUB). One QEMU process, four
# boots; the scenario tells them apart by a marker it writes on the ESP:
#  boot 1 (Linux): check fails (TCG has no VT-x) with exit 1; install without
#   --force refuses and changes nothing; install --force copies the set and
#   creates the entry, Mamori first in BootOrder, the OS's entry after it
#   (read back with efibootmgr -v, not with mamori-install's own parser);
#   install --force again changes nothing; BootNext := the OS's own entry (what
#   picking it in the firmware's boot menu does); reboot.
#  boot 2 (Linux through the fallback entry, Mamori installed): BootNext
#   consumed, BootOrder still Mamori first; uninstall restores BootOrder and
#   removes entry and files; reboot.
#  boot 3 (Linux, directly: the firmware's order is the old one): install
#   --force again; reboot.
#  boot 4: the firmware starts Mamori's loader from the new entry; the loader
#   loads the next stage named by next= (a missing one would halt before the
#   VMM), starts the VMM, which verifies the installed policy, takes the
#   passphrase on COM2 and refuses at its VT-x probe. That is the end point.
# No Bochs.
. "$(dirname "$0")/lib.sh"

CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
SET=$REPO/build/install
need_file "$CODE"
need_file "$VARS"
need_file "$E2E_IMAGE"
for f in mamori-install mamori-policy mamori.efi vmm.elf policy.bin; do
	need_file "$SET/$f"
done
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
EFIBOOTMGR=$(command -v efibootmgr) || fail "efibootmgr missing (apt-get install efibootmgr)"
command -v mcopy >/dev/null || fail "mtools missing"

# the disk: the test image, the ESP's BOOTX64.EFI replaced by GRUB, \EFI\mamori\ removed, the scenario
# cpio holding the install set, efibootmgr and its libraries
disk=$E2E_OUT/disk.img
cp --sparse=always "$E2E_IMAGE" "$disk"
start=$(sgdisk -i 1 "$disk" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
[ -n "$start" ] || fail "cannot find the ESP in $disk"
esp="$disk@@$((start * 512))"
mcopy -o -n -i "$esp" ::/EFI/debian/grubx64.efi ::/EFI/BOOT/BOOTX64.EFI ||
	fail "cannot replace BOOTX64.EFI"
# a machine without Mamori: no \EFI\mamori\ either
mdeltree -i "$esp" ::/EFI/mamori >/dev/null || fail "cannot remove \\EFI\\mamori from the ESP"

root=$E2E_OUT/scenario-root
rm -rf "$root"
mkdir -p "$root/opt/mamori" "$root/usr/bin"
cp "$SET"/* "$root/opt/mamori/"
cp "$REPO/tests/e2e/scenarios/install-qemu.sh" "$root/scenario"
chmod 755 "$root/scenario"
cp "$EFIBOOTMGR" "$root/usr/bin/efibootmgr"
for lib in $(ldd "$EFIBOOTMGR" "$SET/mamori-policy" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) >"$E2E_OUT/scenario.cpio" ||
	fail "cannot build the scenario cpio"
mcopy -o -n -i "$esp" "$E2E_OUT/scenario.cpio" ::/EFI/debian/scenario.cpio ||
	fail "cannot put the scenario on the ESP"

cp "$VARS" "$E2E_OUT/vars.fd"
log=$E2E_OUT/com1.log
log2=$E2E_OUT/com2.log
rm -f "$log" "$log2" "$E2E_OUT/com2.in" "$E2E_OUT/com2.out"
: >"$log"
: >"$log2"
# COM2, the VMM's trusted console: a pipe pair; the passphrase of the
# development policy is typed when it asks (boot 4).
mkfifo "$E2E_OUT/com2.in" "$E2E_OUT/com2.out" || fail "mkfifo failed"
t0=$(date +%s)
# i440FX with the disk as the primary IDE master, as in Bochs (the development
# policy's disk rule names ATA channel 0, master). No bootindex: OVMF would
# then reorder BootOrder from QEMU's list at each boot. -cpu max: AES-NI for
# the disk rule (TCG offers no VMX in any model).
qemu-system-x86_64 -machine pc,accel=tcg -cpu max -m 1024 -nic none -display none \
	-drive if=pflash,format=raw,readonly=on,file="$CODE" \
	-drive if=pflash,format=raw,file="$E2E_OUT/vars.fd" \
	-drive if=ide,index=0,format=raw,file="$disk" \
	-serial file:"$log" -chardev pipe,id=com2,path="$E2E_OUT/com2" -serial chardev:com2 \
	</dev/null >"$E2E_OUT/qemu.out" 2>&1 &
qpid=$!
echo "$qpid" >"$E2E_OUT/emulator.pid"
cat "$E2E_OUT/com2.out" >"$log2" &
cpid=$!
limit=$(_scaled 900)
end=""
typed=0
while kill -0 "$qpid" 2>/dev/null; do
	if grep -aq 'mamori: the VMM refused to start\|; halt' "$log" ||
	   grep -aq 'MAMORI-SCENARIO-EXIT=[1-9]' "$log"; then
		end=seen
		sleep 2
		break
	fi
	if [ "$typed" = 0 ] && grep -aqi 'passphrase:' "$log2"; then
		printf '%s\r' "$E2E_PASSPHRASE" >"$E2E_OUT/com2.in"
		typed=1
	fi
	[ $(($(date +%s) - t0)) -lt "$limit" ] || { end=timeout; break; }
	sleep 1
done
kill "$qpid" 2>/dev/null || true
wait "$qpid" 2>/dev/null || true
kill "$cpid" 2>/dev/null || true
wait "$cpid" 2>/dev/null || true
secs=$(($(date +%s) - t0))
echo "qemu: $secs s, four boots ($end)"
echo "seconds=$secs" >"$E2E_OUT/timings.txt"
grep -a 'INSTALL-TEST\|MAMORI-GUEST-UP\|^mamori\|Mamori loader\|VMM refused' "$log" | tr -d '\r'
grep -a 'policy:\|vmx:' "$log2" | tr -d '\r'

[ "$end" = timeout ] && fail "timed out after ${secs}s"
grep -aq 'MAMORI-SCENARIO-EXIT=[1-9]' "$log" &&
	fail "the scenario failed: $(grep -a 'INSTALL-TEST: FAIL' "$log" | head -1 | tr -d '\r')"
grep -aq 'INSTALL-TEST: FAIL' "$log" && fail "$(grep -a 'INSTALL-TEST: FAIL' "$log" | head -1 | tr -d '\r')"
for s in 'boot 1: check refused' 'boot 1: install without --force refused' \
	'boot 1: installed' 'boot 1: install again changed nothing' \
	"boot 2: the OS's own entry booted with Mamori installed" 'boot 2: uninstalled' \
	'boot 3: booted directly' 'boot 3: installed'; do
	grep -aq "INSTALL-TEST: PASS $s" "$log" || fail "no \"$s\""
done
[ "$(grep -ac 'MAMORI-GUEST-UP' "$log")" = 3 ] || fail "Linux did not boot exactly three times"
# the firmware's own account (OVMF's "BdsDxe: starting" lines): the OS's
# entry three times (boot 2 through BootNext), then the "Mamori" entry
seq=$(grep -a 'BdsDxe: starting Boot' "$log" | tr -d '\r' |
	sed 's/.*starting \(Boot[0-9A-F]*\) "\([^"]*\)".*/\1 \2/' | tr '\n' ';')
os=$(echo "$seq" | cut -d';' -f1)
[ -n "$os" ] && [ "$(echo "$seq" | cut -d';' -f2)" = "$os" ] && [ "$(echo "$seq" | cut -d';' -f3)" = "$os" ] &&
	[ -z "$(echo "$seq" | cut -d';' -f5)" ] || fail "the firmware started: $seq"
case "$(echo "$seq" | cut -d';' -f4)" in
*" Mamori") ;;
*) fail "boot 4: the firmware started $(echo "$seq" | cut -d';' -f4), not the Mamori entry" ;;
esac
# boot 4: after the third Linux boot, the firmware ran the loader from the entry
tail3=$(awk '/INSTALL-TEST: PASS boot 3: installed/ { on = 1 } on' "$log" | tr -d '\r')
echo "$tail3" | grep -q 'Mamori loader' || fail "boot 4: the firmware did not start Mamori's loader"
echo "$tail3" | grep -q 'MAMORI-GUEST-UP' && fail "boot 4: Linux booted instead of Mamori"
echo "$tail3" | grep -q 'next stage missing' && fail "boot 4: the loader did not find next="
echo "$tail3" | grep -q 'the VMM refused to start: .*(status' ||
	fail "boot 4: the VMM did not reach its refusal"
echo "$tail3" | grep -q 'the VMM refused to start: CPU lacks VT-x' ||
	fail "boot 4: the refusal is not the VT-x one"
# the VMM's own log: the installed policy verified against its key and unlocked,
# then the VT-x probe refused
grep -aq 'policy: version 1 from key .* verified' "$log2" || fail "boot 4: the installed policy did not verify"
grep -aq 'policy: secrets unlocked' "$log2" || fail "boot 4: the policy was not unlocked"
grep -aq 'vmx: CPUID reports no VMX' "$log2" || fail "boot 4: no VT-x refusal in the VMM log"
pass
