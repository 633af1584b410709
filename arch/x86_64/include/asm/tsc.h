/* SPDX-License-Identifier: GPL-2.0-only */
/* The time-stamp counter: time budgets of the VMM's busy-waits on devices. */
#ifndef MAMORI_ASM_TSC_H
#define MAMORI_ASM_TSC_H

#include <mamori/types.h>

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

#endif
