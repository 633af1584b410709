// SPDX-License-Identifier: GPL-2.0-only
/* Architectural rules (asm/x86_rules.h). */
#include <asm/x86_rules.h>

/* #DE #BR #UD #NM #TS #NP #SS #GP #PF #MF #AC #XM #VE #CP; #DB is a trap here. */
#define X86_FAULT_VECTORS	0x3b7ce1u

bool x86_exception_is_fault(u32 vector)
{
	return vector < 32 && (X86_FAULT_VECTORS & BIT(vector));
}

int x86_next_rip(u64 rip, u32 len, u32 bits, u32 va_bits, u64 *next)
{
	u64 v = rip + len;
	s64 sext;

	if (bits == 16 || bits == 32) {
		*next = v & (bits == 32 ? 0xffffffffULL : 0xffffULL);
		return 0;
	}
	sext = (s64)(v << (64 - va_bits)) >> (64 - va_bits);
	if ((u64)sext != v)
		return -1;
	*next = v;
	return 0;
}

bool x86_single_step(u64 rflags, u64 debugctl)
{
	return (rflags & X86_RFLAGS_TF) && !(debugctl & X86_DEBUGCTL_BTF);
}
