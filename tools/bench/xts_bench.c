// SPDX-License-Identifier: GPL-2.0-only
/*
 * xts_bench - AES-256-XTS (aes-xts-plain64) throughput: Mamori's datapath (the
 * object the VMM links) beside OpenSSL EVP and mbedTLS, same machine, same run.
 *
 * Every implementation does the same job: requests of 512 B or 4 KiB over a
 * working set, in place, with one plain64 tweak per 512-byte sector (a 4 KiB
 * request = 8 sectors = 8 EVP/mbedTLS calls, one for us). "ours+simd" adds the
 * fpu_simd_begin/end the VMM pays per request. "openssl-4k-unit" is OpenSSL on
 * one 4 KiB data unit (a different format: its best case, no per-sector calls).
 * Reps are interleaved across implementations; the median is reported.
 * Exit 0 unless a result is wrong; a missed target prints "BELOW TARGET".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <mbedtls/aes.h>
#include <mbedtls/version.h>
#include <crypto/xts.h>

#define SECT		XTS_SECTOR_SIZE
#define WSET		(256 * 1024)	/* fits L2: measures the cipher */
#define PASSES		24		/* 6 MiB per measurement */
#define REPS		9
#define TARGET		0.9

enum impl { OURS, OURS_SIMD, OSSL, MBED, OSSL_UNIT, NIMPL };
static const char *const impl_name[NIMPL] = {
	"ours", "ours+simd", "openssl", "mbedtls", "openssl-4k-unit",
};

static u8 key[XTS_KEY_SIZE];
static u8 *buf;
static struct xts_key xk;
static struct fpu_area fpu;
static EVP_CIPHER_CTX *ossl[2];
static mbedtls_aes_xts_context mbed[2];

static void le64_iv(u8 iv[16], u64 s)
{
	int i;

	memset(iv, 0, 16);
	for (i = 0; i < 8; i++)
		iv[i] = s >> (8 * i);
}

