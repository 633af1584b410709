/* SPDX-License-Identifier: GPL-2.0-only */
/* Host-side policy blob encoder and signer (the decoder is vmm/policy_blob.c). */
#ifndef MAMORI_POLICY_ENCODE_H
#define MAMORI_POLICY_ENCODE_H

#include <mamori/policy.h>
#include <mbedtls/pk.h>

/*
 * policy_encode - serialize @pol into @out (@cap bytes): header, records in the
 * order console, monitor, disk, network, file, secrets, then a signature record
 * whose signature is zero. When @sec has secrets they are sealed with
 * AES-256-GCM under @key using pol->sealed.{iterations,salt,nonce}. On success
 * *@len is the blob length. Returns 0, -POLICY_E_TOO_BIG or -POLICY_E_CRYPTO.
 */
int policy_encode(const struct policy *pol, const struct policy_secrets *sec,
		  const u8 key[POLICY_KEY_LEN], u8 *out, size_t cap, size_t *len);

/* policy_rng_fn - random bytes (mbedTLS RNG callback signature). */
typedef int (*policy_rng_fn)(void *ctx, unsigned char *buf, size_t len);

/*
 * policy_sign - sign an encoded blob in place: ECDSA P-256 over SHA-256 with
 * RFC 6979 nonces (@rng only blinds the computation).
 */
int policy_sign(u8 *blob, size_t len, mbedtls_pk_context *pk, policy_rng_fn rng, void *rng_ctx);

/* policy_pk_point - the 65-byte uncompressed point of a P-256 key in @pk. */
int policy_pk_point(mbedtls_pk_context *pk, u8 out[POLICY_PUBKEY_LEN]);

/* policy_hash_password - the 52-byte password secret (salt16 || iter || hash32). */
int policy_hash_password(const char *password, size_t len, const u8 salt[POLICY_SALT_LEN],
			 u32 iterations, u8 out[POLICY_PASSWORD_LEN]);

#endif
