// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/kbc.c against a model of the 8042's two ports: every access passes
 * through, and a write that resets (command 0xfe and the other reset pulses,
 * an output-port write with bit 0 clear) wipes the secrets before it reaches
 * the controller; A20 and keyboard traffic do not. Then the ACPI reset
 * register (drivers/reset_reg.c, drivers/acpi.c): the FADT field, how each
 * kind is covered, and a reset register at another port (0x8e here).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <drivers/kbc.h>
#include <drivers/reset_reg.h>
#include <mamori/errno.h>
#include <mamori/reset.h>
#include <mamori/vm.h>
#include "ata_model/asm/io.h"

/* ---- the model: what reached each port, and the wipes ---- */
static struct {
	u32 writes[3];		/* to 0x60, 0x64, 0x8e */
	u8 last[3];
	u8 status;
} hw;
static u32 wipes, writes_at_wipe;

static int idx(u16 port)
{
	if (port == 0x60)
		return 0;
	if (port == 0x64)
		return 1;
	if (port == 0x8e)
		return 2;
	fail_msg("port 0x%x reached the hardware", port);
	return 0;
}

u32 port_in(u16 port, u32 size)
{
	return port == 0x64 ? hw.status : hw.last[idx(port)];
}

void port_out(u16 port, u32 size, u32 v)
{
	hw.writes[idx(port)]++;
	hw.last[idx(port)] = (u8)v;
}

u8 inb(u16 port) { return (u8)port_in(port, 1); }
void outb(u16 port, u8 v) { port_out(port, 1, v); }
void outl(u16 port, u32 v) { port_out(port, 4, v); }
void insw(u16 port, void *buf, u32 count) { }
void outsw(u16 port, const void *buf, u32 count) { }

void reset_wipe_secrets(const char *why)
{
	wipes++;
	writes_at_wipe = hw.writes[0] + hw.writes[1] + hw.writes[2];
}

static struct { u16 port; pio_handler_fn fn; } pio[4];
static u32 npio;

int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv)
{
	assert_int_equal(count, 1);
	pio[npio].port = port;
	pio[npio++].fn = handler;
	return 0;
}

static u32 guest_io(u16 port, bool in, u32 v)
{
	u32 i;

	for (i = 0; i < npio; i++)
		if (pio[i].port == port) {
			assert_int_equal(pio[i].fn(NULL, NULL, port, 1, in, &v), 0);
			return v;
		}
	fail_msg("port 0x%x not intercepted", port);
	return 0;
}

static int setup(void **state)
{
	memset(&hw, 0, sizeof(hw));
	wipes = 0;
	if (!npio)
		assert_int_equal(kbc_init(NULL), 0);
	assert_int_equal(npio, 2);
	guest_io(0x64, false, 0xaa);		/* a harmless command: disarms any 0xd1 */
	memset(&hw, 0, sizeof(hw));
	return 0;
}

/* Command 0xfe: the secrets go before the command reaches the controller. */
static void test_pulse_reset(void **state)
{
	hw.status = 0x1c;
	assert_int_equal(guest_io(0x64, true, 0), 0x1c);	/* status passes */
	guest_io(0x64, false, 0xfe);
	assert_int_equal(wipes, 1);
	assert_int_equal(writes_at_wipe, 0);
	assert_int_equal(hw.writes[1], 1);
	assert_int_equal(hw.last[1], 0xfe);
	guest_io(0x64, false, 0xf0);		/* pulse all four lines, reset included */
	assert_int_equal(wipes, 2);
	guest_io(0x64, false, 0xff);		/* pulse none */
	guest_io(0x64, false, 0xfd);		/* bit 0 set: not the reset line */
	guest_io(0x64, false, 0xae);		/* enable keyboard */
	assert_int_equal(wipes, 2);
	assert_int_equal(hw.writes[1], 5);
}

/* 0xd1 then a data byte: bit 0 clear resets, A20 toggles (0xdd/0xdf) do not. */
static void test_output_port(void **state)
{
	guest_io(0x64, false, 0xd1);
	guest_io(0x60, false, 0xdf);		/* A20 on, reset line high */
	assert_int_equal(wipes, 0);
	guest_io(0x60, false, 0x00);		/* plain keyboard data now: no reset */
	assert_int_equal(wipes, 0);
	guest_io(0x64, false, 0xd1);
	guest_io(0x64, false, 0x20);		/* another command disarms */
	guest_io(0x60, false, 0x00);
	assert_int_equal(wipes, 0);
	guest_io(0x64, false, 0xd1);
	guest_io(0x60, false, 0xde);		/* reset line low */
	assert_int_equal(wipes, 1);
	assert_int_equal(writes_at_wipe, 7);	/* the 0xde not yet */
	assert_int_equal(hw.last[0], 0xde);
	assert_int_equal(guest_io(0x60, true, 0), 0xde);	/* data reads pass */
}

static void test_decoder(void **state)
{
	struct kbc_track t = { 0 };
	u32 v, n = 0;

	for (v = 0; v < 256; v++)
		n += kbc_write_resets(&t, 0x64, (u8)v);
	assert_int_equal(n, 8);			/* 0xf0, 0xf2, ... 0xfe */
	t.output_next = false;
	for (v = 0; v < 256; v++)
		assert_false(kbc_write_resets(&t, 0x60, (u8)v));
	assert_true(kbc_write_resets(&t, 0x64, 0xd1) == false && t.output_next);
	assert_false(kbc_write_resets(&t, 0x60, 0x01));
	assert_false(t.output_next);
}

