/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The LPC/ISA bridge and the Super-I/O behind it: where the VMM console's
 * UART (COM2) is decoded. A guest that re-programs either could move the
 * UART out from under the console intercept (or another device over it).
 */
#ifndef DRIVERS_LPC_H
#define DRIVERS_LPC_H

struct vm;

/*
 * lpc_init - lock the I/O decode registers of a known LPC bridge
 * (pci_lock_decode()) and take the Super-I/O configuration ports 0x2e/0x2f
 * and 0x4e/0x4f from the guest (reads 0xff, writes dropped, logged once).
 * Return 0 or the first error (the caller fails closed).
 */
int lpc_init(struct vm *vm);

#endif
