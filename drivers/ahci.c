// SPDX-License-Identifier: GPL-2.0-only
/* AHCI: the register intercept and the attach of an HBA (internals: ahci_priv.h). */
#include "ahci_priv.h"
#include <drivers/ata_cmds.h>
#include <drivers/pci.h>
#include <drivers/reg_merge.h>
#include <mamori/devices.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

/* ---- registers ---- */

static u32 mmio_read(void *priv, u32 off)
{
	struct ahci_hba *h = priv;

	return *(volatile u32 *)phys_to_virt(h->abar + off);
}

static void mmio_write(void *priv, u32 off, u32 val)
{
	struct ahci_hba *h = priv;

	*(volatile u32 *)phys_to_virt(h->abar + off) = val;
}

static const struct ahci_hw_ops ahci_mmio_ops = { mmio_read, mmio_write };

/* An access the intercept does not model: done as the guest asked. */
static void raw_access(u64 pa, u32 size, bool write, u64 *val)
{
	volatile void *p = phys_to_virt(pa);

	if (write) {
		if (size == 1)
			*(volatile u8 *)p = *val;
		else if (size == 2)
			*(volatile u16 *)p = *val;
		else if (size == 4)
			*(volatile u32 *)p = *val;
		else
			*(volatile u64 *)p = *val;
		return;
	}
	*val = size == 1 ? *(volatile u8 *)p : size == 2 ? *(volatile u16 *)p :
	       size == 4 ? *(volatile u32 *)p : *(volatile u64 *)p;
}

static void log_guest(struct ahci_hba *h, u32 off, const char *what)
{
	if (log_ratelimit(&h->nlog))
		pr_warn("ahci %02x:%02x.%x: refused guest write at ABAR+0x%x (%s)\n",
			PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), off, what);
}

/* ---- the intercept ---- */

static bool fb_ok(struct ahci_port *pt, u32 len)
{
	struct ahci_hba *h = pt->hba;
	u64 fb = hw_rd(h, px(pt, PX_FB)) | (u64)hw_rd(h, px(pt, PX_FBU)) << 32;
	u8 probe[64];
	u32 off;

	if (vm_range_hits_vmm(h->vm, fb, len))
		return false;
	for (off = 0; off < len; off += sizeof(probe))
		if (guest_phys_read(h->vm, fb + off, probe, sizeof(probe)))
			return false;
	return true;
}

/* What the HBA writes at PxFB: 4 KiB with FIS-based switching on, else 256 bytes. */
static u32 fb_size(struct ahci_port *pt)
{
	return hw_rd(pt->hba, px(pt, PX_FBS)) & PX_FBS_EN ? PAGE_SIZE : AHCI_RX_FIS_SIZE;
}

static void shadow_clb(struct ahci_port *pt)
{
	u64 pa = virt_to_phys(pt->cl);

	hw_wr(pt->hba, px(pt, PX_CLB), (u32)pa);
	hw_wr(pt->hba, px(pt, PX_CLBU), pa >> 32);
}

/*
 * port_wait_ci - a new D2H or PIO Setup FIS interrupt: the non-queued slot
 * it ends may still be in PxCI for a moment (the HBA sets the two apart), and
 * a guest like OVMF takes the interrupt bit alone as completion. Wait briefly.
 */
static void port_wait_ci(struct ahci_port *pt)
{
	u32 busy = pt->inflight & ~pt->ncq, i;

	for (i = 0; busy && i < AHCI_CI_POLL; i++)
		if ((hw_rd(pt->hba, px(pt, PX_CI)) & busy) != busy)
			return;
}

