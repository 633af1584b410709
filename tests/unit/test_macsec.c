// SPDX-License-Identifier: GPL-2.0-only
/*
 * net/macsec.c, the SecY, against the IEEE 802.1AE test vectors (IEEE
 * 802.1 "bn-randall-test-vectors-0511-v1": 2.4.1 and 2.4.2, 60-byte packet
 * encryption with GCM-AES-128/256; 2.8.2, 61-byte packet, ES=1 without SCI,
 * short length), then its drop rules, replay window and PN exhaustion. Runs
 * on the VMM's freestanding mbedTLS archive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <net/macsec.h>
#include <crypto/glue.h>
#include <mamori/errno.h>

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

static const u8 ki_a[MACSEC_KI_LEN] = { 0xa };
static const u8 ki_b[MACSEC_KI_LEN] = { 0xb };

#define DA_SA "D609B1F056637A0D46DF998D"
#define SECTAG_241 "88E52E00B2C2846512153524C0895E81"
#define PLAIN_241 "08000F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C" \
	"2D2E2F303132333435363738393A0002"
#define SCI_241 0x12153524C0895E81ULL
#define PN_241 0xB2C28465ULL

struct vec {
	enum macsec_cipher c;
	const char *key, *ct, *icv;
};

static const struct vec vec_241 = {
	MACSEC_GCM_AES_128, "AD7A2BD03EAC835A6F620FDCB506B345",
	"701AFA1CC039C0D765128A665DAB69243899BF7318CCDC81C9931DA17FBE8EDD"
	"7D17CB8B4C26FC81E3284F2B7FBA713D", "4F8D55E7D3F06FD5A13C0C29B9D5B880",
};
static const struct vec vec_242 = {
	MACSEC_GCM_AES_256, "E3C08A8F06C6E3AD95A70557B23F75483CE33021A9C72B7025666204C69C0B72",
	"E2006EB42F5277022D9B19925BC419D7A592666C925FE2EF718EB4E308EFEAA7"
	"C5273B394118860A5BE2A97F56AB7836", "5CA597CDBB3EDB8D1A1151EA0AF7B436",
};

static void check_vector(const struct vec *v)
{
	struct macsec_secy tx, rx;
	u8 key[32], plain[128], wire[160], out[160], back[128];
	char hex[512];
	size_t pl, wl, ol, bl;

	unhex(v->key, key);
	pl = unhex(DA_SA PLAIN_241, plain);
	snprintf(hex, sizeof(hex), "%s%s%s%s", DA_SA, SECTAG_241, v->ct, v->icv);
	wl = unhex(hex, wire);
	assert_int_equal(wl, pl + MACSEC_OVERHEAD);

	assert_int_equal(macsec_secy_init(&tx, SCI_241, v->c, 0), 0);
	assert_int_equal(macsec_tx_sa_install(&tx, 2, key, ki_a, PN_241), 0);
	assert_int_equal(macsec_protect(&tx, plain, pl, out, sizeof(out), &ol), -EAGAIN);
	assert_int_equal(macsec_tx_use(&tx, 2), 0);
	assert_int_equal(macsec_protect(&tx, plain, pl, out, sizeof(out), &ol), 0);
	assert_int_equal(ol, wl);
	assert_memory_equal(out, wire, wl);
	assert_int_equal(macsec_tx_next_pn(&tx), PN_241 + 1);

	assert_int_equal(macsec_secy_init(&rx, 0x1, v->c, 0), 0);
	assert_int_equal(macsec_rx_sc_add(&rx, SCI_241), 0);
	assert_int_equal(macsec_rx_sa_install(&rx, SCI_241, 2, key, ki_a, 1), 0);
	assert_int_equal(macsec_validate(&rx, wire, wl, back, sizeof(back), &bl), MACSEC_OK);
	assert_int_equal(bl, pl);
	assert_memory_equal(back, plain, pl);
	/* The same frame again is a replay. */
	assert_int_equal(macsec_validate(&rx, wire, wl, back, sizeof(back), &bl),
			 MACSEC_DROP_REPLAY);
	assert_int_equal(rx.drops[MACSEC_DROP_REPLAY], 1);
	macsec_secy_clear(&tx);
	macsec_secy_clear(&rx);
}

static void test_vector_241_gcm_aes_128(void **state)
{
	check_vector(&vec_241);
}

static void test_vector_242_gcm_aes_256(void **state)
{
	check_vector(&vec_242);
}

