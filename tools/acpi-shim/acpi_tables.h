/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI tables for the Bochs i440FX/PIIX4 test platform (test-only; see
 * docs/testing.md). Pure C, no firmware calls: tools/acpi-shim/acpi_shim.c
 * gathers the platform facts and installs the result, the unit tests walk it.
 */
#ifndef MAMORI_ACPI_TABLES_H
#define MAMORI_ACPI_TABLES_H

#include <mamori/types.h>

#define ACPI_SHIM_CPUS_MAX	64

/* Where the tables go: @tables is read-only-after-boot memory (ACPI reclaim),
 * @facs the FACS (ACPI NVS, 64-byte aligned). Both must lie below 4 GiB
 * because the RSDT and the FADT hold 32-bit pointers. Firmware identity-maps
 * memory, but the unit tests do not: the *_phys fields are what the tables
 * say, the pointers are where the builder writes. */
struct acpi_shim_mem {
	u8 *tables;
	u64 tables_phys;
	u32 tables_size;
	u8 *facs;
	u64 facs_phys;
	u32 facs_size;
};

/* The platform as the firmware finds it. */
struct acpi_shim_cfg {
	u32 cpu_count;
	u8 apic_ids[ACPI_SHIM_CPUS_MAX];	/* boot CPU first */
	u8 ioapic_id;
	u32 ioapic_addr;		/* 0xfec00000 on Bochs */
	u16 pm_base;			/* PIIX4 PMBA (0xb000 under OVMF) */
	u8 sci_irq;			/* 9 on PIIX4 */
	u32 pci_mem_base;		/* PCI memory window start (above RAM,
					 * 1 MiB aligned); it ends at 0xfebfffff */
};

/* What was built: the RSDP to install and each table's physical address. */
struct acpi_shim_out {
	u64 rsdp, xsdt, rsdt, fadt, madt, dsdt, facs;
	u32 used;			/* bytes of @tables used */
};

/**
 * acpi_shim_build() - write RSDP (revision 2), XSDT, RSDT, FADT (revision 3),
 * FACS, DSDT (a \_SB.PCI0 PNP0A03 host bridge with its _CRS windows) and
 * MADT (one Processor Local APIC per CPU, the IOAPIC with GSI base 0, ISA overrides IRQ0->GSI2 and
 * IRQ9 level/active-high, LINT1 NMI for all CPUs) into @mem, checksums set.
 * Return: 0, or -1 when the configuration or the memory is unusable (no CPU,
 * too many, an APIC ID of 0xff, a bad PCI window, a buffer too small,
 * unaligned or above 4 GiB).
 */
int acpi_shim_build(const struct acpi_shim_cfg *cfg, const struct acpi_shim_mem *mem,
		    struct acpi_shim_out *out);

/* acpi_checksum - the byte that makes @len bytes at @p sum to zero. */
u8 acpi_checksum(const void *p, u32 len);

/* acpi_sum - the 8-bit sum of @len bytes at @p (0 for a valid table). */
u8 acpi_sum(const void *p, u32 len);

#endif
