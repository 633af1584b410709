// SPDX-License-Identifier: GPL-2.0-only
/* The PIIX IDE intercept's taskfile decoding (the allowlist: test_ata_cmds.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <drivers/ata.h>
#include <drivers/reg_merge.h>

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

/* A reset: the signature, and a sector command needs every address register rewritten. */
static void test_tf_reset_validity(void **state)
{
	struct ata_taskfile tf;
	u32 r;

	ata_tf_reset(&tf);
	assert_int_equal(tf.count[0], 1);
	assert_int_equal(tf.lbal[0], 1);
	assert_int_equal(tf.dev, 0);
	for (r = 2; r <= 5; r++) {
		assert_false(ata_tf_addr_valid(&tf, false));
		ata_tf_write(&tf, r, 0);
	}
	assert_false(ata_tf_addr_valid(&tf, false));	/* the device register still missing */
	ata_tf_write(&tf, 6, 0x40);
	assert_true(ata_tf_addr_valid(&tf, false));
	assert_false(ata_tf_addr_valid(&tf, true));	/* HOB bytes written once only */
	for (r = 2; r <= 5; r++)
		ata_tf_write(&tf, r, 0);
	assert_true(ata_tf_addr_valid(&tf, true));
	ata_tf_reset(&tf);
	assert_false(ata_tf_addr_valid(&tf, false));
}

/* Sub-dword register merges (drivers/include/drivers/reg_merge.h). */
static void test_reg_merge(void **state)
{
	assert_int_equal(reg_merge(0x11223344, 0, 4, 0xaabbccdd), 0xaabbccdd);
	assert_int_equal(reg_merge(0x11223344, 1, 1, 0xffffffee), 0x1122ee44);
	assert_int_equal(reg_merge(0x11223344, 6, 2, 0xbeef), 0xbeef3344);
	assert_int_equal(reg_extract(0x11223344, 5, 1), 0x33);
	assert_int_equal(reg_extract(0x11223344, 2, 2), 0x1122);
	assert_int_equal(reg_extract(0x11223344, 0, 4), 0x11223344);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tf_lba28),
		cmocka_unit_test(test_tf_lba48_hob),
		cmocka_unit_test(test_tf_reset_validity),
		cmocka_unit_test(test_reg_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
