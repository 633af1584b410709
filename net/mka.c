// SPDX-License-Identifier: GPL-2.0-only
/* MKA actor: peers, key server, SAK distribution and use (see net/mka.h). */
#include <net/mka.h>
#include <net/mka_crypto.h>
#include <net/mka_pdu.h>
#include <net/random.h>
#include <net/bytes.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/constant_time.h>

static u64 pn_rekey(const struct mka *m)
{
	return m->cfg.pn_rekey ? m->cfg.pn_rekey : MKA_PN_REKEY_DEFAULT;
}

static u64 cipher_suite(enum macsec_cipher c)
{
	return c == MACSEC_GCM_AES_256 ? MKA_CS_GCM_AES_256 : MKA_CS_GCM_AES_128;
}

int mka_init(struct mka *m, const struct mka_config *cfg, struct macsec_secy *secy,
	     const struct mka_ops *ops, u64 now_ms)
{
	if ((cfg->cak_len != 16 && cfg->cak_len != 32) || cfg->ckn_len < 1 ||
	    cfg->ckn_len > MKA_CKN_MAX || !ops->send || secy->cipher != cfg->cipher)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
	m->ops = *ops;
	m->secy = secy;
	m->sci = macsec_sci(cfg->mac, cfg->port);
	m->next_kn = 1;
	m->now_ms = now_ms;
	m->next_hello_ms = now_ms;
	if (mka_derive_ick(cfg->cak, cfg->cak_len, cfg->ckn, cfg->ckn_len, m->ick) ||
	    mka_derive_kek(cfg->cak, cfg->cak_len, cfg->ckn, cfg->ckn_len, m->kek))
		return -EIO;
	if (arch_random_bytes(m->mi, sizeof(m->mi))) {
		pr_err("mka: no entropy for the member identifier; MKA not started\n");
		mbedtls_platform_zeroize(m, sizeof(*m));
		return -EIO;
	}
	return 0;
}

static void sak_retire(struct mka *m, struct mka_sak *s)
{
	int i;

	if (!s->valid)
		return;
	if (m->secy->tx_sa[s->an].in_use &&
	    !memcmp(m->secy->tx_sa[s->an].ki, s->ki, MACSEC_KI_LEN))
		macsec_tx_sa_remove(m->secy, s->an);
	for (i = 0; i < MACSEC_RX_SC_MAX; i++) {
		struct macsec_rx_sc *sc = &m->secy->rx[i];

		if (sc->in_use && sc->sa[s->an].in_use &&
		    !memcmp(sc->sa[s->an].ki, s->ki, MACSEC_KI_LEN))
			macsec_rx_sa_remove(m->secy, sc->sci, s->an);
	}
	mbedtls_platform_zeroize(s, sizeof(*s));
}

void mka_stop(struct mka *m)
{
	int i;

	sak_retire(m, &m->old);
	sak_retire(m, &m->latest);
	for (i = 0; i < MKA_PEERS_MAX; i++)
		if (m->peers[i].in_use && m->peers[i].live)
			macsec_rx_sc_remove(m->secy, m->peers[i].sci);
	mbedtls_platform_zeroize(m->peers, sizeof(m->peers));
	mbedtls_platform_zeroize(m->ick, sizeof(m->ick));
	mbedtls_platform_zeroize(m->kek, sizeof(m->kek));
	m->elected = m->key_server = false;
}

int mka_live_peers(const struct mka *m)
{
	int i, n = 0;

	for (i = 0; i < MKA_PEERS_MAX; i++)
		n += m->peers[i].in_use && m->peers[i].live;
	return n;
}

bool mka_secured(const struct mka *m)
{
	return m->latest.valid && m->latest.tx;
}

static struct mka_peer *peer_by_mi(struct mka *m, const u8 *mi)
{
	int i;

	for (i = 0; i < MKA_PEERS_MAX; i++)
		if (m->peers[i].in_use && !memcmp(m->peers[i].mi, mi, MKA_MI_LEN))
			return &m->peers[i];
	return NULL;
}

static void peer_drop(struct mka *m, struct mka_peer *p)
{
	if (p->live)
		macsec_rx_sc_remove(m->secy, p->sci);
	memset(p, 0, sizeof(*p));
}

