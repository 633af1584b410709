/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mamori's mbedTLS 2.28 configuration for the freestanding VMM
 * (selected with -DMBEDTLS_CONFIG_FILE='"mamori_mbedtls_config.h"').
 *
 * What the VMM gets: SHA-256/224, SHA-512/384, HMAC and HKDF through the MD
 * layer, PBKDF2-HMAC, AES (plain C, constant tables in .rodata) with the
 * cipher layer's ECB/CTR/XTS modes, GCM, AES-CMAC and AES key wrap (for
 * MACsec/MKA in net/), and ECDSA *verification* on P-256.
 *
 * Choices:
 * - No AES-NI or VIA PadLock: the VMM is built -mgeneral-regs-only and must
 *   not touch the guest's vector registers; the fast AES-XTS datapath lives in
 *   crypto/ and wraps its SIMD use in a state save.
 * - MBEDTLS_AES_ROM_TABLES: tables are const, so there is no lazy table
 *   generation racing between CPUs.
 * - MBEDTLS_ECP_NO_INTERNAL_RNG: the VMM only verifies (public scalars, no
 *   secret to blind), so ECP needs no DRBG. Do not use mbedtls_ecp_mul() or
 *   ECDSA signing on secrets in the VMM with f_rng == NULL.
 * - MBEDTLS_NO_UDBL_DIVISION: no 128-by-64 division, hence no libgcc
 *   __udivti3 call from bignum.c.
 * - Memory comes from the crypto unit's private arena (crypto/glue.c) through
 *   the calloc/free macros below; mbedtls_platform_zeroize() is also glue's.
 * - No time, files, sockets, entropy source or stdio. mbedtls_snprintf (used
 *   only by the OID dotted-string printer) is the VMM's log_snprintf().
 */
#ifndef MAMORI_MBEDTLS_CONFIG_H
#define MAMORI_MBEDTLS_CONFIG_H

#include <crypto/glue.h>
#include <mamori/log.h>

/* System support */
#define MBEDTLS_HAVE_ASM		/* bn_mul.h x86-64 asm: general registers only */
#define MBEDTLS_NO_UDBL_DIVISION
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_DEPRECATED_REMOVED

/* Platform: no libc behind it */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_CALLOC_MACRO	crypto_glue_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO	crypto_glue_free
#define MBEDTLS_PLATFORM_SNPRINTF_MACRO	log_snprintf
#define MBEDTLS_PLATFORM_ZEROIZE_ALT

/* Hashes and MACs */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HKDF_C
#define MBEDTLS_PKCS5_C

/* Ciphers */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_MODE_XTS
#define MBEDTLS_GCM_C
#define MBEDTLS_CMAC_C			/* MKA: KDF and MKPDU ICV (net/mka_crypto.c) */
#define MBEDTLS_NIST_KW_C		/* MKA: RFC 3394 AES key wrap of the SAK */

/* ECDSA verification on NIST P-256 */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C

/* Sizes: P-256 is the only curve, so MPIs never exceed 64 bytes of use. */
#define MBEDTLS_MPI_MAX_SIZE		512
#define MBEDTLS_ECP_WINDOW_SIZE		4
#define MBEDTLS_ECP_FIXED_POINT_OPTIM	1

/*
 * Checked once, when the library itself is built (the GCC <limits.h> it needs
 * recurses into crypto/freestanding/limits.h, which other VMM code lacks).
 */
#ifdef MAMORI_MBEDTLS_LIB
#include "mbedtls/check_config.h"
#endif

#endif
