// SPDX-License-Identifier: GPL-2.0-only
/* Known-answer tests of the VMM's mbedTLS build; vectors cited per test. */
#include <crypto/selftest.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>
#include "mbedtls/aes.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/gcm.h"
#include "mbedtls/md.h"
#include "mbedtls/pkcs5.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/sha256.h"
#include "mbedtls/sha512.h"

struct kat {
	const char *name;
	int (*run)(const char **why);
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode @hex (even length, no separators) into @out; returns the length. */
static size_t unhex(const char *hex, u8 *out, size_t max)
{
	size_t n = 0;

	for (; hex[0] && hex[1] && n < max; hex += 2)
		out[n++] = hexval(hex[0]) << 4 | hexval(hex[1]);
	return n;
}

/* 0 if @len bytes at @got equal the hex string @want (of that length). */
static int check(const u8 *got, size_t len, const char *want)
{
	u8 buf[80];

	if (strlen(want) != 2 * len || unhex(want, buf, sizeof(buf)) != len)
		return -EIO;
	return memcmp(got, buf, len) ? -EIO : 0;
}

/* Map an mbedTLS error to ours, naming the call that failed. */
static int mbed_err(int ret, const char *call, const char **why)
{
	*why = call;
	return ret == MBEDTLS_ERR_MPI_ALLOC_FAILED ||
	       ret == MBEDTLS_ERR_MD_ALLOC_FAILED ? -ENOMEM : -EIO;
}

/* FIPS 180-2 appendix B.1 / C.1: the one-block message "abc". */
static int kat_sha256(const char **why)
{
	u8 out[32];

	if (mbedtls_sha256_ret((const u8 *)"abc", 3, out, 0))
		return mbed_err(-1, "mbedtls_sha256_ret", why);
	*why = "wrong digest";
	return check(out, 32, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
}

static int kat_sha512(const char **why)
{
	u8 out[64];

	if (mbedtls_sha512_ret((const u8 *)"abc", 3, out, 0))
		return mbed_err(-1, "mbedtls_sha512_ret", why);
	*why = "wrong digest";
	return check(out, 64, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

/* FIPS-197 appendix C.3: AES-256, key 00..1f, one block each way. */
static int kat_aes256(const char **why)
{
	static const char ct_hex[] = "8ea2b7ca516745bfeafc49904b496089";
	mbedtls_aes_context ctx;
	u8 key[32], pt[16], buf[16];
	int i, ret;

	for (i = 0; i < 32; i++)
		key[i] = i;
	unhex("00112233445566778899aabbccddeeff", pt, 16);
	mbedtls_aes_init(&ctx);
	ret = mbedtls_aes_setkey_enc(&ctx, key, 256) ||
	      mbedtls_aes_crypt_ecb(&ctx, MBEDTLS_AES_ENCRYPT, pt, buf);
	*why = "wrong ciphertext";
	if (!ret)
		ret = check(buf, 16, ct_hex);
	if (!ret) {
		ret = mbedtls_aes_setkey_dec(&ctx, key, 256) ||
		      mbedtls_aes_crypt_ecb(&ctx, MBEDTLS_AES_DECRYPT, buf, buf) ||
		      memcmp(buf, pt, 16);
		*why = "decryption does not round-trip";
	}
	mbedtls_aes_free(&ctx);
	mbedtls_platform_zeroize(key, sizeof(key));
	return ret ? -EIO : 0;
}

/* RFC 4231 test case 2: key "Jefe". */
static int kat_hmac_sha256(const char **why)
{
	static const char msg[] = "what do ya want for nothing?";
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	u8 out[32];
	int ret;

	ret = mbedtls_md_hmac(md, (const u8 *)"Jefe", 4, (const u8 *)msg,
			      sizeof(msg) - 1, out);
	if (ret)
		return mbed_err(ret, "mbedtls_md_hmac", why);
	*why = "wrong MAC";
	return check(out, 32, "5bdcc146bf60754e6a042426089575c7"
			      "5a003f089d2739839dec58b964ec3843");
}

/* McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16. */
static int kat_aes256_gcm(const char **why)
{
	static const char ct_hex[] =
		"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
	mbedtls_gcm_context ctx;
	u8 key[32], iv[12], aad[20], pt[60], ct[60], tag[16];
	int ret;

	unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", key, 32);
	unhex("cafebabefacedbaddecaf888", iv, 12);
	unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", aad, 20);
	unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39", pt, 60);
	mbedtls_gcm_init(&ctx);
	ret = mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (ret) {
		*why = "mbedtls_gcm_setkey";
		goto out;
	}
	ret = mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, 60, iv, 12,
					aad, 20, pt, ct, 16, tag);
	*why = "wrong ciphertext or tag";
	if (!ret)
		ret = check(ct, 60, ct_hex) ||
		      check(tag, 16, "76fc6ece0f4e1768cddf8853bb2d551b");
	if (ret)
		goto out;
	ret = mbedtls_gcm_auth_decrypt(&ctx, 60, iv, 12, aad, 20, tag, 16, ct, ct) ||
	      memcmp(ct, pt, 60);
	*why = "authenticated decryption does not round-trip";
	if (ret)
		goto out;
	tag[15] ^= 1;
	ret = mbedtls_gcm_auth_decrypt(&ctx, 60, iv, 12, aad, 20, tag, 16, pt, ct) !=
	      MBEDTLS_ERR_GCM_AUTH_FAILED;
	*why = "accepted a forged tag";
out:
	mbedtls_gcm_free(&ctx);
	mbedtls_platform_zeroize(key, sizeof(key));
	return ret ? -EIO : 0;
}

/* RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", c=1, dkLen=64). */
static int kat_pbkdf2(const char **why)
{
	mbedtls_md_context_t ctx;
	u8 out[64];
	int ret;

	mbedtls_md_init(&ctx);
	ret = mbedtls_md_setup(&ctx, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1);
	if (ret) {
		mbedtls_md_free(&ctx);
		return mbed_err(ret, "mbedtls_md_setup", why);
	}
	ret = mbedtls_pkcs5_pbkdf2_hmac(&ctx, (const u8 *)"passwd", 6,
					(const u8 *)"salt", 4, 1, 64, out);
	mbedtls_md_free(&ctx);
	if (ret)
		return mbed_err(ret, "mbedtls_pkcs5_pbkdf2_hmac", why);
	*why = "wrong derived key";
	return check(out, 64, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
			      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
}

/*
 * RFC 6979 A.2.5: P-256 key, message "sample", SHA-256 signature (r, s) in
 * DER. The signature must verify, and must not once the digest is altered.
 */
static int kat_ecdsa_p256(const char **why)
{
	static const char pub_hex[] = "04"
		"60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
		"7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299";
	static const char sig_hex[] = "3046"
		"022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
		"022100f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";
	mbedtls_ecdsa_context ctx;
	u8 pub[65], sig[72], hash[32];
	int ret;

	unhex(pub_hex, pub, sizeof(pub));
	unhex(sig_hex, sig, sizeof(sig));
	mbedtls_ecdsa_init(&ctx);
	*why = "loading P-256 or the public key";
	ret = mbedtls_ecp_group_load(&ctx.grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_ecp_point_read_binary(&ctx.grp, &ctx.Q, pub, sizeof(pub));
	if (!ret)
		ret = mbedtls_ecp_check_pubkey(&ctx.grp, &ctx.Q);
	if (!ret)
		ret = mbedtls_sha256_ret((const u8 *)"sample", 6, hash, 0);
	if (!ret) {
		*why = "rejected a valid signature";
		ret = mbedtls_ecdsa_read_signature(&ctx, hash, 32, sig, sizeof(sig));
	}
	if (!ret) {
		*why = "accepted a signature over another digest";
		hash[0] ^= 0x80;
		ret = mbedtls_ecdsa_read_signature(&ctx, hash, 32, sig, sizeof(sig)) !=
		      MBEDTLS_ERR_ECP_VERIFY_FAILED;
	}
	mbedtls_ecdsa_free(&ctx);
	if (ret == MBEDTLS_ERR_MPI_ALLOC_FAILED || ret == MBEDTLS_ERR_ECP_ALLOC_FAILED)
		return -ENOMEM;
	return ret ? -EIO : 0;
}

static const struct kat kats[] = {
	{ "SHA-256 (FIPS 180-2)", kat_sha256 },
	{ "SHA-512 (FIPS 180-2)", kat_sha512 },
	{ "AES-256 (FIPS-197 C.3)", kat_aes256 },
	{ "HMAC-SHA-256 (RFC 4231 case 2)", kat_hmac_sha256 },
	{ "AES-256-GCM (GCM spec case 16)", kat_aes256_gcm },
	{ "PBKDF2-HMAC-SHA-256 (RFC 7914)", kat_pbkdf2 },
	{ "ECDSA P-256 verify (RFC 6979 A.2.5)", kat_ecdsa_p256 },
};

int crypto_selftest(void)
{
	const char *why;
	int ret, first = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kats); i++) {
		why = "?";
		ret = kats[i].run(&why);
		if (!ret)
			continue;
		pr_err("crypto: self-test %s failed (%s)\n", kats[i].name,
		       ret == -ENOMEM ? "out of crypto heap" : why);
		if (!first)
			first = ret;
	}
	if (!first)
		pr_dbg("crypto: self-test passed (%zu known-answer tests)\n",
			ARRAY_SIZE(kats));
	return first;
}
