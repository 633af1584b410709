#!/bin/sh
# A vmm.elf with one byte changed (its ELF magic) and the genuine vmm.elf.sig:
# the loader refuses it at the signature check, before any ELF parsing, names
# the reason, halts, and Linux never boots. (The QEMU scenario t-chain-qemu
# covers the other tampered cases: another key, no signature, a signed but
# malformed ELF reaching the ELF checks.)
. "$(dirname "$0")/lib.sh"

need_file "$REPO/build/vmm.elf"
need_file "$REPO/build/vmm.elf.sig"
bad=$E2E_OUT/vmm-bad-magic.elf
cp "$REPO/build/vmm.elf" "$bad"
printf 'X' | dd of="$bad" bs=1 seek=1 conv=notrunc status=none	# "\177ELF" -> "\177XLF"

e2e_boot --esp-put "$bad=\\EFI\\mamori\\vmm.elf" \
	--esp-put "$REPO/build/vmm.elf.sig=\\EFI\\mamori\\vmm.elf.sig" --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'Mamori loader' "no loader banner on COM1"
expect_log com1 'refused vmm\.elf: signature' "no signature refusal naming vmm.elf on COM1"
expect_log com1 'refused vmm\.elf: signature.*does not verify' "the refusal does not name the reason"
expect_no_log com1 'signature verified' "the loader accepted the modified vmm.elf"
expect_no_log com1 'magic' "the ELF checks ran on an unauthenticated vmm.elf"
expect_log com1 'halt' "the loader did not say it halts"
expect_no_log com2 'mamori: vmm' "the corrupt VMM ran"
expect_no_log com1 'Linux version' "Linux booted without the VMM"
expect_rc 125
pass
