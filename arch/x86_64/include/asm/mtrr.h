/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MTRR snapshot and memory-type lookup (Intel SDM Vol. 3A §12.11, "Memory Type
 * Range Registers"; §11.11 in editions before 2023).
 *
 * The VMM reads the boot CPU's MTRRs once (mtrr_read()) and derives the EPT
 * memory types of the passthrough guest from them: with EPT on, the MTRRs no
 * longer apply to guest-physical accesses (SDM Vol. 3C §29.3.7.2), so the EPT
 * must carry the types the MTRRs would have given. Everything but mtrr_read()
 * is pure and runs in host unit tests.
 */
#ifndef ASM_MTRR_H
#define ASM_MTRR_H

#include <mamori/types.h>

/* Memory type encodings, shared by MTRRs, PAT and EPT leaf entries. */
#define MTRR_TYPE_UC		0
#define MTRR_TYPE_WC		1
#define MTRR_TYPE_WT		4
#define MTRR_TYPE_WP		5
#define MTRR_TYPE_WB		6

#define MSR_MTRRCAP		0xfe
#define MSR_MTRR_PHYSBASE(n)	(0x200 + 2 * (n))
#define MSR_MTRR_PHYSMASK(n)	(0x201 + 2 * (n))
#define MSR_MTRR_FIX64K_00000	0x250
#define MSR_MTRR_FIX16K_80000	0x258
#define MSR_MTRR_FIX16K_A0000	0x259
#define MSR_MTRR_FIX4K_C0000	0x268	/* ... 0x26f: FIX4K_F8000 */
#define MSR_MTRR_DEF_TYPE	0x2ff

#define MTRRCAP_VCNT_MASK	0xffULL
#define MTRRCAP_FIX		BIT(8)
#define MTRRCAP_WC		BIT(10)
#define MTRR_DEF_TYPE_MASK	0xffULL
#define MTRR_DEF_FE		BIT(10)
#define MTRR_DEF_E		BIT(11)
#define MTRR_PHYSMASK_VALID	BIT(11)

#define MTRR_FIXED_MSRS		11
#define MTRR_FIXED_END		0x100000ULL	/* fixed ranges cover [0, 1 MiB) */
#define MTRR_VAR_MAX		32		/* VCNT is clamped to this */

/* One variable range, as read: PHYSBASEn (type in 7:0) and PHYSMASKn (V = bit 11). */
struct mtrr_var {
	u64 base;
	u64 mask;
};

/*
 * struct mtrr_state - raw MTRR MSR values of one CPU.
 * @cap: IA32_MTRRCAP (VCNT, FIX, WC).
 * @def_type: IA32_MTRR_DEF_TYPE (default type, FE, E).
 * @fixed: the 11 fixed-range MSRs in address order (FIX64K_00000, FIX16K_80000,
 *	FIX16K_A0000, FIX4K_C0000 ... FIX4K_F8000), one type byte per sub-range.
 * @var_count: variable ranges read (VCNT, clamped to MTRR_VAR_MAX).
 * @var: the variable ranges; invalid ones (V clear) are kept and ignored.
 */
struct mtrr_state {
	u64 cap;
	u64 def_type;
	u64 fixed[MTRR_FIXED_MSRS];
	u32 var_count;
	struct mtrr_var var[MTRR_VAR_MAX];
};

/* mtrr_rdmsr_fn - MSR reader used by mtrr_read_with(). */
typedef u64 (*mtrr_rdmsr_fn)(void *ctx, u32 msr);

/*
 * mtrr_read_with - fill @s through @rd. Fixed-range MSRs are read only when
 * MTRRCAP.FIX is set (they are zero otherwise).
 */
void mtrr_read_with(struct mtrr_state *s, mtrr_rdmsr_fn rd, void *ctx);

#ifndef MAMORI_HOST_TEST
/*
 * mtrr_read - snapshot this CPU's MTRRs with RDMSR (VMM only). A CPU without
 * MTRRs (CPUID.01H:EDX.MTRR = 0) reads as enabled with default type WB, which
 * leaves the memory type to the page-level (PAT) attributes, as the CPU does.
 */
void mtrr_read(struct mtrr_state *s);
#endif

/*
 * mtrr_type_at - the memory type the MTRRs give physical address @pa, following
 * SDM Vol. 3A §12.11.4.1 "MTRR Precedences": MTRRs disabled (E = 0) -> UC; below
 * 1 MiB with FE (and MTRRCAP.FIX) -> the fixed range; else the matching variable
 * ranges: one type if all agree, UC if any is UC, WT for WT+WB, and UC for any
 * other (architecturally undefined) overlap; no match -> the default type.
 * Reserved type encodings read as UC.
 */
u8 mtrr_type_at(const struct mtrr_state *s, u64 pa);

/*
 * mtrr_range_uniform - whether every byte of [@base, @base + @size) has the same
 * MTRR type; if so, store it in *@type (when @type is non-NULL).
 * @base and @size must be 4 KiB aligned and @size non-zero (else false).
 * Works on range boundaries, not page by page: cost grows with the number of
 * variable ranges and alignment boundaries, not with @size.
 */
bool mtrr_range_uniform(const struct mtrr_state *s, u64 base, u64 size, u8 *type);

/* mtrr_type_name - "UC", "WC", "WT", "WP", "WB" or "??" for logs. */
const char *mtrr_type_name(u8 type);

#endif
