// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests: EPT mapping primitives and the passthrough identity builder. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <asm/ept.h>
#include "mtrr_fixture.h"

#define GiB		(1ULL << 30)
#define MiB		(1ULL << 20)
#define KiB		(1ULL << 10)
#define TiB		(1ULL << 40)
#define PG		4096ULL
#define UC		EPT_MT_UC
#define WC		EPT_MT_WC
#define WT		EPT_MT_WT
#define WP		EPT_MT_WP
#define WB		EPT_MT_WB

/* ---- fake page allocator: tables get fake physical addresses ---- */

#define FAKE_PHYS	0x0000080000000000ULL	/* 8 TiB, far from any test GPA */
#define FAKE_MAX	8192

struct fake_mm {
	void *pages[FAKE_MAX];
	u32 count, limit, freed;
};

static struct fake_mm fmm;
static struct ept_mm mm;
static struct ept ept;

static void *fake_alloc(void *ctx)
{
	struct fake_mm *f = ctx;
	void *p;

	if (f->count >= f->limit || f->count >= FAKE_MAX)
		return NULL;
	p = aligned_alloc(PG, PG);
	assert_non_null(p);
	memset(p, 0, PG);
	f->pages[f->count++] = p;
	return p;
}

static u64 fake_v2p(void *ctx, void *p)
{
	struct fake_mm *f = ctx;

	for (u32 i = f->count; i-- > 0;)
		if (f->pages[i] == p)
			return FAKE_PHYS + i * PG;
	fail_msg("virt_to_phys of unknown page %p", p);
	return 0;
}

static void *fake_p2v(void *ctx, u64 pa)
{
	struct fake_mm *f = ctx;
	u64 i = (pa - FAKE_PHYS) / PG;

	assert_true(pa >= FAKE_PHYS && !(pa & (PG - 1)) && i < f->count);
	assert_non_null(f->pages[i]);
	return f->pages[i];
}

static void fake_free(void *ctx, void *p)
{
	struct fake_mm *f = ctx;
	u64 i = (fake_v2p(ctx, p) - FAKE_PHYS) / PG;

	free(f->pages[i]);
	f->pages[i] = NULL;
	f->freed++;
}

static int setup(void **state)
{
	for (u32 i = 0; i < fmm.count; i++)
		free(fmm.pages[i]);
	memset(&fmm, 0, sizeof(fmm));
	fmm.limit = FAKE_MAX;
	mm = (struct ept_mm){ fake_alloc, fake_free, fake_v2p, fake_p2v, &fmm };
	return ept_init(&ept, &mm);
}

static int teardown(void **state)
{
	ept_destroy(&ept);
	assert_int_equal(fmm.freed, fmm.count);
	memset(&fmm, 0, sizeof(fmm));
	return 0;
}

/* The raw leaf entry for @gpa (0 when not present). */
static u64 raw_leaf(u64 gpa)
{
	u64 *t = ept.pml4;

	for (u32 l = 4; l >= 1; l--) {
		u64 e = t[(gpa >> (12 + 9 * (l - 1))) & 511];

		if (!(e & 7))
			return 0;
		if (l == 1 || (e & BIT(7)))
			return e;
		t = fake_p2v(&fmm, e & 0x000ffffffffff000ULL);
	}
	return 0;
}

struct xlat {
	u64 hpa;
	u32 perms, level;
	u8 type;
};

static struct xlat lk(u64 gpa)
{
	struct xlat x = { 0 };

	assert_int_equal(ept_lookup(&ept, gpa, &x.hpa, &x.perms, &x.type, &x.level), 0);
	return x;
}

static void assert_absent(u64 gpa)
{
	assert_int_equal(ept_lookup(&ept, gpa, NULL, NULL, NULL, NULL), -ENOENT);
}

static void assert_map(u64 gpa, u64 hpa, u32 perms, u8 type, u32 level)
{
	struct xlat x = lk(gpa);

	assert_int_equal(x.hpa, hpa);
	assert_int_equal(x.perms, perms);
	assert_int_equal(x.type, type);
	assert_int_equal(x.level, level);
}

/* ---- primitives ---- */

static void test_init_eptp(void **state)
{
	assert_int_equal(ept.table_pages, 1);
	assert_int_equal(ept.pml4_pa, FAKE_PHYS);
	assert_int_equal(ept_eptp(&ept), FAKE_PHYS | 0x1e);	/* WB, 4-level */
	ept.ad = true;
	assert_int_equal(ept_eptp(&ept), FAKE_PHYS | 0x5e);
	ept.ad = false;
	assert_absent(0);
	assert_absent(GiB);
}

static void test_set_caps(void **state)
{
	u64 cap = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_UC | EPT_CAP_2M |
		  EPT_CAP_1G | EPT_CAP_EXEC_ONLY;

	assert_int_equal(ept_set_caps(&ept, cap), 0);
	assert_int_equal(ept.page_sizes, EPT_PAGE_2M | EPT_PAGE_1G);
	assert_true(ept.exec_only);
	assert_int_equal(ept_set_caps(&ept, EPT_CAP_WALK4 | EPT_CAP_UC | EPT_CAP_2M), 0);
	assert_int_equal(ept.page_sizes, EPT_PAGE_2M);
	assert_false(ept.exec_only);
	assert_int_equal(ept_eptp(&ept) & 7, UC);
	assert_int_equal(ept_set_caps(&ept, EPT_CAP_WB | EPT_CAP_1G), -ENOSYS);
	assert_int_equal(ept_set_caps(&ept, EPT_CAP_WALK4), -ENOSYS);
}

