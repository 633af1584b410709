#!/bin/sh
# Issue 4: t-smp-2 with 4 CPUs: all four online beneath Mamori, the stress
# finishes, cpu1..cpu3 each go offline and come back beneath Mamori.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-smp.sh"

smp_boot 4 STRESS_MS=60 --timeout 2400 --until 'mamori: halted'
expect_smp_tables 4
expect_log com2 'vmx: launching the firmware as guest' "the VMM never launched"
expect_smp_vmm 4
expect_log com1 'E2E-SMP: online 0-3, nproc 4' "Linux does not have all 4 CPUs online"
for c in 0 1 2 3; do
	expect_log com1 "E2E-SMP-CPUID cpu$c .*MamoriMamori" "cpu$c is not beneath Mamori"
done
expect_log com1 'SMP-STRESS-OK' "the all-CPU stress did not finish"
for c in 1 2 3; do
	expect_log com1 "E2E-SMP: cpu$c offline .* and back" "cpu$c offline/online failed"
done
expect_log com1 'E2E-SMP-OK' "the scenario's checks did not pass"
expect_rc 0
expect_no_log com1 'E2E-SMP-FAIL' "the scenario failed"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
pass
