// SPDX-License-Identifier: GPL-2.0-only
/*
 * net/mka*.c: the key hierarchy against independent values (RFC 4493 AES-CMAC,
 * RFC 3394 key wrap, and ICK/KEK from Python's `cryptography` CMAC, see
 * the comment at kdf_vectors), the MKPDU layout at fixed offsets of 802.1X
 * 11.11, then two MKA actors on an in-memory wire: key server election, SAK
 * distribution, data through both SecYs, a wrong CAK, replayed MKPDUs, PN
 * rollover, a reboot with a new SAK, and refusal without entropy. The
 * arch_random_bytes() here is a deterministic generator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <net/mka.h>
#include <net/mka_crypto.h>
#include <net/mka_pdu.h>
#include <net/random.h>
#include <crypto/glue.h>
#include <mamori/errno.h>

static u64 rng_state = 0x9e3779b97f4a7c15ULL;
static bool rng_fail;

int arch_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	if (rng_fail)
		return -EIO;
	while (len--) {
		rng_state ^= rng_state << 13;
		rng_state ^= rng_state >> 7;
		rng_state ^= rng_state << 17;
		*p++ = (u8)rng_state;
	}
	return 0;
}

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

static void test_cmac_rfc4493(void **state)
{
	u8 key[16], msg[64], exp[16], icv[16];

	unhex("2b7e151628aed2a6abf7158809cf4f3c", key);
	unhex("6bc1bee22e409f96e93d7e117393172a", msg);
	unhex("070a16b46b4d4144f79bdd9dd04a287c", exp);
	assert_int_equal(mka_icv(key, 16, msg, 16, icv), 0);
	assert_memory_equal(icv, exp, 16);
	unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", msg);
	unhex("51f0bebf7e3b9d92fc49741779363cfe", exp);
	assert_int_equal(mka_icv(key, 16, msg, 64, icv), 0);
	assert_memory_equal(icv, exp, 16);
}

static void test_key_wrap_rfc3394(void **state)
{
	u8 kek[32], key[32], exp[40], out[40], back[32];

	unhex("000102030405060708090A0B0C0D0E0F", kek);
	unhex("00112233445566778899AABBCCDDEEFF", key);
	unhex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", exp);
	assert_int_equal(mka_wrap(kek, 16, key, 16, out), 0);
	assert_memory_equal(out, exp, 24);
	assert_int_equal(mka_unwrap(kek, 16, out, 24, back), 0);
	assert_memory_equal(back, key, 16);
	out[3] ^= 1;	/* integrity check of the unwrap */
	assert_int_equal(mka_unwrap(kek, 16, out, 24, back), -EBADMSG);

	unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", kek);
	unhex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F", key);
	unhex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43B"
	      "FB988B9B7A02DD21", exp);
	assert_int_equal(mka_wrap(kek, 32, key, 32, out), 0);
	assert_memory_equal(out, exp, 40);
	assert_int_equal(mka_unwrap(kek, 32, out, 40, back), 0);
	assert_memory_equal(back, key, 32);
}

/*
 * kdf_vectors: expected values computed independently with Python's
 * cryptography package (CMAC(AES)) following 802.1X-2010 6.2.1:
 * out = CMAC(CAK, i || label || 0x00 || CKN[0..16) zero-padded || bits(16)).
 */
