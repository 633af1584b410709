#!/bin/sh
# t-vmx: what the guest sees of Mamori, and what it cannot reach even as root.
fail() { echo "E2E-VMX-FAIL: $*"; exit 1; }

sig=$(mamori-io cpuid 0x40000000) || fail "cpuid helper failed"
echo "E2E-VMX: cpuid 0x40000000 = $sig"
case "$sig" in *MamoriMamori*) ;; *) fail "no MamoriMamori signature" ;; esac
grep -qw hypervisor /proc/cpuinfo || fail "no hypervisor flag in /proc/cpuinfo"
grep -qw vmx /proc/cpuinfo && fail "vmx flag visible in /proc/cpuinfo"
echo "E2E-VMX: cpuinfo: hypervisor present, vmx absent"

# A hypercall from user mode must be refused (#UD -> SIGILL, exit 132).
mamori-io vmcall 1
rc=$?
[ "$rc" = 132 ] || fail "user-mode VMCALL: exit $rc, want 132 (SIGILL)"
echo "E2E-VMX: user-mode VMCALL refused with #UD"

# The VMM's console UART (COM2) is not there for the guest.
ier=$(mamori-io inb 0x2f9)
scr=$(mamori-io outb 0x2ff 0x5a; mamori-io inb 0x2ff)
[ "$ier" = 0xff ] && [ "$scr" = 0xff ] || fail "COM2 answers: IER $ier, scratch $scr"
echo "E2E-VMX: COM2 absent to the guest (IER $ier, scratch $scr)"

# /dev/mem attack: every 2 MiB-aligned page of the large reserved ranges below
# 4 GiB (the VMM region is one: 16 MiB, EfiReservedMemoryType).
n=0
for r in $(grep -i ': reserved$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
	start=$((0x${r%-*}))
	end=$((0x${r#*-} + 1))
	[ $((end - start)) -ge $((16 << 20)) ] && [ $end -le $((1 << 32)) ] || continue
	a=$(((start + 0x1fffff) & ~0x1fffff))
	while [ $((a + 4096)) -le $end ]; do
		hex=$(dd if=/dev/mem bs=4096 skip=$((a / 4096)) count=1 2>/dev/null |
			hexdump -v -e '16/1 "%02x"' | head -c 64)
		[ -n "$hex" ] || fail "read of 0x$(printf %x $a) through /dev/mem failed"
		echo "E2E-VMX-READ 0x$(printf %x $a) $hex"
		if dd if=/dev/mem bs=4096 skip=$((a / 4096)) count=1 2>/dev/null |
			grep -q MamoriMamori; then
			fail "VMM bytes visible at 0x$(printf %x $a)"
		fi
		n=$((n + 1))
		a=$((a + (2 << 20)))
	done
	# A write to a page not read before: its first access is a write.
	w=$((((start + 0x1fffff) & ~0x1fffff) + 0x3000))
	printf 'MAMORI-E2E-ATTACK' | dd of=/dev/mem bs=1 seek=$w conv=notrunc 2>/dev/null ||
		fail "write to 0x$(printf %x $w) through /dev/mem failed"
	echo "E2E-VMX-WROTE 0x$(printf %x $w)"
done
[ $n -gt 0 ] || fail "no reserved range of 16 MiB or more in /proc/iomem"
echo "E2E-VMX: read $n pages of reserved memory, no VMM bytes seen"

# Execute from a page of each such range not touched before: inside the VMM
# region the guest takes #UD (SIGILL, exit 132) and everything goes on.
for r in $(grep -i ': reserved$' /proc/iomem | grep -v '^ ' | cut -d' ' -f1); do
	start=$((0x${r%-*}))
	end=$((0x${r#*-} + 1))
	[ $((end - start)) -ge $((16 << 20)) ] && [ $end -le $((1 << 32)) ] || continue
	x=$((((start + 0x1fffff) & ~0x1fffff) + 0x5000))
	mamori-io exec $x
	echo "E2E-VMX-EXEC 0x$(printf %x $x) exit $?"
done
echo "E2E-VMX-OK"
exit 0
