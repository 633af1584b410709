#!/bin/sh
# No \EFI\debian\grubx64.efi: the loader says why and halts; Linux never boots.
. "$(dirname "$0")/lib.sh"

e2e_boot --esp-rm '\EFI\debian\grubx64.efi' --timeout 300 \
	--until 'mamori: halted' --until 'Linux version'
expect_log com1 'Mamori loader' "no loader banner on COM1"
expect_log com1 'grubx64\.efi' "the reason does not name the missing next stage"
expect_log com1 'grubx64\.efi.*halt' "no line naming the next stage and saying the loader halts"
expect_log com1 'mamori: halted' "the loader did not halt"
expect_no_log com1 'Linux version' "Linux booted"
expect_rc 125
pass
