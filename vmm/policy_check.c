// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy semantic and cross-record validators, shared by the VMM decoder and
 * the host text parser (mgmt/policy_text.c).
 */
#include "policy_priv.h"

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
		return policy_fail(d, POLICY_E_STRING, "key", 0, 0, "not allowed for this rule");
	if (required && policy_check_name(key, false))
		return policy_fail(d, POLICY_E_STRING, "key", 0, 0,
			    "missing or not a key id (1-15 of A-Z a-z 0-9 _ - .)");
	return 0;
}

int policy_check_console(const struct policy_console *c, struct policy_diag *d)
{
	if (c->kind == POLICY_CONSOLE_UART) {
		if (c->port < 0x100 || c->port > 0xfff8 || (c->port & 7))
			return policy_bad_field(d, "port", c->port,
					 "not an 8-aligned UART base in 0x100..0xfff8");
		if (c->baud < 300 || c->baud > 115200 || 115200 % c->baud)
			return policy_bad_field(d, "baud", c->baud, "must divide 115200, 300..115200");
	} else if (c->kind == POLICY_CONSOLE_FB_PS2) {
		if (c->port || c->baud)
			return policy_bad_field(d, c->port ? "port" : "baud",
					 c->port ? c->port : c->baud,
					 "must be 0 for a framebuffer console");
	} else {
		return policy_bad_field(d, "kind", c->kind, "not uart (1) or framebuffer (2)");
	}
	if (c->timeout_s < 1 || c->timeout_s > 86400)
		return policy_bad_field(d, "timeout", c->timeout_s, "must be 1..86400 seconds");
	return 0;
}

static int check_disk_target(const struct policy_disk_rule *r, struct policy_diag *d)
{
	bool by_id = r->match == POLICY_DISK_IDENTITY;

	if (!by_id && (r->model[0] || r->serial[0]))
		return policy_fail(d, POLICY_E_STRING, r->model[0] ? "model" : "serial", 0, 0,
			    "only allowed in identity rules");
	if (r->controller > 15)
		return policy_bad_field(d, "controller", r->controller, "must be 0..15");
	switch (r->match) {
	case POLICY_DISK_ATA:
		if (r->port > 1)
			return policy_bad_field(d, "channel", r->port, "must be 0 or 1");
		if (r->unit > 1)
			return policy_bad_field(d, "device", r->unit, "must be 0 (master) or 1 (slave)");
		return 0;
	case POLICY_DISK_AHCI:
		if (r->port > 31)
			return policy_bad_field(d, "port", r->port, "must be 0..31");
		if (r->unit)
			return policy_bad_field(d, "unit", r->unit, "must be 0 for ahci");
		return 0;
	case POLICY_DISK_NVME:
		if (r->port)
			return policy_bad_field(d, "port", r->port, "must be 0 for nvme");
		if (r->unit == 0 || r->unit == 0xffffffffu)
			return policy_bad_field(d, "namespace", r->unit, "must be 1..0xfffffffe");
		return 0;
	case POLICY_DISK_IDENTITY:
		if (r->controller || r->port || r->unit)
			return policy_bad_field(d, "controller", r->controller,
					 "controller/port/unit must be 0 in identity rules");
		if (!r->model[0] && !r->serial[0])
			return policy_fail(d, POLICY_E_STRING, "model", 0, 0,
				    "identity rule needs a model or a serial");
		return 0;
	}
	return policy_bad_field(d, "match", r->match, "not ata, ahci, nvme or identity");
}

static int check_disk_range(const struct policy_disk_rule *r, struct policy_diag *d)
{
	bool lba = r->lba_start || r->lba_end;
	bool guid = !all_zero(r->gpt_guid, sizeof(r->gpt_guid));

	switch (r->range) {
	case POLICY_RANGE_LBA:
		if (r->lba_start >= r->lba_end)
			return policy_bad_field(d, "lba", r->lba_start, "empty range (start >= end)");
		if (r->lba_end > (1ULL << 48))
			return policy_bad_field(d, "lba", r->lba_end, "end beyond 2^48 sectors");
		if (guid || r->gpt_index)
			return policy_bad_field(d, "range", r->range, "LBA rule with partition fields");
		return 0;
	case POLICY_RANGE_GPT_GUID:
		if (!guid)
			return policy_bad_field(d, "partition-guid", 0, "must not be all zero");
		if (lba || r->gpt_index)
			return policy_bad_field(d, "range", r->range, "GUID rule with LBA/index fields");
		return 0;
	case POLICY_RANGE_GPT_INDEX:
		if (r->gpt_index < 1 || r->gpt_index > 128)
			return policy_bad_field(d, "partition", r->gpt_index, "must be 1..128");
		if (lba || guid)
			return policy_bad_field(d, "range", r->range, "index rule with LBA/GUID fields");
		return 0;
	}
	return policy_bad_field(d, "range", r->range, "not lba, partition-guid or partition");
}

