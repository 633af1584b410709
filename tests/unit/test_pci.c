// SPDX-License-Identifier: GPL-2.0-only
/*
 * drivers/pci.c and drivers/lpc.c against a model of configuration mechanism
 * #1: a PIIX3 IDE, an e1000, a PIIX3 ISA bridge, an ICH LPC bridge, four AHCI
 * HBAs each behind a PCIe root port, and an AHCI whose BAR5 is unassigned.
 * The scan, and the guest's view through the intercept: BAR sizing emulated,
 * moves refused, write masks on locked functions and their bridges, 0xcf9.
 * A Q35 host bridge and an ECAM window (MCFG) of 16 buses at 0x40000000,
 * mapped there: a guest access to an untrapped ECAM page reaches the model
 * directly, as it reaches the device through the EPT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/mman.h>
#include <drivers/ahci.h>
#include <drivers/lpc.h>
#include <drivers/pci.h>
#include <drivers/pci_ecam.h>
#include <mamori/boot_info.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/vm.h>
#include "ata_model/asm/io.h"

#define IDE_BDF		PCI_BDF(0, 1, 1)
#define ISA_BDF		PCI_BDF(0, 1, 0)
#define NIC_BDF		PCI_BDF(0, 3, 0)
#define BARE_BDF	PCI_BDF(0, 5, 0)	/* AHCI, BAR5 unassigned */
#define LPC_BDF		PCI_BDF(0, 31, 0)
#define RP_BDF(i)	PCI_BDF(0, 28, i)	/* root port i: bus 2 + i */
#define HBA_BDF(i)	PCI_BDF(2 + (i), 0, 0)
#define HOST_BDF	PCI_BDF(0, 0, 0)	/* Q35 MCH */
#define PCIEXBAR	0x60

#define ECAM_BASE	0x40000000ULL		/* buses 0-15; below ASan's shadow */
#define ECAM_BUSES	16
#define ACPI_BASE	0x3f000000ULL		/* RSDP, XSDT, MCFG */

/* Capabilities of each HBA: MSI 0x50 -> PM 0x70 -> PCIe 0x80 -> AF 0xa0 -> MSI-X 0xb0. */
#define HBA_MSI		0x50
#define HBA_PM		0x70
#define HBA_EXP		0x80
#define HBA_AF		0xa0
#define HBA_MSIX	0xb0
#define RP_EXP		0x40

#define NFN		16
#define MSI_64		BIT(23)

static struct fn {
	u16 bdf;
	u32 cfg[64];
	u32 bar_size[7];		/* BAR0-5, ROM; 0: not implemented */
} fns[NFN];

static struct {
	u32 addr;
	u8 cf9;
	u32 mech2;			/* byte/word writes to 0xcf8/0xcfa/0xcfb */
} hw;

static struct fn *fn_of(u16 bdf)
{
	u32 i;

	for (i = 0; i < NFN; i++)
		if (fns[i].cfg[0] && fns[i].bdf == bdf)
			return &fns[i];
	return NULL;
}

static u32 *cfg(u16 bdf)
{
	return fn_of(bdf)->cfg;
}

static u32 *cfg_of(u32 addr)
{
	struct fn *f = fn_of((addr >> 8) & 0xffff);

	return (addr & BIT(31)) && f ? f->cfg : NULL;
}

/* BARs (and the ROM) keep their size alignment; everything else is RAM. */
static void cfg_store(u32 *c, u32 reg, u32 v)
{
	struct fn *f = (struct fn *)((char *)c - offsetof(struct fn, cfg));
	bool bridge = ((c[3] >> 16) & 0x7f) == 1;
	int n = reg >= 4 && reg < (bridge ? 6u : 10u) ? (int)reg - 4 :
		reg == (bridge ? 14u : 12u) ? 6 : -1;

	if (n >= 0 && f->bar_size[n])		/* the ROM's enable bit is writable */
		v = (v & ~(f->bar_size[n] - 1)) | ((n == 6 ? v : c[reg]) & 1);
	else if (n >= 0)
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
	else if (port >= 0xcf8 && port < 0xcfc)
		hw.mech2++;
	else if (port < 0xcf8)
		fail_msg("port 0x%x reached the hardware", port);
}

u8 inb(u16 port) { return (u8)port_in(port, 1); }
u32 inl(u16 port) { return port == 0xcf8 ? hw.addr : port_in(port, 4); }
void outb(u16 port, u8 v) { port_out(port, 1, v); }
void insw(u16 port, void *buf, u32 count) { }
void outsw(u16 port, const void *buf, u32 count) { }

static struct { u16 port, count; pio_handler_fn fn; } pio[8];
static u32 npio;

int vm_register_pio(struct vm *vm, u16 port, u16 count, const char *name,
		    pio_handler_fn handler, void *priv)
{
	pio[npio].port = port;
	pio[npio].count = count;
	pio[npio++].fn = handler;
	return 0;
}

/* The I/O bitmap's bits arch_vm_pio_pass() cleared; whether it may (one CPU). */
static bool passed[0x10000], pass_allowed;
static u32 handled;			/* guest accesses that exited */

int arch_vm_pio_pass(struct vm *vm, u16 port, bool pass)
{
	if (pass && !pass_allowed)
		return -EBUSY;
	passed[port] = pass;
	return 0;
}

/* A guest access the bitmap lets through: the hardware itself. */
static u32 guest_io_direct(u16 port, u32 size, bool in, u32 v)
{
	if (in)
		return size == 4 ? inl(port) : port_in(port, size);
	if (size == 4)
		outl(port, v);
	else
		port_out(port, size, v);
	return 0;
}

