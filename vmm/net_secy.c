// SPDX-License-Identifier: GPL-2.0-only
/* An encrypt port's SecY: net/macsec_port.h behind struct net_secy_ops (mamori/net.h). */
#include <net/macsec_port.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/net.h>
#include <mamori/policy.h>
#include <mamori/string.h>

#define NET_SECY_CAK_LEN	16
#define NET_SECY_PRIORITY	16	/* key server against a default-priority peer */

struct net_secy {
	struct macsec_port mp;
	struct net_port *port;
};

static const struct net_secy_ops net_macsec_ops = {
	macsec_port_protect, macsec_port_validate, macsec_port_tick,
};

/* MKA's frames: unprotected, through the driver (its lock is held by our caller). */
static int net_secy_send(void *ctx, const u8 *frame, size_t len)
{
	return net_port_xmit(ctx, frame, (u32)len);
}

int net_secy_start(struct net_port *p, const struct policy_net_rule *r, const u8 *key,
		   const u8 mac[6], u64 now_ms)
{
	struct net_secy *s = page_alloc(ALIGN_UP(sizeof(*s), PAGE_SIZE) / PAGE_SIZE);
	struct mka_ops ops = { net_secy_send, p };
	struct mka_config cfg;
	int ret;

	if (!s)
		return -ENOMEM;
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.cak, key, NET_SECY_CAK_LEN);
	cfg.cak_len = NET_SECY_CAK_LEN;
	memcpy(cfg.ckn, key + NET_SECY_CAK_LEN, POLICY_NET_KEY_LEN - NET_SECY_CAK_LEN);
	cfg.ckn_len = POLICY_NET_KEY_LEN - NET_SECY_CAK_LEN;
	memcpy(cfg.mac, mac, 6);
	cfg.port = 1;
	cfg.priority = NET_SECY_PRIORITY;
	cfg.cipher = r->cipher == POLICY_NET_GCM_AES_256 ? MACSEC_GCM_AES_256 : MACSEC_GCM_AES_128;
	cfg.peer_only = true;
	memcpy(cfg.peer_mac, r->peer_mac, 6);
	s->port = p;
	ret = macsec_port_init(&s->mp, &cfg, 0, &ops, now_ms);
	memset(&cfg, 0, sizeof(cfg));
	if (ret) {
		macsec_port_stop(&s->mp);
		return ret;
	}
	p->secy_priv = &s->mp;
	p->secy = &net_macsec_ops;
	return 0;
}