/* 2.8.2: ES=1, SC=0 (SCI = source address || port 1), SL=42, GCM-AES-256. */
static void test_vector_282_no_sci_short(void **state)
{
	struct macsec_secy rx;
	u8 key[32], wire[160], plain[128], back[160];
	size_t wl, pl, bl;

	unhex("691D3EE909D7F54167FD1CA0B5D769081F2BDE1AEE655FDBAB80BD5295AE6BE7", key);
	wl = unhex("E20106D7CD0DF0761E8DCD3D88E54C2A76D457ED"
		   "C1623F55730C93533097ADDAD25664966125352B43ADACBD61C5EF3AC90B5BEE"
		   "929CE4630EA79F6CE519" "12AF39C2D1FDC2051F8B7B3C9D397EF2", wire);
	pl = unhex("E20106D7CD0DF0761E8DCD3D"
		   "08000F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C"
		   "2D2E2F30313233340004", plain);
	/* Ethernet padding after the ICV must be ignored (SL says the length). */
	memset(wire + wl, 0, 8);
	assert_int_equal(macsec_secy_init(&rx, 1, MACSEC_GCM_AES_256, 0), 0);
	assert_int_equal(macsec_rx_sc_add(&rx, 0xF0761E8DCD3D0001ULL), 0);
	assert_int_equal(macsec_rx_sa_install(&rx, 0xF0761E8DCD3D0001ULL, 0, key, ki_a, 1), 0);
	assert_int_equal(macsec_validate(&rx, wire, wl + 8, back, sizeof(back), &bl), MACSEC_OK);
	assert_int_equal(bl, pl);
	assert_memory_equal(back, plain, pl);
	macsec_secy_clear(&rx);
}

/* A pair of SecYs keyed for one direction a -> b. */
struct pair {
	struct macsec_secy a, b;
};

#define SCI_A 0x0200000000010001ULL

static void pair_setup(struct pair *p, enum macsec_cipher c, u32 window, u64 first_pn)
{
	u8 key[32];

	memset(key, 0x5a, sizeof(key));
	assert_int_equal(macsec_secy_init(&p->a, SCI_A, c, 0), 0);
	assert_int_equal(macsec_secy_init(&p->b, 0x0200000000020001ULL, c, window), 0);
	assert_int_equal(macsec_tx_sa_install(&p->a, 1, key, ki_a, first_pn), 0);
	assert_int_equal(macsec_tx_use(&p->a, 1), 0);
	assert_int_equal(macsec_rx_sc_add(&p->b, SCI_A), 0);
	assert_int_equal(macsec_rx_sa_install(&p->b, SCI_A, 1, key, ki_a, 1), 0);
}

static size_t make_plain(u8 *f, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		f[i] = (u8)(seed + i * 7);
	f[12] = 0x08;
	f[13] = 0x00;
	return len;
}

static void test_round_trip_sizes(void **state)
{
	static const size_t sizes[] = { 14, 15, 30, 59, 60, 61, 64, 100, 1514, 1518 };
	struct pair p;
	u8 in[1600], wire[1700], out[1700];
	size_t i, wl, ol;

	pair_setup(&p, MACSEC_GCM_AES_128, 0, 1);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		make_plain(in, sizes[i], (u8)i);
		assert_int_equal(macsec_protect(&p.a, in, sizes[i], wire, sizeof(wire), &wl), 0);
		assert_int_equal(wl, sizes[i] + MACSEC_OVERHEAD);
		assert_int_equal(wire[12] << 8 | wire[13], MACSEC_ETHERTYPE);
		/* A short frame is padded on the wire to 60 bytes: still accepted. */
		if (wl < 60) {
			memset(wire + wl, 0, 60 - wl);
			wl = 60;
		}
		assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_OK);
		assert_int_equal(ol, sizes[i]);
		assert_memory_equal(out, in, ol);
	}
	macsec_secy_clear(&p.a);
	macsec_secy_clear(&p.b);
}

