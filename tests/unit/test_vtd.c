// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests: the DMAR parser and the ACPI walk with good and hostile tables
 * (ASan sees every over-read: tables sit in exact-size heap buffers), the
 * VT-d second-level table builder, root and context entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <drivers/vtd.h>
#include <mamori/boot_info.h>
#include <mamori/policy.h>

#define GiB		(1ULL << 30)
#define MiB		(1ULL << 20)
#define PG		4096ULL

/* ---- table construction ---- */

static u8 tbl[4096];
static u32 tlen;

static void put16(u8 *p, u16 v) { p[0] = v; p[1] = v >> 8; }
static void put32(u8 *p, u32 v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(u8 *p, u64 v) { put32(p, v); put32(p + 4, v >> 32); }

static void fix_sum(u8 *t, u32 len, u32 sum_off)
{
	u8 s = 0;

	t[sum_off] = 0;
	for (u32 i = 0; i < len; i++)
		s += t[i];
	t[sum_off] = -s;
}

static void dmar_begin(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "DMAR", 4);
	tbl[8] = 1;
	tbl[36] = 38;		/* HAW 39 */
	tbl[37] = DMAR_FLAG_INTR_REMAP;
	tlen = 48;
}

static u8 *add_struct(u16 type, u16 len)
{
	u8 *s = tbl + tlen;

	put16(s, type);
	put16(s + 2, len);
	tlen += len;
	return s;
}

/* A DRHD with @nscopes PCI endpoint scopes of 8 bytes. */
static u8 *add_drhd(u64 base, u8 flags, u8 size, u32 nscopes)
{
	u8 *s = add_struct(0, 16 + 8 * nscopes);

	s[4] = flags;
	s[5] = size;
	put64(s + 8, base);
	for (u32 i = 0; i < nscopes; i++) {
		s[16 + 8 * i] = 1;
		s[17 + 8 * i] = 8;
		s[21 + 8 * i] = 0;
		s[22 + 8 * i] = 2 + i;
	}
	return s;
}

static u8 *add_rmrr(u64 base, u64 end)
{
	u8 *s = add_struct(1, 24 + 8);

	put64(s + 8, base);
	put64(s + 16, end);
	s[24] = 1;
	s[25] = 8;
	return s;
}

static void dmar_end(void)
{
	put32(tbl + 4, tlen);
	fix_sum(tbl, tlen, 9);
}

/* Parse a heap copy of exactly @len bytes (so ASan catches over-reads). */
static int parse_copy(const u8 *t, u32 len, struct dmar_info *out)
{
	u8 *c = malloc(len ? len : 1);
	int r;

	memcpy(c, t, len);
	r = dmar_parse(c, len, out);
	free(c);
	return r;
}

static void good_dmar(void)
{
	dmar_begin();
	add_drhd(0xfed90000, 0, 0, 2);
	add_struct(2, 8);			/* ATSR: skipped */
	add_rmrr(0x7f000000, 0x7f0fffff);
	add_drhd(0xfed91000, DMAR_DRHD_INCLUDE_ALL, 1, 0);
	dmar_end();
}

static void test_dmar_good(void **state)
{
	struct dmar_info d;

	good_dmar();
	assert_int_equal(parse_copy(tbl, tlen, &d), 0);
	assert_int_equal(d.haw, 39);
	assert_int_equal(d.flags, DMAR_FLAG_INTR_REMAP);
	assert_int_equal(d.unit_count, 2);
	assert_int_equal(d.units[0].reg_base, 0xfed90000);
	assert_int_equal(d.units[0].reg_pages, 1);
	assert_int_equal(d.units[0].scopes, 2);
	assert_int_equal(d.units[1].flags, DMAR_DRHD_INCLUDE_ALL);
	assert_int_equal(d.units[1].reg_pages, 2);
	assert_int_equal(d.rmrr_count, 1);
	assert_int_equal(d.rmrr[0].base, 0x7f000000);
	assert_int_equal(d.rmrr[0].end, 0x7f0fffff);
}

static void test_dmar_no_units(void **state)
{
	struct dmar_info d;

	dmar_begin();
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), 0);
	assert_int_equal(d.unit_count, 0);
}

static void test_dmar_header_errors(void **state)
{
	struct dmar_info d;

	good_dmar();
	assert_int_equal(parse_copy(tbl, 47, &d), -EINVAL);		/* truncated header */
	assert_int_equal(parse_copy(tbl, tlen - 1, &d), -EINVAL);	/* length != header */
	tbl[9]++;
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);		/* checksum */
	good_dmar();
	tbl[0] = 'X';
	fix_sum(tbl, tlen, 9);
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);		/* signature */
	good_dmar();
	tbl[36] = 0;
	fix_sum(tbl, tlen, 9);
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);		/* HAW 1 bit */
}

static void test_dmar_struct_lengths(void **state)
{
	struct dmar_info d;
	u8 *s;

	/* a structure of length 0 (would loop forever) */
	dmar_begin();
	add_drhd(0xfed90000, 0, 0, 0);
	s = add_struct(2, 8);
	put16(s + 2, 0);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	/* a structure longer than what is left of the table */
	dmar_begin();
	s = add_drhd(0xfed90000, 0, 0, 1);
	put16(s + 2, 64);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	/* a DRHD shorter than its fixed part */
	dmar_begin();
	add_struct(0, 12);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	/* an RMRR shorter than its fixed part */
	dmar_begin();
	add_struct(1, 20);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	/* 3 trailing bytes: no room for a structure header */
	dmar_begin();
	add_drhd(0xfed90000, 0, 0, 0);
	tlen += 3;
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
}

static void test_dmar_scope_lengths(void **state)
{
	static const u8 bad[] = { 0, 6, 9, 40 };
	struct dmar_info d;

	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 *s;

		dmar_begin();
		s = add_drhd(0xfed90000, 0, 0, 2);
		s[16 + 8 + 1] = bad[i];		/* second scope: overlaps or overruns */
		dmar_end();
		assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	}
}

