// SPDX-License-Identifier: GPL-2.0-only
#include "pci_lock.h"
#include <asm/io.h>
#include <asm/spinlock.h>
#include <drivers/reg_merge.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/vm.h>

#define PCI_ADDR_PORT	0xcf8
#define PCI_DATA_PORT	0xcfc
#define PCI_RESET_PORT	0xcf9	/* reset control: passes (a platform reset) */
#define PCI_ENABLE	BIT(31)
#define PCI_ADDR_RSVD	0x7f000000u	/* AMD: extended register number */
#define PCI_NBARS	6
#define PCI_CAPS_MAX	48

static spinlock_t pci_lock = SPINLOCK_INIT;
static u32 guest_addr;			/* the guest's view of 0xcf8, while trapped */
static bool addr_passed;		/* 0xcf8-0xcfb do not exit: the device holds it */
static struct pci_locked locked[PCI_LOCK_MAX];
static u32 nlocked;

static const char *const role_name[] = {
	[PCI_LOCK_DEVICE] = "intercepted by",
	[PCI_LOCK_BRIDGE] = "bridge upstream of",
	[PCI_LOCK_DECODE] = "decode registers locked for",
	[PCI_LOCK_HOST] = "host bridge, locked for",
};

static u32 cfg_addr(u16 bdf, u16 off)
{
	return PCI_ENABLE | ((u32)bdf << 8) | (off & 0xfc);
}

static u32 size_mask(u32 size)
{
	return size == 4 ? ~0u : (1u << (size * 8)) - 1;
}

/*
 * The VMM's own access through 0xcf8/0xcfc; with 0xcf8 passed through, the
 * guest's address is put back after it (the guest may be between its write
 * of 0xcf8 and its access to 0xcfc when an exit elsewhere brings us here).
 */
static u32 cfg_port_access(u16 bdf, u16 off, u32 size, bool in, u32 val)
{
	u32 saved = addr_passed ? (u32)inl(PCI_ADDR_PORT) : 0u;

	outl(PCI_ADDR_PORT, cfg_addr(bdf, off));
	if (in)
		val = port_in(PCI_DATA_PORT + (off & 3), size);
	else
		port_out(PCI_DATA_PORT + (off & 3), size, val);
	if (addr_passed)
		outl(PCI_ADDR_PORT, saved);
	return val;
}

/* The device's config space, pci_lock held: 0xcf8/0xcfc, ECAM above 0xff. */
static u32 cfg_read_locked(u16 bdf, u16 off, u32 size)
{
	volatile void *p;

	if (off < PCI_CFG_SIZE)
		return cfg_port_access(bdf, off, size, true, 0);
	p = pci_ecam_cfg(bdf, off);
	if (!p)
		return size_mask(size);
	return size == 4 ? *(volatile u32 *)p : size == 2 ? *(volatile u16 *)p : *(volatile u8 *)p;
}

static void cfg_write_locked(u16 bdf, u16 off, u32 size, u32 val)
{
	volatile void *p;

	if (off < PCI_CFG_SIZE) {
		cfg_port_access(bdf, off, size, false, val);
		return;
	}
	p = pci_ecam_cfg(bdf, off);
	if (p && size == 4)
		*(volatile u32 *)p = val;
	else if (p && size == 2)
		*(volatile u16 *)p = (u16)val;
	else if (p)
		*(volatile u8 *)p = (u8)val;
}

u32 pci_cfg_read(u16 bdf, u16 off, u32 size)
{
	u32 v;

	spin_lock(&pci_lock);
	v = cfg_read_locked(bdf, off, size);
	spin_unlock(&pci_lock);
	return v;
}

void pci_cfg_write(u16 bdf, u16 off, u32 size, u32 val)
{
	spin_lock(&pci_lock);
	cfg_write_locked(bdf, off, size, val);
	spin_unlock(&pci_lock);
}

u64 pci_bar(u16 bdf, u32 n)
{
	u32 lo = pci_cfg_read(bdf, PCI_BAR0 + 4 * n, 4);

	if (lo & 1)
		return lo & ~3u;
	if (((lo >> 1) & 3) == 2 && n < 5)
		return (lo & ~0xfULL) | ((u64)pci_cfg_read(bdf, PCI_BAR0 + 4 * (n + 1), 4) << 32);
	return lo & ~0xfu;
}

