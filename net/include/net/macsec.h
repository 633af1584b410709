/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IEEE 802.1AE MACsec SecY: the frame transform between a guest's plain
 * Ethernet frames and the wire's protected ones. Arch-neutral, no NIC
 * dependency: the NIC layer (drivers/) hands frames in and out, MKA
 * (net/mka.h) installs and retires the SAs. Design: docs/network.md.
 *
 * Frames are given without FCS, starting at the destination address.
 * - macsec_protect(): guest frame (DA SA EtherType payload) -> wire frame
 *   (DA SA SecTAG{0x88E5 TCI/AN SL PN SCI} ciphertext ICV), MACSEC_OVERHEAD
 *   (32) bytes longer. Always SC=1 (explicit SCI), E=C=1 (confidentiality,
 *   offset 0).
 * - macsec_validate(): wire frame -> plain frame, or a drop reason that is
 *   also counted in secy->drops[]. Nothing is written to the caller's buffer
 *   unless the ICV verified (on failure it is zeroed).
 *
 * Nonce rule: the GCM IV is SCI || PN. A transmit SA refuses to send once
 * its PN would pass MACSEC_PN_MAX (never wraps), and an SA's key identifier
 * (MKA's MI || KN) cannot be installed again with a lower PN; MKA makes a
 * fresh SAK (random, per boot) long before exhaustion.
 *
 * Not thread-safe: one caller (the NIC's lock) at a time.
 */
#ifndef NET_MACSEC_H
#define NET_MACSEC_H

#include <mamori/types.h>
#include <mbedtls/gcm.h>

#define MACSEC_ETHERTYPE	0x88E5
#define MACSEC_ETH_HLEN		14
#define MACSEC_SECTAG_LEN	16	/* with the 8-byte SCI */
#define MACSEC_ICV_LEN		16
#define MACSEC_OVERHEAD		(MACSEC_SECTAG_LEN + MACSEC_ICV_LEN)
#define MACSEC_KEY_MAX		32
#define MACSEC_KI_LEN		16	/* key identifier: key server MI (12) || KN (4) */
#define MACSEC_AN_COUNT		4
#define MACSEC_RX_SC_MAX	4
#define MACSEC_PN_MAX		0xffffffffULL	/* 32-bit PN (no XPN) */
#define MACSEC_REPLAY_WINDOW_MAX 64	/* duplicates inside it are refused too */
#define MACSEC_TX_HISTORY	8	/* retired transmit KIs remembered with their PN */

/* TCI bits (802.1AE 9.5) */
#define MACSEC_TCI_V		0x80
#define MACSEC_TCI_ES		0x40
#define MACSEC_TCI_SC		0x20
#define MACSEC_TCI_SCB		0x10
#define MACSEC_TCI_E		0x08
#define MACSEC_TCI_C		0x04
#define MACSEC_TCI_AN_MASK	0x03

enum macsec_cipher {
	MACSEC_GCM_AES_128,	/* Cipher Suite 00-80-C2-00-01-00-00-01 */
	MACSEC_GCM_AES_256,	/* Cipher Suite 00-80-C2-00-01-00-00-02 */
};

/* Why macsec_validate() dropped a frame; index of secy->drops[]. */
enum macsec_drop {
	MACSEC_OK = 0,
	MACSEC_DROP_NOT_MACSEC,	/* EtherType is not 0x88E5 */
	MACSEC_DROP_BAD_TAG,	/* malformed SecTAG, bad length, or E=0 (no confidentiality) */
	MACSEC_DROP_UNKNOWN_SCI,/* no receive SC for that SCI */
	MACSEC_DROP_NO_SA,	/* the SC has no SA for that AN */
	MACSEC_DROP_REPLAY,	/* PN below the window, or a duplicate inside it */
	MACSEC_DROP_BAD_ICV,	/* GCM tag did not verify */
	MACSEC_DROP_TOO_BIG,	/* the caller's buffer is too small */
	MACSEC_DROP_COUNT
};

struct macsec_sa {
	bool in_use;
	u8 ki[MACSEC_KI_LEN];
	u64 next_pn;		/* tx: next PN to send; rx: highest seen + 1 */
	u64 lowest_pn;		/* rx: lowest acceptable PN given by MKA */
	u64 seen;		/* rx: bit i = PN (next_pn - 1 - i) verified */
	mbedtls_gcm_context gcm;
};

struct macsec_rx_sc {
	bool in_use;
	u64 sci;
	struct macsec_sa sa[MACSEC_AN_COUNT];
	u64 ok;			/* frames validated */
};

/* A transmit SA that was retired: its KI may come back only above this PN. */
struct macsec_tx_hist {
	u8 ki[MACSEC_KI_LEN];
	u64 next_pn;
};

struct macsec_secy {
	u64 sci;		/* ours: MAC address << 16 | port identifier */
	enum macsec_cipher cipher;
	u32 replay_window;
	bool tx_enabled;	/* MKA set an encoding SA */
	u8 tx_an;		/* encoding AN */
	struct macsec_sa tx_sa[MACSEC_AN_COUNT];
	struct macsec_rx_sc rx[MACSEC_RX_SC_MAX];
	struct macsec_tx_hist tx_hist[MACSEC_TX_HISTORY];
	u8 tx_hist_next;
	u64 tx_protected;
	u64 tx_refused;		/* no SA, or PN exhausted */
	u64 drops[MACSEC_DROP_COUNT];
};

/* macsec_sci - SCI from a MAC address and a port identifier. */
u64 macsec_sci(const u8 mac[6], u16 port);

/*
 * macsec_secy_init - empty SecY (no SAs, transmit off). @replay_window <=
 * MACSEC_REPLAY_WINDOW_MAX. Returns 0 or -EINVAL.
 */
int macsec_secy_init(struct macsec_secy *y, u64 sci, enum macsec_cipher c, u32 replay_window);
/* macsec_secy_clear - drop every SA and zero all key material. */
void macsec_secy_clear(struct macsec_secy *y);
/* macsec_key_len - SAK length of @c in bytes (16 or 32). */
size_t macsec_key_len(enum macsec_cipher c);

/*
 * macsec_tx_sa_install - key @an's transmit SA with @key (macsec_key_len()
 * bytes), key identifier @ki, first PN @next_pn (>= 1). Refused (-EEXIST)
 * when the same @ki is already installed with a higher PN (nonce reuse); a
 * @ki retired earlier in this SecY's life resumes above its last PN.
 * Does not switch the encoding AN: see macsec_tx_use().
 */
int macsec_tx_sa_install(struct macsec_secy *y, u8 an, const u8 *key,
			 const u8 ki[MACSEC_KI_LEN], u64 next_pn);
/* macsec_tx_use - send with @an from now on (its SA must be installed). */
int macsec_tx_use(struct macsec_secy *y, u8 an);
/* macsec_tx_sa_remove - retire @an (key zeroed); transmit stops if it was in use. */
void macsec_tx_sa_remove(struct macsec_secy *y, u8 an);
/* macsec_tx_next_pn - next PN of the encoding SA (0 when transmit is off). */
u64 macsec_tx_next_pn(const struct macsec_secy *y);

/* macsec_rx_sc_add - accept frames from @sci (idempotent). -ENOSPC when full. */
int macsec_rx_sc_add(struct macsec_secy *y, u64 sci);
/* macsec_rx_sc_remove - forget @sci and its SAs. */
void macsec_rx_sc_remove(struct macsec_secy *y, u64 sci);
/* macsec_rx_sa_install - key @an of @sci's receive SC; PNs below @lowest_pn are refused. */
int macsec_rx_sa_install(struct macsec_secy *y, u64 sci, u8 an, const u8 *key,
			 const u8 ki[MACSEC_KI_LEN], u64 lowest_pn);
/* macsec_rx_sa_remove - retire @an of @sci (key zeroed). */
void macsec_rx_sa_remove(struct macsec_secy *y, u64 sci, u8 an);
/* macsec_rx_next_pn - highest PN seen + 1 on @sci/@an (0 if none). */
u64 macsec_rx_next_pn(const struct macsec_secy *y, u64 sci, u8 an);

/*
 * macsec_protect - encrypt guest frame @in (@len >= 14) into @out (must not
 * overlap @in; @cap >= @len + MACSEC_OVERHEAD). Returns 0 with *@out_len set,
 * -EAGAIN when no SA is in use, -ENOSPC when the PN is exhausted (the frame
 * is refused, never sent with a reused nonce), -EINVAL on a bad frame.
 */
int macsec_protect(struct macsec_secy *y, const u8 *in, size_t len,
		   u8 *out, size_t cap, size_t *out_len);

/*
 * macsec_validate - check and decrypt wire frame @in into @out (@cap >= @len
 * - MACSEC_OVERHEAD; no overlap). Returns MACSEC_OK with *@out_len set, or
 * the drop reason (already counted).
 */
enum macsec_drop macsec_validate(struct macsec_secy *y, const u8 *in, size_t len,
				 u8 *out, size_t cap, size_t *out_len);

/* macsec_drop_name - short name of @d for logs ("bad-icv", ...). */
const char *macsec_drop_name(enum macsec_drop d);

#endif
