// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file-access dialog and sessions (vmm/auth.c, vmm/auth_dialog.c) on a
 * fake console and clock. Password hashes are made with OpenSSL's PBKDF2 (an
 * independent implementation); the VMM log is captured to check the audit
 * lines and that no secret reaches it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <mamori/audit.h>
#include <mamori/auth.h>
#include <mamori/console.h>
#include <mamori/log.h>
#include <mamori/policy_boot.h>
#include <mamori/policy_kdf.h>
#include <mamori/disk.h>
#include <mamori/reset.h>

#define PHRASE		"purple otter at noon"
#define PW_A		"correct horse"
#define PW_B		"battery staple"
#define ITER		1000u
#define TIMEOUT_S	300u

/* ---- fake console, clock and log ----------------------------------------- */
static char con_in[4096];
static size_t in_len, in_pos;
static char con_out[65536];
static size_t out_len;
static u64 now;
static u32 tick_per_read;	/* ms the clock advances on every read */
static char log_buf[65536];
static size_t log_len;
static u32 expired_rule = 0xffffffff, expired_calls;

static int fake_getc(void)
{
	return in_pos < in_len ? (unsigned char)con_in[in_pos++] : -1;
}

static void fake_puts(const char *s)
{
	size_t n = strlen(s);

	assert_true(out_len + n < sizeof(con_out));
	memcpy(con_out + out_len, s, n + 1);
	out_len += n;
}

static u64 fake_now(void)
{
	now += tick_per_read;
	return now;
}

static const struct auth_console fake_con = { fake_getc, fake_puts, fake_now };

static void type(const char *s)
{
	size_t n = strlen(s);

	memcpy(con_in + in_len, s, n);
	in_len += n;
}

/* audit lines flush the queued console (vmm/console.c is not linked here) */
void console_flush(void)
{
}

void log_vprintk(enum log_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);

	(void)level;
	if (n > 0)
		log_len += (size_t)n;
	assert_true(log_len < sizeof(log_buf) - 1);
}

void log_printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintk(level, fmt, ap);
	va_end(ap);
}

int log_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int log_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void on_expiry(u32 rule)
{
	expired_rule = rule;
	expired_calls++;
}

/* ---- a policy: rule 0 require-auth (pw_a), 1 deny, 2 require-auth (pw_b) -- */
static struct policy pol;
static struct policy_secrets sec;

static void add_password(struct policy_secret *s, const char *name, const char *pw, u32 iter)
{
	u8 *v = s->value;

	snprintf(s->name, sizeof(s->name), "%s", name);
	s->kind = POLICY_SECRET_PASSWORD;
	s->len = POLICY_PASSWORD_LEN;
	assert_int_equal(RAND_bytes(v, POLICY_SALT_LEN), 1);
	v[16] = iter & 0xff;
	v[17] = iter >> 8 & 0xff;
	v[18] = iter >> 16 & 0xff;
	v[19] = iter >> 24;
	assert_int_equal(PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), v, POLICY_SALT_LEN, (int)iter,
					   EVP_sha256(), 32, v + 20), 1);
}

static void add_rule(u32 i, u8 action, const char *pattern, const char *key)
{
	pol.file[i].match = POLICY_FILE_PATH;
	pol.file[i].action = action;
	snprintf(pol.file[i].pattern, sizeof(pol.file[i].pattern), "%s", pattern);
	snprintf(pol.file[i].key_id, sizeof(pol.file[i].key_id), "%s", key);
}

