/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PBKDF2-HMAC-SHA256 in steps, for a caller that must not hold a CPU for the
 * whole derivation (the file-access dialog checks a password from the VMM's
 * exit path: 100000+ iterations are tens of milliseconds on hardware and a
 * minute under Bochs). One 32-byte block only: what a POLICY_SECRET_PASSWORD
 * hash holds. The result equals policy_kdf(..., 32).
 */
#ifndef MAMORI_POLICY_KDF_H
#define MAMORI_POLICY_KDF_H

#include <mamori/policy.h>
#include <mbedtls/sha256.h>

#define POLICY_KDF_OUT_LEN	32

/* HMAC-SHA256 with the ipad/opad states computed once (policy_seal.c). */
struct hmac_sha256_pre {
	mbedtls_sha256_context in, out;
};

struct policy_kdf_run {
	struct hmac_sha256_pre h;	/* keyed with the password */
	u8 u[POLICY_KDF_OUT_LEN];	/* U_n */
	u8 t[POLICY_KDF_OUT_LEN];	/* U_1 ^ ... ^ U_n */
	u32 done, iterations;
};

/*
 * policy_kdf_begin - key the HMAC with @pass and compute U_1 from @salt.
 * @pass may be wiped as soon as this returns. 0 or -POLICY_E_ARG/-POLICY_E_CRYPTO
 * (then @r is wiped).
 */
int policy_kdf_begin(struct policy_kdf_run *r, const u8 *pass, size_t pass_len,
		     const u8 *salt, size_t salt_len, u32 iterations);

/*
 * policy_kdf_step - at most @max further iterations. Returns 1 when all are
 * done, 0 when more remain, -POLICY_E_CRYPTO on failure (@r wiped).
 */
int policy_kdf_step(struct policy_kdf_run *r, u32 max);

/* policy_kdf_end - copy the 32-byte result to @out (NULL: none) and wipe @r. */
void policy_kdf_end(struct policy_kdf_run *r, u8 *out);

#endif
