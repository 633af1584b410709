// SPDX-License-Identifier: GPL-2.0-only
/* A NIC port's SecY + MKA behind the NIC layer's three calls (net/macsec_port.h). */
#include <net/macsec_port.h>
#include <net/bytes.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/string.h>

int macsec_port_init(struct macsec_port *p, const struct mka_config *cfg, u32 replay_window,
		     const struct mka_ops *ops, u64 now_ms)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = macsec_secy_init(&p->secy, macsec_sci(cfg->mac, cfg->port), cfg->cipher,
			      replay_window);
	if (!rc)
		rc = mka_init(&p->mka, cfg, &p->secy, ops, now_ms);
	if (rc)
		pr_err("macsec: port not started: %s (%d)\n",
		       rc == -EINVAL ? "bad configuration" : "no entropy or key derivation", rc);
	p->now_ms = now_ms;
	return rc;
}

void macsec_port_stop(struct macsec_port *p)
{
	mka_stop(&p->mka);
	macsec_secy_clear(&p->secy);
}

int macsec_port_protect(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	struct macsec_port *p = priv;
	size_t ol;
	int rc;

	rc = macsec_protect(&p->secy, in, len, out, cap, &ol);
	if (rc == -ENOSPC)
		pr_err_ratelimited("macsec: transmit refused: PN exhausted, waiting for a new SAK\n");
	if (!rc)
		*out_len = (u32)ol;
	return rc;
}

static int drop_errno(enum macsec_drop d)
{
	switch (d) {
	case MACSEC_DROP_BAD_ICV:
		return -EBADMSG;
	case MACSEC_DROP_UNKNOWN_SCI:
	case MACSEC_DROP_NO_SA:
		return -ENOENT;
	case MACSEC_DROP_REPLAY:
		return -EEXIST;
	case MACSEC_DROP_TOO_BIG:
		return -E2BIG;
	default:
		return -EINVAL;
	}
}

int macsec_port_validate(void *priv, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	struct macsec_port *p = priv;
	enum macsec_drop d;
	size_t ol;

	if (len >= MACSEC_ETH_HLEN && net_get16(in + 12) == MKA_ETHERTYPE) {
		p->mkpdus++;
		mka_receive(&p->mka, in, len, p->now_ms);
		return -EPERM;
	}
	d = macsec_validate(&p->secy, in, len, out, cap, &ol);
	if (d != MACSEC_OK) {
		log_printk_ratelimited(&p->nlog, LOG_WARN,
				       "macsec: dropped a received frame: %s (EtherType 0x%x)\n",
				       macsec_drop_name(d), len >= 14 ? net_get16(in + 12) : 0);
		return drop_errno(d);
	}
	*out_len = (u32)ol;
	return 0;
}

static void drop_summary(struct macsec_port *p)
{
	const u64 *d = p->secy.drops;
	const struct mka_stats *m = &p->mka.st;
	u64 sum = m->rx_foreign_peer + m->rx_bad_icv + m->rx_unknown_ckn + m->rx_stale_mn +
		  m->rx_bad_format + m->rx_bad_sak;
	int i;

	for (i = 0; i < MACSEC_DROP_COUNT; i++)
		sum += d[i];
	if (sum == p->summary_sum)
		return;
	p->summary_sum = sum;
	pr_info("macsec: drops: not-macsec=%llu bad-sectag=%llu unknown-sci=%llu no-sa=%llu "
		"replay=%llu bad-icv=%llu; mka: foreign-peer=%llu bad-icv=%llu unknown-ckn=%llu "
		"stale=%llu bad-format=%llu bad-sak=%llu\n",
		(unsigned long long)d[MACSEC_DROP_NOT_MACSEC],
		(unsigned long long)d[MACSEC_DROP_BAD_TAG],
		(unsigned long long)d[MACSEC_DROP_UNKNOWN_SCI],
		(unsigned long long)d[MACSEC_DROP_NO_SA],
		(unsigned long long)d[MACSEC_DROP_REPLAY],
		(unsigned long long)d[MACSEC_DROP_BAD_ICV],
		(unsigned long long)m->rx_foreign_peer, (unsigned long long)m->rx_bad_icv,
		(unsigned long long)m->rx_unknown_ckn, (unsigned long long)m->rx_stale_mn,
		(unsigned long long)m->rx_bad_format, (unsigned long long)m->rx_bad_sak);
}

void macsec_port_tick(void *priv, u64 now_ms)
{
	struct macsec_port *p = priv;

	p->now_ms = now_ms;
	mka_tick(&p->mka, now_ms);
	if (now_ms >= p->summary_ms) {
		p->summary_ms = now_ms + MACSEC_PORT_SUMMARY_MS;
		drop_summary(p);
	}
}
