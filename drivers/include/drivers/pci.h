/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space through the legacy 0xcf8/0xcfc mechanism, a scan of
 * bus 0..255, and the guest's config accesses, intercepted so that device
 * intercepts see BAR and command-register changes (a guest must not move a
 * controller's registers out from under an intercept).
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
#define PCI_CLASS_REV		0x08
#define PCI_BAR0		0x10
#define PCI_BAR5		0x24

#define PCI_CLASS_IDE		0x0101	/* class << 8 | subclass */
#define PCI_CLASS_SATA		0x0106	/* prog-if 01: AHCI */
#define PCI_CLASS_NVME		0x0108
#define PCI_CLASS_ETHERNET	0x0200

struct vm;

struct pci_dev {
	u16 bdf;
	u16 vendor, device;
	u8 prog_if;
	u16 class;			/* class << 8 | subclass */
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
 * pci_cfg_watch_fn - called after a guest write to config space of a
 * watched function reached the device, with the dword offset written.
 */
typedef void (*pci_cfg_watch_fn)(void *priv, u16 bdf, u16 off);

/* pci_watch - call @fn after guest config writes to @bdf. Return 0 or -E2BIG. */
int pci_watch(u16 bdf, pci_cfg_watch_fn fn, void *priv);

/*
 * pci_lock_bars - from now on the guest cannot move @bdf's BARs: writes of
 * all ones (sizing) read back the size mask, a write of the current address
 * restores it, any other address is refused and logged. For controllers
 * whose registers the VMM intercepts at fixed addresses. Return 0 or -E2BIG.
 */
int pci_lock_bars(u16 bdf, const char *owner);

/* pci_intercept_init - intercept the guest's 0xcf8/0xcfc..0xcff accesses. */
int pci_intercept_init(struct vm *vm);

#endif
