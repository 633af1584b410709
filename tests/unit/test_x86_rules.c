// SPDX-License-Identifier: GPL-2.0-only
/* Architectural rules of the exit handlers (arch/x86_64/x86_rules.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <asm/x86_rules.h>

/* Finding 22: faults are delivered with RF = 1, traps and aborts without. */
static void test_fault_class(void **state)
{
	assert_true(x86_exception_is_fault(13));	/* #GP */
	assert_true(x86_exception_is_fault(6));		/* #UD */
	assert_true(x86_exception_is_fault(14));	/* #PF */
	assert_true(x86_exception_is_fault(0));		/* #DE */
	assert_true(x86_exception_is_fault(17));	/* #AC */
	assert_false(x86_exception_is_fault(1));	/* #DB */
	assert_false(x86_exception_is_fault(2));	/* NMI */
	assert_false(x86_exception_is_fault(3));	/* #BP */
	assert_false(x86_exception_is_fault(4));	/* #OF */
	assert_false(x86_exception_is_fault(8));	/* #DF */
	assert_false(x86_exception_is_fault(18));	/* #MC */
	assert_false(x86_exception_is_fault(32));
}

/* Finding 25: RIP wraps with the code size; 64-bit RIP stays canonical. */
static void test_next_rip(void **state)
{
	u64 rip = 0;

	assert_int_equal(x86_next_rip(0xfffe, 3, 16, 48, &rip), 0);
	assert_int_equal(rip, 1);
	assert_int_equal(x86_next_rip(0xfffffffe, 3, 32, 48, &rip), 0);
	assert_int_equal(rip, 1);
	assert_int_equal(x86_next_rip(0x1000, 2, 32, 48, &rip), 0);
	assert_int_equal(rip, 0x1002);
	assert_int_equal(x86_next_rip(0x7ffffffffff0ULL, 3, 64, 48, &rip), 0);
	assert_int_equal(rip, 0x7ffffffffff3ULL);
	/* VMCALL ending at the canonical boundary */
	assert_int_equal(x86_next_rip(0x7ffffffffffdULL, 3, 64, 48, &rip), -1);
	assert_int_equal(x86_next_rip(0x7ffffffffffdULL, 3, 64, 57, &rip), 0);
	assert_int_equal(rip, 0x800000000000ULL);
	assert_int_equal(x86_next_rip(0xfffffffffffffffeULL, 3, 64, 48, &rip), 0);
	assert_int_equal(rip, 1);
}

/* Finding 25: an emulated instruction with TF set raises the single-step #DB. */
static void test_single_step(void **state)
{
	assert_true(x86_single_step(X86_RFLAGS_TF | 2, 0));
	assert_false(x86_single_step(2, 0));
	assert_false(x86_single_step(X86_RFLAGS_TF | 2, X86_DEBUGCTL_BTF));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_class),
		cmocka_unit_test(test_next_rip),
		cmocka_unit_test(test_single_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