static void test_dmar_bad_values(void **state)
{
	struct dmar_info d;

	dmar_begin();
	add_drhd(0, 0, 0, 0);				/* no register base */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	dmar_begin();
	add_drhd(0xfed90800, 0, 0, 0);			/* unaligned */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	dmar_begin();
	add_drhd(0xfffffffffffff000ULL, 0, 1, 0);	/* wraps */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	dmar_begin();
	add_drhd(0xfed90000, 0, 12, 0);			/* 16 MiB of registers */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	dmar_begin();
	add_rmrr(0x80000000, 0x7fffffff);		/* end < base */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
	dmar_begin();
	add_rmrr(0x80000000, 0x80000ffe);		/* end + 1 unaligned */
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -EINVAL);
}

static void test_dmar_too_many(void **state)
{
	struct dmar_info d;

	dmar_begin();
	for (u32 i = 0; i <= DMAR_MAX_UNITS; i++)
		add_drhd(0xfed90000 + i * PG, 0, 0, 0);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -E2BIG);
	dmar_begin();
	for (u32 i = 0; i <= DMAR_MAX_RMRR; i++)
		add_rmrr(i * MiB, i * MiB + PG - 1);
	dmar_end();
	assert_int_equal(parse_copy(tbl, tlen, &d), -E2BIG);
}

/* Every single-byte change, checksum repaired: never a crash, sane results. */
static void test_dmar_mutations(void **state)
{
	static const u8 vals[] = { 0x00, 0x01, 0x07, 0x08, 0x0f, 0x10, 0x7f, 0x80, 0xff };
	u8 base[sizeof(tbl)];
	u32 len;

	good_dmar();
	memcpy(base, tbl, tlen);
	len = tlen;
	for (u32 pos = 0; pos < len; pos++) {
		for (u32 v = 0; v < ARRAY_SIZE(vals); v++) {
			struct dmar_info d;
			int r;

			memcpy(tbl, base, len);
			tbl[pos] = vals[v];
			if (pos != 9)
				fix_sum(tbl, len, 9);
			r = parse_copy(tbl, len, &d);
			assert_true(r == 0 || r == -EINVAL || r == -E2BIG);
			if (r)
				continue;
			assert_true(d.unit_count <= DMAR_MAX_UNITS);
			for (u32 i = 0; i < d.unit_count; i++) {
				assert_int_not_equal(d.units[i].reg_base, 0);
				assert_int_equal(d.units[i].reg_base & (PG - 1), 0);
			}
		}
	}
	/* and every truncation (header length and checksum agreeing) */
	for (u32 l = 0; l < len; l++) {
		struct dmar_info d;
		int r;

		memcpy(tbl, base, len);
		put32(tbl + 4, l);
		if (l > 9)
			fix_sum(tbl, l, 9);
		r = parse_copy(tbl, l, &d);
		/* valid only when cut at a structure boundary */
		assert_true(r == -EINVAL || (r == 0 && (l == 48 || l == 80 || l == 88 || l == 120)));
	}
}

/* ---- ACPI walk: RSDP -> XSDT -> DMAR in a fake physical window ---- */

#define ACPI_PHYS	0x7fe00000ULL
#define ACPI_SIZE	8192

static u8 *acpi_mem;

static const void *acpi_map_fake(void *ctx, u64 pa, u64 len)
{
	if (pa < ACPI_PHYS || pa - ACPI_PHYS > ACPI_SIZE || len > ACPI_SIZE - (pa - ACPI_PHYS))
		return NULL;
	return acpi_mem + (pa - ACPI_PHYS);
}

static const struct acpi_map amap = { acpi_map_fake, NULL };

/* RSDP at +0, XSDT at +64 (FACP at +512, DMAR at +1024). */
static void acpi_build(bool with_dmar)
{
	u8 *rsdp = acpi_mem, *xsdt = acpi_mem + 64, *facp = acpi_mem + 512;
	u32 n = 0;

	memset(acpi_mem, 0, ACPI_SIZE);
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	put32(rsdp + 20, 36);
	put64(rsdp + 24, ACPI_PHYS + 64);
	fix_sum(rsdp, 20, 8);
	fix_sum(rsdp, 36, 32);
	memcpy(facp, "FACP", 4);
	put32(facp + 4, 36);
	fix_sum(facp, 36, 9);
	put64(xsdt + 36 + 8 * n++, ACPI_PHYS + 512);
	if (with_dmar) {
		good_dmar();
		memcpy(acpi_mem + 1024, tbl, tlen);
		put64(xsdt + 36 + 8 * n++, ACPI_PHYS + 1024);
	}
	memcpy(xsdt, "XSDT", 4);
	put32(xsdt + 4, 36 + 8 * n);
	fix_sum(xsdt, 36 + 8 * n, 9);
}

static void test_acpi_find(void **state)
{
	u64 pa;
	u32 len;

	acpi_mem = malloc(ACPI_SIZE);
	acpi_build(true);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), 0);
	assert_int_equal(pa, ACPI_PHYS + 1024);
	assert_int_equal(len, tlen);
	acpi_build(false);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -ENOENT);
	assert_int_equal(acpi_find_table(&amap, 0, "DMAR", &pa, &len), -EINVAL);
	free(acpi_mem);
}

static void test_acpi_hostile(void **state)
{
	u64 pa;
	u32 len;

	acpi_mem = malloc(ACPI_SIZE);
	/* a DMAR that exists but is corrupt is an error, never "absent" */
	acpi_build(true);
	acpi_mem[1024 + 20]++;
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -EINVAL);
	/* a DMAR whose length runs past readable memory */
	acpi_build(true);
	put32(acpi_mem + 1024 + 4, 1 << 20);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -EINVAL);
	/* RSDP checksum */
	acpi_build(true);
	acpi_mem[8]++;
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -EINVAL);
	/* XSDT length shorter than a header, then past the window */
	acpi_build(true);
	put32(acpi_mem + 64 + 4, 20);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -EINVAL);
	put32(acpi_mem + 64 + 4, 0xffffff00);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), -EINVAL);
	/* XSDT entries pointing nowhere are skipped */
	acpi_build(true);
	put64(acpi_mem + 64 + 36, 0x1000);
	fix_sum(acpi_mem + 64, 52, 9);
	assert_int_equal(acpi_find_table(&amap, ACPI_PHYS, "DMAR", &pa, &len), 0);
	free(acpi_mem);
}

