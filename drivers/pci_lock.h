/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to drivers/pci.c and drivers/pci_wmask.c: a locked function and the
 * write mask its guest config writes pass through.
 */
#ifndef DRIVERS_PCI_LOCK_H
#define DRIVERS_PCI_LOCK_H

#include <drivers/pci.h>

#define PCI_ROM_BAR		6	/* index of the expansion ROM in bar[] */

/* PCIe capability: endpoint types (endpoint, legacy, RC-integrated). */
#define PCI_EXP_TYPE_ENDPOINT(t)	((t) == 0 || (t) == 1 || (t) == 9)
#define PCI_EXP_DEVCTL_NOSNOOP		BIT(11)	/* device control: Enable No Snoop */

struct pci_locked {
	u16 bdf;
	u8 role;			/* enum pci_lock_role */
	u8 flags;			/* PCI_LOCK_* */
	u16 vendor, class;		/* class << 8 | subclass */
	u16 lo, hi;			/* PCI_LOCK_DECODE: refused dwords */
	u8 cap_pm, cap_msi, cap_exp, cap_msix, cap_af;	/* 0: absent */
	u8 exp_type, exp_ver;		/* PCIe device/port type, capability version */
	u32 msi_hdr;			/* MSI: its 64-bit and per-vector-mask bits */
	u8 msix_link, msix_next;	/* MSI-X hidden: the pointer to it reads its next */
	const char *owner;
	u32 bar[PCI_LOCK_BARS];		/* the addresses the guest may not change */
	u32 size_mask[PCI_LOCK_BARS];	/* what a sizing write reads back */
	bool sizing[PCI_LOCK_BARS];
};

/*
 * pci_wmask - what a guest write of dword @want (the register now holds @cur)
 * to dword @off of @l may change: @allow bits reach the device, @ignore bits
 * (read-only or harmless) are dropped silently, every other changed bit is
 * refused and logged. BAR and ROM dwords are the caller's (bar_write).
 */
struct pci_wmask {
	u32 allow, ignore;
};

struct pci_wmask pci_wmask(const struct pci_locked *l, u16 off, u32 cur, u32 want);

/*
 * pci_guest_cfg - the one decision for a guest config access of @size bytes
 * at @off (0..0xfff) of @bdf, from 0xcf8/0xcfc or from an ECAM trap: a locked
 * function's BARs emulated, its other writes through pci_wmask(), MSI-X
 * hidden; an unlocked function's access passes. For a read, *@val receives
 * the value.
 */
void pci_guest_cfg(u16 bdf, u16 off, u32 size, bool in, u32 *val);

/* pci_for_each_locked - call @fn for each locked function until it returns non-zero. */
int pci_for_each_locked(int (*fn)(u16 bdf, void *priv), void *priv);

/* pci_ecam_cfg - ECAM address of config byte @off of segment-0 @bdf, or NULL (pci_ecam.c). */
volatile void *pci_ecam_cfg(u16 bdf, u16 off);

#endif
