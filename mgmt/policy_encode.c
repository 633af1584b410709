// SPDX-License-Identifier: GPL-2.0-only
/* Policy blob encoder and signer; layout in docs/policy.md and <mamori/policy.h>. */
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "policy_encode.h"

struct wbuf {
	u8 *p;
	size_t cap, len;
	bool overflow;
};

static void wbytes(struct wbuf *w, const void *src, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	if (src)
		memcpy(w->p + w->len, src, n);
	else
		memset(w->p + w->len, 0, n);
	w->len += n;
}

static void wle(struct wbuf *w, u64 v, int bytes)
{
	u8 b[8];
	int i;

	for (i = 0; i < bytes; i++)
		b[i] = (u8)(v >> (8 * i));
	wbytes(w, b, bytes);
}

#define w8(w, v)	wle(w, v, 1)
#define w16(w, v)	wle(w, v, 2)
#define w32(w, v)	wle(w, v, 4)
#define w64(w, v)	wle(w, v, 8)

/* A NUL-padded string field of @n bytes (the string may fill it). */
static void wstr(struct wbuf *w, const char *s, size_t n)
{
	size_t len = strnlen(s, n);

	wbytes(w, s, len);
	wbytes(w, NULL, n - len);
}

static void patch32(struct wbuf *w, size_t at, u32 v)
{
	int i;

	if (w->overflow)
		return;
	for (i = 0; i < 4; i++)
		w->p[at + i] = (u8)(v >> (8 * i));
}

static size_t rec_begin(struct wbuf *w, u16 type)
{
	w16(w, type);
	w16(w, 0);
	w32(w, 0);
	return w->len;
}

static void rec_end(struct wbuf *w, size_t start)
{
	patch32(w, start - 4, (u32)(w->len - start));
}

static void enc_console(struct wbuf *w, const struct policy_console *c)
{
	size_t r = rec_begin(w, POLICY_REC_CONSOLE);

	w8(w, c->kind);
	w8(w, 0);
	w16(w, c->port);
	w32(w, c->baud);
	w32(w, c->timeout_s);
	rec_end(w, r);
}

static void enc_monitor(struct wbuf *w, const struct policy_monitor *m)
{
	size_t r = rec_begin(w, POLICY_REC_MONITOR);

	w32(w, m->checks);
	w32(w, m->interval_ms);
	w8(w, m->action);
	w8(w, m->period_ms / 10);
	w16(w, m->budget_us);
	rec_end(w, r);
}

static void enc_iommu(struct wbuf *w, const struct policy_iommu *i)
{
	size_t r = rec_begin(w, POLICY_REC_IOMMU);

	w8(w, i->mode);
	wbytes(w, NULL, 3);
	rec_end(w, r);
}

static void enc_disk(struct wbuf *w, const struct policy_disk_rule *d)
{
	size_t r = rec_begin(w, POLICY_REC_DISK);

	w8(w, d->match);
	w8(w, d->range);
	w8(w, d->cipher);
	w8(w, 0);
	w16(w, d->controller);
	w16(w, d->port);
	w32(w, d->unit);
	w32(w, d->gpt_index);
	w64(w, d->lba_start);
	w64(w, d->lba_end);
	wbytes(w, d->gpt_guid, 16);
	w64(w, d->iv_offset);
	wstr(w, d->key_id, POLICY_NAME_LEN);
	wstr(w, d->model, POLICY_MODEL_LEN);
	wstr(w, d->serial, POLICY_SERIAL_LEN);
	rec_end(w, r);
}

static void enc_net(struct wbuf *w, const struct policy_net_rule *n)
{
	size_t r = rec_begin(w, POLICY_REC_NETWORK);

	w8(w, n->nic);
	w8(w, n->mode);
	w8(w, n->bus);
	w8(w, n->dev);
	w8(w, n->fn);
	w8(w, n->cipher);
	wbytes(w, n->peer_mac, 6);
	wstr(w, n->key_id, POLICY_NAME_LEN);
	rec_end(w, r);
}

