// SPDX-License-Identifier: GPL-2.0-only
/* File-access authorization: verdicts, sessions, back-off, audit lines. */
#include "auth_priv.h"

#include <mamori/audit.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>

static struct auth_state auth;
static int auth_busy;

static bool auth_trylock(void)
{
	return !__atomic_exchange_n(&auth_busy, 1, __ATOMIC_ACQUIRE);
}

static void auth_unlock(void)
{
	__atomic_store_n(&auth_busy, 0, __ATOMIC_RELEASE);
}

static bool rule_is_auth(const struct auth_state *st, u32 rule)
{
	return st->ready && rule < st->pol->n_file &&
	       st->pol->file[rule].action == POLICY_FILE_REQUIRE_AUTH;
}

const struct policy_secret *auth_password(const struct auth_state *st, u32 rule)
{
	const struct policy_secret *s = policy_find_secret(st->sec, st->pol->file[rule].key_id);

	if (!s || s->kind != POLICY_SECRET_PASSWORD || s->len != POLICY_PASSWORD_LEN)
		return NULL;
	return s;
}

const struct policy_secret *auth_phrase(const struct auth_state *st)
{
	u32 i;

	for (i = 0; i < st->sec->count; i++)
		if (st->sec->s[i].kind == POLICY_SECRET_PHRASE)
			return &st->sec->s[i];
	return NULL;
}

int auth_init(const struct policy *pol, const struct policy_secrets *sec,
	      const struct auth_console *con)
{
	u32 i;

	memset(&auth, 0, sizeof(auth));
	if (!pol || !sec || !con || !con->getc || !con->puts || !con->now_ms)
		return -EINVAL;
	auth.pol = pol;
	auth.sec = sec;
	auth.con = con;
	for (i = 0; i < pol->n_file; i++) {
		if (pol->file[i].action != POLICY_FILE_REQUIRE_AUTH)
			continue;
		auth.wants_tick = true;
		if (!auth_password(&auth, i)) {
			pr_err("auth: file rule %u (%s) names no password secret '%s'\n",
			       i, pol->file[i].pattern, pol->file[i].key_id);
			goto fail;
		}
	}
	if (auth.wants_tick && !auth_phrase(&auth)) {
		pr_err("auth: require-auth rules but no phrase secret: the dialog could be "
		       "imitated by the guest\n");
		goto fail;
	}
	auth.ready = true;
	return 0;
fail:
	memset(&auth, 0, sizeof(auth));
	return -EINVAL;
}

bool auth_wants_tick(void)
{
	return auth.wants_tick;
}

void auth_set_expiry_hook(void (*fn)(u32 rule))
{
	auth.expiry_hook = fn;
}

bool auth_session_open(u32 rule)
{
	return rule_is_auth(&auth, rule) && auth.rule[rule].session;
}

static void auth_dialog_free(struct auth_state *st)
{
	policy_kdf_end(&st->kdf, NULL);
	policy_wipe(st->pass, sizeof(st->pass));
	st->phase = AUTH_IDLE;
}

void auth_granted(struct auth_state *st, u64 now)
{
	struct auth_rule_state *rs = &st->rule[st->d_rule];
	u32 secs = st->pol->console.timeout_s;

	if (!rs->session || rs->session_access < st->d_access)
		rs->session_access = st->d_access;
	rs->session = true;
	rs->session_until = now + (u64)secs * 1000;
	rs->refused = false;
	audit_log("file rule %u (%s): session opened for %u s after %u wrong "
		  "password(s) (path %s)", st->d_rule, st->pol->file[st->d_rule].pattern,
		  secs, st->d_try, st->d_path);
	auth_dialog_free(st);
}

void auth_refused(struct auth_state *st, u64 now, u32 hold_ms, const char *why)
{
	struct auth_rule_state *rs = &st->rule[st->d_rule];

	rs->refused = true;
	rs->refused_until = now + hold_ms;
	audit_log("file rule %u (%s): refused, %s; refusing for %u s (path %s)",
		  st->d_rule, st->pol->file[st->d_rule].pattern, why, hold_ms / 1000,
		  st->d_path);
	auth_dialog_free(st);
}

static void auth_expire(struct auth_state *st, u64 now)
{
	u32 i;

	for (i = 0; i < st->pol->n_file; i++) {
		if (!st->rule[i].session || now < st->rule[i].session_until)
			continue;
		st->rule[i].session = false;
		st->expired |= 1u << i;
		audit_log("file rule %u (%s): session expired", i,
			  st->pol->file[i].pattern);
	}
}

/* Under the lock: expiries, then the dialog. */
static u64 auth_tick(struct auth_state *st)
{
	u64 now = st->con->now_ms();

	auth_expire(st, now);
	if (st->phase != AUTH_IDLE)
		auth_dialog_poll(st, now);
	return now;
}

/* The expiry hooks run from the tick only, outside the auth lock. */
void auth_poll(void)
{
	void (*hook)(u32 rule);
	u32 due, i;

	if (!auth.ready || !auth_trylock())
		return;
	auth_tick(&auth);
	due = auth.expired;
	auth.expired = 0;
	hook = auth.expiry_hook;
	auth_unlock();
	for (i = 0; hook && due; i++, due >>= 1)
		if (due & 1)
			hook(i);
}

static int auth_decide(struct auth_state *st, u32 rule, const char *path, u32 access)
{
	struct auth_rule_state *rs = &st->rule[rule];
	u64 now = auth_tick(st);

	if (rs->session && access <= rs->session_access)
		return AUTH_ALLOW;	/* a read session does not write (review-3 F3) */
	if (rs->refused && now < rs->refused_until)
		return AUTH_DENY;
	rs->refused = false;
	if (st->phase != AUTH_IDLE)
		return AUTH_PENDING;
	return auth_dialog_open(st, rule, path, access, now) ? AUTH_DENY : AUTH_PENDING;
}

void auth_wipe_secrets(void)
{
	__atomic_store_n(&auth.phase, AUTH_IDLE, __ATOMIC_SEQ_CST);
	policy_wipe(auth.pass, sizeof(auth.pass));
	policy_wipe(&auth.line, sizeof(auth.line));
	policy_wipe(&auth.kdf, sizeof(auth.kdf));
	policy_wipe(auth.d_path, sizeof(auth.d_path));
}

#ifdef MAMORI_HOST_TEST
const void *auth_state_bytes(size_t *len)
{
	*len = sizeof(auth);
	return &auth;
}
#endif

int auth_request(u32 rule, const char *path, u32 access)
{
	int v;

	if (!rule_is_auth(&auth, rule))
		return AUTH_DENY;
	if (!auth_trylock())
		return AUTH_PENDING;
	v = auth_decide(&auth, rule, path ? path : auth.pol->file[rule].pattern, access);
	auth_unlock();
	return v;
}