static void test_map_4k(void **state)
{
	assert_int_equal(ept_map_page(&ept, 0x1000, 0x5000, EPT_R | EPT_W, WB), 0);
	assert_map(0x1000, 0x5000, EPT_R | EPT_W, WB, 1);
	assert_map(0x1abc, 0x5abc, EPT_R | EPT_W, WB, 1);
	assert_absent(0);
	assert_absent(0x2000);
	assert_int_equal(ept.table_pages, 4);
	/* remap in place: no new tables */
	assert_int_equal(ept_map_page(&ept, 0x1000, 0x7000, EPT_R, UC), 0);
	assert_map(0x1000, 0x7000, EPT_R, UC, 1);
	assert_int_equal(ept.table_pages, 4);
}

static void test_large_pages(void **state)
{
	assert_int_equal(ept_map_range(&ept, 0, 0, 4 * GiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	assert_int_equal(ept.table_pages, 2);
	for (u64 g = 0; g < 4 * GiB; g += GiB)
		assert_map(g + 0x12345678, g + 0x12345678, EPT_RWX, WB, 3);
	assert_absent(4 * GiB);

	/* 2 MiB-aligned but not 1 GiB: 2M leaves, then 1G, then 2M */
	assert_int_equal(ept_map_range(&ept, 8 * GiB - 4 * MiB, 8 * GiB - 4 * MiB,
				       GiB + 8 * MiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	assert_map(8 * GiB - 4 * MiB, 8 * GiB - 4 * MiB, EPT_RWX, WB, 2);
	assert_map(8 * GiB, 8 * GiB, EPT_RWX, WB, 3);
	assert_map(9 * GiB + 2 * MiB, 9 * GiB + 2 * MiB, EPT_RWX, WB, 2);
	assert_absent(9 * GiB + 4 * MiB);

	/* hpa alignment decides too */
	assert_int_equal(ept_map_range(&ept, 16 * GiB, 2 * MiB, GiB, EPT_RWX, WB,
				       EPT_ALLOW_LARGE), 0);
	assert_map(16 * GiB + 5, 2 * MiB + 5, EPT_RWX, WB, 2);
	/* only 2M allowed by the flags, or by the CPU */
	assert_int_equal(ept_map_range(&ept, 32 * GiB, 32 * GiB, GiB, EPT_RWX, WB,
				       EPT_PAGE_2M), 0);
	assert_map(32 * GiB, 32 * GiB, EPT_RWX, WB, 2);
	ept.page_sizes = EPT_PAGE_2M;
	assert_int_equal(ept_map_range(&ept, 33 * GiB, 33 * GiB, GiB, EPT_RWX, WB,
				       EPT_ALLOW_LARGE), 0);
	assert_map(33 * GiB, 33 * GiB, EPT_RWX, WB, 2);
	/* no flags: 4K only */
	assert_int_equal(ept_map_range(&ept, 34 * GiB, 34 * GiB, 4 * MiB, EPT_RWX, WB, 0), 0);
	assert_map(34 * GiB, 34 * GiB, EPT_RWX, WB, 1);
}

static void test_split_1g_preserves(void **state)
{
	assert_int_equal(ept_map_range(&ept, GiB, 5 * GiB, GiB, EPT_RWX, WT,
				       EPT_ALLOW_LARGE | EPT_IGNORE_PAT), 0);
	assert_int_equal(ept.table_pages, 2);
	assert_int_equal(ept_map_page(&ept, GiB + 0x12345000, 0x999000, EPT_R, UC), 0);
	assert_int_equal(ept.table_pages, 4);
	assert_map(GiB + 0x12345000, 0x999000, EPT_R, UC, 1);
	assert_false(raw_leaf(GiB + 0x12345000) & BIT(6));
	/* rest of that 2M: 4K leaves, old mapping */
	assert_map(GiB + 0x12200000, 5 * GiB + 0x12200000, EPT_RWX, WT, 1);
	assert_map(GiB + 0x12344000, 5 * GiB + 0x12344000, EPT_RWX, WT, 1);
	assert_map(GiB + 0x12346000, 5 * GiB + 0x12346000, EPT_RWX, WT, 1);
	assert_map(GiB + 0x123fffff, 5 * GiB + 0x123fffff, EPT_RWX, WT, 1);
	assert_true(raw_leaf(GiB + 0x12346000) & BIT(6));
	/* rest of that 1G: 2M leaves, old mapping, ignore-PAT kept */
	assert_map(GiB, 5 * GiB, EPT_RWX, WT, 2);
	assert_map(GiB + 0x12400000, 5 * GiB + 0x12400000, EPT_RWX, WT, 2);
	assert_map(2 * GiB - 1, 6 * GiB - 1, EPT_RWX, WT, 2);
	assert_true(raw_leaf(2 * GiB - PG) & BIT(6));
	assert_absent(2 * GiB);
	assert_absent(GiB - PG);
}

static void test_split_2m_preserves(void **state)
{
	assert_int_equal(ept_map_range(&ept, 4 * MiB, 4 * MiB, 2 * MiB, EPT_R | EPT_X, WP,
				       EPT_ALLOW_LARGE), 0);
	assert_int_equal(ept_map_range(&ept, 4 * MiB + 64 * KiB, 0x40000000, 128 * KiB,
				       EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	assert_map(4 * MiB, 4 * MiB, EPT_R | EPT_X, WP, 1);
	assert_map(4 * MiB + 60 * KiB, 4 * MiB + 60 * KiB, EPT_R | EPT_X, WP, 1);
	assert_map(4 * MiB + 64 * KiB, 0x40000000, EPT_RWX, WB, 1);
	assert_map(4 * MiB + 188 * KiB, 0x4001f000, EPT_RWX, WB, 1);
	assert_map(4 * MiB + 192 * KiB, 4 * MiB + 192 * KiB, EPT_R | EPT_X, WP, 1);
	assert_map(6 * MiB - 1, 6 * MiB - 1, EPT_R | EPT_X, WP, 1);
	assert_absent(6 * MiB);
}

/* A large mapping over an existing table descends into it (never frees). */
static void test_map_over_table(void **state)
{
	assert_int_equal(ept_map_page(&ept, GiB + 2 * MiB, 0x1000, EPT_R, UC), 0);
	assert_int_equal(ept.table_pages, 4);
	assert_int_equal(ept_map_range(&ept, 0, 0, 4 * GiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	assert_int_equal(ept.table_pages, 4);
	assert_map(0, 0, EPT_RWX, WB, 3);
	assert_map(GiB, GiB, EPT_RWX, WB, 2);
	assert_map(GiB + 2 * MiB + 5, GiB + 2 * MiB + 5, EPT_RWX, WB, 1);
	assert_map(GiB + 4 * MiB, GiB + 4 * MiB, EPT_RWX, WB, 2);
	assert_map(3 * GiB, 3 * GiB, EPT_RWX, WB, 3);
}

static void test_unmap(void **state)
{
	assert_int_equal(ept_map_range(&ept, 0, 0, 2 * GiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	/* a hole straddling a 2M boundary inside the first 1G page */
	assert_int_equal(ept_unmap_range(&ept, 6 * MiB - 8 * KiB, 16 * KiB), 0);
	assert_absent(6 * MiB - 8 * KiB);
	assert_absent(6 * MiB + 4 * KiB);
	assert_map(6 * MiB - 12 * KiB, 6 * MiB - 12 * KiB, EPT_RWX, WB, 1);
	assert_map(6 * MiB + 8 * KiB, 6 * MiB + 8 * KiB, EPT_RWX, WB, 1);
	assert_map(8 * MiB, 8 * MiB, EPT_RWX, WB, 2);
	assert_map(GiB, GiB, EPT_RWX, WB, 3);
	/* whole 1G leaf, and ranges that run over not-present space */
	assert_int_equal(ept_unmap_range(&ept, GiB, 100 * GiB), 0);
	assert_absent(GiB);
	assert_absent(2 * GiB - PG);
	assert_map(GiB - PG, GiB - PG, EPT_RWX, WB, 2);
	assert_int_equal(ept_unmap_range(&ept, 0, 1ULL << 48), 0);
	assert_absent(0);
	assert_absent(GiB - PG);
	assert_int_equal(ept_unmap_range(&ept, 0, 0), -EINVAL);
	assert_int_equal(ept_unmap_range(&ept, 0x800, PG), -EINVAL);
	assert_int_equal(ept_unmap_range(&ept, 1ULL << 48, PG), -EINVAL);
}

static void test_invalid_args(void **state)
{
	assert_int_equal(ept_map_range(&ept, 0x800, 0, PG, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0x800, PG, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, 0x800, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, 0, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 1ULL << 48, 0, PG, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, (1ULL << 48) - PG, 0, 2 * PG, EPT_RWX, WB, 0),
			 -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 1ULL << 52, PG, EPT_RWX, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, 0, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, EPT_W, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, EPT_W | EPT_X, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, EPT_X, WB, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, 8, WB, 0), -EINVAL);
	for (u8 t = 2; t < 8; t++)
		if (t == 2 || t == 3 || t == 7)
			assert_int_equal(ept_map_range(&ept, 0, 0, PG, EPT_R, t, 0), -EINVAL);
	assert_int_equal(ept_map_range(&ept, 0, 0, PG, EPT_R, WB, BIT(5)), -EINVAL);
	assert_int_equal(ept.table_pages, 1);
	assert_absent(0);
	/* execute-only once the CPU allows it */
	ept.exec_only = true;
	assert_int_equal(ept_map_page(&ept, 0, 0, EPT_X, WB), 0);
	assert_map(0, 0, EPT_X, WB, 1);
	assert_absent(1ULL << 48);
}

static void test_enomem(void **state)
{
	struct ept e2;

	fmm.limit = fmm.count + 2;
	assert_int_equal(ept_map_page(&ept, 0, 0, EPT_R, WB), -ENOMEM);
	fmm.limit = fmm.count;
	assert_int_equal(ept_init(&e2, &mm), -ENOMEM);
	fmm.limit = FAKE_MAX;
	assert_int_equal(ept_map_range(&ept, 0, 0, GiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	fmm.limit = fmm.count;		/* a split needs a page */
	assert_int_equal(ept_map_page(&ept, PG, 0, EPT_R, WB), -ENOMEM);
	assert_int_equal(ept_unmap_range(&ept, PG, PG), -ENOMEM);
	assert_map(PG, PG, EPT_RWX, WB, 2);	/* the failed walk left a PD */
}

static void test_prealloc_then_no_alloc(void **state)
{
	assert_int_equal(ept_map_range(&ept, 0, 0, GiB, EPT_RWX, WB, EPT_ALLOW_LARGE), 0);
	assert_int_equal(ept_prealloc(&ept, 3 * MiB, 4 * MiB), 0);	/* 3 2M blocks */
	assert_int_equal(ept.table_pages, 2 + 1 + 3);
	assert_map(3 * MiB, 3 * MiB, EPT_RWX, WB, 1);
	assert_map(8 * MiB, 8 * MiB, EPT_RWX, WB, 2);
	assert_int_equal(ept_prealloc(&ept, 2 * GiB, 2 * MiB), 0);	/* not present */
	assert_absent(2 * GiB);
	fmm.limit = fmm.count;
	assert_int_equal(ept_map_page(&ept, 2 * GiB + 7 * PG, 0x9000, EPT_R, WB), 0);
	assert_int_equal(ept_map_page(&ept, 7 * MiB - PG, 0x9000, EPT_R, WB), 0);
	assert_map(2 * GiB + 7 * PG, 0x9000, EPT_R, WB, 1);
	assert_absent(2 * GiB + 8 * PG);
}

static void test_read_only_mapping(void **state)
{
	/* the monitor VM's view of guest RAM: read-only, large pages */
	assert_int_equal(ept_map_range(&ept, 0, 0, 3 * GiB + 2 * MiB, EPT_R, WB,
				       EPT_ALLOW_LARGE), 0);
	assert_map(0, 0, EPT_R, WB, 3);
	assert_map(3 * GiB, 3 * GiB, EPT_R, WB, 2);
	assert_int_equal(ept_map_range(&ept, 4 * GiB, 4 * GiB, 2 * MiB, EPT_R | EPT_X, WB,
				       EPT_ALLOW_LARGE), 0);
	assert_map(4 * GiB + 1, 4 * GiB + 1, EPT_R | EPT_X, WB, 2);
	/* downgrade one page of a 1G page to no-write: the rest stays R */
	assert_int_equal(ept_map_page(&ept, GiB, GiB, EPT_R | EPT_X, WB), 0);
	assert_map(GiB, GiB, EPT_R | EPT_X, WB, 1);
	assert_map(GiB + PG, GiB + PG, EPT_R, WB, 1);
	assert_map(GiB + 2 * MiB, GiB + 2 * MiB, EPT_R, WB, 2);
	assert_int_equal(raw_leaf(GiB + PG) & 7, EPT_R);
}

/* ---- the identity builder ---- */

static bool is_ram(u32 type)
{
	switch (type) {
	case BOOT_MEM_LOADER_CODE: case BOOT_MEM_LOADER_DATA:
	case BOOT_MEM_BS_CODE: case BOOT_MEM_BS_DATA:
	case BOOT_MEM_RT_CODE: case BOOT_MEM_RT_DATA:
	case BOOT_MEM_CONVENTIONAL: case BOOT_MEM_ACPI_RECLAIM:
	case BOOT_MEM_ACPI_NVS: case BOOT_MEM_PERSISTENT:
		return true;
	}
	return false;
}

#define R(b, e, t)	{ .base = (b), .pages = ((e) - (b)) / PG, .type = (t) }

/* OVMF on Bochs with megs: 512; the VMM region 24 MiB, 4K- not 2M-aligned. */
#define OVMF_VMM_BASE	0x0e345000ULL
#define OVMF_VMM_SIZE	(24 * MiB)
static const struct boot_mem_range ovmf_map[] = {
	R(0x0, 0x9f000, BOOT_MEM_CONVENTIONAL),
	R(0x9f000, 0xa0000, BOOT_MEM_BS_DATA),
	/* 0xa0000 - 0x100000: VGA hole and option ROMs, not in the map */
	R(0x100000, 0x800000, BOOT_MEM_CONVENTIONAL),
	R(0x800000, 0x808000, BOOT_MEM_ACPI_NVS),
	R(0x808000, 0x810000, BOOT_MEM_CONVENTIONAL),
	R(0x810000, 0x900000, BOOT_MEM_ACPI_NVS),
	R(0x900000, 0x1000000, BOOT_MEM_BS_DATA),
	R(0x1000000, OVMF_VMM_BASE, BOOT_MEM_CONVENTIONAL),
	R(OVMF_VMM_BASE, OVMF_VMM_BASE + OVMF_VMM_SIZE, BOOT_MEM_RESERVED),
	R(OVMF_VMM_BASE + OVMF_VMM_SIZE, 0x1e000000, BOOT_MEM_CONVENTIONAL),
	R(0x1e000000, 0x1ec00000, BOOT_MEM_LOADER_CODE),
	R(0x1ec00000, 0x1f000000, BOOT_MEM_BS_CODE),
	R(0x1f000000, 0x1f800000, BOOT_MEM_RT_DATA),
	R(0x1f800000, 0x1fc00000, BOOT_MEM_RT_CODE),
	R(0x1fc00000, 0x1fe00000, BOOT_MEM_ACPI_RECLAIM),
	R(0x1fe00000, 0x1ff00000, BOOT_MEM_ACPI_NVS),
	R(0x1ff00000, 0x20000000, BOOT_MEM_RESERVED),
	R(0xfec00000, 0xfec01000, BOOT_MEM_MMIO),	/* IOAPIC */
	R(0xfee00000, 0xfee01000, BOOT_MEM_MMIO),	/* local APIC */
	R(0xffe00000, 0x100000000ULL, BOOT_MEM_MMIO),	/* OVMF flash */
};

static void st_var(struct mtrr_state *s, u32 n, u64 base, u64 size, u8 type)
{
	s->var[n].base = base | type;
	s->var[n].mask = (~(size - 1) & ((1ULL << 46) - 1) & ~0xfffULL) |
			 MTRR_PHYSMASK_VALID;
	if (s->var_count <= n)
		s->var_count = n + 1;
}

/* OVMF's MtrrLib setup: default WB, 640K-1M UC, the 32-bit PCI hole UC. */
static void ovmf_mtrr(struct mtrr_state *s)
{
	memset(s, 0, sizeof(*s));
	s->cap = 8 | MTRRCAP_FIX | MTRRCAP_WC;
	s->def_type = WB | MTRR_DEF_E | MTRR_DEF_FE;
	st_fixed(s, 0, 0xa0000, WB);
	st_fixed(s, 0xa0000, 0x100000, UC);
	st_var(s, 0, 2 * GiB, 2 * GiB, UC);
}

static u8 ovmf_type(u64 pa)
{
	if ((pa >= 0xa0000 && pa < MiB) || (pa >= 2 * GiB && pa < 4 * GiB))
		return UC;
	return WB;
}

/* A client board: 4 GiB RAM (1 GiB remapped above 4G), default UC. */
#define PC_VMM_BASE	0x7a3f3000ULL
#define PC_VMM_SIZE	(32 * MiB)
static const struct boot_mem_range pc_map[] = {
	R(0x0, 0x9f000, BOOT_MEM_CONVENTIONAL),
	R(0x9f000, 0x100000, BOOT_MEM_RESERVED),
	R(0x100000, 0x40000000, BOOT_MEM_CONVENTIONAL),
	R(0x40000000, 0x40100000, BOOT_MEM_RESERVED),
	R(0x40100000, PC_VMM_BASE, BOOT_MEM_CONVENTIONAL),
	R(PC_VMM_BASE, PC_VMM_BASE + PC_VMM_SIZE, BOOT_MEM_RESERVED),
	R(PC_VMM_BASE + PC_VMM_SIZE, 0xb0000000, BOOT_MEM_CONVENTIONAL),
	R(0xb0000000, 0xbe000000, BOOT_MEM_BS_DATA),
	R(0xbe000000, 0xbf000000, BOOT_MEM_ACPI_NVS),
	R(0xbf000000, 0xbf800000, BOOT_MEM_RT_DATA),
	R(0xbf800000, 0xc0000000, BOOT_MEM_RESERVED),	/* graphics stolen */
	R(0xe0000000, 0xf0000000, BOOT_MEM_RESERVED),	/* PCIe ECAM */
	R(0xfed00000, 0xfed01000, BOOT_MEM_MMIO),	/* HPET */
	R(0xff000000, 0x100000000ULL, BOOT_MEM_MMIO),	/* SPI flash */
	R(0x100000000ULL, 0x140000000ULL, BOOT_MEM_CONVENTIONAL),
};

static void pc_mtrr(struct mtrr_state *s)
{
	memset(s, 0, sizeof(*s));
	s->cap = 10 | MTRRCAP_FIX | MTRRCAP_WC;
	s->def_type = UC | MTRR_DEF_E | MTRR_DEF_FE;
	st_fixed(s, 0, 0xa0000, WB);
	st_fixed(s, 0xa0000, 0xc0000, UC);
	st_fixed(s, 0xc0000, 0x100000, WP);
	st_var(s, 0, 0, 4 * GiB, WB);
	st_var(s, 1, 3 * GiB, GiB, UC);
	st_var(s, 2, 0xbf800000, 8 * MiB, UC);
	st_var(s, 3, 4 * GiB, GiB, WB);
	st_var(s, 4, 0xd0000000, 256 * MiB, WC);	/* WC + UC overlap: UC */
	st_var(s, 6, 0xff000000, 16 * MiB, WP);		/* WP + UC overlap: UC */
}

static u8 pc_type(u64 pa)
{
	if (pa < 0xa0000)
		return WB;
	if (pa < 0xc0000)
		return UC;
	if (pa < MiB)
		return WP;
	if (pa < 0xbf800000 || (pa >= 4 * GiB && pa < 5 * GiB))
		return WB;
	return UC;
}

struct walk_stats {
	const struct mtrr_state *m;
	u64 vmm_lo, vmm_hi, top, mapped;
	u32 leaves[4];
};

static bool hits_vmm(const struct walk_stats *w, u64 g, u64 span)
{
	return g < w->vmm_hi && g + span > w->vmm_lo;
}

/*
 * Check every entry of the EPT: leaves identity, RWX, one MTRR type over the
 * whole leaf, outside the VMM region and below the top; a table under a
 * 1G/2M slot only where that slot is not uniform or meets the VMM region.
 */
static void walk_check(struct walk_stats *w, u64 *t, u32 level, u64 base)
{
	for (u64 i = 0; i < 512; i++) {
		u64 e = t[i], span = 1ULL << (12 + 9 * (level - 1)), g = base + i * span;
		u8 type;

		if (!(e & 7))
			continue;
		if (level == 1 || (e & BIT(7))) {
			assert_int_equal(e & 0x000ffffffffff000ULL, g);
			assert_int_equal(e & 0x7f, EPT_RWX | ((e >> 3 & 7) << 3));
			assert_true(mtrr_range_uniform(w->m, g, span, &type));
			assert_int_equal((e >> 3) & 7, type);
			assert_false(hits_vmm(w, g, span));
			assert_true(g + span <= w->top);
			w->mapped += span;
			w->leaves[level]++;
			continue;
		}
		assert_int_equal(e & 0xff, 7);
		if (level <= 3 && ((ept.page_sizes & EPT_PAGE_1G) || level == 2))
			assert_true(!mtrr_range_uniform(w->m, g, span, NULL) ||
				    hits_vmm(w, g, span) || g + span > w->top);
		walk_check(w, fake_p2v(&fmm, e & 0x000ffffffffff000ULL), level - 1, g);
	}
}

static struct walk_stats build_and_check(const struct boot_mem_range *map, u32 n,
					 u32 phys_bits, u64 vmm_base, u64 vmm_size,
					 const struct mtrr_state *m)
{
	struct walk_stats w = { .m = m, .vmm_lo = vmm_base, .vmm_hi = vmm_base + vmm_size,
				.top = 1ULL << phys_bits };

	assert_int_equal(ept_build_identity(&ept, map, n, phys_bits, vmm_base, vmm_size, m), 0);
	walk_check(&w, ept.pml4, 4, 0);
	assert_int_equal(w.mapped, w.top - vmm_size);	/* no gaps */
	return w;
}

/* Every RAM page of @map outside the VMM region: identity, RWX, @type_of. */
static void check_ram(const struct boot_mem_range *map, u32 n, u64 vmm_lo,
		      u64 vmm_hi, u8 (*type_of)(u64))
{
	for (u32 i = 0; i < n; i++) {
		if (!is_ram(map[i].type))
			continue;
		for (u64 pa = map[i].base; pa < map[i].base + map[i].pages * PG; pa += PG) {
			struct xlat x;

			if (pa >= vmm_lo && pa < vmm_hi)
				continue;
			x = lk(pa + 0x123);
			assert_int_equal(x.hpa, pa + 0x123);
			assert_int_equal(x.perms, EPT_RWX);
			assert_int_equal(x.type, type_of(pa));
		}
	}
}

static void check_vmm_absent(u64 lo, u64 hi)
{
	for (u64 pa = lo; pa < hi; pa += PG)
		assert_absent(pa + 0x800);
	assert_absent(lo);
	assert_absent(hi - 1);
	assert_absent(lo + (hi - lo) / 2);
	assert_int_equal(lk(lo - 1).hpa, lo - 1);
	assert_int_equal(lk(hi).hpa, hi);
}

static void ovmf_build(u32 phys_bits, u32 expect_tables)
{
	struct mtrr_state m;
	struct walk_stats w;

	ovmf_mtrr(&m);
	w = build_and_check(ovmf_map, ARRAY_SIZE(ovmf_map), phys_bits,
			    OVMF_VMM_BASE, OVMF_VMM_SIZE, &m);
	check_ram(ovmf_map, ARRAY_SIZE(ovmf_map), OVMF_VMM_BASE,
		  OVMF_VMM_BASE + OVMF_VMM_SIZE, ovmf_type);
	check_vmm_absent(OVMF_VMM_BASE, OVMF_VMM_BASE + OVMF_VMM_SIZE);
	/* holes and MMIO: present, identity, MTRR type */
	assert_map(0xa0000, 0xa0000, EPT_RWX, UC, 1);
	assert_map(0xfffff, 0xfffff, EPT_RWX, UC, 1);
	assert_map(0x9f000, 0x9f000, EPT_RWX, WB, 1);
	assert_map(MiB, MiB, EPT_RWX, WB, 1);
	assert_map(2 * MiB, 2 * MiB, EPT_RWX, WB, 2);
	assert_map(0x20000000, 0x20000000, EPT_RWX, WB, 2);		/* above RAM */
	assert_map(GiB, GiB, EPT_RWX, WB, 3);
	assert_map(0xfec00000, 0xfec00000, EPT_RWX, UC, 3);
	assert_map(0xfee00000, 0xfee00000, EPT_RWX, UC, 3);
	assert_map(0xffffffff, 0xffffffff, EPT_RWX, UC, 3);
	assert_map(4 * GiB, 4 * GiB, EPT_RWX, WB, 3);
	assert_map((1ULL << phys_bits) - 1, (1ULL << phys_bits) - 1, EPT_RWX, WB, 3);
	if (phys_bits < 48)
		assert_absent(1ULL << phys_bits);
	assert_int_equal(w.leaves[3], (1ULL << (phys_bits - 30)) - 1);
	assert_int_equal(ept.table_pages, expect_tables);
	print_message("ovmf 512M, phys %u: %u table pages (%u KiB), leaves 1G %u 2M %u 4K %u\n",
		      phys_bits, ept.table_pages, ept.table_pages * 4, w.leaves[3],
		      w.leaves[2], w.leaves[1]);
}

/* PML4 + PDPTs + PD [0,1G) + PT [0,2M) + 13 PTs over the VMM region */
static void test_build_ovmf_36(void **state)
{
	ovmf_build(36, 1 + 1 + 1 + 1 + 13);
}

static void test_build_ovmf_39(void **state)
{
	ovmf_build(39, 1 + 1 + 1 + 1 + 13);
}

static void test_build_ovmf_46(void **state)
{
	ovmf_build(46, 1 + 128 + 1 + 1 + 13);
}

static void test_build_pc_39(void **state)
{
	struct mtrr_state m;
	struct walk_stats w;

	pc_mtrr(&m);
	w = build_and_check(pc_map, ARRAY_SIZE(pc_map), 39, PC_VMM_BASE, PC_VMM_SIZE, &m);
	check_ram(pc_map, ARRAY_SIZE(pc_map), PC_VMM_BASE, PC_VMM_BASE + PC_VMM_SIZE,
		  pc_type);
	check_vmm_absent(PC_VMM_BASE, PC_VMM_BASE + PC_VMM_SIZE);
	assert_map(0xa0000, 0xa0000, EPT_RWX, UC, 1);
	assert_map(0xc0000, 0xc0000, EPT_RWX, WP, 1);
	assert_map(0xbf7ff000, 0xbf7ff000, EPT_RWX, WB, 2);
	assert_map(0xbf800000, 0xbf800000, EPT_RWX, UC, 2);
	assert_map(0xd0000000, 0xd0000000, EPT_RWX, UC, 3);
	assert_map(0xff000000, 0xff000000, EPT_RWX, UC, 3);
	assert_map(4 * GiB, 4 * GiB, EPT_RWX, WB, 3);
	assert_map(5 * GiB, 5 * GiB, EPT_RWX, UC, 3);
	assert_map((1ULL << 39) - 1, (1ULL << 39) - 1, EPT_RWX, UC, 3);
	/* PML4, PDPT, PD [0,1G), PT [0,2M), PD [1G,2G), 17 VMM PTs, PD [2G,3G) */
	assert_int_equal(ept.table_pages, 1 + 1 + 1 + 1 + 1 + 17 + 1);
	print_message("pc 5G, phys 39: %u table pages (%u KiB), leaves 1G %u 2M %u 4K %u\n",
		      ept.table_pages, ept.table_pages * 4, w.leaves[3], w.leaves[2],
		      w.leaves[1]);
}

/* Without 1 GiB pages: one PD per GiB, so stop above max(RAM, 4G). */
static void test_build_no_1g(void **state)
{
	struct mtrr_state m;
	struct walk_stats w = { .m = &m, .vmm_lo = OVMF_VMM_BASE,
				.vmm_hi = OVMF_VMM_BASE + OVMF_VMM_SIZE, .top = 4 * GiB };

	ovmf_mtrr(&m);
	ept.page_sizes = EPT_PAGE_2M;
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 39,
					    OVMF_VMM_BASE, OVMF_VMM_SIZE, &m), 0);
	walk_check(&w, ept.pml4, 4, 0);
	assert_int_equal(w.mapped, 4 * GiB - OVMF_VMM_SIZE);
	check_ram(ovmf_map, ARRAY_SIZE(ovmf_map), OVMF_VMM_BASE,
		  OVMF_VMM_BASE + OVMF_VMM_SIZE, ovmf_type);
	assert_map(GiB, GiB, EPT_RWX, WB, 2);
	assert_map(4 * GiB - 1, 4 * GiB - 1, EPT_RWX, UC, 2);
	assert_absent(4 * GiB);
	assert_int_equal(ept.table_pages, 1 + 1 + 4 + 1 + 13);
}

/* ... and RAM above 4G moves the stop up to the next GiB. */
static void test_build_no_1g_high_ram(void **state)
{
	static const struct boot_mem_range map[] = {
		R(0, 0x9f000, BOOT_MEM_CONVENTIONAL),
		R(4 * GiB, 6 * GiB + 2 * MiB, BOOT_MEM_CONVENTIONAL),
	};
	struct mtrr_state m;

	ovmf_mtrr(&m);
	ept.page_sizes = EPT_PAGE_2M;
	assert_int_equal(ept_build_identity(&ept, map, ARRAY_SIZE(map), 46, 0, 0, &m), 0);
	assert_map(7 * GiB - 1, 7 * GiB - 1, EPT_RWX, WB, 2);
	assert_absent(7 * GiB);
	assert_int_equal(ept.table_pages, 1 + 1 + 7 + 1);
}

static void test_build_mtrr_disabled(void **state)
{
	struct mtrr_state m;

	ovmf_mtrr(&m);
	m.def_type &= ~MTRR_DEF_E;
	build_and_check(ovmf_map, ARRAY_SIZE(ovmf_map), 39, OVMF_VMM_BASE,
			OVMF_VMM_SIZE, &m);
	assert_map(0, 0, EPT_RWX, UC, 2);
	assert_map(0x1000000, 0x1000000, EPT_RWX, UC, 2);
	assert_map(GiB, GiB, EPT_RWX, UC, 3);
	/* PML4, PDPT, PD [0,1G), VMM PTs */
	assert_int_equal(ept.table_pages, 1 + 1 + 1 + 13);
}

static void test_build_no_vmm_region(void **state)
{
	struct mtrr_state m;

	ovmf_mtrr(&m);
	build_and_check(ovmf_map, ARRAY_SIZE(ovmf_map), 39, 0, 0, &m);
	assert_map(OVMF_VMM_BASE, OVMF_VMM_BASE, EPT_RWX, WB, 2);
	assert_int_equal(ept.table_pages, 1 + 1 + 1 + 1);
}

/* The sink: each first touch of a VMM page maps it to one page, no allocation. */
static void test_sink_pages(void **state)
{
	const u64 sink = 0x1d000000, lo = OVMF_VMM_BASE, hi = lo + OVMF_VMM_SIZE;
	const u64 pages[] = { lo, hi - PG, lo + 0x5b000, 0x0f000000, 0x0e400000 };
	struct mtrr_state m;
	u32 tables;

	ovmf_mtrr(&m);
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 39,
					    lo, OVMF_VMM_SIZE, &m), 0);
	tables = ept.table_pages;
	fmm.limit = fmm.count;		/* an exit handler must not allocate */
	for (u32 i = 0; i < ARRAY_SIZE(pages); i++) {
		assert_absent(pages[i]);
		assert_int_equal(ept_map_page(&ept, pages[i], sink, EPT_R | EPT_W, WB), 0);
		assert_map(pages[i] + 0x10, sink + 0x10, EPT_R | EPT_W, WB, 1);
		assert_absent(pages[i] + PG < hi ? pages[i] + PG : pages[i] - PG);
	}
	assert_int_equal(ept.table_pages, tables);
	assert_map(lo - PG, lo - PG, EPT_RWX, WB, 1);
	assert_map(hi, hi, EPT_RWX, WB, 1);
	assert_absent(lo + PG);
	/* and the guest-visible sink itself is ordinary identity-mapped RAM */
	assert_map(sink, sink, EPT_RWX, WB, 2);
}

static void test_build_bad_args(void **state)
{
	struct mtrr_state m;

	ovmf_mtrr(&m);
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 20,
					    OVMF_VMM_BASE, OVMF_VMM_SIZE, &m), -EINVAL);
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 36,
					    1ULL << 36, MiB, &m), -EINVAL);
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 36,
					    ~0xfffULL, 2 * PG, &m), -EINVAL);
	/* out of pages: an error, not a crash */
	fmm.limit = fmm.count + 5;
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 36,
					    OVMF_VMM_BASE, OVMF_VMM_SIZE, &m), -ENOMEM);
}