/* ---- second-level tables ---- */

#define FAKE_PHYS	0x0000080000000000ULL
#define FAKE_MAX	4096

static void *pages[FAKE_MAX];
static u32 npages, page_limit;
static u32 flushes;

static void *fake_alloc(void *ctx)
{
	void *p;

	if (npages >= page_limit)
		return NULL;
	p = aligned_alloc(PG, PG);
	memset(p, 0, PG);
	pages[npages++] = p;
	return p;
}

static u64 fake_v2p(void *ctx, void *p)
{
	for (u32 i = 0; i < npages; i++)
		if (pages[i] == p)
			return FAKE_PHYS + i * PG;
	fail_msg("unknown page");
	return 0;
}

static void *fake_p2v(void *ctx, u64 pa)
{
	u64 i = (pa - FAKE_PHYS) / PG;

	assert_true(pa >= FAKE_PHYS && i < npages && !(pa & (PG - 1)));
	return pages[i];
}

static void fake_flush(void *ctx, const void *p, u64 len)
{
	assert_int_equal(len, PG);
	flushes++;
}

static const struct vtd_mm fmm = { fake_alloc, fake_v2p, fake_flush, NULL };

static int pt_setup(void **state)
{
	npages = 0;
	flushes = 0;
	page_limit = FAKE_MAX;
	return 0;
}

static int pt_teardown(void **state)
{
	for (u32 i = 0; i < npages; i++)
		free(pages[i]);
	return 0;
}

/* Whether [@b, @e) lies inside one of @pt's (merged) ranges. */
static bool in_range(const struct vtd_pt *pt, u64 b, u64 e)
{
	for (u32 i = 0; i < pt->range_count; i++)
		if (pt->ranges[i].base <= b && pt->ranges[i].end >= e)
			return true;
	return false;
}

/*
 * Every leaf: identity, R+W (+SNP exactly when pt->snoop), inside a range,
 * no hole page inside, below top; SP only where allowed.
 */
static u64 walk_check(const struct vtd_pt *pt, const u64 *t, u32 level, u64 base)
{
	u64 span = 1ULL << (12 + 9 * (level - 1)), mapped = 0;

	for (u32 i = 0; i < 512; i++) {
		u64 e = t[i], b = base + i * span;

		if (!e)
			continue;
		assert_int_equal(e & (VTD_SL_R | VTD_SL_W), VTD_SL_R | VTD_SL_W);
		if (level == 1 || (e & VTD_SL_SP)) {
			/* no bits but address, R, W, SP, SNP: no TM/EMT/reserved bits */
			assert_int_equal(e & ~(VTD_SL_ADDR | VTD_SL_R | VTD_SL_W | VTD_SL_SP |
					       VTD_SL_SNP), 0);
			assert_int_equal(!!(e & VTD_SL_SNP), pt->snoop);
			assert_true(level == 1 || (level == 2 && (pt->page_sizes & VTD_PT_2M)) ||
				    (level == 3 && (pt->page_sizes & VTD_PT_1G)));
			assert_int_equal(e & VTD_SL_ADDR, b);
			assert_true(b + span <= pt->top);
			assert_true(in_range(pt, b, b + span));
			for (u32 h = 0; h < pt->hole_count; h++)
				assert_true(pt->holes[h].end <= b || pt->holes[h].base >= b + span);
			mapped += span;
			continue;
		}
		/* non-leaf: address, R, W only */
		assert_int_equal(e & ~(VTD_SL_ADDR | VTD_SL_R | VTD_SL_W), 0);
		assert_true(level > 1);
		mapped += walk_check(pt, fake_p2v(NULL, e & VTD_SL_ADDR), level - 1, b);
	}
	return mapped;
}

static u64 holes_size(const struct vtd_pt *pt)
{
	u64 s = 0;

	for (u32 i = 0; i < pt->hole_count; i++)
		s += pt->holes[i].end - pt->holes[i].base;	/* tests use disjoint holes */
	return s;
}

static void expect_map(const struct vtd_pt *pt, u64 a, bool mapped, u32 want_level)
{
	u64 pa;
	u32 perms, level;
	int r = vtd_pt_lookup(pt, fake_p2v, a, &pa, &perms, &level);

	if (!mapped) {
		assert_int_equal(r, -ENOENT);
		return;
	}
	assert_int_equal(r, 0);
	assert_int_equal(pa, a);
	assert_int_equal(perms, VTD_SL_R | VTD_SL_W);
	if (want_level)
		assert_int_equal(level, want_level);
}

static void test_pt_vmm_hole(void **state)
{
	struct vtd_pt pt;
	u64 vb = 0x1deb3000, vs = 16 * MiB + 0x1800;	/* unaligned end: rounded out */

	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, VTD_PT_2M | VTD_PT_1G, 1ULL << 47), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0, 1ULL << 40), 0);
	assert_int_equal(vtd_pt_add_hole(&pt, vb, vs), 0);
	assert_int_equal(vtd_pt_add_hole(&pt, 0xfed90000, PG), 0);
	assert_int_equal(vtd_pt_build(&pt), 0);
	assert_int_equal(pt.table_pages, npages);
	assert_int_equal(flushes, npages);
	assert_int_equal(walk_check(&pt, pt.root, 4, 0), (1ULL << 40) - holes_size(&pt));
	/* the hole's first and last page, and the pages beside it */
	expect_map(&pt, vb, false, 0);
	expect_map(&pt, vb + vs - 1, false, 0);
	expect_map(&pt, vb + 16 * MiB + PG, false, 0);
	expect_map(&pt, vb - 1, true, 1);
	expect_map(&pt, vb + 16 * MiB + 2 * PG, true, 1);
	expect_map(&pt, 0xfed90000, false, 0);
	expect_map(&pt, 0xfed91000, true, 1);
	/* large pages where the holes allow */
	expect_map(&pt, 0, true, 2);			/* GiB 0 holds the VMM region */
	expect_map(&pt, 0x20000000, true, 2);
	expect_map(&pt, GiB, true, 3);
	expect_map(&pt, 5 * GiB + 123, true, 3);
	expect_map(&pt, (1ULL << 40) - 1, true, 3);
	expect_map(&pt, 1ULL << 40, false, 0);
	expect_map(&pt, 1ULL << 47, false, 0);
	expect_map(&pt, 1ULL << 48, false, 0);
}

