// SPDX-License-Identifier: GPL-2.0-only
/* Host page-table builder: see <asm/host_pt.h>. */
#include <asm/host_pt.h>

#define HPTE_ADDR	0x000ffffffffff000ULL
#define HPTE_LEAF	(HPT_P | HPT_W | HPT_NX)
#define HPT_TABLE	(HPT_P | HPT_W)
#define HPT_LEVELS	4
#define HPT_ENTRIES	512

static u32 hpt_shift(u32 level)
{
	return 12 + 9 * (level - 1);
}

static u64 hpt_span(u32 level)
{
	return 1ULL << hpt_shift(level);
}

static u64 *hpt_entry(u64 *table, u64 va, u32 level)
{
	return &table[(va >> hpt_shift(level)) & (HPT_ENTRIES - 1)];
}

static bool hpt_is_leaf(u64 e, u32 level)
{
	return level == 1 || (e & HPT_PS);
}

static u64 hpt_leaf(u64 pa, u32 level, u64 flags)
{
	return pa | HPT_P | flags | (level > 1 ? HPT_PS : 0);
}

static void hpt_set(u64 *e, u64 val)
{
	*(volatile u64 *)e = val;
}

static u64 *hpt_table(const struct host_pt *pt, u64 e)
{
	return pt->mm->phys_to_virt(pt->mm->ctx, e & HPTE_ADDR);
}

static u64 *hpt_alloc(struct host_pt *pt, u64 *pa)
{
	u64 *t = pt->mm->alloc_page(pt->mm->ctx);

	if (!t)
		return NULL;
	*pa = pt->mm->virt_to_phys(pt->mm->ctx, t);
	pt->table_pages++;
	return t;
}

/* Replace *@e (a leaf at @level, or not present) by a table of the same mapping. */
static int hpt_split(struct host_pt *pt, u64 *e, u32 level)
{
	u64 old = *e, base = old & HPTE_ADDR & ~(hpt_span(level) - 1), pa, i;
	u64 *t = hpt_alloc(pt, &pa);

	if (!t)
		return -ENOMEM;
	for (i = 0; (old & HPT_P) && i < HPT_ENTRIES; i++)
		t[i] = hpt_leaf(base + i * hpt_span(level - 1), level - 1, old & (HPT_W | HPT_NX));
	hpt_set(e, pa | HPT_TABLE);
	return 0;
}

/* Entry for @va at @level, creating or splitting what lies above it. */
static u64 *hpt_walk_alloc(struct host_pt *pt, u64 va, u32 level)
{
	u64 *table = pt->pml4;
	u32 l;

	for (l = HPT_LEVELS; l > level; l--) {
		u64 *e = hpt_entry(table, va, l);

		if ((!(*e & HPT_P) || hpt_is_leaf(*e, l)) && hpt_split(pt, e, l))
			return NULL;
		table = hpt_table(pt, *e);
	}
	return hpt_entry(table, va, level);
}

static bool hpt_range_ok(u64 pa, u64 size)
{
	return size && !((pa | size) & (PAGE_SIZE - 1)) && pa < HPT_MAX_VA &&
	       size <= HPT_MAX_VA - pa;
}

/* Largest leaf level for the next piece at @pa with @size left. */
static u32 hpt_pick_level(const struct host_pt *pt, u64 pa, u64 size)
{
	u32 l = pt->gb_pages ? 3 : 2;

	for (; l > 1; l--)
		if (!(pa & (hpt_span(l) - 1)) && size >= hpt_span(l))
			return l;
	return 1;
}

/* Set [@pa, @pa + @size) to @val's leaves (@present) or to not present. */
static int hpt_set_range(struct host_pt *pt, u64 pa, u64 size, u64 flags, bool present)
{
	if (!hpt_range_ok(pa, size))
		return -EINVAL;
	while (size) {
		u32 level = hpt_pick_level(pt, pa, size);
		u64 *e;

		for (;;) {
			e = hpt_walk_alloc(pt, pa, level);
			if (!e)
				return -ENOMEM;
			if (!(*e & HPT_P) || hpt_is_leaf(*e, level))
				break;
			level--;	/* keep an existing table: never free one */
		}
		hpt_set(e, present ? hpt_leaf(pa, level, flags) : 0);
		pa += hpt_span(level);
		size -= hpt_span(level);
	}
	return 0;
}

int host_pt_init(struct host_pt *pt, const struct ept_mm *mm, bool gb_pages)
{
	pt->mm = mm;
	pt->table_pages = 0;
	pt->gb_pages = gb_pages;
	pt->pml4 = hpt_alloc(pt, &pt->pml4_pa);
	return pt->pml4 ? 0 : -ENOMEM;
}

int host_pt_map(struct host_pt *pt, u64 pa, u64 size, u64 flags)
{
	if (flags & ~(HPT_W | HPT_NX))
		return -EINVAL;
	return hpt_set_range(pt, pa, size, flags, true);
}

int host_pt_unmap(struct host_pt *pt, u64 pa, u64 size)
{
	return hpt_set_range(pt, pa, size, 0, false);
}

int host_pt_lookup(const struct host_pt *pt, u64 va, u64 *flags, u32 *level)
{
	u64 *table = pt->pml4, *e;
	u32 l;

	if (va >= HPT_MAX_VA)
		return -ENOENT;
	for (l = HPT_LEVELS; ; l--) {
		e = hpt_entry(table, va, l);
		if (!(*e & HPT_P))
			return -ENOENT;
		if (hpt_is_leaf(*e, l))
			break;
		table = hpt_table(pt, *e);
	}
	if (flags)
		*flags = *e & (HPT_W | HPT_NX);
	if (level)
		*level = l;
	return 0;
}
