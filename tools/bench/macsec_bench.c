// SPDX-License-Identifier: GPL-2.0-only
/*
 * macsec_bench - MACsec datapath throughput: Mamori's SecY (net/macsec.o as
 * the VMM links it: freestanding build, mbedTLS's plain-C GCM) protecting and
 * validating Ethernet frames, beside OpenSSL's EVP AES-GCM (AES-NI + PCLMUL)
 * doing the same AEAD job (IV 12, AAD = DA SA SecTAG, 16-byte tag) on the same
 * machine in the same run. Frame sizes 64, 512, 1514 bytes; GCM-AES-128 and
 * -256. Median of interleaved reps. No target: the SecY is plain C until an
 * AES-NI GCM datapath exists (docs/network.md); this reports the gap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <net/macsec.h>

#define REPS	7
#define BYTES	(4u << 20)	/* per measurement */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static u8 frame[1600], wire[1700], back[1700];

/* Mamori: protect on one SecY, validate on the other, per frame. */
static double run_ours(struct macsec_secy *tx, struct macsec_secy *rx, size_t len, int validate)
{
	size_t n = BYTES / len, i, wl, bl;
	double t = now_s();

	for (i = 0; i < n; i++) {
		if (macsec_protect(tx, frame, len, wire, sizeof(wire), &wl))
			abort();
		if (validate && macsec_validate(rx, wire, wl, back, sizeof(back), &bl) != MACSEC_OK)
			abort();
	}
	return (double)n * len / (now_s() - t) / 1e6;
}

static double run_ossl(EVP_CIPHER_CTX *c, const u8 *key, size_t len, int validate)
{
	size_t n = BYTES / len, i;
	u8 iv[12] = { 1 }, tag[16];
	int ol;
	double t = now_s();

	for (i = 0; i < n; i++) {
		iv[11] = (u8)i;
		if (!EVP_EncryptInit_ex(c, NULL, NULL, key, iv) ||
		    !EVP_EncryptUpdate(c, NULL, &ol, frame, 28) ||
		    !EVP_EncryptUpdate(c, wire, &ol, frame + 12, (int)len - 12) ||
		    !EVP_EncryptFinal_ex(c, wire + ol, &ol) ||
		    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag))
			abort();
		if (validate) {
			if (!EVP_DecryptInit_ex(c, NULL, NULL, key, iv) ||
			    !EVP_DecryptUpdate(c, NULL, &ol, frame, 28) ||
			    !EVP_DecryptUpdate(c, back, &ol, wire, (int)len - 12) ||
			    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag) ||
			    EVP_DecryptFinal_ex(c, back + ol, &ol) <= 0)
				abort();
		}
	}
	return (double)n * len / (now_s() - t) / 1e6;
}

int main(void)
{
	static const size_t sizes[] = { 64, 512, 1514 };
	static const u8 ki[MACSEC_KI_LEN] = { 1 };
	u8 key[32];
	int k, s, v, r;

	memset(key, 0x3c, sizeof(key));
	memset(frame, 0xa5, sizeof(frame));
	printf("%-12s %6s %-16s %12s %12s %8s\n", "cipher", "frame", "job", "ours MB/s",
	       "openssl MB/s", "ratio");
	for (k = 0; k < 2; k++) {
		enum macsec_cipher c = k ? MACSEC_GCM_AES_256 : MACSEC_GCM_AES_128;
		const EVP_CIPHER *ev = k ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
		EVP_CIPHER_CTX *oc = EVP_CIPHER_CTX_new();

		if (!oc || !EVP_EncryptInit_ex(oc, ev, NULL, NULL, NULL))
			abort();
		for (s = 0; s < 3; s++) {
			for (v = 0; v < 2; v++) {
				double ours[REPS], ossl[REPS];
				struct macsec_secy tx, rx;

				for (r = 0; r < REPS; r++) {
					if (macsec_secy_init(&tx, 0x0200000000010001ULL, c, 0) ||
					    macsec_secy_init(&rx, 2, c, 0) ||
					    macsec_tx_sa_install(&tx, 0, key, ki, 1) ||
					    macsec_tx_use(&tx, 0) ||
					    macsec_rx_sc_add(&rx, 0x0200000000010001ULL) ||
					    macsec_rx_sa_install(&rx, 0x0200000000010001ULL, 0, key, ki, 1))
						abort();
					ours[r] = run_ours(&tx, &rx, sizes[s], v);
					ossl[r] = run_ossl(oc, key, sizes[s], v);
					macsec_secy_clear(&tx);
					macsec_secy_clear(&rx);
				}
				qsort(ours, REPS, sizeof(double), cmp_d);
				qsort(ossl, REPS, sizeof(double), cmp_d);
				printf("%-12s %6zu %-16s %12.1f %12.1f %7.3fx\n",
				       k ? "GCM-AES-256" : "GCM-AES-128", sizes[s],
				       v ? "protect+validate" : "protect", ours[REPS / 2],
				       ossl[REPS / 2], ours[REPS / 2] / ossl[REPS / 2]);
				if (s == 2 && v == 0)
					printf("SUMMARY: %s protect 1514 B: ours %.0f MB/s, OpenSSL AES-NI %.0f MB/s (%.3fx)\n",
					       k ? "GCM-AES-256" : "GCM-AES-128", ours[REPS / 2],
					       ossl[REPS / 2], ours[REPS / 2] / ossl[REPS / 2]);
			}
		}
		EVP_CIPHER_CTX_free(oc);
	}
	return 0;
}
