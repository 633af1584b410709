// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy blob decoder, validator, verifier and unsealer (docs/policy.md).
 * Freestanding-safe: fixed-size output, explicit little-endian byte loads,
 * every length checked before use, no allocation, no logging.
 */
#include <mamori/policy.h>

#if __STDC_HOSTED__
#include <string.h>
#else
#include <mamori/string.h>
#endif

#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

/* ---- byte access ---------------------------------------------------------- */
static u16 rd16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

static u32 rd32(const u8 *p)
{
	return (u32)p[0] | ((u32)p[1] << 8) | ((u32)p[2] << 16) | ((u32)p[3] << 24);
}

static u64 rd64(const u8 *p)
{
	return (u64)rd32(p) | ((u64)rd32(p + 4) << 32);
}

static bool all_zero(const u8 *p, size_t n)
{
	u8 acc = 0;

	while (n--)
		acc |= *p++;
	return acc == 0;
}

static size_t str_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b, size_t max)
{
	size_t i;

	for (i = 0; i < max; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

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

static int fail(struct policy_diag *d, int err, const char *field, u64 a, u64 b,
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

static int bad_field(struct policy_diag *d, const char *field, u64 val, const char *why)
{
	return fail(d, POLICY_E_FIELD, field, val, 0, why);
}

/* ---- semantic validators (shared with the text parser) -------------------- */
int policy_check_name(const char *name, bool allow_empty)
{
	size_t i, n = str_len(name, POLICY_NAME_LEN);

	if (n == POLICY_NAME_LEN)
		return -1;
	if (!n)
		return allow_empty ? 0 : -1;
	for (i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '_' && c != '-' && c != '.')))
			return -1;
	}
	return 0;
}

static int check_key_id(const char *key, bool required, struct policy_diag *d)
{
	if (!required && key[0])
		return fail(d, POLICY_E_STRING, "key", 0, 0, "not allowed for this rule");
	if (required && policy_check_name(key, false))
		return fail(d, POLICY_E_STRING, "key", 0, 0,
			    "missing or not a key id (1-15 of A-Z a-z 0-9 _ - .)");
	return 0;
}

int policy_check_console(const struct policy_console *c, struct policy_diag *d)
{
	if (c->kind == POLICY_CONSOLE_UART) {
		if (c->port < 0x100 || c->port > 0xfff8 || (c->port & 7))
			return bad_field(d, "port", c->port,
					 "not an 8-aligned UART base in 0x100..0xfff8");
		if (c->baud < 300 || c->baud > 115200 || 115200 % c->baud)
			return bad_field(d, "baud", c->baud, "must divide 115200, 300..115200");
	} else if (c->kind == POLICY_CONSOLE_FB_PS2) {
		if (c->port || c->baud)
			return bad_field(d, c->port ? "port" : "baud",
					 c->port ? c->port : c->baud,
					 "must be 0 for a framebuffer console");
	} else {
		return bad_field(d, "kind", c->kind, "not uart (1) or framebuffer (2)");
	}
	if (c->timeout_s < 1 || c->timeout_s > 86400)
		return bad_field(d, "timeout", c->timeout_s, "must be 1..86400 seconds");
	return 0;
}

