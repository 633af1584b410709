// SPDX-License-Identifier: GPL-2.0-only
#include <asm/cpuid_filter.h>

static u32 sig_word(u32 i)
{
	const char *s = CPUID_HV_SIGNATURE;

	return (u32)(u8)s[i * 4] | (u32)(u8)s[i * 4 + 1] << 8 |
	       (u32)(u8)s[i * 4 + 2] << 16 | (u32)(u8)s[i * 4 + 3] << 24;
}

static u32 mirror_bit(u32 reg, u32 bit, bool on)
{
	return on ? reg | bit : reg & ~bit;
}

void cpuid_filter(u32 leaf, u32 subleaf, u64 guest_cr4, struct cpuid_regs *r)
{
	if (leaf == 1) {
		r->ecx |= X86_FEATURE_ECX_HYPERVISOR;
		r->ecx &= ~(X86_FEATURE_ECX_VMX | X86_FEATURE_ECX_SMX);
		r->ecx = mirror_bit(r->ecx, X86_FEATURE_ECX_OSXSAVE,
				    (r->ecx & X86_FEATURE_ECX_XSAVE) && (guest_cr4 & X86_CR4_OSXSAVE));
	} else if (leaf == 7 && subleaf == 0) {
		r->ecx = mirror_bit(r->ecx, X86_FEATURE_7_ECX_OSPKE,
				    (r->ecx & X86_FEATURE_7_ECX_PKU) && (guest_cr4 & X86_CR4_PKE));
	} else if (leaf == CPUID_HV_BASE) {
		r->eax = CPUID_HV_MAX;
		r->ebx = sig_word(0);
		r->ecx = sig_word(1);
		r->edx = sig_word(2);
	} else if (leaf > CPUID_HV_BASE && leaf <= CPUID_HV_BASE + 0xff) {
		r->eax = r->ebx = r->ecx = r->edx = 0;
	}
}
