// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/pci.c against a model of configuration mechanism #1 with two
 * functions: the scan, and the guest's view through the intercept (BAR
 * sizing emulated, moves of a locked BAR refused, watchers, 0xcf9).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <drivers/pci.h>
#include <mamori/errno.h>
#include <mamori/vm.h>
#include "ata_model/asm/io.h"

#define IDE_BDF		PCI_BDF(0, 1, 1)
#define ISA_BDF		PCI_BDF(0, 1, 0)
#define NIC_BDF		PCI_BDF(0, 3, 0)

static struct {
	u32 addr;
	u32 cfg[3][64];			/* [0] IDE, [1] NIC, [2] ISA bridge: dwords */
	u32 bar_size[3][6];
	u8 cf9;
} hw;

static u32 *cfg_of(u32 addr)
{
	u16 bdf = (addr >> 8) & 0xffff;

	if (!(addr & BIT(31)))
		return NULL;
	if (bdf == ISA_BDF)
		return hw.cfg[2];
	return bdf == IDE_BDF ? hw.cfg[0] : bdf == NIC_BDF ? hw.cfg[1] : NULL;
}

static void cfg_store(u32 *c, u32 reg, u32 v)
{
	u32 f = c == hw.cfg[0] ? 0 : c == hw.cfg[1] ? 1 : 2, n = reg - 4;

	if (reg >= 4 && reg < 10 && hw.bar_size[f][reg - 4])
		v = (v & ~(hw.bar_size[f][n] - 1)) | (c[reg] & 1);
	else if (reg >= 4 && reg < 10)
		v = 0;
	c[reg] = v;
}

void outl(u16 port, u32 v)
{
	if (port == 0xcf8) {
		hw.addr = v;
		return;
	}
	port_out(port, 4, v);
}

u32 port_in(u16 port, u32 size)
{
	u32 *c = cfg_of(hw.addr), sh = (port & 3) * 8;

	if (port == 0xcf9)
		return hw.cf9;
	if (port < 0xcfc)
		return 0xffffffff;
	if (!c)
		return 0xffffffff;
	return (c[(hw.addr & 0xfc) / 4] >> sh) & (size == 4 ? ~0u : (1u << (size * 8)) - 1);
}

void port_out(u16 port, u32 size, u32 v)
{
	u32 *c = cfg_of(hw.addr), reg = (hw.addr & 0xfc) / 4, sh = (port & 3) * 8;
	u32 mask = size == 4 ? ~0u : ((1u << (size * 8)) - 1) << sh;

	if (port == 0xcf9) {
		hw.cf9 = (u8)v;
		return;
	}
	if (port >= 0xcfc && c)
		cfg_store(c, reg, (c[reg] & ~mask) | ((v << sh) & mask));
}

u8 inb(u16 port) { return (u8)port_in(port, 1); }
void outb(u16 port, u8 v) { port_out(port, 1, v); }
void insw(u16 port, void *buf, u32 count) { }
void outsw(u16 port, const void *buf, u32 count) { }

static struct { u16 port; pio_handler_fn fn; } pio[4];
static u32 npio;

int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv)
{
	pio[npio].port = port;
	pio[npio++].fn = handler;
	return 0;
}

static u32 guest_io(u16 port, u32 size, bool in, u32 v)
{
	u32 i;

	for (i = 0; i < npio; i++)
		if (port >= pio[i].port && port < pio[i].port + 4) {
			assert_int_equal(pio[i].fn(NULL, NULL, port, size, in, &v), 0);
			return v;
		}
	fail_msg("port 0x%x not intercepted", port);
	return 0;
}

static u32 guest_cfg_read(u16 bdf, u16 off)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | off);
	return guest_io(0xcfc, 4, true, 0);
}

static void guest_cfg_write(u16 bdf, u16 off, u32 v)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | off);
	guest_io(0xcfc, 4, false, v);
}

static u32 watched_off, watch_calls;

static void watcher(void *priv, u16 bdf, u16 off)
{
	watched_off = off;
	watch_calls++;
}