static void test_pt_3level_no_large(void **state)
{
	struct vtd_pt pt;

	assert_int_equal(vtd_pt_init(&pt, &fmm, 3, 0, 4 * GiB), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0, 8 * GiB), 0);	/* cut at top */
	assert_int_equal(vtd_pt_add_hole(&pt, 0x3000000, 2 * MiB), 0);
	assert_int_equal(vtd_pt_build(&pt), 0);
	assert_int_equal(walk_check(&pt, pt.root, 3, 0), 4 * GiB - 2 * MiB);
	expect_map(&pt, 0x2fff000, true, 1);
	expect_map(&pt, 0x3000000, false, 0);
	expect_map(&pt, 0x31ff000, false, 0);
	expect_map(&pt, 0x3200000, true, 1);
	expect_map(&pt, 4 * GiB, false, 0);
	expect_map(&pt, 1ULL << 39, false, 0);
	/* 1 PDPT + 4 PDs + 2047 PTs (the 2 MiB-aligned hole needs none) */
	assert_int_equal(pt.table_pages, 1 + 4 + 2047);
}

static void test_pt_2m_only_aligned_hole(void **state)
{
	struct vtd_pt pt;

	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, VTD_PT_2M, 2 * GiB), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0, 2 * GiB), 0);
	assert_int_equal(vtd_pt_add_hole(&pt, 0x40000000, 4 * MiB), 0);
	assert_int_equal(vtd_pt_build(&pt), 0);
	assert_int_equal(walk_check(&pt, pt.root, 4, 0), 2 * GiB - 4 * MiB);
	expect_map(&pt, 0x40400000, true, 2);
	expect_map(&pt, 0x3fe00000, true, 2);
	/* 2 MiB-aligned hole: no 4 KiB tables at all */
	assert_int_equal(pt.table_pages, 1 + 1 + 2);
}

static void test_pt_bad_args_and_oom(void **state)
{
	struct vtd_pt pt;

	assert_int_equal(vtd_pt_init(&pt, &fmm, 5, 0, GiB), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 2, 0, GiB), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 3, 0, GiB + 1), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 3, 0, (1ULL << 39) + GiB), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, 0, (1ULL << 48) + GiB), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, 4, GiB), -EINVAL);
	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, VTD_PT_1G, GiB), 0);
	assert_int_equal(vtd_pt_add_hole(&pt, 0x1000, 0), -EINVAL);
	assert_int_equal(vtd_pt_add_hole(&pt, ~0ULL - 10, 100), -EINVAL);
	for (u32 i = 0; i < VTD_PT_MAX_HOLES; i++)
		assert_int_equal(vtd_pt_add_hole(&pt, i * MiB, PG), 0);
	assert_int_equal(vtd_pt_add_hole(&pt, 100 * MiB, PG), -E2BIG);
	assert_int_equal(vtd_pt_add_range(&pt, 0, GiB), 0);
	page_limit = 3;
	assert_int_equal(vtd_pt_build(&pt), -ENOMEM);
}

/* Ranges: kept sorted and merged, rounded in; nothing mapped outside them. */
static void test_pt_ranges(void **state)
{
	static struct vtd_pt pt;

	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, VTD_PT_2M | VTD_PT_1G, 1ULL << 40), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0x100000, 0x100000), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0, 0x9f000), 0);
	assert_int_equal(vtd_pt_add_range(&pt, 0x300000, 0x100000), 0);
	assert_int_equal(pt.range_count, 3);
	assert_int_equal(pt.ranges[0].end, 0x9f000);
	/* touching both neighbours: one range */
	assert_int_equal(vtd_pt_add_range(&pt, 0x200000, 0x100000), 0);
	assert_int_equal(pt.range_count, 2);
	assert_int_equal(pt.ranges[1].base, 0x100000);
	assert_int_equal(pt.ranges[1].end, 0x400000);
	/* overlapping and covering: swallowed */
	assert_int_equal(vtd_pt_add_range(&pt, 0x80000, 0x400000), 0);
	assert_int_equal(pt.range_count, 1);
	assert_int_equal(pt.ranges[0].end, 0x480000);
	/* unaligned: rounded in; less than a page: nothing */
	assert_int_equal(vtd_pt_add_range(&pt, 0x500800, 0x2000), 0);
	assert_int_equal(pt.ranges[1].base, 0x501000);
	assert_int_equal(pt.ranges[1].end, 0x502000);
	assert_int_equal(vtd_pt_add_range(&pt, 0x600800, 0x1000), 0);
	assert_int_equal(pt.range_count, 2);
	assert_int_equal(vtd_pt_add_range(&pt, 0x1000, 0), -EINVAL);
	assert_int_equal(vtd_pt_add_range(&pt, ~0ULL - 10, 100), -EINVAL);
	assert_int_equal(vtd_pt_build(&pt), 0);
	expect_map(&pt, 0, true, 2);
	expect_map(&pt, 0x47f000, true, 1);
	expect_map(&pt, 0x480000, false, 0);
	expect_map(&pt, 0x500000, false, 0);
	expect_map(&pt, 0x501000, true, 1);
	expect_map(&pt, 0x502000, false, 0);
	expect_map(&pt, 0x600000, false, 0);
	expect_map(&pt, GiB, false, 0);
	assert_int_equal(walk_check(&pt, pt.root, 4, 0), 0x480000 + PG);
	/* full: disjoint pages until no slot is left */
	assert_int_equal(vtd_pt_init(&pt, &fmm, 4, 0, 1ULL << 40), 0);
	for (u32 i = 0; i < VTD_PT_MAX_RANGES; i++)
		assert_int_equal(vtd_pt_add_range(&pt, (u64)i * 2 * PG, PG), 0);
	assert_int_equal(vtd_pt_add_range(&pt, GiB, PG), -E2BIG);
	/* but one that merges still fits */
	assert_int_equal(vtd_pt_add_range(&pt, PG, PG), 0);
	assert_int_equal(pt.range_count, VTD_PT_MAX_RANGES - 1);
}

