// SPDX-License-Identifier: GPL-2.0-only
/* INIT emulation decisions: ICR classification and destinations (arch/x86_64/apic_icr.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <asm/apic.h>

#define ICR_INIT_ASSERT		0x0000c500	/* Linux: level trig | assert | INIT */
#define ICR_INIT_DEASSERT	0x00008500
#define ICR_SIPI(v)		(0x00000600 | (v))
#define ICR_OTHERS		(3U << 18)
#define ICR_ALL			(2U << 18)
#define ICR_SELF		(1U << 18)
#define ICR_LOGICAL		(1U << 11)

static const struct apic_target flat[4] = {
	{ 0, 0x01000000, 0xffffffff }, { 1, 0x02000000, 0xffffffff },
	{ 2, 0x04000000, 0xffffffff }, { 3, 0x08000000, 0xffffffff },
};

static void test_classify(void **state)
{
	assert_int_equal(apic_icr_classify(ICR_INIT_ASSERT), APIC_ICR_INIT);
	assert_int_equal(apic_icr_classify(0x00004500), APIC_ICR_INIT);	/* edge, assert */
	assert_int_equal(apic_icr_classify(ICR_INIT_ASSERT | ICR_OTHERS), APIC_ICR_INIT);
	assert_int_equal(apic_icr_classify(ICR_INIT_DEASSERT), APIC_ICR_DROP);
	assert_int_equal(apic_icr_classify(ICR_SIPI(0x9a)), APIC_ICR_SIPI);
	assert_int_equal(apic_icr_classify(ICR_SIPI(0x87) | ICR_OTHERS), APIC_ICR_SIPI);
	assert_int_equal(apic_icr_classify(0x000000fd), APIC_ICR_FORWARD);	/* fixed */
	assert_int_equal(apic_icr_classify(0x00000400), APIC_ICR_FORWARD);	/* NMI */
	assert_int_equal(apic_icr_classify(0x00004200), APIC_ICR_REFUSE);	/* SMI (review 2) */
}

static u32 hit_mask(u32 lo, u32 dest, bool x2apic, u32 sender, const struct apic_target *t)
{
	u32 i, m = 0;

	for (i = 0; i < 4; i++)
		if (apic_icr_hits(lo, dest, x2apic, i == sender, &t[i]))
			m |= 1U << i;
	return m;
}

static void test_shorthands(void **state)
{
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_OTHERS, 0, false, 0, flat), 0xe);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_OTHERS, 0, false, 2, flat), 0xb);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_ALL, 0, false, 1, flat), 0xf);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_SELF, 0, false, 3, flat), 0x8);
	/* A shorthand ignores the destination field. */
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_SELF, 1, false, 3, flat), 0x8);
}

static void test_physical(void **state)
{
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 2, false, 0, flat), 0x4);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 0, false, 1, flat), 0x1);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 0xff, false, 0, flat), 0xf);	/* broadcast */
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 7, false, 0, flat), 0);	/* nobody */
	/* x2APIC: 32-bit IDs, 0xffffffff broadcast, 0xff is an ordinary ID */
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 3, true, 0, flat), 0x8);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 0xff, true, 0, flat), 0);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 0xffffffff, true, 0, flat), 0xf);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT, 0x103, true, 0, flat), 0);
}

static void test_logical_xapic(void **state)
{
	static const struct apic_target cluster[4] = {
		{ 0, 0x11000000, 0x0fffffff }, { 1, 0x12000000, 0x0fffffff },
		{ 2, 0x21000000, 0x0fffffff }, { 3, 0x22000000, 0x0fffffff },
	};

	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x06, false, 0, flat), 0x6);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0xff, false, 0, flat), 0xf);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x10, false, 0, flat), 0);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x12, false, 0, cluster), 0x2);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x23, false, 0, cluster), 0xc);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0xf1, false, 0, cluster), 0x5);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x30, false, 0, cluster), 0);
}

static void test_logical_x2apic(void **state)
{
	struct apic_target t[4];
	static const u32 ids[4] = { 0, 1, 16, 17 };
	u32 i;

	for (i = 0; i < 4; i++)
		t[i] = (struct apic_target){ ids[i], apic_x2apic_ldr(ids[i]), 0 };
	assert_int_equal(apic_x2apic_ldr(17), 0x00010002);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x00000003, true, 0, t), 0x3);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x00010002, true, 0, t), 0x8);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0x00020001, true, 0, t), 0);
	assert_int_equal(hit_mask(ICR_INIT_ASSERT | ICR_LOGICAL, 0xffffffff, true, 0, t), 0xf);
}

/* Finding 10: the ICR the VMM sends is built from validated fields only. */
static void test_build(void **state)
{
	assert_int_equal(apic_icr_build(0xfff3b0fd), 0x40fd);		/* reserved, busy dropped */
	assert_int_equal(apic_icr_build(ICR_SIPI(0x98) | ICR_OTHERS), 0x4698);
	assert_int_equal(apic_icr_build(ICR_SIPI(0x87) | ICR_ALL | ICR_LOGICAL), 0x4687);
	assert_int_equal(apic_icr_build(0x0000c600 | 0x10), 0x4610);	/* trigger dropped */
	assert_int_equal(apic_icr_build(0x000004ff), 0x4400);		/* NMI: no vector */
	assert_int_equal(apic_icr_build(0x000002ff), 0x4200);		/* SMI: no vector */
	assert_int_equal(apic_icr_build(0x000001ef), 0x41ef);		/* lowest priority */
	assert_int_equal(apic_icr_classify(0x00000300), APIC_ICR_REFUSE);	/* reserved mode */
	assert_int_equal(apic_icr_classify(0x00000700), APIC_ICR_REFUSE);	/* ExtINT */
	assert_true(apic_icr_x2apic_valid(0x00000000000040fdULL | (7ULL << 32)));
	assert_true(apic_icr_x2apic_valid(0xffffffff000c48fdULL));	/* broadcast, shorthand */
	assert_false(apic_icr_x2apic_valid(0x00000000000050fdULL));	/* bit 12 */
	assert_false(apic_icr_x2apic_valid(0x00000000000060fdULL));	/* bit 13 */
	assert_false(apic_icr_x2apic_valid(0x00000000000140fdULL));	/* bit 16 */
	assert_false(apic_icr_x2apic_valid(0x00000000801040fdULL));	/* bits 20-31 */
}

static void test_base_moves(void **state)
{
	assert_false(apic_base_moves(0xfee00900, 0xfee00900));
	assert_false(apic_base_moves(0xfee00900, 0xfee00d00));	/* x2APIC on */
	assert_false(apic_base_moves(0xfee00900, 0xfee00100));	/* disabled */
	assert_true(apic_base_moves(0xfee00900, 0xfed00900));
	assert_true(apic_base_moves(0xfee00900, 0x1fee00900ULL));
	assert_true(apic_base_moves(0xfee00900, 0xfee01900));
	assert_true(apic_base_disables(0xfee00900, 0xfee00100));	/* xAPIC -> off */
	assert_true(apic_base_disables(0xfee00d00, 0xfee00100));	/* x2APIC -> off */
	assert_true(apic_base_disables(0xfee00d00, 0xfee00500));
	assert_false(apic_base_disables(0xfee00900, 0xfee00d00));	/* x2APIC on */
	assert_false(apic_base_disables(0xfee00100, 0xfee00900));	/* enable */
	assert_false(apic_base_disables(0xfee00100, 0xfee00100));	/* stays off */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_shorthands),
		cmocka_unit_test(test_physical),
		cmocka_unit_test(test_logical_xapic),
		cmocka_unit_test(test_logical_x2apic),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_base_moves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
