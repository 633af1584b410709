// SPDX-License-Identifier: GPL-2.0-only
/* drivers/pci_mcfg.c: the MCFG parser against good and hostile tables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <drivers/pci_ecam.h>
#include <mamori/errno.h>

static u8 tbl[44 + 16 * (MCFG_MAX + 2)];

static void put(u8 *p, u64 v, u32 n)
{
	while (n--) {
		*p++ = (u8)v;
		v >>= 8;
	}
}

/* An MCFG with @n entries; entry i from the arrays. Returns its length. */
static u32 build(u32 n, const u64 *base, const u16 *seg, const u8 *start, const u8 *end)
{
	u32 i, len = 44 + 16 * n;

	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "MCFG", 4);
	put(tbl + 4, len, 4);
	tbl[8] = 1;
	for (i = 0; i < n; i++) {
		put(tbl + 44 + 16 * i, base[i], 8);
		put(tbl + 44 + 16 * i + 8, seg[i], 2);
		tbl[44 + 16 * i + 10] = start[i];
		tbl[44 + 16 * i + 11] = end[i];
	}
	return len;
}

static u32 build1(u64 base, u16 seg, u8 start, u8 end)
{
	return build(1, &base, &seg, &start, &end);
}

static void test_good(void **state)
{
	const u64 base[] = { 0xb0000000, 0xe0000000, 0x4000000000 };
	const u16 seg[] = { 0, 1, 0 };
	const u8 start[] = { 0, 0, 0x80 }, end[] = { 0x7f, 0x3f, 0xff };
	struct mcfg_info m;
	u64 lo, hi;
	u32 len = build(3, base, seg, start, end);

	assert_int_equal(mcfg_parse(tbl, len, &m), 0);
	assert_int_equal(m.count, 3);
	assert_int_equal(m.win[0].base, 0xb0000000);
	assert_int_equal(m.win[1].segment, 1);
	assert_int_equal(m.win[2].bus_start, 0x80);
	assert_int_equal(m.win[2].bus_end, 0xff);
	mcfg_window_range(&m.win[2], &lo, &hi);
	assert_int_equal(lo, 0x4000000000 + (0x80ULL << 20));
	assert_int_equal(hi, 0x4000000000 + (0x100ULL << 20));
	assert_int_equal(mcfg_parse(tbl, build(0, NULL, NULL, NULL, NULL), &m), 0);
	assert_int_equal(m.count, 0);
}

static void test_hostile_header(void **state)
{
	struct mcfg_info m;
	u32 len = build1(0xb0000000, 0, 0, 0xff);

	assert_int_equal(mcfg_parse(tbl, 43, &m), -EINVAL);		/* too short */
	tbl[0] = 'X';
	assert_int_equal(mcfg_parse(tbl, len, &m), -EINVAL);		/* signature */
	len = build1(0xb0000000, 0, 0, 0xff);
	assert_int_equal(mcfg_parse(tbl, len - 4, &m), -EINVAL);	/* length field */
	put(tbl + 4, len + 8, 4);
	assert_int_equal(mcfg_parse(tbl, len + 8, &m), -EINVAL);	/* half an entry */
	assert_int_equal(build(MCFG_MAX + 1, (u64[MCFG_MAX + 1]){ 0 }, (u16[MCFG_MAX + 1]){ 0 },
			       (u8[MCFG_MAX + 1]){ 0 }, (u8[MCFG_MAX + 1]){ 0 }), 44 + 16 * 17);
	assert_int_equal(mcfg_parse(tbl, 44 + 16 * 17, &m), -E2BIG);
}

static void test_hostile_windows(void **state)
{
	struct mcfg_info m;

	assert_int_equal(mcfg_parse(tbl, build1(0xb0080000, 0, 0, 0xff), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build1(0xb0000000, 0, 0x10, 0x0f), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build1(0xfffffffffff00000ULL, 0, 0, 0xff), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build1((1ULL << 52) - (1 << 20), 0, 0, 1), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build1((1ULL << 52) - (1 << 20), 0, 0, 0), &m), 0);
	/* One segment's buses twice; two segments over one range. */
	assert_int_equal(mcfg_parse(tbl, build(2, (u64[]){ 0xb0000000, 0xd0000000 },
					       (u16[]){ 0, 0 }, (u8[]){ 0, 0x40 },
					       (u8[]){ 0x7f, 0xff }), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build(2, (u64[]){ 0xb0000000, 0xb0000000 },
					       (u16[]){ 0, 1 }, (u8[]){ 0, 0x80 },
					       (u8[]){ 0xff, 0x80 }), &m), -EINVAL);
	assert_int_equal(mcfg_parse(tbl, build(2, (u64[]){ 0xb0000000, 0xc0000000 },
					       (u16[]){ 0, 1 }, (u8[]){ 0, 0 },
					       (u8[]){ 0xff, 0xff }), &m), 0);
}

/* Every truncation and every single-byte change, in an exact-size copy (ASan). */
static void test_mutations(void **state)
{
	const u64 base[] = { 0xb0000000, 0xe0000000 };
	u32 len = build(2, base, (u16[]){ 0, 1 }, (u8[]){ 0, 0 }, (u8[]){ 0xff, 0x3f });
	struct mcfg_info m;
	u32 i, v;

	for (i = 0; i <= len; i++) {
		u8 *c = malloc(i ? i : 1);

		memcpy(c, tbl, i);
		assert_int_equal(mcfg_parse(c, i, &m), i == len ? 0 : -EINVAL);
		free(c);
	}
	for (i = 0; i < len; i++) {
		for (v = 0; v < 256; v += 17) {
			u8 *c = malloc(len);
			int rc;

			memcpy(c, tbl, len);
			c[i] ^= (u8)(v | 1);
			rc = mcfg_parse(c, len, &m);
			assert_true(rc == 0 || rc == -EINVAL);
			if (!rc)
				assert_true(m.count == 2 && !(m.win[0].base & 0xfffff) &&
					    m.win[0].bus_start <= m.win[0].bus_end);
			free(c);
		}
	}
}

static void test_q35_pciexbar(void **state)
{
	u32 buses;

	assert_int_equal(q35_pciexbar_decode(0xb0000001, &buses), 0xb0000000);
	assert_int_equal(buses, 256);
	assert_int_equal(q35_pciexbar_decode(0xb8000003, &buses), 0xb8000000);	/* 128 */
	assert_int_equal(buses, 128);
	assert_int_equal(q35_pciexbar_decode(0xbc000005, &buses), 0xbc000000);	/* 64 */
	assert_int_equal(q35_pciexbar_decode(0xbc000001, &buses), 0xb0000000);	/* 256: 27:26 ignored */
	assert_int_equal(q35_pciexbar_decode(0xb0000000, &buses), 0);		/* disabled */
	assert_int_equal(q35_pciexbar_decode(0xf00000001ULL | 0xfULL << 36, &buses), 0xf00000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_hostile_header),
		cmocka_unit_test(test_hostile_windows),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_q35_pciexbar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
