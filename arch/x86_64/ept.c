// SPDX-License-Identifier: GPL-2.0-only
/* EPT builder: see <asm/ept.h>. */
#include <asm/ept.h>
#include <mamori/log.h>

#define EPTE_PERMS		0x7ULL
#define EPTE_MT_SHIFT		3
#define EPTE_MT_MASK		(0x7ULL << EPTE_MT_SHIFT)
#define EPTE_IPAT		BIT(6)
#define EPTE_LARGE		BIT(7)
#define EPTE_LEAF_ATTRS		(EPTE_PERMS | EPTE_MT_MASK | EPTE_IPAT)
#define EPTE_ADDR		0x000ffffffffff000ULL
#define EPT_ENTRIES		512
#define EPT_MAX_HPA		(1ULL << 52)

static u32 ept_shift(u32 level)
{
	return 12 + 9 * (level - 1);
}

static u64 ept_span(u32 level)
{
	return 1ULL << ept_shift(level);
}

static u32 ept_index(u64 gpa, u32 level)
{
	return (gpa >> ept_shift(level)) & (EPT_ENTRIES - 1);
}

static bool ept_present(u64 e)
{
	return e & EPTE_PERMS;
}

static bool ept_is_leaf(u64 e, u32 level)
{
	return level == EPT_LEVEL_4K || (e & EPTE_LARGE);
}

static bool ept_is_table(u64 e, u32 level)
{
	return ept_present(e) && !ept_is_leaf(e, level);
}

static void ept_set(u64 *e, u64 val)
{
	*(volatile u64 *)e = val;
}

static u64 *ept_table(const struct ept *ept, u64 e)
{
	return ept->mm->phys_to_virt(ept->mm->ctx, e & EPTE_ADDR);
}

static u64 ept_leaf(u64 hpa, u32 level, u64 attrs)
{
	return hpa | attrs | (level > EPT_LEVEL_4K ? EPTE_LARGE : 0);
}

static u64 *ept_alloc_table(struct ept *ept, u64 *pa)
{
	u64 *t = ept->mm->alloc_page(ept->mm->ctx);

	if (!t)
		return NULL;
	*pa = ept->mm->virt_to_phys(ept->mm->ctx, t);
	ept->table_pages++;
	return t;
}

/* Replace the large leaf *@e at @level by a table holding the same mapping. */
static int ept_split(struct ept *ept, u64 *e, u32 level)
{
	u64 old = *e, base = old & EPTE_ADDR, attrs = old & EPTE_LEAF_ATTRS;
	u64 pa, step = ept_span(level - 1);
	u64 *t = ept_alloc_table(ept, &pa);
	u32 i;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < EPT_ENTRIES; i++)
		t[i] = ept_leaf(base + i * step, level - 1, attrs);
	ept_set(e, pa | EPTE_PERMS);
	return 0;
}

/* Make the empty entry *@e point to a new, empty table. */
static int ept_link_table(struct ept *ept, u64 *e)
{
	u64 pa;

	if (!ept_alloc_table(ept, &pa))
		return -ENOMEM;
	ept_set(e, pa | EPTE_PERMS);
	return 0;
}

/* Entry for @gpa at @level, creating tables and splitting leaves above it. */
static u64 *ept_walk_alloc(struct ept *ept, u64 gpa, u32 level)
{
	u64 *table = ept->pml4;
	u32 l;

	for (l = EPT_LEVELS; l > level; l--) {
		u64 *e = &table[ept_index(gpa, l)];
		int err = 0;

		if (!ept_present(*e))
			err = ept_link_table(ept, e);
		else if (ept_is_leaf(*e, l))
			err = ept_split(ept, e, l);
		if (err)
			return NULL;
		table = ept_table(ept, *e);
	}
	return &table[ept_index(gpa, level)];
}

/* The leaf or not-present entry that decides @gpa; its level in *@level. */
static u64 *ept_walk(const struct ept *ept, u64 gpa, u32 *level)
{
	u64 *table = ept->pml4;
	u32 l;

	for (l = EPT_LEVELS; ; l--) {
		u64 *e = &table[ept_index(gpa, l)];

		if (!ept_present(*e) || ept_is_leaf(*e, l)) {
			*level = l;
			return e;
		}
		table = ept_table(ept, *e);
	}
}

