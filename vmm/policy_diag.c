// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy error names and diagnostics (docs/policy.md, "Errors").
 */
#include "policy_priv.h"

/* ---- errors --------------------------------------------------------------- */
static const char *const policy_err_names[POLICY_E_COUNT] = {
	[POLICY_OK] = "no error",
	[POLICY_E_ARG] = "invalid argument",
	[POLICY_E_SHORT] = "blob too short",
	[POLICY_E_TOO_BIG] = "blob too large",
	[POLICY_E_MAGIC] = "bad magic",
	[POLICY_E_FORMAT] = "unsupported format version",
	[POLICY_E_HEADER] = "bad header field",
	[POLICY_E_SIZE] = "blob size does not match its header",
	[POLICY_E_REC_TRUNC] = "record header truncated",
	[POLICY_E_REC_OVERRUN] = "record length exceeds blob",
	[POLICY_E_REC_LEN] = "wrong record length",
	[POLICY_E_REC_TYPE] = "unknown record type",
	[POLICY_E_REC_FLAGS] = "reserved record flags set",
	[POLICY_E_REC_DUP] = "duplicate section",
	[POLICY_E_REC_MANY] = "too many records or rules",
	[POLICY_E_REC_COUNT] = "record count does not match header",
	[POLICY_E_FIELD] = "invalid field value",
	[POLICY_E_STRING] = "malformed string field",
	[POLICY_E_KEYREF] = "key id names no secret",
	[POLICY_E_KEYKIND] = "key id names an unsuitable secret",
	[POLICY_E_CONFLICT] = "conflicting rules",
	[POLICY_E_NO_SIG] = "signature record missing or not last",
	[POLICY_E_SIG_ALG] = "unsupported signature algorithm",
	[POLICY_E_SIG_KEY] = "signed by another key",
	[POLICY_E_SIG_BAD] = "signature does not verify",
	[POLICY_E_PUBKEY] = "trusted public key is invalid",
	[POLICY_E_VERSION0] = "policy version 0 is reserved",
	[POLICY_E_ROLLBACK] = "policy version rolled back",
	[POLICY_E_NO_SECRETS] = "policy has no secrets record",
	[POLICY_E_UNSEAL] = "secrets do not decrypt",
	[POLICY_E_SECRET] = "invalid secret content",
	[POLICY_E_CRYPTO] = "crypto library error",
};

/* $a/$b: decimal, $x: hex of a, $f: field, $w: reason. */
static const char *const policy_err_fmt[POLICY_E_COUNT] = {
	[POLICY_E_SHORT] = "blob is $a bytes, shorter than header and signature ($b)",
	[POLICY_E_TOO_BIG] = "blob is $a bytes, the limit is $b",
	[POLICY_E_FORMAT] = "format version $a not supported (this build reads $b)",
	[POLICY_E_HEADER] = "header: $f: $w (value $a)",
	[POLICY_E_SIZE] = "blob is $a bytes but its header says $b",
	[POLICY_E_REC_TRUNC] = "record header runs past the end ($a bytes left)",
	[POLICY_E_REC_OVERRUN] = "length $a exceeds blob",
	[POLICY_E_REC_LEN] = "length $a, expected $b",
	[POLICY_E_REC_TYPE] = "type not known to this build (not marked ignorable)",
	[POLICY_E_REC_FLAGS] = "reserved flags $x set",
	[POLICY_E_REC_DUP] = "duplicate section",
	[POLICY_E_REC_MANY] = "more than $b $w",
	[POLICY_E_REC_COUNT] = "header says $b records, blob has $a",
	[POLICY_E_FIELD] = "$f: $w (value $a)",
	[POLICY_E_STRING] = "$f: $w",
	[POLICY_E_KEYREF] = "key '$f' names no secret",
	[POLICY_E_KEYKIND] = "key '$f': $w",
	[POLICY_E_CONFLICT] = "$w the rule of record $b",
	[POLICY_E_NO_SIG] = "$w",
	[POLICY_E_SIG_ALG] = "unsupported signature algorithm $a",
	[POLICY_E_SIG_KEY] = "signed by key $f..., not the trusted key",
	[POLICY_E_PUBKEY] = "trusted public key is invalid ($a bytes)",
	[POLICY_E_ROLLBACK] = "version $a is older than accepted version $b",
	[POLICY_E_UNSEAL] = "secrets do not decrypt (wrong passphrase or damaged record)",
	[POLICY_E_SECRET] = "secret '$f': $w",
	[POLICY_E_CRYPTO] = "crypto library error -$x",
};

const char *policy_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= POLICY_E_COUNT)
		return "unknown policy error";
	return policy_err_names[err];
}

const char *policy_section_name(u16 type)
{
	switch (type) {
	case POLICY_REC_CONSOLE: return "console";
	case POLICY_REC_DISK: return "disk";
	case POLICY_REC_NETWORK: return "network";
	case POLICY_REC_FILE: return "file";
	case POLICY_REC_MONITOR: return "monitor";
	case POLICY_REC_IOMMU: return "iommu";
	case POLICY_REC_SECRETS: return "secrets";
	case POLICY_REC_SIGNATURE: return "signature";
	default: return "unknown";
	}
}

struct out_buf {
	char *p;
	size_t size, len;
};

static void out_s(struct out_buf *o, const char *s)
{
	for (; s && *s; s++, o->len++)
		if (o->len + 1 < o->size)
			o->p[o->len] = *s;
}

static void out_u(struct out_buf *o, u64 v, unsigned int base)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		out_s(o, "0x");
	while (i--) {
		char c[2] = { tmp[i], 0 };

		out_s(o, c);
	}
}

size_t policy_diag_format(const struct policy_diag *d, char *buf, size_t size)
{
	struct out_buf o = { buf, size, 0 };
	int err = d->err < 0 ? -d->err : d->err;
	const char *f;

	if (err >= POLICY_E_COUNT)
		err = POLICY_E_COUNT - 1;
	f = policy_err_fmt[err] ? policy_err_fmt[err] : policy_strerror(err);
	if (d->rec >= 0) {
		out_s(&o, "record ");
		out_u(&o, (u64)d->rec, 10);
		out_s(&o, " (");
		if (policy_section_name(d->type)[0] == 'u') {
			out_s(&o, "type ");
			out_u(&o, d->type, 16);
		} else {
			out_s(&o, policy_section_name(d->type));
		}
		out_s(&o, ") at offset ");
		out_u(&o, d->off, 16);
		out_s(&o, ": ");
	}
	for (; *f; f++) {
		if (*f != '$' || !f[1]) {
			char c[2] = { *f, 0 };

			out_s(&o, c);
			continue;
		}
		switch (*++f) {
		case 'a': out_u(&o, d->a, 10); break;
		case 'b': out_u(&o, d->b, 10); break;
		case 'x': out_u(&o, d->a, 16); break;
		case 'f': out_s(&o, d->field); break;
		case 'w': out_s(&o, d->why ? d->why : "invalid"); break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len < size ? o.len : (size ? size - 1 : 0);
}

int policy_fail(struct policy_diag *d, int err, const char *field, u64 a, u64 b,
		const char *why)
{
	size_t n;

	if (d) {
		memset(d, 0, sizeof(*d));
		d->err = -err;
		d->rec = -1;
		d->a = a;
		d->b = b;
		d->why = why;
		n = field ? str_len(field, sizeof(d->field) - 1) : 0;
		if (n)
			memcpy(d->field, field, n);
	}
	return -err;
}

int policy_bad_field(struct policy_diag *d, const char *field, u64 val, const char *why)
{
	return policy_fail(d, POLICY_E_FIELD, field, val, 0, why);
}
