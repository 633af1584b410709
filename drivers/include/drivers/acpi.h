/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table lookup from the RSDP (drivers/acpi.c): pure C, host-tested, used
 * for the DMAR (VT-d), the MCFG (PCI ECAM) and the FADT's reset register.
 */
#ifndef DRIVERS_ACPI_H
#define DRIVERS_ACPI_H

#include <mamori/types.h>
#include <mamori/errno.h>

/*
 * struct acpi_map - reads physical memory for the ACPI walk.
 * @map: a pointer to [@pa, @pa + @len) or NULL when that range cannot be read.
 */
struct acpi_map {
	const void *(*map)(void *ctx, u64 pa, u64 len);
	void *ctx;
};

/*
 * acpi_find_table - find the table with signature @sig through the RSDP at
 * @rsdp_pa (revision 2+: XSDT; revision 0: RSDT). Checks the RSDP and every
 * table's checksum and length. On success *@pa and *@len locate the table.
 * Returns 0, -ENOENT (no such table) or -EINVAL (malformed RSDP/XSDT).
 */
int acpi_find_table(const struct acpi_map *m, u64 rsdp_pa, const char sig[4],
		    u64 *pa, u32 *len);

/* struct acpi_reset_reg - the FADT's RESET_REG and RESET_VALUE. */
struct acpi_reset_reg {
	u8 space;		/* ACPI_SPACE_* */
	u8 value;
	u64 addr;
};

#define ACPI_SPACE_MEMORY	0
#define ACPI_SPACE_IO		1
#define ACPI_SPACE_PCI_CONFIG	2

/*
 * acpi_fadt_reset_reg - the reset register of the FADT @fadt (@len bytes, as
 * acpi_find_table() checked them). Returns 0, -ENOENT (FADT revision < 2,
 * too short, or RESET_REG_SUP clear: the OS does not use it) or -EINVAL (not
 * a FADT).
 */
int acpi_fadt_reset_reg(const void *fadt, u32 len, struct acpi_reset_reg *out);

#endif
