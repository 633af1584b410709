/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Secrets out of DRAM before a reset. A warm reset keeps DRAM: whatever boots
 * next (firmware, a boot loader, another OS) could read the disk key
 * schedules and the unsealed policy secrets the VMM left there. Every reset
 * path the VMM sees calls reset_wipe_secrets() before it lets the reset
 * happen: platform_reset() (triple fault, INIT to the boot CPU, the VMM's own
 * fail-closed resets), a guest write that resets through 0xcf9
 * (drivers/pci.c), the keyboard controller (drivers/kbc.c), an I/O-port ACPI
 * reset register (drivers/reset_reg.c). What stays
 * uncovered is in docs/security.md ("Secrets across a warm reset").
 */
#ifndef MAMORI_RESET_H
#define MAMORI_RESET_H

#include <mamori/types.h>

/*
 * reset_wipe_secrets - stop disk encryption and zero the disk key schedules
 * (disk_wipe_keys()) and the unsealed policy secrets
 * (policy_secrets_wipe_all()); log it with @why. The first caller wipes;
 * a caller on another CPU meanwhile waits (bounded) for it to finish, later
 * callers return at once. After it, encrypted disk I/O fails (-EIO) until
 * the reset lands.
 */
void reset_wipe_secrets(const char *why);

/* reset_secrets_wiped - whether reset_wipe_secrets() has completed. */
bool reset_secrets_wiped(void);

#endif
