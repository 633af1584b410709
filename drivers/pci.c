// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/pci.h>
#include <asm/io.h>
#include <asm/spinlock.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/vm.h>

#define PCI_ADDR_PORT	0xcf8
#define PCI_DATA_PORT	0xcfc
#define PCI_ENABLE	BIT(31)
#define PCI_WATCH_MAX	8
#define PCI_LOCK_MAX	4
#define PCI_NBARS	6

struct pci_watch {
	u16 bdf;
	pci_cfg_watch_fn fn;
	void *priv;
};

struct pci_locked {
	u16 bdf;
	const char *owner;
	u32 bar[PCI_NBARS];		/* the addresses the guest may not change */
	u32 size_mask[PCI_NBARS];	/* what a sizing write reads back */
	bool sizing[PCI_NBARS];
};

static spinlock_t pci_lock = SPINLOCK_INIT;
static u32 guest_addr;			/* the guest's view of 0xcf8 */
static struct pci_watch watches[PCI_WATCH_MAX];
static u32 nwatches;
static struct pci_locked locked[PCI_LOCK_MAX];
static u32 nlocked;

static u32 cfg_addr(u16 bdf, u16 off)
{
	return PCI_ENABLE | ((u32)bdf << 8) | (off & 0xfc);
}

static u32 cfg_read_locked(u32 addr, u16 off, u32 size)
{
	outl(PCI_ADDR_PORT, addr);
	return port_in(PCI_DATA_PORT + (off & 3), size);
}

static void cfg_write_locked(u32 addr, u16 off, u32 size, u32 val)
{
	outl(PCI_ADDR_PORT, addr);
	port_out(PCI_DATA_PORT + (off & 3), size, val);
}

u32 pci_cfg_read(u16 bdf, u16 off, u32 size)
{
	u32 v;

	spin_lock(&pci_lock);
	v = cfg_read_locked(cfg_addr(bdf, off), off, size);
	spin_unlock(&pci_lock);
	return v;
}

void pci_cfg_write(u16 bdf, u16 off, u32 size, u32 val)
{
	spin_lock(&pci_lock);
	cfg_write_locked(cfg_addr(bdf, off), off, size, val);
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

int pci_find(u16 class, int prog_if, u32 index, struct pci_dev *out)
{
	u32 b, d, f, id, cr;

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
				if ((cr >> 16) == class &&
				    (prog_if < 0 || ((cr >> 8) & 0xff) == (u32)prog_if) && !index--) {
					*out = (struct pci_dev){ .bdf = bdf, .vendor = id & 0xffff,
						.device = id >> 16, .prog_if = (cr >> 8) & 0xff,
						.class = cr >> 16 };
					return 0;
				}
				if (!f && !(pci_cfg_read(bdf, 0x0c, 4) & BIT(23)))
					break;	/* single-function device */
			}
		}
	}
	return -ENOENT;
}

int pci_watch(u16 bdf, pci_cfg_watch_fn fn, void *priv)
{
	if (nwatches == PCI_WATCH_MAX)
		return -E2BIG;
	watches[nwatches++] = (struct pci_watch){ bdf, fn, priv };
	return 0;
}

/* Size each BAR once, before the guest can see the moment it is all ones. */
int pci_lock_bars(u16 bdf, const char *owner)
{
	struct pci_locked *l;
	u32 n, off;

	if (nlocked == PCI_LOCK_MAX)
		return -E2BIG;
	l = &locked[nlocked];
	l->bdf = bdf;
	l->owner = owner;
	for (n = 0; n < PCI_NBARS; n++) {
		off = PCI_BAR0 + 4 * n;
		l->bar[n] = pci_cfg_read(bdf, off, 4);
		pci_cfg_write(bdf, off, 4, 0xffffffff);
		l->size_mask[n] = pci_cfg_read(bdf, off, 4);
		pci_cfg_write(bdf, off, 4, l->bar[n]);
	}
	nlocked++;
	return 0;
}

static struct pci_locked *locked_bar(u16 bdf, u16 off, u32 *n)
{
	u32 i;

	if (off < PCI_BAR0 || off >= PCI_BAR0 + 4 * PCI_NBARS)
		return NULL;
	for (i = 0; i < nlocked; i++) {
		if (locked[i].bdf == bdf) {
			*n = (off - PCI_BAR0) / 4;
			return &locked[i];
		}
	}
	return NULL;
}

static u32 bar_view(const struct pci_locked *l, u32 n)
{
	return l->sizing[n] ? l->size_mask[n] : l->bar[n];
}

static void bar_write(struct pci_locked *l, u32 n, u16 off, u32 size, u32 val)
{
	static u32 refusals;
	u32 shift = (off & 3) * 8, mask = size == 4 ? ~0u : ((1u << (size * 8)) - 1) << shift;
	u32 v = (bar_view(l, n) & ~mask) | ((val << shift) & mask);
	u32 flags = (l->bar[n] & 1) ? 3 : 0xf;

	if ((v | flags) == (l->size_mask[n] | flags) || v == 0xffffffff) {
		l->sizing[n] = true;
	} else {
		l->sizing[n] = false;
		if ((v & ~flags) != (l->bar[n] & ~flags) && log_ratelimit(&refusals))
			pr_warn("pci: %02x:%02x.%x BAR%u: guest move to 0x%x refused (%s intercepts it at 0x%x)\n",
				PCI_BUS(l->bdf), PCI_DEV(l->bdf), PCI_FN(l->bdf), n, v & ~flags,
				l->owner, l->bar[n] & ~flags);
	}
}

static void cfg_watchers(u16 bdf, u16 off)
{
	u32 i;

	for (i = 0; i < nwatches; i++)
		if (watches[i].bdf == bdf)
			watches[i].fn(watches[i].priv, bdf, off & 0xfc);
}

static int pci_data_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	u16 off = (guest_addr & 0xfc) | (port & 3), bdf = (guest_addr >> 8) & 0xffff;
	struct pci_locked *l;
	u32 n;

	if (!(guest_addr & PCI_ENABLE)) {
		if (in)
			*val = 0xffffffff;
		return 0;
	}
	spin_lock(&pci_lock);
	l = locked_bar(bdf, off & 0xfc, &n);
	if (l && in)
		*val = bar_view(l, n) >> ((off & 3) * 8);
	else if (l)
		bar_write(l, n, off, size, *val);
	else if (in)
		*val = cfg_read_locked(guest_addr & ~3u, off, size);
	else
		cfg_write_locked(guest_addr & ~3u, off, size, *val);
	spin_unlock(&pci_lock);
	if (!in)
		cfg_watchers(bdf, off);
	return 0;
}

/*
 * 0xcf8 as a dword is the address register; byte and word accesses to
 * 0xcf8..0xcfb (0xcf9: reset control) go to the chipset.
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
	spin_lock(&pci_lock);
	if (in)
		*val = port_in(port, size);
	else
		port_out(port, size, *val);
	spin_unlock(&pci_lock);
	return 0;
}

int pci_intercept_init(struct vm *vm)
{
	int rc = vm_register_pio(vm, PCI_ADDR_PORT, 4, "pci-addr", pci_addr_pio, NULL);

	if (!rc)
		rc = vm_register_pio(vm, PCI_DATA_PORT, 4, "pci-data", pci_data_pio, NULL);
	if (rc)
		pr_err("pci: cannot intercept config space 0xcf8-0xcff (%d)\n", rc);
	return rc;
}
