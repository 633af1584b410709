#!/bin/sh
# Issue 4: with 2 CPUs (and the test-only ACPI shim), Linux brings up both
# beneath Mamori: both online, hypervisor and no vmx in each /proc/cpuinfo
# entry, the MamoriMamori CPUID signature on each CPU, a bounded all-CPU
# stress (IPIs, scheduling, migration) finishes, four NMI backtraces reach
# cpu1, cpu1 goes offline and comes
# back beneath Mamori.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/lib-smp.sh"

smp_boot 2 STRESS_MS=100 --timeout 1300 --until 'mamori: halted'
expect_smp_tables 2
expect_log com2 'vmx: launching the firmware as guest' "the VMM never launched"
expect_smp_vmm 2
expect_log com1 'E2E-SMP: online 0-1, nproc 2' "Linux does not have both CPUs online"
expect_log com1 'E2E-SMP-CPUID cpu0 .*MamoriMamori' "cpu0 is not beneath Mamori"
expect_log com1 'E2E-SMP-CPUID cpu1 .*MamoriMamori' "cpu1 is not beneath Mamori"
expect_log com1 'SMP-STRESS-OK' "the all-CPU stress did not finish"
expect_log com1 'E2E-SMP: NMIs on cpu1: [0-9]+ before' "no NMI count line"
expect_log com1 'E2E-SMP: cpu1 offline \(online was 0\) and back' "cpu1 offline/online failed"
expect_log com1 'E2E-SMP-OK' "the scenario's checks did not pass"
expect_rc 0
expect_no_log com1 'E2E-SMP-FAIL' "the scenario failed"
expect_no_log com2 'FATAL' "the VMM hit a fatal error"
pass