/* Key server: the lowest (priority, SCI) among us and live peers claiming it (9.5.1). */
static void elect(struct mka *m)
{
	bool was_ks = m->key_server;
	u8 best_prio = MKA_PRIO_NEVER;
	u64 best_sci = 0;
	bool me = false, any = false;
	int i;

	if (m->cfg.priority != MKA_PRIO_NEVER && mka_live_peers(m)) {
		best_prio = m->cfg.priority;
		best_sci = m->sci;
		me = any = true;
	}
	for (i = 0; i < MKA_PEERS_MAX; i++) {
		struct mka_peer *p = &m->peers[i];

		if (!p->in_use || !p->live || !p->key_server)
			continue;
		if (!any || p->priority < best_prio ||
		    (p->priority == best_prio && p->sci < best_sci)) {
			best_prio = p->priority;
			best_sci = p->sci;
			memcpy(m->ks_mi, p->mi, MKA_MI_LEN);
			me = false;
			any = true;
		}
	}
	m->elected = any;
	m->key_server = me;
	m->ks_sci = any ? best_sci : 0;
	if (me)
		memcpy(m->ks_mi, m->mi, MKA_MI_LEN);
	if (me && !was_ks)
		m->new_sak = true;
}

/* Install @s for receive from every live peer. */
static int sak_install_rx(struct mka *m, struct mka_sak *s)
{
	int i, rc;

	for (i = 0; i < MKA_PEERS_MAX; i++) {
		struct mka_peer *p = &m->peers[i];

		if (!p->in_use || !p->live)
			continue;
		rc = macsec_rx_sa_install(m->secy, p->sci, s->an, s->key, s->ki, 1);
		if (rc)
			return rc;
	}
	s->rx = true;
	return 0;
}

/* A new latest SAK: the current one becomes old (kept until retired). */
static int sak_adopt(struct mka *m, struct mka_sak *s)
{
	int rc;

	rc = sak_install_rx(m, s);
	if (!rc)
		rc = macsec_tx_sa_install(m->secy, s->an, s->key, s->ki, 1);
	if (rc) {
		pr_err("mka: SAK KN %u not installed in the SecY (%d)\n",
			net_get32(s->ki + MKA_MI_LEN), rc);
		return rc;
	}
	if (m->old.valid && m->old.an != s->an)
		sak_retire(m, &m->old);
	else
		mbedtls_platform_zeroize(&m->old, sizeof(m->old));
	m->old = m->latest;
	m->latest = *s;
	m->st.saks_installed++;
	m->send_now = true;
	return 0;
}

static void sak_make(struct mka *m)
{
	struct mka_sak s = { .valid = true };
	int i;

	m->new_sak = false;
	if (!mka_live_peers(m))
		return;
	if (arch_random_bytes(s.key, macsec_key_len(m->cfg.cipher))) {
		pr_err("mka: no entropy for a SAK; none distributed\n");
		return;
	}
	memcpy(s.ki, m->mi, MKA_MI_LEN);
	net_put32(s.ki + MKA_MI_LEN, m->next_kn);
	s.an = m->next_an;
	if (sak_adopt(m, &s) == 0) {
		m->next_kn++;
		m->next_an = (m->next_an + 1) % MACSEC_AN_COUNT;
		m->st.saks_made++;
		m->transmit_ms = m->now_ms + MKA_LIFE_MS;
		for (i = 0; i < MKA_PEERS_MAX; i++)
			m->peers[i].sak_used = false;
		pr_info("mka: key server: new SAK KN %u AN %u\n", m->next_kn - 1, s.an);
	}
	mbedtls_platform_zeroize(&s, sizeof(s));
}

static void tx_switch(struct mka *m)
{
	if (!m->latest.valid || m->latest.tx || macsec_tx_use(m->secy, m->latest.an))
		return;
	m->latest.tx = true;
	if (m->old.valid) {
		m->old.tx = false;
		m->retire_ms = m->now_ms + MKA_RETIRE_MS;
	}
	m->send_now = true;
	pr_info("mka: transmitting with SAK KN %u AN %u\n",
		 net_get32(m->latest.ki + MKA_MI_LEN), m->latest.an);
}