static bool ept_type_ok(u8 type)
{
	return type == EPT_MT_UC || type == EPT_MT_WC || type == EPT_MT_WT ||
	       type == EPT_MT_WP || type == EPT_MT_WB;
}

static bool ept_perms_ok(const struct ept *ept, u32 perms)
{
	if (!perms || (perms & ~EPT_RWX))
		return false;
	if ((perms & EPT_W) && !(perms & EPT_R))
		return false;
	return perms != EPT_X || ept->exec_only;
}

static bool ept_range_ok(u64 gpa, u64 size)
{
	u64 limit = 1ULL << EPT_MAX_GPA_BITS;

	return size && !((gpa | size) & (PAGE_SIZE - 1)) && gpa < limit &&
	       size <= limit - gpa;
}

/* Largest leaf level allowed for the next piece of a mapping. */
static u32 ept_pick_level(const struct ept *ept, u64 gpa, u64 hpa, u64 size,
			  u32 flags)
{
	u32 ok = flags & ept->page_sizes;
	u64 both = gpa | hpa;

	if ((ok & EPT_PAGE_1G) && !(both & (EPT_SIZE_1G - 1)) && size >= EPT_SIZE_1G)
		return EPT_LEVEL_1G;
	if ((ok & EPT_PAGE_2M) && !(both & (EPT_SIZE_2M - 1)) && size >= EPT_SIZE_2M)
		return EPT_LEVEL_2M;
	return EPT_LEVEL_4K;
}

int ept_init(struct ept *ept, const struct ept_mm *mm)
{
	ept->mm = mm;
	ept->table_pages = 0;
	ept->page_sizes = EPT_PAGE_2M | EPT_PAGE_1G;
	ept->eptp_type = EPT_MT_WB;
	ept->ad = false;
	ept->exec_only = false;
	ept->pml4 = ept_alloc_table(ept, &ept->pml4_pa);
	return ept->pml4 ? 0 : -ENOMEM;
}

int ept_set_caps(struct ept *ept, u64 cap)
{
	if (!(cap & EPT_CAP_WALK4) || !(cap & (EPT_CAP_WB | EPT_CAP_UC)))
		return -ENOSYS;
	ept->eptp_type = (cap & EPT_CAP_WB) ? EPT_MT_WB : EPT_MT_UC;
	ept->page_sizes = ((cap & EPT_CAP_2M) ? EPT_PAGE_2M : 0) |
			  ((cap & EPT_CAP_1G) ? EPT_PAGE_1G : 0);
	ept->exec_only = cap & EPT_CAP_EXEC_ONLY;
	if (!(cap & EPT_CAP_AD))
		ept->ad = false;
	return 0;
}

u64 ept_eptp(const struct ept *ept)
{
	return ept->pml4_pa | EPTP_WALK4 | ept->eptp_type | (ept->ad ? EPTP_AD : 0);
}

int ept_map_range(struct ept *ept, u64 gpa, u64 hpa, u64 size, u32 perms,
		  u8 mem_type, u32 flags)
{
	u64 attrs = perms | ((u64)mem_type << EPTE_MT_SHIFT) |
		    ((flags & EPT_IGNORE_PAT) ? EPTE_IPAT : 0);

	if (!ept_range_ok(gpa, size) || (hpa & (PAGE_SIZE - 1)) ||
	    hpa >= EPT_MAX_HPA || size > EPT_MAX_HPA - hpa ||
	    !ept_perms_ok(ept, perms) || !ept_type_ok(mem_type) ||
	    (flags & ~(EPT_ALLOW_LARGE | EPT_IGNORE_PAT)))
		return -EINVAL;
	while (size) {
		u32 level = ept_pick_level(ept, gpa, hpa, size, flags);
		u64 *e;

		for (;;) {
			e = ept_walk_alloc(ept, gpa, level);
			if (!e)
				return -ENOMEM;
			if (!ept_is_table(*e, level))
				break;
			level--;	/* keep an existing table: never free one */
		}
		ept_set(e, ept_leaf(hpa, level, attrs));
		gpa += ept_span(level);
		hpa += ept_span(level);
		size -= ept_span(level);
	}
	return 0;
}

int ept_map_page(struct ept *ept, u64 gpa, u64 hpa, u32 perms, u8 mem_type)
{
	return ept_map_range(ept, gpa, hpa, PAGE_SIZE, perms, mem_type, 0);
}

