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

#define F(word, bit, cr4)	(((word) >> (bit)) & 1 ? (u64)(cr4) : 0)

u64 x86_cr4_supported(const struct x86_cr4_features *f)
{
	return X86_CR4_PCE |
	       F(f->l1_edx, 1, X86_CR4_VME | X86_CR4_PVI) | F(f->l1_edx, 2, X86_CR4_DE) |
	       F(f->l1_edx, 3, X86_CR4_PSE) | F(f->l1_edx, 4, X86_CR4_TSD) |
	       F(f->l1_edx, 6, X86_CR4_PAE) | F(f->l1_edx, 7, X86_CR4_MCE) |
	       F(f->l1_edx, 13, X86_CR4_PGE) | F(f->l1_edx, 24, X86_CR4_OSFXSR) |
	       F(f->l1_edx, 25, X86_CR4_OSXMMEXCPT) |
	       F(f->l1_ecx, 17, X86_CR4_PCIDE) | F(f->l1_ecx, 26, X86_CR4_OSXSAVE) |
	       F(f->l7_ebx, 0, X86_CR4_FSGSBASE) | F(f->l7_ebx, 7, X86_CR4_SMEP) |
	       F(f->l7_ebx, 20, X86_CR4_SMAP) |
	       F(f->l7_ecx, 2, X86_CR4_UMIP) | F(f->l7_ecx, 3, X86_CR4_PKE) |
	       F(f->l7_ecx, 7, X86_CR4_CET) | F(f->l7_ecx, 16, X86_CR4_LA57) |
	       F(f->l7_ecx, 23, X86_CR4_KL) | F(f->l7_ecx, 31, X86_CR4_PKS) |
	       F(f->l7_edx, 5, X86_CR4_UINTR) | F(f->l7_edx, 20, X86_CR4_CET) |
	       F(f->l71_eax, 6, X86_CR4_LASS) | F(f->l71_eax, 17, X86_CR4_FRED) |
	       F(f->l71_eax, 26, X86_CR4_LAM_SUP);
}

int x86_cr0_check(const struct x86_cr_state *s, u64 *val)
{
	u64 v = *val;
	bool pg_on = (v & X86_CR0_PG) && !(s->cr0 & X86_CR0_PG);
	bool pg_off = !(v & X86_CR0_PG) && (s->cr0 & X86_CR0_PG);

	if (v >> 32)
		return -1;
	v = (v & X86_CR0_DEFINED) | X86_CR0_ET;
	if ((v & X86_CR0_NW) && !(v & X86_CR0_CD))
		return -1;
	if ((v & X86_CR0_PG) && !(v & X86_CR0_PE))
		return -1;
	if (pg_on && (s->efer & EFER_LME) && (!(s->cr4 & X86_CR4_PAE) || s->cs_l))
		return -1;
	if (pg_off && (((s->efer & EFER_LMA) && s->cs_l) || (s->cr4 & X86_CR4_PCIDE)))
		return -1;
	if (!(v & X86_CR0_WP) && (s->cr4 & X86_CR4_CET))
		return -1;
	*val = v;
	return 0;
}

int x86_cr4_check(const struct x86_cr_state *s, u64 val, u64 allowed)
{
	bool ia32e = s->efer & EFER_LMA;

	if (val & ~allowed)
		return -1;
	if (ia32e && (!(val & X86_CR4_PAE) || ((val ^ s->cr4) & X86_CR4_LA57)))
		return -1;
	if ((val & X86_CR4_PCIDE) && !(s->cr4 & X86_CR4_PCIDE) &&
	    (!ia32e || (s->cr3 & 0xfff)))
		return -1;
	if ((val & X86_CR4_CET) && !(s->cr0 & X86_CR0_WP))
		return -1;
	return 0;
}

bool x86_pae_paging(u64 cr0, u64 cr4, u64 efer)
{
	return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

bool x86_pdptes_reload(u64 cr0, u64 cr4, u64 ncr0, u64 ncr4, u64 efer)
{
	u64 cr0_bits = X86_CR0_PG | X86_CR0_CD | X86_CR0_NW;
	u64 cr4_bits = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PSE | X86_CR4_SMEP | X86_CR4_SMAP;

	return x86_pae_paging(ncr0, ncr4, efer) &&
	       (((cr0 ^ ncr0) & cr0_bits) || ((cr4 ^ ncr4) & cr4_bits));
}

bool x86_pdpte_valid(u64 pdpte, u32 phys_bits)
{
	u64 rsvd = 0x1e6ULL | (phys_bits < 64 ? ~0ULL << phys_bits : 0);

	return !(pdpte & 1) || !(pdpte & rsvd);
}

/* Two-bit groups of XCR0 that are all-or-nothing. */
static bool xcr0_group_ok(u64 v, u64 group)
{
	return !(v & group) || (v & group) == group;
}

bool x86_xcr0_valid(u64 v, u64 supported)
{
	if (!(v & XFEATURE_X87) || (v & ~supported))
		return false;
	if ((v & XFEATURE_YMM) && !(v & XFEATURE_SSE))
		return false;
	if (!xcr0_group_ok(v, 0x18) || !xcr0_group_ok(v, 0xe0) || !xcr0_group_ok(v, 0x60000))
		return false;		/* MPX 4:3, AVX-512 7:5, AMX 18:17 */
	return !(v & 0xe0) || (v & XFEATURE_YMM);	/* AVX-512 needs AVX */
}