static bool all_peers_use_latest(const struct mka *m)
{
	int i;

	for (i = 0; i < MKA_PEERS_MAX; i++)
		if (m->peers[i].in_use && m->peers[i].live && !m->peers[i].sak_used)
			return false;
	return true;
}

static void rx_sak_use(struct mka *m, struct mka_peer *p, const struct mka_sak_use *u)
{
	if (!u->present || u->empty || !m->latest.valid)
		return;
	if (u->lrx && !memcmp(u->lki, m->latest.ki, MACSEC_KI_LEN)) {
		p->sak_used = true;
		if (m->key_server && u->llpn > pn_rekey(m))
			m->new_sak = true;
	}
	if (m->key_server && all_peers_use_latest(m))
		tx_switch(m);
	if (!m->key_server && p->sci == m->ks_sci && u->ltx &&
	    !memcmp(u->lki, m->latest.ki, MACSEC_KI_LEN))
		tx_switch(m);
}

static int rx_dist_sak(struct mka *m, struct mka_peer *p, const struct mka_dist_sak *d)
{
	struct mka_sak s = { .valid = true };
	size_t kl = macsec_key_len(m->cfg.cipher);
	int rc;

	if (!d->present)
		return 0;
	if (m->key_server || !m->elected || p->sci != m->ks_sci)
		return -EPERM;
	if (d->empty || d->conf_offset != MKA_CONF_OFFSET_0 ||
	    d->cipher_suite != cipher_suite(m->cfg.cipher) || d->wrapped_len != kl + 8)
		return -EINVAL;	/* no MACsec, integrity only, or another suite: refused */
	memcpy(s.ki, p->mi, MKA_MI_LEN);
	net_put32(s.ki + MKA_MI_LEN, d->kn);
	if (m->latest.valid && !memcmp(s.ki, m->latest.ki, MACSEC_KI_LEN))
		return 0;
	s.an = d->an;
	rc = mka_unwrap(m->kek, m->cfg.cak_len, d->wrapped, d->wrapped_len, s.key);
	if (!rc)
		rc = sak_adopt(m, &s);
	mbedtls_platform_zeroize(&s, sizeof(s));
	if (!rc)
		pr_info("mka: SAK KN %u AN %u from the key server installed\n", d->kn, d->an);
	return rc;
}

static bool lists_me(const struct mka *m, const struct mka_pdu_peer *l, int n)
{
	int i;

	/* "Acceptably recent" MN (9.4.2): one of the last three we sent. */
	for (i = 0; i < n; i++)
		if (!memcmp(l[i].mi, m->mi, MKA_MI_LEN) && l[i].mn <= m->mn && l[i].mn + 3 > m->mn)
			return true;
	return false;
}

static struct mka_peer *peer_new(struct mka *m, const struct mka_pdu *pdu)
{
	int i;

	/* The same SCI with a new MI: that peer restarted (it holds the CAK). */
	for (i = 0; i < MKA_PEERS_MAX; i++)
		if (m->peers[i].in_use && m->peers[i].sci == pdu->sci)
			peer_drop(m, &m->peers[i]);
	for (i = 0; i < MKA_PEERS_MAX; i++) {
		if (!m->peers[i].in_use) {
			m->peers[i].in_use = true;
			memcpy(m->peers[i].mi, pdu->mi, MKA_MI_LEN);
			m->peers[i].sci = pdu->sci;
			m->peers[i].expire_ms = m->now_ms + MKA_LIFE_MS;
			m->send_now = true;
			return &m->peers[i];
		}
	}
	return NULL;
}

static int peer_make_live(struct mka *m, struct mka_peer *p)
{
	int rc = macsec_rx_sc_add(m->secy, p->sci);

	if (rc)
		return rc;
	p->live = true;
	m->send_now = true;
	if (m->latest.valid)
		macsec_rx_sa_install(m->secy, p->sci, m->latest.an, m->latest.key, m->latest.ki, 1);
	elect(m);
	if (m->key_server)
		m->new_sak = true;	/* a new member gets a fresh SAK */
	return 0;
}