int ept_map_sink(struct ept *ept, u64 gpa, u64 qual, u64 data_hpa, u64 code_hpa)
{
	u64 page = gpa & ~(PAGE_SIZE - 1);

	if (qual & EPT_VIOL_FETCH)
		return ept_map_page(ept, page, code_hpa, EPT_R | EPT_X, EPT_MT_WB);
	return ept_map_page(ept, page, data_hpa, EPT_R | EPT_W, EPT_MT_WB);
}

int ept_unmap_range(struct ept *ept, u64 gpa, u64 size)
{
	if (!ept_range_ok(gpa, size))
		return -EINVAL;
	while (size) {
		u32 level;
		u64 *e = ept_walk(ept, gpa, &level);
		u64 span = ept_span(level), off = gpa & (span - 1), step;

		if (ept_present(*e) && (off || size < span)) {
			if (ept_split(ept, e, level))
				return -ENOMEM;
			continue;
		}
		ept_set(e, 0);
		step = MIN(span - off, size);
		gpa += step;
		size -= step;
	}
	return 0;
}

int ept_prealloc(struct ept *ept, u64 gpa, u64 size)
{
	u64 end = gpa + size;

	if (!ept_range_ok(gpa, size))
		return -EINVAL;
	for (gpa = ALIGN_DOWN(gpa, EPT_SIZE_2M); gpa < end; gpa += EPT_SIZE_2M)
		if (!ept_walk_alloc(ept, gpa, EPT_LEVEL_4K))
			return -ENOMEM;
	return 0;
}

int ept_lookup(const struct ept *ept, u64 gpa, u64 *hpa, u32 *perms, u8 *type,
	       u32 *level)
{
	u32 l;
	u64 *e = ept_walk(ept, gpa & ((1ULL << EPT_MAX_GPA_BITS) - 1), &l);
	u64 span = ept_span(l);

	if (gpa >> EPT_MAX_GPA_BITS || !ept_present(*e))
		return -ENOENT;
	if (hpa)
		*hpa = (*e & EPTE_ADDR & ~(span - 1)) | (gpa & (span - 1));
	if (perms)
		*perms = *e & EPTE_PERMS;
	if (type)
		*type = (*e & EPTE_MT_MASK) >> EPTE_MT_SHIFT;
	if (level)
		*level = l;
	return 0;
}

/*
 * Size of the largest aligned block at @pa (below @end) with one MTRR type;
 * 512 GiB steps keep a 64 TiB scan to ~130 uniformity checks.
 */
static u64 ept_mtrr_chunk(const struct mtrr_state *m, u64 pa, u64 end, u8 *type)
{
	static const u64 sizes[] = { 512 * EPT_SIZE_1G, EPT_SIZE_1G, EPT_SIZE_2M };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (!(pa & (sizes[i] - 1)) && end - pa >= sizes[i] &&
		    mtrr_range_uniform(m, pa, sizes[i], type))
			return sizes[i];
	*type = mtrr_type_at(m, pa);
	return PAGE_SIZE;
}

/* Identity-map [@pa, @end) RWX in runs of one MTRR type. */
static int ept_map_identity(struct ept *ept, const struct mtrr_state *m,
			    u64 pa, u64 end)
{
	while (pa < end) {
		u8 type, next;
		u64 run = ept_mtrr_chunk(m, pa, end, &type);
		int err;

		while (pa + run < end) {
			u64 n = ept_mtrr_chunk(m, pa + run, end, &next);

			if (next != type)
				break;
			run += n;
		}
		err = ept_map_range(ept, pa, pa, run, EPT_RWX, type, EPT_ALLOW_LARGE);
		if (err)
			return err;
		pa += run;
	}
	return 0;
}

/* End of the highest @map range (page aligned, <= 2^48). */
static u64 ept_map_top(const struct boot_mem_range *map, u32 count)
{
	u64 limit = 1ULL << EPT_MAX_GPA_BITS, top = 0;
	u32 i;

	for (i = 0; i < count; i++) {
		u64 b = map[i].base, n = map[i].pages;

		if (b >= limit || n > (limit - b) / PAGE_SIZE)
			return limit;	/* bogus or beyond 48 bits */
		top = MAX(top, b + n * PAGE_SIZE);
	}
	return ALIGN_UP(top, PAGE_SIZE);
}

