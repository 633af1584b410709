/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural rules (SDM) the exit handlers apply to what a guest asks for,
 * as pure functions of the values involved (unit-tested on the host).
 */
#ifndef MAMORI_ASM_X86_RULES_H
#define MAMORI_ASM_X86_RULES_H

#include <mamori/types.h>

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

#endif