static u32 guest_io(u16 port, u32 size, bool in, u32 v)
{
	u32 i;

	for (i = 0; i < size && passed[port + i]; i++)
		;
	if (i == size)				/* no exit: every byte's bit clear */
		return guest_io_direct(port, size, in, v);
	handled++;

	for (i = 0; i < npio; i++)
		if (port >= pio[i].port && port < pio[i].port + pio[i].count) {
			assert_int_equal(pio[i].fn(NULL, NULL, port, size, in, &v), 0);
			return v;
		}
	fail_msg("port 0x%x not intercepted", port);
	return 0;
}

static u32 guest_cfg_read(u16 bdf, u16 off)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | (off & 0xfc));
	return guest_io(0xcfc, 4, true, 0);
}

static void guest_cfg_write(u16 bdf, u16 off, u32 v)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | off);
	guest_io(0xcfc, 4, false, v);
}

static void guest_cfg_write16(u16 bdf, u16 off, u16 v)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | (off & 0xfc));
	guest_io(0xcfc + (off & 2), 2, false, v);
}

static void guest_cfg_write8(u16 bdf, u16 off, u8 v)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)bdf << 8 | (off & 0xfc));
	guest_io(0xcfc + (off & 3), 1, false, v);
}

static struct fn *add_fn(u16 bdf, u32 id, u32 class_rev, u32 hdr)
{
	static u32 n;
	struct fn *f = &fns[n++];

	f->bdf = bdf;
	f->cfg[0] = id;
	f->cfg[2] = class_rev;
	f->cfg[3] = hdr << 16;
	return f;
}

static void add_hba(u16 bdf, u32 abar)
{
	struct fn *f = add_fn(bdf, 0x29228086, 0x01060100, 0);

	f->cfg[1] = BIT(20) | 0x7;		/* caps; I/O, memory, bus master on */
	f->cfg[8] = 0xd001;			/* BAR4: I/O index/data pair */
	f->bar_size[4] = 32;
	f->cfg[9] = abar;			/* BAR5: ABAR, 8 KiB */
	f->bar_size[5] = 0x2000;
	f->cfg[0x34 / 4] = HBA_MSI;
	f->cfg[HBA_MSI / 4] = MSI_64 | HBA_PM << 8 | 0x05;
	f->cfg[HBA_PM / 4] = HBA_EXP << 8 | 0x01;
	f->cfg[HBA_EXP / 4] = HBA_AF << 8 | 0x10;	/* PCIe, type 0: endpoint */
	f->cfg[(HBA_EXP + 8) / 4] = BIT(11);		/* Enable No Snoop: reset default */
	f->cfg[HBA_AF / 4] = 0x0306 << 16 | HBA_MSIX << 8 | 0x13;	/* AF: FLR, TP */
	f->cfg[HBA_MSIX / 4] = 0x0007 << 16 | 0x11;	/* MSI-X, 8 vectors */
}

static int setup_once(void **state)
{
	struct fn *f;
	u32 i;

	memset(&hw, 0, sizeof(hw));
	f = add_fn(HOST_BDF, 0x29c08086, 0x06000000, 0);	/* Q35 MCH */
	f->cfg[PCIEXBAR / 4] = (u32)ECAM_BASE | 1;		/* 256 buses, enabled */
	f = add_fn(IDE_BDF, 0x70108086, 0x01018000, 0);	/* PIIX3 IDE, prog-if 0x80 */
	f->cfg[8] = 0xc021;				/* BAR4: I/O 0xc020, 16 bytes */
	f->bar_size[4] = 16;
	add_fn(ISA_BDF, 0x70008086, 0x06010000, BIT(7));	/* multi-function: on to .1 */
	f = add_fn(NIC_BDF, 0x100e8086, 0x02000000, 0);	/* e1000 */
	f->cfg[4] = 0xfeb80000;				/* BAR0: memory, 128 KiB */
	f->bar_size[0] = 0x20000;
	add_fn(LPC_BDF, 0x29188086, 0x06010000, 0);	/* ICH9 LPC */
	for (i = 0; i < 4; i++) {
		f = add_fn(RP_BDF(i), 0x29408086, 0x06040000, 1 | (i ? 0 : BIT(7)));
		f->cfg[1] = BIT(20) | 0x7;
		f->cfg[6] = (2 + i) << 16 | (2 + i) << 8;	/* 0 -> 2+i .. 2+i */
		f->cfg[8] = 0xfeb0fea0 + 0x100 * i;		/* memory window */
		f->cfg[0x34 / 4] = RP_EXP;
		f->cfg[RP_EXP / 4] = 0x0042 << 16 | 0x10;	/* PCIe, type 4: root port */
		add_hba(HBA_BDF(i), 0xfea00000 + 0x10000 * i);
	}
	f = add_fn(BARE_BDF, 0x29228086, 0x01060100, 0);	/* AHCI, BAR5 unassigned */
	f->bar_size[5] = 0x2000;
	f->cfg[8] = 0x1;				/* BAR4: I/O, unassigned */
	f->bar_size[4] = 16;
	assert_int_equal(pci_intercept_init(NULL), 0);
	assert_int_equal(pci_lock_function(IDE_BDF, BIT(4), 0, "the test"), 0);
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
	assert_int_equal(pci_find(PCI_CLASS_SATA, 1, 0, &d), 0);
	assert_int_equal(d.bdf, BARE_BDF);
	assert_int_equal(pci_find(PCI_CLASS_SATA, 1, 1, &d), 0);
	assert_int_equal(d.bdf, HBA_BDF(0));
	assert_int_equal(pci_bar(IDE_BDF, 4), 0xc020);
	assert_int_equal(pci_bar(NIC_BDF, 0), 0xfeb80000);
	assert_int_equal(cfg(IDE_BDF)[8], 0xc021);	/* locking sized and restored it */
}