static u32 port_read(struct ahci_port *pt, u32 reg)
{
	struct ahci_hba *h = pt->hba;
	u32 v, ci;

	switch (reg) {
	case PX_CLB:
		return (u32)pt->gclb;
	case PX_CLBU:
		return pt->gclb >> 32;
	case PX_IS:
		v = hw_rd(h, px(pt, PX_IS));
		if (v & ~pt->seen_is & (PX_IS_DHRS | PX_IS_PSS))
			port_wait_ci(pt);
		pt->seen_is = v;
		ahci_port_complete(pt);
		return v;
	case PX_CI:
		ci = ahci_port_complete(pt);
		return pt->pending | (pt->inflight & ~pt->ncq) | (pt->inflight & pt->ncq & ci);
	case PX_SACT:
		ahci_port_complete(pt);
		return pt->gsact;
	}
	return hw_rd(h, px(pt, reg));
}

static void port_write_cmd(struct ahci_port *pt, u32 v)
{
	struct ahci_hba *h = pt->hba;
	u32 old = hw_rd(h, px(pt, PX_CMD));

	if ((v & PX_CMD_FRE) && !(old & PX_CMD_FRE) && !fb_ok(pt, fb_size(pt))) {
		log_guest(h, px(pt, PX_CMD), "received-FIS area unreadable or in VMM memory");
		v &= ~(u32)PX_CMD_FRE;
	}
	if ((v & PX_CMD_ST) && !(old & PX_CMD_ST))
		shadow_clb(pt);
	if (!(v & PX_CMD_ST) && (old & PX_CMD_ST))
		ahci_port_complete(pt);
	hw_wr(h, px(pt, PX_CMD), v);
	if (!(v & PX_CMD_ST) && (old & PX_CMD_ST))
		ahci_port_drop(pt, false);
}

static int port_write(struct ahci_port *pt, u32 reg, u32 v)
{
	struct ahci_hba *h = pt->hba;
	u32 cmd = hw_rd(h, px(pt, PX_CMD));

	switch (reg) {
	case PX_CLB:
	case PX_CLBU:
		if (cmd & (PX_CMD_ST | PX_CMD_CR)) {
			log_guest(h, px(pt, reg), "PxCLB rewrite while the port runs");
			return -EBUSY;
		}
		if (reg == PX_CLB)
			pt->gclb = (pt->gclb & ~0xffffffffULL) | (v & ~0x3ffu);
		else
			pt->gclb = (pt->gclb & 0xffffffffULL) | (u64)v << 32;
		shadow_clb(pt);
		return 0;
	case PX_FB:
	case PX_FBU:
		if (cmd & (PX_CMD_FRE | PX_CMD_FR)) {
			log_guest(h, px(pt, reg), "PxFB rewrite while FIS receive runs");
			return -EBUSY;
		}
		break;
	case PX_IS:
		pt->seen_is &= ~v;
		break;
	case PX_FBS:
		if ((v & ~hw_rd(h, px(pt, PX_FBS)) & PX_FBS_EN) && !fb_ok(pt, PAGE_SIZE)) {
			log_guest(h, px(pt, reg), "FIS-based switching, bad received-FIS area");
			return -EFAULT;
		}
		break;
	case PX_CMD:
		port_write_cmd(pt, v);
		return 0;
	case PX_SACT:
		pt->gsact |= v & ~(pt->pending | pt->inflight);
		return 0;
	case PX_CI:
		v &= ~(pt->pending | pt->inflight);
		if (!(cmd & PX_CMD_ST))
			return 0;
		while (v) {
			u32 s = __builtin_ctz(v);

			v &= ~(u32)BIT(s);
			ahci_slot_parse(pt, s);
		}
		ahci_port_kick(pt);
		return 0;
	}
	hw_wr(h, px(pt, reg), v);
	return 0;
}

static void hba_complete_all(struct ahci_hba *h)
{
	u32 p;

	for (p = 0; p < AHCI_MAX_PORTS; p++)
		if (h->port[p])
			ahci_port_complete(h->port[p]);
}

