#!/bin/sh
# A vmm.elf with a broken ELF magic: the loader refuses it, names the defect,
# halts, and Linux never boots.
. "$(dirname "$0")/lib.sh"

need_file "$REPO/build/vmm.elf"
bad=$E2E_OUT/vmm-bad-magic.elf
cp "$REPO/build/vmm.elf" "$bad"
printf 'X' | dd of="$bad" bs=1 seek=1 conv=notrunc status=none	# "\177ELF" -> "\177XLF"

e2e_boot --esp-put "$bad=\\EFI\\mamori\\vmm.elf" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'Mamori loader' "no loader banner on COM1"
expect_log com1 'refused.*vmm\.elf' "no refusal naming vmm.elf on COM1"
expect_log com1 'refused.*vmm\.elf.*magic' "the refusal does not name the defect (ELF magic)"
expect_log com1 'halt' "the loader did not say it halts"
expect_no_log com2 'mamori: vmm' "the corrupt VMM ran"
expect_no_log com1 'Linux version' "Linux booted without the VMM"
expect_rc 125
pass