static void enc_file(struct wbuf *w, const struct policy_file_rule *f)
{
	size_t r = rec_begin(w, POLICY_REC_FILE);

	w8(w, f->match);
	w8(w, f->action);
	wbytes(w, NULL, 2);
	w32(w, f->part);
	w64(w, f->inode);
	wstr(w, f->key_id, POLICY_NAME_LEN);
	wstr(w, f->pattern, POLICY_PATTERN_LEN);
	rec_end(w, r);
}

static int seal(struct wbuf *w, size_t rec_start, const struct policy_secrets *sec,
		const u8 key[POLICY_KEY_LEN], u32 ct_len)
{
	u8 plain[POLICY_MAX_SECRETS * POLICY_SECRET_MAX_LEN];
	mbedtls_gcm_context gcm;
	size_t ct_at = w->len, off = 0;
	u8 *nonce = w->p + rec_start + 24;
	u32 i;
	int ret;

	for (i = 0; i < sec->count; i++) {
		memcpy(plain + off, sec->s[i].value, sec->s[i].len);
		off += sec->s[i].len;
	}
	wbytes(w, NULL, ct_len + POLICY_TAG_LEN);
	if (w->overflow)
		return -POLICY_E_TOO_BIG;
	mbedtls_gcm_init(&gcm);
	ret = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (!ret)
		ret = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, ct_len, nonce,
						POLICY_NONCE_LEN, w->p + rec_start - POLICY_REC_HDR_LEN,
						ct_at - rec_start + POLICY_REC_HDR_LEN, plain,
						w->p + ct_at, POLICY_TAG_LEN, w->p + ct_at + ct_len);
	mbedtls_gcm_free(&gcm);
	mbedtls_platform_zeroize(plain, sizeof(plain));
	return ret ? -POLICY_E_CRYPTO : 0;
}

static int enc_secrets(struct wbuf *w, const struct policy_sealed *s,
		       const struct policy_secrets *sec, const u8 key[POLICY_KEY_LEN])
{
	size_t r = rec_begin(w, POLICY_REC_SECRETS);
	u32 i, ct_len = 0;
	int ret;

	if (sec->count > POLICY_MAX_SECRETS)
		return -POLICY_E_REC_MANY;
	for (i = 0; i < sec->count; i++)
		ct_len += sec->s[i].len;
	w8(w, POLICY_KDF_PBKDF2_SHA256);
	w8(w, POLICY_AEAD_AES256_GCM);
	w16(w, sec->count);
	w32(w, s->iterations);
	wbytes(w, s->salt, POLICY_SALT_LEN);
	wbytes(w, s->nonce, POLICY_NONCE_LEN);
	w32(w, ct_len);
	for (i = 0; i < sec->count; i++) {
		wstr(w, sec->s[i].name, POLICY_NAME_LEN);
		w8(w, sec->s[i].kind);
		w8(w, 0);
		w16(w, sec->s[i].len);
	}
	/* The record header is part of the GCM AAD: final length before sealing. */
	patch32(w, r - 4, (u32)(w->len - r) + ct_len + POLICY_TAG_LEN);
	ret = seal(w, r, sec, key, ct_len);
	rec_end(w, r);
	return ret;
}

static u32 enc_rules(struct wbuf *w, const struct policy *pol)
{
	u32 i, n = 0;

	if (pol->sections & BIT(POLICY_REC_CONSOLE)) {
		enc_console(w, &pol->console);
		n++;
	}
	if (pol->sections & BIT(POLICY_REC_MONITOR)) {
		enc_monitor(w, &pol->monitor);
		n++;
	}
	if (pol->sections & BIT(POLICY_REC_IOMMU)) {
		enc_iommu(w, &pol->iommu);
		n++;
	}
	for (i = 0; i < pol->n_disk && i < POLICY_MAX_DISK_RULES; i++, n++)
		enc_disk(w, &pol->disk[i]);
	for (i = 0; i < pol->n_net && i < POLICY_MAX_NET_RULES; i++, n++)
		enc_net(w, &pol->net[i]);
	for (i = 0; i < pol->n_file && i < POLICY_MAX_FILE_RULES; i++, n++)
		enc_file(w, &pol->file[i]);
	return n;
}

