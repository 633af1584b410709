// SPDX-License-Identifier: GPL-2.0-only
/*
 * IA32_SPEC_CTRL around VM exits (arch/x86_64/spec_ctrl.c) against a model of
 * the MSR: the VMM's value from CPUID and ARCH_CAPABILITIES, the switch on
 * exit and back on entry, no WRMSR while the values agree, no MSR access at
 * all on a CPU without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/spec_ctrl.h>

static u64 msr;			/* the hardware IA32_SPEC_CTRL */
static u32 reads, writes;

int rdmsr_safe(u32 idx, u64 *val)
{
	assert_int_equal(idx, MSR_IA32_SPEC_CTRL);
	reads++;
	*val = msr;
	return 0;
}

int wrmsr_safe(u32 idx, u64 val)
{
	assert_int_equal(idx, MSR_IA32_SPEC_CTRL);
	writes++;
	msr = val;
	return 0;
}

static void test_host_value(void **state)
{
	const u32 ibrs = CPUID7_EDX_IBRS_IBPB, bhi = CPUID7_2_EDX_BHI_CTRL;
	bool present;

	assert_int_equal(spec_ctrl_host_value(0, 0, 0, &present), 0);
	assert_false(present);				/* Bochs-like: no MSR */
	assert_int_equal(spec_ctrl_host_value(0, bhi, ARCH_CAP_IBRS_ALL, &present), 0);
	assert_false(present);
	assert_int_equal(spec_ctrl_host_value(ibrs, 0, 0, &present), 0);
	assert_true(present);				/* legacy IBRS: not on every exit */
	assert_int_equal(spec_ctrl_host_value(ibrs, 0, ARCH_CAP_IBRS_ALL, &present),
			 SPEC_CTRL_IBRS);
	assert_int_equal(spec_ctrl_host_value(ibrs, bhi, ARCH_CAP_IBRS_ALL, &present),
			 SPEC_CTRL_IBRS | SPEC_CTRL_BHI_DIS_S);
	assert_int_equal(spec_ctrl_host_value(CPUID7_EDX_SSBD, 0, ARCH_CAP_IBRS_ALL, &present),
			 0);				/* no IBRS bit to set */
	assert_true(present);
	assert_true(spec_ctrl_host_value(CPUID7_EDX_STIBP, 0, 0, &present) == 0 && present);
}

/* An exit runs the VMM with its value, the entry gives the guest its own back. */
static void test_switch(void **state)
{
	u64 guest = 0xdead;

	spec_ctrl_enable(true, SPEC_CTRL_IBRS);
	msr = 0;				/* the guest turned IBRS off */
	reads = writes = 0;
	spec_ctrl_vm_exit(&guest);
	assert_int_equal(guest, 0);
	assert_int_equal(msr, SPEC_CTRL_IBRS);	/* VMX root runs with IBRS */
	spec_ctrl_vm_entry(guest);
	assert_int_equal(msr, 0);
	assert_int_equal(writes, 2);
	/* The guest's value equals the VMM's: one RDMSR, no WRMSR. */
	msr = SPEC_CTRL_IBRS;
	reads = writes = 0;
	spec_ctrl_vm_exit(&guest);
	spec_ctrl_vm_entry(guest);
	assert_int_equal(guest, SPEC_CTRL_IBRS);
	assert_int_equal(reads, 1);
	assert_int_equal(writes, 0);
	/* SSBD set by the guest: cleared in root, kept for the guest. */
	msr = SPEC_CTRL_IBRS | BIT(2);
	spec_ctrl_vm_exit(&guest);
	assert_int_equal(msr, SPEC_CTRL_IBRS);
	spec_ctrl_vm_entry(guest);
	assert_int_equal(msr, SPEC_CTRL_IBRS | BIT(2));
}

static void test_absent(void **state)
{
	u64 guest = 7;

	spec_ctrl_enable(false, 0);
	reads = writes = 0;
	spec_ctrl_vm_exit(&guest);
	spec_ctrl_vm_entry(guest);
	assert_int_equal(reads + writes, 0);
	assert_int_equal(guest, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_value),
		cmocka_unit_test(test_switch),
		cmocka_unit_test(test_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