static bool pci_present(u16 bdf, u32 *id)
{
	*id = pci_cfg_read(bdf, 0, 4);
	return (*id & 0xffff) != 0xffff;
}

int pci_for_each(int (*fn)(const struct pci_dev *d, void *priv), void *priv)
{
	u32 b, d, f, id, cr, hdr;
	int rc;

	for (b = 0; b < 256; b++) {
		for (d = 0; d < 32; d++) {
			for (f = 0; f < 8; f++) {
				u16 bdf = PCI_BDF(b, d, f);

				if (!pci_present(bdf, &id)) {
					if (!f)
						break;
					continue;
				}
				cr = pci_cfg_read(bdf, PCI_CLASS_REV, 4);
				hdr = pci_cfg_read(bdf, PCI_HEADER_DW, 4) >> 16;
				rc = fn(&(struct pci_dev){ .bdf = bdf, .vendor = id & 0xffff,
					.device = id >> 16, .prog_if = (cr >> 8) & 0xff,
					.class = cr >> 16, .hdr = hdr & 0x7f }, priv);
				if (rc)
					return rc;
				if (!f && !(hdr & BIT(7)))
					break;	/* single-function device */
			}
		}
	}
	return 0;
}

struct pci_match {
	u16 class;
	int prog_if;
	u32 index;
	struct pci_dev *out;
};

static int pci_match(const struct pci_dev *d, void *priv)
{
	struct pci_match *m = priv;

	if (d->class != m->class || (m->prog_if >= 0 && d->prog_if != (u32)m->prog_if) ||
	    m->index--)
		return 0;
	*m->out = *d;
	return 1;
}

int pci_find(u16 class, int prog_if, u32 index, struct pci_dev *out)
{
	struct pci_match m = { class, prog_if, index, out };

	return pci_for_each(pci_match, &m) ? 0 : -ENOENT;
}

/* ---- locks: taken at boot, before the guest runs ----------------------------- */

static struct pci_locked *locked_fn(u16 bdf)
{
	u32 i;

	for (i = 0; i < nlocked; i++)
		if (locked[i].bdf == bdf)
			return &locked[i];
	return NULL;
}

static struct pci_locked *lock_new(u16 bdf, enum pci_lock_role role, const char *owner)
{
	struct pci_locked *l;