static void test_kdf_vectors(void **state)
{
	u8 cak[32], ckn[16], exp[32], out[32];
	size_t cl;

	unhex("135bd758b0ee5c11c55ff6ab19fdb199", cak);
	cl = unhex("96437a93ccf10d9dfe347846cce52c7d", ckn);
	assert_int_equal(mka_derive_ick(cak, 16, ckn, cl, out), 0);
	unhex("8f1c5cb1c8ed2e5f047906e0473aad4d", exp);
	assert_memory_equal(out, exp, 16);
	assert_int_equal(mka_derive_kek(cak, 16, ckn, cl, out), 0);
	unhex("8f5a384c15d6ae9302b462e363d03ca6", exp);
	assert_memory_equal(out, exp, 16);

	unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", cak);
	assert_int_equal(mka_derive_ick(cak, 32, (const u8 *)"mamori-dev", 10, out), 0);
	unhex("8b2a40b846e229eb2a1d9fed0424ed10b7e1b3632fead2e61925d5d7cc5ff32a", exp);
	assert_memory_equal(out, exp, 32);
	assert_int_equal(mka_derive_kek(cak, 32, (const u8 *)"mamori-dev", 10, out), 0);
	unhex("a26f69f8196a35c98d83b1ac4eb30b95ff9f80f085529194d2d259c23d579470", exp);
	assert_memory_equal(out, exp, 32);
}

/* The encoder's bytes at the offsets 802.1X-2010 Figures 11-7..11-11 give. */
static void test_pdu_layout(void **state)
{
	struct mka_pdu p, q;
	u8 ick[16] = { 1 }, f[512];
	int len;

	memset(&p, 0, sizeof(p));
	memcpy(p.src, "\x02\x00\x00\x00\x00\x01", 6);
	p.priority = 0x10;
	p.key_server = true;
	p.macsec_desired = true;
	p.capability = MKA_CAP_CONF_0;
	p.sci = 0x0200000000010001ULL;
	memset(p.mi, 0xaa, 12);
	p.mn = 7;
	memcpy(p.ckn, "abcde", 5);
	p.ckn_len = 5;
	p.n_live = 1;
	memset(p.live[0].mi, 0xbb, 12);
	p.live[0].mn = 9;
	p.use.present = true;
	p.use.lan = 2;
	p.use.lrx = true;
	memset(p.use.lki, 0xcc, 16);
	p.use.llpn = 0x11223344;
	p.dist.present = true;
	p.dist.an = 2;
	p.dist.conf_offset = MKA_CONF_OFFSET_0;
	p.dist.kn = 5;
	p.dist.cipher_suite = MKA_CS_GCM_AES_128;
	p.dist.wrapped_len = 24;
	memset(p.dist.wrapped, 0xdd, 24);
	len = mka_pdu_build(&p, ick, 16, f, sizeof(f));
	/* 14 + 4 + basic (4 + 28 + 5 -> 36) + live (4 + 16) + use (4 + 40) + dist (4 + 28) + 16 */
	assert_int_equal(len, 14 + 4 + 40 + 20 + 44 + 32 + 16);
	assert_memory_equal(f, "\x01\x80\xc2\x00\x00\x03\x02\x00\x00\x00\x00\x01\x88\x8e\x03\x05", 16);
	assert_int_equal(f[16] << 8 | f[17], len - 18);
	/* Basic: version 1, priority, KS|desired|cap 2, length 33 */
	assert_memory_equal(f + 18, "\x01\x10\xe0\x21", 4);
	assert_memory_equal(f + 18 + 24, "\x00\x00\x00\x07\x00\x80\xc2\x01" "abcde\0\0\0", 16);
	/* Live peer list at 58: type 1, length 16 */
	assert_memory_equal(f + 58, "\x01\x00\x00\x10", 4);
	/* SAK use at 78: LAN 2, LRx; length 40 */
	assert_memory_equal(f + 78, "\x03\x90\x00\x28", 4);
	assert_memory_equal(f + 78 + 20, "\x11\x22\x33\x44", 4);
	/* Distributed SAK at 122: AN 2, offset 0 (1), length 28, KN 5 */
	assert_memory_equal(f + 122, "\x04\x90\x00\x1c\x00\x00\x00\x05", 8);

	assert_int_equal(mka_pdu_parse(f, (size_t)len, &q), 0);
	assert_int_equal(q.icv_at, (size_t)len - 16);
	assert_int_equal(q.mn, 7);
	assert_true(q.key_server);
	assert_int_equal(q.n_live, 1);
	assert_int_equal(q.live[0].mn, 9);
	assert_true(q.use.lrx && !q.use.ltx && q.use.lan == 2);
	assert_int_equal(q.dist.kn, 5);
	assert_int_equal(q.dist.cipher_suite, MKA_CS_GCM_AES_128);
	/* Framing errors: length not a multiple of 4, wrong DA, truncated. */
	f[17] += 2;
	assert_int_equal(mka_pdu_parse(f, (size_t)len + 2, &q), -EBADMSG);
	f[17] -= 2;
	f[0] = 0x01;
	f[5] = 0x0e;
	assert_int_equal(mka_pdu_parse(f, (size_t)len, &q), -EBADMSG);
	f[5] = 0x03;
	assert_int_equal(mka_pdu_parse(f, (size_t)len - 8, &q), -EBADMSG);
}