static int check_disk_target(const struct policy_disk_rule *r, struct policy_diag *d)
{
	bool by_id = r->match == POLICY_DISK_IDENTITY;

	if (!by_id && (r->model[0] || r->serial[0]))
		return fail(d, POLICY_E_STRING, r->model[0] ? "model" : "serial", 0, 0,
			    "only allowed in identity rules");
	if (r->controller > 15)
		return bad_field(d, "controller", r->controller, "must be 0..15");
	switch (r->match) {
	case POLICY_DISK_ATA:
		if (r->port > 1)
			return bad_field(d, "channel", r->port, "must be 0 or 1");
		if (r->unit > 1)
			return bad_field(d, "device", r->unit, "must be 0 (master) or 1 (slave)");
		return 0;
	case POLICY_DISK_AHCI:
		if (r->port > 31)
			return bad_field(d, "port", r->port, "must be 0..31");
		if (r->unit)
			return bad_field(d, "unit", r->unit, "must be 0 for ahci");
		return 0;
	case POLICY_DISK_NVME:
		if (r->port)
			return bad_field(d, "port", r->port, "must be 0 for nvme");
		if (r->unit == 0 || r->unit == 0xffffffffu)
			return bad_field(d, "namespace", r->unit, "must be 1..0xfffffffe");
		return 0;
	case POLICY_DISK_IDENTITY:
		if (r->controller || r->port || r->unit)
			return bad_field(d, "controller", r->controller,
					 "controller/port/unit must be 0 in identity rules");
		if (!r->model[0] && !r->serial[0])
			return fail(d, POLICY_E_STRING, "model", 0, 0,
				    "identity rule needs a model or a serial");
		return 0;
	}
	return bad_field(d, "match", r->match, "not ata, ahci, nvme or identity");
}

static int check_disk_range(const struct policy_disk_rule *r, struct policy_diag *d)
{
	bool lba = r->lba_start || r->lba_end;
	bool guid = !all_zero(r->gpt_guid, sizeof(r->gpt_guid));

	switch (r->range) {
	case POLICY_RANGE_LBA:
		if (r->lba_start >= r->lba_end)
			return bad_field(d, "lba", r->lba_start, "empty range (start >= end)");
		if (r->lba_end > (1ULL << 48))
			return bad_field(d, "lba", r->lba_end, "end beyond 2^48 sectors");
		if (guid || r->gpt_index)
			return bad_field(d, "range", r->range, "LBA rule with partition fields");
		return 0;
	case POLICY_RANGE_GPT_GUID:
		if (!guid)
			return bad_field(d, "partition-guid", 0, "must not be all zero");
		if (lba || r->gpt_index)
			return bad_field(d, "range", r->range, "GUID rule with LBA/index fields");
		return 0;
	case POLICY_RANGE_GPT_INDEX:
		if (r->gpt_index < 1 || r->gpt_index > 128)
			return bad_field(d, "partition", r->gpt_index, "must be 1..128");
		if (lba || guid)
			return bad_field(d, "range", r->range, "index rule with LBA/GUID fields");
		return 0;
	}
	return bad_field(d, "range", r->range, "not lba, partition-guid or partition");
}

int policy_check_disk(const struct policy_disk_rule *r, struct policy_diag *d)
{
	int ret;

	if (r->cipher != POLICY_CIPHER_AES_XTS_PLAIN64)
		return bad_field(d, "cipher", r->cipher, "only aes-xts-plain64 (1)");
	ret = check_disk_target(r, d);
	if (!ret)
		ret = check_disk_range(r, d);
	if (!ret)
		ret = check_key_id(r->key_id, true, d);
	return ret;
}

int policy_check_net(const struct policy_net_rule *r, struct policy_diag *d)
{
	bool mac = !all_zero(r->peer_mac, sizeof(r->peer_mac));
	bool enc = r->mode == POLICY_NET_ENCRYPT;

	if (r->nic != POLICY_NIC_E1000)
		return bad_field(d, "nic", r->nic, "only e1000 (1)");
	if (r->mode < POLICY_NET_ENCRYPT || r->mode > POLICY_NET_PASS)
		return bad_field(d, "mode", r->mode, "not encrypt, block or pass");
	if (r->dev > 31 || r->fn > 7)
		return bad_field(d, r->dev > 31 ? "device" : "function",
				 r->dev > 31 ? r->dev : r->fn, "PCI device 0..31, function 0..7");
	if (enc && (!mac || (r->peer_mac[0] & 1)))
		return bad_field(d, "peer", r->peer_mac[0], "encrypt needs a unicast peer MAC");
	if (!enc && mac)
		return bad_field(d, "peer", r->peer_mac[0], "only allowed with mode encrypt");
	return check_key_id(r->key_id, enc, d);
}

