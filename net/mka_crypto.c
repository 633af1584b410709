// SPDX-License-Identifier: GPL-2.0-only
/* MKA key hierarchy: KDF, ICK/KEK, MKPDU ICV, SAK key wrap (see net/mka_crypto.h). */
#include <net/mka_crypto.h>
#include <mamori/errno.h>
#include <mamori/string.h>
#include <mbedtls/cipher.h>
#include <mbedtls/cmac.h>
#include <mbedtls/nist_kw.h>
#include <mbedtls/platform_util.h>

static const mbedtls_cipher_info_t *aes_ecb(size_t key_len)
{
	if (key_len == 16)
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB);
	if (key_len == 32)
		return mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_256_ECB);
	return NULL;
}

static int cmac(const u8 *key, size_t key_len, const u8 *msg, size_t len, u8 out[16])
{
	const mbedtls_cipher_info_t *ci = aes_ecb(key_len);

	if (!ci)
		return -EINVAL;
	return mbedtls_cipher_cmac(ci, key, key_len * 8, msg, len, out) ? -EIO : 0;
}

int mka_kdf(const u8 *key, size_t key_len, const char *label, const u8 *ctx, size_t ctx_len,
	    u8 *out, size_t out_len)
{
	u8 buf[96], block[16];
	size_t lab = strlen(label), n, i;
	int rc = 0;

	n = 1 + lab + 1 + ctx_len + 2;
	if (n > sizeof(buf) || out_len == 0 || out_len * 8 > 0xffff || out_len % 16)
		return -EINVAL;
	memcpy(buf + 1, label, lab);
	buf[1 + lab] = 0;
	memcpy(buf + 2 + lab, ctx, ctx_len);
	buf[n - 2] = (u8)(out_len * 8 >> 8);
	buf[n - 1] = (u8)(out_len * 8);
	for (i = 0; i < out_len / 16 && !rc; i++) {
		buf[0] = (u8)(i + 1);
		rc = cmac(key, key_len, buf, n, block);
		memcpy(out + 16 * i, block, 16);
	}
	mbedtls_platform_zeroize(block, sizeof(block));
	return rc;
}

static int derive(const u8 *cak, size_t cak_len, const u8 *ckn, size_t ckn_len,
		  const char *label, u8 *out)
{
	u8 ctx[16] = { 0 };

	memcpy(ctx, ckn, MIN(ckn_len, sizeof(ctx)));
	return mka_kdf(cak, cak_len, label, ctx, sizeof(ctx), out, cak_len);
}

int mka_derive_ick(const u8 *cak, size_t cak_len, const u8 *ckn, size_t ckn_len, u8 *ick)
{
	return derive(cak, cak_len, ckn, ckn_len, "IEEE8021 ICK", ick);
}

int mka_derive_kek(const u8 *cak, size_t cak_len, const u8 *ckn, size_t ckn_len, u8 *kek)
{
	return derive(cak, cak_len, ckn, ckn_len, "IEEE8021 KEK", kek);
}

int mka_icv(const u8 *ick, size_t ick_len, const u8 *msg, size_t len, u8 icv[MKA_ICV_LEN])
{
	return cmac(ick, ick_len, msg, len, icv);
}

static int kw(const u8 *kek, size_t kek_len, const u8 *in, size_t in_len, u8 *out,
	      size_t out_size, bool wrap)
{
	mbedtls_nist_kw_context ctx;
	size_t out_len = 0;
	int rc;

	if ((kek_len != 16 && kek_len != 32) || in_len > 64)
		return -EINVAL;
	mbedtls_nist_kw_init(&ctx);
	rc = mbedtls_nist_kw_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, kek, (unsigned int)kek_len * 8,
				    wrap);
	if (!rc)
		rc = wrap ? mbedtls_nist_kw_wrap(&ctx, MBEDTLS_KW_MODE_KW, in, in_len, out,
						 &out_len, out_size)
			  : mbedtls_nist_kw_unwrap(&ctx, MBEDTLS_KW_MODE_KW, in, in_len, out,
						   &out_len, out_size);
	mbedtls_nist_kw_free(&ctx);
	if (rc || out_len != out_size)
		return -EBADMSG;
	return 0;
}

int mka_wrap(const u8 *kek, size_t kek_len, const u8 *key, size_t key_len, u8 *out)
{
	return kw(kek, kek_len, key, key_len, out, key_len + 8, true);
}

int mka_unwrap(const u8 *kek, size_t kek_len, const u8 *in, size_t in_len, u8 *key)
{
	if (in_len < 24)
		return -EINVAL;
	return kw(kek, kek_len, in, in_len, key, in_len - 8, false);
}