static void test_entries(void **state)
{
	struct vtd_entry r = vtd_root_entry(0x12345000);
	struct vtd_entry c = vtd_context_entry(0xabcde000, 4, VTD_DOMAIN_ID);

	assert_int_equal(r.lo, 0x12345001);
	assert_int_equal(r.hi, 0);
	/* present, FPD clear, TT 00 (never pass-through), SLPTPTR */
	assert_int_equal(c.lo, 0xabcde001);
	assert_int_equal(c.lo & (3 << VTD_CE_TT_SHIFT), 0);
	/* AW 010 (48-bit), DID 1 */
	assert_int_equal(c.hi, 0x102);
	c = vtd_context_entry(0xabcde000, 3, 7);
	assert_int_equal(c.hi, 0x701);
	assert_int_equal(sizeof(struct vtd_entry), 16);
}

/* ---- vtd.c against register sets in plain memory (a unit that never answers) ---- */

static u8 *fake_unit(u64 cap, u64 ecap, u32 gsts)
{
	u8 *r = aligned_alloc(PG, 2 * PG);

	memset(r, 0, 2 * PG);
	put64(r + 0x08, cap);
	put64(r + 0x10, ecap);
	put32(r + 0x1c, gsts);
	return r;
}

/* QEMU's values: SAGAW 39+48, 2M+1G, FRO 0x220, NFR 1; ECAP IRO 0xf0. */
#define CAP_OK		0xd2008c222f0606ULL
#define ECAP_OK		0xf00f4aULL

static struct dmar_info one_unit(const u8 *regs)
{
	struct dmar_info d = { .haw = 39, .unit_count = 1 };

	d.units[0] = (struct dmar_unit){ .reg_base = (u64)regs, .reg_pages = 1 };
	return d;
}

/* All of [0, 2^47) conventional: the tests below look at the holes only. */
static const struct boot_mem_range all_ram[] = {
	{ .base = 0, .pages = (1ULL << 47) / PG, .type = BOOT_MEM_CONVENTIONAL },
};

static void test_unit_timeouts_refused(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { all_ram, 1, 0x1000000, 16 * MiB };
	struct dmar_info d;
	u8 *r;

	/* the root-table pointer is never confirmed */
	r = fake_unit(CAP_OK, ECAP_OK, 0);
	d = one_unit(r);
	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);
	assert_false(v.units[0].enabled);
	/* the unit's registers (here at a heap address) are a hole in its tables */
	assert_true((u64)r + 2 * PG < v.pt.top);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, (u64)r, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, (u64)r + 2 * PG, NULL, NULL, NULL), 0);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, 0x1000000, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, 0x2000000, NULL, NULL, NULL), 0);
	/* RTPS "set" but the context-cache invalidation never completes */
	put32(r + 0x1c, BIT(30));
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);
	assert_false(v.units[0].enabled);
	free(r);
}

static void test_unit_caps_refused(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { all_ram, 1, 0x1000000, 16 * MiB };
	struct dmar_info d;
	u8 *r;

	/* no 3- or 4-level walk (SAGAW 5-level only) */
	r = fake_unit((CAP_OK & ~(0x1fULL << 8)) | (8ULL << 8), ECAP_OK, 0);
	d = one_unit(r);
	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -ENOSYS);
	free(r);
	/* an RMRR inside the VMM region */
	r = fake_unit(CAP_OK, ECAP_OK, BIT(30));
	d = one_unit(r);
	d.rmrr_count = 1;
	d.rmrr[0] = (struct dmar_rmrr){ 0x1800000, 0x1800fff, 0 };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EINVAL);
	free(r);
}

/*
 * A PC-like memory map: only RAM types (and an RMRR in reserved memory) are
 * mapped; MMIO, the PCI hole, reserved, unusable and the VMM region are not.
 */
static const struct boot_mem_range pc_map[] = {
	{ 0x0, 0x9f, BOOT_MEM_CONVENTIONAL, 0, 0 },
	{ 0x9f000, 0x61, BOOT_MEM_RESERVED, 0, 0 },
	{ 0x100000, 0xf00, BOOT_MEM_BS_DATA, 0, 0 },
	{ 0x1000000, 0x1000, BOOT_MEM_RESERVED, 0, 0 },		/* the VMM region */
	{ 0x2000000, 0x7d000, BOOT_MEM_CONVENTIONAL, 0, 0 },
	{ 0x7f000000, 0x400, BOOT_MEM_ACPI_NVS, 0, 0 },
	{ 0x7f400000, 0x200, BOOT_MEM_ACPI_RECLAIM, 0, 0 },
	{ 0x7f600000, 0x100, BOOT_MEM_RT_CODE, 0, 0 },
	{ 0x7f700000, 0x100, BOOT_MEM_RT_DATA, 0, 0 },
	{ 0x7f800000, 0x800, BOOT_MEM_LOADER_DATA, 0, 0 },
	{ 0xe0000000, 0x10000, BOOT_MEM_MMIO, 0, 0 },		/* ECAM */
	{ 0xfec00000, 0x1, BOOT_MEM_MMIO, 0, 0 },
	{ 0xfee00000, 0x1, BOOT_MEM_MMIO_PORT, 0, 0 },
	{ 0xffc00000, 0x400, BOOT_MEM_MMIO, 0, 0 },		/* flash */
	{ 0x100000000, 0x80000, BOOT_MEM_CONVENTIONAL, 0, 0 },
	{ 0x180000000, 0x200, BOOT_MEM_UNUSABLE, 0, 0 },
	{ 0x200000000, 0x40000, BOOT_MEM_PERSISTENT, 0, 0 },
	{ 0x300000000, 0x1000, BOOT_MEM_PAL_CODE, 0, 0 },
	{ 0x400000000, 0x1000, 99, 0, 0 },			/* unknown type */
};