/* A map range beyond 2^phys_bits widens the mapping (with a warning). */
static void test_build_map_beyond_phys(void **state)
{
	static const struct boot_mem_range map[] = {
		R(0, 0x9f000, BOOT_MEM_CONVENTIONAL),
		R(64 * GiB, 65 * GiB, BOOT_MEM_CONVENTIONAL),
	};
	struct mtrr_state m;

	ovmf_mtrr(&m);
	assert_int_equal(ept_build_identity(&ept, map, ARRAY_SIZE(map), 36, 0, 0, &m), 0);
	assert_map(64 * GiB + 5, 64 * GiB + 5, EPT_RWX, WB, 3);
	assert_absent(65 * GiB);
}

/* A bogus map entry (wrapping size) cannot wrap the mapped space. */
static void test_build_bogus_map(void **state)
{
	static const struct boot_mem_range map[] = {
		R(0, 0x9f000, BOOT_MEM_CONVENTIONAL),
		{ .base = 0x100000, .pages = ~0ULL >> 4, .type = BOOT_MEM_CONVENTIONAL },
	};
	struct mtrr_state m;

	ovmf_mtrr(&m);
	assert_int_equal(ept_build_identity(&ept, map, ARRAY_SIZE(map), 39, 0, 0, &m), 0);
	assert_map((1ULL << 48) - 1, (1ULL << 48) - 1, EPT_RWX, WB, 3);
	assert_int_equal(ept.table_pages, 1 + 512 + 1 + 1);
}

