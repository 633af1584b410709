#!/bin/sh
# t-install-qemu's guest side (tests/e2e/t-install-qemu.sh says what each boot
# does). The install set is in /opt/mamori; efibootmgr (Debian's) reads the
# variables back independently of mamori-install's own parser.
G=8be4df61-93ca-11d2-aa0d-00e098032b8c
EV=/sys/firmware/efi/efivars
ESP=/boot/efi
MARK=$ESP/mamori-test-phase
MI=/opt/mamori/mamori-install
say() { echo "INSTALL-TEST: $*"; }
bad() { say "FAIL $*"; exit 1; }
good() { say "PASS $*"; }

modprobe -q ata_piix && modprobe -q sd_mod && modprobe -q vfat && modprobe -q nls_cp437 &&
	modprobe -q nls_ascii && modprobe -q efivarfs || bad "modprobe failed"
i=0
while [ ! -e /sys/block/sda/sda1 ] && [ $i -lt 300 ]; do
	usleep 100000
	i=$((i + 1))
done
mount -t efivarfs efivarfs $EV || bad "cannot mount efivarfs"
mkdir -p $ESP && mount -t vfat /dev/sda1 $ESP || bad "cannot mount the ESP"

order() { efibootmgr | sed -n 's/^BootOrder: //p'; }
current() { efibootmgr | sed -n 's/^BootCurrent: //p'; }
# Boot#### entries that start \EFI\mamori\mamori.efi, as efibootmgr -v prints them
mamori_lines() { efibootmgr -v | grep -i 'File(\\EFI\\mamori\\mamori.efi)'; }
finish() { sync; umount $ESP; sync; echo "INSTALL-TEST: rebooting"; reboot -f; sleep 30; }

phase=$(cat $MARK 2>/dev/null)
echo "INSTALL-TEST: phase '${phase:-1}', BootCurrent $(current), BootOrder $(order)"
efibootmgr -v

if [ -z "$phase" ]; then
	o0=$(order)
	cur=$(current)
	[ -n "$o0" ] && [ -n "$cur" ] || bad "boot 1: no BootOrder or BootCurrent"
	$MI check >/tmp/check.out 2>&1
	rc=$?
	cat /tmp/check.out
	[ $rc = 1 ] || bad "boot 1: check exit $rc, want 1 (no VT-x under TCG)"
	grep -q '^FAIL  vt-x' /tmp/check.out || bad "boot 1: check does not fail on VT-x"
	grep -q '^ok    esp-type' /tmp/check.out || bad "boot 1: check did not find the ESP"
	grep -q '^ok    os-loader .*BOOTX64.EFI' /tmp/check.out || bad "boot 1: check did not find the OS loader"
	grep -q '^warn  policy .*signature valid' /tmp/check.out || bad "boot 1: the policy did not verify"
	grep -q '^warn  secure-boot' /tmp/check.out || bad "boot 1: Secure Boot state not reported"
	good "boot 1: check refused (exit 1)"

	$MI install >/tmp/i0.out 2>&1 && bad "boot 1: install without --force succeeded"
	cat /tmp/i0.out
	[ "$(order)" = "$o0" ] && [ -z "$(mamori_lines)" ] && [ ! -e $ESP/EFI/mamori ] ||
		bad "boot 1: the refused install changed something"
	good "boot 1: install without --force refused, nothing changed"

	$MI install --force >/tmp/i1.out 2>&1
	rc=$?
	cat /tmp/i1.out
	[ $rc = 0 ] || bad "boot 1: install --force failed"
	ml=$(mamori_lines)
	echo "$ml"
	[ "$(echo "$ml" | grep -c .)" = 1 ] || bad "boot 1: want one Mamori entry, efibootmgr shows: $ml"
	num=$(echo "$ml" | sed -n 's/^Boot\([0-9A-F]*\).*/\1/p')
	echo "$ml" | grep -q 'HD(1,GPT,' || bad "boot 1: the entry is not on partition 1"
	# efibootmgr -v prints the optional data as dotted UCS-2
	echo "$ml" | grep -q 'n.e.x.t.=.\\.E.F.I.\\.B.O.O.T.\\.B.O.O.T.X.6.4...E.F.I' ||
		bad "boot 1: the entry's load options are not next=\\EFI\\BOOT\\BOOTX64.EFI"
	[ "$(order)" = "$num,$o0" ] || bad "boot 1: BootOrder $(order), want $num,$o0"
	for f in mamori.efi vmm.elf policy.bin; do
		cmp /opt/mamori/$f $ESP/EFI/mamori/$f || bad "boot 1: $f not copied"
	done
	[ ! -e $ESP/EFI/mamori/vmm.elf.sig ] || [ -e /opt/mamori/vmm.elf.sig ] ||
		bad "boot 1: a vmm.elf.sig appeared from nowhere"
	grep -q "^BootOrder $(echo "$o0" | tr -d ' ') -> $num,$o0 " /tmp/i1.out ||
		bad "boot 1: install did not report the BootOrder change"
	good "boot 1: installed as Boot$num, BootOrder $(order)"

	vars=$(ls $EV | sort | md5sum)
	$MI install --force >/tmp/i2.out 2>&1 || { cat /tmp/i2.out; bad "boot 1: second install failed"; }
	cat /tmp/i2.out
	[ "$(order)" = "$num,$o0" ] && [ "$(mamori_lines)" = "$ml" ] && [ "$(ls $EV | sort | md5sum)" = "$vars" ] ||
		bad "boot 1: the second install changed the variables"
	grep -q '^copied\|^created\|^deleted\|^BootOrder ' /tmp/i2.out && bad "boot 1: the second install did something"
	good "boot 1: install again changed nothing"

	# the recovery path: the user picks the OS's own entry in the firmware's
	# menu for one boot, which is what BootNext does
	efibootmgr -q -n "$cur" || bad "boot 1: cannot set BootNext"
	echo "2 $cur $o0 $num" >$MARK
	finish