static bool sci_is_peer(const struct mka *m, u64 sci)
{
	return (sci >> 16) == (macsec_sci(m->cfg.peer_mac, 0) >> 16);
}

static int rx_checked(struct mka *m, const struct mka_pdu *pdu)
{
	struct mka_peer *p;
	int rc;

	if (!memcmp(pdu->mi, m->mi, MKA_MI_LEN) || pdu->sci == m->sci) {
		/* Our own MI from elsewhere: choose another one (9.4.2). */
		if (pdu->sci != m->sci && arch_random_bytes(m->mi, MKA_MI_LEN) == 0)
			m->mn = 0;
		return -EEXIST;
	}
	if (m->cfg.peer_only && !sci_is_peer(m, pdu->sci)) {
		m->st.rx_foreign_peer++;
		pr_warn_ratelimited("mka: ignored an MKPDU from SCI %016llx: not the configured "
				    "peer\n", (unsigned long long)pdu->sci);
		return -EPERM;
	}
	p = peer_by_mi(m, pdu->mi);
	if (p && pdu->mn <= p->mn) {
		m->st.rx_stale_mn++;
		return -EBADMSG;
	}
	if (!p)
		p = peer_new(m, pdu);
	if (!p)
		return -ENOSPC;
	p->mn = pdu->mn;
	p->priority = pdu->priority;
	p->key_server = pdu->key_server;
	if (!p->live && (lists_me(m, pdu->live, pdu->n_live) ||
			 lists_me(m, pdu->potential, pdu->n_potential))) {
		rc = peer_make_live(m, p);
		if (rc)
			return rc;
	}
	if (!p->live)
		return 0;
	p->expire_ms = m->now_ms + MKA_LIFE_MS;
	elect(m);
	if (m->new_sak && m->key_server)
		sak_make(m);
	rc = rx_dist_sak(m, p, &pdu->dist);
	if (rc) {
		m->st.rx_bad_sak++;
		return rc;
	}
	rx_sak_use(m, p, &pdu->use);
	return 0;
}

int mka_receive(struct mka *m, const u8 *frame, size_t len, u64 now_ms)
{
	struct mka_pdu pdu;
	u8 icv[MKA_ICV_LEN];
	int rc;

	m->now_ms = now_ms;
	if (mka_pdu_parse(frame, len, &pdu)) {
		m->st.rx_bad_format++;
		return -EBADMSG;
	}
	if (pdu.ckn_len != m->cfg.ckn_len || memcmp(pdu.ckn, m->cfg.ckn, pdu.ckn_len)) {
		m->st.rx_unknown_ckn++;
		return -ENOENT;
	}
	if (mka_icv(m->ick, m->cfg.cak_len, frame, pdu.icv_at, icv) ||
	    mbedtls_ct_memcmp(icv, frame + pdu.icv_at, MKA_ICV_LEN)) {
		m->st.rx_bad_icv++;
		return -EBADMSG;
	}
	rc = rx_checked(m, &pdu);
	if (rc == 0)
		m->st.rx_ok++;
	if (m->send_now)
		mka_tick(m, now_ms);
	return rc;
}

static void fill_sak_use(const struct mka *m, struct mka_sak_use *u)
{
	u64 next = macsec_tx_next_pn(m->secy);

	u->present = true;
	u->empty = !m->latest.valid;
	if (u->empty)
		return;
	u->lan = m->latest.an;
	u->ltx = m->latest.tx;
	u->lrx = m->latest.rx;
	memcpy(u->lki, m->latest.ki, MACSEC_KI_LEN);
	u->llpn = m->latest.tx && next > 1 ? (u32)MIN(next - 1, MACSEC_PN_MAX) : 1;
	if (m->old.valid) {
		u->oan = m->old.an;
		u->otx = m->old.tx;
		u->orx = m->old.rx;
		memcpy(u->oki, m->old.ki, MACSEC_KI_LEN);
		u->olpn = 1;
	}
}

