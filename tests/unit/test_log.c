// SPDX-License-Identifier: GPL-2.0-only
/* The VMM's own printf subset (vmm/log.c) and whole-line output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <mamori/console.h>
#include <mamori/log.h>

static char last_line[512];

static u32 console_lines;
static bool last_flushed;	/* the last line went out with console_write_line() */

void console_queue_line(const char *s)
{
	console_lines++;
	last_flushed = false;
	strncpy(last_line, s, sizeof(last_line) - 1);
}

void console_write_line(const char *s)
{
	console_queue_line(s);
	last_flushed = true;
}

static void check(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	log_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
}

static void test_formats(void **state)
{
	check("a 42 -7 ff FF", "a %d %i %x %X", 42, -7, 255, 255);
	check("0000beef|  12", "%08x|%4u", 0xbeef, 12);
	check("18446744073709551615", "%lu", ~0UL);
	check("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1));
	check("0x1000 s c %", "%p %s %c %%", (void *)0x1000, "s", 'c');
	check("(null)", "%s", (char *)NULL);
	check("sz 5", "sz %zu", (size_t)5);
	check("-05", "%03d", -5);
}

static void test_truncation(void **state)
{
	char buf[8];

	assert_int_equal(log_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
}

static void test_levels(void **state)
{
	pr_err("ata0: refused command 0x%x\n", 0x92);
	assert_string_equal(last_line, "error: ata0: refused command 0x92\n");
	assert_true(last_flushed);	/* errors are on the wire before the VMM stops */
	pr_fatal("stop\n");
	assert_true(last_flushed);
	pr_warn("warned\n");
	assert_true(last_flushed);
	pr_info("plain\n");
	assert_string_equal(last_line, "plain\n");
	assert_false(last_flushed);	/* info goes out while the guest runs */
	pr_dbg("hidden\n");	/* above the default level: dropped */
	assert_string_equal(last_line, "plain\n");
}

static void test_ratelimit(void **state)
{
	u32 n = 0, logged = 0, i;

	for (i = 0; i < 5000; i++)
		logged += log_ratelimit(&n);
	assert_int_equal(n, 5000);
	assert_int_equal(logged, 10 + 3);	/* 1..10, 1024, 2048, 4096 */
	/* A million-exits-a-second guest loop for a minute: a handful of lines. */
	for (logged = 0, i = 0; i < 60000000; i++)
		logged += log_ratelimit(&n);
	assert_int_equal(logged, 13);		/* 8192 .. 2^25 */
}

static void noisy_site(u32 i)
{
	pr_warn_ratelimited("cpu0: guest did %u\n", i);
}

static void other_site(void)
{
	pr_warn_ratelimited("cpu0: other\n");
}

/* Finding 13: a guest-triggerable line, hit 2000 times, reaches the console 11 times. */
static void test_ratelimited_macro(void **state)
{
	u32 i, before = console_lines;

	for (i = 1; i <= 2000; i++)
		noisy_site(i);
	assert_int_equal(console_lines - before, 10 + 1);
	assert_string_equal(last_line, "warning: cpu0: guest did 1024 [1024 times, rate-limited]\n");
	other_site();		/* a different call site has its own count */
	assert_string_equal(last_line, "warning: cpu0: other\n");
}

static void once_site(void)
{
	pr_warn_once("cpu0: once\n");
}

static void test_once(void **state)
{
	u32 before = console_lines;

	once_site();
	once_site();
	once_site();
	assert_int_equal(console_lines - before, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_ratelimited_macro),
		cmocka_unit_test(test_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
