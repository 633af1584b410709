// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy blob decoder: header and record decoders into struct policy; every
 * length checked before use, no allocation, no logging.
 */
#include "policy_priv.h"

/* ---- record decoders ------------------------------------------------------ */
struct dec {
	const u8 *blob;
	u32 idx, off;
	u16 type;
	struct policy *pol;
	struct policy_diag *d;
};

static int at_rec(struct dec *c, int ret)
{
	if (ret && c->d && c->d->rec < 0) {
		c->d->rec = (s32)c->idx;
		c->d->type = c->type;
		c->d->off = c->off;
	}
	return ret;
}

/* A NUL-padded printable string of @n bytes into @dst (@n + 1 bytes). */
static int rd_str(struct dec *c, const u8 *p, size_t n, char *dst, bool need_nul,
		  const char *field)
{
	size_t i, len = 0;

	while (len < n && p[len])
		len++;
	if (need_nul && len == n)
		return policy_fail(c->d, POLICY_E_STRING, field, 0, 0, "not NUL-terminated");
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return policy_fail(c->d, POLICY_E_STRING, field, 0, 0, "non-printable byte");
	if (!all_zero(p + len, n - len))
		return policy_fail(c->d, POLICY_E_STRING, field, 0, 0,
			    "non-zero bytes after the terminating NUL");
	memcpy(dst, p, len);
	dst[len] = 0;
	return 0;
}

static int want_len(struct dec *c, u32 len, u32 want)
{
	return len == want ? 0 : policy_fail(c->d, POLICY_E_REC_LEN, NULL, len, want, NULL);
}

static int rsvd_zero(struct dec *c, const u8 *p, size_t n)
{
	return all_zero(p, n) ? 0 : policy_bad_field(c->d, "reserved", p[0] | p[n - 1],
					      "reserved bytes must be zero");
}

static int singleton(struct dec *c)
{
	if (c->pol->sections & BIT(c->type))
		return policy_fail(c->d, POLICY_E_REC_DUP, NULL, 0, 0, NULL);
	return 0;
}

static int too_many(struct dec *c, u32 max, const char *what)
{
	return policy_fail(c->d, POLICY_E_REC_MANY, NULL, 0, max, what);
}

static int dec_console(struct dec *c, const u8 *p, u32 len)
{
	struct policy_console *con = &c->pol->console;
	int ret = want_len(c, len, POLICY_CONSOLE_LEN);

	if (!ret)
		ret = singleton(c);
	if (!ret)
		ret = rsvd_zero(c, p + 1, 1);
	if (ret)
		return ret;
	con->kind = p[0];
	con->port = rd16(p + 2);
	con->baud = rd32(p + 4);
	con->timeout_s = rd32(p + 8);
	con->origin = c->idx;
	return policy_check_console(con, c->d);
}

static int dec_disk(struct dec *c, const u8 *p, u32 len)
{
	struct policy_disk_rule *r;
	int ret = want_len(c, len, POLICY_DISK_LEN);

	if (ret)
		return ret;
	if (c->pol->n_disk >= POLICY_MAX_DISK_RULES)
		return too_many(c, POLICY_MAX_DISK_RULES, "disk rules");
	r = &c->pol->disk[c->pol->n_disk++];
	r->match = p[0];
	r->range = p[1];
	r->cipher = p[2];
	r->controller = rd16(p + 4);
	r->port = rd16(p + 6);
	r->unit = rd32(p + 8);
	r->gpt_index = rd32(p + 12);
	r->lba_start = rd64(p + 16);
	r->lba_end = rd64(p + 24);
	memcpy(r->gpt_guid, p + 32, 16);
	r->iv_offset = rd64(p + 48);
	r->origin = c->idx;
	ret = rsvd_zero(c, p + 3, 1);
	if (!ret)
		ret = rd_str(c, p + 56, POLICY_NAME_LEN, r->key_id, true, "key");
	if (!ret)
		ret = rd_str(c, p + 72, POLICY_MODEL_LEN, r->model, false, "model");
	if (!ret)
		ret = rd_str(c, p + 112, POLICY_SERIAL_LEN, r->serial, false, "serial");
	return ret ? ret : policy_check_disk(r, c->d);
}

