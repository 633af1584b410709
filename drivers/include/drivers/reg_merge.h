/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sub-dword accesses to a 32-bit register kept by the VMM (a shadowed BAR, a
 * PRD pointer, an HBA register): a 1-, 2- or 4-byte access at byte @off of the
 * register (only @off's low two bits count). The caller refuses accesses that
 * straddle two registers.
 */
#ifndef DRIVERS_REG_MERGE_H
#define DRIVERS_REG_MERGE_H

#include <mamori/types.h>

/* reg_mask - the bits of the register a @size-byte access at @off covers. */
static inline u32 reg_mask(u32 off, u32 size)
{
	return size >= 4 ? ~0u : ((1u << (size * 8)) - 1) << ((off & 3) * 8);
}

/* reg_merge - @reg with the @size-byte write of @val at @off merged in. */
static inline u32 reg_merge(u32 reg, u32 off, u32 size, u32 val)
{
	u32 mask = reg_mask(off, size);

	return (reg & ~mask) | ((val << ((off & 3) * 8)) & mask);
}

/* reg_extract - what a @size-byte read at @off of @reg returns. */
static inline u32 reg_extract(u32 reg, u32 off, u32 size)
{
	return (reg & reg_mask(off, size)) >> ((off & 3) * 8);
}

#endif
