#!/bin/bash
# Post-link checks on build/vmm.elf: no undefined symbols, only RELATIVE relocs.
set -eu
elf=$1
undef=$(nm -u "$elf" || true)
if [ -n "$undef" ]; then
	echo "check-vmm-elf: $elf has undefined symbols:" >&2
	echo "$undef" >&2
	rm -f "$elf"; exit 1
fi
bad=$(readelf -rW "$elf" | awk '/^ *[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ && $3 != "R_X86_64_RELATIVE" {print $3}' | sort -u)
if [ -n "$bad" ]; then
	echo "check-vmm-elf: $elf has relocations the loader refuses: $bad" >&2
	rm -f "$elf"; exit 1
fi
# W^X: the host maps text RX, rodata R, data RW NX (arch/x86_64/cpu.c) from these
# page-aligned bounds; a segment both writable and executable defeats that.
if readelf -lW "$elf" | awk '$1 == "LOAD"' | grep -q 'RWE'; then
	echo "check-vmm-elf: $elf has a writable and executable segment" >&2
	rm -f "$elf"; exit 1
fi
for sym in __vmm_start __rodata_start __data_start; do
	addr=$(nm "$elf" | awk -v s=$sym '$3 == s {print $1}')
	if [ -z "$addr" ] || [ $((0x$addr & 0xfff)) != 0 ]; then
		echo "check-vmm-elf: $elf: $sym missing or not page-aligned (vmm.lds)" >&2
		rm -f "$elf"; exit 1
	fi
done