/* Two actors, each with a SecY, on a wire that queues frames. */
#define WIRE_MAX 32

struct node {
	struct mka m;
	struct macsec_secy y;
	struct node *other;
	u8 q[WIRE_MAX][MKA_FRAME_MAX];
	size_t ql[WIRE_MAX];
	int qn;
	bool cut;	/* frames to it are lost */
	u8 last[MKA_FRAME_MAX];
	size_t last_len;
};

static int wire_send(void *ctx, const u8 *f, size_t len)
{
	struct node *from = ctx, *to = from->other;

	memcpy(from->last, f, len);
	from->last_len = len;
	if (to->cut || to->qn == WIRE_MAX)
		return 0;
	memcpy(to->q[to->qn], f, len);
	to->ql[to->qn++] = len;
	return 0;
}

static const u8 cak_dev[16] = "0123456789abcdef";

static void node_start(struct node *n, struct node *other, u8 mac_last, u8 prio,
		       const u8 *cak, size_t cak_len, enum macsec_cipher c, u64 now)
{
	struct mka_config cfg = { .cak_len = cak_len, .ckn_len = 6, .port = 1,
				  .priority = prio, .cipher = c };
	struct mka_ops ops = { .send = wire_send, .ctx = n };

	memcpy(cfg.cak, cak, cak_len);
	memcpy(cfg.ckn, "\x01\x02\x03\x04\x05\x06", 6);
	memcpy(cfg.mac, "\x02\x00\x00\x00\x00\x00", 6);
	cfg.mac[5] = mac_last;
	n->other = other;
	n->qn = 0;
	assert_int_equal(macsec_secy_init(&n->y, macsec_sci(cfg.mac, 1), c, 0), 0);
	assert_int_equal(mka_init(&n->m, &cfg, &n->y, &ops, now), 0);
}

static void node_stop(struct node *n)
{
	mka_stop(&n->m);
	macsec_secy_clear(&n->y);
}

static void deliver(struct node *n, u64 now)
{
	u8 f[WIRE_MAX][MKA_FRAME_MAX];
	size_t l[WIRE_MAX];
	int i, k = n->qn;

	memcpy(f, n->q, sizeof(f));
	memcpy(l, n->ql, sizeof(l));
	n->qn = 0;
	for (i = 0; i < k; i++)
		mka_receive(&n->m, f[i], l[i], now);
}

/* Run both actors for @ms in 100 ms ticks. */
static void run(struct node *a, struct node *b, u64 *now, u64 ms)
{
	u64 end = *now + ms;

	for (; *now < end; *now += 100) {
		mka_tick(&a->m, *now);
		mka_tick(&b->m, *now);
		deliver(a, *now);
		deliver(b, *now);
	}
}

/* One data frame a -> b through both SecYs; returns b's verdict. */
static enum macsec_drop data(struct node *a, struct node *b, u8 *an, u64 *pn)
{
	u8 in[100], wire[200], out[200];
	size_t wl, ol;
	int i;