/* The VMM region at an odd place: unaligned size, rounded out to pages. */
static void test_build_unaligned_vmm(void **state)
{
	struct mtrr_state m;

	ovmf_mtrr(&m);
	assert_int_equal(ept_build_identity(&ept, ovmf_map, ARRAY_SIZE(ovmf_map), 39,
					    0x3fff0800, 0x10000, &m), 0);
	assert_absent(0x3fff0000);
	assert_absent(0x40000000);
	assert_map(0x3ffef000, 0x3ffef000, EPT_RWX, WB, 1);
	assert_map(0x40001000, 0x40001000, EPT_RWX, WB, 1);
	assert_map(0x40200000, 0x40200000, EPT_RWX, WB, 2);
	assert_map(0x80000000, 0x80000000, EPT_RWX, UC, 3);
}

/*
 * Finding 11: after the sink stands in, the access that exited is allowed,
 * so the guest moves on; a fetch gets the execute sink, never the data one.
 * (Before: every access got the data sink RW, a fetch faulted forever.)
 */
static void test_sink_allows_the_access(void **state)
{
	static const u64 quals[] = { EPT_VIOL_READ, EPT_VIOL_WRITE, EPT_VIOL_READ | EPT_VIOL_WRITE,
				     EPT_VIOL_FETCH, EPT_VIOL_FETCH | EPT_VIOL_READ };
	const u64 data = 0x5000000, code = 0x5001000, gpa = 0x4000000;
	u32 i;

	assert_int_equal(ept_prealloc(&ept, gpa, 2 * MiB), 0);
	for (i = 0; i < ARRAY_SIZE(quals); i++) {
		u64 q = quals[i];
		struct xlat x;

		assert_int_equal(ept_map_sink(&ept, gpa + 0x123 + i * PG, q, data, code), 0);
		x = lk(gpa + i * PG);
		assert_int_equal(x.perms & (q & 7), q & 7);
		assert_int_equal(x.level, 1);
		if (q & EPT_VIOL_FETCH) {
			assert_int_equal(x.hpa, code);
			assert_int_equal(x.perms, EPT_R | EPT_X);	/* never writable */
		} else {
			assert_int_equal(x.hpa, data);
			assert_int_equal(x.perms, EPT_R | EPT_W);	/* never executable */
		}
	}
	/* Write after fetch: the page moves to the data sink (and back on a fetch). */
	assert_int_equal(ept_map_sink(&ept, gpa + 3 * PG, EPT_VIOL_WRITE, data, code), 0);
	assert_map(gpa + 3 * PG, data, EPT_R | EPT_W, WB, 1);
}

