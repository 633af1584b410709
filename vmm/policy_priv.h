/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the policy blob code (vmm/policy_*.c): includes, little-endian
 * byte loads and the diagnostic helpers the decoder and validators share.
 * Freestanding-safe: nothing here allocates or logs.
 */
#ifndef MAMORI_VMM_POLICY_PRIV_H
#define MAMORI_VMM_POLICY_PRIV_H

#include <mamori/policy.h>

#if __STDC_HOSTED__
#include <string.h>
#else
#include <mamori/string.h>/* Check the blob header (magic, version, lengths) of @blob[0..@len). */
int policy_check_header(const u8 *blob, size_t len, struct policy_diag *d);

#endif

static inline u16 rd16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static inline u32 rd32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

static inline u64 rd64(const u8 *p)
{
	return (u64)rd32(p) | ((u64)rd32(p + 4) << 32);
}

static inline bool all_zero(const u8 *p, size_t n)
{
	u8 acc = 0;

	while (n--)
		acc |= *p++;
	return acc == 0;
}

static inline size_t str_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static inline bool str_eq(const char *a, const char *b, size_t max)
{
	size_t i;

	for (i = 0; i < max; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

/* Fill @d (if not NULL) with @err and its details; returns -@err. */
int policy_fail(struct policy_diag *d, int err, const char *field, u64 a, u64 b,
		const char *why);
/* policy_fail() for a field whose value @val is invalid because @why. */
int policy_bad_field(struct policy_diag *d, const char *field, u64 val, const char *why);
/* Check the blob header (magic, version, lengths) of @blob[0..@len). */
int policy_check_header(const u8 *blob, size_t len, struct policy_diag *d);

#endif
