/* SPDX-License-Identifier: GPL-2.0-only */
/* What the guest sees from CPUID (pure C, unit-tested). */
#ifndef MAMORI_ASM_CPUID_FILTER_H
#define MAMORI_ASM_CPUID_FILTER_H

#include <asm/processor.h>

#define CPUID_HV_BASE		0x40000000
#define CPUID_HV_MAX		0x40000001	/* highest hypervisor leaf */
#define CPUID_HV_SIGNATURE	"MamoriMamori"	/* EBX, ECX, EDX of CPUID_HV_BASE */

/*
 * cpuid_filter_init - the secondary processor-based controls in force
 * (vmx_cfg.cpu2), set once at probe: a feature whose VMX control is off is
 * not shown (RDTSCP/RDPID, INVPCID, XSAVES, WAITPKG).
 */
void cpuid_filter_init(u32 cpu2);

/**
 * cpuid_filter() - turn the host's answer @r to CPUID(@leaf, @subleaf) into
 * the guest's, deny by default (cpuid_filter.c):
 * - leaves not listed read as zero (PMU 0xA, SGX 0x12, PT 0x14, arch LBR
 *   0x1C, AMX, RDT, ...); of leaf 0xD only the x87/SSE, AVX, AVX-512 and
 *   PKRU subleaves are shown;
 * - in the feature words only reviewed bits remain, minus those a table hides
 *   always (VMX, SMX, PT, DS/PEBS, arch LBR, MPX, SGX, PKS, AMX/XFD, ...) or
 *   without their VMX control (cpuid_filter_init());
 * - leaf 1 gains the hypervisor-present bit; leaves 0x40000000..0x400000ff
 *   describe Mamori (0x40000000: max leaf and the "MamoriMamori" signature;
 *   the rest read as zero).
 * CPUID runs in VMX root, so the bits that mirror CR4 (leaf 1 OSXSAVE, leaf 7
 * OSPKE) are recomputed from the guest's @guest_cr4, not the host's.
 */
void cpuid_filter(u32 leaf, u32 subleaf, u64 guest_cr4, struct cpuid_regs *r);

#endif