static int dec_net(struct dec *c, const u8 *p, u32 len)
{
	struct policy_net_rule *r;
	int ret = want_len(c, len, POLICY_NET_LEN);

	if (ret)
		return ret;
	if (c->pol->n_net >= POLICY_MAX_NET_RULES)
		return too_many(c, POLICY_MAX_NET_RULES, "network rules");
	r = &c->pol->net[c->pol->n_net++];
	r->nic = p[0];
	r->mode = p[1];
	r->bus = p[2];
	r->dev = p[3];
	r->fn = p[4];
	r->cipher = p[5];
	memcpy(r->peer_mac, p + 6, 6);
	r->origin = c->idx;
	ret = rd_str(c, p + 12, POLICY_NAME_LEN, r->key_id, true, "key");
	return ret ? ret : policy_check_net(r, c->d);
}

static int dec_file(struct dec *c, const u8 *p, u32 len)
{
	struct policy_file_rule *r;
	int ret = want_len(c, len, POLICY_FILE_LEN);

	if (ret)
		return ret;
	if (c->pol->n_file >= POLICY_MAX_FILE_RULES)
		return too_many(c, POLICY_MAX_FILE_RULES, "file rules");
	r = &c->pol->file[c->pol->n_file++];
	r->match = p[0];
	r->action = p[1];
	r->part = rd32(p + 4);
	r->inode = rd64(p + 8);
	r->origin = c->idx;
	ret = rsvd_zero(c, p + 2, 2);
	if (!ret)
		ret = rd_str(c, p + 16, POLICY_NAME_LEN, r->key_id, true, "key");
	if (!ret)
		ret = rd_str(c, p + 32, POLICY_PATTERN_LEN, r->pattern, false, "path");
	return ret ? ret : policy_check_file(r, c->d);
}

static int dec_monitor(struct dec *c, const u8 *p, u32 len)
{
	struct policy_monitor *m = &c->pol->monitor;
	int ret = want_len(c, len, POLICY_MONITOR_LEN);

	if (!ret)
		ret = singleton(c);
	if (ret)
		return ret;
	m->checks = rd32(p);
	m->interval_ms = rd32(p + 4);
	m->action = p[8];
	m->period_ms = (u32)p[9] * 10;
	m->budget_us = rd16(p + 10);
	m->origin = c->idx;
	return policy_check_monitor(m, c->d);
}

static int dec_iommu(struct dec *c, const u8 *p, u32 len)
{
	struct policy_iommu *i = &c->pol->iommu;
	int ret = want_len(c, len, POLICY_IOMMU_LEN);

	if (!ret)
		ret = singleton(c);
	if (!ret)
		ret = rsvd_zero(c, p + 1, 3);
	if (ret)
		return ret;
	i->mode = p[0];
	i->origin = c->idx;
	return policy_check_iommu(i, c->d);
}

static int dec_secret_table(struct dec *c, const u8 *p, struct policy_sealed *s)
{
	u32 i, sum = 0;
	int ret;

	for (i = 0; i < s->count; i++, p += POLICY_SECRET_ENTRY_LEN) {
		struct policy_secret_info *e = &s->info[i];

		ret = rd_str(c, p, POLICY_NAME_LEN, e->name, true, "name");
		if (!ret)
			ret = rsvd_zero(c, p + 17, 1);
		if (ret)
			return ret;
		e->kind = p[16];
		e->len = rd16(p + 18);
		ret = policy_check_secret_info(e, c->d);
		if (ret)
			return ret;
		sum += e->len;
	}
	if (sum != s->ct_len)
		return policy_bad_field(c->d, "ciphertext length", s->ct_len,
				 "differs from the sum of the secret lengths");
	return 0;
}

