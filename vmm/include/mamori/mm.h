/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMM memory: the reserved region the loader allocated (image first, then a
 * page heap). Identity-mapped: a VMM pointer is its physical address.
 */
#ifndef MAMORI_MM_H
#define MAMORI_MM_H

#include <mamori/types.h>

/* mm_init - hand the region [@base, @base+@size) minus the first @used bytes to the heap. */
void mm_init(u64 base, u64 size, u64 used);
/* page_alloc - @n zeroed, contiguous 4 KiB pages, or NULL when the region is full. */
void *page_alloc(u32 n);
/* mm_region - the whole VMM region (for hiding it from guests). */
void mm_region(u64 *base, u64 *size);
/* mm_used_bytes - bytes of the region in use (image + allocations). */
u64 mm_used_bytes(void);

static inline u64 virt_to_phys(const void *p)
{
	return (u64)p;
}

static inline void *phys_to_virt(u64 pa)
{
	return (void *)pa;
}

#endif
