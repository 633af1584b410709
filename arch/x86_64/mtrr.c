// SPDX-License-Identifier: GPL-2.0-only
/*
 * MTRR snapshot and type lookup. Uniformity of a range is decided on naturally
 * aligned blocks: a variable range either covers a block wholly, misses it, or
 * covers part of it (its mask has bits below the block size); only blocks with
 * a partial range that could change the type are split in halves.
 */
#include <asm/mtrr.h>
#ifndef MAMORI_HOST_TEST
#include <asm/processor.h>
#endif

#define MTRR_ADDR_MASK		0x000ffffffffff000ULL	/* bits 51:12 */
#define MTRR_MIXED		0xff			/* block type: not uniform */
#define MTRR_FIX64K_END		0x80000ULL
#define MTRR_FIX16K_END		0xc0000ULL

enum mtrr_cover { MTRR_COVER_NONE, MTRR_COVER_ALL, MTRR_COVER_PART };

void mtrr_read_with(struct mtrr_state *s, mtrr_rdmsr_fn rd, void *ctx)
{
	u32 i, n;

	s->cap = rd(ctx, MSR_MTRRCAP);
	s->def_type = rd(ctx, MSR_MTRR_DEF_TYPE);
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		s->fixed[i] = 0;
	if (s->cap & MTRRCAP_FIX) {
		s->fixed[0] = rd(ctx, MSR_MTRR_FIX64K_00000);
		s->fixed[1] = rd(ctx, MSR_MTRR_FIX16K_80000);
		s->fixed[2] = rd(ctx, MSR_MTRR_FIX16K_A0000);
		for (i = 3; i < MTRR_FIXED_MSRS; i++)
			s->fixed[i] = rd(ctx, MSR_MTRR_FIX4K_C0000 + i - 3);
	}
	n = s->cap & MTRRCAP_VCNT_MASK;
	s->var_count = MIN(n, (u32)MTRR_VAR_MAX);
	for (i = 0; i < s->var_count; i++) {
		s->var[i].base = rd(ctx, MSR_MTRR_PHYSBASE(i));
		s->var[i].mask = rd(ctx, MSR_MTRR_PHYSMASK(i));
	}
}

#ifndef MAMORI_HOST_TEST
static u64 mtrr_rdmsr(void *ctx, u32 msr)
{
	return rdmsr(msr);
}

void mtrr_read(struct mtrr_state *s)
{
	struct cpuid_regs r;
	u32 i;

	cpuid_count(1, 0, &r);
	if (r.edx & BIT(12)) {
		mtrr_read_with(s, mtrr_rdmsr, NULL);
		return;
	}
	/* No MTRRs: page-level types alone decide, as with MTRR type WB. */
	s->cap = 0;
	s->def_type = MTRR_DEF_E | MTRR_TYPE_WB;
	s->var_count = 0;
	for (i = 0; i < MTRR_FIXED_MSRS; i++)
		s->fixed[i] = 0;
}
#endif

static u8 mtrr_sane(u64 raw)
{
	u8 t = raw & 0xff;

	switch (t) {
	case MTRR_TYPE_UC: case MTRR_TYPE_WC: case MTRR_TYPE_WT:
	case MTRR_TYPE_WP: case MTRR_TYPE_WB:
		return t;
	}
	return MTRR_TYPE_UC;
}

/* Type of two overlapping variable ranges (SDM precedences; undefined -> UC). */
static u8 mtrr_join(u8 a, u8 b)
{
	if (a == b)
		return a;
	if ((a == MTRR_TYPE_WT && b == MTRR_TYPE_WB) ||
	    (a == MTRR_TYPE_WB && b == MTRR_TYPE_WT))
		return MTRR_TYPE_WT;
	return MTRR_TYPE_UC;
}

static bool mtrr_enabled(const struct mtrr_state *s)
{
	return s->def_type & MTRR_DEF_E;
}

static bool mtrr_fixed_on(const struct mtrr_state *s)
{
	return (s->def_type & MTRR_DEF_FE) && (s->cap & MTRRCAP_FIX);
}

static u8 mtrr_default(const struct mtrr_state *s)
{
	return mtrr_sane(s->def_type & MTRR_DEF_TYPE_MASK);
}

static bool mtrr_var_valid(const struct mtrr_var *v)
{
	return v->mask & MTRR_PHYSMASK_VALID;
}

/* Size of the fixed sub-range holding @pa (< 1 MiB). */
static u64 mtrr_fixed_gran(u64 pa)
{
	if (pa < MTRR_FIX64K_END)
		return 0x10000;
	if (pa < MTRR_FIX16K_END)
		return 0x4000;
	return 0x1000;
}

static u8 mtrr_fixed_type(const struct mtrr_state *s, u64 pa)
{
	u32 msr, byte;

	if (pa < MTRR_FIX64K_END) {
		msr = 0;
		byte = pa >> 16;
	} else if (pa < MTRR_FIX16K_END) {
		msr = 1 + ((pa - MTRR_FIX64K_END) >> 17);
		byte = ((pa - MTRR_FIX64K_END) >> 14) & 7;
	} else {
		msr = 3 + ((pa - MTRR_FIX16K_END) >> 15);
		byte = ((pa - MTRR_FIX16K_END) >> 12) & 7;
	}
	return mtrr_sane(s->fixed[msr] >> (8 * byte));
}