static int dec_secrets(struct dec *c, const u8 *p, u32 len)
{
	struct policy_sealed *s = &c->pol->sealed;
	u32 clear;
	int ret = singleton(c);

	if (!ret && len < POLICY_SECRETS_FIXED_LEN)
		ret = policy_fail(c->d, POLICY_E_REC_LEN, NULL, len, POLICY_SECRETS_FIXED_LEN, NULL);
	if (ret)
		return ret;
	s->kdf = p[0];
	s->aead = p[1];
	s->count = rd16(p + 2);
	s->iterations = rd32(p + 4);
	memcpy(s->salt, p + 8, POLICY_SALT_LEN);
	memcpy(s->nonce, p + 24, POLICY_NONCE_LEN);
	s->ct_len = rd32(p + 36);
	s->origin = c->idx;
	if (s->kdf != POLICY_KDF_PBKDF2_SHA256)
		return policy_bad_field(c->d, "kdf", s->kdf, "only PBKDF2-HMAC-SHA256 (1)");
	if (s->aead != POLICY_AEAD_AES256_GCM)
		return policy_bad_field(c->d, "aead", s->aead, "only AES-256-GCM (1)");
	if (s->iterations < POLICY_KDF_MIN_ITERATIONS || s->iterations > POLICY_KDF_MAX_ITERATIONS)
		return policy_bad_field(c->d, "iterations", s->iterations,
				 "outside the allowed 100000..10000000");
	if (s->count < 1 || s->count > POLICY_MAX_SECRETS)
		return policy_bad_field(c->d, "count", s->count, "must be 1..16 secrets");
	clear = POLICY_SECRETS_FIXED_LEN + s->count * POLICY_SECRET_ENTRY_LEN;
	if (len < clear + POLICY_TAG_LEN || s->ct_len != len - clear - POLICY_TAG_LEN)
		return policy_fail(c->d, POLICY_E_REC_LEN, NULL, len,
			    clear + (u64)s->ct_len + POLICY_TAG_LEN, NULL);
	ret = dec_secret_table(c, p + POLICY_SECRETS_FIXED_LEN, s);
	if (ret)
		return ret;
	memcpy(s->ct, p + clear, s->ct_len);
	memcpy(s->tag, p + clear + s->ct_len, POLICY_TAG_LEN);
	s->aad_len = POLICY_REC_HDR_LEN + clear;
	memcpy(s->aad, p - POLICY_REC_HDR_LEN, s->aad_len);
	return 0;
}

static int dec_signature(struct dec *c, const u8 *p, u32 len)
{
	int ret = want_len(c, len, POLICY_SIGREC_LEN);

	if (ret)
		return ret;
	if (p[0] != POLICY_SIG_ECDSA_P256_SHA256)
		return policy_fail(c->d, POLICY_E_SIG_ALG, NULL, p[0], 0, NULL);
	ret = rsvd_zero(c, p + 1, 3);
	if (!ret)
		memcpy(c->pol->signer, p + 4, POLICY_FPR_LEN);
	return ret;
}

static int dec_record(struct dec *c, const u8 *p, u32 len, u16 flags)
{
	switch (c->type) {
	case POLICY_REC_CONSOLE: return dec_console(c, p, len);
	case POLICY_REC_DISK: return dec_disk(c, p, len);
	case POLICY_REC_NETWORK: return dec_net(c, p, len);
	case POLICY_REC_FILE: return dec_file(c, p, len);
	case POLICY_REC_MONITOR: return dec_monitor(c, p, len);
	case POLICY_REC_IOMMU: return dec_iommu(c, p, len);
	case POLICY_REC_SECRETS: return dec_secrets(c, p, len);
	case POLICY_REC_SIGNATURE: return dec_signature(c, p, len);
	}
	if (!(flags & POLICY_REC_IGNORABLE))
		return policy_fail(c->d, POLICY_E_REC_TYPE, NULL, c->type, 0, NULL);
	c->pol->ignored++;
	return 0;
}

/* ---- header and parse ----------------------------------------------------- */
int policy_check_header(const u8 *blob, size_t len, struct policy_diag *d)
{
	u32 count;

	if (!blob)
		return policy_fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
	if (len > POLICY_MAX_BLOB_SIZE)
		return policy_fail(d, POLICY_E_TOO_BIG, NULL, len, POLICY_MAX_BLOB_SIZE, NULL);
	if (len < POLICY_HDR_LEN + POLICY_SIG_TOTAL)
		return policy_fail(d, POLICY_E_SHORT, NULL, len, POLICY_HDR_LEN + POLICY_SIG_TOTAL, NULL);
	if (memcmp(blob, POLICY_MAGIC, 8))
		return policy_fail(d, POLICY_E_MAGIC, NULL, 0, 0, NULL);
	if (rd16(blob + POLICY_W_HDR_FORMAT) != POLICY_FORMAT_VERSION)
		return policy_fail(d, POLICY_E_FORMAT, NULL, rd16(blob + POLICY_W_HDR_FORMAT),
			    POLICY_FORMAT_VERSION, NULL);
	if (rd16(blob + POLICY_W_HDR_HDRLEN) != POLICY_HDR_LEN)
		return policy_fail(d, POLICY_E_HEADER, "header length",
			    rd16(blob + POLICY_W_HDR_HDRLEN), 0, "must be 32");
	if (rd32(blob + POLICY_W_HDR_SIZE) != len)
		return policy_fail(d, POLICY_E_SIZE, NULL, len, rd32(blob + POLICY_W_HDR_SIZE), NULL);
	count = rd32(blob + POLICY_W_HDR_COUNT);
	if (count < 1 || count > POLICY_MAX_RECORDS)
		return policy_fail(d, POLICY_E_HEADER, "record count", count, 0, "must be 1..128");
	if (rd32(blob + POLICY_W_HDR_RSVD))
		return policy_fail(d, POLICY_E_HEADER, "reserved", rd32(blob + POLICY_W_HDR_RSVD), 0,
			    "must be zero");
	if (!rd64(blob + POLICY_W_HDR_VERSION))
		return policy_fail(d, POLICY_E_VERSION0, NULL, 0, 0, NULL);
	return 0;
}