static u32 reg_read(struct ahci_hba *h, u32 off)
{
	struct ahci_port *pt;
	u32 v;

	if (off < AHCI_PORT_BASE) {
		v = hw_rd(h, off);
		if (off == AHCI_IS)
			hba_complete_all(h);
		return v;
	}
	pt = h->port[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE];
	return pt ? port_read(pt, off % AHCI_PORT_SIZE) : hw_rd(h, off);
}

/*
 * Deny by default: of the global registers the guest may write GHC (reset and
 * interrupt enable; AHCI mode stays on), IS, command completion coalescing,
 * EM_CTL and BOHC; CAP and PI (write-once on some HBAs: a guest write would
 * enable ports nobody shadows) and vendor registers are refused, and so is
 * any register of a port the VMM does not shadow. NULL: writable.
 */
static const char *reg_write_refused(struct ahci_hba *h, u32 off)
{
	if (off >= AHCI_PORT_BASE)
		return h->port[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE] ? NULL :
		       "register of a port the VMM does not shadow";
	switch (off & ~3u) {
	case AHCI_GHC: case AHCI_IS: case AHCI_CCC_CTL: case AHCI_CCC_PORTS:
	case AHCI_EM_CTL: case AHCI_BOHC:
		return NULL;
	}
	return "read-only, write-once or vendor register";
}

static int reg_write(struct ahci_hba *h, u32 off, u32 v)
{
	const char *why = reg_write_refused(h, off);
	u32 p;

	if (why) {
		log_guest(h, off, why);
		return -EPERM;
	}
	if (off >= AHCI_PORT_BASE)
		return port_write(h->port[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE],
				  off % AHCI_PORT_SIZE, v);
	if (off == AHCI_GHC)		/* legacy (IDE) mode would leave the trap */
		v = (v & (AHCI_GHC_HR | AHCI_GHC_IE)) | AHCI_GHC_AE;
	hw_wr(h, off, v);
	if (off == AHCI_GHC && (v & AHCI_GHC_HR))
		for (p = 0; p < AHCI_MAX_PORTS; p++)
			if (h->port[p])
				ahci_port_drop(h->port[p], true);
	return 0;
}

/* Sub-dword and unmodelled accesses: reads are composed, writes must not hit our registers. */
static bool reg_virtual(u32 off)
{
	u32 r = off % AHCI_PORT_SIZE & ~3u;

	if (off < AHCI_PORT_BASE)
		return (off & ~3u) == AHCI_GHC;
	return r < PX_IS || r == PX_CMD || r == PX_SACT || r == PX_CI || r == PX_FBS;
}

static int ahci_access(struct ahci_hba *h, u64 gpa, u32 size, bool write, u64 *val)
{
	u32 off = gpa - h->abar;

	if (size == 4 && !(off & 3))
		return write ? reg_write(h, off, *val) : (*val = reg_read(h, off), 0);
	if (size == 8 && !(off & 7)) {
		u64 lo = (u32)*val, hi = *val >> 32;
		int ret;

		if (!write) {
			*val = reg_read(h, off) | (u64)reg_read(h, off + 4) << 32;
			return 0;
		}
		ret = reg_write(h, off, lo);
		return ret ? ret : reg_write(h, off + 4, hi);
	}
	if ((off & 3) + size > 4)
		return -EINVAL;		/* straddles two registers */
	if (!write) {
		*val = reg_extract(reg_read(h, off & ~3u), off, size);
		return 0;
	}
	if (reg_virtual(off)) {		/* no merge: write-1 actions (PxCI, CLO, HR) */
		log_guest(h, off, "partial write of a shadowed register");
		return -EPERM;
	}
	if (reg_write_refused(h, off)) {
		log_guest(h, off, reg_write_refused(h, off));
		return -EPERM;
	}
	raw_access(gpa, size, write, val);
	return 0;
}

/*
 * mmio_where - 1: [@gpa, @gpa + @size) lies in the ABAR registers; 0: in the
 * trapped pages around them (done as asked); -EFAULT: outside this HBA's
 * trap (the BAR moved meanwhile) or over the VMM region; -EINVAL: across
 * the ABAR's edge.
 */
