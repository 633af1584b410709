/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The signature of vmm.elf: a detached file, \EFI\mamori\vmm.elf.sig, made by
 * tools/vmm-sign.py. The loader checks it against the public key built into
 * it before it parses a byte of vmm.elf (docs/architecture.md, "Boot flow").
 * Pure C over mbedTLS (no firmware calls), so the host unit tests run it.
 *
 * Format (VMM_SIG_SIZE bytes, integers little-endian):
 *   0   8  magic "MMVMMSG2"
 *   8   8  size of the signed file in bytes
 *   16  8  security version number (svn) of the signed file
 *   24 32  SHA-256 of the signer's public key (65-byte uncompressed P-256 point)
 *   56 64  ECDSA P-256 signature r || s (big-endian), ECDSA-SHA256 over the
 *          76-byte message VMM_SIG_DOMAIN (27 bytes + NUL) || svn (8) ||
 *          size (8) || SHA-256 of the file (32)
 * The signature covers the svn and the size; the key fingerprint is only there
 * to name the reason of a refusal. The domain string keeps a signature by the
 * same key over anything else (a policy blob, a bare file hash) from passing.
 * The svn is raised whenever a release fixes a VMM vulnerability; the loader
 * refuses one below its minimum, so an older signed vmm.elf does not boot.
 */
#ifndef MAMORI_VMM_SIG_H
#define MAMORI_VMM_SIG_H

#include <mamori/types.h>

#define VMM_SIG_MAGIC		"MMVMMSG2"
#define VMM_SIG_SIZE		120
#define VMM_SIG_DOMAIN		"Mamori vmm.elf signature v2"
#define VMM_SIG_PUBKEY_LEN	65
#define VMM_SIG_FPR_LEN		32
#define VMM_SIG_WHY_MAX		160

/* Built into the loader from the signing key (build/gen/vmm_sign_pubkey.c). */
extern const u8 vmm_sign_pubkey[VMM_SIG_PUBKEY_LEN];
extern const char vmm_sign_pubkey_fpr[];	/* "sha256:<hex>[ (DEVELOPMENT KEY)]" */
extern const int vmm_sign_pubkey_dev;
extern const u64 vmm_min_svn;		/* make VMM_MIN_SVN: the lowest svn it runs */

/**
 * vmm_sig_check() - is @sig a valid signature of the @size bytes at @file by
 * the key @pubkey (VMM_SIG_PUBKEY_LEN bytes), with an svn of at least @min_svn?
 * @svn: out, the signed svn (set only when the signature verifies).
 * @why: on refusal, the reason as one line of ASCII (VMM_SIG_WHY_MAX bytes).
 * Return: 0 when it verifies; -1 otherwise (malformed signature file, another
 * key, a size mismatch, a signature that does not verify, a crypto failure,
 * an svn below @min_svn: an older vmm.elf, a rollback).
 */
int vmm_sig_check(const u8 *file, u64 size, const u8 *sig, u64 sig_size,
		  const u8 *pubkey, u64 min_svn, u64 *svn, char why[VMM_SIG_WHY_MAX]);

#endif
