// SPDX-License-Identifier: GPL-2.0-only
/* The PIIX IDE intercept's pure parts: the command allowlist and taskfile decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <drivers/ata.h>
#include <mamori/errno.h>

static void test_allowlist_data_commands(void **state)
{
	struct ata_cmd_info ci;

	assert_int_equal(ata_cmd_lookup(0x25, 0, &ci), 0);	/* READ DMA EXT */
	assert_int_equal(ci.proto, ATA_DMA_IN);
	assert_true(ci.sectors && ci.lba48);
	assert_int_equal(ata_cmd_lookup(0xca, 0, &ci), 0);	/* WRITE DMA */
	assert_int_equal(ci.proto, ATA_DMA_OUT);
	assert_true(ci.sectors && !ci.lba48);
	assert_int_equal(ata_cmd_lookup(0x34, 0, &ci), 0);	/* WRITE SECTORS EXT */
	assert_int_equal(ci.proto, ATA_PIO_OUT);
	assert_int_equal(ata_cmd_lookup(0xec, 0, &ci), 0);	/* IDENTIFY: data, not sectors */
	assert_int_equal(ci.proto, ATA_PIO_IN);
	assert_false(ci.sectors);
	assert_int_equal(ata_cmd_lookup(0x47, 0, &ci), 0);	/* READ LOG DMA EXT: log pages */
	assert_false(ci.sectors);
}

static void test_allowlist_refusals(void **state)
{
	static const u8 refused[] = { 0x92, 0x93, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0x06,
				      0x37, 0xf9, 0xb1, 0x45, 0x3f, 0x57, 0xb4, 0x5e, 0xe8,
				      0x32, 0x80, 0x8f, 0xc0, 0xff, 0x01, 0x7f };
	struct ata_cmd_info ci;
	size_t i;

	for (i = 0; i < sizeof(refused); i++) {
		assert_int_equal(ata_cmd_lookup(refused[i], 0, &ci), -EPERM);
		assert_int_equal(ci.proto, ATA_REFUSED);
		assert_non_null(ci.name);
	}
	ata_cmd_lookup(0x92, 0, &ci);
	assert_string_equal(ci.name, "DOWNLOAD MICROCODE");
	ata_cmd_lookup(0xf5, 0, &ci);
	assert_string_equal(ci.name, "SECURITY FREEZE LOCK");
	ata_cmd_lookup(0x01, 0, &ci);
	assert_string_equal(ci.name, "unknown");
}

static void test_smart_subcommands(void **state)
{
	struct ata_cmd_info ci;

	assert_int_equal(ata_cmd_lookup(0xb0, 0xd0, &ci), 0);	/* READ DATA */
	assert_int_equal(ci.proto, ATA_PIO_IN);
	assert_int_equal(ata_cmd_lookup(0xb0, 0xda, &ci), 0);	/* RETURN STATUS */
	assert_int_equal(ci.proto, ATA_NODATA);
	assert_int_equal(ata_cmd_lookup(0xb0, 0xd6, &ci), -EPERM);	/* WRITE LOG: SCT */
}

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
		cmocka_unit_test(test_allowlist_data_commands),
		cmocka_unit_test(test_allowlist_refusals),
		cmocka_unit_test(test_smart_subcommands),
		cmocka_unit_test(test_tf_lba28),
		cmocka_unit_test(test_tf_lba48_hob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
