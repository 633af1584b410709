// SPDX-License-Identifier: GPL-2.0-only
/* The file-access dialog on the trusted console: text, password input, check. */
#include "auth_priv.h"

#include <mamori/audit.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>

#define CH_CTRL_C	0x03
#define AUTH_INPUT_MAX	64	/* bytes taken per poll */
#define AUTH_RULE_LINE	"  -----------------------------------------------------------\n"

/* Copy @src printable: bytes outside 0x20..0x7e become '?', long ones end "...". */
static void auth_printable(char *dst, const char *src)
{
	size_t n = 0;

	for (; src[n] && n < AUTH_PATH_MAX; n++)
		dst[n] = (src[n] >= 0x20 && src[n] <= 0x7e) ? src[n] : '?';
	if (src[n] && n >= 3)
		memcpy(dst + n - 3, "...", 3);
	dst[n] = 0;
}

static void say(const struct auth_state *st, const char *s)
{
	st->con->puts(s);
}

/* Formatted text; only non-secret values go through here. */
static void sayf(const struct auth_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sayf(const struct auth_state *st, const char *fmt, ...)
{
	char buf[AUTH_PATH_MAX + 96];
	va_list ap;

	va_start(ap, fmt);
	log_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	say(st, buf);
}

static void say_phrase(const struct auth_state *st, const struct policy_secret *ph)
{
	char buf[POLICY_SECRET_MAX_LEN + 1];

	memcpy(buf, ph->value, ph->len);
	buf[ph->len] = 0;
	say(st, "  Phrase:  \"");
	say(st, buf);
	say(st, "\"\n");
	policy_wipe(buf, sizeof(buf));
}

/* Drop what was typed before the prompt: no stale byte is taken as an answer. */
static void auth_drain(const struct auth_state *st)
{
	u32 n = 0;

	while (st->con->getc() >= 0 && ++n < 4096)
		;
}

static void auth_prompt(struct auth_state *st, u64 now)
{
	auth_drain(st);
	policy_line_init(&st->line, st->pass, sizeof(st->pass));
	st->phase = AUTH_TYPING;
	st->d_deadline = now + AUTH_DIALOG_TIMEOUT_MS;
	sayf(st, "  Password '%s' (try %u of %u; Enter on an empty line or Ctrl-C "
	     "cancels): ", st->pol->file[st->d_rule].key_id, st->d_try + 1, AUTH_TRIES);
}

int auth_dialog_open(struct auth_state *st, u32 rule, const char *path, u32 access, u64 now)
{
	const struct policy_file_rule *r = &st->pol->file[rule];
	const struct policy_secret *ph = auth_phrase(st);

	st->d_rule = rule;
	st->d_access = access;
	st->d_try = 0;
	auth_printable(st->d_path, path);
	if (!ph || !auth_password(st, rule)) {
		audit_log("file rule %u (%s): refused, no password or phrase secret "
			  "(wiped?) (path %s)", rule, r->pattern, st->d_path);
		return -EINVAL;
	}
	audit_log("file rule %u (%s): dialog opened for a %s of %s", rule, r->pattern,
		  access == AUTH_WRITE ? "write" : "read", st->d_path);
	say(st, "\n" AUTH_RULE_LINE "  Mamori file access check\n" AUTH_RULE_LINE);
	say_phrase(st, ph);
	say(st, "           (Mamori's own dialog shows this phrase; without it, do not type.)\n");
	sayf(st, "  File:    %s\n", st->d_path);
	sayf(st, "  Access:  %s\n", access == AUTH_WRITE ? "write" : "read");
	if (r->match == POLICY_FILE_INODE)
		sayf(st, "  Rule:    file inode=%lu action=require-auth password=%s (rule %u)\n",
		     r->inode, r->key_id, rule);
	else
		sayf(st, "  Rule:    file path=%s action=require-auth password=%s (rule %u)\n",
		     r->pattern, r->key_id, rule);
	say(st, "  Process: not known (Mamori sees the disk, not the guest's processes)\n");
	sayf(st, "  A right password opens access to this rule's files for %u s.\n",
	     st->pol->console.timeout_s);
	auth_prompt(st, now);
	return 0;
}

static void auth_cancel(struct auth_state *st, u64 now, const char *why)
{
	sayf(st, "\n  %s: access refused.\n" AUTH_RULE_LINE, why);
	auth_refused(st, now, AUTH_CANCEL_HOLD_MS, why);
}

static void auth_wrong(struct auth_state *st, u64 now, const char *what)
{
	st->d_try++;
	audit_log("file rule %u (%s): %s (try %u of %u)", st->d_rule,
		  st->pol->file[st->d_rule].pattern, what, st->d_try, AUTH_TRIES);
	if (st->d_try < AUTH_TRIES) {
		sayf(st, "  %s.\n", what);
		auth_prompt(st, now);
		return;
	}
	sayf(st, "  %s. %u wrong passwords: access refused; next try in %u s.\n" AUTH_RULE_LINE,
	     what, AUTH_TRIES, AUTH_BACKOFF_MS / 1000);
	auth_refused(st, now, AUTH_BACKOFF_MS, "3 wrong passwords");
}

/* Enter pressed on a non-empty line: key the KDF with it and wipe it. */
static void auth_check_start(struct auth_state *st, u64 now)
{
	const struct policy_secret *pw = auth_password(st, st->d_rule);
	const u8 *v = pw ? pw->value : NULL;
	u32 iter;

	if (!pw) {
		auth_cancel(st, now, "Password secret gone");
		return;
	}
	iter = (u32)v[16] | (u32)v[17] << 8 | (u32)v[18] << 16 | (u32)v[19] << 24;
	if (policy_kdf_begin(&st->kdf, (const u8 *)st->pass, st->line.n, v,
			     POLICY_SALT_LEN, iter)) {
		auth_cancel(st, now, "Password check failed");
		return;
	}
	policy_wipe(st->pass, sizeof(st->pass));
	st->phase = AUTH_CHECKING;
	say(st, "\n  Checking...\n");
}

static void auth_typing(struct auth_state *st, u64 now)
{
	u32 i;
	int c, rc;

	for (i = 0; i < AUTH_INPUT_MAX; i++) {
		c = st->con->getc();
		if (c < 0)
			break;
		if (c == CH_CTRL_C) {
			auth_cancel(st, now, "Cancelled");
			return;
		}
		rc = policy_line_feed(&st->line, c & 0xff);
		if (rc == POLICY_LINE_MORE)
			continue;
		if (rc == POLICY_LINE_TOO_LONG) {
			auth_wrong(st, now, "Password too long, not tried");
			return;
		}
		if (!st->line.n) {
			auth_cancel(st, now, "Cancelled");
			return;
		}
		auth_check_start(st, now);
		return;
	}
	if (now >= st->d_deadline)
		auth_cancel(st, now, "No answer in time");
}

/* Constant-time: the time taken does not depend on where the bytes differ. */
static bool auth_equal(const u8 *a, const u8 *b, size_t n)
{
	u8 d = 0;

	while (n--)
		d |= *a++ ^ *b++;
	return !d;
}

static void auth_checking(struct auth_state *st, u64 now)
{
	const struct policy_secret *pw;
	u8 out[POLICY_KDF_OUT_LEN];
	bool ok;
	int rc;

	do {
		rc = policy_kdf_step(&st->kdf, AUTH_KDF_CHUNK);
	} while (!rc && st->con->now_ms() - now < AUTH_POLL_BUDGET_MS);
	if (!rc)
		return;
	pw = auth_password(st, st->d_rule);
	if (rc < 0 || !pw) {
		auth_cancel(st, now, "Password check failed");
		return;
	}
	policy_kdf_end(&st->kdf, out);
	ok = auth_equal(out, pw->value + POLICY_SALT_LEN + 4, POLICY_KDF_OUT_LEN);
	policy_wipe(out, sizeof(out));
	if (!ok) {
		auth_wrong(st, now, "Wrong password");
		return;
	}
	sayf(st, "  Access granted for %u s.\n" AUTH_RULE_LINE, st->pol->console.timeout_s);
	auth_granted(st, now);
}

void auth_dialog_poll(struct auth_state *st, u64 now)
{
	if (st->phase == AUTH_TYPING)
		auth_typing(st, now);
	else if (st->phase == AUTH_CHECKING)
		auth_checking(st, now);
}
