// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: MTRR snapshot, precedence rules and range uniformity. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/mtrr.h>
#include "mtrr_fixture.h"

#define GiB		(1ULL << 30)
#define MiB		(1ULL << 20)
#define KiB		(1ULL << 10)
#define UC		MTRR_TYPE_UC
#define WC		MTRR_TYPE_WC
#define WT		MTRR_TYPE_WT
#define WP		MTRR_TYPE_WP
#define WB		MTRR_TYPE_WB

static void st_init(struct mtrr_state *s, u8 def, bool fixed_on, u32 vcnt)
{
	memset(s, 0, sizeof(*s));
	s->cap = vcnt | MTRRCAP_FIX | MTRRCAP_WC;
	s->def_type = def | MTRR_DEF_E | (fixed_on ? MTRR_DEF_FE : 0);
	s->var_count = vcnt;
}

/* Variable range @n: [base, base + size), size a power of two, 46-bit mask. */
static void st_var(struct mtrr_state *s, u32 n, u64 base, u64 size, u8 type)
{
	s->var[n].base = base | type;
	s->var[n].mask = (~(size - 1) & ((1ULL << 46) - 1) & ~0xfffULL) |
			 MTRR_PHYSMASK_VALID;
}

static u8 uni(const struct mtrr_state *s, u64 base, u64 size)
{
	u8 t = 0xee;

	if (!mtrr_range_uniform(s, base, size, &t))
		return 0xff;
	return t;
}

static void test_disabled_is_uc(void **state)
{
	struct mtrr_state s;

	st_init(&s, WB, true, 1);
	st_var(&s, 0, 0, 4 * GiB, WB);
	st_fixed(&s, 0, MiB, WB);
	s.def_type &= ~MTRR_DEF_E;
	assert_int_equal(mtrr_type_at(&s, 0), UC);
	assert_int_equal(mtrr_type_at(&s, GiB), UC);
	assert_int_equal(uni(&s, 0, 64ULL << 40), UC);
}

static void test_default_and_single(void **state)
{
	struct mtrr_state s;

	st_init(&s, UC, false, 8);
	st_var(&s, 3, 0, 2 * GiB, WB);
	assert_int_equal(mtrr_type_at(&s, 0), WB);
	assert_int_equal(mtrr_type_at(&s, 2 * GiB - 4 * KiB), WB);
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), UC);
	assert_int_equal(uni(&s, 0, 2 * GiB), WB);
	assert_int_equal(uni(&s, 2 * GiB, 62 * GiB), UC);
	assert_int_equal(uni(&s, GiB, 2 * GiB), 0xff);
	assert_int_equal(uni(&s, 2 * GiB - 4 * KiB, 8 * KiB), 0xff);
	/* invalid (V clear) ranges are ignored */
	s.var[3].mask &= ~MTRR_PHYSMASK_VALID;
	assert_int_equal(uni(&s, 0, 4 * GiB), UC);
}

static void test_overlap_precedence(void **state)
{
	struct mtrr_state s;

	st_init(&s, UC, false, 2);
	st_var(&s, 0, 0, 4 * GiB, WB);
	st_var(&s, 1, 3 * GiB, GiB, UC);		/* UC wins over WB */
	assert_int_equal(mtrr_type_at(&s, 3 * GiB + 5 * MiB), UC);
	assert_int_equal(uni(&s, 3 * GiB, GiB), UC);
	assert_int_equal(uni(&s, 2 * GiB, 2 * GiB), 0xff);
	assert_int_equal(uni(&s, 0, 3 * GiB), WB);

	st_var(&s, 1, 2 * GiB, 2 * MiB, WT);		/* WT + WB -> WT */
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), WT);
	assert_int_equal(uni(&s, 2 * GiB, 2 * MiB), WT);

	st_var(&s, 1, 2 * GiB, 2 * MiB, WC);		/* WC + WB: undefined -> UC */
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), UC);
	st_var(&s, 1, 2 * GiB, 2 * MiB, WP);		/* WP + WB: undefined -> UC */
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), UC);
	st_var(&s, 1, 2 * GiB, 2 * MiB, WB);		/* same type twice */
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), WB);
	assert_int_equal(uni(&s, 0, 4 * GiB), WB);
}

static void test_three_way_overlap(void **state)
{
	struct mtrr_state s;

	st_init(&s, WB, false, 3);
	st_var(&s, 0, 0, GiB, WT);
	st_var(&s, 1, 0, 512 * MiB, WB);
	st_var(&s, 2, 0, 2 * MiB, WT);
	assert_int_equal(mtrr_type_at(&s, 0), WT);
	assert_int_equal(uni(&s, 0, GiB), WT);		/* WT everywhere in [0, 1G) */
	assert_int_equal(uni(&s, 0, 2 * GiB), 0xff);	/* default WB above */
}

/* Partial ranges that tile a block completely still give one type. */
static void test_complementary_partials(void **state)
{
	struct mtrr_state s;

	st_init(&s, UC, false, 2);
	st_var(&s, 0, 0, MiB, WB);
	st_var(&s, 1, MiB, MiB, WB);
	assert_int_equal(uni(&s, 0, 2 * MiB), WB);
	assert_int_equal(uni(&s, 0, 4 * MiB), 0xff);
}

