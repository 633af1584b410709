#!/bin/sh
# Issue 4: a guest `reboot -f` on a 2-CPU machine resets it; on both boots
# Mamori brings both CPUs beneath it and Linux has both online, each showing
# the MamoriMamori signature (scenarios/smp.sh, then scenarios/reboot.sh).
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-smp.sh"

smp_boot 2 THEN=/usr/share/e2e/reboot.sh --timeout 2000 --until 'mamori: halted' \
	--guest-put "$E2E_DIR/scenarios/reboot.sh=/usr/share/e2e/reboot.sh"
expect_log com1 'E2E-REBOOT-FIRST-BOOT' "the first boot never reached the reboot"
expect_order com1 'E2E-REBOOT-FIRST-BOOT' 'E2E-REBOOT-SECOND-BOOT'
expect_rc 0
expect_smp_tables 2 2
launches=$(grep -ac 'vmx: launching the firmware as guest' "$E2E_OUT/com2.log" || true)
[ "$launches" = 2 ] || fail "the VMM launched $launches times, want 2 (once per boot)"
expect_smp_vmm 2 2
n=$(grep -ac 'E2E-SMP: 2 CPUs online beneath Mamori' "$E2E_OUT/com1.log" || true)
[ "$n" = 2 ] || fail "both CPUs online beneath Mamori on $n boots, want 2"
n=$(grep -acE 'E2E-SMP-CPUID cpu1 .*MamoriMamori' "$E2E_OUT/com1.log" || true)
[ "$n" = 2 ] || fail "cpu1 showed the signature on $n boots, want 2"
expect_no_log com1 'E2E-SMP-FAIL' "the scenario failed"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
pass
