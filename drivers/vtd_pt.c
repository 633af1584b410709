// SPDX-License-Identifier: GPL-2.0-only
/* VT-d second-level tables and root/context entries: see <drivers/vtd.h>. */
#include <drivers/vtd.h>

#define PT_ENTRIES	512

enum pt_cover { PT_MAPPED, PT_EMPTY, PT_MIXED };

static u32 pt_shift(u32 level)
{
	return 12 + 9 * (level - 1);
}

int vtd_pt_init(struct vtd_pt *pt, const struct vtd_mm *mm, u32 levels, u32 page_sizes,
		u64 top)
{
	*pt = (struct vtd_pt){ .mm = mm, .levels = levels, .page_sizes = page_sizes,
			       .top = top };
	if ((levels != 3 && levels != 4) || (top & (PAGE_SIZE - 1)) ||
	    top > 1ULL << pt_shift(levels + 1) || (page_sizes & ~(VTD_PT_2M | VTD_PT_1G)))
		return -EINVAL;
	return 0;
}

int vtd_pt_add_hole(struct vtd_pt *pt, u64 base, u64 size)
{
	u64 end = base + size;

	if (!size || end < base || end > ALIGN_DOWN(~0ULL, PAGE_SIZE))
		return -EINVAL;
	if (pt->hole_count == VTD_PT_MAX_HOLES)
		return -E2BIG;
	pt->holes[pt->hole_count++] = (struct vtd_range){ ALIGN_DOWN(base, PAGE_SIZE),
							  ALIGN_UP(end, PAGE_SIZE) };
	return 0;
}

int vtd_range_insert(struct vtd_range *r, u32 *count, u32 max, u64 b, u64 e)
{
	u32 i, j, k;

	/* ranges [i, j) touch [b, e): merge them into one at i */
	for (i = 0; i < *count && r[i].end < b; i++)
		;
	for (j = i; j < *count && r[j].base <= e; j++) {
		b = MIN(b, r[j].base);
		e = MAX(e, r[j].end);
	}
	if (i == j) {
		if (*count == max)
			return -E2BIG;
		for (k = *count; k > i; k--)
			r[k] = r[k - 1];
		(*count)++;
	} else {
		for (k = 0; j + k < *count; k++)
			r[i + 1 + k] = r[j + k];
		*count -= j - i - 1;
	}
	r[i] = (struct vtd_range){ b, e };
	return 0;
}

int vtd_pt_add_range(struct vtd_pt *pt, u64 base, u64 size)
{
	u64 b = ALIGN_UP(base, PAGE_SIZE), e = base + size;

	if (!size || e < base || b < base)
		return -EINVAL;
	e = ALIGN_DOWN(e, PAGE_SIZE);
	if (e <= b)
		return 0;
	return vtd_range_insert(pt->ranges, &pt->range_count, VTD_PT_MAX_RANGES, b, e);
}