static int check_path(const char *p, struct policy_diag *d)
{
	size_t i, n = str_len(p, POLICY_PATTERN_LEN + 1);

	if (p[0] != '/')
		return fail(d, POLICY_E_STRING, "path", 0, 0, "must start with '/'");
	for (i = 0; i < n; i++) {
		if (p[i] == '/' && p[i + 1] == '/')
			return fail(d, POLICY_E_STRING, "path", 0, 0, "empty component");
		if (p[i] == '/' && p[i + 1] == '.' && p[i + 2] == '.' &&
		    (p[i + 3] == '/' || !p[i + 3]))
			return fail(d, POLICY_E_STRING, "path", 0, 0, "'..' component");
	}
	return 0;
}

int policy_check_file(const struct policy_file_rule *r, struct policy_diag *d)
{
	int ret;

	if (r->action != POLICY_FILE_REQUIRE_AUTH && r->action != POLICY_FILE_DENY)
		return bad_field(d, "action", r->action, "not require-auth (1) or deny (2)");
	if (r->match == POLICY_FILE_PATH) {
		ret = check_path(r->pattern, d);
		if (ret)
			return ret;
		if (r->inode)
			return bad_field(d, "inode", r->inode, "not allowed in a path rule");
	} else if (r->match == POLICY_FILE_INODE) {
		if (!r->inode)
			return bad_field(d, "inode", 0, "must not be 0");
		if (r->pattern[0])
			return fail(d, POLICY_E_STRING, "path", 0, 0,
				    "not allowed in an inode rule");
	} else {
		return bad_field(d, "match", r->match, "not path (1) or inode (2)");
	}
	return check_key_id(r->key_id, r->action == POLICY_FILE_REQUIRE_AUTH, d);
}

int policy_check_monitor(const struct policy_monitor *m, struct policy_diag *d)
{
	if (!m->checks || (m->checks & ~POLICY_MON_ALL))
		return bad_field(d, "checks", m->checks,
				 "must be a non-empty set of kernel-text, idt, syscall-msrs");
	if (m->interval_ms < 10 || m->interval_ms > 3600000)
		return bad_field(d, "interval", m->interval_ms, "must be 10..3600000 ms");
	if (m->action != POLICY_MON_ALERT && m->action != POLICY_MON_HALT)
		return bad_field(d, "action", m->action, "not alert (1) or halt (2)");
	return 0;
}

int policy_check_secret_info(const struct policy_secret_info *s, struct policy_diag *d)
{
	if (policy_check_name(s->name, false))
		return fail(d, POLICY_E_STRING, "name", 0, 0, "not a key id");
	switch (s->kind) {
	case POLICY_SECRET_KEY:
		if (s->len < 16 || s->len > POLICY_SECRET_MAX_LEN)
			return bad_field(d, s->name, s->len, "key length must be 16..64 bytes");
		return 0;
	case POLICY_SECRET_PHRASE:
		if (s->len < 1 || s->len > POLICY_SECRET_MAX_LEN)
			return bad_field(d, s->name, s->len, "phrase length must be 1..64");
		return 0;
	case POLICY_SECRET_PASSWORD:
		if (s->len != POLICY_PASSWORD_LEN)
			return bad_field(d, s->name, s->len, "password hash must be 52 bytes");
		return 0;
	}
	return bad_field(d, s->name, s->kind, "kind not key (1), phrase (2) or password (3)");
}

/* ---- cross-record checks -------------------------------------------------- */
static const struct policy_secret_info *find_info(const struct policy *pol, const char *name)
{
	u32 i;

	if (!(pol->sections & BIT(POLICY_REC_SECRETS)))
		return NULL;
	for (i = 0; i < pol->sealed.count && i < POLICY_MAX_SECRETS; i++)
		if (str_eq(pol->sealed.info[i].name, name, POLICY_NAME_LEN))
			return &pol->sealed.info[i];
	return NULL;
}