	for (i = 0; i < 100; i++)
		in[i] = (u8)i;
	in[12] = 0x08;
	in[13] = 0x00;
	if (macsec_protect(&a->y, in, 100, wire, sizeof(wire), &wl))
		return MACSEC_DROP_COUNT;
	if (an)
		*an = wire[14] & 3;
	if (pn)
		*pn = (u64)wire[16] << 24 | wire[17] << 16 | wire[18] << 8 | wire[19];
	return macsec_validate(&b->y, wire, wl, out, sizeof(out), &ol);
}

static struct node na, nb;

static void test_mka_agree_and_protect(void **state)
{
	u64 now = 1000;

	node_start(&na, &nb, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	node_start(&nb, &na, 2, MKA_PRIO_NEVER, cak_dev, 16, MACSEC_GCM_AES_128, now);
	/* Before MKA agrees, nothing can be sent. */
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_DROP_COUNT);
	run(&na, &nb, &now, 3000);
	assert_int_equal(mka_live_peers(&na.m), 1);
	assert_int_equal(mka_live_peers(&nb.m), 1);
	assert_true(na.m.key_server);
	assert_false(nb.m.key_server);
	assert_int_equal(na.m.st.saks_made, 1);
	assert_int_equal(nb.m.st.saks_installed, 1);
	assert_true(mka_secured(&na.m));
	assert_true(mka_secured(&nb.m));
	assert_memory_equal(na.m.latest.ki, nb.m.latest.ki, MACSEC_KI_LEN);
	assert_memory_equal(na.m.latest.key, nb.m.latest.key, 16);
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_OK);
	assert_int_equal(data(&nb, &na, NULL, NULL), MACSEC_OK);
	assert_int_equal(na.m.st.rx_bad_icv + nb.m.st.rx_bad_icv, 0);

	/* A replayed MKPDU (the last one a sent) is refused by b. */
	mka_receive(&nb.m, na.last, na.last_len, now);
	assert_int_equal(mka_receive(&nb.m, na.last, na.last_len, now), -EBADMSG);
	assert_true(nb.m.st.rx_stale_mn >= 1);
	/* A forged bit anywhere: bad ICV. */
	na.last[30] ^= 1;
	assert_int_equal(mka_receive(&nb.m, na.last, na.last_len, now), -EBADMSG);
	assert_int_equal(nb.m.st.rx_bad_icv, 1);

	/* b goes silent: a drops it after MKA Life Time and stops sending. */
	nb.cut = na.cut = true;
	run(&na, &nb, &now, MKA_LIFE_MS + 500);
	assert_int_equal(mka_live_peers(&na.m), 0);
	assert_false(mka_secured(&na.m));
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_DROP_COUNT);
	node_stop(&na);
	node_stop(&nb);
	na.cut = nb.cut = false;
}

static void test_mka_wrong_cak(void **state)
{
	u64 now = 1000;

	node_start(&na, &nb, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	node_start(&nb, &na, 2, 0x20, (const u8 *)"0123456789abcdeX", 16,
		   MACSEC_GCM_AES_128, now);
	run(&na, &nb, &now, 5000);
	assert_int_equal(mka_live_peers(&na.m), 0);
	assert_int_equal(mka_live_peers(&nb.m), 0);
	assert_true(na.m.st.rx_bad_icv >= 2);
	assert_false(mka_secured(&na.m));
	assert_int_equal(na.m.st.saks_made + nb.m.st.saks_made, 0);
	node_stop(&na);
	node_stop(&nb);
}

/* Election: lower priority wins; equal priority, lower SCI. 256-bit keys. */
static void test_mka_election_gcm256(void **state)
{
	static const u8 cak32[32] = "0123456789abcdef0123456789abcdef";
	u64 now = 1000;

	node_start(&na, &nb, 9, 0x20, cak32, 32, MACSEC_GCM_AES_256, now);
	node_start(&nb, &na, 3, 0x20, cak32, 32, MACSEC_GCM_AES_256, now);
	run(&na, &nb, &now, 3000);
	assert_false(na.m.key_server);
	assert_true(nb.m.key_server);
	assert_true(mka_secured(&na.m) && mka_secured(&nb.m));
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_OK);
	assert_int_equal(data(&nb, &na, NULL, NULL), MACSEC_OK);
	node_stop(&na);
	node_stop(&nb);
}