/* One request of @n sectors at sector @s, in place. Returns 0 or -1. */
static int request(enum impl im, int enc, u64 s, u8 *p, size_t n)
{
	u8 iv[16];
	size_t i;
	int len;

	switch (im) {
	case OURS_SIMD:
		if (fpu_simd_begin(&fpu))
			return -1;
		/* fall through */
	case OURS:
		if (enc)
			xts_encrypt_sectors(&xk, s, p, p, n);
		else
			xts_decrypt_sectors(&xk, s, p, p, n);
		if (im == OURS_SIMD)
			fpu_simd_end(&fpu);
		return 0;
	case OSSL:
		for (i = 0; i < n; i++, p += SECT) {
			le64_iv(iv, s + i);
			if (EVP_CipherInit_ex(ossl[enc], NULL, NULL, NULL, iv, enc) != 1 ||
			    EVP_CipherUpdate(ossl[enc], p, &len, p, SECT) != 1)
				return -1;
		}
		return 0;
	case OSSL_UNIT:
		le64_iv(iv, s);
		if (EVP_CipherInit_ex(ossl[enc], NULL, NULL, NULL, iv, enc) != 1 ||
		    EVP_CipherUpdate(ossl[enc], p, &len, p, (int)(n * SECT)) != 1)
			return -1;
		return 0;
	case MBED:
		for (i = 0; i < n; i++, p += SECT) {
			le64_iv(iv, s + i);
			if (mbedtls_aes_crypt_xts(&mbed[enc], enc ? MBEDTLS_AES_ENCRYPT :
						  MBEDTLS_AES_DECRYPT, SECT, iv, p, p))
				return -1;
		}
		return 0;
	default:
		return -1;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* MB/s (10^6 bytes) for PASSES sweeps of the working set. */
static double measure(enum impl im, int enc, size_t req)
{
	size_t n = req / SECT, off, pass;
	double t0 = now();

	for (pass = 0; pass < PASSES; pass++)
		for (off = 0; off < WSET; off += req)
			if (request(im, enc, off / SECT, buf + off, n)) {
				fprintf(stderr, "xts_bench: %s failed\n", impl_name[im]);
				exit(1);
			}
	return (double)PASSES * WSET / (now() - t0) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* All implementations agree with each other on one 4 KiB request. */
static int cross_check(void)
{
	static u8 ref[4096], out[4096];
	enum impl im;
	int enc;

	for (enc = 1; enc >= 0; enc--) {
		memcpy(ref, buf, sizeof(ref));
		request(OSSL, enc, 12345, ref, 8);
		for (im = OURS; im <= MBED; im++) {
			memcpy(out, buf, sizeof(out));
			if (request(im, enc, 12345, out, 8) || memcmp(out, ref, sizeof(out))) {
				fprintf(stderr, "xts_bench: %s %s disagrees with OpenSSL\n",
					impl_name[im], enc ? "encrypt" : "decrypt");
				return -1;
			}
		}
	}
	return 0;
}

static void setup(void)
{
	size_t i;
	int enc;

	srand(1);
	for (i = 0; i < sizeof(key); i++)
		key[i] = rand();
	buf = aligned_alloc(64, WSET);
	for (i = 0; i < WSET; i++)
		buf[i] = rand();
	if (!buf || !xts_cpu_supported() || fpu_init() || xts_setkey(&xk, key)) {
		fprintf(stderr, "xts_bench: setup failed (AES-NI or XSAVE missing?)\n");
		exit(1);
	}
	for (enc = 0; enc < 2; enc++) {
		ossl[enc] = EVP_CIPHER_CTX_new();
		if (!ossl[enc] || EVP_CipherInit_ex(ossl[enc], EVP_aes_256_xts(),
						    NULL, key, NULL, enc) != 1) {
			fprintf(stderr, "xts_bench: OpenSSL setup failed\n");
			exit(1);
		}
		mbedtls_aes_xts_init(&mbed[enc]);
		if ((enc ? mbedtls_aes_xts_setkey_enc : mbedtls_aes_xts_setkey_dec)
		    (&mbed[enc], key, 512)) {
			fprintf(stderr, "xts_bench: mbedTLS setup failed\n");
			exit(1);
		}
	}
}

static void print_cpu(void)
{
	u32 brand[13] = { 0 }, a, b, c, d, i;

	for (i = 0; i < 3; i++)
		__cpuid(0x80000002 + i, brand[4 * i], brand[4 * i + 1],
			brand[4 * i + 2], brand[4 * i + 3]);
	__cpuid(1, a, b, c, d);
	printf("cpu: %s (family %#x model %#x)\n", (char *)brand,
	       ((a >> 8) & 0xf) + ((a >> 20) & 0xff),
	       ((a >> 4) & 0xf) | ((a >> 12) & 0xf0));
	printf("libs: %s; mbedTLS %s\n", OpenSSL_version(OPENSSL_VERSION),
	       MBEDTLS_VERSION_STRING);
}

int main(void)
{
	static const size_t reqs[] = { 512, 4096 };
	double mbs[NIMPL][REPS], med[NIMPL], best;
	char sum[4][160];
	int below = 0, nsum = 0, enc, r;
	size_t q;
	enum impl im;

	setup();
	print_cpu();
	if (cross_check())
		return 1;
	printf("AES-256-XTS aes-xts-plain64, in place, %d KiB working set, "
	       "median of %d reps, MB/s (10^6 B/s)\n", WSET / 1024, REPS);
	printf("%-12s %7s %9s %7s %7s %15s %12s %12s %12s\n", "request", "ours",
	       "ours+simd", "openssl", "mbedtls", "openssl-4k-unit",
	       "ours/openssl", "ours/mbedtls", "+simd/ossl");
	for (q = 0; q < 2; q++) {
		for (enc = 1; enc >= 0; enc--) {
			for (im = OURS; im < NIMPL; im++)
				measure(im, enc, reqs[q]);	/* warm-up */
			for (r = 0; r < REPS; r++)
				for (im = OURS; im < NIMPL; im++)
					mbs[im][r] = measure(im, enc, reqs[q]);
			for (im = OURS; im < NIMPL; im++) {
				qsort(mbs[im], REPS, sizeof(double), cmp_double);
				med[im] = mbs[im][REPS / 2];
			}
			printf("%4zu B %-7s %7.0f %9.0f %7.0f %7.0f %15.0f %11.2fx %11.2fx %11.2fx\n",
			       reqs[q], enc ? "encrypt" : "decrypt", med[OURS],
			       med[OURS_SIMD], med[OSSL], med[MBED],
			       med[OSSL_UNIT], med[OURS] / med[OSSL],
			       med[OURS] / med[MBED], med[OURS_SIMD] / med[OSSL]);
			snprintf(sum[nsum++], sizeof(sum[0]),
				 "xts %4zu B %s: %.0f MB/s, %.2fx openssl (%.2fx its 4k unit),"
				 " %.2fx mbedtls; %.2fx openssl with a SIMD section",
				 reqs[q], enc ? "enc" : "dec", med[OURS],
				 med[OURS] / med[OSSL], med[OURS] / med[OSSL_UNIT],
				 med[OURS] / med[MBED], med[OURS_SIMD] / med[OSSL]);
			/* the target holds against OpenSSL's better number */
			best = MAX(med[OSSL], med[OSSL_UNIT]);
			if (med[OURS] / best < TARGET) {
				printf("BELOW TARGET: ours/openssl %.2fx < %.2fx at %zu B %s\n",
				       med[OURS] / best, TARGET, reqs[q],
				       enc ? "encrypt" : "decrypt");
				below++;
			}
		}
	}
	printf("target ours >= %.2fx the better of openssl, openssl-4k-unit: %s\n", TARGET,
	       below ? "missed" : "met");
	for (r = 0; r < nsum; r++)
		printf("SUMMARY: %s\n", sum[r]);
	xts_key_wipe(&xk);
	return 0;
}
