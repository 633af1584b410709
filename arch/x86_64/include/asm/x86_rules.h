/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural rules (SDM) the exit handlers apply to what a guest asks for,
 * as pure functions of the values involved (unit-tested on the host).
 */
#ifndef MAMORI_ASM_X86_RULES_H
#define MAMORI_ASM_X86_RULES_H

#include <asm/fpu.h>
#include <asm/processor.h>

#define X86_CR0_MP		BIT(1)
#define X86_CR0_EM		BIT(2)
#define X86_CR0_ET		BIT(4)
#define X86_CR0_AM		BIT(18)
/* The CR0 bits that exist; writes of others in 31:0 are ignored, 63:32 #GP. */
#define X86_CR0_DEFINED		(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
				 X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | \
				 X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
#define X86_CR4_VME		BIT(0)
#define X86_CR4_PVI		BIT(1)
#define X86_CR4_TSD		BIT(2)
#define X86_CR4_DE		BIT(3)
#define X86_CR4_PSE		BIT(4)
#define X86_CR4_MCE		BIT(6)
#define X86_CR4_PGE		BIT(7)
#define X86_CR4_PCE		BIT(8)
#define X86_CR4_UMIP		BIT(11)
#define X86_CR4_FSGSBASE	BIT(16)
#define X86_CR4_PCIDE		BIT(17)
#define X86_CR4_KL		BIT(19)
#define X86_CR4_SMEP		BIT(20)
#define X86_CR4_SMAP		BIT(21)
#define X86_CR4_CET		BIT(23)
#define X86_CR4_PKS		BIT(24)
#define X86_CR4_UINTR		BIT(25)
#define X86_CR4_LASS		BIT(27)
#define X86_CR4_LAM_SUP		BIT(28)
#define X86_CR4_FRED		BIT(32)

#define X86_CR4_LA57		BIT(12)
#define X86_RFLAGS_TF		BIT(8)
#define X86_RFLAGS_RF		BIT(16)
#define X86_DEBUGCTL_BTF	BIT(1)
#define X86_PENDING_DBG_BS	BIT(14)	/* pending debug exceptions: single step */

/* x86_exception_is_fault - whether exception @vector is a fault (delivered with RF = 1). */
bool x86_exception_is_fault(u32 vector);
/*
 * x86_next_rip - *@next = the RIP after an instruction of @len bytes at @rip
 * in @bits-bit code (16 and 32 wrap, as the CPU does). -1 when in 64-bit code
 * the result is not canonical for @va_bits (48 or 57) linear-address bits.
 */
int x86_next_rip(u64 rip, u32 len, u32 bits, u32 va_bits, u64 *next);
/*
 * x86_single_step - whether completing a (non-branch) instruction with
 * @rflags and IA32_DEBUGCTL @debugctl raises the single-step #DB after it.
 */
bool x86_single_step(u64 rflags, u64 debugctl);

/* The CPUID feature words the CR4 bits depend on (as the guest sees them). */
struct x86_cr4_features {
	u32 l1_ecx, l1_edx;		/* leaf 1 */
	u32 l7_ebx, l7_ecx, l7_edx;	/* leaf 7, subleaf 0 */
	u32 l71_eax;			/* leaf 7, subleaf 1 */
};

/*
 * x86_cr4_supported - the CR4 bits a guest may set given CPUID @f: each bit
 * with its feature flag, PCE always; never VMXE or SMXE (VMX is hidden).
 */
u64 x86_cr4_supported(const struct x86_cr4_features *f);

/* The guest's control state a CR write is checked against. */
struct x86_cr_state {
	u64 cr0, cr4, cr3, efer;
	bool cs_l;			/* CS.L: 64-bit code */
};

/*
 * x86_cr0_check - the MOV-to-CR0 #GP conditions (SDM): bits 63:32, NW without
 * CD, PG without PE, PG on with LME but without PAE or from 64-bit code, PG
 * off in 64-bit code or with PCIDE, WP off with CET. On success (0) *@val is
 * what the CPU would hold: reserved bits 31:0 ignored, ET set. -1: #GP.
 */
int x86_cr0_check(const struct x86_cr_state *s, u64 *val);
/*
 * x86_cr4_check - the MOV-to-CR4 #GP conditions: bits outside @allowed, PAE
 * off or LA57 changed in IA-32e mode, PCIDE on outside IA-32e mode or with
 * CR3[11:0] != 0, CET on with CR0.WP off. 0 or -1 (#GP).
 */
int x86_cr4_check(const struct x86_cr_state *s, u64 val, u64 allowed);
/* x86_pae_paging - whether @cr0, @cr4, @efer select PAE (not IA-32e) paging. */
bool x86_pae_paging(u64 cr0, u64 cr4, u64 efer);
/*
 * x86_pdptes_reload - whether a CR0/CR4 write from (@cr0, @cr4) to (@ncr0,
 * @ncr4) makes the CPU load the PDPTEs (SDM 4.4.1): PAE paging afterwards
 * and PG, CD, NW, PAE, PGE, PSE, SMEP or SMAP changed.
 */
bool x86_pdptes_reload(u64 cr0, u64 cr4, u64 ncr0, u64 ncr4, u64 efer);
/* x86_pdpte_valid - a present PAE PDPTE has no reserved bit set (@phys_bits wide). */
bool x86_pdpte_valid(u64 pdpte, u32 phys_bits);

/*
 * x86_xcr0_valid - the XSETBV #GP conditions for XCR0 value @v: x87 set, only
 * @supported bits (CPUID.(EAX=0DH,ECX=0):EDX:EAX), AVX needs SSE, MPX's two
 * bits together, AVX-512's three together and with AVX, AMX's two together.
 */
bool x86_xcr0_valid(u64 v, u64 supported);

#endif
