// SPDX-License-Identifier: GPL-2.0-only
/*
 * AES-256-XTS with AES-NI, 8 blocks in flight. Built with VMM_SIMD_CFLAGS;
 * callers hold a SIMD section (crypto_simd_begin). Constant time: AES-NI has
 * no tables, the tweak doubling is branch-free, loops depend on lengths only.
 */
/* gcc's xmmintrin.h pulls in mm_malloc.h (<stdlib.h>); not freestanding. */
#define _MM_MALLOC_H_INCLUDED
#include <wmmintrin.h>
#include <smmintrin.h>
#include <cpuid.h>
#include <mamori/errno.h>
#include <crypto/xts.h>

#define XTS_WAYS	8
#define XTS_BLOCKS	(XTS_SECTOR_SIZE / 16)
#define XTS_NR		XTS_AES256_ROUNDS
#define xts_inline	inline __attribute__((always_inline))

_Static_assert(XTS_BLOCKS % XTS_WAYS == 0, "a sector is whole batches");

bool xts_cpu_supported(void)
{
	u32 a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return false;
	return (c & bit_AES) && (c & bit_SSE4_1);
}

static xts_inline __m128i xts_prefix_xor(__m128i x)
{
	x = _mm_xor_si128(x, _mm_slli_si128(x, 4));
	x = _mm_xor_si128(x, _mm_slli_si128(x, 4));
	return _mm_xor_si128(x, _mm_slli_si128(x, 4));
}

/* FIPS-197 AES-256 schedule: even steps RotWord+SubWord+Rcon, odd SubWord. */
#define XTS_EXP_EVEN(rk, i, rcon)					\
	rk[i] = _mm_xor_si128(xts_prefix_xor(rk[(i) - 2]),		\
		_mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], rcon), 0xff))
#define XTS_EXP_ODD(rk, i)						\
	rk[i] = _mm_xor_si128(xts_prefix_xor(rk[(i) - 2]),		\
		_mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], 0), 0xaa))

static void xts_expand256(__m128i *rk, const u8 *key)
{
	rk[0] = _mm_loadu_si128((const __m128i *)key);
	rk[1] = _mm_loadu_si128((const __m128i *)(key + 16));
	XTS_EXP_EVEN(rk, 2, 0x01);
	XTS_EXP_ODD(rk, 3);
	XTS_EXP_EVEN(rk, 4, 0x02);
	XTS_EXP_ODD(rk, 5);
	XTS_EXP_EVEN(rk, 6, 0x04);
	XTS_EXP_ODD(rk, 7);
	XTS_EXP_EVEN(rk, 8, 0x08);
	XTS_EXP_ODD(rk, 9);
	XTS_EXP_EVEN(rk, 10, 0x10);
	XTS_EXP_ODD(rk, 11);
	XTS_EXP_EVEN(rk, 12, 0x20);
	XTS_EXP_ODD(rk, 13);
	XTS_EXP_EVEN(rk, 14, 0x40);
}

int xts_setkey(struct xts_key *k, const u8 key[XTS_KEY_SIZE])
{
	__m128i *enc = (__m128i *)k->enc, *dec = (__m128i *)k->dec;
	__m128i diff;
	int i;

	if (!xts_cpu_supported())
		return -ENOSYS;
	diff = _mm_or_si128(
		_mm_xor_si128(_mm_loadu_si128((const __m128i *)key),
			      _mm_loadu_si128((const __m128i *)(key + 32))),
		_mm_xor_si128(_mm_loadu_si128((const __m128i *)(key + 16)),
			      _mm_loadu_si128((const __m128i *)(key + 48))));
	if (_mm_testz_si128(diff, diff))
		return -EINVAL;

	xts_expand256(enc, key);
	xts_expand256((__m128i *)k->tweak, key + 32);
	dec[0] = enc[XTS_NR];
	for (i = 1; i < XTS_NR; i++)
		dec[i] = _mm_aesimc_si128(enc[XTS_NR - i]);
	dec[XTS_NR] = enc[0];
	return 0;
}

void xts_key_wipe(struct xts_key *k)
{
	volatile u64 *p = (volatile u64 *)k;
	size_t i;

	for (i = 0; i < sizeof(*k) / sizeof(u64); i++)
		p[i] = 0;
}