static void test_ram_only(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { pc_map, ARRAY_SIZE(pc_map), 0x1000000, 16 * MiB };
	struct dmar_info d;
	u8 *r = fake_unit(CAP_OK, ECAP_OK, 0);
	u64 pci_hole[] = { 0x80000000, 0xc0000000, 0xdffff000, 0xe0000000, 0xfebff000,
			   0xfec00000, 0xfed90000, 0xfee00000, 0xffc00000, 0xfffff000 };

	d = one_unit(r);
	d.rmrr_count = 1;
	d.rmrr[0] = (struct dmar_rmrr){ 0x9f000, 0x9ffff, 0 };
	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);	/* tables built, unit mute */
	assert_false(v.pt.snoop);
	/* RAM of every DMA-target type, large leaves where a range allows */
	expect_map(&v.pt, 0, true, 1);
	expect_map(&v.pt, 0x9e000, true, 1);
	expect_map(&v.pt, 0x9f000, true, 1);			/* the RMRR */
	expect_map(&v.pt, 0x100000, true, 1);
	expect_map(&v.pt, 0xfff000, true, 2);
	expect_map(&v.pt, 0x2000000, true, 2);
	expect_map(&v.pt, 0x40000000, true, 3);
	expect_map(&v.pt, 0x7f000000, true, 3);			/* NVS */
	expect_map(&v.pt, 0x7f400000, true, 3);			/* ACPI reclaim */
	expect_map(&v.pt, 0x7f600000, true, 3);			/* RT code */
	expect_map(&v.pt, 0x7f700000, true, 3);			/* RT data */
	expect_map(&v.pt, 0x7ffff000, true, 3);			/* loader data */
	expect_map(&v.pt, 0x100000000, true, 3);
	expect_map(&v.pt, 0x17fffffff, true, 3);
	expect_map(&v.pt, 0x200000000, true, 3);		/* persistent */
	/* not RAM: MMIO, the PCI hole, legacy VGA/ROM, reserved past the RMRR */
	expect_map(&v.pt, 0xa0000, false, 0);
	expect_map(&v.pt, 0xff000, false, 0);
	for (u32 i = 0; i < ARRAY_SIZE(pci_hole); i++)
		expect_map(&v.pt, pci_hole[i], false, 0);
	/* the VMM region, unusable, PAL code, an unknown type, past the map */
	expect_map(&v.pt, 0x1000000, false, 0);
	expect_map(&v.pt, 0x1ffffff, false, 0);
	expect_map(&v.pt, 0x180000000, false, 0);
	expect_map(&v.pt, 0x1801ff000, false, 0);
	expect_map(&v.pt, 0x240000000, false, 0);
	expect_map(&v.pt, 0x300000000, false, 0);
	expect_map(&v.pt, 0x400000000, false, 0);
	expect_map(&v.pt, 1ULL << 40, false, 0);
	/* everything mapped is exactly the RAM types plus the RMRR, less the VMM region */
	assert_int_equal(walk_check(&v.pt, v.pt.root, 4, 0),
			 0x9f000 + 0x1000 + 0xf00000 + 0x7e000000 + 2 * GiB + GiB);
	free(r);
}

/* With snoop control in every unit the leaves force snooping; else none do. */
static void test_snoop_control(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { pc_map, ARRAY_SIZE(pc_map), 0x1000000, 16 * MiB };
	u8 *r = fake_unit(CAP_OK, ECAP_OK | BIT(7), 0);
	struct dmar_info d = one_unit(r);
	u32 perms;

	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);
	assert_true(v.pt.snoop);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, 0x2000000, NULL, &perms, NULL), 0);
	assert_int_equal(perms, VTD_SL_R | VTD_SL_W | VTD_SL_SNP);
	assert_int_equal(vtd_pt_lookup(&v.pt, fake_p2v, 0x1000, NULL, &perms, NULL), 0);
	assert_int_equal(perms, VTD_SL_R | VTD_SL_W | VTD_SL_SNP);
	walk_check(&v.pt, v.pt.root, 4, 0);
	free(r);
	/* two units, one without: no SNP anywhere (it is reserved there) */
	r = fake_unit(CAP_OK, ECAP_OK | BIT(7), 0);
	d = one_unit(r);
	d.unit_count = 2;
	d.units[1] = (struct dmar_unit){ .reg_base = (u64)r + PG, .reg_pages = 1 };
	put64(r + PG + 0x08, CAP_OK);
	put64(r + PG + 0x10, ECAP_OK);
	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);
	assert_false(v.pt.snoop);
	walk_check(&v.pt, v.pt.root, 4, 0);
	free(r);
}

/* vtd_unit_check: TES, RTADDR and CAP as programmed, or -EIO. */
static void test_unit_check(void **state)
{
	static struct vtd v;
	u8 *r = fake_unit(CAP_OK, ECAP_OK, BIT(31));
	struct vtd_unit *u = &v.units[0];
	u64 root_pa;

	v = (struct vtd){ .mm = fmm, .unit_count = 1 };
	v.root_table = fake_alloc(NULL);
	root_pa = fake_v2p(NULL, v.root_table);
	*u = (struct vtd_unit){ .regs = r, .cap = CAP_OK, .ecap = ECAP_OK, .enabled = true };
	put64(r + 0x20, root_pa);
	assert_int_equal(vtd_unit_check(&v, u), 0);
	/* translation turned off */
	put32(r + 0x1c, 0);
	assert_int_equal(vtd_unit_check(&v, u), -EIO);
	/* another root table */
	put32(r + 0x1c, BIT(31));
	put64(r + 0x20, root_pa + PG);
	assert_int_equal(vtd_unit_check(&v, u), -EIO);
	put64(r + 0x20, root_pa);
	assert_int_equal(vtd_unit_check(&v, u), 0);
	/* the register set moved away: all-ones, or another device */
	memset(r, 0xff, 2 * PG);
	assert_int_equal(vtd_unit_check(&v, u), -EIO);
	memset(r, 0, 2 * PG);
	put32(r + 0x1c, BIT(31));
	put64(r + 0x20, root_pa);
	assert_int_equal(vtd_unit_check(&v, u), -EIO);	/* CAP reads 0 */
	free(r);
}