/* PN rollover: past pn_rekey the key server makes a new SAK on the next AN. */
static void test_mka_rollover(void **state)
{
	u64 now = 1000, pn;
	u8 an;
	int i;

	node_start(&na, &nb, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	node_start(&nb, &na, 2, MKA_PRIO_NEVER, cak_dev, 16, MACSEC_GCM_AES_128, now);
	na.m.cfg.pn_rekey = 20;
	nb.m.cfg.pn_rekey = 20;
	run(&na, &nb, &now, 3000);
	for (i = 0; i < 25; i++)
		assert_int_equal(data(&nb, &na, &an, &pn), MACSEC_OK);
	assert_int_equal(an, 0);
	assert_int_equal(pn, 25);
	run(&na, &nb, &now, 3000);
	assert_int_equal(na.m.st.saks_made, 2);
	assert_int_equal(nb.m.st.saks_installed, 2);
	assert_int_equal(data(&nb, &na, &an, &pn), MACSEC_OK);
	assert_int_equal(an, 1);
	assert_int_equal(pn, 1);
	assert_int_equal(data(&na, &nb, &an, NULL), MACSEC_OK);
	assert_int_equal(an, 1);
	/* The old SAK is retired after MKA_RETIRE_MS: AN 0 gone from both. */
	run(&na, &nb, &now, MKA_RETIRE_MS + 500);
	assert_false(na.y.tx_sa[0].in_use);
	assert_false(nb.y.tx_sa[0].in_use);
	node_stop(&na);
	node_stop(&nb);
}

/* A reboot of the key server: new MI, new SAK; no (KI, PN) repeats. */
static void test_mka_reboot_new_sak(void **state)
{
	u8 ki1[MACSEC_KI_LEN];
	u64 now = 1000;

	node_start(&na, &nb, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	node_start(&nb, &na, 2, MKA_PRIO_NEVER, cak_dev, 16, MACSEC_GCM_AES_128, now);
	run(&na, &nb, &now, 3000);
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_OK);
	memcpy(ki1, na.m.latest.ki, MACSEC_KI_LEN);
	node_stop(&na);
	node_start(&na, &nb, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	run(&na, &nb, &now, 3000);
	assert_true(mka_secured(&na.m) && mka_secured(&nb.m));
	assert_memory_not_equal(na.m.latest.ki, ki1, MACSEC_KI_LEN);
	assert_memory_not_equal(na.m.latest.key, nb.m.old.key, 16);
	assert_int_equal(data(&na, &nb, NULL, NULL), MACSEC_OK);
	assert_int_equal(data(&nb, &na, NULL, NULL), MACSEC_OK);
	node_stop(&na);
	node_stop(&nb);
}

/*
 * peer= enforced (cfg.peer_only): a member holding the right CAK but with an
 * SCI other than the configured peer's never becomes live and gets no SAK;
 * its MKPDUs are counted. Even a third party holding the SAK itself cannot
 * get a data frame through under its own SCI (no receive SC: unknown-sci).
 */
static struct node nc;

static void test_mka_peer_only(void **state)
{
	u8 in[100], wire[200], out[200];
	size_t wl, ol;
	u64 now = 1000;

	node_start(&na, &nc, 1, 0x10, cak_dev, 16, MACSEC_GCM_AES_128, now);
	na.m.cfg.peer_only = true;
	memcpy(na.m.cfg.peer_mac, "\x02\x00\x00\x00\x00\x02", 6);	/* nb's */
	node_start(&nc, &na, 3, 0x20, cak_dev, 16, MACSEC_GCM_AES_128, now);
	run(&na, &nc, &now, 5000);
	assert_int_equal(mka_live_peers(&na.m), 0);
	assert_int_equal(mka_live_peers(&nc.m), 0);
	assert_true(na.m.st.rx_foreign_peer >= 2);
	assert_int_equal(na.m.st.rx_bad_icv, 0);
	assert_int_equal(na.m.st.saks_made + nc.m.st.saks_made, 0);
	assert_false(mka_secured(&na.m) || mka_secured(&nc.m));
	node_stop(&nc);

	/* The configured peer (same CAK, MAC ...:02) is accepted as before. */
	node_start(&nb, &na, 2, MKA_PRIO_NEVER, cak_dev, 16, MACSEC_GCM_AES_128, now);
	na.other = &nb;
	run(&na, &nb, &now, 3000);
	assert_int_equal(mka_live_peers(&na.m), 1);
	assert_true(mka_secured(&na.m) && mka_secured(&nb.m));
	assert_int_equal(data(&nb, &na, NULL, NULL), MACSEC_OK);

	/* A foreign SCI with the SAK itself: dropped as unknown-sci, counted. */
	assert_int_equal(macsec_secy_init(&nc.y, macsec_sci((const u8 *)"\x02\0\0\0\0\x03", 1),
					  MACSEC_GCM_AES_128, 0), 0);
	assert_int_equal(macsec_tx_sa_install(&nc.y, na.m.latest.an, na.m.latest.key,
					      na.m.latest.ki, 1), 0);
	assert_int_equal(macsec_tx_use(&nc.y, na.m.latest.an), 0);
	memset(in, 0x5a, sizeof(in));
	in[12] = 0x08;
	in[13] = 0x00;
	assert_int_equal(macsec_protect(&nc.y, in, sizeof(in), wire, sizeof(wire), &wl), 0);
	assert_int_equal(macsec_validate(&na.y, wire, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_UNKNOWN_SCI);
	assert_int_equal(na.y.drops[MACSEC_DROP_UNKNOWN_SCI], 1);
	macsec_secy_clear(&nc.y);
	node_stop(&na);
	node_stop(&nb);
}

static void test_mka_needs_entropy(void **state)
{
	struct mka_config cfg = { .cak_len = 16, .ckn_len = 1, .priority = 1 };
	struct mka_ops ops = { .send = wire_send, .ctx = &na };
	struct macsec_secy y;
	struct mka m;

	macsec_secy_init(&y, 1, MACSEC_GCM_AES_128, 0);
	rng_fail = true;
	assert_int_equal(mka_init(&m, &cfg, &y, &ops, 0), -EIO);
	rng_fail = false;
	assert_int_equal(mka_init(&m, &cfg, &y, &ops, 0), 0);
	cfg.cak_len = 24;
	assert_int_equal(mka_init(&m, &cfg, &y, &ops, 0), -EINVAL);
	cfg.cak_len = 16;
	cfg.cipher = MACSEC_GCM_AES_256;	/* SecY and MKA must agree */
	assert_int_equal(mka_init(&m, &cfg, &y, &ops, 0), -EINVAL);
}

static void test_heap_released(void **state)
{
	struct crypto_heap_stats st;

	crypto_glue_stats(&st);
	assert_int_equal(st.allocs, 0);
	assert_int_equal(st.failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmac_rfc4493),
		cmocka_unit_test(test_key_wrap_rfc3394),
		cmocka_unit_test(test_kdf_vectors),
		cmocka_unit_test(test_pdu_layout),
		cmocka_unit_test(test_mka_agree_and_protect),
		cmocka_unit_test(test_mka_wrong_cak),
		cmocka_unit_test(test_mka_election_gcm256),
		cmocka_unit_test(test_mka_rollover),
		cmocka_unit_test(test_mka_reboot_new_sak),
		cmocka_unit_test(test_mka_peer_only),
		cmocka_unit_test(test_mka_needs_entropy),
		cmocka_unit_test(test_heap_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
