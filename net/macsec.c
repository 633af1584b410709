// SPDX-License-Identifier: GPL-2.0-only
/* IEEE 802.1AE SecY: SecTAG, GCM-AES-128/256, replay window (see net/macsec.h). */
#include <net/macsec.h>
#include <net/bytes.h>
#include <mamori/errno.h>
#include <mamori/string.h>
#include <mbedtls/platform_util.h>

static const char *const drop_names[MACSEC_DROP_COUNT] = {
	[MACSEC_OK] = "ok",
	[MACSEC_DROP_NOT_MACSEC] = "not-macsec",
	[MACSEC_DROP_BAD_TAG] = "bad-sectag",
	[MACSEC_DROP_UNKNOWN_SCI] = "unknown-sci",
	[MACSEC_DROP_NO_SA] = "no-sa",
	[MACSEC_DROP_REPLAY] = "replay",
	[MACSEC_DROP_BAD_ICV] = "bad-icv",
	[MACSEC_DROP_TOO_BIG] = "too-big",
};

const char *macsec_drop_name(enum macsec_drop d)
{
	return (unsigned)d < MACSEC_DROP_COUNT ? drop_names[d] : "?";
}

u64 macsec_sci(const u8 mac[6], u16 port)
{
	u64 sci = 0;
	int i;

	for (i = 0; i < 6; i++)
		sci = sci << 8 | mac[i];
	return sci << 16 | port;
}

size_t macsec_key_len(enum macsec_cipher c)
{
	return c == MACSEC_GCM_AES_256 ? 32 : 16;
}

static void sa_clear(struct macsec_sa *sa)
{
	if (sa->in_use)
		mbedtls_gcm_free(&sa->gcm);
	mbedtls_platform_zeroize(sa, sizeof(*sa));
}

static int sa_key(struct macsec_secy *y, struct macsec_sa *sa, const u8 *key,
		  const u8 ki[MACSEC_KI_LEN])
{
	sa_clear(sa);
	mbedtls_gcm_init(&sa->gcm);
	if (mbedtls_gcm_setkey(&sa->gcm, MBEDTLS_CIPHER_ID_AES, key,
			       (unsigned int)macsec_key_len(y->cipher) * 8)) {
		mbedtls_gcm_free(&sa->gcm);
		return -ENOMEM;
	}
	sa->in_use = true;
	memcpy(sa->ki, ki, MACSEC_KI_LEN);
	return 0;
}

int macsec_secy_init(struct macsec_secy *y, u64 sci, enum macsec_cipher c, u32 replay_window)
{
	if (replay_window > MACSEC_REPLAY_WINDOW_MAX ||
	    (c != MACSEC_GCM_AES_128 && c != MACSEC_GCM_AES_256))
		return -EINVAL;
	memset(y, 0, sizeof(*y));
	y->sci = sci;
	y->cipher = c;
	y->replay_window = replay_window;
	return 0;
}

void macsec_secy_clear(struct macsec_secy *y)
{
	int i, an;

	for (an = 0; an < MACSEC_AN_COUNT; an++)
		sa_clear(&y->tx_sa[an]);
	for (i = 0; i < MACSEC_RX_SC_MAX; i++)
		for (an = 0; an < MACSEC_AN_COUNT; an++)
			sa_clear(&y->rx[i].sa[an]);
	y->tx_enabled = false;
}

/* Remember a transmit SA's KI and next PN before it is cleared. */
static void tx_remember(struct macsec_secy *y, const struct macsec_sa *sa)
{
	struct macsec_tx_hist *h;
	int i;

	if (!sa->in_use)
		return;
	for (i = 0; i < MACSEC_TX_HISTORY; i++) {
		if (!memcmp(y->tx_hist[i].ki, sa->ki, MACSEC_KI_LEN)) {
			y->tx_hist[i].next_pn = MAX(y->tx_hist[i].next_pn, sa->next_pn);
			return;
		}
	}
	h = &y->tx_hist[y->tx_hist_next];
	y->tx_hist_next = (y->tx_hist_next + 1) % MACSEC_TX_HISTORY;
	memcpy(h->ki, sa->ki, MACSEC_KI_LEN);
	h->next_pn = sa->next_pn;
}

