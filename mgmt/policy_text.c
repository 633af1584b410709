// SPDX-License-Identifier: GPL-2.0-only
/* Text policy parser: one directive per line, see docs/policy.md. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_text.h"

#define TOK_MAX		24
#define TOK_LEN		(POLICY_PATTERN_LEN + 8)

struct tok {
	char s[TOK_LEN];
	int eq;				/* index of the first unquoted '=', or -1 */
	bool quoted;
};

struct pctx {
	struct policy_text *t;
	const char *file;
	u32 line;
	unsigned int flags;
	const char *dir;		/* the directive, for messages */
	struct tok tok[TOK_MAX];
	int n;
};

struct optdef {
	const char *name;
	const char *val;
};

#define OPT(n)		{ .name = (n) }

static int perr(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct pctx *c, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	if (c->line)
		n = (size_t)snprintf(c->t->err, sizeof(c->t->err), "%s:%u: ", c->file, c->line);
	else
		n = (size_t)snprintf(c->t->err, sizeof(c->t->err), "%s: ", c->file);
	if (n >= sizeof(c->t->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->t->err + n, sizeof(c->t->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* An error from a shared validator, worded without the blob's record prefix. */
static int perr_diag(struct pctx *c, const struct policy_diag *d)
{
	struct policy_diag copy = *d;
	char msg[200];

	copy.rec = -1;
	policy_diag_format(&copy, msg, sizeof(msg));
	return perr(c, "%s: %s", c->dir, msg);
}

/* ---- tokenizer ------------------------------------------------------------ */
static int tok_char(struct pctx *c, struct tok *t, size_t *len, char ch)
{
	if (*len + 1 >= TOK_LEN)
		return perr(c, "token longer than %d characters", TOK_LEN - 1);
	t->s[(*len)++] = ch;
	return 0;
}

static int tokenize(struct pctx *c, const char *p, size_t n)
{
	size_t i = 0, len;
	struct tok *t;
	bool q;

	for (c->n = 0;;) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i >= n || p[i] == '#')
			return 0;
		if (c->n == TOK_MAX)
			return perr(c, "more than %d words on one line", TOK_MAX);
		t = &c->tok[c->n++];
		memset(t, 0, sizeof(*t));
		t->eq = -1;
		for (len = 0, q = false; i < n && (q || (p[i] != ' ' && p[i] != '\t')); i++) {
			unsigned char ch = (unsigned char)p[i];

			if (ch < 0x20 || ch > 0x7e)
				return perr(c, "invalid byte 0x%02x (only printable ASCII)", ch);
			if (!q && ch == '#')
				break;
			if (ch == '"') {
				q = !q;
				t->quoted = true;
				continue;
			}
			if (q && ch == '\\') {
				if (i + 1 >= n || (p[i + 1] != '"' && p[i + 1] != '\\'))
					return perr(c, "bad escape in quoted string (use \\\" or \\\\)");
				ch = (unsigned char)p[++i];
			} else if (!q && ch == '=' && t->eq < 0) {
				t->eq = (int)len;
			}
			if (tok_char(c, t, &len, (char)ch))
				return -1;
		}
		if (q)
			return perr(c, "unterminated quoted string");
		t->s[len] = 0;
		if (i < n && p[i] == '#')
			return 0;
	}
}

/* ---- values --------------------------------------------------------------- */
static int num(struct pctx *c, const char *opt, const char *s, u64 max, u64 *out)
{
	int base = 10;
	u64 v = 0;
	int d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	if (!*s)
		goto bad;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			goto bad;
		if (v > (max - (u64)d) / (u64)base)
			return perr(c, "%s: %s: out of range (maximum %llu)", c->dir, opt,
				    (unsigned long long)max);
		v = v * (u64)base + (u64)d;
	}
	*out = v;
	return 0;
bad:
	return perr(c, "%s: %s: not a number (decimal or 0x hex)", c->dir, opt);
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* @n bytes of hex, optionally separated by @sep every byte; exactly, no more. */
static int hexbytes(const char *s, u8 *out, size_t n, char sep)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (i && sep && *s++ != sep)
			return -1;
		hi = hexval(s[0]);
		lo = hi < 0 ? -1 : hexval(s[1]);
		if (lo < 0)
			return -1;
		out[i] = (u8)(hi << 4 | lo);
		s += 2;
	}
	return *s ? -1 : 0;
}