static int check_ref(const struct policy *pol, const char *key, u8 kind, u16 len,
		     const char *why, u32 origin, u16 type, struct policy_diag *d)
{
	const struct policy_secret_info *s = find_info(pol, key);
	int ret = 0;

	if (!s)
		ret = fail(d, POLICY_E_KEYREF, key, 0, 0, NULL);
	else if (s->kind != kind || (len && s->len != len))
		ret = fail(d, POLICY_E_KEYKIND, key, s->kind, s->len, why);
	if (ret && d) {
		d->rec = (s32)origin;
		d->type = type;
	}
	return ret;
}

static int conflict(struct policy_diag *d, u16 type, u32 origin, u32 other, const char *why)
{
	fail(d, POLICY_E_CONFLICT, NULL, 0, other, why);
	if (d) {
		d->rec = (s32)origin;
		d->type = type;
	}
	return -POLICY_E_CONFLICT;
}

static bool same_disk(const struct policy_disk_rule *a, const struct policy_disk_rule *b)
{
	return a->match == b->match && a->controller == b->controller &&
	       a->port == b->port && a->unit == b->unit &&
	       str_eq(a->model, b->model, sizeof(a->model)) &&
	       str_eq(a->serial, b->serial, sizeof(a->serial));
}

static bool same_range(const struct policy_disk_rule *a, const struct policy_disk_rule *b)
{
	if (a->range != b->range)
		return false;
	if (a->range == POLICY_RANGE_LBA)
		return a->lba_start < b->lba_end && b->lba_start < a->lba_end;
	if (a->range == POLICY_RANGE_GPT_GUID)
		return !memcmp(a->gpt_guid, b->gpt_guid, sizeof(a->gpt_guid));
	return a->gpt_index == b->gpt_index;
}

static int check_disk_refs(const struct policy *pol, struct policy_diag *d)
{
	u32 i, j;
	int ret;

	for (i = 0; i < pol->n_disk; i++) {
		const struct policy_disk_rule *r = &pol->disk[i];

		ret = check_ref(pol, r->key_id, POLICY_SECRET_KEY, POLICY_DISK_KEY_LEN,
				"aes-xts-plain64 needs a 64-byte key", r->origin,
				POLICY_REC_DISK, d);
		if (ret)
			return ret;
		for (j = 0; j < i; j++)
			if (same_disk(r, &pol->disk[j]) && same_range(r, &pol->disk[j]))
				return conflict(d, POLICY_REC_DISK, r->origin,
						pol->disk[j].origin, "overlaps");
	}
	return 0;
}

static int check_net_refs(const struct policy *pol, struct policy_diag *d)
{
	u32 i, j;
	int ret;

	for (i = 0; i < pol->n_net; i++) {
		const struct policy_net_rule *r = &pol->net[i];

		if (r->mode == POLICY_NET_ENCRYPT) {
			ret = check_ref(pol, r->key_id, POLICY_SECRET_KEY, POLICY_NET_KEY_LEN,
					"network encryption needs a 32-byte key", r->origin,
					POLICY_REC_NETWORK, d);
			if (ret)
				return ret;
		}
		for (j = 0; j < i; j++)
			if (r->bus == pol->net[j].bus && r->dev == pol->net[j].dev &&
			    r->fn == pol->net[j].fn)
				return conflict(d, POLICY_REC_NETWORK, r->origin,
						pol->net[j].origin, "same NIC as");
	}
	return 0;
}

static int check_file_refs(const struct policy *pol, struct policy_diag *d)
{
	u32 i, j;
	int ret;

	for (i = 0; i < pol->n_file; i++) {
		const struct policy_file_rule *r = &pol->file[i];

		if (r->action == POLICY_FILE_REQUIRE_AUTH) {
			ret = check_ref(pol, r->key_id, POLICY_SECRET_PASSWORD, 0,
					"require-auth needs a password secret", r->origin,
					POLICY_REC_FILE, d);
			if (ret)
				return ret;
		}
		for (j = 0; j < i; j++)
			if (r->match == pol->file[j].match && r->inode == pol->file[j].inode &&
			    str_eq(r->pattern, pol->file[j].pattern, sizeof(r->pattern)))
				return conflict(d, POLICY_REC_FILE, r->origin,
						pol->file[j].origin, "same object as");
	}
	return 0;
}