static void test_fixed_ranges(void **state)
{
	struct mtrr_state s;

	st_init(&s, UC, true, 1);
	st_var(&s, 0, 0, 512 * MiB, WB);
	st_fixed(&s, 0, 0xa0000, WB);
	st_fixed(&s, 0xa0000, 0xc0000, UC);
	st_fixed(&s, 0xc0000, 0xc8000, WP);
	st_fixed(&s, 0xc8000, 0x100000, WT);
	assert_int_equal(mtrr_type_at(&s, 0x50000), WB);
	assert_int_equal(mtrr_type_at(&s, 0x9f000), WB);
	assert_int_equal(mtrr_type_at(&s, 0xa0000), UC);
	assert_int_equal(mtrr_type_at(&s, 0xbc000), UC);
	assert_int_equal(mtrr_type_at(&s, 0xc7000), WP);
	assert_int_equal(mtrr_type_at(&s, 0xc8000), WT);
	assert_int_equal(mtrr_type_at(&s, 0xff000), WT);
	assert_int_equal(mtrr_type_at(&s, 0x100000), WB);
	assert_int_equal(uni(&s, 0, 0xa0000), WB);
	assert_int_equal(uni(&s, 0x9f000, 0x2000), 0xff);
	assert_int_equal(uni(&s, 0xa0000, 0x20000), UC);
	assert_int_equal(uni(&s, 0, 2 * MiB), 0xff);
	assert_int_equal(uni(&s, MiB, MiB), WB);

	/* fixed all WB: a 2 MiB block over fixed + variable is uniform */
	st_fixed(&s, 0, MiB, WB);
	assert_int_equal(uni(&s, 0, 2 * MiB), WB);
	assert_int_equal(uni(&s, 0, GiB), 0xff);

	/* FE clear: the variable ranges cover the first MiB */
	st_fixed(&s, 0xa0000, 0xc0000, UC);
	s.def_type &= ~MTRR_DEF_FE;
	assert_int_equal(mtrr_type_at(&s, 0xa0000), WB);
	assert_int_equal(uni(&s, 0, 2 * MiB), WB);
	/* FE set but the CPU has no fixed ranges: same */
	s.def_type |= MTRR_DEF_FE;
	s.cap &= ~MTRRCAP_FIX;
	assert_int_equal(mtrr_type_at(&s, 0xa0000), WB);
}

static void test_reserved_type_reads_uc(void **state)
{
	struct mtrr_state s;

	st_init(&s, 2, false, 1);		/* default type 2: reserved */
	st_var(&s, 0, 0, GiB, 7);		/* reserved type */
	assert_int_equal(mtrr_type_at(&s, 0), UC);
	assert_int_equal(mtrr_type_at(&s, 2 * GiB), UC);
	assert_int_equal(uni(&s, 0, 4 * GiB), UC);
}

static void test_bad_args(void **state)
{
	struct mtrr_state s;
	u8 t;

	st_init(&s, WB, false, 0);
	assert_false(mtrr_range_uniform(&s, 0, 0, &t));
	assert_false(mtrr_range_uniform(&s, 0x800, 4 * KiB, &t));
	assert_false(mtrr_range_uniform(&s, 0, 100, &t));
	assert_false(mtrr_range_uniform(&s, ~0xfffULL, 8 * KiB, &t));
	assert_true(mtrr_range_uniform(&s, 0, 4 * KiB, NULL));
	assert_true(mtrr_range_uniform(&s, 0, 1ULL << 63, &t));
	assert_int_equal(t, WB);
}

/* Whole 64 TiB in one call, with ranges at odd places: must be fast. */
static void test_large_space(void **state)
{
	struct mtrr_state s;

	st_init(&s, WB, true, 4);
	st_fixed(&s, 0, MiB, WB);
	st_var(&s, 0, 2 * GiB, 2 * GiB, UC);
	st_var(&s, 1, 0x3f0000000000ULL, 4 * KiB, UC);
	st_var(&s, 2, 0x200000000ULL, 8 * KiB, WT);
	assert_int_equal(uni(&s, 0, 2 * GiB), WB);
	assert_int_equal(uni(&s, 4 * GiB, 4 * GiB), WB);
	assert_int_equal(uni(&s, 4 * GiB, 8 * GiB), 0xff);
	assert_int_equal(uni(&s, 0x200002000ULL, (64ULL << 40) - 0x200002000ULL), 0xff);
	assert_int_equal(uni(&s, 0x200002000ULL, 0x3f0000000000ULL - 0x200002000ULL), WB);
	assert_int_equal(uni(&s, 0x3f0000001000ULL, (64ULL << 40) - 0x3f0000001000ULL), WB);
	for (int i = 0; i < 100; i++)
		assert_int_equal(uni(&s, 4 * GiB, (64ULL << 40) - 4 * GiB), 0xff);
}

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static u8 rnd_type(void)
{
	static const u8 t[] = { UC, WC, WT, WP, WB, WB, WB, WT };

	return t[rnd() % ARRAY_SIZE(t)];
}

