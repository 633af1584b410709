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