static int check_secret_table(const struct policy *pol, struct policy_diag *d)
{
	const struct policy_sealed *s = &pol->sealed;
	u32 i, j, phrases = 0;
	int ret = 0;

	if (!(pol->sections & BIT(POLICY_REC_SECRETS)))
		return 0;
	for (i = 0; i < s->count && !ret; i++) {
		phrases += s->info[i].kind == POLICY_SECRET_PHRASE;
		for (j = 0; j < i && !ret; j++)
			if (str_eq(s->info[i].name, s->info[j].name, POLICY_NAME_LEN))
				ret = fail(d, POLICY_E_STRING, s->info[i].name, 0, 0,
					   "secret name defined twice");
	}
	if (!ret && phrases > 1)
		ret = fail(d, POLICY_E_FIELD, "phrase", phrases, 0,
			   "at most one console phrase secret");
	if (ret && d) {
		d->rec = (s32)s->origin;
		d->type = POLICY_REC_SECRETS;
	}
	return ret;
}

int policy_check_refs(const struct policy *pol, struct policy_diag *d)
{
	int ret = check_secret_table(pol, d);

	if (!ret)
		ret = check_disk_refs(pol, d);
	if (!ret)
		ret = check_net_refs(pol, d);
	if (!ret)
		ret = check_file_refs(pol, d);
	return ret;
}

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
		return fail(c->d, POLICY_E_STRING, field, 0, 0, "not NUL-terminated");
	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return fail(c->d, POLICY_E_STRING, field, 0, 0, "non-printable byte");
	if (!all_zero(p + len, n - len))
		return fail(c->d, POLICY_E_STRING, field, 0, 0,
			    "non-zero bytes after the terminating NUL");
	memcpy(dst, p, len);
	dst[len] = 0;
	return 0;
}

static int want_len(struct dec *c, u32 len, u32 want)
{
	return len == want ? 0 : fail(c->d, POLICY_E_REC_LEN, NULL, len, want, NULL);
}

static int rsvd_zero(struct dec *c, const u8 *p, size_t n)
{
	return all_zero(p, n) ? 0 : bad_field(c->d, "reserved", p[0] | p[n - 1],
					      "reserved bytes must be zero");
}

static int singleton(struct dec *c)
{
	if (c->pol->sections & BIT(c->type))
		return fail(c->d, POLICY_E_REC_DUP, NULL, 0, 0, NULL);
	return 0;
}

static int too_many(struct dec *c, u32 max, const char *what)
{
	return fail(c->d, POLICY_E_REC_MANY, NULL, 0, max, what);
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
	memcpy(r->peer_mac, p + 6, 6);
	r->origin = c->idx;
	ret = rsvd_zero(c, p + 5, 1);
	if (!ret)
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
	r->inode = rd64(p + 8);
	r->origin = c->idx;
	ret = rsvd_zero(c, p + 2, 6);
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
	if (!ret)
		ret = rsvd_zero(c, p + 9, 3);
	if (ret)
		return ret;
	m->checks = rd32(p);
	m->interval_ms = rd32(p + 4);
	m->action = p[8];
	m->origin = c->idx;
	return policy_check_monitor(m, c->d);
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
		return bad_field(c->d, "ciphertext length", s->ct_len,
				 "differs from the sum of the secret lengths");
	return 0;
}