static int mmio_where(struct ahci_hba *h, u64 gpa, u32 size)
{
	u64 end = h->abar + AHCI_ABAR_MAX;

	if (gpa < h->trap_gpa || gpa - h->trap_gpa >= h->trap_size ||
	    size > h->trap_size - (gpa - h->trap_gpa) || vm_range_hits_vmm(h->vm, gpa, size))
		return -EFAULT;
	if (gpa >= h->abar && gpa + size <= end)
		return 1;
	return gpa + size <= h->abar || gpa >= end ? 0 : -EINVAL;
}

static int ahci_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	struct ahci_hba *h = priv;
	int ret;

	spin_lock(&h->lock);
	ret = mmio_where(h, gpa, size);
	if (ret == 1)
		ret = ahci_access(h, gpa, size, write, val);
	else if (!ret)
		raw_access(gpa, size, write, val);
	spin_unlock(&h->lock);
	return ret;
}

/* ---- attach ---- */

static u32 pages_for(u64 bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

static bool dma_ok(struct ahci_hba *h, const void *p, u64 len)
{
	return h->s64a || virt_to_phys(p) + len <= BIT(32);
}

/* Stop a port the firmware left running, so its command list can be swapped. */
static int port_quiesce(struct ahci_port *pt, u32 *cmd)
{
	struct ahci_hba *h = pt->hba;
	u32 i;

	*cmd = hw_rd(h, px(pt, PX_CMD));
	if (!(*cmd & (PX_CMD_ST | PX_CMD_CR)))
		return 0;
	hw_wr(h, px(pt, PX_CMD), *cmd & ~(u32)PX_CMD_ST);
	for (i = 0; i < AHCI_STOP_POLL; i++)
		if (!(hw_rd(h, px(pt, PX_CMD)) & PX_CMD_CR))
			return 0;
	return -EBUSY;
}

static int port_attach(struct ahci_hba *h, u32 no)
{
	struct ahci_port *pt = page_alloc(pages_for(sizeof(*pt)));
	u8 *shadow = page_alloc(AHCI_SHADOW_PAGES);
	u32 cmd;
	int ret;

	if (!pt || !shadow)
		return -ENOMEM;
	if (!dma_ok(h, shadow, AHCI_SHADOW_PAGES * PAGE_SIZE))
		return -ENOMEM;
	ret = platform_dma_window(h->bdf, shadow, AHCI_SHADOW_PAGES * PAGE_SIZE);
	if (ret)
		return ret;
	pt->hba = h;
	pt->no = no;
	pt->cl = (struct ahci_cmd_hdr *)shadow;
	pt->ct = shadow + PAGE_SIZE;
	pt->disk = disk_claim(BOOT_DISK_AHCI, PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf),
			      no, 0, "ahci");
	pt->fc = filecheck_attach(BOOT_DISK_AHCI, PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf),
				  no, 0, "ahci", NULL, NULL);
	ret = port_quiesce(pt, &cmd);
	if (ret)
		return ret;
	pt->gclb = hw_rd(h, px(pt, PX_CLB)) | (u64)hw_rd(h, px(pt, PX_CLBU)) << 32;
	shadow_clb(pt);
	if (cmd & PX_CMD_ST)
		hw_wr(h, px(pt, PX_CMD), cmd);
	h->port[no] = pt;
	return 0;
}

/* First mapping of the HBA: its implemented ports, shadowed. */
static int hba_ports(struct ahci_hba *h)
{
	u32 cap = hw_rd(h, AHCI_CAP), p;
	int ret;

	h->pi = hw_rd(h, AHCI_PI);
	if (!h->pi)
		h->pi = (u32)(BIT((cap & AHCI_CAP_NP) + 1) - 1);
	h->s64a = cap & AHCI_CAP_S64A;
	if (!dma_ok(h, h->bounce, AHCI_BOUNCE_SIZE))
		return -ENOMEM;
	for (p = 0; p < AHCI_MAX_PORTS; p++) {
		if (!(h->pi & BIT(p)))
			continue;
		ret = port_attach(h, p);
		if (ret)
			return ret;
	}
	return 0;
}