static int fill_dist_sak(const struct mka *m, struct mka_dist_sak *d)
{
	size_t kl = macsec_key_len(m->cfg.cipher);

	if (!m->key_server || !m->latest.valid || all_peers_use_latest(m))
		return 0;
	d->present = true;
	d->an = m->latest.an;
	d->conf_offset = MKA_CONF_OFFSET_0;
	d->kn = net_get32(m->latest.ki + MKA_MI_LEN);
	d->cipher_suite = cipher_suite(m->cfg.cipher);
	d->wrapped_len = kl + 8;
	return mka_wrap(m->kek, m->cfg.cak_len, m->latest.key, kl, d->wrapped);
}

static void send_mkpdu(struct mka *m)
{
	struct mka_pdu pdu;
	u8 frame[MKA_FRAME_MAX];
	int i, len;

	memset(&pdu, 0, sizeof(pdu));
	memcpy(pdu.src, m->cfg.mac, 6);
	pdu.priority = m->cfg.priority;
	/* Key Server flag: unless we decided another participant is (9.5.1). */
	pdu.key_server = m->elected ? m->key_server : m->cfg.priority != MKA_PRIO_NEVER;
	pdu.macsec_desired = true;
	pdu.capability = MKA_CAP_CONF_0;
	pdu.sci = m->sci;
	memcpy(pdu.mi, m->mi, MKA_MI_LEN);
	pdu.mn = ++m->mn;
	memcpy(pdu.ckn, m->cfg.ckn, m->cfg.ckn_len);
	pdu.ckn_len = m->cfg.ckn_len;
	for (i = 0; i < MKA_PEERS_MAX; i++) {
		const struct mka_peer *p = &m->peers[i];
		struct mka_pdu_peer *e;

		if (!p->in_use)
			continue;
		e = p->live ? &pdu.live[pdu.n_live++] : &pdu.potential[pdu.n_potential++];
		memcpy(e->mi, p->mi, MKA_MI_LEN);
		e->mn = p->mn;
	}
	if (pdu.n_live)
		fill_sak_use(m, &pdu.use);
	len = fill_dist_sak(m, &pdu.dist);
	if (len == 0)
		len = mka_pdu_build(&pdu, m->ick, m->cfg.cak_len, frame, sizeof(frame));
	mbedtls_platform_zeroize(&pdu.dist, sizeof(pdu.dist));
	if (len < 0 || m->ops.send(m->ops.ctx, frame, (size_t)len))
		m->st.tx_fail++;
	else
		m->st.tx++;
}

static void expire_peers(struct mka *m)
{
	bool changed = false;
	int i;

	for (i = 0; i < MKA_PEERS_MAX; i++) {
		struct mka_peer *p = &m->peers[i];

		if (p->in_use && m->now_ms >= p->expire_ms) {
			changed |= p->live;
			peer_drop(m, p);
		}
	}
	if (!changed)
		return;
	elect(m);
	if (!mka_live_peers(m)) {
		/* The CA is gone: no key outlives it. */
		sak_retire(m, &m->old);
		sak_retire(m, &m->latest);
		pr_info("mka: no live peer left; SAKs retired, transmit stopped\n");
	}
}

static bool pn_exhausting(const struct mka *m)
{
	int i;

	if (!m->latest.valid || !m->latest.tx)
		return false;
	if (macsec_tx_next_pn(m->secy) > pn_rekey(m))
		return true;
	for (i = 0; i < MKA_PEERS_MAX; i++)
		if (m->peers[i].in_use && m->peers[i].live &&
		    macsec_rx_next_pn(m->secy, m->peers[i].sci, m->latest.an) > pn_rekey(m))
			return true;
	return false;
}

void mka_tick(struct mka *m, u64 now_ms)
{
	m->now_ms = now_ms;
	expire_peers(m);
	if (m->key_server && pn_exhausting(m))
		m->new_sak = true;
	if (m->key_server && m->new_sak)
		sak_make(m);
	if (m->key_server && m->latest.valid && !m->latest.tx && now_ms >= m->transmit_ms)
		tx_switch(m);	/* not every peer confirmed in time: go ahead (9.8) */
	if (m->old.valid && !m->old.tx && m->latest.tx && now_ms >= m->retire_ms)
		sak_retire(m, &m->old);
	if (m->send_now || now_ms >= m->next_hello_ms) {
		m->send_now = false;
		m->next_hello_ms = now_ms + MKA_HELLO_MS;
		send_mkpdu(m);
	}
}