static int dec_secrets(struct dec *c, const u8 *p, u32 len)
{
	struct policy_sealed *s = &c->pol->sealed;
	u32 clear;
	int ret = singleton(c);

	if (!ret && len < POLICY_SECRETS_FIXED_LEN)
		ret = fail(c->d, POLICY_E_REC_LEN, NULL, len, POLICY_SECRETS_FIXED_LEN, NULL);
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
		return bad_field(c->d, "kdf", s->kdf, "only PBKDF2-HMAC-SHA256 (1)");
	if (s->aead != POLICY_AEAD_AES256_GCM)
		return bad_field(c->d, "aead", s->aead, "only AES-256-GCM (1)");
	if (s->iterations < POLICY_KDF_MIN_ITERATIONS || s->iterations > POLICY_KDF_MAX_ITERATIONS)
		return bad_field(c->d, "iterations", s->iterations,
				 "outside the allowed 100000..10000000");
	if (s->count < 1 || s->count > POLICY_MAX_SECRETS)
		return bad_field(c->d, "count", s->count, "must be 1..16 secrets");
	clear = POLICY_SECRETS_FIXED_LEN + s->count * POLICY_SECRET_ENTRY_LEN;
	if (len < clear + POLICY_TAG_LEN || s->ct_len != len - clear - POLICY_TAG_LEN)
		return fail(c->d, POLICY_E_REC_LEN, NULL, len,
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
		return fail(c->d, POLICY_E_SIG_ALG, NULL, p[0], 0, NULL);
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
	case POLICY_REC_SECRETS: return dec_secrets(c, p, len);
	case POLICY_REC_SIGNATURE: return dec_signature(c, p, len);
	}
	if (!(flags & POLICY_REC_IGNORABLE))
		return fail(c->d, POLICY_E_REC_TYPE, NULL, c->type, 0, NULL);
	c->pol->ignored++;
	return 0;
}