u64 identity_map_limit(bool gb_pages, const struct boot_mem_range *map, u32 count,
		       u32 phys_bits)
{
	u64 top = 1ULL << MIN(phys_bits, (u32)EPT_MAX_GPA_BITS);
	u64 map_top = ept_map_top(map, count);
	u64 cap = ALIGN_UP(MAX(map_top, 1ULL << 32), EPT_SIZE_1G);

	top = MAX(top, map_top);
	return !gb_pages && top > cap ? cap : top;
}

static u64 ept_identity_top(const struct ept *ept, const struct boot_mem_range *map,
			    u32 count, u32 phys_bits)
{
	u64 full = identity_map_limit(true, map, count, phys_bits);
	u64 top = identity_map_limit(ept->page_sizes & EPT_PAGE_1G, map, count, phys_bits);

	if (full > 1ULL << MIN(phys_bits, (u32)EPT_MAX_GPA_BITS))
		pr_warn("ept: memory map reaches 0x%llx, beyond %u-bit physical space\n",
			(unsigned long long)full, phys_bits);
	if (top < full)
		pr_warn("ept: no 1 GiB EPT pages: mapping only [0, 0x%llx) of [0, 0x%llx)\n",
			(unsigned long long)top, (unsigned long long)full);
	return top;
}

/* Warn when the loader's map does not reserve the VMM region. */
static void ept_check_vmm_region(const struct boot_mem_range *map, u32 count,
				 u64 lo, u64 hi)
{
	u32 i;

	for (i = 0; i < count; i++) {
		u64 b = map[i].base, e = b + map[i].pages * PAGE_SIZE;

		if (b < hi && e > lo && map[i].type == BOOT_MEM_CONVENTIONAL)
			pr_warn("ept: VMM region [0x%llx, 0x%llx) overlaps free RAM [0x%llx, 0x%llx)\n",
				(unsigned long long)lo, (unsigned long long)hi,
				(unsigned long long)b, (unsigned long long)e);
	}
}

int ept_build_identity(struct ept *ept, const struct boot_mem_range *map,
		       u32 count, u32 phys_bits, u64 vmm_base, u64 vmm_size,
		       const struct mtrr_state *mtrr)
{
	u64 top, lo = ALIGN_DOWN(vmm_base, PAGE_SIZE);
	u64 hi = ALIGN_UP(vmm_base + vmm_size, PAGE_SIZE);
	int err;

	if (phys_bits < 32 || phys_bits > 52)
		return -EINVAL;
	if (phys_bits > EPT_MAX_GPA_BITS)
		pr_warn("ept: %u physical address bits, mapping only 48\n", phys_bits);
	top = ept_identity_top(ept, map, count, phys_bits);
	if (!vmm_size)
		lo = hi = 0;
	if (hi < lo || hi > top)
		return -EINVAL;	/* wraps, or the guest could not reach it anyway */
	ept_check_vmm_region(map, count, lo, hi);
	err = ept_map_identity(ept, mtrr, 0, lo);
	if (!err)
		err = ept_map_identity(ept, mtrr, hi, top);
	if (!err && hi > lo)
		err = ept_prealloc(ept, lo, hi - lo);
	if (err) {
		pr_err("ept: identity map failed (%d) after %u table pages\n",
		       err, ept->table_pages);
		return err;
	}
	pr_dbg("ept: identity map [0, 0x%llx) less VMM [0x%llx, 0x%llx): %u table pages (%u KiB)\n",
		(unsigned long long)top, (unsigned long long)lo,
		(unsigned long long)hi, ept->table_pages, ept->table_pages * 4);
	return 0;
}

static void ept_free_table(struct ept *ept, u64 *table, u32 level)
{
	u32 i;

	for (i = 0; level > EPT_LEVEL_4K && i < EPT_ENTRIES; i++)
		if (ept_is_table(table[i], level))
			ept_free_table(ept, ept_table(ept, table[i]), level - 1);
	ept->mm->free_page(ept->mm->ctx, table);
}

void ept_destroy(struct ept *ept)
{
	if (ept->pml4 && ept->mm->free_page)
		ept_free_table(ept, ept->pml4, EPT_LEVELS);
	ept->pml4 = NULL;
	ept->pml4_pa = 0;
	ept->table_pages = 0;
}