fi

set -- $phase
if [ "$1" = 2 ]; then
	cur=$2 o0=$3 num=$4
	[ "$(current)" = "$cur" ] || bad "boot 2: BootCurrent $(current), want $cur (the OS's own entry)"
	efibootmgr | grep -q '^BootNext' && bad "boot 2: BootNext was not consumed"
	[ "$(order)" = "$num,$o0" ] || bad "boot 2: BootOrder $(order), want $num,$o0"
	good "boot 2: the OS's own entry booted with Mamori installed (BootCurrent $cur)"
	# running from the fallback entry, check still names the OS loader
	$MI check >/tmp/check2.out 2>&1
	grep -q '^ok    os-loader .*BOOTX64.EFI' /tmp/check2.out || { cat /tmp/check2.out; bad "boot 2: check lost the OS loader"; }
	$MI uninstall || bad "boot 2: uninstall failed"
	[ "$(order)" = "$o0" ] || bad "boot 2: BootOrder $(order) after uninstall, want $o0"
	[ -z "$(mamori_lines)" ] || bad "boot 2: a Mamori entry is left"
	[ ! -e "$EV/Boot$num-$G" ] || bad "boot 2: Boot$num still exists"
	[ ! -e $ESP/EFI/mamori ] || bad "boot 2: $ESP/EFI/mamori is left"
	$MI uninstall | grep -q 'nothing to do' || bad "boot 2: a second uninstall did something"
	good "boot 2: uninstalled, BootOrder $(order) as before"
	echo "3 $cur $o0" >$MARK
	finish
fi
set -- $phase
[ "$1" = 3 ] || bad "unknown phase '$phase'"
[ "$(current)" = "$2" ] || bad "boot 3: BootCurrent $(current), want $2 (the OS's entry)"
[ "$(order)" = "$3" ] || bad "boot 3: BootOrder $(order), want $3"
good "boot 3: booted directly (BootCurrent $2)"
echo 4 >$MARK
$MI install --force || bad "boot 3: install --force failed"
num=$(mamori_lines | sed -n 's/^Boot\([0-9A-F]*\).*/\1/p')
[ "$(order)" = "$num,$3" ] || bad "boot 3: BootOrder $(order), want $num,$3"
efibootmgr -v | grep -q "^Boot$2" || bad "boot 3: the OS's entry Boot$2 is gone"
good "boot 3: installed as Boot$num, BootOrder $(order); the OS's Boot$2 kept as fallback"
finish
