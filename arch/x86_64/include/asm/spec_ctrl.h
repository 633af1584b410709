/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IA32_SPEC_CTRL around VM exits. The guest reads and writes the MSR without
 * exits (the MSR table passes it through), so after a VM exit the VMM would
 * run with the guest's choice: IBRS off on an eIBRS part lets branch
 * predictions the guest trained steer VMX root. On exit the VMM saves the
 * guest's value and loads its own when they differ; before VM entry it puts
 * the guest's back. Cost: one RDMSR per exit, two WRMSRs only while the
 * guest's value differs from the VMM's. Nothing without the MSR (Bochs'
 * models may lack it: nothing is switched there).
 */
#ifndef MAMORI_ASM_SPEC_CTRL_H
#define MAMORI_ASM_SPEC_CTRL_H

#include <mamori/types.h>

#define SPEC_CTRL_IBRS			BIT(0)
#define SPEC_CTRL_BHI_DIS_S		BIT(10)

/* Enumeration: CPUID.(7,0):EDX and CPUID.(7,2):EDX bits, ARCH_CAPABILITIES. */
#define CPUID7_EDX_IBRS_IBPB		BIT(26)	/* IA32_SPEC_CTRL exists (IBRS) */
#define CPUID7_EDX_STIBP		BIT(27)
#define CPUID7_EDX_ARCH_CAP		BIT(29)
#define CPUID7_EDX_SSBD			BIT(31)
#define CPUID7_2_EDX_BHI_CTRL		BIT(4)
#define ARCH_CAP_IBRS_ALL		BIT(1)	/* enhanced IBRS */

/*
 * spec_ctrl_host_value - the VMM's own IA32_SPEC_CTRL for a CPU that
 * enumerates @edx7 (leaf 7 subleaf 0 EDX), @edx7_2 (subleaf 2 EDX) and
 * @arch_caps (0 when ARCH_CAPABILITIES is absent): IBRS on with enhanced
 * IBRS (cheap, and it keeps the guest's predictions out of VMX root),
 * BHI_DIS_S where enumerated; otherwise 0 (legacy IBRS costs too much on
 * every exit). *@present says whether the MSR exists at all.
 */
u64 spec_ctrl_host_value(u32 edx7, u32 edx7_2, u64 arch_caps, bool *present);

/*
 * spec_ctrl_init - on the boot CPU before the first VM entry: read CPUID and
 * ARCH_CAPABILITIES, choose the VMM's value (spec_ctrl_host_value()) and log
 * it. Every CPU of the platform runs with the same choice.
 */
void spec_ctrl_init(void);

/*
 * spec_ctrl_vm_exit - first thing after a VM exit: *@guest := the guest's
 * IA32_SPEC_CTRL, and the VMM's value is loaded if it differs.
 * spec_ctrl_vm_entry - last thing before VM entry: the guest's value back.
 * Both do nothing without the MSR (or when spec_ctrl_init() was not run).
 */
void spec_ctrl_vm_exit(u64 *guest);
void spec_ctrl_vm_entry(u64 guest);

/* spec_ctrl_enable - for tests: the state spec_ctrl_init() would set. */
void spec_ctrl_enable(bool present, u64 host);

#endif