static void test_drops_counted(void **state)
{
	struct pair p;
	u8 in[100], wire[200], bad[200], out[200];
	size_t wl, ol;

	pair_setup(&p, MACSEC_GCM_AES_256, 0, 1);
	make_plain(in, 100, 3);
	/* Plain IPv4 frame: not MACsec. */
	assert_int_equal(macsec_validate(&p.b, in, 100, out, sizeof(out), &ol),
			 MACSEC_DROP_NOT_MACSEC);
	assert_int_equal(macsec_protect(&p.a, in, 100, wire, sizeof(wire), &wl), 0);

	/* Any flipped bit of the header, data or ICV: bad ICV, output zeroed. */
	memcpy(bad, wire, wl);
	bad[0] ^= 1;
	memset(out, 0xee, sizeof(out));
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_BAD_ICV);
	assert_int_equal(out[20], 0);
	memcpy(bad, wire, wl);
	bad[50] ^= 0x80;
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_BAD_ICV);
	memcpy(bad, wire, wl);
	bad[wl - 1] ^= 1;
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_BAD_ICV);
	assert_int_equal(p.b.drops[MACSEC_DROP_BAD_ICV], 3);

	/* Another SCI, an AN without SA, a V bit, integrity only (E=0). */
	memcpy(bad, wire, wl);
	bad[12 + 8 + 7] ^= 1;
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_UNKNOWN_SCI);
	memcpy(bad, wire, wl);
	bad[14] ^= 2;
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol), MACSEC_DROP_NO_SA);
	memcpy(bad, wire, wl);
	bad[14] |= MACSEC_TCI_V;
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol), MACSEC_DROP_BAD_TAG);
	memcpy(bad, wire, wl);
	bad[14] &= ~(MACSEC_TCI_E | MACSEC_TCI_C);
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol), MACSEC_DROP_BAD_TAG);
	/* PN 0 is never valid; truncated frames are malformed. */
	memcpy(bad, wire, wl);
	memset(bad + 16, 0, 4);
	assert_int_equal(macsec_validate(&p.b, bad, wl, out, sizeof(out), &ol), MACSEC_DROP_BAD_TAG);
	assert_int_equal(macsec_validate(&p.b, wire, 40, out, sizeof(out), &ol), MACSEC_DROP_BAD_TAG);
	/* Too small a buffer for the plain frame. */
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, 50, &ol), MACSEC_DROP_TOO_BIG);

	/* The genuine frame still passes once, then is a replay. */
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_OK);
	assert_memory_equal(out, in, 100);
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_DROP_REPLAY);
	assert_string_equal(macsec_drop_name(MACSEC_DROP_BAD_ICV), "bad-icv");

	/* A removed SC is an unknown SCI. */
	macsec_rx_sc_remove(&p.b, SCI_A);
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol),
			 MACSEC_DROP_UNKNOWN_SCI);
	macsec_secy_clear(&p.a);
	macsec_secy_clear(&p.b);
}

/* Frames 1..6 sent; delivered in the order @order; @expect the results. */
static void replay_case(u32 window, const int *order, const enum macsec_drop *expect, int n)
{
	struct pair p;
	u8 in[80], wire[8][200], out[200];
	size_t wl[8], ol;
	int i;

	pair_setup(&p, MACSEC_GCM_AES_128, window, 1);
	for (i = 0; i < 8; i++) {
		make_plain(in, 80, (u8)i);
		assert_int_equal(macsec_protect(&p.a, in, 80, wire[i], sizeof(wire[i]), &wl[i]), 0);
	}
	for (i = 0; i < n; i++) {
		int f = order[i] - 1;	/* frame k carries PN k */

		assert_int_equal(macsec_validate(&p.b, wire[f], wl[f], out, sizeof(out), &ol),
				 expect[i]);
	}
	macsec_secy_clear(&p.a);
	macsec_secy_clear(&p.b);
}

static void test_replay_strict(void **state)
{
	static const int order[] = { 1, 3, 2, 3, 4 };
	static const enum macsec_drop expect[] = {
		MACSEC_OK, MACSEC_OK, MACSEC_DROP_REPLAY, MACSEC_DROP_REPLAY, MACSEC_OK,
	};

	replay_case(0, order, expect, 5);
}

static void test_replay_window(void **state)
{
	/* Window 3: PN 8 seen (next 9), lowest acceptable 6; 7 once, 5 too late. */
	static const int order[] = { 8, 7, 7, 6, 5, 8, 1 };
	static const enum macsec_drop expect[] = {
		MACSEC_OK, MACSEC_OK, MACSEC_DROP_REPLAY, MACSEC_OK, MACSEC_DROP_REPLAY,
		MACSEC_DROP_REPLAY, MACSEC_DROP_REPLAY,
	};

	replay_case(3, order, expect, 7);
}

