// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy phase's no-echo passphrase reader (vmm/policy_line.c), fed from a
 * fake console: line ends, editing keys, escape sequences, the length limit,
 * polling gaps, and wiping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <mamori/policy_boot.h>

/* A scripted console: bytes in order; NONE_EVERY > 0 inserts "nothing yet" gaps. */
struct fake_con {
	const char *in;
	size_t len, pos;
	unsigned int polls, none_every;
};

static int fake_getc(void *ctx)
{
	struct fake_con *f = ctx;

	f->polls++;
	if (f->none_every && f->polls % f->none_every)
		return POLICY_GETC_NONE;
	if (f->pos == f->len)
		return POLICY_GETC_EOF;
	return (unsigned char)f->in[f->pos++];
}

static int read_from(const char *in, size_t in_len, char *buf, size_t size, size_t *len,
		     unsigned int none_every, size_t *consumed)
{
	struct fake_con f = { in, in_len, 0, 0, none_every };
	int rc = policy_read_line(fake_getc, &f, buf, size, len);

	if (consumed)
		*consumed = f.pos;
	return rc;
}

static void expect_line(const char *in, const char *want, size_t size)
{
	char buf[256];
	size_t len = 99;

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(read_from(in, strlen(in), buf, size, &len, 0, NULL), POLICY_LINE_OK);
	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
}

static void test_plain_cr_lf(void **state)
{
	expect_line("mamori-dev\r", "mamori-dev", 129);
	expect_line("mamori-dev\n", "mamori-dev", 129);
	expect_line("\r", "", 129);
	expect_line("with spaces and UTF-8 \xc3\xa9\r", "with spaces and UTF-8 \xc3\xa9", 129);
}

static void test_stops_at_first_line_end(void **state)
{
	const char *in = "first\r\nsecond\r";
	char buf[32];
	size_t len, used;

	assert_int_equal(read_from(in, strlen(in), buf, sizeof(buf), &len, 0, &used),
			 POLICY_LINE_OK);
	assert_string_equal(buf, "first");
	assert_int_equal(used, 6);	/* the LF after CR stays for the caller to drain */
}

static void test_editing(void **state)
{
	expect_line("mamorix\b-dev\r", "mamori-dev", 129);
	expect_line("mamorixx\x7f\x7f-dev\r", "mamori-dev", 129);
	expect_line("\b\b\x7fok\r", "ok", 129);		/* erasing an empty line */
	expect_line("garbage\x15mamori-dev\r", "mamori-dev", 129);
}

static void test_escape_sequences_dropped(void **state)
{
	expect_line("ab\x1b[Dc\r", "abc", 129);		/* left arrow */
	expect_line("ab\x1b[3~c\r", "abc", 129);		/* Delete key */
	expect_line("ab\x1bOAc\r", "abc", 129);		/* SS3 up arrow */
	expect_line("ab\x1bxc\r", "abc", 129);		/* ESC + one byte */
	expect_line("a\x01" "b\tc\x1f\r", "abc", 129);	/* other controls */
}

static void test_length_limit(void **state)
{
	char buf[9];
	char in[64];
	size_t len = 5;

	/* size 9: up to 8 bytes fit */
	assert_int_equal(read_from("12345678\r", 9, buf, sizeof(buf), &len, 0, NULL),
			 POLICY_LINE_OK);
	assert_string_equal(buf, "12345678");
	memset(in, 'x', sizeof(in));
	in[40] = '\r';
	assert_int_equal(read_from(in, 41, buf, sizeof(buf), &len, 0, NULL),
			 POLICY_LINE_TOO_LONG);
	assert_int_equal(len, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	/* Ctrl-U after an overflow starts over */
	assert_int_equal(read_from("123456789\x15ok\r", 13, buf, sizeof(buf), &len, 0, NULL),
			 POLICY_LINE_OK);
	assert_string_equal(buf, "ok");
	/* size 1: only the empty line fits */
	assert_int_equal(read_from("\r", 1, buf, 1, &len, 0, NULL), POLICY_LINE_OK);
	assert_int_equal(read_from("a\r", 2, buf, 1, &len, 0, NULL), POLICY_LINE_TOO_LONG);
}

static void test_polling_gaps(void **state)
{
	char buf[32];
	size_t len;

	assert_int_equal(read_from("secret\r", 7, buf, sizeof(buf), &len, 5, NULL),
			 POLICY_LINE_OK);
	assert_string_equal(buf, "secret");
}

static void test_eof_wipes(void **state)
{
	char buf[16];
	size_t len = 3;

	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(read_from("no-enter", 8, buf, sizeof(buf), &len, 0, NULL),
			 POLICY_LINE_EOF);
	assert_int_equal(len, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

static void test_wipe(void **state)
{
	unsigned char b[33];

	memset(b, 0xa5, sizeof(b));
	policy_wipe(b, 32);
	for (size_t i = 0; i < 32; i++)
		assert_int_equal(b[i], 0);
	assert_int_equal(b[32], 0xa5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_cr_lf),
		cmocka_unit_test(test_stops_at_first_line_end),
		cmocka_unit_test(test_editing),
		cmocka_unit_test(test_escape_sequences_dropped),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_polling_gaps),
		cmocka_unit_test(test_eof_wipes),
		cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
