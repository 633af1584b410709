// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy secrets: PBKDF2-HMAC-SHA256 key derivation, AES-256-GCM unseal and
 * decoding of the sealed secret table.
 */
#include "policy_priv.h"

#include <mamori/policy_kdf.h>

#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

/* ---- secrets -------------------------------------------------------------- */
/*
 * HMAC-SHA256 with the ipad/opad states computed once: PBKDF2 then costs two
 * SHA-256 compressions per iteration instead of the four of mbedTLS's generic
 * loop, which redoes the key set-up every time (the unlock runs under Bochs).
 */
/* struct hmac_sha256_pre is in <mamori/policy_kdf.h>. */

static int hmac_pre_init(struct hmac_sha256_pre *h, const u8 *key, size_t key_len)
{
	u8 k[64] = { 0 }, pad[64];
	int i, ret;

	if (key_len > sizeof(k))
		ret = mbedtls_sha256_ret(key, key_len, k, 0);
	else
		ret = (memcpy(k, key, key_len), 0);
	mbedtls_sha256_init(&h->in);
	mbedtls_sha256_init(&h->out);
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	if (!ret)
		ret = mbedtls_sha256_starts_ret(&h->in, 0);
	if (!ret)
		ret = mbedtls_sha256_update_ret(&h->in, pad, sizeof(pad));
	for (i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5c;
	if (!ret)
		ret = mbedtls_sha256_starts_ret(&h->out, 0);
	if (!ret)
		ret = mbedtls_sha256_update_ret(&h->out, pad, sizeof(pad));
	mbedtls_platform_zeroize(k, sizeof(k));
	mbedtls_platform_zeroize(pad, sizeof(pad));
	return ret;
}

/* HMAC of @a || @b (@b may be NULL) into @mac (32 bytes). */
static int hmac_pre_mac(const struct hmac_sha256_pre *h, const u8 *a, size_t a_len,
			const u8 *b, size_t b_len, u8 *mac)
{
	mbedtls_sha256_context c;
	u8 inner[32];
	int ret;

	mbedtls_sha256_init(&c);
	mbedtls_sha256_clone(&c, &h->in);
	ret = mbedtls_sha256_update_ret(&c, a, a_len);
	if (!ret && b)
		ret = mbedtls_sha256_update_ret(&c, b, b_len);
	if (!ret)
		ret = mbedtls_sha256_finish_ret(&c, inner);
	mbedtls_sha256_clone(&c, &h->out);
	if (!ret)
		ret = mbedtls_sha256_update_ret(&c, inner, sizeof(inner));
	if (!ret)
		ret = mbedtls_sha256_finish_ret(&c, mac);
	mbedtls_sha256_free(&c);
	mbedtls_platform_zeroize(inner, sizeof(inner));
	return ret;
}

/* One PBKDF2 block: T_i = U_1 ^ ... ^ U_c, U_1 = HMAC(salt || INT(i)). */
static int pbkdf2_block(const struct hmac_sha256_pre *h, const u8 *salt, size_t salt_len,
			u32 iterations, u32 block, u8 t[32])
{
	u8 u[32], be[4] = { block >> 24, block >> 16, block >> 8, block };
	u32 n, j;
	int ret = hmac_pre_mac(h, salt, salt_len, be, sizeof(be), u);

	memcpy(t, u, sizeof(u));
	for (n = 1; !ret && n < iterations; n++) {
		ret = hmac_pre_mac(h, u, sizeof(u), NULL, 0, u);
		for (j = 0; j < sizeof(u); j++)
			t[j] ^= u[j];
	}
	mbedtls_platform_zeroize(u, sizeof(u));
	return ret;
}

int policy_kdf(const u8 *pass, size_t pass_len, const u8 *salt, size_t salt_len,
	       u32 iterations, u8 *out, size_t out_len)
{
	struct hmac_sha256_pre h;
	u8 t[32];
	u32 block = 1;
	int ret;

	if (!pass || !salt || !out || out_len > 0xffffffffu || !iterations)
		return -POLICY_E_ARG;
	ret = hmac_pre_init(&h, pass, pass_len);
	while (!ret && out_len) {
		size_t n = out_len < sizeof(t) ? out_len : sizeof(t);

		ret = pbkdf2_block(&h, salt, salt_len, iterations, block++, t);
		memcpy(out, t, n);
		out += n;
		out_len -= n;
	}
	mbedtls_sha256_free(&h.in);
	mbedtls_sha256_free(&h.out);
	mbedtls_platform_zeroize(t, sizeof(t));
	return ret ? -POLICY_E_CRYPTO : 0;
}

int policy_kdf_begin(struct policy_kdf_run *r, const u8 *pass, size_t pass_len,
		     const u8 *salt, size_t salt_len, u32 iterations)
{
	struct hmac_sha256_pre *h = &r->h;
	u8 be[4] = { 0, 0, 0, 1 };
	int ret;

	memset(r, 0, sizeof(*r));
	if (!pass || !salt || !iterations)
		return -POLICY_E_ARG;
	ret = hmac_pre_init(h, pass, pass_len);
	if (!ret)
		ret = hmac_pre_mac(h, salt, salt_len, be, sizeof(be), r->u);
	if (ret) {
		policy_kdf_end(r, NULL);
		return -POLICY_E_CRYPTO;
	}
	memcpy(r->t, r->u, sizeof(r->t));
	r->done = 1;
	r->iterations = iterations;
	return 0;
}

int policy_kdf_step(struct policy_kdf_run *r, u32 max)
{
	const struct hmac_sha256_pre *h = &r->h;
	u32 j;

	for (; max && r->done < r->iterations; max--, r->done++) {
		if (hmac_pre_mac(h, r->u, sizeof(r->u), NULL, 0, r->u)) {
			policy_kdf_end(r, NULL);
			return -POLICY_E_CRYPTO;
		}
		for (j = 0; j < sizeof(r->t); j++)
			r->t[j] ^= r->u[j];
	}
	return r->done >= r->iterations;
}

void policy_kdf_end(struct policy_kdf_run *r, u8 *out)
{
	if (out)
		memcpy(out, r->t, sizeof(r->t));
	mbedtls_sha256_free(&r->h.in);
	mbedtls_sha256_free(&r->h.out);
	mbedtls_platform_zeroize(r, sizeof(*r));
}

static int check_secret_value(const struct policy_secret *s, struct policy_diag *d)
{
	u32 i;

	if (s->kind == POLICY_SECRET_PHRASE) {
		for (i = 0; i < s->len; i++)
			if (s->value[i] < 0x20 || s->value[i] > 0x7e)
				return policy_fail(d, POLICY_E_SECRET, s->name, 0, 0,
					    "phrase has a non-printable byte");
	} else if (s->kind == POLICY_SECRET_PASSWORD) {
		if (rd32(s->value + POLICY_SALT_LEN) < POLICY_KDF_MIN_ITERATIONS)
			return policy_fail(d, POLICY_E_SECRET, s->name, 0, 0,
				    "password hash iterations below the minimum");
	}
	return 0;
}

int policy_secrets_decode(const struct policy_sealed *sealed, const u8 *plain,
			  struct policy_secrets *out, struct policy_diag *d)
{
	u32 i, off = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (sealed->count > POLICY_MAX_SECRETS)
		return policy_fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
	for (i = 0; i < sealed->count; i++) {
		struct policy_secret *s = &out->s[i];
		const struct policy_secret_info *e = &sealed->info[i];

		if (e->len > POLICY_SECRET_MAX_LEN || off + e->len > sealed->ct_len) {
			policy_secrets_wipe(out);
			return policy_fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
		}
		memcpy(s->name, e->name, POLICY_NAME_LEN);
		s->kind = e->kind;
		s->len = e->len;
		memcpy(s->value, plain + off, e->len);
		off += e->len;
		out->count = i + 1;
		ret = check_secret_value(s, d);
		if (ret) {
			policy_secrets_wipe(out);
			return ret;
		}
	}
	return 0;
}

static int gcm_open(const struct policy_sealed *s, const u8 key[POLICY_KEY_LEN], u8 *plain,
		    struct policy_diag *d)
{
	mbedtls_gcm_context gcm;
	int ret;

	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (!ret)
		ret = mbedtls_gcm_auth_decrypt(&gcm, s->ct_len, s->nonce, POLICY_NONCE_LEN,
					       s->aad, s->aad_len, s->tag, POLICY_TAG_LEN,
					       s->ct, plain);
	mbedtls_gcm_free(&gcm);
	if (ret == MBEDTLS_ERR_GCM_AUTH_FAILED)
		return policy_fail(d, POLICY_E_UNSEAL, NULL, 0, 0, NULL);
	if (ret)
		return policy_fail(d, POLICY_E_CRYPTO, NULL, (u64)-ret, 0, NULL);
	return 0;
}

int policy_unseal(const struct policy *pol, const u8 *pass, size_t pass_len,
		  struct policy_secrets *out, struct policy_diag *diag)
{
	const struct policy_sealed *s = &pol->sealed;
	u8 key[POLICY_KEY_LEN];
	u8 plain[sizeof(s->ct)];
	int ret;

	if (!out || !pass)
		return policy_fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	memset(out, 0, sizeof(*out));
	if (!(pol->sections & BIT(POLICY_REC_SECRETS)))
		return policy_fail(diag, POLICY_E_NO_SECRETS, NULL, 0, 0, NULL);
	if (s->iterations < POLICY_KDF_MIN_ITERATIONS || s->ct_len > sizeof(s->ct) ||
	    s->aad_len > sizeof(s->aad))
		return policy_fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	ret = policy_kdf(pass, pass_len, s->salt, POLICY_SALT_LEN, s->iterations,
			 key, sizeof(key));
	if (ret)
		ret = policy_fail(diag, POLICY_E_CRYPTO, NULL, 2, 0, NULL);
	if (!ret)
		ret = gcm_open(s, key, plain, diag);
	mbedtls_platform_zeroize(key, sizeof(key));
	if (!ret)
		ret = policy_secrets_decode(s, plain, out, diag);
	mbedtls_platform_zeroize(plain, sizeof(plain));
	return ret;
}

const struct policy_secret *policy_find_secret(const struct policy_secrets *s,
					       const char *name)
{
	u32 i;

	for (i = 0; i < s->count && i < POLICY_MAX_SECRETS; i++)
		if (str_eq(s->s[i].name, name, POLICY_NAME_LEN))
			return &s->s[i];
	return NULL;
}

void policy_secrets_wipe(struct policy_secrets *s)
{
	mbedtls_platform_zeroize(s, sizeof(*s));
}
