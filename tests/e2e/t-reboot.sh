#!/bin/sh
# Issue 3: a guest `reboot -f` resets the platform; the machine boots again,
# Mamori starts again beneath the firmware, and Linux comes back up. The
# VMM wipes its secrets before the guest's reset reaches the hardware.
. "$(dirname "$0")/lib.sh"

e2e_boot --scenario "$E2E_DIR/scenarios/reboot.sh" --timeout 1400 --until 'mamori: halted'
expect_log com1 'E2E-REBOOT-FIRST-BOOT' "the first boot never reached the scenario"
expect_order com1 'E2E-REBOOT-FIRST-BOOT' 'E2E-REBOOT-SECOND-BOOT'
expect_rc 0
launches=$(grep -ac 'vmx: launching the firmware as guest' "$E2E_OUT/com2.log" || true)
[ "$launches" = 2 ] || fail "the VMM launched $launches times, want 2 (once per boot)"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
# Linux without ACPI tables resets through the keyboard controller (0x64 <- 0xfe):
# the VMM wipes the disk keys and policy secrets before letting it through.
expect_log com2 'reset: disk keys, policy secrets and the dialog wiped before the reset \(guest reset through the keyboard controller' \
	"the secrets were not wiped before the guest's reset"
pass
