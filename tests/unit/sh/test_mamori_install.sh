#!/bin/sh
# mamori-install check on a made-up machine (MAMORI_PROC/SYSFS/DEV/EFIVARS):
# a GPT disk image made by sgdisk, variables written as efivarfs files, so the
# check's findings can be compared with what was built. Covers what the QEMU
# test (t-install-qemu) does not reach: an Intel CPU with VT-x and EPT, Secure
# Boot on, an OS entry naming a file on the ESP, the OS booted through Mamori's
# own entry (next= taken from it), an OS loader on another partition, an ESP
# of the wrong partition type, a forged policy; and install/uninstall through a
# fake efibootmgr that edits the efivarfs files: the "-- args" of Mamori's entry
# kept (review 2 finding 6), the bypass warning and --no-fallback (finding 1).
# Needs `make all` (build/install/).
set -u
repo=$(cd "$(dirname "$0")/../../.." && pwd)
MI=$repo/mgmt/mamori-install
SET=$repo/build/install
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
failed=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
bad() { echo "[  FAILED  ] $1: $2"; sed 's/^/    /' "$tmp/out"; failed=$((failed + 1)); }
[ -f "$SET/policy.bin" ] && [ -x "$SET/mamori-policy" ] ||
	{ echo "[  FAILED  ] setup: $SET incomplete (run make all)"; exit 1; }
G=8be4df61-93ca-11d2-aa0d-00e098032b8c
ESP_T=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
PU=11111111-2222-3333-4444-555555555555

# machine: disk "vda" with partition 1 (ESP, PARTUUID $PU) and 2 (Linux)
mk_machine() {	# TYPE-GUID-OF-PARTITION-1
	m=$tmp/m; rm -rf "$m"
	mkdir -p "$m/proc" "$m/dev" "$m/esp/EFI/debian" "$m/efivars" "$m/sys/devices/vda/vda1" \
		"$m/sys/devices/vda/queue" "$m/sys/class/block" "$m/sys/firmware/efi"
	truncate -s 8M "$m/dev/vda"
	sgdisk -o -n 1:2048:+4M -t 1:"$1" -u 1:$PU -n 2:0:0 "$m/dev/vda" >/dev/null || exit 1
	echo 1 >"$m/sys/devices/vda/vda1/partition"
	echo 512 >"$m/sys/devices/vda/queue/logical_block_size"
	ln -s ../../devices/vda/vda1 "$m/sys/class/block/vda1"
	ln -s ../../devices/vda "$m/sys/class/block/vda"
	echo "/dev/vda1 /boot/efi vfat rw 0 0" >"$m/proc/mounts"
	printf 'vendor_id\t: GenuineIntel\nflags\t\t: fpu vmx sse2\nvmx flags\t: vnmi ept vpid unrestricted_guest\n' >"$m/proc/cpuinfo"
	echo x >"$m/esp/EFI/debian/shimx64.efi"
	var SecureBoot '\001'
	var SetupMode '\000'
}
# The variable helpers go to a file the fake efibootmgr (below) sources too.
cat >"$tmp/lib.sh" <<'LIB'
var() { printf '\007\000\000\000'"$2" >"$m/efivars/$1-$G"; }
ucs() { printf '%s' "$1" | od -An -v -to1 | awk '{ for (i = 1; i <= NF; i++) printf "\\%s\\000", $i } END { printf "\\000\\000" }'; }
# boot_var NUM DESC FILE [OPTIONAL-DATA] [PARTUUID]: an HD(1,GPT)/File() entry
boot_var() {
	g=${5:-$PU}
	gb=$(echo "$g" | awk -F- '{ s = ""
		for (i = 7; i >= 1; i -= 2) s = s "\\" sprintf("%03o", index("0123456789abcdef", substr($1, i, 1)) * 16 + index("0123456789abcdef", substr($1, i + 1, 1)) - 17)
		print s }')
	# only the first group is byte-swapped by hand; the rest of $PU-style GUIDs
	# used here are symmetric in their byte order tests
	rest=$(echo "$g" | tr -d '-' | cut -c9- | sed 's/../& /g' | awk '{ for (i = 1; i <= NF; i++) printf "\\%03o", index("0123456789abcdef", substr($i, 1, 1)) * 16 + index("0123456789abcdef", substr($i, 2, 1)) - 17 }')
	f=$(ucs "$3")
	flen=$(printf "$f" | wc -c)
	fpl=$((42 + 4 + flen + 4))
	hd='\004\001\052\000\001\000\000\000\000\010\000\000\000\000\000\000\000\040\000\000\000\000\000\000'"$gb$rest"'\002\002'
	fn='\004\004'"\\$(printf '%03o' $((4 + flen)))"'\000'"$f"
	printf '\007\000\000\000\001\000\000\000'"\\$(printf '%03o' $((fpl % 256)))\\$(printf '%03o' $((fpl / 256)))$(ucs "$2")$hd$fn"'\177\377\004\000'"$(if [ -n "${4:-}" ]; then ucs "$4"; fi)" \
		>"$m/efivars/Boot$1-$G"
}
LIB
. "$tmp/lib.sh"
export m G PU
# the mounts file names /boot/efi; the check reads files under it: point it at $m/esp
esp_fix() { sed -i "s|/boot/efi|$m/esp|" "$m/proc/mounts"; }

