// SPDX-License-Identifier: GPL-2.0-only
/* ECAM: the MCFG at boot and a trap on each locked function's page; see <drivers/pci_ecam.h>. */
#include "pci_lock.h"
#include <drivers/acpi.h>
#include <drivers/pci_ecam.h>
#include <mamori/boot_info.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/vm.h>

#define ECAM_ACPI_LIMIT		(1ULL << 39)	/* identity-mapped under UEFI and the VMM */
#define ECAM_FN_SHIFT		12
#define Q35_MCH_ID		0x29c08086

static struct mcfg_info ecam;		/* set once by the boot phase */

static const void *ecam_acpi_map(void *ctx, u64 pa, u64 len)
{
	return pa < ECAM_ACPI_LIMIT && len <= ECAM_ACPI_LIMIT - pa ? phys_to_virt(pa) : NULL;
}

/* The segment-0 window holding @bus, or NULL. */
static const struct mcfg_window *ecam_window(u8 bus)
{
	u32 i;

	for (i = 0; i < ecam.count; i++)
		if (!ecam.win[i].segment && bus >= ecam.win[i].bus_start &&
		    bus <= ecam.win[i].bus_end)
			return &ecam.win[i];
	return NULL;
}

static u64 ecam_page(const struct mcfg_window *w, u16 bdf)
{
	return w->base + ((u64)bdf << ECAM_FN_SHIFT);
}

volatile void *pci_ecam_cfg(u16 bdf, u16 off)
{
	const struct mcfg_window *w = ecam_window(PCI_BUS(bdf));

	if (!w || off >= PAGE_SIZE || ecam_page(w, bdf) >= ECAM_ACPI_LIMIT)
		return NULL;
	return phys_to_virt(ecam_page(w, bdf) + off);
}

static int ecam_check_vmm(const struct mcfg_info *m)
{
	u64 base, size, lo, hi;
	u32 i;

	mm_region(&base, &size);
	for (i = 0; i < m->count; i++) {
		mcfg_window_range(&m->win[i], &lo, &hi);
		if (lo < base + size && base < hi) {
			pr_err("pci: MCFG window 0x%llx-0x%llx (segment %u) overlaps the VMM region\n",
			       (unsigned long long)lo, (unsigned long long)hi - 1,
			       m->win[i].segment);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Where the chipset itself decodes ECAM, for host bridges whose decoder is
 * known (QEMU Q35 / Intel MCH PCIEXBAR); *@base = 0 when it is off. Other
 * chipsets: -ENOENT, the MCFG is taken as it is.
 */
static int ecam_decoder(u64 *base, u32 *buses)
{
	if (pci_cfg_read(0, 0, 4) != Q35_MCH_ID)
		return -ENOENT;
	*base = q35_pciexbar_decode(pci_cfg_read(0, Q35_PCIEXBAR, 4) |
				    (u64)pci_cfg_read(0, Q35_PCIEXBAR + 4, 4) << 32, buses);
	return 0;
}

/* The MCFG must name the window the chipset decodes: else the traps miss it. */
static int ecam_check_decoder(void)
{
	const struct mcfg_window *w = ecam_window(0);
	u64 base;
	u32 buses;

	if (ecam_decoder(&base, &buses) || !base)
		return 0;
	if (w && w->base == base)
		return 0;
	pr_err("pci: the host bridge decodes ECAM at 0x%llx (PCIEXBAR, %u buses) but the MCFG %s\n",
	       (unsigned long long)base, buses, w ? "names another base" : "has no window for bus 0");
	return -EINVAL;
}

static int ecam_find(const struct boot_info *bi, struct mcfg_info *m)
{
	const struct acpi_map map = { ecam_acpi_map, NULL };
	u64 pa;
	u32 len;
	int err;

	if (!bi->acpi_rsdp)
		return -ENOENT;
	err = acpi_find_table(&map, bi->acpi_rsdp, "MCFG", &pa, &len);
	if (err) {
		if (err != -ENOENT)
			pr_err("pci: the ACPI tables at RSDP 0x%llx are malformed (%d): cannot find the MCFG\n",
			       (unsigned long long)bi->acpi_rsdp, err);
		return err;
	}
	err = mcfg_parse(phys_to_virt(pa), len, m);
	if (err)
		pr_err("pci: MCFG table at 0x%llx (%u bytes) refused (%d)\n",
		       (unsigned long long)pa, len, err);
	return err ? err : ecam_check_vmm(m);
}

int pci_ecam_boot_phase(struct boot_info *bi)
{
	u32 i;
	int err = ecam_find(bi, &ecam);

	if (err == -ENOENT)
		ecam.count = 0;
	if (!err || err == -ENOENT)
		err = ecam_check_decoder();
	if (!err && !ecam.count) {
		pr_dbg("pci: no MCFG window: no ECAM to trap (configuration space through 0xcf8 only)\n");
		return VMM_OK;
	}
	if (err) {
		ecam.count = 0;
		pr_err("pci: ECAM cannot be trapped; refusing to start\n");
		return VMM_ERR_DEVICES;
	}
	for (i = 0; i < ecam.count; i++)
		pr_info("pci: ECAM segment %u buses %02x-%02x at 0x%llx%s\n", ecam.win[i].segment,
			ecam.win[i].bus_start, ecam.win[i].bus_end,
			(unsigned long long)ecam.win[i].base, ecam.win[i].segment ?
			" (not scanned: its functions are not intercepted)" : "");
	return VMM_OK;
}

/* Naturally aligned accesses of 1, 2, 4 bytes; 8 as two dwords. */
static int ecam_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	u16 bdf = (u16)(uintptr_t)priv, off = gpa & (PAGE_SIZE - 1);
	u32 lo = (u32)*val, hi = (u32)(*val >> 32);

	if (!size || size > 8 || (size & (size - 1)) || (off & (size - 1)))
		return -EINVAL;
	pci_guest_cfg(bdf, off, size == 8 ? 4 : size, !write, &lo);
	if (size == 8)
		pci_guest_cfg(bdf, off + 4, 4, !write, &hi);
	if (!write)
		*val = size == 8 ? lo | (u64)hi << 32 : lo;
	return 0;
}

static int ecam_trap(u16 bdf, void *priv)
{
	const struct mcfg_window *w = ecam_window(PCI_BUS(bdf));
	int err;

	if (!w) {
		pr_err("pci: %02x:%02x.%x is locked but no MCFG window covers bus %02x\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), PCI_BUS(bdf));
		return -ENODEV;
	}
	err = vm_register_mmio(priv, ecam_page(w, bdf), PAGE_SIZE,
			       MMIO_TRAP_READ | MMIO_TRAP_WRITE, "pci-ecam", ecam_mmio,
			       (void *)(uintptr_t)bdf);
	if (err)
		pr_err("pci: %02x:%02x.%x: cannot trap its ECAM page 0x%llx (%d)\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf),
		       (unsigned long long)ecam_page(w, bdf), err);
	return err;
}

int pci_ecam_intercept_init(struct vm *vm)
{
	if (!ecam.count)
		return 0;
	return pci_for_each_locked(ecam_trap, vm);
}
