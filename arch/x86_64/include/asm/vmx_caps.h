/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX capability checks, pure C (unit-tested on the host). */
#ifndef MAMORI_ASM_VMX_CAPS_H
#define MAMORI_ASM_VMX_CAPS_H

#include <mamori/types.h>

/**
 * vmx_adjust_ctls() - fit a control word to its capability MSR value @cap
 * (bits 31:0 allowed-0: must be 1; bits 63:32 allowed-1: may be 1).
 * @want: the controls Mamori would like; @required: the subset it cannot do
 * without. *@out gets (want | must-be-1) & may-be-1.
 * Return: 0, or -1 when a required control is not allowed (then *@missing
 * holds those bits).
 */
int vmx_adjust_ctls(u64 cap, u32 want, u32 required, u32 *out, u32 *missing);

/* vmx_fixed_bits - apply IA32_VMX_CRx_FIXED0/1 to @val (set must-be-1, clear must-be-0). */
static inline u64 vmx_fixed_bits(u64 val, u64 fixed0, u64 fixed1)
{
	return (val | fixed0) & fixed1;
}

#endif
