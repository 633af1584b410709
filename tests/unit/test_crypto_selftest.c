// SPDX-License-Identifier: GPL-2.0-only
/*
 * crypto/: the known-answer self-test, the APIs other units call and the glue
 * heap, run against the VMM's *freestanding* mbedTLS archive (see mbedtls.mk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <crypto/glue.h>
#include <crypto/selftest.h>
#include "mbedtls/aes.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "mbedtls/platform_util.h"

static size_t unhex(const char *hex, u8 *out)
{
	size_t n = 0;
	unsigned int b;

	for (; hex[0] && hex[1]; hex += 2) {
		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		out[n++] = b;
	}
	return n;
}

static void assert_heap_empty(void)
{
	struct crypto_heap_stats st;

	crypto_glue_stats(&st);
	assert_int_equal(st.in_use, 0);
	assert_int_equal(st.allocs, 0);
	assert_int_equal(st.largest_free, CRYPTO_HEAP_SIZE - 16);
}

static void test_selftest_passes(void **state)
{
	struct crypto_heap_stats st;

	assert_int_equal(crypto_selftest(), 0);
	assert_heap_empty();
	crypto_glue_stats(&st);
	print_message("crypto heap peak during self-test: %zu bytes\n", st.peak);
	assert_true(st.peak < CRYPTO_HEAP_SIZE / 4);
}

/*
 * AES-256-XTS, cross-checked with OpenSSL: a 40-byte unit (ciphertext
 * stealing) and, in place, its 32-byte prefix. mbedTLS 2.28's XTS is NOT
 * in-place safe when the length is not a multiple of 16.
 */
static void test_aes_xts(void **state)
{
	mbedtls_aes_xts_context enc, dec;
	u8 key[64], tweak[16] = { 5 }, pt[40], ct[40], back[40], want[40];
	int i;

	for (i = 0; i < 64; i++)
		key[i] = i;
	for (i = 0; i < 40; i++)
		pt[i] = i * 7;
	unhex("35af686901a5cb6df9c180d99226dfeffff0e4d8258f8fd2684cb728aee99b8f"
	      "39241e48cd3d8656", want);
	mbedtls_aes_xts_init(&enc);
	mbedtls_aes_xts_init(&dec);
	assert_int_equal(mbedtls_aes_xts_setkey_enc(&enc, key, 512), 0);
	assert_int_equal(mbedtls_aes_xts_setkey_dec(&dec, key, 512), 0);
	assert_int_equal(mbedtls_aes_crypt_xts(&enc, MBEDTLS_AES_ENCRYPT, 40,
					       tweak, pt, ct), 0);
	assert_memory_equal(ct, want, 40);
	assert_int_equal(mbedtls_aes_crypt_xts(&dec, MBEDTLS_AES_DECRYPT, 40,
					       tweak, ct, back), 0);
	assert_memory_equal(back, pt, 40);

	unhex("35af686901a5cb6df9c180d99226dfef39241e48cd3d86560a8094e79936ea78", want);
	memcpy(back, pt, 32);
	assert_int_equal(mbedtls_aes_crypt_xts(&enc, MBEDTLS_AES_ENCRYPT, 32,
					       tweak, back, back), 0);
	assert_memory_equal(back, want, 32);
	assert_int_equal(mbedtls_aes_crypt_xts(&dec, MBEDTLS_AES_DECRYPT, 32,
					       tweak, back, back), 0);
	assert_memory_equal(back, pt, 32);
	mbedtls_aes_xts_free(&enc);
	mbedtls_aes_xts_free(&dec);
}

/* RFC 5869 test case 1. */
static void test_hkdf(void **state)
{
	u8 ikm[22], salt[13], info[10], okm[42], want[42];
	int i;

	memset(ikm, 0x0b, sizeof(ikm));
	for (i = 0; i < 13; i++)
		salt[i] = i;
	for (i = 0; i < 10; i++)
		info[i] = 0xf0 + i;
	unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	      "34007208d5b887185865", want);
	assert_int_equal(mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
				      salt, 13, ikm, 22, info, 10, okm, 42), 0);
	assert_memory_equal(okm, want, 42);
}

