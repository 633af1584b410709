#!/bin/sh
# The same image and a scenario booted without Mamori (run-bochs --no-vmm):
# proves the guest half (GRUB, kernel, initramfs, modules, disk layout, the
# harness's exit-code path) on its own, so a t-boot failure can be placed.
. "$(dirname "$0")/lib.sh"

e2e_boot --no-vmm --scenario "$E2E_DIR/scenarios/guest-baseline.sh" --timeout 900
expect_no_log com1 'Mamori loader' "the loader ran despite --no-vmm"
expect_log com1 'Linux version' "Linux never started"
expect_log com1 'MAMORI-GUEST-UP' "the guest's /init never ran"
expect_log com1 'BASELINE-OK' "the guest-side checks failed (see BASELINE: lines)"
expect_log com1 'MAMORI-SCENARIO-EXIT=0' "no exit marker from /init"
expect_rc 0
pass