static u64 tx_resume_pn(const struct macsec_secy *y, const u8 *ki, u64 next_pn)
{
	int i;

	for (i = 0; i < MACSEC_TX_HISTORY; i++)
		if (!memcmp(y->tx_hist[i].ki, ki, MACSEC_KI_LEN))
			return MAX(next_pn, y->tx_hist[i].next_pn);
	return next_pn;
}

int macsec_tx_sa_install(struct macsec_secy *y, u8 an, const u8 *key,
			 const u8 ki[MACSEC_KI_LEN], u64 next_pn)
{
	int i, rc;

	if (an >= MACSEC_AN_COUNT || next_pn == 0 || next_pn > MACSEC_PN_MAX + 1)
		return -EINVAL;
	for (i = 0; i < MACSEC_AN_COUNT; i++) {
		struct macsec_sa *sa = &y->tx_sa[i];

		if (sa->in_use && !memcmp(sa->ki, ki, MACSEC_KI_LEN) &&
		    (i != an || sa->next_pn > next_pn))
			return -EEXIST;
	}
	tx_remember(y, &y->tx_sa[an]);
	next_pn = tx_resume_pn(y, ki, next_pn);
	rc = sa_key(y, &y->tx_sa[an], key, ki);
	if (rc)
		return rc;
	y->tx_sa[an].next_pn = next_pn;
	return 0;
}

int macsec_tx_use(struct macsec_secy *y, u8 an)
{
	if (an >= MACSEC_AN_COUNT || !y->tx_sa[an].in_use)
		return -EINVAL;
	y->tx_an = an;
	y->tx_enabled = true;
	return 0;
}

void macsec_tx_sa_remove(struct macsec_secy *y, u8 an)
{
	if (an >= MACSEC_AN_COUNT)
		return;
	tx_remember(y, &y->tx_sa[an]);
	sa_clear(&y->tx_sa[an]);
	if (y->tx_an == an)
		y->tx_enabled = false;
}

u64 macsec_tx_next_pn(const struct macsec_secy *y)
{
	return y->tx_enabled ? y->tx_sa[y->tx_an].next_pn : 0;
}

static struct macsec_rx_sc *rx_sc_find(struct macsec_secy *y, u64 sci)
{
	int i;

	for (i = 0; i < MACSEC_RX_SC_MAX; i++)
		if (y->rx[i].in_use && y->rx[i].sci == sci)
			return &y->rx[i];
	return NULL;
}

int macsec_rx_sc_add(struct macsec_secy *y, u64 sci)
{
	int i;

	if (rx_sc_find(y, sci))
		return 0;
	for (i = 0; i < MACSEC_RX_SC_MAX; i++) {
		if (!y->rx[i].in_use) {
			memset(&y->rx[i], 0, sizeof(y->rx[i]));
			y->rx[i].in_use = true;
			y->rx[i].sci = sci;
			return 0;
		}
	}
	return -ENOSPC;
}

void macsec_rx_sc_remove(struct macsec_secy *y, u64 sci)
{
	struct macsec_rx_sc *sc = rx_sc_find(y, sci);
	int an;

	if (!sc)
		return;
	for (an = 0; an < MACSEC_AN_COUNT; an++)
		sa_clear(&sc->sa[an]);
	sc->in_use = false;
}

int macsec_rx_sa_install(struct macsec_secy *y, u64 sci, u8 an, const u8 *key,
			 const u8 ki[MACSEC_KI_LEN], u64 lowest_pn)
{
	struct macsec_rx_sc *sc = rx_sc_find(y, sci);
	int rc;

	if (!sc)
		return -ENOENT;
	if (an >= MACSEC_AN_COUNT)
		return -EINVAL;
	if (sc->sa[an].in_use && !memcmp(sc->sa[an].ki, ki, MACSEC_KI_LEN)) {
		/* Same key again (MKA repeats itself): keep the replay state. */
		sc->sa[an].lowest_pn = MAX(sc->sa[an].lowest_pn, lowest_pn);
		return 0;
	}
	rc = sa_key(y, &sc->sa[an], key, ki);
	if (rc)
		return rc;
	sc->sa[an].lowest_pn = lowest_pn ? lowest_pn : 1;
	sc->sa[an].next_pn = 1;
	return 0;
}