static int setup(void **state)
{
	memset(&pol, 0, sizeof(pol));
	memset(&sec, 0, sizeof(sec));
	pol.console.kind = POLICY_CONSOLE_UART;
	pol.console.timeout_s = TIMEOUT_S;
	pol.n_file = 3;
	add_rule(0, POLICY_FILE_REQUIRE_AUTH, "/home/alice/secret.txt", "pw_a");
	add_rule(1, POLICY_FILE_DENY, "/etc/shadow", "");
	add_rule(2, POLICY_FILE_REQUIRE_AUTH, "/srv/b.key", "pw_b");
	snprintf(sec.s[0].name, sizeof(sec.s[0].name), "console");
	sec.s[0].kind = POLICY_SECRET_PHRASE;
	sec.s[0].len = strlen(PHRASE);
	memcpy(sec.s[0].value, PHRASE, strlen(PHRASE));
	add_password(&sec.s[1], "pw_a", PW_A, ITER);
	add_password(&sec.s[2], "pw_b", PW_B, ITER);
	sec.count = 3;
	in_len = in_pos = out_len = log_len = 0;
	con_out[0] = log_buf[0] = 0;
	now = 1000;
	tick_per_read = 0;
	expired_rule = 0xffffffff;
	expired_calls = 0;
	audit_reset();
	assert_int_equal(auth_init(&pol, &sec, &fake_con), 0);
	auth_set_expiry_hook(on_expiry);
	return 0;
}

/* Poll until the rule's request is no longer pending (bounded). */
static int settle(u32 rule, const char *path)
{
	int v = AUTH_PENDING, i;

	for (i = 0; i < 100000 && v == AUTH_PENDING; i++) {
		auth_poll();
		v = auth_request(rule, path, AUTH_READ);
	}
	return v;
}

/* A few polls, then the verdict: for answers that leave the dialog up. */
static int pump(u32 rule, const char *path)
{
	int i;

	for (i = 0; i < 4; i++)
		auth_poll();
	return auth_request(rule, path, AUTH_READ);
}

static void assert_no_secret_logged(void)
{
	assert_null(strstr(log_buf, PHRASE));
	assert_null(strstr(log_buf, PW_A));
	assert_null(strstr(log_buf, PW_B));
	assert_null(strstr(log_buf, "wrong-one"));
}

/* ---- tests ------------------------------------------------------------------ */
static void test_right_password_opens_session(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	assert_non_null(strstr(con_out, "File:    /home/alice/secret.txt"));
	assert_non_null(strstr(con_out, "Phrase:  \"" PHRASE "\""));
	assert_non_null(strstr(con_out, "Process: not known"));
	assert_non_null(strstr(con_out, "file path=/home/alice/secret.txt action=require-auth"));
	/* tools/run-bochs --dialog-answer finds the prompt by this exact text */
	assert_non_null(strstr(con_out, "\n  Password 'pw_a' (try 1 of 3; Enter on an empty line "
					 "or Ctrl-C cancels): "));
	/* Nothing typed yet: still pending however often it is asked. */
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
	assert_true(auth_session_open(0));
	assert_false(auth_session_open(2));
	assert_null(strstr(con_out, PW_A));	/* no echo */
	assert_non_null(strstr(con_out, "Access granted for 300 s"));
	assert_non_null(strstr(log_buf, "audit: file rule 0 (/home/alice/secret.txt): dialog opened"));
	assert_non_null(strstr(log_buf, "session opened for 300 s"));
	assert_no_secret_logged();
	/* the same lines in the audit ring (HC_AUDIT_READ) */
	{
		char ring[4096] = { 0 };
		u64 first, next;

		audit_read(0, ring, sizeof(ring) - 1, &first, &next);
		assert_non_null(strstr(ring, "file rule 0 (/home/alice/secret.txt): dialog opened"));
		assert_non_null(strstr(ring, "session opened for 300 s"));
		assert_null(strstr(ring, PHRASE));
	}
	/* Other reads within the session: allowed without a dialog. */
	out_len = 0;
	con_out[0] = 0;
	assert_int_equal(auth_request(0, "/home/alice/other", AUTH_READ), AUTH_ALLOW);
	assert_int_equal(out_len, 0);
}

/*
 * review-3 F3: a session opened for a read does not let the guest write: the
 * write asks again, the dialog names the write; its session then serves both.
 */
static void test_read_session_does_not_write(void **state)
{
	int v = AUTH_PENDING, i;

	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
	out_len = 0;
	con_out[0] = 0;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_WRITE), AUTH_PENDING);
	assert_non_null(strstr(con_out, "Access:  write"));
	assert_non_null(strstr(log_buf, "dialog opened for a write"));
	/* the read session still serves reads while the write dialog is up */
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_ALLOW);
	type(PW_A "\r");
	for (i = 0; i < 100000 && v == AUTH_PENDING; i++) {
		auth_poll();
		v = auth_request(0, "/home/alice/secret.txt", AUTH_WRITE);
	}
	assert_int_equal(v, AUTH_ALLOW);
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_ALLOW);
}