# 1. a good machine: Intel, VT-x with EPT, Secure Boot on, shim on the ESP
mk_machine "$ESP_T"; esp_fix
var BootCurrent '\001\000'
boot_var 0001 debian '\EFI\debian\shimx64.efi'
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" >"$tmp/out" 2>&1; rc=$?
if [ $rc = 0 ] && grep -q '^ok    vt-x ' "$tmp/out" && grep -q '^ok    vt-x:ept' "$tmp/out" &&
   grep -q '^ok    secure-boot  on' "$tmp/out" && grep -q "^ok    esp .*PARTUUID $PU" "$tmp/out" &&
   grep -q '^ok    esp-type' "$tmp/out" &&
   grep -q '^ok    os-loader    \\EFI\\debian\\shimx64.efi (Boot0001 "debian")' "$tmp/out" &&
   grep -q '^verdict: Mamori can start' "$tmp/out"; then ok good-machine; else bad good-machine "rc=$rc"; fi

# 2. booted through Mamori's own entry: the next stage is its next=
var BootCurrent '\002\000'
boot_var 0002 Mamori '\EFI\mamori\mamori.efi' 'next=\EFI\debian\shimx64.efi'
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" >"$tmp/out" 2>&1; rc=$?
grep -q "^ok    os-loader    \\\\EFI\\\\debian\\\\shimx64.efi (from Boot0002 \"Mamori\" (Mamori's own entry" "$tmp/out" && [ $rc = 0 ] &&
	ok booted-through-mamori || bad booted-through-mamori "rc=$rc"

# 3. the OS loader on another partition: refused, with the reason
var BootCurrent '\003\000'
boot_var 0003 other '\EFI\debian\shimx64.efi' '' 99999999-2222-3333-4444-555555555555
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^FAIL  os-loader .*from partition 99999999-2222-3333-4444-555555555555, not from the ESP' "$tmp/out" &&
	ok loader-elsewhere || bad loader-elsewhere "rc=$rc"

# 4. firmware locked VT-x off: Linux cleared vmx
var BootCurrent '\001\000'
sed -i 's/ vmx / /; /^vmx flags/d' "$m/proc/cpuinfo"
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^FAIL  vt-x .*locked it off in IA32_FEATURE_CONTROL' "$tmp/out" &&
	ok vmx-locked-off || bad vmx-locked-off "rc=$rc"

# 5. the mounted partition is not an ESP (Linux data type)
mk_machine 0FC63DAF-8483-4772-8E79-3D69D8477DE4; esp_fix
var BootCurrent '\001\000'
boot_var 0001 debian '\EFI\debian\shimx64.efi'
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^FAIL  esp-type     partition type 0fc63daf-8483-4772-8e79-3d69d8477de4 is not' "$tmp/out" &&
	ok not-an-esp || bad not-an-esp "rc=$rc"