void macsec_rx_sa_remove(struct macsec_secy *y, u64 sci, u8 an)
{
	struct macsec_rx_sc *sc = rx_sc_find(y, sci);

	if (sc && an < MACSEC_AN_COUNT)
		sa_clear(&sc->sa[an]);
}

u64 macsec_rx_next_pn(const struct macsec_secy *y, u64 sci, u8 an)
{
	int i;

	for (i = 0; i < MACSEC_RX_SC_MAX; i++)
		if (y->rx[i].in_use && y->rx[i].sci == sci && an < MACSEC_AN_COUNT &&
		    y->rx[i].sa[an].in_use)
			return y->rx[i].sa[an].next_pn;
	return 0;
}

/* The GCM IV: SCI || PN (802.1AE 14.5). */
static void make_iv(u8 iv[12], u64 sci, u32 pn)
{
	net_put64(iv, sci);
	net_put32(iv + 8, pn);
}

int macsec_protect(struct macsec_secy *y, const u8 *in, size_t len,
		   u8 *out, size_t cap, size_t *out_len)
{
	struct macsec_sa *sa;
	size_t data_len;
	u8 iv[12], *tag;
	u64 pn;

	if (len < MACSEC_ETH_HLEN || cap < len + MACSEC_OVERHEAD)
		return -EINVAL;
	if (!y->tx_enabled) {
		y->tx_refused++;
		return -EAGAIN;
	}
	sa = &y->tx_sa[y->tx_an];
	pn = sa->next_pn;
	if (pn == 0 || pn > MACSEC_PN_MAX) {
		y->tx_refused++;
		return -ENOSPC;
	}
	sa->next_pn = pn + 1;	/* consumed before use: never handed out twice */

	data_len = len - 12;
	memcpy(out, in, 12);
	tag = out + 12;
	net_put16(tag, MACSEC_ETHERTYPE);
	tag[2] = MACSEC_TCI_SC | MACSEC_TCI_E | MACSEC_TCI_C | y->tx_an;
	tag[3] = data_len < 48 ? (u8)data_len : 0;
	net_put32(tag + 4, (u32)pn);
	net_put64(tag + 8, y->sci);
	make_iv(iv, y->sci, (u32)pn);
	if (mbedtls_gcm_crypt_and_tag(&sa->gcm, MBEDTLS_GCM_ENCRYPT, data_len, iv, sizeof(iv),
				      out, 12 + MACSEC_SECTAG_LEN, in + 12,
				      out + 12 + MACSEC_SECTAG_LEN, MACSEC_ICV_LEN,
				      out + 12 + MACSEC_SECTAG_LEN + data_len)) {
		y->tx_refused++;
		return -EIO;
	}
	*out_len = len + MACSEC_OVERHEAD;
	y->tx_protected++;
	return 0;
}

static enum macsec_drop drop(struct macsec_secy *y, enum macsec_drop d)
{
	y->drops[d]++;
	return d;
}

/*
 * Parse the SecTAG at @tag; on success *@sci, *@pn and *@data_len (secure
 * data between SecTAG and ICV, after removing Ethernet padding via SL).
 */
