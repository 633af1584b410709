/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The entropy hook net/ needs (MKA's member identifier and SAKs). The VMM's is
 * arch/x86_64/random.c (RDRAND with health checks); host tests bring a
 * deterministic one, the interop program getrandom().
 */
#ifndef NET_RANDOM_H
#define NET_RANDOM_H

#include <mamori/types.h>

/*
 * arch_random_bytes - fill @buf with @len bytes from the CPU's random source.
 * Returns 0, -ENOSYS without one, -EIO when it failed its health check.
 */
int arch_random_bytes(void *buf, size_t len);

#endif
