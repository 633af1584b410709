// SPDX-License-Identifier: GPL-2.0-only
/*
 * mbedTLS platform glue: the crypto heap and mbedtls_platform_zeroize().
 * The heap is an implicit list of blocks, each with a 16-byte header holding
 * its size and its predecessor's size, so free() merges both neighbours.
 * Free payloads are always zero.
 */
#include <asm/spinlock.h>
#include <crypto/glue.h>
#include <mamori/log.h>
#include <mamori/string.h>
#include "mbedtls/platform_util.h"

#define HDR		sizeof(struct blk)
#define MIN_BLOCK	(2 * HDR)

struct blk {
	u32 size;	/* bytes, header included; multiple of 16 */
	u32 prev_size;	/* size of the block before, 0 for the first */
	u32 used;
	u32 pad;
};

static u8 arena[CRYPTO_HEAP_SIZE] __aligned(16);
static struct crypto_heap_stats stats;
static bool heap_ready;
static spinlock_t heap_lock = SPINLOCK_INIT;

static struct blk *next_blk(struct blk *b)
{
	u8 *n = (u8 *)b + b->size;

	return n < arena + sizeof(arena) ? (struct blk *)n : NULL;
}

static void heap_init(void)
{
	struct blk *b = (struct blk *)arena;

	b->size = sizeof(arena);
	heap_ready = true;
}

static void *heap_alloc(size_t bytes)
{
	size_t need = ALIGN_UP(bytes, 16) + HDR;
	struct blk *b, *rest, *n;

	for (b = (struct blk *)arena; b; b = next_blk(b)) {
		if (b->used || b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {
			rest = (struct blk *)((u8 *)b + need);
			rest->size = b->size - need;
			rest->prev_size = need;
			n = next_blk(rest);
			if (n)
				n->prev_size = rest->size;
			b->size = need;
		}
		b->used = 1;
		stats.in_use += b->size;
		stats.peak = MAX(stats.peak, stats.in_use);
		stats.allocs++;
		return b + 1;
	}
	return NULL;
}

/* Merge @b with the free block after it; the absorbed header is zeroed. */
static void merge_next(struct blk *b)
{
	struct blk *n = next_blk(b), *nn;

	if (!n || n->used)
		return;
	b->size += n->size;
	memset(n, 0, HDR);
	nn = next_blk(b);
	if (nn)
		nn->prev_size = b->size;
}

/* The live block whose payload is @p, or NULL: never trust a header unseen. */
static struct blk *heap_find(void *p)
{
	struct blk *b;

	for (b = (struct blk *)arena; b; b = next_blk(b))
		if ((void *)(b + 1) == p)
			return b->used ? b : NULL;
	return NULL;
}

void *crypto_glue_calloc(size_t n, size_t size)
{
	size_t bytes;
	bool fits = !__builtin_mul_overflow(n, size, &bytes) &&
		    bytes <= sizeof(arena) - HDR;
	void *p = NULL;

	spin_lock(&heap_lock);
	if (!heap_ready)
		heap_init();
	if (fits)
		p = heap_alloc(bytes ? bytes : 1);
	if (!p)
		stats.failures++;
	spin_unlock(&heap_lock);
	if (p)
		memset(p, 0, bytes);
	return p;
}

void crypto_glue_free(void *p)
{
	struct blk *b;

	if (!p)
		return;
	spin_lock(&heap_lock);
	b = heap_ready ? heap_find(p) : NULL;
	if (!b) {
		spin_unlock(&heap_lock);
		pr_err("crypto: heap: refused free of %p (not a live block)\n", p);
		return;
	}
	memset(p, 0, b->size - HDR);
	b->used = 0;
	stats.in_use -= b->size;
	stats.allocs--;
	merge_next(b);
	if (b->prev_size) {
		struct blk *prev = (struct blk *)((u8 *)b - b->prev_size);

		if (!prev->used)
			merge_next(prev);
	}
	spin_unlock(&heap_lock);
}

void crypto_glue_stats(struct crypto_heap_stats *st)
{
	struct blk *b;

	spin_lock(&heap_lock);
	if (!heap_ready)
		heap_init();
	*st = stats;
	st->largest_free = 0;
	for (b = (struct blk *)arena; b; b = next_blk(b))
		if (!b->used && b->size - HDR > st->largest_free)
			st->largest_free = b->size - HDR;
	spin_unlock(&heap_lock);
}

void mbedtls_platform_zeroize(void *buf, size_t len)
{
	if (!len)
		return;
	memset(buf, 0, len);
	/* The compiler must assume the asm reads *buf: the memset stays. */
	asm volatile("" : : "r"(buf) : "memory");
}
