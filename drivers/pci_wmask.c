// SPDX-License-Identifier: GPL-2.0-only
/*
 * Write masks of locked functions: deny by default. A dword not named here
 * is refused whole; a named one lets through only the bits listed.
 */
#include "pci_lock.h"

#define W(a, i)			((struct pci_wmask){ .allow = (u32)(a), .ignore = (u32)(i) })
#define DENY			W(0, 0)
#define RO			W(0, ~0u)

/* Command: I/O, memory, bus master, MWI, parity, SERR, INTx disable. */
#define CMD_ALLOW		0x0557u
/* Status (upper half): the RW1C error bits; the rest is read-only. */
#define STATUS_RW1C		0xf900u
#define BIST_START		BIT(30)
#define BRCTL_SBR		BIT(6)		/* bridge control: secondary bus reset */

#define CAP_PM			0x01
#define CAP_MSI			0x05
#define CAP_EXP			0x10
#define CAP_MSIX		0x11
#define CAP_AF			0x13

#define MSI_CTL_64		BIT(23)		/* in the header dword */
#define MSI_CTL_PVM		BIT(24)
#define MSI_ADDR_BASE		0xfee00000u	/* the interrupt address window */
#define MSIX_CTL_ENABLE		BIT(31)
#define EXP_DEVCTL_FLR		BIT(15)
#define EXP_DEVCTL2_ARI_FWD	BIT(5)
#define EXP_LNKCTL_DISABLE	BIT(4)
#define EXP_SLTCTL_POWER	(BIT(10) | BIT(11))	/* power off, interlock */
#define EXP_LNKCTL2_COMPLIANCE	(BIT(4) | BIT(10))

/* Offset 0x00-0x3f of a type 0 header, BARs and ROM excepted. */
static struct pci_wmask hdr0(const struct pci_locked *l, u16 off)
{
	u32 cmd = CMD_ALLOW & ~((l->flags & PCI_LOCK_NO_IO) ? PCI_COMMAND_IO : 0);

	switch (off) {
	case PCI_COMMAND:
		return W(cmd | STATUS_RW1C << 16, ~(CMD_ALLOW | STATUS_RW1C << 16));
	case PCI_CLASS_REV:
		return W(0, 0xffff00ff);	/* prog-if (IDE native mode) refused */
	case PCI_HEADER_DW:
		return W(0xffff, ~(0xffff | BIST_START));
	case PCI_INTR:
		return W(0xff, ~0xffu);
	case 0x00: case 0x28: case 0x2c: case PCI_CAP_PTR: case 0x38:
		return RO;
	}
	return DENY;
}

/* Offset 0x00-0x3f of a type 1 header: bus numbers and windows refused. */
static struct pci_wmask hdr1(const struct pci_locked *l, u16 off)
{
	switch (off) {
	case PCI_COMMAND:
		return W(CMD_ALLOW | STATUS_RW1C << 16, ~(CMD_ALLOW | STATUS_RW1C << 16));
	case PCI_HEADER_DW:
		return W(0xffff, ~(0xffff | BIST_START));
	case PCI_BUSES:
		return W(0xffu << 24, 0);	/* secondary latency timer only */
	case 0x1c:				/* I/O window; secondary status */
		return W(STATUS_RW1C << 16, 0x06ffu << 16);
	case PCI_INTR:				/* bridge control: no bus reset */
		return W(0xff | (0x0fbfu & ~BRCTL_SBR) << 16, 0xff00 | 0xf000u << 16);
	case 0x00: case PCI_CLASS_REV: case PCI_CAP_PTR:
		return RO;
	}
	return DENY;				/* 0x20-0x30: memory and I/O windows */
}

static struct pci_wmask cap_pm(u16 rel, u32 want)
{
	if (rel == 0)
		return RO;
	if (rel != 4)
		return DENY;
	/* PMCSR: PME enable, data select, PME status; only D0 (D3hot->D0 resets). */
	return W(BIT(8) | (0xfu << 9) | BIT(15) | ((want & 3) ? 0 : 3), ~0x9f03u);
}

static struct pci_wmask cap_msi(u32 hdr, u16 rel, u32 want)
{
	u16 data = (hdr & MSI_CTL_64) ? 0x0c : 0x08;

	if (rel == 0)				/* enable, multiple message enable */
		return W((BIT(0) | 0x70u) << 16, ~((BIT(0) | 0x70u) << 16));
	if (rel == 4)	/* the device writes the message: an interrupt address only */
		return (want & 0xfff00000) == MSI_ADDR_BASE ? W(~0u, 0) : DENY;
	if (rel == 8 && (hdr & MSI_CTL_64))
		return want ? DENY : W(~0u, 0);
	if (rel == data)
		return W(~0u, 0);
	if (rel == data + 4 && (hdr & MSI_CTL_PVM))
		return W(~0u, 0);		/* mask bits */
	if (rel == data + 8 && (hdr & MSI_CTL_PVM))
		return RO;			/* pending bits */
	return DENY;
}

/* MSI-X: the table is in a BAR the VMM does not trap; enabling it is refused
 * (and the capability is hidden from the guest's list, drivers/pci.c). */
static struct pci_wmask cap_msix(u16 rel)
{
	if (rel == 0)
		return W(BIT(30), ~(BIT(30) | MSIX_CTL_ENABLE));
	return rel <= 8 ? RO : DENY;
}