/* review-3 F6: the password being typed does not survive reset_wipe_secrets(). */
const void *auth_state_bytes(size_t *len);

bool disk_wipe_keys(void)
{
	return true;
}

void policy_secrets_wipe_all(void)
{
	memset(&sec, 0, sizeof(sec));
}

static void test_reset_wipes_typed_password(void **state)
{
	const char *typed = "half-typed-pw";
	size_t len;
	const void *st = auth_state_bytes(&len);

	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(typed);
	assert_int_equal(pump(0, "/home/alice/secret.txt"), AUTH_PENDING);
	assert_non_null(memmem(st, len, typed, strlen(typed)));	/* it is there */
	reset_wipe_secrets("test");
	assert_null(memmem(st, len, typed, strlen(typed)));
	assert_null(memmem(st, len, "/home/alice/secret.txt", 22));
}

static void test_session_expires_and_asks_again(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
	now += TIMEOUT_S * 1000 - 1;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_ALLOW);
	assert_int_equal(expired_calls, 0);
	now += 1;
	/* noticed by a request: refused at once, the hook waits for the tick */
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	assert_false(auth_session_open(0));
	assert_int_equal(expired_calls, 0);
	type("\x03");
	auth_poll();
	assert_int_equal(expired_calls, 1);
	assert_int_equal(expired_rule, 0);
	assert_false(auth_session_open(0));
	assert_non_null(strstr(log_buf, "audit: file rule 0 (/home/alice/secret.txt): session expired"));
	auth_poll();
	assert_int_equal(expired_calls, 1);
	assert_non_null(strstr(con_out, "Phrase:"));
}

static void test_three_wrong_then_backoff(void **state)
{
	u32 i;

	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	for (i = 1; i < 3; i++) {
		type("wrong-one\r");
		assert_int_equal(pump(0, "/home/alice/secret.txt"), AUTH_PENDING);
	}
	type("wrong-one\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_DENY);
	assert_non_null(strstr(con_out, "try 3 of 3"));
	assert_null(strstr(con_out, "try 4 of 3"));
	assert_non_null(strstr(con_out, "3 wrong passwords: access refused; next try in 60 s"));
	assert_non_null(strstr(log_buf, "Wrong password (try 1 of 3)"));
	assert_non_null(strstr(log_buf, "Wrong password (try 3 of 3)"));
	assert_non_null(strstr(log_buf, "refused, 3 wrong passwords; refusing for 60 s"));
	assert_false(auth_session_open(0));
	/* Back-off: refused without a dialog, even with the right password typed. */
	out_len = 0;
	con_out[0] = 0;
	type(PW_A "\r");
	now += AUTH_BACKOFF_MS - 1;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_DENY);
	assert_int_equal(out_len, 0);
	/* Other rules are not in back-off. */
	in_len = in_pos = 0;
	assert_int_equal(auth_request(2, "/srv/b.key", AUTH_READ), AUTH_PENDING);
	type(PW_B "\r");
	assert_int_equal(settle(2, "/srv/b.key"), AUTH_ALLOW);
	/* After the back-off: a new dialog. */
	now += 1;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
	assert_no_secret_logged();
}

static void test_wrong_then_right(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type("wrong-one\r");
	assert_int_equal(pump(0, "/home/alice/secret.txt"), AUTH_PENDING);
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
	assert_non_null(strstr(log_buf, "after 1 wrong password(s)"));
}

static void test_cancel(void **state)
{
	const char *cancels[] = { "\x03", "\r", "abc\x03" };
	u32 i;

	for (i = 0; i < 3; i++) {
		assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
		type(cancels[i]);
		assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_DENY);
		/* The guest's retries are refused for the hold, no dialog storm. */
		out_len = 0;
		con_out[0] = 0;
		now += AUTH_CANCEL_HOLD_MS - 1;
		assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_DENY);
		assert_int_equal(out_len, 0);
		now += 1;
	}
	assert_non_null(strstr(log_buf, "refused, Cancelled; refusing for 10 s"));
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
}