int policy_encode(const struct policy *pol, const struct policy_secrets *sec,
		  const u8 key[POLICY_KEY_LEN], u8 *out, size_t cap, size_t *len)
{
	struct wbuf w = { .p = out, .cap = cap };
	u32 count;
	size_t r;
	int ret = 0;

	wbytes(&w, POLICY_MAGIC, 8);
	w16(&w, POLICY_FORMAT_VERSION);
	w16(&w, POLICY_HDR_LEN);
	w32(&w, 0);
	w64(&w, pol->version);
	w32(&w, 0);
	w32(&w, 0);
	count = enc_rules(&w, pol);
	if (sec && sec->count) {
		ret = enc_secrets(&w, &pol->sealed, sec, key);
		count++;
	}
	r = rec_begin(&w, POLICY_REC_SIGNATURE);
	w8(&w, POLICY_SIG_ECDSA_P256_SHA256);
	wbytes(&w, NULL, POLICY_SIGREC_LEN - 1);
	rec_end(&w, r);
	count++;
	if (w.overflow || w.len > POLICY_MAX_BLOB_SIZE)
		return -POLICY_E_TOO_BIG;
	if (ret)
		return ret;
	patch32(&w, POLICY_W_HDR_SIZE, (u32)w.len);
	patch32(&w, POLICY_W_HDR_COUNT, count);
	*len = w.len;
	return 0;
}

int policy_pk_point(mbedtls_pk_context *pk, u8 out[POLICY_PUBKEY_LEN])
{
	mbedtls_ecp_keypair *ec;
	size_t olen = 0;

	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY)
		return -POLICY_E_PUBKEY;
	ec = mbedtls_pk_ec(*pk);
	if (ec->grp.id != MBEDTLS_ECP_DP_SECP256R1)
		return -POLICY_E_PUBKEY;
	if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
					   &olen, out, POLICY_PUBKEY_LEN) ||
	    olen != POLICY_PUBKEY_LEN)
		return -POLICY_E_PUBKEY;
	return 0;
}

int policy_sign(u8 *blob, size_t len, mbedtls_pk_context *pk, policy_rng_fn rng, void *rng_ctx)
{
	u8 point[POLICY_PUBKEY_LEN], hash[32];
	u8 *sig = blob + len - POLICY_SIGREC_LEN;
	mbedtls_ecp_keypair *ec;
	mbedtls_mpi r, s;
	int ret;

	if (len < POLICY_HDR_LEN + POLICY_SIG_TOTAL)
		return -POLICY_E_SHORT;
	ret = policy_pk_point(pk, point);
	if (ret)
		return ret;
	ec = mbedtls_pk_ec(*pk);
	sig[0] = POLICY_SIG_ECDSA_P256_SHA256;
	if (policy_fingerprint(point, sizeof(point), sig + 4) ||
	    mbedtls_sha256_ret(blob, len - POLICY_SIG_TOTAL, hash, 0))
		return -POLICY_E_CRYPTO;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &s, &ec->d, hash, sizeof(hash),
					 MBEDTLS_MD_SHA256, rng, rng_ctx);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&r, sig + 36, 32);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&s, sig + 68, 32);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret ? -POLICY_E_CRYPTO : 0;
}

int policy_hash_password(const char *password, size_t len, const u8 salt[POLICY_SALT_LEN],
			 u32 iterations, u8 out[POLICY_PASSWORD_LEN])
{
	memcpy(out, salt, POLICY_SALT_LEN);
	out[16] = (u8)iterations;
	out[17] = (u8)(iterations >> 8);
	out[18] = (u8)(iterations >> 16);
	out[19] = (u8)(iterations >> 24);
	return policy_kdf((const u8 *)password, len, salt, POLICY_SALT_LEN, iterations,
			  out + 20, 32);
}