static void test_locked_bar_sizing_and_moves(void **state)
{
	guest_cfg_write(IDE_BDF, 0x20, 0xffffffff);
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xfffffff1);	/* the size mask */
	assert_int_equal(cfg(IDE_BDF)[8], 0xc021);		/* the device never moved */
	guest_cfg_write(IDE_BDF, 0x20, 0xd001);			/* a move: refused */
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xc021);
	assert_int_equal(cfg(IDE_BDF)[8], 0xc021);
	guest_cfg_write(IDE_BDF, 0x20, 0xc021);			/* restoring: fine */
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x20), 0xc021);
	guest_cfg_write(IDE_BDF, 0x30, 0xfffffffe);		/* ROM sizing, as Linux */
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x30), 0);	/* no ROM */
	guest_cfg_write(IDE_BDF, 0x30, 0);
}

static void test_unlocked_passes(void **state)
{
	guest_cfg_write(NIC_BDF, 0x10, 0xfea00000);		/* not locked: moves */
	assert_int_equal(cfg(NIC_BDF)[4], 0xfea00000);
	guest_cfg_write(NIC_BDF, 0x08, 0x02000101);		/* even RO in the model */
	assert_int_equal(cfg(NIC_BDF)[2], 0x02000101);
	guest_cfg_write16(IDE_BDF, 0x04, 0x5);			/* IDE command: I/O, master */
	assert_int_equal(cfg(IDE_BDF)[1], 0x5);
	guest_cfg_write8(IDE_BDF, 0x0d, 0x40);			/* latency timer */
	assert_int_equal(cfg(IDE_BDF)[3] >> 8 & 0xff, 0x40);
	guest_cfg_write16(IDE_BDF, 0x40, 0xa307);		/* PIIX IDETIM */
	assert_int_equal(cfg(IDE_BDF)[0x10] & 0xffff, 0xa307);
	guest_cfg_write8(IDE_BDF, 0x3c, 14);			/* interrupt line */
	assert_int_equal(cfg(IDE_BDF)[0xf] & 0xff, 14);
}

/* Finding 6: native-mode switch (prog-if 0x8f: both channels at BAR0-3). */
static void test_prog_if_refused(void **state)
{
	guest_cfg_write8(IDE_BDF, 0x09, 0x8f);
	assert_int_equal(cfg(IDE_BDF)[2], 0x01018000);
	guest_cfg_write(IDE_BDF, 0x08, 0x01018f00);
	assert_int_equal(cfg(IDE_BDF)[2], 0x01018000);
	assert_int_equal(guest_cfg_read(IDE_BDF, 0x08), 0x01018000);	/* reads unchanged */
	guest_cfg_write8(IDE_BDF, 0x0f, 0x40);			/* BIST start */
	assert_int_equal(cfg(IDE_BDF)[3] >> 24, 0);
	guest_cfg_write16(IDE_BDF, 0x60, 0xffff);		/* beyond the timing registers */
	assert_int_equal(cfg(IDE_BDF)[0x18], 0);
}

static void test_lock_table_holds_ide_ahci_bridges(void **state)
{
	u32 i;

	/* 1 IDE + 4 AHCI, each behind up to 3 bridges (root port, switch), LPC. */
	assert_true(PCI_LOCK_MAX >= 1 + AHCI_MAX_HBA * 4 + 2);
	for (i = 0; i < 4; i++)
		assert_int_equal(pci_lock_function(HBA_BDF(i), BIT(5), PCI_LOCK_NO_IO, "ahci"), 0);
	assert_int_equal(pci_lock_function(HBA_BDF(0), BIT(5), PCI_LOCK_NO_IO, "ahci"), 0);
}

static void test_bridge_bus_numbers_refused(void **state)
{
	guest_cfg_write(RP_BDF(1), PCI_BUSES, 0x00070700);	/* renumber 3 -> 7 */
	assert_int_equal(cfg(RP_BDF(1))[6], 0x00030300);
	guest_cfg_write8(RP_BDF(1), 0x19, 9);
	assert_int_equal(cfg(RP_BDF(1))[6], 0x00030300);
	guest_cfg_write8(RP_BDF(1), 0x1b, 0x20);		/* secondary latency: fine */
	assert_int_equal(cfg(RP_BDF(1))[6], 0x20030300);
}

static void test_bridge_reset_and_window_refused(void **state)
{
	guest_cfg_write16(RP_BDF(1), 0x3e, BIT(6) | BIT(1));	/* SBR refused, SERR fine */
	assert_int_equal(cfg(RP_BDF(1))[0xf] >> 16, BIT(1));
	guest_cfg_write(RP_BDF(1), 0x20, 0xfff0fe00);		/* memory window */
	assert_int_equal(cfg(RP_BDF(1))[8], 0xfeb0fea0 + 0x100);
	guest_cfg_write16(RP_BDF(1), RP_EXP + 0x10, BIT(4));	/* link disable */
	assert_int_equal(cfg(RP_BDF(1))[(RP_EXP + 0x10) / 4], 0);
	guest_cfg_write16(RP_BDF(1), PCI_COMMAND, 0x6);		/* bus master off: fine */
	assert_int_equal(cfg(RP_BDF(1))[1] & 0xffff, 0x6);
	guest_cfg_write(NIC_BDF, 0x40, 0x00050500);		/* not locked: passes */
	assert_int_equal(cfg(NIC_BDF)[0x10], 0x00050500);
}