# 6. a policy that does not verify against vmm.elf's key; Secure Boot off
mk_machine "$ESP_T"; esp_fix
var BootCurrent '\001\000'
var SecureBoot '\000'
boot_var 0001 debian '\EFI\debian\shimx64.efi'
head -c 400 "$SET/policy.bin" >"$tmp/cut.bin"
MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev MAMORI_EFIVARS=$m/efivars \
	"$MI" check --esp "$m/esp" --from "$SET" --policy "$tmp/cut.bin" >"$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q '^FAIL  policy .*does not verify' "$tmp/out" &&
	grep -q '^warn  secure-boot  off:' "$tmp/out" && ok bad-policy || bad bad-policy "rc=$rc"

# ---- review 2 -------------------------------------------------------------------
# A fake efibootmgr on the efivarfs files: -c (HD(1,GPT,$PU)/File(-l), data from
# -@, prepended to BootOrder), -b N -B, -b N -A/-a, -o LIST, -N. Run with -q.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/efibootmgr" <<'FAKE'
#!/bin/sh
. "$FAKE_LIB"
b="" act="" L="" l="" data="" order=""
while [ $# -gt 0 ]; do
	case $1 in
	-q | -d | -p) [ "$1" = -q ] || shift ;;
	-b) b=$2; shift ;;
	-B | -A | -a | -N | -c) act=$1 ;;
	-L) L=$2; shift ;;
	-l) l=$2; shift ;;
	-@) data=$2; shift ;;
	-o) act=-o; order=$2; shift ;;
	*) echo "fake efibootmgr: $1?" >&2; exit 2 ;;
	esac
	shift
done
echo "efibootmgr $act $b" >>"$FAKE_LOG"
f=$m/efivars/Boot$b-$G
le() { for x in $(echo "$1" | tr ',' ' '); do printf "\\%03o\\%03o" $((0x$x % 256)) $((0x$x / 256)); done; }
case $act in
-B) rm "$f" ;;
-N) rm "$m/efivars/BootNext-$G" ;;
-A) printf '\000' | dd of="$f" bs=1 seek=4 conv=notrunc status=none ;;
-a) printf '\001' | dd of="$f" bs=1 seek=4 conv=notrunc status=none ;;
-o) printf '\007\000\000\000'"$(le "$order")" >"$m/efivars/BootOrder-$G" ;;
-c)
	n=0
	while [ -e "$m/efivars/Boot$(printf %04X $n)-$G" ]; do n=$((n + 1)); done
	n=$(printf %04X $n)
	boot_var "$n" "$L" "$l" "$(iconv -f UTF-16LE -t ASCII "$data" | tr -d '\000')"
	old=$(od -An -v -tx1 "$m/efivars/BootOrder-$G" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if (++k > 4) printf "%s", $i }' |
		sed 's/\(..\)\(..\)/\2\1,/g; s/,$//')
	printf '\007\000\000\000'"$(le "$n${old:+,$old}")" >"$m/efivars/BootOrder-$G" ;;
*) exit 2 ;;
esac
FAKE
chmod +x "$tmp/bin/efibootmgr"
export FAKE_LIB=$tmp/lib.sh FAKE_LOG=$tmp/efibootmgr.log
mi() {	# COMMAND ARGS...: mamori-install on the made-up machine, output in $tmp/out
	PATH=$tmp/bin:$PATH MAMORI_PROC=$m/proc MAMORI_SYSFS=$m/sys MAMORI_DEV=$m/dev \
		MAMORI_EFIVARS=$m/efivars "$MI" "$@" --esp "$m/esp" >"$tmp/out" 2>&1
}
active() { od -An -j4 -N1 -tu1 "$m/efivars/Boot$1-$G" | tr -d ' '; }

