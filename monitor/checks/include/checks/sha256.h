/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 (FIPS 180-4) for the monitor's checks: a small freestanding
 * implementation in general-purpose registers only (no SSE, no libc), so it
 * links into the monitor program as it is. Checked against OpenSSL in
 * tests/unit/test_checks.c.
 */
#ifndef CHECKS_SHA256_H
#define CHECKS_SHA256_H

#include <mamori/types.h>

#define CHK_SHA256_LEN		32u

/* struct chk_sha256 - a running hash; only the functions below touch it. */
struct chk_sha256 {
	u32 h[8];
	u64 total;		/* bytes hashed so far */
	u8 buf[64];
	u32 used;		/* bytes in @buf */
};

/* chk_sha256_init - start an empty hash. */
void chk_sha256_init(struct chk_sha256 *s);
/* chk_sha256_update - hash @len more bytes from @data. */
void chk_sha256_update(struct chk_sha256 *s, const void *data, u64 len);
/* chk_sha256_final - pad, write the 32-byte digest to @out; @s is spent. */
void chk_sha256_final(struct chk_sha256 *s, u8 out[CHK_SHA256_LEN]);
/* chk_sha256 - one-shot digest of @len bytes. */
void chk_sha256(const void *data, u64 len, u8 out[CHK_SHA256_LEN]);

#endif