static void test_hba_io_off_master_allowed(void **state)
{
	u32 *c = cfg(HBA_BDF(2));

	assert_int_equal(c[1] & 0x7, 0x6);			/* locking turned I/O off */
	guest_cfg_write16(HBA_BDF(2), PCI_COMMAND, 0x2);	/* bus master off */
	assert_int_equal(c[1] & 0xffff, 0x2);
	guest_cfg_write16(HBA_BDF(2), PCI_COMMAND, 0x7);	/* on again; I/O refused */
	assert_int_equal(c[1] & 0xffff, 0x6);
}

static void test_hba_bar_move_refused(void **state)
{
	u32 *c = cfg(HBA_BDF(2));

	guest_cfg_write(HBA_BDF(2), PCI_BAR5, 0xe0000000);	/* ABAR move */
	assert_int_equal(c[9], 0xfea20000);
	assert_int_equal(guest_cfg_read(HBA_BDF(2), PCI_BAR5), 0xfea20000);
}

static void test_hba_flr_and_d3_refused(void **state)
{
	u32 *c = cfg(HBA_BDF(2));

	guest_cfg_write16(HBA_BDF(2), HBA_EXP + 8, BIT(15) | BIT(4));	/* FLR; relaxed ordering */
	assert_int_equal(c[(HBA_EXP + 8) / 4], BIT(4));
	guest_cfg_write8(HBA_BDF(2), HBA_AF + 4, 1);		/* AF: initiate FLR */
	assert_int_equal(c[(HBA_AF + 4) / 4], 0);
	guest_cfg_write16(HBA_BDF(2), HBA_PM + 4, 3);		/* D3hot (then D0: reset) */
	assert_int_equal(c[(HBA_PM + 4) / 4], 0);
	guest_cfg_write16(HBA_BDF(2), HBA_PM + 4, BIT(8));	/* PME enable: fine */
	assert_int_equal(c[(HBA_PM + 4) / 4], BIT(8));
}

static void test_hba_msi_and_vendor_refused(void **state)
{
	u32 *c = cfg(HBA_BDF(2));

	guest_cfg_write(HBA_BDF(2), HBA_MSI + 4, 0x12345000);	/* MSI write into RAM */
	assert_int_equal(c[(HBA_MSI + 4) / 4], 0);
	guest_cfg_write(HBA_BDF(2), HBA_MSI + 4, 0xfee01000);	/* an interrupt: fine */
	assert_int_equal(c[(HBA_MSI + 4) / 4], 0xfee01000);
	guest_cfg_write(HBA_BDF(2), HBA_MSI + 8, 1);		/* above 4 GiB */
	assert_int_equal(c[(HBA_MSI + 8) / 4], 0);
	guest_cfg_write16(HBA_BDF(2), HBA_MSIX + 2, BIT(15));	/* MSI-X enable */
	assert_int_equal(c[HBA_MSIX / 4] >> 16, 0x0007);
	assert_int_equal(guest_cfg_read(HBA_BDF(2), HBA_AF) >> 8 & 0xff, 0);	/* hidden */
	assert_int_equal(c[HBA_AF / 4] >> 8 & 0xff, HBA_MSIX);
	guest_cfg_write16(HBA_BDF(2), 0x92, 0xff);		/* Intel PCS: port enables */
	assert_int_equal(c[0x90 / 4], 0);
}

/* Extended register numbers (AMD ECS, bits 27:24) never reach the device. */
static void test_extended_register_bits(void **state)
{
	guest_io(0xcf8, 4, false, BIT(31) | BIT(24) | (u32)HBA_BDF(2) << 8 | 0x08);
	guest_io(0xcfc, 4, false, 0x01018f00);
	assert_int_equal(cfg(HBA_BDF(2))[2], 0x01060100);
	assert_int_equal(guest_io(0xcfc, 4, true, 0), 0xffffffff);
}

static void test_unassigned_bar_fails(void **state)
{
	assert_int_equal(pci_lock_function(BARE_BDF, BIT(5), PCI_LOCK_NO_IO, "ahci"), -ENODEV);
	/* IDE-like: bus-master BAR4 at 0 would never be intercepted. */
	assert_int_equal(pci_lock_function(BARE_BDF, BIT(4), 0, "the ata intercept"), -ENODEV);
	assert_int_equal(pci_lock_function(NIC_BDF, BIT(1), 0, "the test"), 0);	/* none */
}

static void test_lpc_decode_and_superio(void **state)
{
	assert_int_equal(lpc_init(NULL), 0);
	guest_cfg_write(LPC_BDF, 0x80, 0x00000070);		/* COMB decode moved */
	assert_int_equal(cfg(LPC_BDF)[0x20], 0);
	guest_cfg_write16(LPC_BDF, 0x82, BIT(12));		/* 0x2e decode on */
	assert_int_equal(cfg(LPC_BDF)[0x20], 0);
	guest_cfg_write(LPC_BDF, 0x60, 0x0b0a0b0a);		/* PIRQ routing: fine */
	assert_int_equal(cfg(LPC_BDF)[0x18], 0x0b0a0b0a);
	guest_cfg_write(ISA_BDF, 0x80, 0x2);			/* PIIX3: no COM decode */
	assert_int_equal(cfg(ISA_BDF)[0x20], 0x2);
	guest_io(0x2e, 1, false, 0x87);				/* Super-I/O: dropped */
	guest_io(0x4f, 1, false, 0x07);
	assert_int_equal(guest_io(0x2f, 1, true, 0) & 0xff, 0xff);
}