static enum macsec_drop parse_sectag(const u8 *frame, size_t len, u64 *sci, u32 *pn,
				     size_t *tag_len, size_t *data_len)
{
	const u8 *tag = frame + 12;
	u8 tci = tag[2], sl = tag[3];
	size_t hl, dl;

	if ((tci & MACSEC_TCI_V) || (sl & 0xc0))
		return MACSEC_DROP_BAD_TAG;
	/* Confidentiality required: E and C set, offset 0 (E=0 frames are refused). */
	if (!(tci & MACSEC_TCI_E) || !(tci & MACSEC_TCI_C))
		return MACSEC_DROP_BAD_TAG;
	if ((tci & MACSEC_TCI_SC) && (tci & (MACSEC_TCI_ES | MACSEC_TCI_SCB)))
		return MACSEC_DROP_BAD_TAG;
	hl = (tci & MACSEC_TCI_SC) ? MACSEC_SECTAG_LEN : MACSEC_SECTAG_LEN - 8;
	if (len < 12 + hl + MACSEC_ICV_LEN + 2)
		return MACSEC_DROP_BAD_TAG;
	dl = len - 12 - hl - MACSEC_ICV_LEN;
	if (sl) {
		if (sl > dl)
			return MACSEC_DROP_BAD_TAG;
		dl = sl;	/* the rest was Ethernet padding */
	} else if (dl < 48) {
		return MACSEC_DROP_BAD_TAG;
	}
	*pn = net_get32(tag + 4);
	if (*pn == 0)
		return MACSEC_DROP_BAD_TAG;
	/* Without an SCI (point to point): source address, port 1 (802.1AE 9.9). */
	*sci = (tci & MACSEC_TCI_SC) ? net_get64(tag + 8) : macsec_sci(frame + 6, 1);
	*tag_len = hl;
	*data_len = dl;
	return MACSEC_OK;
}

static bool replay_refused(const struct macsec_secy *y, const struct macsec_sa *sa, u64 pn)
{
	u64 highest = sa->next_pn - 1, lowest = sa->lowest_pn;

	if (sa->next_pn > y->replay_window)
		lowest = MAX(lowest, sa->next_pn - y->replay_window);
	if (pn < lowest)
		return true;
	if (pn > highest || highest == 0)
		return false;
	return highest - pn >= 64 || (sa->seen & BIT(highest - pn));
}

static void replay_update(struct macsec_sa *sa, u64 pn)
{
	u64 highest = sa->next_pn - 1;

	if (pn > highest) {
		sa->seen = pn - highest >= 64 ? 0 : sa->seen << (pn - highest);
		sa->seen |= 1;
		sa->next_pn = pn + 1;
	} else {
		sa->seen |= BIT(highest - pn);
	}
}

enum macsec_drop macsec_validate(struct macsec_secy *y, const u8 *in, size_t len,
				 u8 *out, size_t cap, size_t *out_len)
{
	struct macsec_rx_sc *sc;
	struct macsec_sa *sa;
	size_t hl, dl;
	enum macsec_drop d;
	u8 iv[12];
	u64 sci;
	u32 pn;

	if (len < MACSEC_ETH_HLEN || net_get16(in + 12) != MACSEC_ETHERTYPE)
		return drop(y, MACSEC_DROP_NOT_MACSEC);
	if (len < 12 + 4)
		return drop(y, MACSEC_DROP_BAD_TAG);
	d = parse_sectag(in, len, &sci, &pn, &hl, &dl);
	if (d != MACSEC_OK)
		return drop(y, d);
	sc = rx_sc_find(y, sci);
	if (!sc)
		return drop(y, MACSEC_DROP_UNKNOWN_SCI);
	sa = &sc->sa[in[14] & MACSEC_TCI_AN_MASK];
	if (!sa->in_use)
		return drop(y, MACSEC_DROP_NO_SA);
	if (replay_refused(y, sa, pn))
		return drop(y, MACSEC_DROP_REPLAY);
	if (cap < 12 + dl)
		return drop(y, MACSEC_DROP_TOO_BIG);
	make_iv(iv, sci, pn);
	if (mbedtls_gcm_auth_decrypt(&sa->gcm, dl, iv, sizeof(iv), in, 12 + hl,
				     in + 12 + hl + dl, MACSEC_ICV_LEN, in + 12 + hl, out + 12)) {
		mbedtls_platform_zeroize(out, 12 + dl);
		return drop(y, MACSEC_DROP_BAD_ICV);
	}
	memcpy(out, in, 12);
	replay_update(sa, pn);
	sc->ok++;
	*out_len = 12 + dl;
	return MACSEC_OK;
}