static void test_replay_window_limit(void **state)
{
	struct macsec_secy y;

	assert_int_equal(macsec_secy_init(&y, 1, MACSEC_GCM_AES_128, MACSEC_REPLAY_WINDOW_MAX), 0);
	assert_int_equal(macsec_secy_init(&y, 1, MACSEC_GCM_AES_128, MACSEC_REPLAY_WINDOW_MAX + 1),
			 -EINVAL);
}

/* The last PN is sent once; after it the SecY refuses, it never wraps. */
static void test_pn_exhaustion(void **state)
{
	struct pair p;
	u8 in[80], wire[200], out[200], key[32];
	size_t wl, ol;

	pair_setup(&p, MACSEC_GCM_AES_128, 0, MACSEC_PN_MAX);
	make_plain(in, 80, 1);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire, sizeof(wire), &wl), 0);
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_OK);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire, sizeof(wire), &wl), -ENOSPC);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire, sizeof(wire), &wl), -ENOSPC);
	assert_int_equal(p.a.tx_refused, 2);
	/* The same key identifier cannot come back with a lower PN ... */
	memset(key, 0x5a, sizeof(key));
	assert_int_equal(macsec_tx_sa_install(&p.a, 1, key, ki_a, 1), -EEXIST);
	assert_int_equal(macsec_tx_sa_install(&p.a, 2, key, ki_a, 1), -EEXIST);
	/* ... a new SAK (new KI) on the next AN can. */
	memset(key, 0x77, sizeof(key));
	assert_int_equal(macsec_tx_sa_install(&p.a, 2, key, ki_b, 1), 0);
	assert_int_equal(macsec_tx_use(&p.a, 2), 0);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire, sizeof(wire), &wl), 0);
	assert_int_equal(wire[14] & MACSEC_TCI_AN_MASK, 2);
	/* Retired, then the same KI again at PN 1: it resumes past the last PN. */
	macsec_tx_sa_remove(&p.a, 1);
	memset(key, 0x5a, sizeof(key));
	assert_int_equal(macsec_tx_sa_install(&p.a, 1, key, ki_a, 1), 0);
	assert_int_equal(macsec_tx_use(&p.a, 1), 0);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire, sizeof(wire), &wl), -ENOSPC);
	memset(key, 0x77, sizeof(key));
	assert_int_equal(macsec_tx_use(&p.a, 2), 0);
	/* b has no SA for AN 2 yet: refused, not passed. */
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_DROP_NO_SA);
	assert_int_equal(macsec_rx_sa_install(&p.b, SCI_A, 2, key, ki_b, 1), 0);
	assert_int_equal(macsec_validate(&p.b, wire, wl, out, sizeof(out), &ol), MACSEC_OK);
	macsec_secy_clear(&p.a);
	macsec_secy_clear(&p.b);
}

/* A receive SA's lowest acceptable PN (from MKA) is honoured. */
static void test_rx_lowest_pn(void **state)
{
	struct pair p;
	u8 in[80], wire[2][200], out[200], key[32];
	size_t wl[2], ol;

	pair_setup(&p, MACSEC_GCM_AES_128, 8, 1);
	make_plain(in, 80, 1);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire[0], 200, &wl[0]), 0);
	assert_int_equal(macsec_protect(&p.a, in, 80, wire[1], 200, &wl[1]), 0);
	memset(key, 0x5a, sizeof(key));
	macsec_rx_sa_remove(&p.b, SCI_A, 1);
	assert_int_equal(macsec_rx_sa_install(&p.b, SCI_A, 1, key, ki_a, 2), 0);
	assert_int_equal(macsec_validate(&p.b, wire[0], wl[0], out, 200, &ol), MACSEC_DROP_REPLAY);
	assert_int_equal(macsec_validate(&p.b, wire[1], wl[1], out, 200, &ol), MACSEC_OK);
	assert_int_equal(macsec_rx_next_pn(&p.b, SCI_A, 1), 3);
	macsec_secy_clear(&p.a);
	macsec_secy_clear(&p.b);
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
		cmocka_unit_test(test_vector_241_gcm_aes_128),
		cmocka_unit_test(test_vector_242_gcm_aes_256),
		cmocka_unit_test(test_vector_282_no_sci_short),
		cmocka_unit_test(test_round_trip_sizes),
		cmocka_unit_test(test_drops_counted),
		cmocka_unit_test(test_replay_strict),
		cmocka_unit_test(test_replay_window),
		cmocka_unit_test(test_replay_window_limit),
		cmocka_unit_test(test_pn_exhaustion),
		cmocka_unit_test(test_rx_lowest_pn),
		cmocka_unit_test(test_heap_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
