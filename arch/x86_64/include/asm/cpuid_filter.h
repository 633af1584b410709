/* SPDX-License-Identifier: GPL-2.0-only */
/* What the guest sees from CPUID (pure C, unit-tested). */
#ifndef MAMORI_ASM_CPUID_FILTER_H
#define MAMORI_ASM_CPUID_FILTER_H

#include <asm/processor.h>

#define CPUID_HV_BASE		0x40000000
#define CPUID_HV_MAX		0x40000001	/* highest hypervisor leaf */
#define CPUID_HV_SIGNATURE	"MamoriMamori"	/* EBX, ECX, EDX of CPUID_HV_BASE */

/**
 * cpuid_filter() - turn the host's answer @r to CPUID(@leaf, @subleaf) into
 * the guest's: leaf 1 gains the hypervisor-present bit and loses VMX and SMX;
 * leaves 0x40000000..0x400000ff describe Mamori (0x40000000: max leaf and the
 * "MamoriMamori" signature; the rest read as zero); all else passes through.
 * CPUID runs in VMX root, so the bits that mirror CR4 (leaf 1 OSXSAVE, leaf 7
 * OSPKE) are recomputed from the guest's @guest_cr4, not the host's.
 */
void cpuid_filter(u32 leaf, u32 subleaf, u64 guest_cr4, struct cpuid_regs *r);

#endif