/* GUID text 8-4-4-4-12 into the GPT on-disk byte order. */
static int guid(const char *s, u8 out[16])
{
	static const u8 order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	u8 raw[16];
	size_t i, j = 0;

	if (strlen(s) != 36)
		return -1;
	for (i = 0; i < 36; i += 2) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			i--;
			continue;
		}
		if (hexval(s[i]) < 0 || hexval(s[i + 1]) < 0)
			return -1;
		raw[j++] = (u8)(hexval(s[i]) << 4 | hexval(s[i + 1]));
	}
	for (i = 0; i < 16; i++)
		out[order[i]] = raw[i];
	return 0;
}

static int copy_str(struct pctx *c, const char *opt, const char *v, char *dst, size_t cap)
{
	if (strlen(v) >= cap)
		return perr(c, "%s: %s: longer than %zu characters", c->dir, opt, cap - 1);
	strcpy(dst, v);
	return 0;
}

static int key_name(struct pctx *c, const char *opt, const char *v, char *dst)
{
	if (policy_check_name(v, false))
		return perr(c, "%s: %s: '%s' is not a key id (1-15 of A-Z a-z 0-9 _ - ., "
			    "starting with a letter or digit)", c->dir, opt, v);
	strcpy(dst, v);
	return 0;
}

/* Pick "word" out of a NULL-terminated list; returns its index + @base. */
static int choice(struct pctx *c, const char *opt, const char *v, const char *const *list,
		  int base, u8 *out)
{
	char all[160] = "";
	int i;

	for (i = 0; list[i]; i++) {
		if (!strcmp(v, list[i])) {
			*out = (u8)(i + base);
			return 0;
		}
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s", i ? ", " : "",
			 list[i]);
	}
	return perr(c, "%s: %s: '%s' is not one of: %s", c->dir, opt, v, all);
}

/* ---- options -------------------------------------------------------------- */
static struct optdef *find_opt(struct optdef *defs, const char *name, size_t len)
{
	for (; defs->name; defs++)
		if (strlen(defs->name) == len && !strncmp(defs->name, name, len))
			return defs;
	return NULL;
}