/* ---- header and parse ----------------------------------------------------- */
static int check_header(const u8 *blob, size_t len, struct policy_diag *d)
{
	u32 count;

	if (!blob)
		return fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
	if (len > POLICY_MAX_BLOB_SIZE)
		return fail(d, POLICY_E_TOO_BIG, NULL, len, POLICY_MAX_BLOB_SIZE, NULL);
	if (len < POLICY_HDR_LEN + POLICY_SIG_TOTAL)
		return fail(d, POLICY_E_SHORT, NULL, len, POLICY_HDR_LEN + POLICY_SIG_TOTAL, NULL);
	if (memcmp(blob, POLICY_MAGIC, 8))
		return fail(d, POLICY_E_MAGIC, NULL, 0, 0, NULL);
	if (rd16(blob + POLICY_W_HDR_FORMAT) != POLICY_FORMAT_VERSION)
		return fail(d, POLICY_E_FORMAT, NULL, rd16(blob + POLICY_W_HDR_FORMAT),
			    POLICY_FORMAT_VERSION, NULL);
	if (rd16(blob + POLICY_W_HDR_HDRLEN) != POLICY_HDR_LEN)
		return fail(d, POLICY_E_HEADER, "header length",
			    rd16(blob + POLICY_W_HDR_HDRLEN), 0, "must be 32");
	if (rd32(blob + POLICY_W_HDR_SIZE) != len)
		return fail(d, POLICY_E_SIZE, NULL, len, rd32(blob + POLICY_W_HDR_SIZE), NULL);
	count = rd32(blob + POLICY_W_HDR_COUNT);
	if (count < 1 || count > POLICY_MAX_RECORDS)
		return fail(d, POLICY_E_HEADER, "record count", count, 0, "must be 1..128");
	if (rd32(blob + POLICY_W_HDR_RSVD))
		return fail(d, POLICY_E_HEADER, "reserved", rd32(blob + POLICY_W_HDR_RSVD), 0,
			    "must be zero");
	if (!rd64(blob + POLICY_W_HDR_VERSION))
		return fail(d, POLICY_E_VERSION0, NULL, 0, 0, NULL);
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
			return at_rec(c, fail(c->d, POLICY_E_REC_TRUNC, NULL, len - off, 0, NULL));
		c->type = rd16(blob + off);
		flags = rd16(blob + off + 2);
		rlen = rd32(blob + off + 4);
		if (rlen > len - off - POLICY_REC_HDR_LEN)
			return at_rec(c, fail(c->d, POLICY_E_REC_OVERRUN, NULL, rlen, 0, NULL));
		if (flags & ~POLICY_REC_IGNORABLE)
			return at_rec(c, fail(c->d, POLICY_E_REC_FLAGS, NULL, flags, 0, NULL));
		ret = dec_record(c, blob + off + POLICY_REC_HDR_LEN, rlen, flags);
		if (ret)
			return at_rec(c, ret);
		c->pol->sections |= (u32)(c->type < 32 ? BIT(c->type) : 0);
		off += POLICY_REC_HDR_LEN + rlen;
		if (c->type == POLICY_REC_SIGNATURE && off != len)
			return at_rec(c, fail(c->d, POLICY_E_NO_SIG, NULL, 0, 0,
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
		return fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	memset(out, 0, sizeof(*out));
	ret = check_header(blob, len, diag);
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
		return fail(diag, POLICY_E_NO_SIG, NULL, 0, 0, "no signature record");
	if (c.idx != count)
		return fail(diag, POLICY_E_REC_COUNT, NULL, c.idx, count, NULL);
	ret = policy_check_refs(out, diag);
	if (ret && diag && diag->rec >= 0)
		diag->off = rec_offset(blob, len, (u32)diag->rec);
	return ret;
}

/* ---- signature ------------------------------------------------------------ */
int policy_fingerprint(const u8 *pubkey, size_t len, u8 out[POLICY_FPR_LEN])
{
	return mbedtls_sha256_ret(pubkey, len, out, 0) ? -POLICY_E_CRYPTO : 0;
}

static int ecdsa_check(const u8 *msg, size_t mlen, const u8 *pub, const u8 *rs,
		       struct policy_diag *d)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	u8 hash[32];
	int ret, err = 0;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_ecp_point_read_binary(&grp, &q, pub, POLICY_PUBKEY_LEN);
	if (!ret)
		ret = mbedtls_ecp_check_pubkey(&grp, &q);
	if (ret)
		err = fail(d, POLICY_E_PUBKEY, NULL, POLICY_PUBKEY_LEN, 0, NULL);
	if (!err && (mbedtls_mpi_read_binary(&r, rs, 32) ||
		     mbedtls_mpi_read_binary(&s, rs + 32, 32) ||
		     mbedtls_sha256_ret(msg, mlen, hash, 0)))
		err = fail(d, POLICY_E_CRYPTO, NULL, 1, 0, NULL);
	if (!err) {
		ret = mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &q, &r, &s);
		if (ret)
			err = fail(d, POLICY_E_SIG_BAD, NULL, 0, 0, NULL);
	}
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return err;
}

