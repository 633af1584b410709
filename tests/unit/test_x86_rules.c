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

#define LONG_MODE	{ .cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP | X86_CR0_NE, \
			  .cr4 = X86_CR4_PAE | X86_CR4_PGE, .efer = EFER_LME | EFER_LMA, \
			  .cs_l = true }

/* Finding 23: reserved bits and bits of features the CPU lacks are #GP. */
static void test_cr4_supported(void **state)
{
	struct x86_cr4_features f = { .l1_edx = BIT(6) | BIT(13) | BIT(24) | BIT(25),
				      .l1_ecx = BIT(26) };
	u64 a = x86_cr4_supported(&f);

	assert_true(a & X86_CR4_PAE);
	assert_true(a & X86_CR4_PGE);
	assert_true(a & X86_CR4_OSXSAVE);
	assert_true(a & X86_CR4_PCE);
	assert_false(a & BIT(15));
	assert_false(a & X86_CR4_LA57);
	assert_false(a & X86_CR4_PKE);
	assert_false(a & X86_CR4_LAM_SUP);
	assert_false(a & (X86_CR4_VMXE | X86_CR4_SMXE));
	f.l7_ecx = BIT(3) | BIT(16);
	f.l71_eax = BIT(26);
	a = x86_cr4_supported(&f);
	assert_true(a & X86_CR4_PKE);
	assert_true(a & X86_CR4_LA57);
	assert_true(a & X86_CR4_LAM_SUP);
}

static void test_cr4_check(void **state)
{
	struct x86_cr_state lm = LONG_MODE, prot = { .cr0 = X86_CR0_PE };
	u64 all = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PCIDE | X86_CR4_LA57 | X86_CR4_CET;

	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | X86_CR4_PGE, all), 0);
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | BIT(15), all), -1);
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | X86_CR4_PKE, all), -1);
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PGE, all), -1);	/* PAE off in IA-32e */
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | X86_CR4_LA57, all), -1);
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | X86_CR4_PCIDE, all), 0);
	lm.cr3 = 0x1001;
	assert_int_equal(x86_cr4_check(&lm, X86_CR4_PAE | X86_CR4_PCIDE, all), -1);
	assert_int_equal(x86_cr4_check(&prot, X86_CR4_PCIDE, all), -1);	/* not IA-32e */
	assert_int_equal(x86_cr4_check(&prot, X86_CR4_PAE | X86_CR4_LA57, all), 0);
	assert_int_equal(x86_cr4_check(&prot, X86_CR4_CET, all), -1);	/* WP off */
}

/* Finding 23: CR0 combinations the CPU refuses. */
static void test_cr0_check(void **state)
{
	struct x86_cr_state lm = LONG_MODE, real = { 0 };
	u64 v;

	v = lm.cr0 | BIT(32);
	assert_int_equal(x86_cr0_check(&lm, &v), -1);
	v = lm.cr0 | X86_CR0_NW;
	assert_int_equal(x86_cr0_check(&lm, &v), -1);
	v = lm.cr0 | X86_CR0_NW | X86_CR0_CD;
	assert_int_equal(x86_cr0_check(&lm, &v), 0);
	v = X86_CR0_PE | X86_CR0_NE;		/* PG off in 64-bit code */
	assert_int_equal(x86_cr0_check(&lm, &v), -1);
	lm.cs_l = false;			/* ... allowed in compatibility mode */
	assert_int_equal(x86_cr0_check(&lm, &v), 0);
	lm.cr4 |= X86_CR4_PCIDE;
	assert_int_equal(x86_cr0_check(&lm, &v), -1);
	v = X86_CR0_PG;
	assert_int_equal(x86_cr0_check(&real, &v), -1);	/* PG without PE */
	real.efer = EFER_LME;
	v = X86_CR0_PG | X86_CR0_PE;
	assert_int_equal(x86_cr0_check(&real, &v), -1);	/* IA-32e without PAE */
	real.cr4 = X86_CR4_PAE;
	assert_int_equal(x86_cr0_check(&real, &v), 0);
	v = X86_CR0_PE | BIT(6);		/* reserved 31:0 ignored, ET reads 1 */
	assert_int_equal(x86_cr0_check(&real, &v), 0);
	assert_int_equal(v, X86_CR0_PE | X86_CR0_ET);
}

/* Finding 14: PAE paging with EPT needs the PDPTEs loaded on CR0/CR4 writes. */
static void test_pdptes(void **state)
{
	u64 pe = X86_CR0_PE, pg = X86_CR0_PE | X86_CR0_PG;

	assert_true(x86_pdptes_reload(pe, X86_CR4_PAE, pg, X86_CR4_PAE, 0));
	assert_true(x86_pdptes_reload(pg, X86_CR4_PAE, pg, X86_CR4_PAE | X86_CR4_PGE, 0));
	assert_false(x86_pdptes_reload(pg, X86_CR4_PAE, pg, X86_CR4_PAE | X86_CR4_TSD, 0));
	assert_false(x86_pdptes_reload(pe, X86_CR4_PAE, pg, X86_CR4_PAE, EFER_LMA));
	assert_false(x86_pdptes_reload(pe, 0, pg, 0, 0));
	assert_true(x86_pdpte_valid(0x1001, 36));
	assert_true(x86_pdpte_valid(0xdeadbeef0ULL, 36));	/* not present */
	assert_false(x86_pdpte_valid(0x1003, 36));		/* bit 1 reserved */
	assert_false(x86_pdpte_valid(0x1000000001ULL, 36));	/* beyond MAXPHYADDR */
}

/* Finding 9: the XSETBV #GP conditions, AMX's pair included. */
static void test_xcr0(void **state)
{
	u64 all = 0x602e7;	/* x87 SSE AVX AVX-512(3) PKRU AMX(2) */

	assert_true(x86_xcr0_valid(0x3, all));
	assert_true(x86_xcr0_valid(0x7, all));
	assert_true(x86_xcr0_valid(0xe7, all));
	assert_true(x86_xcr0_valid(0x600e7, all));
	assert_false(x86_xcr0_valid(0x2, all));		/* x87 clear */
	assert_false(x86_xcr0_valid(0x5, all));		/* AVX without SSE */
	assert_false(x86_xcr0_valid(0x67, all));	/* AVX-512 partial */
	assert_false(x86_xcr0_valid(0xe3, all));	/* AVX-512 without AVX */
	assert_false(x86_xcr0_valid(0x200e7, all));	/* TILECFG without TILEDATA */
	assert_false(x86_xcr0_valid(0x400e7, all));	/* TILEDATA without TILECFG */
	assert_false(x86_xcr0_valid(0xf, all | 0x18) ||
		     x86_xcr0_valid(0x13, all | 0x18));	/* MPX partial */
	assert_true(x86_xcr0_valid(0x1b, all | 0x18));
	assert_false(x86_xcr0_valid(0x7, 0x3));		/* AVX not supported */
	assert_false(x86_xcr0_valid(0x100003, all));	/* bit 20 not supported */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_class),
		cmocka_unit_test(test_next_rip),
		cmocka_unit_test(test_single_step),
		cmocka_unit_test(test_cr4_supported),
		cmocka_unit_test(test_cr4_check),
		cmocka_unit_test(test_cr0_check),
		cmocka_unit_test(test_pdptes),
		cmocka_unit_test(test_xcr0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
