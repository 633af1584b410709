#!/bin/sh
# Issue 4: a guest `reboot -f` on a 4-CPU machine resets it; on both boots
# Mamori brings every CPU beneath it and Linux has all of them online, each
# showing the MamoriMamori signature (scenarios/smp.sh, then
# scenarios/reboot.sh). SMP_REBOOT_CPUS sets the CPU count (default 4).
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-smp.sh"

cpus=${SMP_REBOOT_CPUS:-4}
smp_boot "$cpus" THEN=/usr/share/e2e/reboot.sh --timeout 2400 --until 'mamori: halted' \
	--guest-put "$E2E_DIR/scenarios/reboot.sh=/usr/share/e2e/reboot.sh"
expect_log com1 'E2E-REBOOT-FIRST-BOOT' "the first boot never reached the reboot"
expect_order com1 'E2E-REBOOT-FIRST-BOOT' 'E2E-REBOOT-SECOND-BOOT'
expect_rc 0
expect_smp_tables "$cpus" 2
launches=$(grep -ac 'vmx: launching the firmware as guest' "$E2E_OUT/com2.log" || true)
[ "$launches" = 2 ] || fail "the VMM launched $launches times, want 2 (once per boot)"
expect_smp_vmm "$cpus" 2
n=$(grep -ac "E2E-SMP: $cpus CPUs online beneath Mamori" "$E2E_OUT/com1.log" || true)
[ "$n" = 2 ] || fail "all $cpus CPUs online beneath Mamori on $n boots, want 2"
c=1
while [ "$c" -lt "$cpus" ]; do
	n=$(grep -acE "E2E-SMP-CPUID cpu$c .*MamoriMamori" "$E2E_OUT/com1.log" || true)
	[ "$n" = 2 ] || fail "cpu$c showed the signature on $n boots, want 2"
	c=$((c + 1))
done
expect_no_log com1 'E2E-SMP-FAIL' "the scenario failed"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
# The shim's FADT names 0xcf9 as the reset register: covered by the PCI intercept,
# and the guest's reset (with 4 CPUs running) wipes the secrets first.
expect_log com2 'reset: ACPI reset register: port 0xcf9, value 0x[0-9a-f]+ \(covered by the 0xcf9 intercept\)' \
	"the FADT's reset register was not found or not covered"
expect_log com2 'reset: disk keys, policy secrets and the dialog wiped before the reset \(guest reset through' \
	"the secrets were not wiped before the guest's reset"
expect_no_log com2 'a disk transfer was still running' "the wipe ran under a disk transfer"
pass