/* Finding 8: the host page tables and the EPT cover one identity range. */
static void test_identity_limit(void **state)
{
	const struct boot_mem_range big[] = {
		{ .base = 0, .pages = (600 * GiB) / PG, .type = BOOT_MEM_CONVENTIONAL },
	};

	assert_int_equal(identity_map_limit(true, ovmf_map, ARRAY_SIZE(ovmf_map), 39), 512 * GiB);
	assert_int_equal(identity_map_limit(true, ovmf_map, ARRAY_SIZE(ovmf_map), 46), 64 * TiB);
	assert_int_equal(identity_map_limit(true, ovmf_map, ARRAY_SIZE(ovmf_map), 52), 256 * TiB);
	/* Without 1 GiB leaves: the GiB above max(RAM, 4 GiB). */
	assert_int_equal(identity_map_limit(false, ovmf_map, ARRAY_SIZE(ovmf_map), 46), 4 * GiB);
	/* More RAM than 512 GiB: the host must map past the old single PML4 entry. */
	assert_int_equal(identity_map_limit(true, big, 1, 39), 600 * GiB);
	assert_int_equal(identity_map_limit(false, big, 1, 46), 600 * GiB);
	assert_true(identity_map_limit(true, big, 1, 46) > 600 * GiB);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_eptp),
		T(test_sink_allows_the_access),
		T(test_identity_limit),
		T(test_set_caps),
		T(test_map_4k),
		T(test_large_pages),
		T(test_split_1g_preserves),
		T(test_split_2m_preserves),
		T(test_map_over_table),
		T(test_unmap),
		T(test_invalid_args),
		T(test_enomem),
		T(test_prealloc_then_no_alloc),
		T(test_read_only_mapping),
		T(test_build_ovmf_36),
		T(test_build_ovmf_39),
		T(test_build_ovmf_46),
		T(test_build_pc_39),
		T(test_build_no_1g),
		T(test_build_no_1g_high_ram),
		T(test_build_mtrr_disabled),
		T(test_build_no_vmm_region),
		T(test_sink_pages),
		T(test_build_bad_args),
		T(test_build_map_beyond_phys),
		T(test_build_bogus_map),
		T(test_build_unaligned_vmm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
