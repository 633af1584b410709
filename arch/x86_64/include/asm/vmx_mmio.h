/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the MMIO emulation (vmx_mmio.c) may take an EPT violation for: the
 * pure checks, host-tested in tests/unit/test_mmio.c.
 */
#ifndef MAMORI_ASM_VMX_MMIO_H
#define MAMORI_ASM_VMX_MMIO_H

#include <mamori/types.h>

/* EPT-violation exit qualification bits (SDM Vol. 3C, table 28-7). */
#define EPT_Q_WRITE		BIT(1)
#define EPT_Q_FETCH		BIT(2)
#define EPT_Q_GLA_VALID		BIT(7)
#define EPT_Q_GLA_XLATED	BIT(8)	/* with bit 7: the access was to the translated address */
#define EPT_Q_NMI_UNBLOCK	BIT(12)	/* an IRET unblocked NMIs before the fault */

/*
 * vmx_mmio_fault_why - may an EPT violation with exit qualification @qual,
 * taken with IDT-vectoring information @idt_info, be emulated as the data
 * access of the instruction at RIP? NULL if so, else why not: a fault during
 * event delivery (@idt_info valid: the CPU's own IDT, GDT or stack access),
 * one without a guest-linear address (bit 7 clear: a PDPTE load) or during
 * the guest's page walk (bit 8 clear: a paging-structure entry), and an
 * instruction fetch.
 */
const char *vmx_mmio_fault_why(u64 qual, u64 idt_info);

/*
 * vmx_mmio_access_why - may the decoded access of @size bytes at @gpa be
 * emulated? It must not cross a page boundary (a region is whole pages, and
 * a device access never straddles two). NULL if so, else why not.
 */
const char *vmx_mmio_access_why(u64 gpa, u32 size);

#endif