/* ---- DMA windows: domain 2 for their owners, never in domain 1 ---- */

#define BDF(b, d, f)	((u16)((b) << 8 | (d) << 3 | (f)))

/* @bdf's context entry, through the root table. */
static struct vtd_entry ctx_of(const struct vtd *v, u16 bdf)
{
	const struct vtd_entry *re = &v->root_table[bdf >> 8], *ctx;

	assert_true(re->lo & VTD_RE_P);
	ctx = fake_p2v(NULL, re->lo & VTD_SL_ADDR);
	return ctx[bdf & 0xff];
}

static void expect_domain(const struct vtd *v, u16 bdf, u16 did)
{
	struct vtd_entry c = ctx_of(v, bdf);
	const struct vtd_pt *pt = did == VTD_DOMAIN_WINDOWS ? &v->pt_win : &v->pt;

	assert_int_equal(c.lo, pt->root_pa | VTD_CE_P);
	assert_int_equal(c.hi, (u64)did << VTD_CE_DID_SHIFT | VTD_CE_AW_48);
}

/* Bytes mapped by the leaves below table @t. */
static u64 mapped_bytes(const u64 *t, u32 level)
{
	u64 span = 1ULL << (12 + 9 * (level - 1)), n = 0;

	for (u32 i = 0; i < 512; i++) {
		if (!t[i])
			continue;
		n += level == 1 || (t[i] & VTD_SL_SP) ? span :
		     mapped_bytes(fake_p2v(NULL, t[i] & VTD_SL_ADDR), level - 1);
	}
	return n;
}

static const struct { u16 bdf; u64 base, size; } test_windows[] = {
	{ BDF(0, 0x1f, 2), 0x1200000, 2 * MiB },	/* AHCI bounce pool */
	{ BDF(0, 0x1f, 2), 0x1402000, 0x21000 },	/* a port's shadow list + tables */
	{ BDF(0, 0x1f, 1), 0x1500000, 0x41000 },	/* IDE bounce + PRD page */
	{ BDF(3, 0, 0), 0x1fff000, 0x1000 },		/* behind a bridge: bus 3 */
};

static void add_test_windows(struct vtd *v, const struct vtd_space *sp)
{
	for (u32 i = 0; i < ARRAY_SIZE(test_windows); i++)
		assert_int_equal(vtd_add_window(v, sp, test_windows[i].bdf,
						test_windows[i].base, test_windows[i].size), 0);
}

static void test_window_domains(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { pc_map, ARRAY_SIZE(pc_map), 0x1000000, 16 * MiB };
	u8 *r = fake_unit(CAP_OK, ECAP_OK, 0);
	struct dmar_info d = one_unit(r);
	const u16 others[] = { BDF(0, 0, 0), BDF(0, 2, 0), BDF(0, 0x1f, 0), BDF(0, 0x1f, 3),
			       BDF(0, 0x1e, 2), BDF(3, 0, 1), BDF(2, 0, 0), BDF(0xff, 0x1f, 7),
			       BDF(1, 0x1f, 2) };
	u64 win_bytes = 0;

	v = (struct vtd){ .mm = fmm };
	add_test_windows(&v, &sp);
	assert_int_equal(v.owner_count, 3);
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);	/* tables built, unit mute */
	/* context entries: owners in domain 2, every other requester in domain 1 */
	for (u32 i = 0; i < ARRAY_SIZE(test_windows); i++)
		expect_domain(&v, test_windows[i].bdf, VTD_DOMAIN_WINDOWS);
	for (u32 i = 0; i < ARRAY_SIZE(others); i++)
		expect_domain(&v, others[i], VTD_DOMAIN_ID);
	for (u32 bus = 0; bus < 256; bus++)
		for (u32 df = 0; df < 256; df++) {
			u16 bdf = BDF(bus, 0, 0) | df;
			bool owner = bdf == BDF(0, 0x1f, 2) || bdf == BDF(0, 0x1f, 1) ||
				     bdf == BDF(3, 0, 0);

			expect_domain(&v, bdf, owner ? VTD_DOMAIN_WINDOWS : VTD_DOMAIN_ID);
		}
	/* domain 1 never maps a window page (nor anything else of the VMM region) */
	for (u32 i = 0; i < ARRAY_SIZE(test_windows); i++) {
		win_bytes += test_windows[i].size;
		for (u64 a = test_windows[i].base; a < test_windows[i].base + test_windows[i].size;
		     a += PG)
			expect_map(&v.pt, a, false, 0);
	}
	walk_check(&v.pt, v.pt.root, 4, 0);
	/* domain 2: the windows, page by page, and the same RAM; no other VMM page */
	for (u32 i = 0; i < ARRAY_SIZE(test_windows); i++)
		for (u64 a = test_windows[i].base; a < test_windows[i].base + test_windows[i].size;
		     a += PG)
			expect_map(&v.pt_win, a, true, 0);
	expect_map(&v.pt_win, 0x1000000, false, 0);
	expect_map(&v.pt_win, 0x11ff000, false, 0);
	expect_map(&v.pt_win, 0x1400000, false, 0);
	expect_map(&v.pt_win, 0x1401000, false, 0);
	expect_map(&v.pt_win, 0x1423000, false, 0);
	expect_map(&v.pt_win, 0x1541000, false, 0);
	expect_map(&v.pt_win, 0x1ffe000, false, 0);
	expect_map(&v.pt_win, 0x2000000, true, 2);		/* RAM (the AHCI's FIS area) */
	expect_map(&v.pt_win, 0x100000000, true, 3);
	expect_map(&v.pt_win, 0xe0000000, false, 0);		/* MMIO stays out */
	expect_map(&v.pt_win, 0xfee00000, false, 0);
	assert_int_equal(mapped_bytes(v.pt_win.root, 4), mapped_bytes(v.pt.root, 4) + win_bytes);
	/* the windows' context tables: one per bus with an owner */
	assert_non_null(v.owner_context[0]);
	assert_non_null(v.owner_context[1]);
	assert_null(v.owner_context[2]);
	assert_int_equal(v.root_table[2].lo, v.root_table[4].lo);
	/* after the tables are built no window opens */
	assert_int_equal(vtd_add_window(&v, &sp, BDF(0, 0x1f, 2), 0x1100000, PG), -EBUSY);
	free(r);
}