static int sig_key_mismatch(const u8 *fpr, struct policy_diag *d)
{
	char hex[17];
	int i;

	for (i = 0; i < 8; i++) {
		hex[2 * i] = "0123456789abcdef"[fpr[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[fpr[i] & 15];
	}
	hex[16] = 0;
	return fail(d, POLICY_E_SIG_KEY, hex, 0, 0, NULL);
}

int policy_verify(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		  struct policy_diag *diag)
{
	const u8 *sig;
	u8 fpr[POLICY_FPR_LEN];
	int ret = check_header(blob, len, diag);

	if (ret)
		return ret;
	sig = blob + len - POLICY_SIG_TOTAL;
	if (rd16(sig) != POLICY_REC_SIGNATURE || rd16(sig + 2) ||
	    rd32(sig + 4) != POLICY_SIGREC_LEN)
		return fail(diag, POLICY_E_NO_SIG, NULL, 0, 0,
			    "the last 108 bytes are not a signature record");
	sig += POLICY_REC_HDR_LEN;
	if (sig[0] != POLICY_SIG_ECDSA_P256_SHA256 || !all_zero(sig + 1, 3))
		return fail(diag, POLICY_E_SIG_ALG, NULL, sig[0], 0, NULL);
	if (!pubkey || pubkey_len != POLICY_PUBKEY_LEN || pubkey[0] != 0x04)
		return fail(diag, POLICY_E_PUBKEY, NULL, pubkey_len, 0, NULL);
	if (policy_fingerprint(pubkey, pubkey_len, fpr))
		return fail(diag, POLICY_E_CRYPTO, NULL, 1, 0, NULL);
	if (memcmp(fpr, sig + 4, POLICY_FPR_LEN))
		return sig_key_mismatch(sig + 4, diag);
	return ecdsa_check(blob, len - POLICY_SIG_TOTAL, pubkey, sig + 36, diag);
}

int policy_check_rollback(u64 version, u64 highest_accepted, struct policy_diag *diag)
{
	if (version < highest_accepted)
		return fail(diag, POLICY_E_ROLLBACK, NULL, version, highest_accepted, NULL);
	return 0;
}

int policy_load(const u8 *blob, size_t len, const u8 *pubkey, size_t pubkey_len,
		u64 highest_accepted, struct policy *out, struct policy_diag *diag)
{
	int ret = policy_verify(blob, len, pubkey, pubkey_len, diag);

	if (!ret)
		ret = policy_parse(blob, len, out, diag);
	if (!ret)
		ret = policy_check_rollback(out->version, highest_accepted, diag);
	return ret;
}

/* ---- secrets -------------------------------------------------------------- */
/*
 * HMAC-SHA256 with the ipad/opad states computed once: PBKDF2 then costs two
 * SHA-256 compressions per iteration instead of the four of mbedTLS's generic
 * loop, which redoes the key set-up every time (the unlock runs under Bochs).
 */
struct hmac_sha256_pre {
	mbedtls_sha256_context in, out;
};

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

static int check_secret_value(const struct policy_secret *s, struct policy_diag *d)
{
	u32 i;

	if (s->kind == POLICY_SECRET_PHRASE) {
		for (i = 0; i < s->len; i++)
			if (s->value[i] < 0x20 || s->value[i] > 0x7e)
				return fail(d, POLICY_E_SECRET, s->name, 0, 0,
					    "phrase has a non-printable byte");
	} else if (s->kind == POLICY_SECRET_PASSWORD) {
		if (rd32(s->value + POLICY_SALT_LEN) < POLICY_KDF_MIN_ITERATIONS)
			return fail(d, POLICY_E_SECRET, s->name, 0, 0,
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
		return fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
	for (i = 0; i < sealed->count; i++) {
		struct policy_secret *s = &out->s[i];
		const struct policy_secret_info *e = &sealed->info[i];

		if (e->len > POLICY_SECRET_MAX_LEN || off + e->len > sealed->ct_len) {
			policy_secrets_wipe(out);
			return fail(d, POLICY_E_ARG, NULL, 0, 0, NULL);
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
		return fail(d, POLICY_E_UNSEAL, NULL, 0, 0, NULL);
	if (ret)
		return fail(d, POLICY_E_CRYPTO, NULL, (u64)-ret, 0, NULL);
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
		return fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	memset(out, 0, sizeof(*out));
	if (!(pol->sections & BIT(POLICY_REC_SECRETS)))
		return fail(diag, POLICY_E_NO_SECRETS, NULL, 0, 0, NULL);
	if (s->iterations < POLICY_KDF_MIN_ITERATIONS || s->ct_len > sizeof(s->ct) ||
	    s->aad_len > sizeof(s->aad))
		return fail(diag, POLICY_E_ARG, NULL, 0, 0, NULL);
	ret = policy_kdf(pass, pass_len, s->salt, POLICY_SALT_LEN, s->iterations,
			 key, sizeof(key));
	if (ret)
		ret = fail(diag, POLICY_E_CRYPTO, NULL, 2, 0, NULL);
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