/*
 * PCIe capability: FLR, link disable, slot power-off, compliance refused.
 * An endpoint's Enable No Snoop stays off (pci_lock_function() clears it):
 * a no-snoop read could fetch a bounce buffer's stale plaintext from DRAM.
 * ARI forwarding stays as the firmware set it: turned on above a locked
 * function, device numbers 1-31 would reach it under addresses not locked.
 */
static struct pci_wmask cap_exp(const struct pci_locked *l, u16 rel)
{
	u32 devctl = PCI_EXP_TYPE_ENDPOINT(l->exp_type) ?
		     0xffffu & ~(EXP_DEVCTL_FLR | PCI_EXP_DEVCTL_NOSNOOP) : 0xffffu;

	switch (rel) {
	case 0x00: case 0x04: case 0x0c: case 0x14: case 0x24: case 0x2c: case 0x34:
		return RO;
	case 0x08:				/* device control; status RW1C */
		return W(devctl | 0xfu << 16, ~(0xffffu | 0xfu << 16));
	case 0x10:				/* link control; status RW1C */
		return W((0xffffu & ~EXP_LNKCTL_DISABLE) | 0xc000u << 16, 0x3fffu << 16);
	case 0x18:				/* slot control; status RW1C */
		return W((0xffffu & ~EXP_SLTCTL_POWER) | 0x011fu << 16, 0xfee0u << 16);
	case 0x1c:				/* root control; root capabilities */
		return W(0xffff, ~0xffffu);
	case 0x20:				/* root status: PME status */
		return W(BIT(16), ~BIT(16));
	case 0x28:				/* device control 2 */
		return W(0xffff & ~EXP_DEVCTL2_ARI_FWD, ~0xffffu);
	case 0x30:				/* link control 2; status 2 */
		return W((0xffffu & ~EXP_LNKCTL2_COMPLIANCE) | BIT(21), ~(0xffffu | BIT(21)));
	}
	return DENY;
}

/* Advanced Features: initiate FLR refused. */
static struct pci_wmask cap_af(u16 rel)
{
	return rel == 0 ? RO : rel == 4 ? W(0, 0xff00) : DENY;
}

/* MSI: 10 bytes, 4 more with a 64-bit address, 10 more with per-vector masks. */
static u16 msi_len(u32 hdr)
{
	return 0x0c + ((hdr & MSI_CTL_64) ? 4 : 0) + ((hdr & MSI_CTL_PVM) ? 8 : 0);
}

/* Within capability @cap (its offset) of @l? Then @rel is the dword offset in it. */
static bool in_cap(u8 cap, u16 len, u16 off, u16 *rel)
{
	if (!cap || off < (cap & 0xfc) || off >= cap + len)
		return false;
	*rel = off - (cap & 0xfc);
	return true;
}

static struct pci_wmask caps(const struct pci_locked *l, u16 off, u32 cur, u32 want)
{
	u16 rel;

	if (in_cap(l->cap_pm, 8, off, &rel))
		return cap_pm(rel, want);
	if (in_cap(l->cap_msi, msi_len(l->msi_hdr), off, &rel))
		return cap_msi(l->msi_hdr, rel, want);
	if (in_cap(l->cap_msix, 0x0c, off, &rel))
		return cap_msix(rel);
	if (in_cap(l->cap_exp, l->exp_ver >= 2 ? 0x3c : 0x24, off, &rel))
		return cap_exp(l, rel);
	if (in_cap(l->cap_af, 8, off, &rel))
		return cap_af(rel);
	return DENY;
}

/* PIIX/ICH IDE timing registers (IDETIM, SIDETIM, UDMACTL/TIM, IDE_CONFIG). */
static bool ide_timing(const struct pci_locked *l, u16 off)
{
	return l->class == PCI_CLASS_IDE && l->vendor == 0x8086 && off >= 0x40 && off < 0x58;
}

/*
 * The host bridge: the header as a device's, every chipset register refused.
 * On Intel MCHs these place ECAM (PCIEXBAR: 0x60 on Q35 and Sandy Bridge and
 * later client parts, 0x48 on i945), MCHBAR (0x48; on client parts it holds
 * GFXVTBAR/VTVC0BAR, the VT-d units' bases, at +0x5400/+0x5410), DMIBAR,
 * EPBAR, the memory map (TOM, TOUUD, TOLUD, REMAPBASE/LIMIT, TSEGMB, BDSM,
 * DPR), SMRAM (SMRAMC, ESMRAMC, PAM) and, on some server parts, VTBAR at
 * 0x180. Firmware locks some (TOLUD/TOUUD/REMAP/TSEGMB/DPR lock bits, SMRAMC
 * D_LCK), not PCIEXBAR, MCHBAR or DMIBAR. Deny by default: no chipset table
 * to get wrong, and nothing is ever written.
 */
static struct pci_wmask host(const struct pci_locked *l, u16 off)
{
	return off < 0x40 ? hdr0(l, off) : DENY;
}

struct pci_wmask pci_wmask(const struct pci_locked *l, u16 off, u32 cur, u32 want)
{
	if (l->role == PCI_LOCK_HOST)
		return host(l, off);
	if (l->role == PCI_LOCK_DECODE)
		return off >= l->lo && off <= l->hi ? DENY : W(~0u, 0);
	if (off < 0x40)
		return l->role == PCI_LOCK_BRIDGE ? hdr1(l, off) : hdr0(l, off);
	if (ide_timing(l, off))
		return W(~0u, 0);
	return caps(l, off, cur, want);
}
