/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AES-256-XTS sector datapath, AES-NI only.
 *
 * On-disk format: dm-crypt "aes-xts-plain64" with a 512-bit key, 512-byte
 * sectors. The 64-byte key is Key1 || Key2 (IEEE 1619): the first 32 bytes
 * encrypt the data, the last 32 bytes encrypt the tweak, as Linux's xts(aes)
 * splits it. The tweak of sector S is S as a 64-bit little-endian number,
 * zero-extended to 16 bytes (plain64). See docs/crypto.md.
 *
 * SIMD rule: the VMM is built without SSE; every call below except
 * xts_cpu_supported() executes SSE/AES-NI instructions on the host CPU and
 * must run between crypto_simd_begin() and crypto_simd_end() (<asm/fpu.h>),
 * which save and restore the guest's extended register state:
 *
 *	if (crypto_simd_begin(&fpu) == 0) {
 *		xts_encrypt_sectors(&key, lba, buf, buf, n);
 *		crypto_simd_end(&fpu);
 *	}
 */
#ifndef CRYPTO_XTS_H
#define CRYPTO_XTS_H

#include <mamori/types.h>
#include <asm/fpu.h>

#define XTS_SECTOR_SIZE		512
#define XTS_KEY_SIZE		64	/* AES-256-XTS: Key1 || Key2 */
#define XTS_AES256_ROUNDS	14

/*
 * struct xts_key - expanded key schedules; treat as opaque.
 * @enc:   Key1 encryption round keys 0..14
 * @dec:   Key1 decryption round keys (equivalent inverse cipher, AESDEC order)
 * @tweak: Key2 encryption round keys (the tweak is always encrypted)
 */
struct xts_key {
	u64 enc[XTS_AES256_ROUNDS + 1][2];
	u64 dec[XTS_AES256_ROUNDS + 1][2];
	u64 tweak[XTS_AES256_ROUNDS + 1][2];
} __aligned(16);

/* xts_cpu_supported - true if CPUID reports AES-NI and SSE4.1. */
bool xts_cpu_supported(void);

/*
 * xts_setkey - expand the 64-byte @key (Key1 || Key2) into @k.
 * Returns 0, -ENOSYS without AES-NI, -EINVAL if Key1 == Key2 (rejected as
 * Linux does in FIPS mode and OpenSSL always does; compared in constant time).
 * SIMD section required.
 */
int xts_setkey(struct xts_key *k, const u8 key[XTS_KEY_SIZE]);

/*
 * xts_encrypt_sectors - encrypt @nsectors 512-byte sectors from @src to @dst;
 * the first has sector number @sector, the next @sector + 1, and so on
 * (wrapping at 2^64). @dst == @src is allowed; otherwise the buffers must not
 * overlap. No alignment required. SIMD section required.
 */
void xts_encrypt_sectors(const struct xts_key *k, u64 sector, u8 *dst,
			 const u8 *src, size_t nsectors);

/* xts_decrypt_sectors - the inverse of xts_encrypt_sectors(); same rules. */
void xts_decrypt_sectors(const struct xts_key *k, u64 sector, u8 *dst,
			 const u8 *src, size_t nsectors);

/* xts_key_wipe - overwrite @k with zeros (not elided by the compiler). */
void xts_key_wipe(struct xts_key *k);

/* Names the disk code uses for the SIMD section (see <asm/fpu.h>). */
#define crypto_simd_begin(area)	fpu_simd_begin(area)
#define crypto_simd_end(area)	fpu_simd_end(area)

#endif
