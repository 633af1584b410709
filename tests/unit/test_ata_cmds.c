// SPDX-License-Identifier: GPL-2.0-only
/* The one ATA command allowlist (drivers/ata_cmds.c) of the IDE and AHCI intercepts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <drivers/ata_cmds.h>
#include <mamori/errno.h>

#define SMART_REQ(sub)	{ .command = 0xb0, .feature = (sub), .lbam = 0x4f, .lbah = 0xc2 }

static int lookup(u8 op, struct ata_cmd_info *ci)
{
	struct ata_cmd_req rq = { .command = op, .encrypted = true };

	return ata_cmd_lookup(&rq, ci);
}

#define SEC	1		/* sectors */
#define L48	2		/* 48-bit */
#define NCQ	4

/* Every opcode allowed without a subcommand filter, and how it moves data. */
static const struct {
	u8 op, proto, flags;
} allowed[] = {
	{ 0x00, ATA_NODATA, 0 }, { 0x08, ATA_NODATA, 0 }, { 0x10, ATA_NODATA, 0 },
	{ 0x20, ATA_PIO_IN, SEC }, { 0x21, ATA_PIO_IN, SEC },
	{ 0x24, ATA_PIO_IN, SEC | L48 }, { 0x25, ATA_DMA_IN, SEC | L48 },
	{ 0x27, ATA_NODATA, L48 }, { 0x29, ATA_PIO_IN, SEC | L48 },
	{ 0x2f, ATA_PIO_IN, L48 },
	{ 0x30, ATA_PIO_OUT, SEC }, { 0x31, ATA_PIO_OUT, SEC },
	{ 0x34, ATA_PIO_OUT, SEC | L48 }, { 0x35, ATA_DMA_OUT, SEC | L48 },
	{ 0x39, ATA_PIO_OUT, SEC | L48 }, { 0x3d, ATA_DMA_OUT, SEC | L48 },
	{ 0x40, ATA_NODATA, 0 }, { 0x41, ATA_NODATA, 0 }, { 0x42, ATA_NODATA, L48 },
	{ 0x47, ATA_DMA_IN, L48 },
	{ 0x60, ATA_DMA_IN, SEC | L48 | NCQ }, { 0x61, ATA_DMA_OUT, SEC | L48 | NCQ },
	{ 0x70, ATA_NODATA, 0 }, { 0x90, ATA_NODATA, 0 }, { 0x91, ATA_NODATA, 0 },
	{ 0xa0, ATA_PACKET, 0 }, { 0xa1, ATA_PIO_IN, 0 },
	{ 0xc4, ATA_PIO_IN, SEC }, { 0xc5, ATA_PIO_OUT, SEC }, { 0xc6, ATA_NODATA, 0 },
	{ 0xc8, ATA_DMA_IN, SEC }, { 0xc9, ATA_DMA_IN, SEC },
	{ 0xca, ATA_DMA_OUT, SEC }, { 0xcb, ATA_DMA_OUT, SEC },
	{ 0xce, ATA_PIO_OUT, SEC | L48 },
	{ 0xda, ATA_NODATA, 0 }, { 0xde, ATA_NODATA, 0 }, { 0xdf, ATA_NODATA, 0 },
	{ 0xe0, ATA_NODATA, 0 }, { 0xe1, ATA_NODATA, 0 }, { 0xe2, ATA_NODATA, 0 },
	{ 0xe3, ATA_NODATA, 0 },
	{ 0xe5, ATA_NODATA, 0 }, { 0xe6, ATA_NODATA, 0 }, { 0xe7, ATA_NODATA, 0 },
	{ 0xea, ATA_NODATA, L48 }, { 0xec, ATA_PIO_IN, 0 }, { 0xed, ATA_NODATA, 0 },
	{ 0xf8, ATA_NODATA, 0 },
};

/* Opcodes allowed only through a subcommand or target check (tested below). */
static const u8 filtered[] = { 0x06, 0xb0, 0xe4, 0xe8, 0xef };

