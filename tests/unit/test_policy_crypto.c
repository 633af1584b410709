// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy crypto against published vectors and an independently built blob.
 *  - PBKDF2-HMAC-SHA256: RFC 7914 section 11 (the two PBKDF2-HMAC-SHA256 vectors).
 *  - AES-256-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)",
 *    revised submission to NIST (2005), test cases 13, 14 and 16 (256-bit keys),
 *    through the same mbedTLS calls policy_unseal() makes.
 *  - A sealed-secrets blob produced by Python's `cryptography` and hashlib
 *    (not by Mamori's encoder) from the layout in docs/policy.md: a
 *    known-answer test of policy_parse() + policy_unseal().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/gcm.h>
#include <mamori/policy.h>

#include "policy_encode.h"

static size_t unhex(const char *h, u8 *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (h[0] && h[1] && n < cap) {
		assert_int_equal(sscanf(h, "%2x", &b), 1);
		out[n++] = (u8)b;
		h += 2;
	}
	return n;
}

static void test_pbkdf2_rfc7914(void **state)
{
	static const struct {
		const char *pass, *salt;
		u32 iter;
		const char *dk;
	} v[] = {
		{ "passwd", "salt", 1,
		  "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
		  "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
		{ "Password", "NaCl", 80000,
		  "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
		  "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
	};
	u8 want[64], got[64];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].dk, want, sizeof(want));
		assert_int_equal(policy_kdf((const u8 *)v[i].pass, strlen(v[i].pass),
					    (const u8 *)v[i].salt, strlen(v[i].salt), v[i].iter,
					    got, sizeof(got)), 0);
		assert_memory_equal(got, want, 64);
		/* The sealing key is the first 32 bytes of the same stream. */
		assert_int_equal(policy_kdf((const u8 *)v[i].pass, strlen(v[i].pass),
					    (const u8 *)v[i].salt, strlen(v[i].salt), v[i].iter,
					    got, 32), 0);
		assert_memory_equal(got, want, 32);
	}
}

static void test_gcm_mcgrew_viega(void **state)
{
	static const struct {
		const char *k, *iv, *p, *a, *c, *t;
	} v[] = {
		{ /* test case 13 */
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "000000000000000000000000", "", "", "",
		  "530f8afbc74536b9a963b4f1c4cb738b" },
		{ /* test case 14 */
		  "0000000000000000000000000000000000000000000000000000000000000000",
		  "000000000000000000000000", "00000000000000000000000000000000", "",
		  "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
		{ /* test case 16 */
		  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
		  "cafebabefacedbaddecaf888",
		  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
		  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
		  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		  "76fc6ece0f4e1768cddf8853bb2d551b" },
	};
	u8 k[32], iv[12], p[64], a[32], c[64], t[16], out[64], tag[16];
	size_t i, pl, al;
	mbedtls_gcm_context g;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].k, k, sizeof(k));
		unhex(v[i].iv, iv, sizeof(iv));
		pl = unhex(v[i].p, p, sizeof(p));
		al = unhex(v[i].a, a, sizeof(a));
		unhex(v[i].c, c, sizeof(c));
		unhex(v[i].t, t, sizeof(t));
		mbedtls_gcm_init(&g);
		assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, k, 256), 0);
		assert_int_equal(mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, pl, iv, 12, a,
							   al, p, out, 16, tag), 0);
		assert_memory_equal(out, c, pl);
		assert_memory_equal(tag, t, 16);
		assert_int_equal(mbedtls_gcm_auth_decrypt(&g, pl, iv, 12, a, al, t, 16, c, out), 0);
		assert_memory_equal(out, p, pl);
		t[15] ^= 1;
		assert_int_equal(mbedtls_gcm_auth_decrypt(&g, pl, iv, 12, a, al, t, 16, c, out),
				 MBEDTLS_ERR_GCM_AUTH_FAILED);
		mbedtls_gcm_free(&g);
	}
}

/*
 * Version 7, a secrets record (PBKDF2 100000 iterations, salt 00..0f, nonce
 * a0..ab, passphrase "correct horse battery"; key k1 = 00..0f, phrase ph =
 * "hello") and a signature record with a zero signature.
 */
static const char kat_blob[] =
	"4d414d4f52495042010020000901000007000000000000000200000000000000"
	"100000007500000001010200a0860100000102030405060708090a0b0c0d0e0f"
	"a0a1a2a3a4a5a6a7a8a9aaab150000006b310000000000000000000000000000"
	"01001000706800000000000000000000000000000200050046a742bdcc12747f"
	"1234ce117e90263f704aab2b446f9d43c927af8f0f13fe33fc5079ca6cff0000"
	"0064000000010000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"0000000000000000000000000000000000000000000000000000000000000000"
	"000000000000000000";

static struct policy pol;
static struct policy_secrets sec;

static void test_unseal_known_answer(void **state)
{
	static const char pass[] = "correct horse battery";
	const struct policy_secret *s;
	struct policy_diag d;
	u8 blob[512], k1[16];
	size_t len = unhex(kat_blob, blob, sizeof(blob)), i;

	assert_int_equal(len, 265);
	assert_int_equal(policy_parse(blob, len, &pol, &d), 0);
	assert_int_equal(pol.version, 7);
	assert_int_equal(pol.sealed.iterations, 100000);
	assert_int_equal(policy_unseal(&pol, (const u8 *)pass, strlen(pass), &sec, &d), 0);
	assert_int_equal(sec.count, 2);
	for (i = 0; i < 16; i++)
		k1[i] = (u8)i;
	s = policy_find_secret(&sec, "k1");
	assert_non_null(s);
	assert_int_equal(s->kind, POLICY_SECRET_KEY);
	assert_int_equal(s->len, 16);
	assert_memory_equal(s->value, k1, 16);
	s = policy_find_secret(&sec, "ph");
	assert_non_null(s);
	assert_int_equal(s->len, 5);
	assert_memory_equal(s->value, "hello", 5);
	assert_null(policy_find_secret(&sec, "nope"));
	policy_secrets_wipe(&sec);
	assert_int_equal(sec.count, 0);
}

static void test_unseal_tampered_aad(void **state)
{
	static const char pass[] = "correct horse battery";
	struct policy_diag d;
	u8 blob[512];
	size_t len = unhex(kat_blob, blob, sizeof(blob));

	/* The phrase's name is public but authenticated: "ph" -> "pi". */
	blob[32 + 8 + 40 + 20 + 1] = 'i';
	assert_int_equal(policy_parse(blob, len, &pol, &d), 0);
	assert_int_equal(policy_unseal(&pol, (const u8 *)pass, strlen(pass), &sec, &d),
			 -POLICY_E_UNSEAL);
	assert_int_equal(sec.count, 0);
}

static void test_password_hash(void **state)
{
	u8 salt[POLICY_SALT_LEN] = { 1, 2, 3 }, out[POLICY_PASSWORD_LEN], dk[32];

	assert_int_equal(policy_hash_password("hunter22", 8, salt, 100000, out), 0);
	assert_memory_equal(out, salt, POLICY_SALT_LEN);
	assert_int_equal(out[16] | out[17] << 8 | out[18] << 16 | out[19] << 24, 100000);
	assert_int_equal(policy_kdf((const u8 *)"hunter22", 8, salt, sizeof(salt), 100000, dk,
				    32), 0);
	assert_memory_equal(out + 20, dk, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pbkdf2_rfc7914),
		cmocka_unit_test(test_gcm_mcgrew_viega),
		cmocka_unit_test(test_unseal_known_answer),
		cmocka_unit_test(test_unseal_tampered_aad),
		cmocka_unit_test(test_password_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
