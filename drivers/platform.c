// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PC platform's device intercepts, in set-up order: PCI configuration
 * space first (the disk intercepts lock BARs through it), then the disk
 * controllers, the DMA remapping units' registers (hidden from the guest),
 * and last the ECAM page of every PCI function locked by then.
 * The disk phase learns from here which rules can be enforced; the dma phase
 * finds VT-d, the disk intercepts open their DMA windows, and the dma-on
 * phase confines device DMA through VT-d (drivers/vtd_boot.c).
 */
#include <drivers/ahci.h>
#include <drivers/ata.h>
#include <drivers/kbc.h>
#include <drivers/lpc.h>
#include <drivers/nic.h>
#include <drivers/pci.h>
#include <drivers/pci_ecam.h>
#include <drivers/reset_reg.h>
#include <drivers/vtd.h>
#include <mamori/auth.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/net.h>

static int pci_nth(u16 class, int prog_if, u32 index, u16 *bdf)
{
	struct pci_dev pd;
	int ret = pci_find(class, prog_if, index, &pd);

	if (!ret)
		*bdf = pd.bdf;
	return ret;
}

static int ide_controller(u32 index, u16 *bdf)
{
	return pci_nth(PCI_CLASS_IDE, -1, index, bdf);
}

static int ahci_controller(u32 index, u16 *bdf)
{
	return pci_nth(PCI_CLASS_SATA, 1, index, bdf);
}

/* ata_init() takes over the first IDE function only. */
static const struct disk_intercept ata_disks = {
	.kind_name = "ata", .kind = BOOT_DISK_ATA, .controllers = 1,
	.controller_bdf = ide_controller,
};

static const struct disk_intercept ahci_disks = {
	.kind_name = "ahci", .kind = BOOT_DISK_AHCI, .controllers = AHCI_MAX_HBA,
	.controller_bdf = ahci_controller,
};

/* No NVMe intercept yet: nvme rules are refused by the disk phase. */
const struct device_intercept platform_intercepts[] = {
	{ "PCI configuration", pci_intercept_init, NULL },
	{ "LPC decode and Super-I/O", lpc_init, NULL },
	{ "keyboard controller reset", kbc_init, NULL },
	{ "ACPI reset register", reset_reg_init, NULL },
	{ "IDE (ATA)", ata_init, &ata_disks },
	{ "AHCI", ahci_init, &ahci_disks },
	{ "NICs", nic_init, NULL },
	{ "VT-d registers", vtd_intercept_init, NULL },
	{ "PCI ECAM pages of locked functions", pci_ecam_intercept_init, NULL },
	{ NULL },
};

int platform_dma_phase(struct boot_info *bi)
{
	return vtd_boot_phase(bi);
}

int platform_pci_phase(struct boot_info *bi)
{
	int rc = pci_ecam_boot_phase(bi);

	return rc ? rc : reset_reg_boot_phase(bi);	/* the FADT, as the MCFG */
}

int platform_dma_window(u16 bdf, void *va, u64 size)
{
	return vtd_dma_window(bdf, va, size);
}

int platform_dma_enable(struct boot_info *bi)
{
	return vtd_enable_phase(bi);
}

void platform_poll_faults(void)
{
	vtd_poll_faults();
}

bool platform_wants_tick(void)
{
	return net_wants_tick() || auth_wants_tick();
}

void platform_poll_periodic(void)
{
	vtd_poll_periodic();
	net_poll();	/* MACsec timers and NIC receive, without the guest's help */
	auth_poll();	/* the file-access dialog: console input, password check, expiry */
}
