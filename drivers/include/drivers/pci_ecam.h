/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI Express enhanced configuration access (ECAM, "MMCONFIG"): the ACPI MCFG
 * table gives, per segment, the physical base of a window in which bus b,
 * device d, function f has the 4 KiB page base + (b << 20 | d << 15 | f << 12)
 * (PCI Firmware spec 3.x, 4.1.2). To the EPT that window is plain memory, so
 * the page of every function drivers/pci.c locks is trapped, and each access
 * in it goes through the same decision as 0xcf8/0xcfc (pci_guest_cfg()).
 * The MCFG parser and the Q35 PCIEXBAR decode (pci_mcfg.c) are pure C
 * (host-tested, and run on QEMU q35 by tests/vtd/); the boot phase and the
 * traps are in pci_ecam.c.
 */
#ifndef DRIVERS_PCI_ECAM_H
#define DRIVERS_PCI_ECAM_H

#include <mamori/types.h>

#define MCFG_MAX		16	/* windows kept; a table with more is refused */
#define ECAM_BUS_SHIFT		20

struct boot_info;
struct vm;

/* One MCFG allocation: buses [@bus_start, @bus_end] of @segment at @base (bus 0). */
struct mcfg_window {
	u64 base;
	u16 segment;
	u8 bus_start, bus_end;
};

struct mcfg_info {
	u32 count;
	struct mcfg_window win[MCFG_MAX];
};

/*
 * mcfg_parse - parse the MCFG table @tbl of @len bytes (length and checksum
 * already checked by acpi_find_table()). Refused (-EINVAL): a wrong
 * signature, a length that is not the header plus whole 16-byte entries, a
 * base not 1 MiB aligned, end bus below start bus, a window that wraps or
 * ends above 2^52, two windows of one segment whose bus ranges overlap or
 * two windows over the same addresses;
 * -E2BIG: more than MCFG_MAX entries. Return 0 and fill @out.
 */
int mcfg_parse(const u8 *tbl, u32 len, struct mcfg_info *out);

/* mcfg_window_range - the physical range [*@lo, *@hi) the buses of @w decode. */
void mcfg_window_range(const struct mcfg_window *w, u64 *lo, u64 *hi);

#define Q35_PCIEXBAR		0x60	/* host bridge 00:00.0, 64-bit */

/*
 * q35_pciexbar_decode - the ECAM base a Q35 MCH (QEMU q35; Intel client
 * PCIEXBAR layout) decodes for PCIEXBAR value @bar, 0 when disabled (bit 0);
 * *@buses from the length field (bits 2:1: 256, 128, 64 buses).
 */
u64 q35_pciexbar_decode(u64 bar, u32 *buses);

/*
 * pci_ecam_boot_phase - find and parse the MCFG; a window overlapping the VMM
 * region, a malformed table or malformed ACPI tables stop the boot
 * (VMM_ERR_DEVICES, logged). No MCFG (Bochs): one log line, nothing to trap.
 */
int pci_ecam_boot_phase(struct boot_info *bi);

/*
 * pci_ecam_intercept_init - trap reads and writes of the ECAM page of every
 * locked function (drivers/pci.c: intercepted controllers, their bridges,
 * the LPC bridge, the host bridge). Call after every pci_lock_*(). A locked
 * function of segment 0 that no window covers, or a trap that cannot be
 * registered, fails (logged).
 */
int pci_ecam_intercept_init(struct vm *vm);

#endif