int policy_check_disk(const struct policy_disk_rule *r, struct policy_diag *d)
{
	int ret;

	if (r->cipher != POLICY_CIPHER_AES_XTS_PLAIN64)
		return policy_bad_field(d, "cipher", r->cipher, "only aes-xts-plain64 (1)");
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

	if (r->nic != POLICY_NIC_E1000 && r->nic != POLICY_NIC_DEFAULT)
		return policy_bad_field(d, "nic", r->nic, "only e1000 (1) or default (255)");
	if (r->mode < POLICY_NET_ENCRYPT || r->mode > POLICY_NET_PASS)
		return policy_bad_field(d, "mode", r->mode, "not encrypt, block or pass");
	if (r->nic == POLICY_NIC_DEFAULT && enc)
		return policy_bad_field(d, "mode", r->mode, "the default is block or pass");
	if (r->nic == POLICY_NIC_DEFAULT && (r->bus || r->dev || r->fn))
		return policy_bad_field(d, "bus", r->bus, "the default names no PCI function");
	if (r->dev > 31 || r->fn > 7)
		return policy_bad_field(d, r->dev > 31 ? "device" : "function",
				 r->dev > 31 ? r->dev : r->fn, "PCI device 0..31, function 0..7");
	if (enc && (!mac || (r->peer_mac[0] & 1)))
		return policy_bad_field(d, "peer", r->peer_mac[0], "encrypt needs a unicast peer MAC");
	if (!enc && mac)
		return policy_bad_field(d, "peer", r->peer_mac[0], "only allowed with mode encrypt");
	if (r->cipher > POLICY_NET_GCM_AES_256 || (!enc && r->cipher))
		return policy_bad_field(d, "cipher", r->cipher,
					"gcm-aes-128 (0) or gcm-aes-256 (1), encrypt only");
	return check_key_id(r->key_id, enc, d);
}

static int check_path(const char *p, struct policy_diag *d)
{
	size_t i, n = str_len(p, POLICY_PATTERN_LEN + 1);

	if (p[0] != '/')
		return policy_fail(d, POLICY_E_STRING, "path", 0, 0, "must start with '/'");
	for (i = 0; i < n; i++) {
		if (p[i] == '/' && p[i + 1] == '/')
			return policy_fail(d, POLICY_E_STRING, "path", 0, 0, "empty component");
		if (p[i] == '/' && p[i + 1] == '.' && p[i + 2] == '.' &&
		    (p[i + 3] == '/' || !p[i + 3]))
			return policy_fail(d, POLICY_E_STRING, "path", 0, 0, "'..' component");
	}
	return 0;
}

int policy_check_file(const struct policy_file_rule *r, struct policy_diag *d)
{
	int ret;

	if (r->action != POLICY_FILE_REQUIRE_AUTH && r->action != POLICY_FILE_DENY &&
	    r->action != POLICY_FILE_READ_ONLY)
		return policy_bad_field(d, "action", r->action,
					"not require-auth (1), deny (2) or read-only (3)");
	if (r->part < 1 || r->part > POLICY_FILE_PART_MAX)
		return policy_bad_field(d, "part", r->part, "not a GPT partition index 1..128");
	if (r->match == POLICY_FILE_PATH) {
		ret = check_path(r->pattern, d);
		if (ret)
			return ret;
		if (r->inode)
			return policy_bad_field(d, "inode", r->inode, "not allowed in a path rule");
	} else if (r->match == POLICY_FILE_INODE) {
		if (!r->inode)
			return policy_bad_field(d, "inode", 0, "must not be 0");
		if (r->pattern[0])
			return policy_fail(d, POLICY_E_STRING, "path", 0, 0,
				    "not allowed in an inode rule");
	} else {
		return policy_bad_field(d, "match", r->match, "not path (1) or inode (2)");
	}
	return check_key_id(r->key_id, r->action == POLICY_FILE_REQUIRE_AUTH, d);
}

int policy_check_monitor(const struct policy_monitor *m, struct policy_diag *d)
{
	if (!m->checks || (m->checks & ~POLICY_MON_ALL))
		return policy_bad_field(d, "checks", m->checks,
				 "must be a non-empty set of kernel-text, idt, syscall-msrs");
	if (m->interval_ms < 10 || m->interval_ms > 3600000)
		return policy_bad_field(d, "interval", m->interval_ms, "must be 10..3600000 ms");
	if (m->action != POLICY_MON_ALERT && m->action != POLICY_MON_HALT)
		return policy_bad_field(d, "action", m->action, "not alert (1) or halt (2)");
	if (m->period_ms && (m->period_ms < 10 || m->period_ms > 1000 || m->period_ms % 10))
		return policy_bad_field(d, "period", m->period_ms,
				 "must be 10..1000 ms, a multiple of 10");
	if (m->budget_us && (m->budget_us < 100 || m->budget_us > 50000))
		return policy_bad_field(d, "budget", m->budget_us, "must be 100..50000 us");
	if ((m->budget_us ? m->budget_us : 2000) * 2 >
	    (m->period_ms ? m->period_ms : 100) * 1000)
		return policy_bad_field(d, "budget", m->budget_us,
				 "must be at most half the period");
	return 0;
}

