// SPDX-License-Identifier: GPL-2.0-only
/*
 * arch/x86_64/random.c: the health checks of random_fill() driven by a
 * scripted source (stuck, all-zero, all-one values, transient failures), and
 * arch_random_bytes() on this host's RDRAND where the CPU has it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <cpuid.h>

#include <asm/random.h>
#include <net/random.h>
#include <mamori/errno.h>

static const u64 *script;
static int script_len, script_pos;

/* Scripted source: the value 0xdead means "no value this time" (carry clear). */
static bool scripted(u64 *v)
{
	if (script_pos >= script_len)
		return false;
	*v = script[script_pos++];
	return *v != 0xdead;
}

static int run(const u64 *s, int n, u8 *buf, size_t len)
{
	script = s;
	script_len = n;
	script_pos = 0;
	return random_fill(buf, len, scripted);
}

static void test_fill_and_partial_word(void **state)
{
	static const u64 s[] = { 0x0102030405060708ULL, 0x1112131415161718ULL };
	u8 buf[12];

	assert_int_equal(run(s, 2, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, "\x08\x07\x06\x05\x04\x03\x02\x01\x18\x17\x16\x15", 12);
}

static void test_health_checks(void **state)
{
	static const u64 stuck[] = { 0x1234, 0x1234 };
	static const u64 zero[] = { 0 };
	static const u64 ones[] = { ~0ULL };
	u8 buf[16];

	assert_int_equal(run(stuck, 2, buf, 16), -EIO);
	assert_int_equal(run(zero, 1, buf, 8), -EIO);
	assert_int_equal(run(ones, 1, buf, 8), -EIO);
	/* What was drawn before the failure is not left in the buffer. */
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(run(stuck, 2, buf, 16), -EIO);
	assert_int_equal(buf[0], 0);
}

static void test_retries(void **state)
{
	u64 s[RANDOM_RETRIES + 1];
	u8 buf[8];
	int i;

	for (i = 0; i < RANDOM_RETRIES - 1; i++)
		s[i] = 0xdead;
	s[RANDOM_RETRIES - 1] = 0x42;
	assert_int_equal(run(s, RANDOM_RETRIES, buf, 8), 0);
	for (i = 0; i < RANDOM_RETRIES; i++)
		s[i] = 0xdead;
	s[RANDOM_RETRIES] = 0x42;
	assert_int_equal(run(s, RANDOM_RETRIES + 1, buf, 8), -EIO);
}

static void test_host_rdrand(void **state)
{
	unsigned int a, b, c, d;
	u8 x[32], y[32];

	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 30))) {
		assert_int_equal(arch_random_bytes(x, sizeof(x)), -ENOSYS);
		return;
	}
	assert_int_equal(arch_random_bytes(x, sizeof(x)), 0);
	assert_int_equal(arch_random_bytes(y, sizeof(y)), 0);
	assert_memory_not_equal(x, y, sizeof(x));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_and_partial_word),
		cmocka_unit_test(test_health_checks),
		cmocka_unit_test(test_retries),
		cmocka_unit_test(test_host_rdrand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