/*
 * Review 2: Enable No Snoop is cleared when an endpoint is locked and stays
 * off (a no-snoop read could fetch a bounce buffer's stale plaintext); ARI
 * forwarding on a bridge above a locked function stays off (device numbers
 * 1-31 would reach it under addresses nobody locked).
 */
static void test_nosnoop_and_ari_forwarding_refused(void **state)
{
	u32 *c = cfg(HBA_BDF(1)), *rp = cfg(RP_BDF(1));

	assert_int_equal(c[(HBA_EXP + 8) / 4] & BIT(11), 0);	/* cleared at lock */
	guest_cfg_write16(HBA_BDF(1), HBA_EXP + 8, BIT(11) | BIT(4));
	assert_int_equal(c[(HBA_EXP + 8) / 4], BIT(4));		/* relaxed ordering only */
	guest_cfg_write16(RP_BDF(1), RP_EXP + 0x28, BIT(5) | BIT(4));	/* ARI fwd; timeout dis. */
	assert_int_equal(rp[(RP_EXP + 0x28) / 4], BIT(4));
}

/* Review 2: an access running past 0xcff reaches no register (nor port 0xd00). */
static void test_data_port_straddle_dropped(void **state)
{
	u32 *c = cfg(IDE_BDF);				/* 0x40-0x57: PIIX timings, writable */

	c[0x10] = 0;
	guest_io(0xcf8, 4, false, BIT(31) | (u32)IDE_BDF << 8 | 0x40);
	guest_io(0xcff, 2, false, 0x1234);
	assert_int_equal(c[0x10], 0);
	guest_io(0xcfe, 4, false, 0x12345678);
	assert_int_equal(c[0x10], 0);
	assert_int_equal(guest_io(0xcfd, 4, true, 0), 0xffffffff);
	guest_io(0xcfe, 2, false, 0x5678);			/* within the dword: fine */
	assert_int_equal(c[0x10], 0x56780000);
}

static void test_byte_access_and_reset_port(void **state)
{
	guest_io(0xcf8, 4, false, BIT(31) | (u32)IDE_BDF << 8 | 0x08);
	assert_int_equal(guest_io(0xcfe, 2, true, 0), 0x0101);	/* class word */
	assert_int_equal(guest_io(0xcf8, 4, true, 0), BIT(31) | (u32)IDE_BDF << 8 | 0x08);
	guest_io(0xcf9, 1, false, 0x06);			/* reset control: to the chipset */
	assert_int_equal(hw.cf9, 0x06);
	guest_io(0xcf8, 1, false, 0xf0);			/* mechanism #2 CSE: dropped */
	guest_io(0xcfa, 1, false, 0x00);
	guest_io(0xcf8, 2, false, 0x06f0);			/* a word over 0xcf9 too */
	assert_int_equal(hw.mech2, 0);
	assert_int_equal(hw.cf9, 0x06);
	guest_io(0xcf8, 4, false, 0);				/* disabled: reads all ones */
	assert_int_equal(guest_io(0xcfc, 4, true, 0), 0xffffffff);
}

/*
 * One CPU: 0xcf8-0xcfb pass through, 0xcfc-0xcff exit and the VMM takes the
 * address from the register; locked functions stay protected, and the VMM's
 * own accesses give the guest its address back.
 */
static void test_addr_port_passed_on_one_cpu(void **state)
{
	u32 *ide = cfg(IDE_BDF), i, n, guest;

	pass_allowed = true;
	npio = 0;
	assert_int_equal(pci_intercept_init(NULL), 0);
	for (i = 0; i < 4; i++)
		assert_true(passed[0xcf8 + i]);
	for (i = 0; i < 4; i++)
		assert_false(passed[0xcfc + i]);
	n = handled;
	guest = BIT(31) | (u32)IDE_BDF << 8 | 0x08;
	guest_io(0xcf8, 4, false, guest);
	assert_int_equal(handled, n);			/* no exit */
	assert_int_equal(hw.addr, guest);
	assert_int_equal(guest_io(0xcfe, 2, true, 0), 0x0101);	/* class word, through the VMM */
	assert_int_equal(handled, n + 1);
	assert_int_equal(hw.addr, guest);		/* the guest's address put back */
	guest_io(0xcf8, 4, false, BIT(31) | (u32)IDE_BDF << 8 | 0x20);	/* BAR4 */
	guest_io(0xcfc, 4, false, 0xd001);		/* a move of the locked BAR */
	assert_int_equal(ide[8], 0xc021);
	guest = BIT(31) | (u32)NIC_BDF << 8 | 0x10;
	guest_io(0xcf8, 4, false, guest);
	assert_int_equal(pci_cfg_read(IDE_BDF, 0, 4), 0x70108086);	/* the VMM's own */
	assert_int_equal(hw.addr, guest);
	assert_int_equal(guest_io(0xcfc, 4, true, 0), cfg(NIC_BDF)[4]);	/* the NIC's BAR0 */
	guest_io(0xcf8, 4, false, BIT(31) | BIT(24) | (u32)IDE_BDF << 8 | 0x08);
	assert_int_equal(guest_io(0xcfc, 4, true, 0), 0xffffffff);	/* reserved bits */
	guest_io(0xcf8, 4, false, 0);
	assert_int_equal(guest_io(0xcfc, 4, true, 0), 0xffffffff);	/* disabled */
	/* More than one CPU: trapped again, the guest's view kept by the VMM. */
	pass_allowed = false;
	for (i = 0; i < 4; i++)
		passed[0xcf8 + i] = false;
	npio = 0;
	assert_int_equal(pci_intercept_init(NULL), 0);
	for (i = 0; i < 4; i++)
		assert_false(passed[0xcf8 + i]);
	guest_io(0xcf8, 4, false, BIT(31) | (u32)IDE_BDF << 8 | 0x08);
	hw.addr = 0;					/* the VMM does not read it back */
	assert_int_equal(guest_io(0xcfe, 2, true, 0), 0x0101);
}

