// SPDX-License-Identifier: GPL-2.0-only
/* Boot-info building: memory map normalisation and load options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "boot_info_build.h"

struct efi_desc {
	u32 type, pad;
	u64 phys, virt, pages, attr;
	u64 extra;	/* firmware descriptors may be larger than the struct */
};

static struct boot_info bi;

static void test_memmap_sorted_and_merged(void **state)
{
	struct efi_desc d[] = {
		{ BOOT_MEM_CONVENTIONAL, 0, 0x100000, 0, 16, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x0, 0, 160, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x110000, 0, 16, 0xf, 0 },	/* merges */
		{ BOOT_MEM_RESERVED, 0, 0x120000, 0, 4, 0xf, 0 },
		{ BOOT_MEM_CONVENTIONAL, 0, 0x124000, 0, 4, 0xf, 0 },
	};

	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), 0);
	assert_int_equal(bi.mem_count, 4);
	assert_int_equal(bi.mem[0].base, 0);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].pages, 32);
	assert_int_equal(bi.mem[2].type, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem[3].base, 0x124000);
}

static void test_memmap_malformed(void **state)
{
	struct efi_desc d[] = { { BOOT_MEM_CONVENTIONAL, 0, 0x1001, 0, 1, 0, 0 } };
	struct efi_desc wrap[] = { { BOOT_MEM_CONVENTIONAL, 0, 0xfffffffffffff000ULL, 0, 2, 0, 0 } };

	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), -1);
	assert_int_equal(bi_set_memmap(&bi, wrap, sizeof(wrap), sizeof(wrap[0])), -1);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), 8), -1);	/* stride too small */
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d) - 1, sizeof(d[0])), -1);
}

static void test_memmap_too_many(void **state)
{
	static struct efi_desc d[BOOT_MEM_MAX + 1];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(d); i++)
		d[i] = (struct efi_desc){ i & 1 ? BOOT_MEM_RESERVED : BOOT_MEM_CONVENTIONAL,
					  0, i * 0x2000ULL, 0, 1, 0, 0 };
	bi_init(&bi);
	assert_int_equal(bi_set_memmap(&bi, d, sizeof(d), sizeof(d[0])), -1);
}

static u64 to_ucs2(const char *s, u16 *out)
{
	u64 n = 0;

	while ((out[n] = (u8)s[n]))
		n++;
	return (n + 1) * 2;
}

static void test_options(void **state)
{
	u16 opts[128], next[64] = { 'd', 'e', 'f', 0 };
	u64 bytes = to_ucs2("quiet next=\\EFI\\x\\y.efi uart=0x3f8", opts);

	bi_init(&bi);
	assert_int_equal(bi.uart_port, 0x2f8);
	assert_int_equal(bi_set_options(&bi, opts, bytes, next, 64), 0);
	assert_string_equal(bi.options, "quiet next=\\EFI\\x\\y.efi uart=0x3f8");
	assert_int_equal(bi.uart_port, 0x3f8);
	assert_int_equal(next[0], '\\');
	assert_int_equal(next[11], 'i');
	assert_int_equal(next[12], 0);
}

static void test_options_absent_keep_default(void **state)
{
	u16 next[8] = { 'd', 0 };

	bi_init(&bi);
	assert_int_equal(bi_set_options(&bi, NULL, 0, next, 8), 0);
	assert_int_equal(next[0], 'd');
	assert_string_equal(bi.options, "");
}

static void test_options_malformed(void **state)
{
	u16 opts[128], next[8] = { 'd', 0 };
	u64 bytes;

	bi_init(&bi);
	bytes = to_ucs2("uart=3f8", opts);
	assert_int_equal(bi_set_options(&bi, opts, bytes, next, 8), -1);
	bytes = to_ucs2("uart=0x12345", opts);
	assert_int_equal(bi_set_options(&bi, opts, bytes, next, 8), -1);
	bytes = to_ucs2("next=\\very\\long\\path.efi", opts);
	assert_int_equal(bi_set_options(&bi, opts, bytes, next, 8), -1);
	bytes = to_ucs2("next=", opts);
	assert_int_equal(bi_set_options(&bi, opts, bytes, next, 8), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memmap_sorted_and_merged),
		cmocka_unit_test(test_memmap_malformed),
		cmocka_unit_test(test_memmap_too_many),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_options_absent_keep_default),
		cmocka_unit_test(test_options_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