static int get_opts(struct pctx *c, int from, struct optdef *defs)
{
	char names[200] = "";
	struct optdef *d;
	int i;

	for (i = from; i < c->n; i++) {
		struct tok *t = &c->tok[i];

		if (t->eq <= 0)
			return perr(c, "%s: expected name=value, got '%s'", c->dir, t->s);
		d = find_opt(defs, t->s, (size_t)t->eq);
		if (!d) {
			for (d = defs; d->name; d++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", d == defs ? "" : ", ", d->name);
			return perr(c, "%s: unknown option '%.*s' (expected: %s)", c->dir, t->eq,
				    t->s, names);
		}
		if (d->val)
			return perr(c, "%s: option '%s' given twice", c->dir, d->name);
		d->val = t->s + t->eq + 1;
		if (!*d->val)
			return perr(c, "%s: option '%s' has an empty value", c->dir, d->name);
	}
	return 0;
}

static const char *opt(struct optdef *defs, const char *name)
{
	struct optdef *d = find_opt(defs, name, strlen(name));

	return d ? d->val : NULL;
}

static int need(struct pctx *c, struct optdef *defs, const char *name)
{
	if (!opt(defs, name))
		return perr(c, "%s: missing option '%s='", c->dir, name);
	return 0;
}

static int opt_num(struct pctx *c, struct optdef *defs, const char *name, u64 max, u64 dflt,
		   u64 *out)
{
	const char *v = opt(defs, name);

	*out = dflt;
	return v ? num(c, name, v, max, out) : 0;
}

/* ---- directives ----------------------------------------------------------- */
static int singleton(struct pctx *c, u32 *line)
{
	if (*line)
		return perr(c, "%s: given twice (first on line %u)", c->dir, *line);
	*line = c->line;
	return 0;
}

static int want_kind(struct pctx *c)
{
	if (c->n < 2 || c->tok[1].eq >= 0)
		return perr(c, "%s: missing kind after '%s'", c->dir, c->dir);
	return 0;
}

static int do_version(struct pctx *c)
{
	u64 v;

	if (c->n != 2)
		return perr(c, "version: expected 'version <number>'");
	if (singleton(c, &c->t->version_line) || num(c, "version", c->tok[1].s, ~0ULL, &v))
		return -1;
	if (!v)
		return perr(c, "version: must be at least 1 (0 is reserved)");
	c->t->pol.version = v;
	return 0;
}

static int do_kdf(struct pctx *c)
{
	struct optdef o[] = { OPT("iterations"), OPT(NULL) };
	u64 v;

	if (singleton(c, &c->t->kdf_line) || get_opts(c, 1, o) || need(c, o, "iterations") ||
	    opt_num(c, o, "iterations", ~0u, 0, &v))
		return -1;
	if (v < POLICY_KDF_MIN_ITERATIONS || v > POLICY_KDF_MAX_ITERATIONS)
		return perr(c, "kdf: iterations %llu outside %u..%u (the documented minimum is %u)",
			    (unsigned long long)v, POLICY_KDF_MIN_ITERATIONS,
			    POLICY_KDF_MAX_ITERATIONS, POLICY_KDF_MIN_ITERATIONS);
	c->t->pol.sealed.iterations = (u32)v;
	return 0;
}

static int uart_port(struct pctx *c, const char *v, u64 *port)
{
	static const char *const com[] = { "com1", "com2", "com3", "com4", NULL };
	static const u16 base[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	int i;

	for (i = 0; com[i]; i++) {
		if (!strcmp(v, com[i])) {
			*port = base[i];
			return 0;
		}
	}
	return num(c, "port", v, 0xffff, port);
}

static int do_console(struct pctx *c)
{
	static const char *const kinds[] = { "uart", "framebuffer", NULL };
	struct optdef o[] = { OPT("port"), OPT("baud"), OPT("timeout"), OPT(NULL) };
	struct policy_console *con = &c->t->pol.console;
	struct policy_diag d;
	u64 port = 0, baud = 0, timeout;

	if (c->t->pol.sections & BIT(POLICY_REC_CONSOLE))
		return perr(c, "console: given twice (first on line %u)", con->origin);
	if (want_kind(c) || choice(c, "kind", c->tok[1].s, kinds, 1, &con->kind) ||
	    get_opts(c, 2, o) || opt_num(c, o, "timeout", ~0u, 300, &timeout))
		return -1;
	if (con->kind == POLICY_CONSOLE_UART) {
		if (need(c, o, "port") || uart_port(c, opt(o, "port"), &port) ||
		    opt_num(c, o, "baud", ~0u, 115200, &baud))
			return -1;
	} else if (opt(o, "port") || opt(o, "baud")) {
		return perr(c, "console: port= and baud= are only for 'console uart'");
	}
	con->port = (u16)port;
	con->baud = (u32)baud;
	con->timeout_s = (u32)timeout;
	con->origin = c->line;
	c->t->pol.sections |= BIT(POLICY_REC_CONSOLE);
	return policy_check_console(con, &d) ? perr_diag(c, &d) : 0;
}

static int do_monitor(struct pctx *c)
{
	static const char *const checks[] = { "kernel-text", "idt", "syscall-msrs", NULL };
	static const char *const actions[] = { "alert", "halt", NULL };
	struct optdef o[] = { OPT("checks"), OPT("interval"), OPT("action"), OPT("period"),
			      OPT("budget"), OPT(NULL) };
	struct policy_monitor *m = &c->t->pol.monitor;
	char list[TOK_LEN], *p, *save = NULL;
	struct policy_diag d;
	u64 interval, period, budget;
	u8 bit;

	if (c->t->pol.sections & BIT(POLICY_REC_MONITOR))
		return perr(c, "monitor: given twice (first on line %u)", m->origin);
	if (get_opts(c, 1, o) || need(c, o, "checks") ||
	    opt_num(c, o, "interval", ~0u, 1000, &interval) ||
	    opt_num(c, o, "period", 2550, 0, &period) ||
	    opt_num(c, o, "budget", 0xffff, 0, &budget))
		return -1;
	m->period_ms = (u32)period;
	m->budget_us = (u32)budget;
	m->action = POLICY_MON_ALERT;
	if (opt(o, "action") && choice(c, "action", opt(o, "action"), actions, 1, &m->action))
		return -1;
	snprintf(list, sizeof(list), "%s", opt(o, "checks"));
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (!strcmp(p, "all")) {
			m->checks |= POLICY_MON_ALL;
			continue;
		}
		if (choice(c, "checks", p, checks, 0, &bit))
			return -1;
		m->checks |= 1u << bit;
	}
	m->interval_ms = (u32)interval;
	m->origin = c->line;
	c->t->pol.sections |= BIT(POLICY_REC_MONITOR);
	return policy_check_monitor(m, &d) ? perr_diag(c, &d) : 0;
}

static int do_iommu(struct pctx *c)
{
	static const char *const modes[] = { "auto", "required", "optional", NULL };
	struct policy_iommu *i = &c->t->pol.iommu;
	struct policy_diag d;

	if (c->t->pol.sections & BIT(POLICY_REC_IOMMU))
		return perr(c, "iommu: given twice (first on line %u)", i->origin);
	if (c->n != 2 || c->tok[1].eq >= 0)
		return perr(c, "iommu: expected 'iommu auto|required|optional'");
	if (choice(c, "mode", c->tok[1].s, modes, POLICY_IOMMU_AUTO, &i->mode))
		return -1;
	i->origin = c->line;
	c->t->pol.sections |= BIT(POLICY_REC_IOMMU);
	return policy_check_iommu(i, &d) ? perr_diag(c, &d) : 0;
}

/* Options each disk kind accepts besides the common range/key ones. */
static const char *const disk_target_opts[4][4] = {
	{ "controller", "channel", "device", NULL },
	{ "controller", "port", NULL },
	{ "controller", "namespace", NULL },
	{ "model", "serial", NULL },
};

static int disk_target(struct pctx *c, struct optdef *o, struct policy_disk_rule *r)
{
	static const char *const devs[] = { "master", "slave", NULL };
	const char *const *allowed = disk_target_opts[r->match - 1];
	static const char *const all[] = { "controller", "channel", "device", "port",
					   "namespace", "model", "serial", NULL };
	u64 v;
	u8 dev;
	int i, j;

	for (i = 0; all[i]; i++) {
		for (j = 0; allowed[j] && strcmp(allowed[j], all[i]); j++)
			;
		if (opt(o, all[i]) && !allowed[j])
			return perr(c, "disk %s: option '%s' does not apply", c->tok[1].s, all[i]);
	}
	if (opt_num(c, o, "controller", 0xffff, 0, &v))
		return -1;
	r->controller = (u16)v;
	switch (r->match) {
	case POLICY_DISK_ATA:
		if (need(c, o, "channel") || need(c, o, "device") ||
		    opt_num(c, o, "channel", 0xffff, 0, &v))
			return -1;
		r->port = (u16)v;
		if (!choice(c, "device", opt(o, "device"), devs, 0, &dev))
			r->unit = dev;
		else if (num(c, "device", opt(o, "device"), ~0u, &v))
			return perr(c, "disk: device: use master, slave, 0 or 1");
		else
			r->unit = (u32)v;
		return 0;
	case POLICY_DISK_AHCI:
		if (need(c, o, "port") || opt_num(c, o, "port", 0xffff, 0, &v))
			return -1;
		r->port = (u16)v;
		return 0;
	case POLICY_DISK_NVME:
		if (need(c, o, "namespace") || opt_num(c, o, "namespace", ~0u, 0, &v))
			return -1;
		r->unit = (u32)v;
		return 0;
	}
	if (opt(o, "model") && copy_str(c, "model", opt(o, "model"), r->model, sizeof(r->model)))
		return -1;
	if (opt(o, "serial") &&
	    copy_str(c, "serial", opt(o, "serial"), r->serial, sizeof(r->serial)))
		return -1;
	return 0;
}

static int disk_range(struct pctx *c, struct optdef *o, struct policy_disk_rule *r)
{
	const char *part = opt(o, "partition"), *g = opt(o, "partition-guid");
	const char *lba = opt(o, "lba"), *dash;
	char start[32];
	u64 v;

	if (!!part + !!g + !!lba != 1)
		return perr(c, "disk: give exactly one of partition=, partition-guid=, lba=");
	if (part) {
		r->range = POLICY_RANGE_GPT_INDEX;
		if (num(c, "partition", part, ~0u, &v))
			return -1;
		r->gpt_index = (u32)v;
	} else if (g) {
		r->range = POLICY_RANGE_GPT_GUID;
		if (guid(g, r->gpt_guid))
			return perr(c, "disk: partition-guid: '%s' is not a GUID "
				    "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", g);
	} else {
		r->range = POLICY_RANGE_LBA;
		dash = strchr(lba, '-');
		if (!dash || (size_t)(dash - lba) >= sizeof(start))
			return perr(c, "disk: lba: expected START-END (END exclusive), got '%s'",
				    lba);
		memcpy(start, lba, (size_t)(dash - lba));
		start[dash - lba] = 0;
		if (num(c, "lba start", start, ~0ULL, &r->lba_start) ||
		    num(c, "lba end", dash + 1, ~0ULL, &r->lba_end))
			return -1;
	}
	return 0;
}

static int do_disk(struct pctx *c)
{
	static const char *const kinds[] = { "ata", "ahci", "nvme", "id", NULL };
	struct optdef o[] = { OPT("controller"), OPT("channel"), OPT("device"), OPT("port"),
			      OPT("namespace"), OPT("model"), OPT("serial"), OPT("partition"),
			      OPT("partition-guid"), OPT("lba"), OPT("key"), OPT("iv-offset"),
			      OPT("cipher"), OPT(NULL) };
	struct policy *pol = &c->t->pol;
	struct policy_disk_rule *r;
	struct policy_diag d;

	if (pol->n_disk >= POLICY_MAX_DISK_RULES)
		return perr(c, "disk: more than %d disk rules", POLICY_MAX_DISK_RULES);
	r = &pol->disk[pol->n_disk];
	memset(r, 0, sizeof(*r));
	r->cipher = POLICY_CIPHER_AES_XTS_PLAIN64;
	r->origin = c->line;
	if (want_kind(c) || choice(c, "kind", c->tok[1].s, kinds, 1, &r->match) ||
	    get_opts(c, 2, o) || disk_target(c, o, r) || disk_range(c, o, r) ||
	    need(c, o, "key") || key_name(c, "key", opt(o, "key"), r->key_id) ||
	    opt_num(c, o, "iv-offset", ~0ULL, 0, &r->iv_offset))
		return -1;
	if (opt(o, "cipher") && strcmp(opt(o, "cipher"), "aes-xts-plain64"))
		return perr(c, "disk: cipher: only aes-xts-plain64 is supported");
	if (policy_check_disk(r, &d))
		return perr_diag(c, &d);
	pol->n_disk++;
	pol->sections |= BIT(POLICY_REC_DISK);
	return 0;
}

static int bdf(const char *s, struct policy_net_rule *r)
{
	unsigned int b, dv, f;
	int end = 0;

	if (sscanf(s, "%2x:%2x.%1x%n", &b, &dv, &f, &end) != 3 || s[end] || strlen(s) != 7)
		return -1;
	r->bus = (u8)b;
	r->dev = (u8)dv;
	r->fn = (u8)f;
	return 0;
}

/* network default mode=block|pass: the NICs no other rule names. */
static int network_default(struct pctx *c, struct policy_net_rule *r)
{
	static const char *const modes[] = { "block", "pass", NULL };
	struct optdef o[] = { OPT("mode"), OPT(NULL) };
	struct policy *pol = &c->t->pol;
	struct policy_diag d;

	r->nic = POLICY_NIC_DEFAULT;
	if (get_opts(c, 2, o) || need(c, o, "mode") ||
	    choice(c, "mode", opt(o, "mode"), modes, POLICY_NET_BLOCK, &r->mode))
		return -1;
	if (policy_check_net(r, &d))
		return perr_diag(c, &d);
	pol->n_net++;
	pol->sections |= BIT(POLICY_REC_NETWORK);
	return 0;
}

static int do_network(struct pctx *c)
{
	static const char *const kinds[] = { "e1000", NULL };
	static const char *const modes[] = { "encrypt", "block", "pass", NULL };
	static const char *const ciphers[] = { "gcm-aes-128", "gcm-aes-256", NULL };
	struct optdef o[] = { OPT("bdf"), OPT("mode"), OPT("peer"), OPT("key"), OPT("cipher"),
			      OPT(NULL) };
	struct policy *pol = &c->t->pol;
	struct policy_net_rule *r;
	struct policy_diag d;

	if (pol->n_net >= POLICY_MAX_NET_RULES)
		return perr(c, "network: more than %d network rules", POLICY_MAX_NET_RULES);
	r = &pol->net[pol->n_net];
	memset(r, 0, sizeof(*r));
	r->origin = c->line;
	if (want_kind(c))
		return -1;
	if (!strcmp(c->tok[1].s, "default"))
		return network_default(c, r);
	if (choice(c, "kind", c->tok[1].s, kinds, 1, &r->nic) ||
	    get_opts(c, 2, o) || need(c, o, "bdf") || need(c, o, "mode") ||
	    choice(c, "mode", opt(o, "mode"), modes, 1, &r->mode))
		return -1;
	if (bdf(opt(o, "bdf"), r))
		return perr(c, "network: bdf: '%s' is not BB:DD.F (hex)", opt(o, "bdf"));
	if (opt(o, "peer") && hexbytes(opt(o, "peer"), r->peer_mac, 6, ':'))
		return perr(c, "network: peer: '%s' is not a MAC address", opt(o, "peer"));
	if (opt(o, "key") && key_name(c, "key", opt(o, "key"), r->key_id))
		return -1;
	if (opt(o, "cipher") && !strncmp(opt(o, "cipher"), "gcm-aes-xpn-", 12))
		return perr(c, "network: cipher: '%s': XPN (64-bit PN) suites are not implemented; "
			    "use gcm-aes-128 or gcm-aes-256", opt(o, "cipher"));
	if (opt(o, "cipher") && choice(c, "cipher", opt(o, "cipher"), ciphers, 0, &r->cipher))
		return -1;
	if (policy_check_net(r, &d))
		return perr_diag(c, &d);
	pol->n_net++;
	pol->sections |= BIT(POLICY_REC_NETWORK);
	return 0;
}

static int do_file(struct pctx *c)
{
	static const char *const actions[] = { "require-auth", "deny", "read-only", NULL };
	struct optdef o[] = { OPT("path"), OPT("inode"), OPT("action"), OPT("password"),
			      OPT("part"), OPT(NULL) };
	u64 part;
	struct policy *pol = &c->t->pol;
	struct policy_file_rule *r;
	struct policy_diag d;

	if (pol->n_file >= POLICY_MAX_FILE_RULES)
		return perr(c, "file: more than %d file rules", POLICY_MAX_FILE_RULES);
	r = &pol->file[pol->n_file];
	memset(r, 0, sizeof(*r));
	r->origin = c->line;
	if (get_opts(c, 1, o) || need(c, o, "action") || need(c, o, "part") ||
	    choice(c, "action", opt(o, "action"), actions, 1, &r->action) ||
	    num(c, "part", opt(o, "part"), POLICY_FILE_PART_MAX, &part))
		return -1;
	r->part = (u32)part;
	if (!opt(o, "path") == !opt(o, "inode"))
		return perr(c, "file: give exactly one of path=, inode=");
	r->match = opt(o, "path") ? POLICY_FILE_PATH : POLICY_FILE_INODE;
	if (opt(o, "path") &&
	    copy_str(c, "path", opt(o, "path"), r->pattern, sizeof(r->pattern)))
		return -1;
	if (opt(o, "inode") && num(c, "inode", opt(o, "inode"), ~0ULL, &r->inode))
		return -1;
	if (opt(o, "password") && key_name(c, "password", opt(o, "password"), r->key_id))
		return -1;
	if (r->action == POLICY_FILE_REQUIRE_AUTH && !r->key_id[0])
		return perr(c, "file: action require-auth needs password=<secret name>");
	if (policy_check_file(r, &d))
		return perr_diag(c, &d);
	pol->n_file++;
	pol->sections |= BIT(POLICY_REC_FILE);
	return 0;
}

/* ---- secrets -------------------------------------------------------------- */
static int secret_value(struct pctx *c, struct policy_secret *s, u8 *origin, const char *v,
			bool quoted)
{
	size_t len = strlen(v);
	u64 n = POLICY_SECRET_MAX_LEN;

	if (s->kind != POLICY_SECRET_KEY) {
		if (len < 1 || len > POLICY_SECRET_MAX_LEN)
			return perr(c, "%s: value must be 1..%d characters", c->dir,
				    POLICY_SECRET_MAX_LEN);
		if (s->kind == POLICY_SECRET_PASSWORD && len < 8)
			return perr(c, "password: must be at least 8 characters");
		memcpy(s->value, v, len);
		s->len = (u16)len;
		*origin = s->kind == POLICY_SECRET_PASSWORD ? POLICY_TEXT_PASSWORD :
			  POLICY_TEXT_LITERAL;
		return 0;
	}
	if (!quoted && (!strcmp(v, "random") || !strncmp(v, "random:", 7))) {
		if (v[6] && num(c, "random length", v + 7, ~0u, &n))
			return -1;
		if (n < 16 || n > POLICY_SECRET_MAX_LEN)
			return perr(c, "key: random length %llu outside 16..64 bytes",
				    (unsigned long long)n);
		s->len = (u16)n;
		*origin = POLICY_TEXT_RANDOM;
		return 0;
	}
	if (len % 2 || len < 32 || len > 2 * POLICY_SECRET_MAX_LEN ||
	    hexbytes(v, s->value, len / 2, 0))
		return perr(c, "key: value must be 32..128 hex digits (16..64 bytes) or random[:N]");
	s->len = (u16)(len / 2);
	*origin = POLICY_TEXT_LITERAL;
	return 0;
}

static int do_secret(struct pctx *c, u8 kind)
{
	struct policy_text *t = c->t;
	struct policy_secret *s;
	const char *name, *val;
	bool quoted;
	u32 i;

	if (c->n == 4 && !strcmp(c->tok[2].s, "=") && !c->tok[2].quoted) {
		name = c->tok[1].s;
		val = c->tok[3].s;
		quoted = c->tok[3].quoted;
	} else if (c->n == 2 && c->tok[1].eq > 0) {
		c->tok[1].s[c->tok[1].eq] = 0;
		name = c->tok[1].s;
		val = c->tok[1].s + c->tok[1].eq + 1;
		quoted = c->tok[1].quoted;
	} else {
		return perr(c, "%s: expected '%s <name> = <value>'", c->dir, c->dir);
	}
	if (t->sec.count >= POLICY_MAX_SECRETS)
		return perr(c, "%s: more than %d secrets", c->dir, POLICY_MAX_SECRETS);
	s = &t->sec.s[t->sec.count];
	memset(s, 0, sizeof(*s));
	if (key_name(c, "name", name, s->name))
		return -1;
	for (i = 0; i < t->sec.count; i++) {
		if (!strcmp(t->sec.s[i].name, name))
			return perr(c, "%s: secret '%s' already defined (line %u)", c->dir, name,
				    t->sec_line[i]);
		if (kind == POLICY_SECRET_PHRASE && t->sec.s[i].kind == kind)
			return perr(c, "phrase: only one console phrase (line %u has one)",
				    t->sec_line[i]);
	}
	s->kind = kind;
	if (secret_value(c, s, &t->origin[t->sec.count], val, quoted))
		return -1;
	t->sec_line[t->sec.count++] = c->line;
	return 0;
}

static int do_line(struct pctx *c)
{
	static const char *const secrets[] = { "key", "phrase", "password", NULL };
	const char *d = c->tok[0].s;
	int i;

	c->dir = d;
	if (c->tok[0].quoted || c->tok[0].eq >= 0)
		return perr(c, "expected a directive, got '%s'", d);
	for (i = 0; secrets[i]; i++)
		if (!strcmp(d, secrets[i]))
			return do_secret(c, (u8)(i + 1));
	if (c->flags & POLICY_TEXT_SECRETS_ONLY)
		return perr(c, "'%s': a secrets file holds only key, phrase and password", d);
	if (!strcmp(d, "version"))
		return do_version(c);
	if (!strcmp(d, "kdf"))
		return do_kdf(c);
	if (!strcmp(d, "console"))
		return do_console(c);
	if (!strcmp(d, "disk"))
		return do_disk(c);
	if (!strcmp(d, "network"))
		return do_network(c);
	if (!strcmp(d, "file"))
		return do_file(c);
	if (!strcmp(d, "monitor"))
		return do_monitor(c);
	if (!strcmp(d, "iommu"))
		return do_iommu(c);
	return perr(c, "unknown directive '%s'", d);
}

void policy_text_init(struct policy_text *t)
{
	memset(t, 0, sizeof(*t));
	t->pol.sealed.iterations = POLICY_KDF_DEFAULT_ITERATIONS;
}

int policy_text_parse(struct policy_text *t, const char *text, size_t len, const char *fname,
		      unsigned int flags)
{
	struct pctx c = { .t = t, .file = fname, .flags = flags };
	size_t i = 0, n;

	if (!(flags & POLICY_TEXT_SECRETS_ONLY))
		snprintf(t->file, sizeof(t->file), "%s", fname);
	while (i < len) {
		const char *p = text + i;

		c.line++;
		for (n = 0; i + n < len && p[n] != '\n'; n++)
			;
		i += n + 1;
		if (n && p[n - 1] == '\r')
			n--;
		if (n > POLICY_TEXT_LINE_MAX)
			return perr(&c, "line longer than %d characters", POLICY_TEXT_LINE_MAX);
		if (tokenize(&c, p, n))
			return -1;
		if (c.n && do_line(&c))
			return -1;
	}
	return 0;
}

static int finish_refs(struct policy_text *t, struct pctx *c)
{
	struct policy_diag d;
	char msg[200];

	if (!policy_check_refs(&t->pol, &d))
		return 0;
	c->line = (u32)d.rec;
	c->dir = policy_section_name(d.type);
	if (d.err == -POLICY_E_CONFLICT)
		return perr(c, "%s: %s the rule on line %llu", c->dir, d.why,
			    (unsigned long long)d.b);
	d.rec = -1;
	policy_diag_format(&d, msg, sizeof(msg));
	return perr(c, "%s: %s", c->dir, msg);
}

int policy_text_finish(struct policy_text *t)
{
	struct policy_sealed *s = &t->pol.sealed;
	struct pctx c = { .t = t, .file = t->file };
	u32 i;

	if (!t->version_line)
		return perr(&c, "missing 'version <number>' directive");
	s->count = (u16)t->sec.count;
	for (i = 0; i < t->sec.count; i++) {
		memcpy(s->info[i].name, t->sec.s[i].name, POLICY_NAME_LEN);
		s->info[i].kind = t->sec.s[i].kind;
		s->info[i].len = t->origin[i] == POLICY_TEXT_PASSWORD ? POLICY_PASSWORD_LEN :
				 t->sec.s[i].len;
	}
	if (t->sec.count) {
		t->pol.sections |= BIT(POLICY_REC_SECRETS);
		s->kdf = POLICY_KDF_PBKDF2_SHA256;
		s->aead = POLICY_AEAD_AES256_GCM;
		s->origin = t->sec_line[0];
	}
	return finish_refs(t, &c);
}
