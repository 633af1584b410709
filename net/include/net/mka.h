/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IEEE 802.1X-2010 MKA (clause 9, MKPDU encoding 11.11) with a pre-shared
 * CAK/CKN: one participant per SecY, live and potential peer lists, key
 * server election, SAK generation and AES key wrap distribution, SAK use and
 * rollover before PN exhaustion. Arch-neutral, no NIC dependency:
 *
 *   NIC layer                         MKA actor (this)
 *   EtherType 0x888E frame in  --->   mka_receive()
 *   timer (~100 ms, VMM only)  --->   mka_tick()
 *   ops->send() <-------------------  an MKPDU to put on the wire, unprotected
 *                                     (installs/retires SAs in its SecY)
 *
 * Entropy (member identifier, SAK) comes from arch_random_bytes()
 * (net/random.h); the actor refuses to start or to make a SAK without it.
 * Times are milliseconds from any monotonic clock. Design: docs/network.md.
 * Not thread-safe: the NIC's lock serialises receive, tick and the datapath.
 */
#ifndef NET_MKA_H
#define NET_MKA_H

#include <mamori/types.h>
#include <net/macsec.h>

#define MKA_ETHERTYPE		0x888E
#define MKA_CAK_MAX		32
#define MKA_CKN_MAX		32
#define MKA_MI_LEN		12
#define MKA_PEERS_MAX		4
#define MKA_FRAME_MAX		1514
#define MKA_HELLO_MS		2000	/* MKA Hello Time */
#define MKA_LIFE_MS		6000	/* MKA Life Time */
#define MKA_RETIRE_MS		3000	/* old SAK kept for receive after a change */
#define MKA_PRIO_NEVER		0xff	/* priority that never becomes key server */
#define MKA_PN_REKEY_DEFAULT	0xc0000000ULL	/* new SAK once a PN passes this */

struct mka_config {
	u8 cak[MKA_CAK_MAX];
	size_t cak_len;		/* 16 or 32 */
	u8 ckn[MKA_CKN_MAX];
	size_t ckn_len;		/* 1..32 */
	u8 mac[6];		/* source address of MKPDUs and the SCI */
	u16 port;		/* SCI port identifier (1) */
	u8 priority;		/* key server priority; lower wins */
	enum macsec_cipher cipher;	/* the cipher suite this key server distributes */
	u64 pn_rekey;		/* 0: MKA_PN_REKEY_DEFAULT */
	bool peer_only;		/* only the SCI with MAC @peer_mac may be a peer */
	u8 peer_mac[6];
};

struct mka_ops {
	/* Put @frame (a whole EAPOL-MKA Ethernet frame, no FCS) on the wire. */
	int (*send)(void *ctx, const u8 *frame, size_t len);
	void *ctx;
};

struct mka_peer {
	bool in_use;
	bool live;		/* it listed our MI with a recent MN */
	u8 mi[MKA_MI_LEN];
	u32 mn;
	u64 sci;
	u8 priority;
	bool key_server;	/* its Key Server flag */
	bool sak_used;		/* reports receive with our latest SAK */
	u64 expire_ms;
};

struct mka_sak {
	bool valid;
	u8 ki[MACSEC_KI_LEN];	/* key server MI || KN */
	u8 an;
	u8 key[MACSEC_KEY_MAX];
	bool rx, tx;		/* installed for receive / in use for transmit */
};

/* Counters of received MKPDUs, for the log and the tests. */
struct mka_stats {
	u64 rx_ok;
	u64 rx_bad_format;	/* malformed, wrong version, DA or agility */
	u64 rx_unknown_ckn;
	u64 rx_bad_icv;
	u64 rx_stale_mn;	/* MN did not increase (replay) */
	u64 rx_bad_sak;		/* Distributed SAK refused (unwrap, role, suite) */
	u64 rx_foreign_peer;	/* valid ICV, but an SCI other than the configured peer's */
	u64 tx;
	u64 tx_fail;
	u64 saks_made;		/* as key server */
	u64 saks_installed;
};

struct mka {
	struct mka_config cfg;
	struct mka_ops ops;
	struct macsec_secy *secy;
	u8 ick[MKA_CAK_MAX], kek[MKA_CAK_MAX];
	u8 mi[MKA_MI_LEN];
	u32 mn;			/* of the last MKPDU sent */
	u64 sci;
	struct mka_peer peers[MKA_PEERS_MAX];
	bool elected;		/* a key server is chosen */
	bool key_server;	/* and it is us */
	u64 ks_sci;
	u8 ks_mi[MKA_MI_LEN];
	u32 next_kn;		/* as key server */
	u8 next_an;
	bool new_sak;		/* as key server: make one on the next tick */
	bool send_now;
	struct mka_sak latest, old;
	u64 now_ms, next_hello_ms, retire_ms, transmit_ms;
	struct mka_stats st;
};

/*
 * mka_init - start the participant: derive ICK and KEK from the CAK, pick a
 * random MI (a new one every boot), bind @secy (already initialised with the
 * same cipher). The first MKPDU goes out on the first mka_tick(). Returns 0,
 * -EINVAL for a bad configuration, -EIO without entropy.
 */
int mka_init(struct mka *m, const struct mka_config *cfg, struct macsec_secy *secy,
	     const struct mka_ops *ops, u64 now_ms);
/* mka_stop - forget peers and keys (zeroed), retire every SA in the SecY. */
void mka_stop(struct mka *m);

/*
 * mka_receive - one EAPOL frame (DA onwards) the NIC layer received. Frames
 * that fail any check are counted in m->st and ignored; with cfg.peer_only,
 * an MKPDU whose SCI is not the configured peer's MAC (|| any port) is
 * counted in rx_foreign_peer and ignored (-EPERM): that member never
 * becomes live, so it gets no receive SC and no SAK. Returns 0 if it was
 * accepted, else a negative code (for tests; the NIC layer only drops).
 */
int mka_receive(struct mka *m, const u8 *frame, size_t len, u64 now_ms);
/* mka_tick - timers: hello, peer expiry, SAK rollover and retirement. */
void mka_tick(struct mka *m, u64 now_ms);

/* mka_live_peers - number of live peers. */
int mka_live_peers(const struct mka *m);
/* mka_secured - a SAK is in use for transmit. */
bool mka_secured(const struct mka *m);

#endif