static int setup_once(void **state)
{
	memset(&hw, 0, sizeof(hw));
	hw.cfg[0][0] = 0x70108086;		/* PIIX3 IDE */
	hw.cfg[0][2] = 0x01018000;		/* class 01:01, prog-if 0x80 */
	hw.cfg[0][8] = 0xc021;			/* BAR4: I/O 0xc020, 16 bytes */
	hw.bar_size[0][4] = 16;
	hw.cfg[2][0] = 0x70008086;		/* PIIX3 ISA bridge, function 0 */
	hw.cfg[2][2] = 0x06010000;
	hw.cfg[2][3] = BIT(23);			/* multi-function: the scan goes on to .1 */
	hw.cfg[1][0] = 0x100e8086;		/* e1000 */
	hw.cfg[1][2] = 0x02000000;
	hw.cfg[1][4] = 0xfeb80000;		/* BAR0: memory, 128 KiB */
	hw.bar_size[1][0] = 0x20000;
	assert_int_equal(pci_intercept_init(NULL), 0);
	assert_int_equal(pci_lock_bars(IDE_BDF, "the test"), 0);
	assert_int_equal(pci_watch(NIC_BDF, watcher, NULL), 0);
	return 0;
}

static void test_find_and_bar(void **state)
{
	struct pci_dev d;

	assert_int_equal(pci_find(PCI_CLASS_IDE, -1, 0, &d), 0);
	assert_int_equal(d.bdf, IDE_BDF);
	assert_int_equal(d.prog_if, 0x80);
	assert_int_equal(pci_find(PCI_CLASS_IDE, -1, 1, &d), -ENOENT);
	assert_int_equal(pci_find(PCI_CLASS_ETHERNET, 0, 0, &d), 0);
	assert_int_equal(d.bdf, NIC_BDF);
	assert_int_equal(pci_bar(IDE_BDF, 4), 0xc020);
	assert_int_equal(pci_bar(NIC_BDF, 0), 0xfeb80000);
	assert_int_equal(hw.cfg[0][8], 0xc021);	/* locking sized and restored it */
}

static void test_locked_bar_sizing_and_moves(void **state)
{
	guest_cfg_write(IDE_BDF, 0x20, 0xffffffff);
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xfffffff1);	/* the size mask */
	assert_int_equal(hw.cfg[0][8], 0xc021);			/* the device never moved */
	guest_cfg_write(IDE_BDF, 0x20, 0xd001);			/* a move: refused */
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xc021);
	assert_int_equal(hw.cfg[0][8], 0xc021);
	guest_cfg_write(IDE_BDF, 0x20, 0xc021);			/* restoring: fine */
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xc021);
}

static void test_unlocked_passes_and_watchers(void **state)
{
	watch_calls = 0;
	guest_cfg_write(NIC_BDF, 0x10, 0xfea00000);		/* not locked: moves */
	assert_int_equal(hw.cfg[1][4], 0xfea00000);
	assert_int_equal(watch_calls, 1);
	assert_int_equal(watched_off, 0x10);
	guest_cfg_write(IDE_BDF, 0x04, 0x5);			/* command register: passes */
	assert_int_equal(hw.cfg[0][1], 0x5);
	assert_int_equal(watch_calls, 1);			/* not watched */
}

static void test_byte_access_and_reset_port(void **state)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)IDE_BDF << 8 | 0x08);
	assert_int_equal(guest_io(0xcfe, 2, true, 0), 0x0101);	/* class word */
	assert_int_equal(guest_io(0xcf8, 4, true, 0), BIT(31) | (u32)IDE_BDF << 8 | 0x08);
	guest_io(0xcf9, 1, false, 0x06);			/* reset control: to the chipset */
	assert_int_equal(hw.cf9, 0x06);
	guest_io(0xcf8, 4, false, 0);				/* disabled: reads all ones */
	assert_int_equal(guest_io(0xcfc, 4, true, 0), 0xffffffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_and_bar),
		cmocka_unit_test(test_locked_bar_sizing_and_moves),
		cmocka_unit_test(test_unlocked_passes_and_watchers),
		cmocka_unit_test(test_byte_access_and_reset_port),
	};

	return cmocka_run_group_tests(tests, setup_once, NULL);
}