static int parse_records(struct dec *c, size_t len, bool *sig_seen)
{
	const u8 *blob = c->blob;
	u32 off = POLICY_HDR_LEN;
	u32 rlen;
	u16 flags;
	int ret;

	for (c->idx = 0; off < len; c->idx++) {
		c->off = off;
		c->type = 0;
		if (c->idx >= POLICY_MAX_RECORDS)
			return at_rec(c, too_many(c, POLICY_MAX_RECORDS, "records"));
		if (len - off < POLICY_REC_HDR_LEN)
			return at_rec(c, policy_fail(c->d, POLICY_E_REC_TRUNC, NULL, len - off, 0, NULL));
		c->type = rd16(blob + off);
		flags = rd16(blob + off + 2);
		rlen = rd32(blob + off + 4);
		if (rlen > len - off - POLICY_REC_HDR_LEN)
			return at_rec(c, policy_fail(c->d, POLICY_E_REC_OVERRUN, NULL, rlen, 0, NULL));
		if (flags & ~POLICY_REC_IGNORABLE)
			return at_rec(c, policy_fail(c->d, POLICY_E_REC_FLAGS, NULL, flags, 0, NULL));
		ret = dec_record(c, blob + off + POLICY_REC_HDR_LEN, rlen, flags);
		if (ret)
			return at_rec(c, ret);
		c->pol->sections |= (u32)(c->type < 32 ? BIT(c->type) : 0);
		off += POLICY_REC_HDR_LEN + rlen;
		if (c->type == POLICY_REC_SIGNATURE && off != len)
			return at_rec(c, policy_fail(c->d, POLICY_E_NO_SIG, NULL, 0, 0,
					      "signature record is not the last record"));
		*sig_seen = c->type == POLICY_REC_SIGNATURE;
	}
	return 0;
}

/* Offset of record @idx in a blob parse_records() accepted. */
static u32 rec_offset(const u8 *blob, size_t len, u32 idx)
{
	u32 off = POLICY_HDR_LEN;

	while (idx-- && off + POLICY_REC_HDR_LEN <= len)
		off += POLICY_REC_HDR_LEN + rd32(blob + off + 4);
	return off;
}

int policy_parse(const u8 *blob, size_t len, struct policy *out, struct policy_diag *diag)
{
	struct dec c = { .blob = blob, .pol = out, .d = diag };
	bool sig_seen = false;
	u32 count;
	int ret;

	if (!out)
		return policy_fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	memset(out, 0, sizeof(*out));
	ret = policy_check_header(blob, len, diag);
	if (ret)
		return ret;
	out->format_version = rd16(blob + POLICY_W_HDR_FORMAT);
	out->version = rd64(blob + POLICY_W_HDR_VERSION);
	out->size = (u32)len;
	count = rd32(blob + POLICY_W_HDR_COUNT);
	ret = parse_records(&c, len, &sig_seen);
	if (ret)
		return ret;
	if (!sig_seen)
		return policy_fail(diag, POLICY_E_NO_SIG, NULL, 0, 0, "no signature record");
	if (c.idx != count)
		return policy_fail(diag, POLICY_E_REC_COUNT, NULL, c.idx, count, NULL);
	ret = policy_check_refs(out, diag);
	if (ret && diag && diag->rec >= 0)
		diag->off = rec_offset(blob, len, (u32)diag->rec);
	return ret;
}
