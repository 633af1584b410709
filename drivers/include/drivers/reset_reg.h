/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI FADT's reset register, the way an OS with ACPI resets the machine
 * (Linux tries it first). On most Intel chipsets it is 0xcf9, covered by the
 * PCI intercept (drivers/pci.c); another I/O port is intercepted here (pass
 * through, the secrets wiped before the reset value reaches it,
 * <mamori/reset.h>); one in memory or PCI configuration space is not
 * intercepted and logged as such (docs/security.md).
 */
#ifndef DRIVERS_RESET_REG_H
#define DRIVERS_RESET_REG_H

#include <drivers/acpi.h>

enum reset_reg_cover {
	RESET_REG_NONE,		/* no reset register the OS would use */
	RESET_REG_CF9,		/* 0xcf9 with RST_CPU: drivers/pci.c */
	RESET_REG_KBC,		/* 0x64 with a reset pulse: drivers/kbc.c */
	RESET_REG_PORT,		/* another I/O port: intercepted here */
	RESET_REG_UNCOVERED,	/* memory or PCI configuration space, or odd values */
};

/*
 * reset_reg_use - take @r (NULL: none) as the platform's reset register:
 * classify it, log how it is covered, and remember an I/O port to intercept.
 * Returns the enum reset_reg_cover.
 */
int reset_reg_use(const struct acpi_reset_reg *r);

struct boot_info;

/*
 * reset_reg_boot_phase - find the FADT through @bi's RSDP and reset_reg_use()
 * its reset register. No ACPI or no FADT: none. A FADT that exists but
 * cannot be read stops the boot (VMM_ERR_DEVICES), as for the MCFG.
 */
int reset_reg_boot_phase(struct boot_info *bi);

struct vm;

/* reset_reg_init - intercept the reset register's port when reset_reg_use() chose one. */
int reset_reg_init(struct vm *vm);

#endif