/* RFC 6979 A.2.5, message "test": verify from (r, s) with mbedtls_ecdsa_verify. */
static void test_ecdsa_verify_rs(void **state)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	u8 pub[65], hash[32];

	unhex("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
	      "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299", pub);
	unhex("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", hash);
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	assert_int_equal(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1), 0);
	assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, pub, 65), 0);
	assert_int_equal(mbedtls_mpi_read_string(&r, 16,
		"F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"), 0);
	assert_int_equal(mbedtls_mpi_read_string(&s, 16,
		"019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"), 0);
	assert_int_equal(mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s), 0);
	assert_int_equal(mbedtls_mpi_add_int(&s, &s, 1), 0);
	assert_int_equal(mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s),
			 MBEDTLS_ERR_ECP_VERIFY_FAILED);
	/* A point off the curve is refused before any arithmetic. */
	pub[64] ^= 1;
	assert_int_equal(mbedtls_ecp_point_read_binary(&grp, &q, pub, 65), 0);
	assert_int_not_equal(mbedtls_ecp_check_pubkey(&grp, &q), 0);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	assert_heap_empty();
}

static void test_heap_coalesces(void **state)
{
	u8 *p[8], *first;
	int i, j;

	for (i = 0; i < 8; i++) {
		p[i] = crypto_glue_calloc(i + 1, 100);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] & 15, 0);
		for (j = 0; j < (i + 1) * 100; j++)
			assert_int_equal(p[i][j], 0);
		memset(p[i], 0xa5, (i + 1) * 100);
	}
	first = p[0];
	/* Free out of order so merges go forwards, backwards and both ways. */
	for (i = 1; i < 8; i += 2)
		crypto_glue_free(p[i]);
	for (i = 0; i < 8; i += 2)
		crypto_glue_free(p[i]);
	assert_heap_empty();
	/* Reuse: the first block comes back at the same place, zeroed. */
	p[0] = crypto_glue_calloc(1, 3000);
	assert_ptr_equal(p[0], first);
	for (j = 0; j < 3000; j++)
		assert_int_equal(p[0][j], 0);
	crypto_glue_free(p[0]);
	assert_heap_empty();
}

/* Freed memory (and absorbed headers) is zero in the arena itself. */
static void test_heap_zeroes_on_free(void **state)
{
	u8 *a, *b;
	int i;

	a = crypto_glue_calloc(1, 64);
	b = crypto_glue_calloc(1, 64);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 0x5a, 64);
	memset(b, 0x5a, 64);
	crypto_glue_free(b);
	crypto_glue_free(a);
	/* a's payload, then b's header and payload: still inside the arena. */
	for (i = 0; i < 64 + 16 + 64; i++)
		assert_int_equal(a[i], 0);
	assert_heap_empty();
}

static void test_heap_limits(void **state)
{
	struct crypto_heap_stats st, st2;
	void *p[300];
	int n = 0, i;

	crypto_glue_stats(&st);
	assert_null(crypto_glue_calloc(1, CRYPTO_HEAP_SIZE));
	assert_null(crypto_glue_calloc(SIZE_MAX / 2, 4));
	while (n < 300 && (p[n] = crypto_glue_calloc(1, 1000)))
		n++;
	assert_true(n > 200 && n < 300);
	crypto_glue_stats(&st2);
	assert_int_equal(st2.failures, st.failures + 3);
	for (i = 0; i < n; i++)
		crypto_glue_free(p[i]);
	assert_heap_empty();
	/* Zero-sized requests get a real, freeable block. */
	p[0] = crypto_glue_calloc(0, 8);
	assert_non_null(p[0]);
	crypto_glue_free(p[0]);
	assert_heap_empty();
}

static void test_heap_refuses_bad_free(void **state)
{
	u8 local[32];
	u8 *p = crypto_glue_calloc(1, 64);

	assert_non_null(p);
	crypto_glue_free(local);
	crypto_glue_free(p + 16);
	crypto_glue_free(NULL);
	crypto_glue_free(p);
	crypto_glue_free(p);	/* double free: logged, ignored */
	assert_heap_empty();
}

static void test_zeroize(void **state)
{
	u8 buf[33];

	memset(buf, 0xff, sizeof(buf));
	mbedtls_platform_zeroize(buf + 1, 31);
	assert_int_equal(buf[0], 0xff);
	assert_int_equal(buf[32], 0xff);
	for (int i = 1; i < 32; i++)
		assert_int_equal(buf[i], 0);
	mbedtls_platform_zeroize(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_passes),
		cmocka_unit_test(test_aes_xts),
		cmocka_unit_test(test_hkdf),
		cmocka_unit_test(test_ecdsa_verify_rs),
		cmocka_unit_test(test_heap_coalesces),
		cmocka_unit_test(test_heap_zeroes_on_free),
		cmocka_unit_test(test_heap_limits),
		cmocka_unit_test(test_heap_refuses_bad_free),
		cmocka_unit_test(test_zeroize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