static void test_dialog_timeout(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	now += AUTH_DIALOG_TIMEOUT_MS - 1;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	now += 1;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_DENY);
	assert_non_null(strstr(con_out, "No answer in time: access refused"));
}

static void test_one_dialog_at_a_time(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	out_len = 0;
	con_out[0] = 0;
	assert_int_equal(auth_request(2, "/srv/b.key", AUTH_READ), AUTH_PENDING);
	assert_int_equal(out_len, 0);			/* waits; no second dialog */
	type(PW_B "\r");				/* typed into rule 0's dialog */
	assert_int_equal(pump(2, "/srv/b.key"), AUTH_PENDING);
	assert_non_null(strstr(con_out, "Wrong password"));
	assert_false(auth_session_open(2));
	type("\x03");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_DENY);
	out_len = 0;
	assert_int_equal(auth_request(2, "/srv/b.key", AUTH_READ), AUTH_PENDING);
	assert_non_null(strstr(con_out, "File:    /srv/b.key"));
	type(PW_B "\r");
	assert_int_equal(settle(2, "/srv/b.key"), AUTH_ALLOW);
	assert_false(auth_session_open(0));
}

static void test_deny_and_bad_rules(void **state)
{
	assert_int_equal(auth_request(1, "/etc/shadow", AUTH_READ), AUTH_DENY);
	assert_int_equal(auth_request(3, "/x", AUTH_READ), AUTH_DENY);
	assert_int_equal(auth_request(POLICY_MAX_FILE_RULES, "/x", AUTH_READ), AUTH_DENY);
	assert_int_equal(out_len, 0);
}

static void test_path_made_printable(void **state)
{
	char long_path[400];

	assert_int_equal(auth_request(0, "/a\n  Phrase:  \"fake\"\x1b[2J", AUTH_READ), AUTH_PENDING);
	assert_non_null(strstr(con_out, "File:    /a?  Phrase:  \"fake\"?[2J\n"));
	assert_null(strstr(con_out, "\x1b"));
	type("\x03");
	assert_int_equal(settle(0, "x"), AUTH_DENY);
	now += AUTH_CANCEL_HOLD_MS;
	memset(long_path, 'p', sizeof(long_path));
	long_path[sizeof(long_path) - 1] = 0;
	out_len = 0;
	assert_int_equal(auth_request(0, long_path, AUTH_READ), AUTH_PENDING);
	assert_non_null(strstr(con_out, "ppp...\n"));
}

