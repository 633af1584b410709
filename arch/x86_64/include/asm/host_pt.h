/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VMM's own (VMX root) page tables: an identity map built 4-level, pure C
 * like the EPT builder so the host unit tests run it. Leaves carry the
 * permissions (write, no-execute); tables are P|W. A mapping over a large
 * leaf splits it; tables are never freed. Callers invalidate (INVLPG/CR3).
 */
#ifndef ASM_HOST_PT_H
#define ASM_HOST_PT_H

#include <asm/ept.h>		/* struct ept_mm: the same page-table memory */

#define HPT_P		BIT(0)
#define HPT_W		BIT(1)
#define HPT_PS		BIT(7)
#define HPT_NX		(1ULL << 63)
#define HPT_MAX_VA	(1ULL << 48)	/* lower canonical half, 4-level */

/*
 * struct host_pt - one set of host page tables.
 * @gb_pages: 1 GiB leaves allowed (CPUID 0x80000001 EDX.26).
 */
struct host_pt {
	u64 *pml4;
	u64 pml4_pa;
	const struct ept_mm *mm;
	u32 table_pages;
	bool gb_pages;
};

/* host_pt_init - an empty PML4. Returns 0 or -ENOMEM. */
int host_pt_init(struct host_pt *pt, const struct ept_mm *mm, bool gb_pages);

/*
 * host_pt_map - identity-map [@pa, @pa + @size) (page aligned, below
 * HPT_MAX_VA) present with @flags (HPT_W, HPT_NX), in the largest leaves that
 * fit, splitting larger leaves on the edges. Returns 0, -EINVAL or -ENOMEM.
 */
int host_pt_map(struct host_pt *pt, u64 pa, u64 size, u64 flags);

/* host_pt_unmap - make [@pa, @pa + @size) not present (guard pages). Same returns. */
int host_pt_unmap(struct host_pt *pt, u64 pa, u64 size);

/*
 * host_pt_lookup - the leaf deciding @va: *@flags its HPT_W/HPT_NX, *@level
 * 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB). Returns 0 or -ENOENT when not present.
 */
int host_pt_lookup(const struct host_pt *pt, u64 va, u64 *flags, u32 *level);

#endif