/* Every opcode either intercept names when it refuses it. */
static const struct {
	u8 op;
	const char *name;
} refused[] = {
	{ 0x22, "READ LONG" }, { 0x23, "READ LONG WITHOUT RETRY" },
	{ 0x32, "WRITE LONG" }, { 0x33, "WRITE LONG WITHOUT RETRY" },
	{ 0x37, "SET MAX ADDRESS EXT" }, { 0x38, "CFA WRITE SECTORS WITHOUT ERASE" },
	{ 0x3f, "WRITE LOG EXT" }, { 0x44, "ZERO EXT" }, { 0x45, "WRITE UNCORRECTABLE EXT" },
	{ 0x4a, "ZAC MANAGEMENT IN" }, { 0x57, "WRITE LOG DMA EXT" },
	{ 0x5c, "TRUSTED RECEIVE" }, { 0x5d, "TRUSTED RECEIVE DMA" },
	{ 0x5e, "TRUSTED SEND" }, { 0x5f, "TRUSTED SEND DMA" },
	{ 0x63, "NCQ NON-DATA" }, { 0x64, "SEND FPDMA QUEUED" }, { 0x65, "RECEIVE FPDMA QUEUED" },
	{ 0x92, "DOWNLOAD MICROCODE" }, { 0x93, "DOWNLOAD MICROCODE DMA" },
	{ 0x9f, "ZAC MANAGEMENT OUT" }, { 0xb1, "DEVICE CONFIGURATION OVERLAY" },
	{ 0xb2, "SET SECTOR CONFIGURATION EXT" }, { 0xb4, "SANITIZE DEVICE" },
	{ 0xc0, "CFA ERASE SECTORS" }, { 0xc7, "READ DMA QUEUED" }, { 0xcc, "WRITE DMA QUEUED" },
	{ 0xcd, "CFA WRITE MULTIPLE WITHOUT ERASE" },
	{ 0xe9, "READ BUFFER DMA" }, { 0xeb, "WRITE BUFFER DMA" },
	{ 0xf1, "SECURITY SET PASSWORD" }, { 0xf2, "SECURITY UNLOCK" },
	{ 0xf3, "SECURITY ERASE PREPARE" }, { 0xf4, "SECURITY ERASE UNIT" },
	{ 0xf5, "SECURITY FREEZE LOCK" }, { 0xf6, "SECURITY DISABLE PASSWORD" },
	{ 0xf9, "SET MAX ADDRESS" },
	{ 0x80, "vendor specific" }, { 0x8f, "vendor specific" }, { 0x9a, "vendor specific" },
	{ 0xc1, "vendor specific" }, { 0xc3, "vendor specific" }, { 0xf0, "vendor specific" },
	{ 0xf7, "vendor specific" }, { 0xfa, "vendor specific" }, { 0xff, "vendor specific" },
	{ 0x01, "unknown" }, { 0x7f, "unknown" }, { 0x99, "unknown" }, { 0x9e, "unknown" },
};

static void test_data_commands_classified(void **state)
{
	struct ata_cmd_info ci;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(allowed); i++) {
		assert_int_equal(lookup(allowed[i].op, &ci), 0);
		assert_int_equal(ci.proto, allowed[i].proto);
		assert_int_equal(ci.sectors, !!(allowed[i].flags & SEC));
		assert_int_equal(ci.lba48, !!(allowed[i].flags & L48));
		assert_int_equal(ci.ncq, !!(allowed[i].flags & NCQ));
		assert_false(ci.dsm);
		assert_null(ci.why);
		assert_non_null(ci.name);
	}
}

static bool listed(u8 op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		if (allowed[i].op == op)
			return true;
	return memchr(filtered, op, sizeof(filtered)) != NULL;
}

/* Fail closed: every opcode not listed above is refused, whatever its subcommand. */
static void test_everything_else_refused(void **state)
{
	struct ata_cmd_req rq = { .lbam = 0x4f, .lbah = 0xc2, .pm_ctrl = true };
	struct ata_cmd_info ci;
	u32 op, f;

	for (op = 0; op < 256; op++) {
		if (listed(op))
			continue;
		for (f = 0; f < 256; f += 0x11) {
			rq.command = op;
			rq.feature = f;
			rq.encrypted = f & 1;
			assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
			assert_int_equal(ci.proto, ATA_REFUSED);
			assert_non_null(ci.name);
			assert_non_null(ci.why);
		}
	}
}