/* ---- ECAM ------------------------------------------------------------------ */

static struct { u64 gpa; mmio_handler_fn fn; void *priv; } traps[64];
static u32 ntraps;
static u64 vmm_base = 0x10000000, vmm_size = 0x1000000;

int vm_register_mmio(struct vm *vm, u64 gpa, u64 size, u32 flags, const char *name,
		     mmio_handler_fn handler, void *priv)
{
	assert_int_equal(size, 4096);
	assert_int_equal(flags, MMIO_TRAP_READ | MMIO_TRAP_WRITE);
	assert_true(ntraps < 64);
	traps[ntraps].gpa = gpa;
	traps[ntraps].fn = handler;
	traps[ntraps++].priv = priv;
	return 0;
}

void mm_region(u64 *base, u64 *size)
{
	*base = vmm_base;
	*size = vmm_size;
}

static bool trapped(u16 bdf)
{
	u32 i;

	for (i = 0; i < ntraps; i++)
		if (traps[i].gpa == ECAM_BASE + ((u64)bdf << 12))
			return true;
	return false;
}

/* The device side of an ECAM access: the model's config space, memory above 0xff. */
static u64 ecam_hw(u16 bdf, u16 off, u32 size, bool write, u64 v)
{
	u8 *ext = (u8 *)(uintptr_t)(ECAM_BASE + ((u64)bdf << 12) + off);
	u32 *c = fn_of(bdf) ? cfg(bdf) : NULL, sh = (off & 3) * 8;
	u32 mask = (size == 4 ? ~0u : (1u << (size * 8)) - 1) << sh;

	if (off >= 0x100) {
		if (write)
			memcpy(ext, &v, size);
		else
			memcpy(&v, ext, size);
		return v;
	}
	if (!c)
		return ~0ULL;
	if (write)
		cfg_store(c, off / 4, (c[off / 4] & ~mask) | (((u32)v << sh) & mask));
	return (c[off / 4] & mask) >> sh;
}

/* A guest access to ECAM: through a trap if its page has one, else to the device. */
static u64 guest_ecam(u16 bdf, u16 off, u32 size, bool write, u64 v)
{
	u64 gpa = ECAM_BASE + ((u64)bdf << 12) + off;
	u32 i;

	for (i = 0; i < ntraps; i++)
		if (gpa >= traps[i].gpa && gpa < traps[i].gpa + 4096) {
			if (traps[i].fn(NULL, traps[i].priv, gpa, size, write, &v))
				return write ? 0 : ~0ULL;	/* refused (the core's rule) */
			return v;
		}
	return ecam_hw(bdf, off, size, write, v);
}

