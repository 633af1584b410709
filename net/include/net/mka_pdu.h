/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MKPDU encoding and parsing (IEEE 802.1X-2010 11.11): the EAPOL-MKA frame
 * with its Basic Parameter Set, Live and Potential Peer Lists, MACsec SAK Use
 * and Distributed SAK parameter sets, and the ICV. Pure byte work: the actor
 * (net/mka.c) decides what they mean. Used by net/mka.c and its tests.
 */
#ifndef NET_MKA_PDU_H
#define NET_MKA_PDU_H

#include <mamori/types.h>
#include <net/macsec.h>
#include <net/mka_crypto.h>

#define MKA_PDU_PEERS_MAX	16
#define MKA_VERSION		1	/* 802.1X-2010 */
#define MKA_EAPOL_VERSION	3
#define MKA_EAPOL_TYPE		5	/* EAPOL-MKA */
#define MKA_ALGO_AGILITY	0x0080c201u	/* 802.1X-2010 AES-CMAC-128 */
#define MKA_CAP_CONF_0		2	/* integrity and confidentiality, offset 0 */
#define MKA_CONF_OFFSET_0	1	/* Distributed SAK: confidentiality, offset 0 */
#define MKA_CS_GCM_AES_128	0x0080c20001000001ULL
#define MKA_CS_GCM_AES_256	0x0080c20001000002ULL

/* Parameter set types (11.11.3). */
enum {
	MKA_PS_LIVE = 1,
	MKA_PS_POTENTIAL = 2,
	MKA_PS_SAK_USE = 3,
	MKA_PS_DIST_SAK = 4,
	MKA_PS_ICV_INDICATOR = 255,
};

struct mka_pdu_peer {
	u8 mi[12];
	u32 mn;
};

struct mka_sak_use {
	bool present, empty;	/* empty: a body length of 0 (no MACsec) */
	u8 lan, oan;
	bool ltx, lrx, otx, orx, ptx, prx, delay_protect;
	u8 lki[MACSEC_KI_LEN], oki[MACSEC_KI_LEN];
	u32 llpn, olpn;
};

struct mka_dist_sak {
	bool present, empty;
	u8 an, conf_offset;
	u32 kn;
	u64 cipher_suite;	/* MKA_CS_* */
	u8 wrapped[MACSEC_KEY_MAX + 8];
	size_t wrapped_len;
};

struct mka_pdu {
	u8 src[6];
	u8 version, priority, capability;
	bool key_server, macsec_desired;
	u64 sci;
	u8 mi[12];
	u32 mn;
	u8 ckn[32];
	size_t ckn_len;
	int n_live, n_potential;
	struct mka_pdu_peer live[MKA_PDU_PEERS_MAX], potential[MKA_PDU_PEERS_MAX];
	struct mka_sak_use use;
	struct mka_dist_sak dist;
	size_t icv_at;		/* parse: offset of the ICV in the frame */
};

/*
 * mka_pdu_parse - check the framing of @frame (DA, EtherType, EAPOL header,
 * lengths, parameter set bounds, algorithm agility) and fill @p. The ICV is
 * not checked here: compute it over @frame[0 .. p->icv_at). Returns 0 or
 * -EBADMSG.
 */
int mka_pdu_parse(const u8 *frame, size_t len, struct mka_pdu *p);

/*
 * mka_pdu_build - encode @p (src, basic set, lists, and the SAK Use /
 * Distributed SAK sets marked present) into @buf and append the ICV made
 * with @ick. Returns the frame length, or a negative code.
 */
int mka_pdu_build(const struct mka_pdu *p, const u8 *ick, size_t ick_len, u8 *buf, size_t cap);

#endif