/* Trap the ABAR pages up to the last implemented port (no lock held: EPT shootdown). */
static int hba_trap(struct ahci_hba *h)
{
	u32 last = 32 - __builtin_clz(h->pi);

	h->trap_gpa = ALIGN_DOWN(h->abar, PAGE_SIZE);
	h->trap_size = ALIGN_UP(h->abar + AHCI_PORT_BASE + last * AHCI_PORT_SIZE, PAGE_SIZE) -
		       h->trap_gpa;
	return vm_register_mmio(h->vm, h->trap_gpa, h->trap_size,
				MMIO_TRAP_READ | MMIO_TRAP_WRITE, "ahci", ahci_mmio, h);
}

/* Map the HBA at @abar: ports on first use, then the trap. Never over the VMM. */
static int hba_map(struct ahci_hba *h, u64 abar)
{
	int ret = 0;

	if (vm_range_hits_vmm(h->vm, abar, AHCI_ABAR_MAX))
		return -EFAULT;
	spin_lock(&h->lock);
	h->abar = abar;
	if (!h->pi)
		ret = hba_ports(h);
	spin_unlock(&h->lock);
	return ret ? ret : hba_trap(h);
}

int ahci_hba_attach(struct vm *vm, u16 bdf, u64 abar, const struct ahci_hw_ops *hw,
		    void *hw_priv, struct ahci_hba **out)
{
	struct ahci_hba *h = page_alloc(pages_for(sizeof(*h)));
	int ret;

	if (!h)
		return -ENOMEM;
	h->bounce = page_alloc(AHCI_BOUNCE_SIZE / PAGE_SIZE);
	ret = h->bounce ? platform_dma_window(bdf, h->bounce, AHCI_BOUNCE_SIZE) : -ENOMEM;
	if (ret)
		return ret;
	h->lock = (spinlock_t)SPINLOCK_INIT;
	h->vm = vm;
	h->bdf = bdf;
	h->hw = hw;
	h->hw_priv = hw_priv ? hw_priv : h;
	h->free_chunks = (u32)(BIT(AHCI_CHUNKS) - 1);
	if (out)
		*out = h;
	return abar ? hba_map(h, abar) : 0;
}

int ahci_init(struct vm *vm)
{
	struct pci_dev pd;
	struct ahci_hba *h = NULL;
	u32 i;
	int ret;

	for (i = 0; !pci_find(PCI_CLASS_SATA, 1, i, &pd); i++) {
		ret = i < AHCI_MAX_HBA ? 0 : -E2BIG;
		if (!ret)	/* BAR5 assigned and locked, I/O decode (index/data pair) off */
			ret = pci_lock_function(pd.bdf, BIT(5), PCI_LOCK_NO_IO, "ahci");
		if (!ret && !pci_bar(pd.bdf, 5))
			ret = -ENODEV;	/* no ABAR at all */
		if (!ret)
			ret = ahci_hba_attach(vm, pd.bdf, pci_bar(pd.bdf, 5), &ahci_mmio_ops,
					      NULL, &h);
		if (ret) {
			pr_err("ahci %02x:%02x.%x: not intercepted (%d)\n", PCI_BUS(pd.bdf),
			       PCI_DEV(pd.bdf), PCI_FN(pd.bdf), ret);
			return ret;
		}
		pr_info("ahci %02x:%02x.%x: intercepted, %u ports, %u KiB bounce\n",
			PCI_BUS(pd.bdf), PCI_DEV(pd.bdf), PCI_FN(pd.bdf),
			hweight32(h->pi), AHCI_BOUNCE_SIZE / 1024);
	}
	return 0;
}