/* ---- the ACPI reset register ---- */
static u8 fadt[244];

static void fadt_build(u8 rev, u32 flags, u8 space, u64 addr, u8 value)
{
	u32 i;

	memset(fadt, 0, sizeof(fadt));
	memcpy(fadt, "FACP", 4);
	fadt[4] = sizeof(fadt);
	fadt[8] = rev;
	for (i = 0; i < 4; i++)
		fadt[112 + i] = (u8)(flags >> (8 * i));
	fadt[116] = space;
	fadt[117] = 8;			/* bit width */
	fadt[119] = 1;			/* byte access */
	for (i = 0; i < 8; i++)
		fadt[120 + i] = (u8)(addr >> (8 * i));
	fadt[128] = value;
}

static void test_fadt_reset_reg(void **state)
{
	struct acpi_reset_reg r;

	fadt_build(3, 1u << 10, ACPI_SPACE_IO, 0xcf9, 0x06);
	assert_int_equal(acpi_fadt_reset_reg(fadt, sizeof(fadt), &r), 0);
	assert_int_equal(r.space, ACPI_SPACE_IO);
	assert_int_equal(r.addr, 0xcf9);
	assert_int_equal(r.value, 0x06);
	fadt_build(3, 1u << 10, ACPI_SPACE_MEMORY, 0xfe000060ULL, 0x02);
	assert_int_equal(acpi_fadt_reset_reg(fadt, sizeof(fadt), &r), 0);
	assert_int_equal(r.addr, 0xfe000060ULL);
	assert_int_equal(acpi_fadt_reset_reg(fadt, 128, &r), -ENOENT);	/* no RESET_VALUE */
	fadt_build(1, 1u << 10, ACPI_SPACE_IO, 0xcf9, 0x06);
	assert_int_equal(acpi_fadt_reset_reg(fadt, sizeof(fadt), &r), -ENOENT);	/* rev 1 */
	fadt_build(3, 0, ACPI_SPACE_IO, 0xcf9, 0x06);
	assert_int_equal(acpi_fadt_reset_reg(fadt, sizeof(fadt), &r), -ENOENT);	/* not supported */
	fadt[0] = 'X';
	assert_int_equal(acpi_fadt_reset_reg(fadt, sizeof(fadt), &r), -EINVAL);
}

static void test_reset_reg_cover(void **state)
{
	struct acpi_reset_reg r = { ACPI_SPACE_IO, 0x06, 0xcf9 };

	assert_int_equal(reset_reg_use(NULL), RESET_REG_NONE);
	assert_int_equal(reset_reg_use(&r), RESET_REG_CF9);
	r.value = 0x02;				/* no RST_CPU: would not reset */
	assert_int_equal(reset_reg_use(&r), RESET_REG_UNCOVERED);
	r = (struct acpi_reset_reg){ ACPI_SPACE_IO, 0xfe, 0x64 };
	assert_int_equal(reset_reg_use(&r), RESET_REG_KBC);
	r = (struct acpi_reset_reg){ ACPI_SPACE_IO, 0x01, 0xcfc };
	assert_int_equal(reset_reg_use(&r), RESET_REG_UNCOVERED);
	r = (struct acpi_reset_reg){ ACPI_SPACE_MEMORY, 0x02, 0xfe000060ULL };
	assert_int_equal(reset_reg_use(&r), RESET_REG_UNCOVERED);
	r = (struct acpi_reset_reg){ ACPI_SPACE_PCI_CONFIG, 0x06, 0x001f0000004cULL };
	assert_int_equal(reset_reg_use(&r), RESET_REG_UNCOVERED);
	r = (struct acpi_reset_reg){ ACPI_SPACE_IO, 0x06, 0x10000 };
	assert_int_equal(reset_reg_use(&r), RESET_REG_UNCOVERED);
	assert_int_equal(reset_reg_init(NULL), 0);	/* nothing to intercept */
	assert_int_equal(npio, 2);
}

/* A reset register at another port: intercepted, the value wipes before it passes. */
static void test_reset_reg_port(void **state)
{
	struct acpi_reset_reg r = { ACPI_SPACE_IO, 0x0e, 0x8e };

	assert_int_equal(reset_reg_use(&r), RESET_REG_PORT);
	assert_int_equal(reset_reg_init(NULL), 0);
	assert_int_equal(npio, 3);
	guest_io(0x8e, false, 0x01);
	assert_int_equal(wipes, 0);
	assert_int_equal(hw.last[2], 0x01);
	guest_io(0x8e, false, 0x0e);
	assert_int_equal(wipes, 1);
	assert_int_equal(writes_at_wipe, 1);	/* the 0x01 only */
	assert_int_equal(hw.writes[2], 2);
	assert_int_equal(guest_io(0x8e, true, 0), 0x0e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pulse_reset, setup),
		cmocka_unit_test_setup(test_output_port, setup),
		cmocka_unit_test(test_decoder),
		cmocka_unit_test(test_fadt_reset_reg),
		cmocka_unit_test_setup(test_reset_reg_cover, setup),
		cmocka_unit_test_setup(test_reset_reg_port, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
