/* SPDX-License-Identifier: GPL-2.0-only */
/* Known-answer self-test of the VMM's mbedTLS build (crypto/selftest.c). */
#ifndef CRYPTO_SELFTEST_H
#define CRYPTO_SELFTEST_H

/*
 * crypto_selftest - run every known-answer test: SHA-256 and SHA-512 of "abc"
 * (FIPS 180-2), AES-256 (FIPS-197 C.3), HMAC-SHA-256 (RFC 4231 case 2),
 * AES-256-GCM (GCM spec test case 16), PBKDF2-HMAC-SHA-256 (RFC 7914 s.11,
 * c=1) and ECDSA P-256 verify (RFC 6979 A.2.5, "sample" with SHA-256, plus a
 * must-fail tampered digest). Each failure is logged with pr_err naming the
 * test. Returns 0, -EIO if an answer was wrong, -ENOMEM if the crypto heap
 * ran dry. Needs under 4 KiB of stack and frees all it allocates.
 */
int crypto_selftest(void);

#endif
