/* SPDX-License-Identifier: GPL-2.0-only */
/* Test fixture shared by test_mtrr.c and test_ept.c: fake fixed-range MTRRs. */
#ifndef MAMORI_TEST_MTRR_FIXTURE_H
#define MAMORI_TEST_MTRR_FIXTURE_H

#include <asm/mtrr.h>

/* Set every fixed sub-range in [lo, hi) (< 1 MiB) of @s to @type. */
static inline void st_fixed(struct mtrr_state *s, u64 lo, u64 hi, u8 type)
{
	for (u64 pa = lo; pa < hi; pa += 4096) {
		u32 msr, byte;

		if (pa < 0x80000) {
			msr = 0; byte = pa >> 16;
		} else if (pa < 0xc0000) {
			msr = 1 + ((pa - 0x80000) >> 17); byte = ((pa - 0x80000) >> 14) & 7;
		} else {
			msr = 3 + ((pa - 0xc0000) >> 15); byte = ((pa - 0xc0000) >> 12) & 7;
		}
		s->fixed[msr] &= ~(0xffULL << (8 * byte));
		s->fixed[msr] |= (u64)type << (8 * byte);
	}
}

#endif
