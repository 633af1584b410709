// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/mm.h>
#include <mamori/string.h>
#include <asm/spinlock.h>

static u64 region_base, region_size, heap_next;
static spinlock_t mm_lock = SPINLOCK_INIT;

void mm_init(u64 base, u64 size, u64 used)
{
	region_base = base;
	region_size = size;
	heap_next = base + ALIGN_UP(used, PAGE_SIZE);
}

void *page_alloc(u32 n)
{
	u64 bytes = (u64)n * PAGE_SIZE, p = 0;

	spin_lock(&mm_lock);
	if (heap_next + bytes <= region_base + region_size) {
		p = heap_next;
		heap_next += bytes;
	}
	spin_unlock(&mm_lock);
	if (p)
		memset((void *)p, 0, bytes);
	return (void *)p;
}

void mm_region(u64 *base, u64 *size)
{
	*base = region_base;
	*size = region_size;
}

u64 mm_used_bytes(void)
{
	return heap_next - region_base;
}
