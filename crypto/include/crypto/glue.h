/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mbedTLS platform glue for the VMM: the heap mbedTLS allocates from (a
 * private 256 KiB arena, first fit, coalescing, zeroed on free because it
 * holds key material) and mbedtls_platform_zeroize(). The mbedTLS config maps
 * mbedtls_calloc/mbedtls_free to the functions here, so no setup call is
 * needed. All entry points are safe to call from any CPU (one spinlock).
 */
#ifndef CRYPTO_GLUE_H
#define CRYPTO_GLUE_H

#include <mamori/types.h>

#define CRYPTO_HEAP_SIZE	(256 * 1024)

/* crypto_glue_calloc - zeroed memory for @n objects of @size bytes, or NULL. */
void *crypto_glue_calloc(size_t n, size_t size);
/* crypto_glue_free - zero and release @p (NULL is ignored; bad pointers are logged). */
void crypto_glue_free(void *p);

struct crypto_heap_stats {
	size_t in_use;		/* bytes allocated now, headers included */
	size_t peak;		/* high-water mark of in_use */
	size_t largest_free;	/* largest block calloc could return now */
	u32 allocs;		/* live allocations */
	u32 failures;		/* calloc calls that returned NULL */
};

/* crypto_glue_stats - snapshot of the arena's counters. */
void crypto_glue_stats(struct crypto_heap_stats *st);

#endif