/* t * alpha in GF(2^128), x^128 + x^7 + x^2 + x + 1, IEEE 1619 byte order. */
static xts_inline __m128i xts_mul_alpha(__m128i t)
{
	const __m128i poly = _mm_set_epi32(0, 1, 0, 0x87);
	/* dword 0 <- sign of bit 127, dword 2 <- sign of bit 63 */
	__m128i carry = _mm_shuffle_epi32(_mm_srai_epi32(t, 31), 0x13);

	return _mm_xor_si128(_mm_add_epi64(t, t), _mm_and_si128(carry, poly));
}

/* Encrypt @n (compile-time) plain64 tweaks for sectors @sector.. with Key2. */
static xts_inline void xts_tweaks(const __m128i *rk, u64 sector,
				  __m128i *t, int n)
{
	int i, r;

#pragma GCC unroll 16
	for (i = 0; i < n; i++)
		t[i] = _mm_xor_si128(_mm_set_epi64x(0, (s64)(sector + i)), rk[0]);
#pragma GCC unroll 16
	for (r = 1; r < XTS_NR; r++)
#pragma GCC unroll 16
		for (i = 0; i < n; i++)
			t[i] = _mm_aesenc_si128(t[i], rk[r]);
#pragma GCC unroll 16
	for (i = 0; i < n; i++)
		t[i] = _mm_aesenclast_si128(t[i], rk[XTS_NR]);
}

/* One batch of XTS_WAYS blocks; @enc is a compile-time constant. */
static xts_inline void xts_batch(const __m128i *rk, const __m128i *tw,
				 u8 *dst, const u8 *src, bool enc)
{
	__m128i b[XTS_WAYS];
	int i, r;

#pragma GCC unroll 16
	for (i = 0; i < XTS_WAYS; i++)
		b[i] = _mm_xor_si128(_mm_loadu_si128((const __m128i *)src + i),
				     _mm_xor_si128(tw[i], rk[0]));
#pragma GCC unroll 16
	for (r = 1; r < XTS_NR; r++)
#pragma GCC unroll 16
		for (i = 0; i < XTS_WAYS; i++)
			b[i] = enc ? _mm_aesenc_si128(b[i], rk[r]) :
				     _mm_aesdec_si128(b[i], rk[r]);
	/* last round key xor tweak: the final whitening for free */
#pragma GCC unroll 16
	for (i = 0; i < XTS_WAYS; i++) {
		__m128i kt = _mm_xor_si128(tw[i], rk[XTS_NR]);

		b[i] = enc ? _mm_aesenclast_si128(b[i], kt) :
			     _mm_aesdeclast_si128(b[i], kt);
	}
#pragma GCC unroll 16
	for (i = 0; i < XTS_WAYS; i++)
		_mm_storeu_si128((__m128i *)dst + i, b[i]);
}

static xts_inline void xts_sector(const __m128i *rk, __m128i t, u8 *dst,
				  const u8 *src, bool enc)
{
	__m128i tw[XTS_WAYS];
	int i, j;

	for (j = 0; j < XTS_BLOCKS; j += XTS_WAYS) {
		tw[0] = t;
#pragma GCC unroll 16
		for (i = 1; i < XTS_WAYS; i++)
			tw[i] = xts_mul_alpha(tw[i - 1]);
		t = xts_mul_alpha(tw[XTS_WAYS - 1]);
		xts_batch(rk, tw, dst + 16 * j, src + 16 * j, enc);
	}
}

static xts_inline void xts_crypt(const struct xts_key *k, u64 sector,
				 u8 *dst, const u8 *src, size_t n, bool enc)
{
	const __m128i *rk = (const __m128i *)(enc ? k->enc : k->dec);
	const __m128i *tk = (const __m128i *)k->tweak;
	__m128i t[XTS_WAYS];

	/* Groups of up to 8 sectors: their tweaks are encrypted in parallel. */
	while (n) {
		size_t m = MIN(n, (size_t)XTS_WAYS), i;

		xts_tweaks(tk, sector, t, XTS_WAYS);
		for (i = 0; i < m; i++) {
			xts_sector(rk, t[i], dst, src, enc);
			dst += XTS_SECTOR_SIZE;
			src += XTS_SECTOR_SIZE;
		}
		n -= m;
		sector += m;
	}
}

void xts_encrypt_sectors(const struct xts_key *k, u64 sector, u8 *dst,
			 const u8 *src, size_t nsectors)
{
	xts_crypt(k, sector, dst, src, nsectors, true);
}

void xts_decrypt_sectors(const struct xts_key *k, u64 sector, u8 *dst,
			 const u8 *src, size_t nsectors)
{
	xts_crypt(k, sector, dst, src, nsectors, false);
}