# 7. finding 6: Mamori's entry passes "-- ... next=..." to the OS loader: check
# names the loader's next= (before "--"), and a reinstall keeps the "-- args"
# (the entry stays as it is, not recreated without them)
mk_machine "$ESP_T"; esp_fix
echo y >"$m/esp/EFI/debian/grubx64.efi"
opts='next=\EFI\debian\shimx64.efi -- quiet next=\EFI\debian\grubx64.efi'
boot_var 0001 debian '\EFI\debian\shimx64.efi'
boot_var 0002 Mamori '\EFI\mamori\mamori.efi' "$opts"
var BootCurrent '\002\000'
var BootOrder '\002\000\001\000'
: >"$FAKE_LOG"
mi check --from "$SET"; rc=$?
[ $rc = 0 ] && grep -q '^ok    os-loader    \\EFI\\debian\\shimx64.efi (from Boot0002.*its arguments: -- quiet next=\\EFI\\debian\\grubx64.efi' "$tmp/out" &&
	ok next-before-dashes || bad next-before-dashes "rc=$rc"
mi install --from "$SET"; rc=$?
[ $rc = 0 ] && [ -e "$m/efivars/Boot0002-$G" ] && ! grep -q -- '-B\|-c' "$FAKE_LOG" &&
	grep -q "^unchanged Boot0002 \"Mamori\": .* $(printf '%s' "$opts" | sed 's/\\/\\\\/g')\$" "$tmp/out" &&
	grep -qx 'args= -- quiet next=\\EFI\\debian\\grubx64.efi' "$m/esp/EFI/mamori/install.txt" &&
	ok reinstall-keeps-args || bad reinstall-keeps-args "rc=$rc $(cat "$FAKE_LOG")"

# 8. finding 1: check warns while the OS's own entry is active; install
# --no-fallback deactivates it (and only it); check then says ok; uninstall
# reactivates it
mk_machine "$ESP_T"; esp_fix
boot_var 0001 debian '\EFI\debian\shimx64.efi'
boot_var 0004 other '\EFI\other\x.efi'
printf '\000' | dd of="$m/efivars/Boot0004-$G" bs=1 seek=4 conv=notrunc status=none
var BootCurrent '\001\000'
var BootOrder '\001\000'
mi check --from "$SET"; rc=$?
[ $rc = 0 ] && grep -q '^warn  bypass       active entries that boot without Mamori: Boot0001 "debian" (\\EFI\\debian\\shimx64.efi); root in this OS can boot one' "$tmp/out" &&
	! grep -q 'Boot0004' "$tmp/out" && ok bypass-warned || bad bypass-warned "rc=$rc"
mi install --from "$SET"; rc=$?
[ $rc = 0 ] && [ "$(active 0001)" = 1 ] && ok install-keeps-fallback || bad install-keeps-fallback "rc=$rc"
mi install --from "$SET" --no-fallback; rc=$?
[ $rc = 0 ] && [ "$(active 0001)" = 0 ] && [ "$(active 0004)" = 0 ] &&
	grep -q '^deactivated Boot0001 "debian"' "$tmp/out" &&
	grep -qx 'deactivated=0001' "$m/esp/EFI/mamori/install.txt" &&
	ok no-fallback || bad no-fallback "rc=$rc"
var BootCurrent '\000\000'
mi check --from "$SET" --next '\EFI\debian\shimx64.efi'; rc=$?
[ $rc = 0 ] && grep -q '^ok    bypass ' "$tmp/out" && ok bypass-closed || bad bypass-closed "rc=$rc"
mi install --from "$SET" --next '\EFI\debian\shimx64.efi'; rc=$?
grep -qx 'deactivated=0001' "$m/esp/EFI/mamori/install.txt" && ok reinstall-remembers ||
	bad reinstall-remembers "rc=$rc"
mi uninstall; rc=$?
[ $rc = 0 ] && [ "$(active 0001)" = 1 ] && [ "$(active 0004)" = 0 ] &&
	grep -q '^reactivated Boot0001' "$tmp/out" && [ ! -e "$m/esp/EFI/mamori" ] &&
	ok uninstall-reactivates || bad uninstall-reactivates "rc=$rc"

echo "[==========] $((pass + failed)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
[ "$failed" = 0 ] || { echo "[  FAILED  ] $failed test(s), listed above."; exit 1; }
