#!/bin/sh
# The whole chain: mamori.efi -> vmm.elf -> back to the loader -> GRUB -> Linux
# (now a guest of Mamori) -> /init -> the scenario, whose exit code comes back.
. "$(dirname "$0")/lib.sh"

e2e_boot --scenario "$E2E_DIR/scenarios/boot.sh" --timeout 900 --until 'mamori: halted'
expect_log com1 'Mamori loader' "no loader banner on COM1"
expect_log com2 'mamori: vmm' "no VMM banner ('mamori: vmm') on COM2"
expect_log com1 'Linux version' "Linux never started"
expect_order com1 'Mamori loader' 'Linux version'
expect_log com1 'MAMORI-GUEST-UP' "the guest's /init never ran"
expect_log com1 'E2E-BOOT-OK' "the scenario's checks did not pass"
expect_log com1 'MAMORI-SCENARIO-EXIT=0' "no exit marker from /init"
expect_rc 0
pass
