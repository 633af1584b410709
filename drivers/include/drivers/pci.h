/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space through the legacy 0xcf8/0xcfc mechanism, a scan of
 * bus 0..255, and the guest's config accesses, intercepted: on a locked
 * function (an intercepted controller, its upstream bridges, the LPC bridge's
 * decode registers) a guest write reaches the device only through that
 * register's write mask (drivers/pci_wmask.c), so a guest cannot move,
 * reset, renumber or re-mode a controller out from under an intercept. The
 * same decision serves their ECAM pages (drivers/pci_ecam.c).
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <mamori/types.h>

#define PCI_BDF(b, d, f)	((u16)(((b) << 8) | ((d) << 3) | (f)))
#define PCI_BUS(bdf)		((u8)((bdf) >> 8))
#define PCI_DEV(bdf)		((u8)(((bdf) >> 3) & 31))
#define PCI_FN(bdf)		((u8)((bdf) & 7))

#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		BIT(0)
#define PCI_COMMAND_MEM		BIT(1)
#define PCI_COMMAND_MASTER	BIT(2)
#define PCI_STATUS_CAP_LIST	BIT(20)	/* in the command/status dword */
#define PCI_CLASS_REV		0x08
#define PCI_HEADER_DW		0x0c	/* cache line, latency, header type, BIST */
#define PCI_BAR0		0x10
#define PCI_BAR5		0x24
#define PCI_BUSES		0x18	/* type 1: primary, secondary, subordinate */
#define PCI_ROM			0x30	/* type 0; 0x38 on type 1 */
#define PCI_ROM_BRIDGE		0x38
#define PCI_CAP_PTR		0x34
#define PCI_INTR		0x3c
#define PCI_CFG_SIZE		256	/* what 0xcf8/0xcfc reaches */

#define PCI_CLASS_IDE		0x0101	/* class << 8 | subclass */
#define PCI_CLASS_SATA		0x0106	/* prog-if 01: AHCI */
#define PCI_CLASS_NVME		0x0108
#define PCI_CLASS_ETHERNET	0x0200
#define PCI_CLASS_HOST		0x0600	/* host bridge */
#define PCI_CLASS_ISA		0x0601	/* ISA/LPC bridge */
#define PCI_CLASS_BRIDGE	0x0604	/* PCI-to-PCI bridge */

struct vm;

struct pci_dev {
	u16 bdf;
	u16 vendor, device;
	u8 prog_if;
	u16 class;			/* class << 8 | subclass */
	u8 hdr;				/* header type, bit 7 (multi-function) masked */
};

u32 pci_cfg_read(u16 bdf, u16 off, u32 size);
void pci_cfg_write(u16 bdf, u16 off, u32 size, u32 val);

/* pci_bar - the base of BAR @n (memory or I/O, flags masked; 64-bit aware). */
u64 pci_bar(u16 bdf, u32 n);

/*
 * pci_find - the @index-th function (0-based, in bus/device/function order)
 * whose class is @class and, when @prog_if >= 0, whose prog-if is @prog_if.
 * Return 0 and fill @out, or -ENOENT.
 */
int pci_find(u16 class, int prog_if, u32 index, struct pci_dev *out);

/*
 * pci_for_each - call @fn for every present function, in bus/device/function
 * order, until it returns non-zero; return that, or 0.
 */
int pci_for_each(int (*fn)(const struct pci_dev *d, void *priv), void *priv);

/* A locked function's role: which write mask applies (drivers/pci_wmask.c). */
enum pci_lock_role {
	PCI_LOCK_DEVICE,	/* an intercepted controller: deny by default */
	PCI_LOCK_BRIDGE,	/* upstream of one: deny by default */
	PCI_LOCK_DECODE,	/* an LPC/ISA bridge: only its decode registers */
	PCI_LOCK_HOST,		/* the host bridge 00:00.0: header only, chipset refused */
};

#define PCI_LOCK_NO_IO		BIT(0)	/* I/O decode kept off (AHCI: no legacy path) */
#define PCI_LOCK_MAX		32	/* 1 IDE + 4 AHCI + bridges + LPC */
#define PCI_LOCK_BARS		7	/* BAR0-5 and the expansion ROM */

/*
 * pci_lock_function - from now on the guest's config writes to @bdf and to
 * every bridge upstream of it pass only through their write masks: BARs and
 * ROM locked (sizing reads back the size mask, a write of the current address
 * is a no-op, any other refused and logged), prog-if, resets (FLR, BIST,
 * D3hot, secondary bus reset, link disable), bus numbers and bridge windows
 * refused. Locked bus numbers keep every BDF key stable. @needed_bars: the
 * BARs the intercept relies on; one the function implements but that is
 * unassigned fails (logged with the function and BAR). Call before the guest
 * runs. Return 0, -ENODEV (needed BAR unassigned) or -E2BIG (lock table full).
 */
int pci_lock_function(u16 bdf, u32 needed_bars, u32 flags, const char *owner);

/*
 * pci_lock_decode - refuse the guest's writes to config dwords [@lo, @hi] of
 * @bdf (an LPC/ISA bridge's I/O decode registers); the rest passes.
 * Return 0 or -E2BIG.
 */
int pci_lock_decode(u16 bdf, u16 lo, u16 hi, const char *owner);

/*
 * pci_intercept_init - lock the host bridge 00:00.0 (every chipset register,
 * 0x40 and above, refused: on Intel MCHs PCIEXBAR, MCHBAR, DMIBAR, TOLUD,
 * REMAP, SMRAMC, and VTBAR where it is in config space) and intercept the
 * guest's 0xcf8/0xcfc..0xcff accesses. ECAM: <drivers/pci_ecam.h>.
 */
int pci_intercept_init(struct vm *vm);

#endif
