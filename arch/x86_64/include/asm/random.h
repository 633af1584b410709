/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RDRAND behind arch_random_bytes() (net/random.h), split so the host test
 * can drive the health checks with a scripted source.
 */
#ifndef ASM_RANDOM_H
#define ASM_RANDOM_H

#include <mamori/types.h>

#define RANDOM_RETRIES	10	/* draws that may fail (carry clear) in a row */

/*
 * random_fill - @len bytes from @src, 64 bits per draw. A draw is retried up
 * to RANDOM_RETRIES times while @src reports no value; a value of all zeros,
 * all ones, or equal to the previous one fails the health check. Returns 0 or
 * -EIO (the buffer then holds nothing usable).
 */
int random_fill(void *buf, size_t len, bool (*src)(u64 *v));

#endif
