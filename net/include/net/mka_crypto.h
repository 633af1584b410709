/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MKA's key hierarchy (IEEE 802.1X-2010 6.2, 9.3): the AES-CMAC KDF, ICK and
 * KEK from the CAK, the MKPDU ICV, and RFC 3394 AES key wrap of SAKs. Key
 * lengths follow the CAK: 16 or 32 bytes.
 */
#ifndef NET_MKA_CRYPTO_H
#define NET_MKA_CRYPTO_H

#include <mamori/types.h>

#define MKA_ICV_LEN	16

/*
 * mka_kdf - KDF(@key, @label, @ctx, @out_len*8) of 802.1X 6.2.1: AES-CMAC
 * PRF over i || label || 0x00 || ctx || L(16 bit), blocks concatenated.
 */
int mka_kdf(const u8 *key, size_t key_len, const char *label, const u8 *ctx, size_t ctx_len,
	    u8 *out, size_t out_len);
/* mka_derive_ick / mka_derive_kek - from the CAK and the first 16 octets of the CKN. */
int mka_derive_ick(const u8 *cak, size_t cak_len, const u8 *ckn, size_t ckn_len, u8 *ick);
int mka_derive_kek(const u8 *cak, size_t cak_len, const u8 *ckn, size_t ckn_len, u8 *kek);
/* mka_icv - AES-CMAC with @ick over @msg (the MKPDU from DA to before the ICV). */
int mka_icv(const u8 *ick, size_t ick_len, const u8 *msg, size_t len, u8 icv[MKA_ICV_LEN]);
/* mka_wrap / mka_unwrap - RFC 3394 with @kek; the wrapped form is 8 bytes longer. */
int mka_wrap(const u8 *kek, size_t kek_len, const u8 *key, size_t key_len, u8 *out);
int mka_unwrap(const u8 *kek, size_t kek_len, const u8 *in, size_t in_len, u8 *key);

#endif