/*
 * Random states in a 16 MiB space, including non-contiguous masks: every
 * range's uniform/type answer must match a page-by-page mtrr_type_at() scan.
 */
static void test_random_vs_bruteforce(void **state)
{
	enum { PAGES = 4096 };
	static u8 types[PAGES];
	struct mtrr_state s;

	for (int iter = 0; iter < 300; iter++) {
		u32 n = rnd() % 5;

		st_init(&s, rnd_type(), rnd() & 1, n);
		for (u32 i = 0; i < MTRR_FIXED_MSRS; i++)
			for (u32 b = 0; b < 8; b++)
				s.fixed[i] |= (u64)((rnd() % 4) ? WB : rnd_type()) << (8 * b);
		for (u32 i = 0; i < n; i++) {
			u32 order = 12 + rnd() % 13;
			u64 mask = ~((1ULL << order) - 1) & 0xfff000ULL;

			if (rnd() % 4 == 0)
				mask &= ~(1ULL << (12 + rnd() % 12));	/* holey */
			s.var[i].base = (rnd() & 0xfff000ULL) | rnd_type();
			s.var[i].mask = mask | ((rnd() % 8) ? MTRR_PHYSMASK_VALID : 0);
		}
		for (u32 p = 0; p < PAGES; p++)
			types[p] = mtrr_type_at(&s, (u64)p << 12);
		for (int q = 0; q < 200; q++) {
			u32 a = rnd() % PAGES, len = 1 + rnd() % (PAGES - a);
			bool same = true;
			u8 t = 0xee;

			if (q & 1) {		/* aligned power-of-two blocks too */
				u32 order = rnd() % 13;

				len = 1U << order;
				a = (a >> order) << order;
			}
			for (u32 p = a + 1; p < a + len; p++)
				same &= types[p] == types[a];
			assert_int_equal(mtrr_range_uniform(&s, (u64)a << 12,
							    (u64)len << 12, &t), same);
			if (same)
				assert_int_equal(t, types[a]);
		}
	}
}

struct fake_msrs {
	u32 reads;
	u64 vcnt;
	bool fix;
};

static u64 fake_rdmsr(void *ctx, u32 msr)
{
	struct fake_msrs *f = ctx;

	f->reads++;
	if (msr == MSR_MTRRCAP)
		return f->vcnt | (f->fix ? MTRRCAP_FIX : 0);
	if (msr == MSR_MTRR_DEF_TYPE)
		return MTRR_DEF_E | MTRR_DEF_FE | WB;
	if (msr >= MSR_MTRR_FIX64K_00000 && msr <= 0x26f) {
		assert_true(f->fix);
		assert_true(msr == 0x250 || msr == 0x258 || msr == 0x259 || msr >= 0x268);
		return 0x0606060606060600ULL | (msr & 0xff);
	}
	assert_true(msr >= 0x200 && msr < 0x200 + 2 * MTRR_VAR_MAX);
	return 0x1000000ULL * msr;
}

static void test_read_with(void **state)
{
	struct fake_msrs f = { .vcnt = 10, .fix = true };
	struct mtrr_state s;

	mtrr_read_with(&s, fake_rdmsr, &f);
	assert_int_equal(s.var_count, 10);
	assert_int_equal(f.reads, 2 + 11 + 20);
	assert_int_equal(s.fixed[0] & 0xff, 0x50);
	assert_int_equal(s.fixed[2] & 0xff, 0x59);
	assert_int_equal(s.fixed[10] & 0xff, 0x6f);
	assert_int_equal(s.var[9].base, 0x1000000ULL * 0x212);
	assert_int_equal(s.var[9].mask, 0x1000000ULL * 0x213);

	f = (struct fake_msrs){ .vcnt = 255, .fix = false };
	mtrr_read_with(&s, fake_rdmsr, &f);
	assert_int_equal(s.var_count, MTRR_VAR_MAX);
	assert_int_equal(s.fixed[0], 0);
	assert_int_equal(f.reads, 2 + 2 * MTRR_VAR_MAX);
}

static void test_type_names(void **state)
{
	assert_string_equal(mtrr_type_name(UC), "UC");
	assert_string_equal(mtrr_type_name(WC), "WC");
	assert_string_equal(mtrr_type_name(WT), "WT");
	assert_string_equal(mtrr_type_name(WP), "WP");
	assert_string_equal(mtrr_type_name(WB), "WB");
	assert_string_equal(mtrr_type_name(3), "??");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disabled_is_uc),
		cmocka_unit_test(test_default_and_single),
		cmocka_unit_test(test_overlap_precedence),
		cmocka_unit_test(test_three_way_overlap),
		cmocka_unit_test(test_complementary_partials),
		cmocka_unit_test(test_fixed_ranges),
		cmocka_unit_test(test_reserved_type_reads_uc),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_large_space),
		cmocka_unit_test(test_random_vs_bruteforce),
		cmocka_unit_test(test_read_with),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