static u8 acpi_sum(const u8 *p, u32 n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* RSDP (rev 2) -> XSDT -> MCFG with one window: segment 0, buses 0..@end. */
static void acpi_build(u8 end)
{
	u8 *rsdp = (u8 *)(uintptr_t)ACPI_BASE, *xsdt = rsdp + 64, *mcfg = rsdp + 256;
	u64 v;

	memset(rsdp, 0, 4096);
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	rsdp[20] = 36;
	v = ACPI_BASE + 64;
	memcpy(rsdp + 24, &v, 8);
	rsdp[8] = -acpi_sum(rsdp, 20);
	rsdp[32] = -acpi_sum(rsdp, 36);
	memcpy(xsdt, "XSDT", 4);
	xsdt[4] = 44;
	v = ACPI_BASE + 256;
	memcpy(xsdt + 36, &v, 8);
	xsdt[9] = -acpi_sum(xsdt, 44);
	memcpy(mcfg, "MCFG", 4);
	mcfg[4] = 60;
	v = ECAM_BASE;
	memcpy(mcfg + 44, &v, 8);
	mcfg[55] = end;
	mcfg[9] = -acpi_sum(mcfg, 60);
}

static int ecam_boot(u8 end)
{
	struct boot_info bi = { .acpi_rsdp = ACPI_BASE };

	acpi_build(end);
	ntraps = 0;
	return pci_ecam_boot_phase(&bi);
}

/* Every locked function's page is trapped (all locks taken by the tests above). */
static void test_ecam_traps(void **state)
{
	u32 i;

	assert_ptr_equal(mmap((void *)ECAM_BASE, ECAM_BUSES << 20, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
			 (void *)ECAM_BASE);
	assert_ptr_equal(mmap((void *)ACPI_BASE, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
			 (void *)ACPI_BASE);
	assert_int_equal(ecam_boot(ECAM_BUSES - 1), VMM_OK);
	assert_int_equal(pci_ecam_intercept_init(NULL), 0);
	assert_true(trapped(HOST_BDF) && trapped(IDE_BDF) && trapped(LPC_BDF));
	for (i = 0; i < 4; i++)
		assert_true(trapped(RP_BDF(i)) && trapped(HBA_BDF(i)));
	assert_true(trapped(NIC_BDF));			/* locked by test_unassigned_bar_fails */
	assert_false(trapped(ISA_BDF) || trapped(BARE_BDF));	/* not locked */
	assert_int_equal(ntraps, 1 + 1 + 1 + 8 + 1);
}

/* The same refusals as through 0xcf8 (test_prog_if_refused, ..._bus_numbers_...). */
static void test_ecam_writes_refused(void **state)
{
	guest_ecam(IDE_BDF, 0x09, 1, true, 0x8f);			/* native mode */
	assert_int_equal(cfg(IDE_BDF)[2], 0x01018000);
	guest_ecam(IDE_BDF, 0x08, 4, true, 0x01018f00);
	assert_int_equal(cfg(IDE_BDF)[2], 0x01018000);
	guest_ecam(IDE_BDF, 0x20, 4, true, 0xd001);			/* BAR4 move */
	assert_int_equal(cfg(IDE_BDF)[8], 0xc021);
	assert_int_equal(guest_ecam(IDE_BDF, 0x20, 4, false, 0), 0xc021);
	guest_ecam(RP_BDF(1), PCI_BUSES, 4, true, 0x00070700);	/* renumber 3 -> 7 */
	assert_int_equal(cfg(RP_BDF(1))[6] & 0xffffff, 0x030300);
	guest_ecam(RP_BDF(1), 0x19, 1, true, 9);
	assert_int_equal(cfg(RP_BDF(1))[6] & 0xffffff, 0x030300);
	guest_ecam(HBA_BDF(2), PCI_BAR5, 4, true, 0xe0000000);	/* ABAR move */
	assert_int_equal(cfg(HBA_BDF(2))[9], 0xfea20000);
	guest_ecam(HBA_BDF(2), HBA_EXP + 8, 2, true, BIT(15));		/* FLR */
	assert_int_equal(cfg(HBA_BDF(2))[(HBA_EXP + 8) / 4] & BIT(15), 0);
	guest_ecam(HBA_BDF(2), PCI_BAR5, 8, true, 0xe0000000ULL << 32 | 0xe0000000);
	assert_int_equal(cfg(HBA_BDF(2))[9], 0xfea20000);		/* a qword too */
	guest_ecam(LPC_BDF, 0x80, 4, true, 0x70);			/* COMB decode */
	assert_int_equal(cfg(LPC_BDF)[0x20], 0);
	guest_ecam(HBA_BDF(2), 0x100, 4, true, 0x12345678);		/* extended: refused */
	assert_int_equal(*(u32 *)(uintptr_t)(ECAM_BASE + ((u64)HBA_BDF(2) << 12) + 0x100), 0);
	guest_ecam(HBA_BDF(2), 0x104, 2, true, 0x2);	/* not the command register's mask */
	assert_int_equal(*(u32 *)(uintptr_t)(ECAM_BASE + ((u64)HBA_BDF(2) << 12) + 0x104), 0);
	guest_ecam(HBA_BDF(2), 0x13c, 1, true, 0x0b);	/* nor the interrupt line's */
	assert_int_equal(*(u32 *)(uintptr_t)(ECAM_BASE + ((u64)HBA_BDF(2) << 12) + 0x13c), 0);
	guest_ecam(HBA_BDF(2), 0x0a, 4, true, 0xffffffff);		/* misaligned: refused */
	assert_int_equal(cfg(HBA_BDF(2))[2], 0x01060100);
}

static void test_ecam_allowed_and_reads(void **state)
{
	u32 *ext = (u32 *)(uintptr_t)(ECAM_BASE + ((u64)HBA_BDF(3) << 12) + 0x100);

	guest_ecam(HBA_BDF(3), PCI_COMMAND, 2, true, 0x2);		/* bus master off */
	assert_int_equal(cfg(HBA_BDF(3))[1] & 0xffff, 0x2);
	guest_ecam(HBA_BDF(3), PCI_COMMAND, 2, true, 0x6);
	assert_int_equal(cfg(HBA_BDF(3))[1] & 0xffff, 0x6);
	guest_ecam(HBA_BDF(3), PCI_BAR5, 4, true, 0xffffffff);	/* sizing, emulated */
	assert_int_equal(guest_ecam(HBA_BDF(3), PCI_BAR5, 4, false, 0), 0xffffe000);
	assert_int_equal(cfg(HBA_BDF(3))[9], 0xfea30000);
	guest_ecam(HBA_BDF(3), PCI_BAR5, 4, true, 0xfea30000);
	assert_int_equal(guest_ecam(HBA_BDF(3), PCI_BAR5, 2, false, 0), 0x0000);
	assert_int_equal(guest_ecam(HBA_BDF(3), PCI_BAR5 + 2, 2, false, 0), 0xfea3);
	assert_int_equal(guest_ecam(HBA_BDF(3), HBA_AF + 1, 1, false, 0), 0);	/* MSI-X hidden */
	*ext = 0x00010001;						/* AER header */
	assert_int_equal(guest_ecam(HBA_BDF(3), 0x100, 4, false, 0), 0x00010001);
	ext[0xa0 / 4] = 0xb013;			/* 0x1a0: not the MSI-X link at 0xa1 */
	assert_int_equal(guest_ecam(HBA_BDF(3), 0x1a1, 1, false, 0), 0xb0);
	assert_int_equal(guest_ecam(HBA_BDF(3), 0x120, 4, false, 0), 0);	/* not BAR4 */
	assert_int_equal(guest_ecam(HBA_BDF(3), 0x100, 8, false, 0), 0x00010001);
	guest_ecam(ISA_BDF, 0x60, 4, true, 0x0b0a0b0a);		/* not locked, untrapped */
	assert_int_equal(cfg(ISA_BDF)[0x18], 0x0b0a0b0a);
}

/* Q35 PCIEXBAR (0x60): the ECAM window cannot be moved, through 0xcf8 or ECAM. */
static void test_host_bridge_pciexbar_refused(void **state)
{
	u32 *c = cfg(HOST_BDF);

	guest_cfg_write(HOST_BDF, PCIEXBAR, 0xe0000001);
	assert_int_equal(c[PCIEXBAR / 4], (u32)ECAM_BASE | 1);
	guest_cfg_write8(HOST_BDF, PCIEXBAR, 0);			/* disable */
	assert_int_equal(c[PCIEXBAR / 4], (u32)ECAM_BASE | 1);
	guest_cfg_write(HOST_BDF, PCIEXBAR + 4, 1);			/* above 4 GiB */
	assert_int_equal(c[PCIEXBAR / 4 + 1], 0);
	guest_ecam(HOST_BDF, PCIEXBAR, 4, true, 0xe0000001);
	guest_ecam(HOST_BDF, PCIEXBAR, 8, true, 0x1e0000001ULL);
	assert_int_equal(c[PCIEXBAR / 4], (u32)ECAM_BASE | 1);
	assert_int_equal(c[PCIEXBAR / 4 + 1], 0);
	guest_cfg_write(HOST_BDF, 0x180, 0xfed90001);			/* VTBAR, where it is */
	assert_int_equal(guest_cfg_read(HOST_BDF, PCIEXBAR), (u32)ECAM_BASE | 1);
	guest_cfg_write(HOST_BDF, 0x10, 0xffffffff);			/* BAR sizing: none */
	assert_int_equal(guest_cfg_read(HOST_BDF, 0x10), 0);
	assert_int_equal(c[4], 0);
}

/*
 * Fail closed: a window over the VMM, a bad MCFG, a locked bus no window
 * covers, an MCFG that misses the window PCIEXBAR decodes (or no MCFG at all).
 */
static void test_ecam_fail_closed(void **state)
{
	struct boot_info bi = { .acpi_rsdp = 0 };
	u8 *mcfg = (u8 *)(uintptr_t)(ACPI_BASE + 256);

	vmm_base = ECAM_BASE + (3 << 20);
	assert_int_equal(ecam_boot(ECAM_BUSES - 1), VMM_ERR_DEVICES);
	vmm_base = 0x10000000;
	acpi_build(0);
	mcfg[54] = 1;						/* start bus 1 > end bus 0 */
	mcfg[9] = 0;
	mcfg[9] = -acpi_sum(mcfg, 60);
	bi.acpi_rsdp = ACPI_BASE;
	assert_int_equal(pci_ecam_boot_phase(&bi), VMM_ERR_DEVICES);
	mcfg[54] = 0;						/* a bad checksum */
	assert_int_equal(pci_ecam_boot_phase(&bi), VMM_ERR_DEVICES);
	assert_int_equal(ecam_boot(1), VMM_OK);			/* buses 0-1 only */
	assert_int_equal(pci_ecam_intercept_init(NULL), -ENODEV);	/* HBAs on 2-5 */
	*(u64 *)(uintptr_t)(ACPI_BASE + 256 + 44) = ECAM_BASE + (256 << 20);
	mcfg[9] = 0;
	mcfg[9] = -acpi_sum(mcfg, 60);				/* not where PCIEXBAR decodes */
	bi.acpi_rsdp = ACPI_BASE;
	assert_int_equal(pci_ecam_boot_phase(&bi), VMM_ERR_DEVICES);
	bi.acpi_rsdp = 0;					/* no ACPI, PCIEXBAR on */
	assert_int_equal(pci_ecam_boot_phase(&bi), VMM_ERR_DEVICES);
	cfg(HOST_BDF)[PCIEXBAR / 4] = 0;			/* off: no ECAM at all */
	assert_int_equal(pci_ecam_boot_phase(&bi), VMM_OK);
	assert_int_equal(pci_ecam_intercept_init(NULL), 0);
	cfg(HOST_BDF)[PCIEXBAR / 4] = (u32)ECAM_BASE | 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_and_bar),
		cmocka_unit_test(test_locked_bar_sizing_and_moves),
		cmocka_unit_test(test_unlocked_passes),
		cmocka_unit_test(test_prog_if_refused),
		cmocka_unit_test(test_lock_table_holds_ide_ahci_bridges),
		cmocka_unit_test(test_bridge_bus_numbers_refused),
		cmocka_unit_test(test_bridge_reset_and_window_refused),
		cmocka_unit_test(test_hba_io_off_master_allowed),
		cmocka_unit_test(test_hba_bar_move_refused),
		cmocka_unit_test(test_hba_flr_and_d3_refused),
		cmocka_unit_test(test_hba_msi_and_vendor_refused),
		cmocka_unit_test(test_extended_register_bits),
		cmocka_unit_test(test_unassigned_bar_fails),
		cmocka_unit_test(test_lpc_decode_and_superio),
		cmocka_unit_test(test_byte_access_and_reset_port),
		cmocka_unit_test(test_nosnoop_and_ari_forwarding_refused),
		cmocka_unit_test(test_data_port_straddle_dropped),
		cmocka_unit_test(test_addr_port_passed_on_one_cpu),
		cmocka_unit_test(test_ecam_traps),
		cmocka_unit_test(test_ecam_writes_refused),
		cmocka_unit_test(test_ecam_allowed_and_reads),
		cmocka_unit_test(test_host_bridge_pciexbar_refused),
		cmocka_unit_test(test_ecam_fail_closed),
	};

	return cmocka_run_group_tests(tests, setup_once, NULL);
}
