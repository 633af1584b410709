// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: the host (VMX root) page-table builder, W^X and guard pages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/host_pt.h>

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)
#define PG	4096ULL
#define RW_NX	(HPT_W | HPT_NX)

/* Pages from malloc; "physical" = virtual, as in the VMM. */
struct fake_mm {
	void *pages[4096];
	u32 count, limit;
};

static struct fake_mm fmm;
static struct ept_mm mm;
static struct host_pt pt;

static void *fake_alloc(void *ctx)
{
	struct fake_mm *f = ctx;
	void *p;

	if (f->count >= f->limit)
		return NULL;
	p = aligned_alloc(PG, PG);
	assert_non_null(p);
	memset(p, 0, PG);
	f->pages[f->count++] = p;
	return p;
}

static u64 fake_v2p(void *ctx, void *p)
{
	return (u64)p;
}

static void *fake_p2v(void *ctx, u64 pa)
{
	return (void *)pa;
}

static int setup_gb(bool gb)
{
	memset(&fmm, 0, sizeof(fmm));
	fmm.limit = 4096;
	mm = (struct ept_mm){ fake_alloc, NULL, fake_v2p, fake_p2v, &fmm };
	return host_pt_init(&pt, &mm, gb);
}

static int setup(void **state)
{
	return setup_gb(true);
}

static int teardown(void **state)
{
	for (u32 i = 0; i < fmm.count; i++)
		free(fmm.pages[i]);
	return 0;
}

static void assert_leaf(u64 va, u64 flags, u32 level)
{
	u64 f;
	u32 l;

	assert_int_equal(host_pt_lookup(&pt, va, &f, &l), 0);
	assert_int_equal(f, flags);
	assert_int_equal(l, level);
}

static void assert_absent(u64 va)
{
	assert_int_equal(host_pt_lookup(&pt, va, NULL, NULL), -ENOENT);
}

/* Identity RW NX in 1 GiB leaves, past the old one-PML4-entry (512 GiB) limit. */
static void test_identity_large(void **state)
{
	assert_int_equal(host_pt_map(&pt, 0, 1024 * GiB, RW_NX), 0);
	assert_leaf(0, RW_NX, 3);
	assert_leaf(600 * GiB + 0x1234, RW_NX, 3);
	assert_leaf(1024 * GiB - PG, RW_NX, 3);
	assert_absent(1024 * GiB);
	assert_int_equal(pt.table_pages, 1 + 2);	/* PML4, two PDPTs */
}

/* Without 1 GiB pages: 2 MiB leaves. */
static void test_identity_2m(void **state)
{
	teardown(state);
	assert_int_equal(setup_gb(false), 0);
	assert_int_equal(host_pt_map(&pt, 0, 4 * GiB, RW_NX), 0);
	assert_leaf(0x1000, RW_NX, 2);
	assert_leaf(4 * GiB - PG, RW_NX, 2);
	assert_absent(4 * GiB);
}

/* The VMM image W^X inside the identity map: text RX, rodata R, data RW NX. */
static void test_image_w_xor_x(void **state)
{
	const u64 base = 0x7e000000, ro = base + 0x29000, data = base + 0x36000;

	assert_int_equal(host_pt_map(&pt, 0, 4 * GiB, RW_NX), 0);
	assert_int_equal(host_pt_map(&pt, base, ro - base, 0), 0);
	assert_int_equal(host_pt_map(&pt, ro, data - ro, HPT_NX), 0);
	assert_leaf(base, 0, 1);
	assert_leaf(ro - PG, 0, 1);
	assert_leaf(ro, HPT_NX, 1);
	assert_leaf(data - PG, HPT_NX, 1);
	assert_leaf(data, RW_NX, 1);		/* split, rest of the 2 MiB kept */
	assert_leaf(base + 2 * MiB - PG, RW_NX, 1);
	assert_leaf(base + 2 * MiB, RW_NX, 2);	/* the rest of the GiB: 2 MiB */
	assert_leaf(base - PG, RW_NX, 2);
	assert_leaf(2 * GiB, RW_NX, 3);		/* other GiBs untouched */
	/* No page is both writable and executable. */
	for (u64 va = base - 4 * MiB; va < base + 4 * MiB; va += PG) {
		u64 f;

		assert_int_equal(host_pt_lookup(&pt, va, &f, NULL), 0);
		assert_true((f & HPT_NX) || !(f & HPT_W));
	}
}

/* A guard page below a stack: unmapped, its neighbours stay. */
static void test_guard_page(void **state)
{
	const u64 stack = 0x7e100000;

	assert_int_equal(host_pt_map(&pt, 0, 4 * GiB, RW_NX), 0);
	assert_int_equal(host_pt_unmap(&pt, stack - PG, PG), 0);
	assert_absent(stack - PG);
	assert_leaf(stack, RW_NX, 1);
	assert_leaf(stack - 2 * PG, RW_NX, 1);
	/* Executable start-up page, later sealed. */
	assert_int_equal(host_pt_map(&pt, 0x9f000, PG, HPT_W), 0);
	assert_leaf(0x9f000, HPT_W, 1);
	assert_leaf(0x9e000, RW_NX, 1);
	assert_int_equal(host_pt_map(&pt, 0x9f000, PG, RW_NX), 0);
	assert_leaf(0x9f000, RW_NX, 1);
}

static void test_bad_args(void **state)
{
	assert_int_equal(host_pt_map(&pt, 0x1001, PG, RW_NX), -EINVAL);
	assert_int_equal(host_pt_map(&pt, 0, 0, RW_NX), -EINVAL);
	assert_int_equal(host_pt_map(&pt, HPT_MAX_VA - PG, 2 * PG, RW_NX), -EINVAL);
	assert_int_equal(host_pt_map(&pt, 0, PG, HPT_PS), -EINVAL);
	assert_int_equal(host_pt_unmap(&pt, HPT_MAX_VA, PG), -EINVAL);
	assert_absent(HPT_MAX_VA);
	fmm.limit = fmm.count;
	assert_int_equal(host_pt_map(&pt, 0x1000, PG, RW_NX), -ENOMEM);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_identity_large),
		T(test_identity_2m),
		T(test_image_w_xor_x),
		T(test_guard_page),
		T(test_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
