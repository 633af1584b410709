// SPDX-License-Identifier: GPL-2.0-only
/* The PIIX IDE intercept's taskfile decoding (the allowlist: test_ata_cmds.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <drivers/ata.h>

static void test_tf_lba28(void **state)
{
	struct ata_taskfile tf = { 0 };
	u64 lba;
	u32 n;

	ata_tf_write(&tf, 2, 0);		/* count 0: 256 sectors */
	ata_tf_write(&tf, 3, 0x78);
	ata_tf_write(&tf, 4, 0x56);
	ata_tf_write(&tf, 5, 0x34);
	ata_tf_write(&tf, 6, 0xe2);		/* LBA, master, LBA bits 27:24 = 2 */
	ata_tf_decode(&tf, false, &lba, &n);
	assert_int_equal(lba, 0x2345678);
	assert_int_equal(n, 256);
}

static void test_tf_lba48_hob(void **state)
{
	struct ata_taskfile tf = { 0 };
	u64 lba;
	u32 n;

	/* Linux's order: the HOB byte of each register first, then the low byte. */
	ata_tf_write(&tf, 2, 0x01);
	ata_tf_write(&tf, 3, 0x9a);
	ata_tf_write(&tf, 4, 0xbc);
	ata_tf_write(&tf, 5, 0xde);
	ata_tf_write(&tf, 2, 0x02);
	ata_tf_write(&tf, 3, 0x12);
	ata_tf_write(&tf, 4, 0x34);
	ata_tf_write(&tf, 5, 0x56);
	ata_tf_write(&tf, 6, 0x40);
	ata_tf_decode(&tf, true, &lba, &n);
	assert_int_equal(lba, 0xdebc9a563412ULL);
	assert_int_equal(n, 0x102);
	ata_tf_write(&tf, 2, 0);
	ata_tf_write(&tf, 2, 0);
	ata_tf_decode(&tf, true, &lba, &n);
	assert_int_equal(n, 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tf_lba28),
		cmocka_unit_test(test_tf_lba48_hob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