static void test_refused_named(void **state)
{
	struct ata_cmd_info ci;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		assert_int_equal(lookup(refused[i].op, &ci), -EPERM);
		assert_int_equal(ci.proto, ATA_REFUSED);
		assert_string_equal(ci.name, refused[i].name);
		assert_string_equal(ci.why, "not on the command allowlist");
	}
}

static void test_smart_subcommands(void **state)
{
	static const struct { u8 sub, proto; } ok[] = {
		{ 0xd0, ATA_PIO_IN }, { 0xd1, ATA_PIO_IN }, { 0xd5, ATA_PIO_IN },
		{ 0xd2, ATA_NODATA }, { 0xd4, ATA_NODATA }, { 0xd8, ATA_NODATA },
		{ 0xd9, ATA_NODATA }, { 0xda, ATA_NODATA },
	};
	struct ata_cmd_req rq = SMART_REQ(0);
	struct ata_cmd_info ci;
	u32 sub, i, n = 0;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		rq.feature = ok[i].sub;
		assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);
		assert_int_equal(ci.proto, ok[i].proto);
		assert_false(ci.sectors);
	}
	for (sub = 0; sub < 256; sub++) {
		rq.feature = sub;
		n += !ata_cmd_lookup(&rq, &ci);
	}
	assert_int_equal(n, ARRAY_SIZE(ok));		/* WRITE LOG (0xd6, SCT) among the rest */
	rq.feature = 0xd6;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
	assert_string_equal(ci.name, "SMART");
	assert_string_equal(ci.why, "SMART subcommand not allowed");
	rq.feature = 0xd0;
	rq.lbah = 0;					/* no signature */
	assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
	assert_int_equal(ci.proto, ATA_REFUSED);
	assert_string_equal(ci.why, "SMART without its signature");
}

static void test_set_features_subcommands(void **state)
{
	static const u8 ok[] = { 0x02, 0x82, 0x03, 0x05, 0x85, 0x06, 0x86, 0x07, 0x10, 0x90,
				 0x42, 0xc2, 0x4a, 0x55, 0xaa, 0x66, 0xcc };
	struct ata_cmd_req rq = { .command = 0xef, .encrypted = true };
	struct ata_cmd_info ci;
	u32 sub;

	for (sub = 0; sub < 256; sub++) {
		rq.feature = sub;
		if (memchr(ok, sub, sizeof(ok))) {
			assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);
			assert_int_equal(ci.proto, ATA_NODATA);
		} else {
			assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
			assert_string_equal(ci.name, "SET FEATURES");
		}
	}
}

static void test_dsm(void **state)
{
	struct ata_cmd_req rq = { .command = 0x06, .feature = 0x01, .encrypted = true };
	struct ata_cmd_info ci;

	assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);		/* TRIM: ranges checked later */
	assert_int_equal(ci.proto, ATA_DMA_OUT);
	assert_true(ci.dsm);
	assert_false(ci.sectors);
	rq.feature = 0x00;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
	assert_string_equal(ci.name, "DATA SET MANAGEMENT");
	assert_false(ci.dsm);
	rq.encrypted = false;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);
}

static void test_buffer_only_to_port_multiplier(void **state)
{
	struct ata_cmd_req rq = { .command = 0xe8 };
	struct ata_cmd_info ci;

	assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
	assert_string_equal(ci.name, "WRITE BUFFER");
	rq.command = 0xe4;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), -EPERM);
	assert_string_equal(ci.name, "READ BUFFER");
	rq.pm_ctrl = true;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);
	assert_string_equal(ci.name, "READ PORT MULTIPLIER");
	assert_int_equal(ci.proto, ATA_NODATA);
	rq.command = 0xe8;
	assert_int_equal(ata_cmd_lookup(&rq, &ci), 0);
	assert_string_equal(ci.name, "WRITE PORT MULTIPLIER");
	assert_int_equal(ci.proto, ATA_NODATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_commands_classified),
		cmocka_unit_test(test_everything_else_refused),
		cmocka_unit_test(test_refused_named),
		cmocka_unit_test(test_smart_subcommands),
		cmocka_unit_test(test_set_features_subcommands),
		cmocka_unit_test(test_dsm),
		cmocka_unit_test(test_buffer_only_to_port_multiplier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