int vtd_pt_add_window(struct vtd_pt *pt, u64 base, u64 size)
{
	u64 e = base + size;

	if (!size || e < base || (base | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	return vtd_range_insert(pt->windows, &pt->window_count, VTD_PT_MAX_WINDOWS, base, e);
}

/* Whether [@b, @e) is all mapped, all unmapped, or both, by the ranges less the holes. */
static enum pt_cover pt_cover_ram(const struct vtd_pt *pt, u64 b, u64 e)
{
	bool mixed = e > pt->top, inside = false, touched = false;
	u32 i;

	for (i = 0; i < pt->range_count; i++) {
		const struct vtd_range *r = &pt->ranges[i];

		inside |= r->base <= b && r->end >= e;
		touched |= r->base < e && r->end > b;
	}
	if (!touched)
		return PT_EMPTY;
	mixed |= !inside;
	for (i = 0; i < pt->hole_count; i++) {
		const struct vtd_range *h = &pt->holes[i];

		if (h->base <= b && h->end >= e)
			return PT_EMPTY;
		if (h->base < e && h->end > b)
			mixed = true;
	}
	return mixed ? PT_MIXED : PT_MAPPED;
}

/* The same with the windows, which holes do not take out. */
static enum pt_cover pt_cover(const struct vtd_pt *pt, u64 b, u64 e)
{
	enum pt_cover c;
	bool touched = false;
	u32 i;

	if (b >= pt->top)
		return PT_EMPTY;
	c = pt_cover_ram(pt, b, e);
	for (i = 0; i < pt->window_count; i++) {
		const struct vtd_range *w = &pt->windows[i];

		if (w->base <= b && w->end >= e && e <= pt->top)
			return PT_MAPPED;
		touched |= w->base < e && w->end > b;
	}
	return touched && c == PT_EMPTY ? PT_MIXED : c;	/* MAPPED stays: windows add */
}

static bool pt_leaf_ok(const struct vtd_pt *pt, u32 level)
{
	return level == 1 || (level == 2 && (pt->page_sizes & VTD_PT_2M)) ||
	       (level == 3 && (pt->page_sizes & VTD_PT_1G));
}

/* Fill @table (at @level, covering from @base); child tables as needed. */
static int pt_fill(struct vtd_pt *pt, u64 *table, u32 level, u64 base)
{
	u64 span = 1ULL << pt_shift(level);
	u32 i;

	for (i = 0; i < PT_ENTRIES; i++) {
		u64 b = base + i * span, *child;
		enum pt_cover c = pt_cover(pt, b, b + span);
		int err;

		if (c == PT_EMPTY)
			continue;
		if (c == PT_MAPPED && pt_leaf_ok(pt, level)) {
			table[i] = b | VTD_SL_R | VTD_SL_W | (level > 1 ? VTD_SL_SP : 0) |
				   (pt->snoop ? VTD_SL_SNP : 0);
			continue;
		}
		/* Level 1 never gets here: ranges, holes and top are page aligned. */
		child = pt->mm->alloc_page(pt->mm->ctx);
		if (!child)
			return -ENOMEM;
		pt->table_pages++;
		err = pt_fill(pt, child, level - 1, b);
		if (err)
			return err;
		table[i] = pt->mm->virt_to_phys(pt->mm->ctx, child) | VTD_SL_R | VTD_SL_W;
	}
	if (pt->mm->flush)
		pt->mm->flush(pt->mm->ctx, table, PAGE_SIZE);
	return 0;
}

int vtd_pt_build(struct vtd_pt *pt)
{
	pt->root = pt->mm->alloc_page(pt->mm->ctx);
	if (!pt->root)
		return -ENOMEM;
	pt->table_pages = 1;
	pt->root_pa = pt->mm->virt_to_phys(pt->mm->ctx, pt->root);
	return pt_fill(pt, pt->root, pt->levels, 0);
}

int vtd_pt_lookup(const struct vtd_pt *pt, void *(*phys_to_virt)(void *ctx, u64 pa),
		  u64 iova, u64 *pa, u32 *perms, u32 *level)
{
	const u64 *table = pt->root;
	u32 l;

	if (iova >> pt_shift(pt->levels + 1))
		return -ENOENT;
	for (l = pt->levels; ; l--) {
		u64 e = table[(iova >> pt_shift(l)) & (PT_ENTRIES - 1)];
		u64 mask = (1ULL << pt_shift(l)) - 1;

		if (!(e & (VTD_SL_R | VTD_SL_W)))
			return -ENOENT;
		if (l == 1 || (e & VTD_SL_SP)) {
			if (pa)
				*pa = (e & VTD_SL_ADDR & ~mask) | (iova & mask);
			if (perms)
				*perms = e & (VTD_SL_R | VTD_SL_W | VTD_SL_SNP);
			if (level)
				*level = l;
			return 0;
		}
		table = phys_to_virt(pt->mm->ctx, e & VTD_SL_ADDR);
	}
}

struct vtd_entry vtd_root_entry(u64 ctx_pa)
{
	return (struct vtd_entry){ .lo = (ctx_pa & VTD_SL_ADDR) | VTD_RE_P, .hi = 0 };
}

struct vtd_entry vtd_context_entry(u64 slpt_pa, u32 levels, u16 did)
{
	u64 aw = levels == 4 ? VTD_CE_AW_48 : VTD_CE_AW_39;

	return (struct vtd_entry){
		.lo = (slpt_pa & VTD_SL_ADDR) | (0ULL << VTD_CE_TT_SHIFT) | VTD_CE_P,
		.hi = aw | (u64)did << VTD_CE_DID_SHIFT,
	};
}