	if (nlocked == PCI_LOCK_MAX) {
		pr_err("pci: %02x:%02x.%x: lock table full (%u), cannot lock it for %s\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), PCI_LOCK_MAX, owner);
		return NULL;
	}
	l = &locked[nlocked];
	*l = (struct pci_locked){ .bdf = bdf, .role = role, .owner = owner };
	l->vendor = pci_cfg_read(bdf, 0, 2);
	l->class = pci_cfg_read(bdf, PCI_CLASS_REV, 4) >> 16;
	return l;
}

static u16 bar_off(const struct pci_locked *l, u32 n)
{
	if (n == PCI_ROM_BAR)
		return l->role == PCI_LOCK_BRIDGE ? PCI_ROM_BRIDGE : PCI_ROM;
	return PCI_BAR0 + 4 * n;
}

static bool bar_locked(const struct pci_locked *l, u32 n)
{
	return l->role == PCI_LOCK_DEVICE || l->role == PCI_LOCK_HOST ||
	       (l->role == PCI_LOCK_BRIDGE && (n < 2 || n == PCI_ROM_BAR));
}

/*
 * Size each BAR once, before the guest can see the moment it is all ones.
 * A host bridge is never written: its BARs read as unimplemented (size 0).
 */
static void lock_size_bars(struct pci_locked *l)
{
	u32 n, off;

	for (n = 0; n < PCI_LOCK_BARS; n++) {
		if (!bar_locked(l, n))
			continue;
		off = bar_off(l, n);
		l->bar[n] = pci_cfg_read(l->bdf, off, 4);
		if (l->role == PCI_LOCK_HOST)
			continue;
		pci_cfg_write(l->bdf, off, 4, n == PCI_ROM_BAR ? 0xfffffffe : 0xffffffff);
		l->size_mask[n] = pci_cfg_read(l->bdf, off, 4);
		pci_cfg_write(l->bdf, off, 4, l->bar[n]);
	}
}

/* The capabilities whose registers have a write mask of their own. */
static void lock_caps(struct pci_locked *l)
{
	u32 i, ptr, hdr, link = PCI_CAP_PTR;

	if (!(pci_cfg_read(l->bdf, PCI_COMMAND, 4) & PCI_STATUS_CAP_LIST))
		return;
	ptr = pci_cfg_read(l->bdf, PCI_CAP_PTR, 1) & 0xfc;
	for (i = 0; i < PCI_CAPS_MAX && ptr >= 0x40; i++) {
		hdr = pci_cfg_read(l->bdf, ptr, 4);
		switch (hdr & 0xff) {
		case 0x01: l->cap_pm = ptr; break;
		case 0x05: l->cap_msi = ptr; l->msi_hdr = hdr; break;
		case 0x10:
			l->cap_exp = ptr;
			l->exp_type = (hdr >> 20) & 0xf;
			l->exp_ver = (hdr >> 16) & 0xf;
			break;
		case 0x13: l->cap_af = ptr; break;
		case 0x11:
			l->cap_msix = ptr;
			if (l->role == PCI_LOCK_DEVICE) {
				l->msix_link = link;
				l->msix_next = (hdr >> 8) & 0xfc;
			}
			break;
		}
		link = ptr + 1;
		ptr = (hdr >> 8) & 0xfc;
	}
}

static int lock_bridge(const struct pci_dev *d, void *priv)
{
	const struct pci_locked *dev = priv;
	u32 buses = pci_cfg_read(d->bdf, PCI_BUSES, 4);
	u8 sec = buses >> 8, sub = buses >> 16, bus = PCI_BUS(dev->bdf);
	struct pci_locked *l;

	if (d->hdr != 1 || !sec || bus < sec || bus > sub || locked_fn(d->bdf))
		return 0;
	l = lock_new(d->bdf, PCI_LOCK_BRIDGE, dev->owner);
	if (!l)
		return -E2BIG;
	lock_size_bars(l);
	lock_caps(l);
	nlocked++;
	return 0;
}

/* A BAR the function implements (it has address bits) but that is unassigned. */
static int needed_bar_missing(const struct pci_locked *l, u32 needed)
{
	u32 n, flags;

	for (n = 0; n < PCI_NBARS; n++) {
		flags = (l->bar[n] & 1) ? 3 : 0xf;
		if ((needed & BIT(n)) && (l->size_mask[n] & ~flags) && !pci_bar(l->bdf, n))
			return n;
	}
	return -1;
}

int pci_lock_function(u16 bdf, u32 needed_bars, u32 flags, const char *owner)
{
	struct pci_locked *l = locked_fn(bdf);
	int rc, n;

	if (l)
		return l->role == PCI_LOCK_DEVICE ? 0 : -EEXIST;
	l = lock_new(bdf, PCI_LOCK_DEVICE, owner);
	if (!l)
		return -E2BIG;
	l->flags = flags;
	lock_size_bars(l);
	n = needed_bar_missing(l, needed_bars);
	if (n >= 0) {
		pr_err("pci: %02x:%02x.%x: BAR%d unassigned, %s needs it there before the guest runs\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), n, owner);
		return -ENODEV;
	}
	lock_caps(l);
	if (l->cap_exp && PCI_EXP_TYPE_ENDPOINT(l->exp_type))
		pci_cfg_write(bdf, l->cap_exp + 8, 2,
			      pci_cfg_read(bdf, l->cap_exp + 8, 2) & ~PCI_EXP_DEVCTL_NOSNOOP);
	if (flags & PCI_LOCK_NO_IO)
		pci_cfg_write(bdf, PCI_COMMAND, 2,
			      pci_cfg_read(bdf, PCI_COMMAND, 2) & ~PCI_COMMAND_IO);
	nlocked++;
	if (!PCI_BUS(bdf))
		return 0;		/* on the root bus: no bridge above it */
	rc = pci_for_each(lock_bridge, l);
	if (rc)
		pr_err("pci: %02x:%02x.%x: cannot lock its upstream bridges (%d)\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), rc);
	return rc;
}

/*
 * The host bridge (00:00.0): its chipset registers place ECAM (PCIEXBAR),
 * the VT-d units, MCHBAR/DMIBAR and the memory map; all refused
 * (drivers/pci_wmask.c).
 */
static int pci_lock_host(void)
{
	struct pci_locked *l;
	u32 id;

	if (!pci_present(0, &id) || pci_cfg_read(0, PCI_CLASS_REV, 4) >> 16 != PCI_CLASS_HOST) {
		pr_info("pci: no host bridge at 00:00.0: nothing to lock there\n");
		return 0;
	}
	if (locked_fn(0))
		return locked_fn(0)->role == PCI_LOCK_HOST ? 0 : -EEXIST;
	l = lock_new(0, PCI_LOCK_HOST, "ECAM, VT-d and the memory map");
	if (!l)
		return -E2BIG;
	lock_size_bars(l);
	lock_caps(l);
	nlocked++;
	pr_info("pci: 00:00.0: host bridge %04x:%04x locked (chipset registers 0x40-0xfff refused)\n",
		id & 0xffff, id >> 16);
	return 0;
}

int pci_for_each_locked(int (*fn)(u16 bdf, void *priv), void *priv)
{
	u32 i;
	int rc;

	for (i = 0; i < nlocked; i++) {
		rc = fn(locked[i].bdf, priv);
		if (rc)
			return rc;
	}
	return 0;
}

int pci_lock_decode(u16 bdf, u16 lo, u16 hi, const char *owner)
{
	struct pci_locked *l = locked_fn(bdf);

	if (l)
		return l->role == PCI_LOCK_DECODE ? 0 : -EEXIST;
	l = lock_new(bdf, PCI_LOCK_DECODE, owner);
	if (!l)
		return -E2BIG;
	l->lo = lo & 0xfc;
	l->hi = hi & 0xfc;
	nlocked++;
	return 0;
}

/* ---- the guest's config accesses --------------------------------------------- */

/* The locked BAR (or ROM) at dword @off of @l, or -1. */
static int bar_at(const struct pci_locked *l, u16 off)
{
	u32 n;

	for (n = 0; n < PCI_LOCK_BARS; n++)
		if (bar_locked(l, n) && bar_off(l, n) == off)
			return n;
	return -1;
}

static u32 bar_view(const struct pci_locked *l, u32 n)
{
	return l->sizing[n] ? l->size_mask[n] : l->bar[n];
}

/* A locked BAR never changes on the device; sizing is emulated. */
static void bar_write(struct pci_locked *l, u32 n, u16 off, u32 size, u32 val)
{
	static u32 refusals;
	u32 v = reg_merge(bar_view(l, n), off, size, val);
	u32 flags = n == PCI_ROM_BAR ? 0x7ff : (l->bar[n] & 1) ? 3 : 0xf;

	if ((v | flags) == (l->size_mask[n] | flags) || (v | flags) == 0xffffffff) {
		l->sizing[n] = true;
	} else {
		l->sizing[n] = false;
		if ((v & ~flags) != (l->bar[n] & ~flags) && log_ratelimit(&refusals))
			pr_warn("pci: %02x:%02x.%x %s%u: guest move to 0x%x refused (%s %s, locked at 0x%x)\n",
				PCI_BUS(l->bdf), PCI_DEV(l->bdf), PCI_FN(l->bdf),
				n == PCI_ROM_BAR ? "ROM" : "BAR", n == PCI_ROM_BAR ? 0 : n,
				v & ~flags, role_name[l->role], l->owner, l->bar[n] & ~flags);
	}
}

/*
 * What the guest reads of a locked function: the device's value, except that
 * an intercepted controller's MSI-X capability is left out of the list (its
 * table is in a BAR the VMM does not trap; the enable bit is refused).
 */
static u32 locked_read(const struct pci_locked *l, u16 off, u32 size)
{
	u32 v = cfg_read_locked(l->bdf, off & ~3, 4), sh = (l->msix_link & 3) * 8;

	if (l->msix_link && (off & ~3) == (l->msix_link & 0xfc))
		v = (v & ~(0xffu << sh)) | (u32)l->msix_next << sh;
	return reg_extract(v, off, size);
}

/* Everything else of a locked function: through its write mask. */
static void masked_write(const struct pci_locked *l, u16 off, u32 size, u32 val)
{
	static u32 refusals;
	u32 bytes = reg_mask(off, size), cur = cfg_read_locked(l->bdf, off & ~3, 4);
	u32 want = reg_merge(cur, off, size, val);
	struct pci_wmask m = pci_wmask(l, off & ~3, cur, want);
	u32 refused = (want ^ cur) & bytes & ~m.allow & ~m.ignore;

	if (refused && log_ratelimit(&refusals))
		pr_warn("pci: %02x:%02x.%x: guest write to config 0x%02x refused (bits 0x%08x; %s %s)\n",
			PCI_BUS(l->bdf), PCI_DEV(l->bdf), PCI_FN(l->bdf), off & ~3, refused,
			role_name[l->role], l->owner);
	if (m.allow & bytes)
		cfg_write_locked(l->bdf, off, size,
				 ((want & m.allow) | (cur & ~m.allow)) >> ((off & 3) * 8));
}

void pci_guest_cfg(u16 bdf, u16 off, u32 size, bool in, u32 *val)
{
	struct pci_locked *l;
	int n;

	spin_lock(&pci_lock);
	l = locked_fn(bdf);
	n = l ? bar_at(l, off & ~3) : -1;
	if (n >= 0 && in)
		*val = bar_view(l, n) >> ((off & 3) * 8);
	else if (n >= 0)
		bar_write(l, n, off, size, *val);
	else if (in && l)
		*val = locked_read(l, off, size);
	else if (in)
		*val = cfg_read_locked(bdf, off, size);
	else if (l)
		masked_write(l, off, size, *val);
	else
		cfg_write_locked(bdf, off, size, *val);
	spin_unlock(&pci_lock);
	if (in)
		*val &= size_mask(size);
}

static int pci_data_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	u32 addr = addr_passed ? (u32)inl(PCI_ADDR_PORT) : guest_addr;

	/* An access past 0xcff (e.g. a word at 0xcff) reaches no register. */
	if (!(addr & PCI_ENABLE) || (addr & PCI_ADDR_RSVD) || (port & 3) + size > 4) {
		if (in)
			*val = 0xffffffff;	/* no extended registers through 0xcf8 */
		return 0;
	}
	pci_guest_cfg((addr >> 8) & 0xffff, (addr & 0xfc) | (port & 3), size, in, val);
	return 0;
}

/*
 * 0xcf8 as a dword is the address register; a byte at 0xcf9 (reset control)
 * goes to the chipset. Other byte and word accesses read all ones and are
 * dropped: on a chipset with configuration mechanism #2 they would open
 * config space at ports 0xc000-0xcfff, past this intercept.
 */
static int pci_addr_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	if (port == PCI_ADDR_PORT && size == 4) {
		if (in)
			*val = guest_addr;
		else
			guest_addr = *val;
		return 0;
	}
	if (port != PCI_RESET_PORT || size != 1) {
		if (in)
			*val = 0xffffffff;
		return 0;
	}
	spin_lock(&pci_lock);
	if (in)
		*val = port_in(port, size);
	else
		port_out(port, size, *val);
	spin_unlock(&pci_lock);
	return 0;
}

/*
 * On a one-CPU machine 0xcf8-0xcfb need not exit: the VMM takes the address
 * from the register itself at each 0xcfc exit, when no guest code can run
 * in between, and decides on the access as before (docs/architecture.md,
 * "PCI configuration": why, and why byte accesses may then reach the chipset).
 * With more CPUs another one could rewrite it between that read and the
 * VMM's access: trapped, as the guest's view kept here.
 */
static void pci_addr_pass(struct vm *vm)
{
	u32 i;

	for (i = 0; i < 4; i++)
		if (arch_vm_pio_pass(vm, PCI_ADDR_PORT + i, true))
			break;
	addr_passed = i == 4;
	while (i-- && !addr_passed)
		arch_vm_pio_pass(vm, PCI_ADDR_PORT + i, false);
}

int pci_intercept_init(struct vm *vm)
{
	int rc = pci_lock_host();

	if (rc) {
		pr_err("pci: cannot lock the host bridge 00:00.0 (%d)\n", rc);
		return rc;
	}
	rc = vm_register_pio(vm, PCI_ADDR_PORT, 4, "pci-addr", pci_addr_pio, NULL);

	if (!rc)
		rc = vm_register_pio(vm, PCI_DATA_PORT, 4, "pci-data", pci_data_pio, NULL);
	if (rc) {
		pr_err("pci: cannot intercept config space 0xcf8-0xcff (%d)\n", rc);
		return rc;
	}
	pci_addr_pass(vm);
	return 0;
}
