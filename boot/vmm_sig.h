/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The signature of vmm.elf: a detached file, \EFI\mamori\vmm.elf.sig, made by
 * tools/vmm-sign.py. The loader checks it against the public key built into
 * it before it parses a byte of vmm.elf (docs/architecture.md, "Boot flow").
 * Pure C over mbedTLS (no firmware calls), so the host unit tests run it.
 *
 * Format (VMM_SIG_SIZE bytes, integers little-endian):
 *   0   8  magic "MMVMMSG1"
 *   8   8  size of the signed file in bytes
 *   16 32  SHA-256 of the signer's public key (65-byte uncompressed P-256 point)
 *   48 64  ECDSA P-256 signature r || s (big-endian) over SHA-256 of the file
 * Only the signature proves anything: the size and key fingerprint are there
 * to name the reason of a refusal (another key, a truncated or grown file).
 */
#ifndef MAMORI_VMM_SIG_H
#define MAMORI_VMM_SIG_H

#include <mamori/types.h>

#define VMM_SIG_MAGIC		"MMVMMSG1"
#define VMM_SIG_SIZE		112
#define VMM_SIG_PUBKEY_LEN	65
#define VMM_SIG_FPR_LEN		32
#define VMM_SIG_WHY_MAX		160

/* Built into the loader from the signing key (build/gen/vmm_sign_pubkey.c). */
extern const u8 vmm_sign_pubkey[VMM_SIG_PUBKEY_LEN];
extern const char vmm_sign_pubkey_fpr[];	/* "sha256:<hex>[ (DEVELOPMENT KEY)]" */
extern const int vmm_sign_pubkey_dev;

/**
 * vmm_sig_check() - is @sig a valid signature of the @size bytes at @file by
 * the key @pubkey (VMM_SIG_PUBKEY_LEN bytes)?
 * @why: on refusal, the reason as one line of ASCII (VMM_SIG_WHY_MAX bytes).
 * Return: 0 when it verifies; -1 otherwise (malformed signature file, another
 * key, a size mismatch, a signature that does not verify, a crypto failure).
 */
int vmm_sig_check(const u8 *file, u64 size, const u8 *sig, u64 sig_size,
		  const u8 *pubkey, char why[VMM_SIG_WHY_MAX]);

#endif
