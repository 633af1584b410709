// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm/lib/string.c, built for the host with every function renamed mamori_*
 * (see crypto/mbedtls.mk) and checked against libc over lengths, alignments
 * and overlaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

void *mamori_memcpy(void *dst, const void *src, size_t n);
void *mamori_memmove(void *dst, const void *src, size_t n);
void *mamori_memset(void *dst, int c, size_t n);
int mamori_memcmp(const void *a, const void *b, size_t n);
size_t mamori_strlen(const char *s);
size_t mamori_strnlen(const char *s, size_t max);
int mamori_strcmp(const char *a, const char *b);
int mamori_strncmp(const char *a, const char *b, size_t n);
char *mamori_strchr(const char *s, int c);

#define BUF 160

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 37 + (i >> 3));
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_memcpy(void **state)
{
	unsigned char src[BUF], a[BUF], b[BUF];

	fill(src, BUF, 1);
	for (size_t so = 0; so < 8; so++)
		for (size_t dof = 0; dof < 8; dof++)
			for (size_t n = 0; n + 8 <= BUF; n += 1 + n / 4) {
				memset(a, 0xee, BUF);
				memset(b, 0xee, BUF);
				assert_ptr_equal(mamori_memcpy(a + dof, src + so, n), a + dof);
				memcpy(b + dof, src + so, n);
				assert_memory_equal(a, b, BUF);
			}
}

static void test_memmove_overlap(void **state)
{
	unsigned char a[BUF], b[BUF];

	for (size_t from = 0; from < 24; from++)
		for (size_t to = 0; to < 24; to++)
			for (size_t n = 0; n + 24 <= BUF; n += 1 + n / 3) {
				fill(a, BUF, 7);
				fill(b, BUF, 7);
				assert_ptr_equal(mamori_memmove(a + to, a + from, n), a + to);
				memmove(b + to, b + from, n);
				assert_memory_equal(a, b, BUF);
			}
}

/* The backward copy must leave the direction flag clear. */
static void test_memmove_restores_df(void **state)
{
	unsigned char a[64];
	unsigned long flags;

	fill(a, sizeof(a), 3);
	mamori_memmove(a + 1, a, 40);
	asm volatile("pushf; pop %0" : "=r"(flags));
	assert_int_equal(flags & (1UL << 10), 0);
}

static void test_memset(void **state)
{
	unsigned char a[BUF], b[BUF];

	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n + 8 <= BUF; n++) {
			fill(a, BUF, 9);
			fill(b, BUF, 9);
			assert_ptr_equal(mamori_memset(a + off, 0x1ab, n), a + off);
			memset(b + off, 0xab, n);
			assert_memory_equal(a, b, BUF);
		}
}

static void test_memcmp(void **state)
{
	unsigned char a[32], b[32];

	fill(a, 32, 5);
	memcpy(b, a, 32);
	assert_int_equal(mamori_memcmp(a, b, 32), 0);
	assert_int_equal(mamori_memcmp(a, b, 0), 0);
	for (int i = 0; i < 32; i++) {
		b[i] = a[i] ^ 0x80;	/* unsigned comparison: 0x80 > 0x7f */
		assert_int_equal(sign(mamori_memcmp(a, b, 32)), sign(memcmp(a, b, 32)));
		assert_int_equal(mamori_memcmp(a, b, i), 0);
		b[i] = a[i];
	}
}

static void test_strlen_strnlen(void **state)
{
	assert_int_equal(mamori_strlen(""), 0);
	assert_int_equal(mamori_strlen("mamori"), 6);
	assert_int_equal(mamori_strnlen("mamori", 3), 3);
	assert_int_equal(mamori_strnlen("mamori", 6), 6);
	assert_int_equal(mamori_strnlen("mamori", 100), 6);
	assert_int_equal(mamori_strnlen("", 0), 0);
	/* strnlen must not read past max: the buffer has no NUL. */
	char raw[4] = { 'a', 'b', 'c', 'd' };
	assert_int_equal(mamori_strnlen(raw, 4), 4);
}

static void test_strcmp_strncmp(void **state)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "a\x80" };

	for (size_t i = 0; i < 8; i++)
		for (size_t j = 0; j < 8; j++) {
			assert_int_equal(sign(mamori_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 5; n++)
				assert_int_equal(sign(mamori_strncmp(s[i], s[j], n)),
						 sign(strncmp(s[i], s[j], n)));
		}
	assert_int_equal(mamori_strncmp("abcX", "abcY", 3), 0);
}

static void test_strchr(void **state)
{
	const char *s = "hypervisor";

	assert_ptr_equal(mamori_strchr(s, 'h'), s);
	assert_ptr_equal(mamori_strchr(s, 'r'), s + 4);
	assert_null(mamori_strchr(s, 'z'));
	assert_ptr_equal(mamori_strchr(s, '\0'), s + 10);
	assert_ptr_equal(mamori_strchr(s, 'v' + 256), s + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove_overlap),
		cmocka_unit_test(test_memmove_restores_df),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_strlen_strnlen),
		cmocka_unit_test(test_strcmp_strncmp),
		cmocka_unit_test(test_strchr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
