// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: what a wire can send to net/. The input is a sequence of
 * records [kind, len_hi, len_lo, bytes...]: kind 0 is an MKPDU body that the
 * harness frames (PAE group address, EtherType, EAPOL header) and signs with
 * the actor's ICK, so parsing, peer handling, SAK Use and Distributed SAK
 * (unwrap) are reached; kind 1 is a raw frame for macsec_validate() on a SecY
 * with a receive SC and four SAs. State is fresh per input (the random source
 * is deterministic, so the actor's MI is the same every time).
 */
#include <stdlib.h>
#include <string.h>

#include <net/mka.h>
#include <net/mka_crypto.h>
#include <net/random.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static u64 rng;

int arch_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		*p++ = (u8)(rng >> 56);
	}
	return 0;
}

static int sink(void *ctx, const u8 *f, size_t len)
{
	return len < 14 || len > MKA_FRAME_MAX;	/* the actor never builds bad frames */
}

#define PEER_SCI	0x0200000000020001ULL

static void mkpdu(struct mka *m, const u8 *body, size_t n, u64 now)
{
	static const u8 hdr[] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03,
				  0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x88, 0x8e, 0x03, 0x05 };
	u8 f[MKA_FRAME_MAX + 64];
	size_t bl = (n + 3) & ~(size_t)3;

	if (18 + bl + MKA_ICV_LEN > sizeof(f))
		return;
	memset(f, 0, sizeof(f));
	memcpy(f, hdr, sizeof(hdr));
	f[16] = (u8)((bl + MKA_ICV_LEN) >> 8);
	f[17] = (u8)(bl + MKA_ICV_LEN);
	memcpy(f + 18, body, n);
	mka_icv(m->ick, m->cfg.cak_len, f, 18 + bl, f + 18 + bl);
	mka_receive(m, f, 18 + bl + MKA_ICV_LEN, now);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u8 key[32] = "fuzz-sak-fuzz-sak-fuzz-sak-fuzz";
	struct mka_config cfg = { .cak_len = 16, .ckn_len = 1, .ckn = { 0x01 }, .port = 1,
				  .priority = 0x10, .cipher = MACSEC_GCM_AES_128,
				  .mac = { 2, 0, 0, 0, 0, 1 } };
	struct mka_ops ops = { .send = sink };
	static struct macsec_secy y;
	static struct mka m;
	u8 out[2048], ki[MACSEC_KI_LEN] = { 0 };
	u64 now = 1000;
	size_t ol;
	int an;

	rng = 1;
	memcpy(cfg.cak, "fuzz-cak-16bytes", 16);
	if (macsec_secy_init(&y, macsec_sci(cfg.mac, 1), cfg.cipher, 4) ||
	    mka_init(&m, &cfg, &y, &ops, now))
		abort();
	macsec_rx_sc_add(&y, PEER_SCI);
	for (an = 0; an < MACSEC_AN_COUNT; an++) {
		ki[15] = (u8)an;
		macsec_rx_sa_install(&y, PEER_SCI, (u8)an, key, ki, 1);
	}
	while (size >= 3) {
		size_t n = (size_t)(data[1] << 8 | data[2]);
		u8 kind = data[0];

		data += 3;
		size -= 3;
		n = n < size ? n : size;
		if (kind & 1) {
			enum macsec_drop d = macsec_validate(&y, data, n, out, sizeof(out), &ol);

			if (d == MACSEC_OK && (ol + 24 > n || ol < 14))
				abort();	/* plain frame larger than the wire allows */
		} else {
			mkpdu(&m, data, n, now);
		}
		now += 700;
		mka_tick(&m, now);
		data += n;
		size -= n;
	}
	mka_stop(&m);
	macsec_secy_clear(&y);
	return 0;
}