static void test_editing_and_escape_keys(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	/* Ctrl-U, backspace, an arrow key: the line is still "correct horse". */
	type("junk\x15" "correct horsf\x08" "e\x1b[A\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_ALLOW);
}

static void test_too_long_counts_as_try(void **state)
{
	char big[POLICY_PASS_MAX + 10];

	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\r';
	big[sizeof(big) - 1] = 0;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(big);
	assert_int_equal(pump(0, "/home/alice/secret.txt"), AUTH_PENDING);
	assert_non_null(strstr(con_out, "Password too long, not tried"));
	assert_non_null(strstr(con_out, "try 2 of 3"));
}

static void test_typed_before_dialog_is_dropped(void **state)
{
	type(PW_A "\r");	/* before the dialog: not an answer */
	in_pos = 0;
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	assert_int_equal(in_pos, in_len);
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
}

/* The check runs in slices: no call holds the CPU for the whole PBKDF2. */
static void test_check_is_sliced(void **state)
{
	u32 calls = 0;
	int v;

	add_password(&sec.s[1], "pw_a", PW_A, 200000);
	tick_per_read = 1;		/* 1 ms per clock read */
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	type(PW_A "\r");
	do {
		v = auth_request(0, "/home/alice/secret.txt", AUTH_READ);
		calls++;
	} while (v == AUTH_PENDING && calls < 100000);
	assert_int_equal(v, AUTH_ALLOW);
	/* 200000 iterations / 32 per chunk, ~1 chunk per 2 ms budget */
	assert_true(calls > 1000);
}

/* The stepped KDF equals OpenSSL's PBKDF2 for any step size. */
static void test_kdf_steps_match_openssl(void **state)
{
	static const u32 iters[] = { 1, 2, 33, 1000, 4097 };
	static const u32 steps[] = { 1, 7, 32, 100000 };
	u8 salt[16], want[32], got[32];
	struct policy_kdf_run r;
	u32 i, j;
	int rc;

	RAND_bytes(salt, sizeof(salt));
	for (i = 0; i < sizeof(iters) / sizeof(iters[0]); i++) {
		PKCS5_PBKDF2_HMAC("pw", 2, salt, 16, (int)iters[i], EVP_sha256(), 32, want);
		for (j = 0; j < sizeof(steps) / sizeof(steps[0]); j++) {
			assert_int_equal(policy_kdf_begin(&r, (const u8 *)"pw", 2, salt, 16,
							  iters[i]), 0);
			while (!(rc = policy_kdf_step(&r, steps[j])))
				;
			assert_int_equal(rc, 1);
			policy_kdf_end(&r, got);
			assert_memory_equal(got, want, 32);
		}
	}
	assert_int_equal(policy_kdf_begin(&r, (const u8 *)"pw", 2, salt, 16, 0), -POLICY_E_ARG);
}

static void test_init_refusals(void **state)
{
	memset(sec.s[2].name, 0, sizeof(sec.s[2].name));	/* pw_b gone */
	assert_int_equal(auth_init(&pol, &sec, &fake_con), -EINVAL);
	assert_non_null(strstr(log_buf, "file rule 2 (/srv/b.key) names no password secret 'pw_b'"));
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_DENY);
	snprintf(sec.s[2].name, sizeof(sec.s[2].name), "pw_b");
	sec.s[0].kind = POLICY_SECRET_KEY;			/* no phrase */
	assert_int_equal(auth_init(&pol, &sec, &fake_con), -EINVAL);
	assert_non_null(strstr(log_buf, "no phrase secret"));
	sec.s[0].kind = POLICY_SECRET_PHRASE;
	assert_int_equal(auth_init(&pol, &sec, &fake_con), 0);
	assert_true(auth_wants_tick());
	pol.file[0].action = pol.file[2].action = POLICY_FILE_DENY;
	assert_int_equal(auth_init(&pol, &sec, &fake_con), 0);
	assert_false(auth_wants_tick());
}

/* Secrets wiped (before a reset): an open dialog cannot succeed. */
static void test_secrets_wiped_mid_dialog(void **state)
{
	assert_int_equal(auth_request(0, "/home/alice/secret.txt", AUTH_READ), AUTH_PENDING);
	memset(&sec, 0, sizeof(sec));
	type(PW_A "\r");
	assert_int_equal(settle(0, "/home/alice/secret.txt"), AUTH_DENY);
	assert_false(auth_session_open(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_right_password_opens_session, setup),
		cmocka_unit_test_setup(test_session_expires_and_asks_again, setup),
		cmocka_unit_test_setup(test_three_wrong_then_backoff, setup),
		cmocka_unit_test_setup(test_wrong_then_right, setup),
		cmocka_unit_test_setup(test_cancel, setup),
		cmocka_unit_test_setup(test_dialog_timeout, setup),
		cmocka_unit_test_setup(test_one_dialog_at_a_time, setup),
		cmocka_unit_test_setup(test_deny_and_bad_rules, setup),
		cmocka_unit_test_setup(test_path_made_printable, setup),
		cmocka_unit_test_setup(test_editing_and_escape_keys, setup),
		cmocka_unit_test_setup(test_too_long_counts_as_try, setup),
		cmocka_unit_test_setup(test_typed_before_dialog_is_dropped, setup),
		cmocka_unit_test_setup(test_check_is_sliced, setup),
		cmocka_unit_test_setup(test_kdf_steps_match_openssl, setup),
		cmocka_unit_test_setup(test_init_refusals, setup),
		cmocka_unit_test_setup(test_secrets_wiped_mid_dialog, setup),
		cmocka_unit_test_setup(test_read_session_does_not_write, setup),
		cmocka_unit_test_setup(test_reset_wipes_typed_password, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
