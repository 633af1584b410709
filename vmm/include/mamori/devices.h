/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device intercepts register themselves with the core: each driver exports a
 * struct device_intercept, and the platform's list (drivers/platform.c) names
 * them in set-up order. The core (vmm/devices.c) runs them after its own
 * intercepts; the disk phase asks it which intercept enforces which rules.
 */
#ifndef MAMORI_DEVICES_H
#define MAMORI_DEVICES_H

#include <mamori/types.h>

struct vm;
struct disk_intercept;

/*
 * struct device_intercept - one device intercept.
 * @name: for log lines ("IDE (ATA)").
 * @init: registers its traps with the VM; 0, or an error that stops the boot
 *	(a trap that cannot be registered is never "logged and going on").
 * @disk: the disk rules it enforces (<mamori/disk.h>), NULL for none.
 */
struct device_intercept {
	const char *name;
	int (*init)(struct vm *vm);
	const struct disk_intercept *disk;
};

/* platform_intercepts - the platform's intercepts in set-up order, ended by { NULL }. */
extern const struct device_intercept platform_intercepts[];

struct boot_info;

/*
 * platform_dma_phase - the "dma" boot phase: find the platform's IOMMU; no
 * such hardware -> log and 0; hardware present but unusable -> an error,
 * and the boot stops.
 */
int platform_dma_phase(struct boot_info *bi);

/*
 * platform_pci_phase - the "pci" boot phase: find the configuration-space
 * windows the firmware tables name (ECAM through the ACPI MCFG) before any
 * intercept locks a function; a table that cannot be trusted -> an error,
 * and the boot stops. None -> log and 0.
 */
int platform_pci_phase(struct boot_info *bi);

/*
 * platform_dma_window - device @bdf, a controller the VMM drives itself,
 * may DMA into [@va, @va + @size) of VMM memory (page aligned: bounce
 * buffers, PRD tables, shadow command lists it hands the device). Under an
 * IOMMU no other device reaches it (without one, nothing confines DMA).
 * Called by device intercepts in the devices phase,
 * before platform_dma_enable(). Returns 0 (also without an IOMMU) or a
 * negative errno: the intercept's set-up fails.
 */
int platform_dma_window(u16 bdf, void *va, u64 size);

/*
 * platform_dma_enable - the "dma-on" boot phase, after the devices phase:
 * confine device DMA to guest memory and the windows; hardware present but
 * not enabled -> an error, and the boot stops.
 */
int platform_dma_enable(struct boot_info *bi);

/*
 * platform_poll_faults - log what the platform's IOMMU recorded (DMA faults)
 * and check it still confines DMA (resets the platform if not).
 */
void platform_poll_faults(void);

/*
 * platform_poll_periodic - platform_poll_faults() every few ms at most, and
 * net_poll(); cheap otherwise. Called from the intercept dispatch (frequent
 * exits) and the VMX preemption timer (an idle guest).
 */
void platform_poll_periodic(void);

/*
 * platform_wants_tick - true when something behind platform_poll_periodic()
 * must run while the guest idles (a NIC in mode encrypt), so the arch code
 * arms its periodic timer; decided after the devices phase.
 */
bool platform_wants_tick(void);

/* devices_disk_intercept - the intercept that enforces disk rules of @kind, or NULL. */
const struct disk_intercept *devices_disk_intercept(u8 kind);

/* vmm_devices_init - the core's intercepts, then the platform's; 0 or the first error. */
int vmm_devices_init(struct vm *vm);

#endif