u8 mtrr_type_at(const struct mtrr_state *s, u64 pa)
{
	bool hit = false;
	u8 type = 0;
	u32 i;

	if (!mtrr_enabled(s))
		return MTRR_TYPE_UC;
	if (pa < MTRR_FIXED_END && mtrr_fixed_on(s))
		return mtrr_fixed_type(s, pa);
	for (i = 0; i < s->var_count; i++) {
		const struct mtrr_var *v = &s->var[i];
		u64 mask = v->mask & MTRR_ADDR_MASK;
		u8 t;

		if (!mtrr_var_valid(v) || (pa & mask) != (v->base & mask))
			continue;
		t = mtrr_sane(v->base);
		type = hit ? mtrr_join(type, t) : t;
		hit = true;
	}
	return hit ? type : mtrr_default(s);
}

/* How variable range @v meets the block [@b, @b + 2^@order). */
static enum mtrr_cover mtrr_var_cover(const struct mtrr_var *v, u64 b, u32 order)
{
	u64 mask = v->mask & MTRR_ADDR_MASK;
	u64 lo = order >= 63 ? mask : mask & (BIT(order) - 1);
	u64 hi = mask & ~lo;

	if ((b & hi) != (v->base & hi))
		return MTRR_COVER_NONE;
	return lo ? MTRR_COVER_PART : MTRR_COVER_ALL;
}

static u8 mtrr_var_block(const struct mtrr_state *s, u64 b, u32 order);

/* Type of a block from the types of its halves. */
static u8 mtrr_var_split(const struct mtrr_state *s, u64 b, u32 order)
{
	u8 t1 = mtrr_var_block(s, b, order - 1);

	if (t1 == MTRR_MIXED)
		return t1;
	return mtrr_var_block(s, b + BIT(order - 1), order - 1) == t1 ? t1 : MTRR_MIXED;
}

/*
 * Variable-range type of an aligned block, or MTRR_MIXED. Joining is monotone
 * (UC > WT > WB, UC > WC, UC > WP), so partial ranges cannot change the type
 * when they are already absorbed by the whole-block ones.
 */
static u8 mtrr_var_block(const struct mtrr_state *s, u64 b, u32 order)
{
	bool have_all = false, have_part = false, parts_same = true;
	u8 all = 0, part = 0;
	u32 i;

	for (i = 0; i < s->var_count; i++) {
		const struct mtrr_var *v = &s->var[i];
		enum mtrr_cover c;
		u8 t;

		if (!mtrr_var_valid(v))
			continue;
		c = mtrr_var_cover(v, b, order);
		t = mtrr_sane(v->base);
		if (c == MTRR_COVER_ALL) {
			all = have_all ? mtrr_join(all, t) : t;
			have_all = true;
		} else if (c == MTRR_COVER_PART) {
			parts_same &= !have_part || t == part;
			part = have_part ? mtrr_join(part, t) : t;
			have_part = true;
		}
	}
	if (!have_part)
		return have_all ? all : mtrr_default(s);
	if (have_all && mtrr_join(all, part) == all)
		return all;
	if (!have_all && parts_same && part == mtrr_default(s))
		return part;
	return mtrr_var_split(s, b, order);
}

static u8 mtrr_fixed_block(const struct mtrr_state *s, u64 b, u64 end)
{
	u8 type = mtrr_fixed_type(s, b);

	for (; b < end; b = ALIGN_DOWN(b, mtrr_fixed_gran(b)) + mtrr_fixed_gran(b))
		if (mtrr_fixed_type(s, b) != type)
			return MTRR_MIXED;
	return type;
}

/* Type of the aligned block [@b, @b + 2^@order), or MTRR_MIXED. */
static u8 mtrr_block_type(const struct mtrr_state *s, u64 b, u32 order)
{
	u8 t1;

	if (!mtrr_enabled(s))
		return MTRR_TYPE_UC;
	if (b >= MTRR_FIXED_END || !mtrr_fixed_on(s))
		return mtrr_var_block(s, b, order);
	if (b + BIT(order) <= MTRR_FIXED_END)
		return mtrr_fixed_block(s, b, b + BIT(order));
	t1 = mtrr_block_type(s, b, order - 1);
	if (t1 == MTRR_MIXED)
		return t1;
	return mtrr_block_type(s, b + BIT(order - 1), order - 1) == t1 ? t1 : MTRR_MIXED;
}

/* Order of the largest aligned block at @base that fits in @size. */
static u32 mtrr_block_order(u64 base, u64 size)
{
	u32 align = base ? __builtin_ctzll(base) : 63;
	u32 fit = 63 - __builtin_clzll(size);

	return MIN(align, fit);
}

bool mtrr_range_uniform(const struct mtrr_state *s, u64 base, u64 size, u8 *type)
{
	u8 first = MTRR_MIXED;

	if (!size || (base | size) & (PAGE_SIZE - 1) || base + size < base)
		return false;
	while (size) {
		u32 order = mtrr_block_order(base, size);
		u8 t = mtrr_block_type(s, base, order);

		if (t == MTRR_MIXED || (first != MTRR_MIXED && t != first))
			return false;
		first = t;
		base += BIT(order);
		size -= BIT(order);
	}
	if (type)
		*type = first;
	return true;
}

const char *mtrr_type_name(u8 type)
{
	switch (type) {
	case MTRR_TYPE_UC: return "UC";
	case MTRR_TYPE_WC: return "WC";
	case MTRR_TYPE_WT: return "WT";
	case MTRR_TYPE_WP: return "WP";
	case MTRR_TYPE_WB: return "WB";
	}
	return "??";
}