int policy_check_iommu(const struct policy_iommu *i, struct policy_diag *d)
{
	if (i->mode < POLICY_IOMMU_AUTO || i->mode > POLICY_IOMMU_OPTIONAL)
		return policy_bad_field(d, "mode", i->mode,
				 "not auto (1), required (2) or optional (3)");
	return 0;
}

u8 policy_iommu_mode(const struct policy *pol)
{
	if (!pol || !(pol->sections & BIT(POLICY_REC_IOMMU)))
		return POLICY_IOMMU_AUTO;
	return pol->iommu.mode;
}

int policy_check_secret_info(const struct policy_secret_info *s, struct policy_diag *d)
{
	if (policy_check_name(s->name, false))
		return policy_fail(d, POLICY_E_STRING, "name", 0, 0, "not a key id");
	switch (s->kind) {
	case POLICY_SECRET_KEY:
		if (s->len < 16 || s->len > POLICY_SECRET_MAX_LEN)
			return policy_bad_field(d, s->name, s->len, "key length must be 16..64 bytes");
		return 0;
	case POLICY_SECRET_PHRASE:
		if (s->len < 1 || s->len > POLICY_SECRET_MAX_LEN)
			return policy_bad_field(d, s->name, s->len, "phrase length must be 1..64");
		return 0;
	case POLICY_SECRET_PASSWORD:
		if (s->len != POLICY_PASSWORD_LEN)
			return policy_bad_field(d, s->name, s->len, "password hash must be 52 bytes");
		return 0;
	}
	return policy_bad_field(d, s->name, s->kind, "kind not key (1), phrase (2) or password (3)");
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
		ret = policy_fail(d, POLICY_E_KEYREF, key, 0, 0, NULL);
	else if (s->kind != kind || (len && s->len != len))
		ret = policy_fail(d, POLICY_E_KEYKIND, key, s->kind, s->len, why);
	if (ret && d) {
		d->rec = (s32)origin;
		d->type = type;
	}
	return ret;
}

static int conflict(struct policy_diag *d, u16 type, u32 origin, u32 other, const char *why)
{
	policy_fail(d, POLICY_E_CONFLICT, NULL, 0, other, why);
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
			if (r->nic == POLICY_NIC_DEFAULT && pol->net[j].nic == POLICY_NIC_DEFAULT)
				return conflict(d, POLICY_REC_NETWORK, r->origin,
						pol->net[j].origin, "a second default, as");
			else if (r->nic != POLICY_NIC_DEFAULT &&
				 pol->net[j].nic != POLICY_NIC_DEFAULT &&
				 r->bus == pol->net[j].bus && r->dev == pol->net[j].dev &&
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
			    r->part == pol->file[j].part &&
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
				ret = policy_fail(d, POLICY_E_STRING, s->info[i].name, 0, 0,
					   "secret name defined twice");
	}
	if (!ret && phrases > 1)
		ret = policy_fail(d, POLICY_E_FIELD, "phrase", phrases, 0,
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

u16 policy_unenforced_section(const struct policy *pol, u32 enforced, u16 console_port)
{
	static const u16 rules[] = {
		POLICY_REC_CONSOLE, POLICY_REC_DISK, POLICY_REC_NETWORK,
		POLICY_REC_FILE, POLICY_REC_MONITOR, POLICY_REC_IOMMU,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(rules); i++) {
		if (!(pol->sections & BIT(rules[i])))
			continue;
		if (!(enforced & BIT(rules[i])))
			return rules[i];
		if (rules[i] == POLICY_REC_CONSOLE &&
		    (pol->console.kind != POLICY_CONSOLE_UART ||
		     pol->console.port != console_port))
			return rules[i];
	}
	return 0;
}

u8 policy_net_mode(const struct policy *pol, u8 bus, u8 dev, u8 fn,
		   const struct policy_net_rule **rule)
{
	const struct policy_net_rule *def = NULL;
	u32 i;

	for (i = 0; i < pol->n_net && i < POLICY_MAX_NET_RULES; i++) {
		const struct policy_net_rule *r = &pol->net[i];

		if (r->nic == POLICY_NIC_DEFAULT)
			def = r;
		else if (r->bus == bus && r->dev == dev && r->fn == fn) {
			def = r;
			break;
		}
	}
	if (rule)
		*rule = def;
	return def ? def->mode : POLICY_NET_BLOCK;
}