/* No window: one domain, one context table, as before. */
static void test_no_window_one_domain(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { pc_map, ARRAY_SIZE(pc_map), 0x1000000, 16 * MiB };
	u8 *r = fake_unit(CAP_OK, ECAP_OK, 0);
	struct dmar_info d = one_unit(r);

	v = (struct vtd){ .mm = fmm };
	assert_int_equal(vtd_enable_all(&v, &d, &sp), -EIO);
	assert_null(v.pt_win.root);
	for (u32 bus = 0; bus < 256; bus++)
		assert_int_equal(v.root_table[bus].lo, v.root_table[0].lo);
	expect_domain(&v, BDF(0, 0x1f, 2), VTD_DOMAIN_ID);
	free(r);
}

static void test_window_refused(void **state)
{
	static struct vtd v;
	struct vtd_space sp = { pc_map, ARRAY_SIZE(pc_map), 0x1000000, 16 * MiB };
	u16 ahci = BDF(0, 0x1f, 2);
	u32 i;

	v = (struct vtd){ .mm = fmm };
	/* empty, unaligned, wrapping, outside or across the edge of the VMM region */
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1200000, 0), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1200800, PG), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1200000, 0x800), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1200000, 0x1800), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, ~0xfffULL, 2 * PG), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x2000000, PG), -EINVAL);	/* RAM */
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0xfec00000, PG), -EINVAL);	/* MMIO */
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0xfff000, PG), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1fff000, 2 * PG), -EINVAL);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1000000, 16 * MiB), 0);	/* all */
	assert_int_equal(v.window_count, 1);
	assert_int_equal(v.owner_count, 1);
	/* too many owners */
	v = (struct vtd){ .mm = fmm };
	for (i = 0; i < VTD_MAX_OWNERS; i++)
		assert_int_equal(vtd_add_window(&v, &sp, BDF(0, 3, i), 0x1000000, PG), 0);
	assert_int_equal(vtd_add_window(&v, &sp, BDF(0, 4, 0), 0x1002000, PG), -E2BIG);
	assert_int_equal(vtd_add_window(&v, &sp, BDF(0, 3, 0), 0x1002000, PG), 0);
	assert_int_equal(v.owner_count, VTD_MAX_OWNERS);
	/* too many windows; adjacent ones merge */
	v = (struct vtd){ .mm = fmm };
	for (i = 0; i < VTD_PT_MAX_WINDOWS; i++)
		assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1000000 + 2 * i * PG, PG), 0);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1000000 + 2 * i * PG, PG), -E2BIG);
	assert_int_equal(v.window_count, VTD_PT_MAX_WINDOWS);
	assert_int_equal(vtd_add_window(&v, &sp, ahci, 0x1001000, PG), 0);	/* joins two */
	assert_int_equal(v.window_count, VTD_PT_MAX_WINDOWS - 1);
}

/*
 * The policy's iommu mode against the two ways a boot ends up without DMA
 * remapping: no hardware (only 'required' stops) and a failure (only
 * 'optional' goes on). Each verdict logs one line.
 */
static void test_boot_verdict(void **state)
{
	extern unsigned int stub_log_lines;
	static const struct {
		u8 mode;
		bool absent;
		int want;
	} cases[] = {
		{ POLICY_IOMMU_AUTO, true, 0 },
		{ POLICY_IOMMU_REQUIRED, true, -EPERM },
		{ POLICY_IOMMU_OPTIONAL, true, 0 },
		{ POLICY_IOMMU_AUTO, false, -EPERM },
		{ POLICY_IOMMU_REQUIRED, false, -EPERM },
		{ POLICY_IOMMU_OPTIONAL, false, 0 },
		{ 0, true, -EPERM },		/* no mode: fail closed */
		{ 0, false, -EPERM },
		{ 4, true, -EPERM },
		{ 0xff, false, -EPERM },
	};
	u32 i, lines;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lines = stub_log_lines;
		assert_int_equal(vtd_boot_verdict(cases[i].mode, cases[i].absent,
						  cases[i].absent ? NULL : "enabling", -EIO),
				 cases[i].want);
		assert_int_equal(stub_log_lines, lines + 1);
	}
	/* the no-policy default (policy_iommu_mode(NULL) == auto) keeps today's behaviour */
	assert_int_equal(vtd_boot_verdict(policy_iommu_mode(NULL), true, NULL, 0), 0);
	assert_int_equal(vtd_boot_verdict(policy_iommu_mode(NULL), false, "probing", -EINVAL),
			 -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmar_good),
		cmocka_unit_test(test_dmar_no_units),
		cmocka_unit_test(test_dmar_header_errors),
		cmocka_unit_test(test_dmar_struct_lengths),
		cmocka_unit_test(test_dmar_scope_lengths),
		cmocka_unit_test(test_dmar_bad_values),
		cmocka_unit_test(test_dmar_too_many),
		cmocka_unit_test(test_dmar_mutations),
		cmocka_unit_test(test_acpi_find),
		cmocka_unit_test(test_acpi_hostile),
		cmocka_unit_test_setup_teardown(test_pt_vmm_hole, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_pt_3level_no_large, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_pt_2m_only_aligned_hole, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_pt_bad_args_and_oom, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_pt_ranges, pt_setup, pt_teardown),
		cmocka_unit_test(test_entries),
		cmocka_unit_test_setup_teardown(test_unit_timeouts_refused, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_unit_caps_refused, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_ram_only, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_snoop_control, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_unit_check, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_window_domains, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_no_window_one_domain, pt_setup, pt_teardown),
		cmocka_unit_test_setup_teardown(test_window_refused, pt_setup, pt_teardown),
		cmocka_unit_test(test_boot_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
