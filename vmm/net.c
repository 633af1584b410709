// SPDX-License-Identifier: GPL-2.0-only
/* The NIC layer's frame side: modes from the policy, the frame verdicts, coverage. */
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/net.h>
#include <mamori/policy.h>
#include <mamori/string.h>
#include <mamori/time.h>

#define NET_NICS_MAX	16

static const struct policy *net_policy;

/* The CAK||CKN of each encrypt rule (index as pol->net[]), VMM memory only. */
static u8 net_keys[POLICY_MAX_NET_RULES][POLICY_NET_KEY_LEN];
static bool net_key_ok[POLICY_MAX_NET_RULES];
static u64 net_last_poll;

/* Every NIC found: intercepted (port set) or not. */
static struct {
	u16 bdf;
	struct net_port *port;
	u16 vendor, device;
} nics[NET_NICS_MAX];
static u32 nnics, nics_lost;

/* The encrypt rule @i's CAK||CKN from the unsealed secrets. */
static int net_load_key(const struct policy_net_rule *r, u32 i, const struct policy_secrets *s)
{
	const struct policy_secret *sec = s ? policy_find_secret(s, r->key_id) : NULL;

	if (!sec || sec->kind != POLICY_SECRET_KEY || sec->len != POLICY_NET_KEY_LEN) {
		pr_err("net: policy record %u: mode encrypt, but key '%.16s' is missing or not "
		       "a %u-byte CAK||CKN; not launching\n", r->origin, r->key_id,
		       POLICY_NET_KEY_LEN);
		return -EINVAL;
	}
	memcpy(net_keys[i], sec->value, POLICY_NET_KEY_LEN);
	net_key_ok[i] = true;
	return 0;
}

int net_init(const struct policy *pol, const struct policy_secrets *s)
{
	int ret = 0;
	u32 i;

	net_policy = pol;
	memset(net_keys, 0, sizeof(net_keys));
	memset(net_key_ok, 0, sizeof(net_key_ok));
	if (!pol) {
		pr_info("net: no policy: every NIC is blocked\n");
		return 0;
	}
	for (i = 0; i < pol->n_net && i < POLICY_MAX_NET_RULES; i++) {
		if (pol->net[i].nic == POLICY_NIC_DEFAULT)
			pr_info("net: default mode %s (policy record %u)\n",
				net_mode_name(pol->net[i].mode), pol->net[i].origin);
		if (pol->net[i].mode == POLICY_NET_ENCRYPT && !ret)
			ret = net_load_key(&pol->net[i], i, s);
	}
	if (ret)
		memset(net_keys, 0, sizeof(net_keys));
	return ret;
}

/* The rule naming the NIC at @bdf (its own, not the default), or NULL. */
static const struct policy_net_rule *net_rule_of(u16 bdf, u32 *idx)
{
	u32 i;

	for (i = 0; net_policy && i < net_policy->n_net && i < POLICY_MAX_NET_RULES; i++) {
		const struct policy_net_rule *r = &net_policy->net[i];

		if (r->nic != POLICY_NIC_DEFAULT && bdf == (u16)(r->bus << 8 | r->dev << 3 | r->fn)) {
			*idx = i;
			return r;
		}
	}
	return NULL;
}

/* The CAK||CKN for the NIC at @bdf, or NULL. */
static const u8 *net_key_of(u16 bdf)
{
	u32 i;

	return net_rule_of(bdf, &i) && net_key_ok[i] ? net_keys[i] : NULL;
}

const char *net_mode_name(u8 mode)
{
	switch (mode) {
	case POLICY_NET_ENCRYPT: return "encrypt";
	case POLICY_NET_BLOCK: return "block";
	case POLICY_NET_PASS: return "pass";
	default: return "?";
	}
}

const char *net_cipher_name(u8 cipher)
{
	return cipher == POLICY_NET_GCM_AES_256 ? "GCM-AES-256" : "GCM-AES-128";
}

u8 net_mode_of(u16 bdf)
{
	if (!net_policy)
		return POLICY_NET_BLOCK;
	return policy_net_mode(net_policy, (u8)(bdf >> 8), (bdf >> 3) & 31, bdf & 7, NULL);
}

static void net_record(u16 bdf, struct net_port *p, u16 vendor, u16 device)
{
	if (nnics >= NET_NICS_MAX) {
		nics_lost++;
		return;
	}
	nics[nnics].bdf = bdf;
	nics[nnics].port = p;
	nics[nnics].vendor = vendor;
	nics[nnics].device = device;
	nnics++;
}

int net_port_open(struct net_port *p, u16 bdf, const char *model)
{
	memset(p, 0, sizeof(*p));
	p->bdf = bdf;
	p->model = model;
	p->mode = net_mode_of(bdf);
	if (p->mode == POLICY_NET_ENCRYPT && !net_key_of(bdf)) {
		pr_err("net: %s %02x:%02x.%x: mode encrypt, but no CAK/CKN was unsealed for it\n",
		       model, bdf >> 8, (bdf >> 3) & 31, bdf & 7);
		return -ENOSYS;
	}
	if (nnics >= NET_NICS_MAX)
		return -E2BIG;
	net_record(bdf, p, 0, 0);
	pr_info("net: %s %02x:%02x.%x: mode %s%s\n", model, bdf >> 8, (bdf >> 3) & 31, bdf & 7,
		net_mode_name(p->mode),
		p->mode == POLICY_NET_PASS ? " (frames pass unprotected)" : "");
	return 0;
}

int net_port_secure(struct net_port *p, const u8 mac[6])
{
	const u8 *key = net_key_of(p->bdf);
	const struct policy_net_rule *r;
	u64 now;
	u32 i;
	int ret;

	if (p->mode != POLICY_NET_ENCRYPT)
		return 0;
	r = net_rule_of(p->bdf, &i);
	if (!key || !r || !p->ops || !p->ops->xmit || !p->ops->poll)
		return -ENOSYS;
	now = arch_time_ms();
	ret = net_secy_start(p, r, key, mac, now);
	if (ret) {
		pr_err("net: %s %02x:%02x.%x: MACsec port not started (%d); not intercepted\n",
		       p->model, p->bdf >> 8, (p->bdf >> 3) & 31, p->bdf & 7, ret);
		return ret;
	}
	pr_info("net: %s %02x:%02x.%x: MACsec (%s, MKA hello %u ms) on "
		"%02x:%02x:%02x:%02x:%02x:%02x, SCI port 1; only peer "
		"%02x:%02x:%02x:%02x:%02x:%02x\n", p->model, p->bdf >> 8,
		(p->bdf >> 3) & 31, p->bdf & 7, net_cipher_name(r->cipher), 2000, mac[0], mac[1],
		mac[2], mac[3], mac[4], mac[5], r->peer_mac[0], r->peer_mac[1], r->peer_mac[2],
		r->peer_mac[3], r->peer_mac[4], r->peer_mac[5]);
	__atomic_store_n(&net_last_poll, now ? now : 1, __ATOMIC_RELAXED);	/* net_poll() on */
	return 0;
}

void net_port_tick(struct net_port *p, u64 now_ms)
{
	if (p->mode == POLICY_NET_ENCRYPT && p->secy && p->secy->tick)
		p->secy->tick(p->secy_priv, now_ms);
}

void net_poll(void)
{
	u64 now, last = __atomic_load_n(&net_last_poll, __ATOMIC_RELAXED);
	u32 i;

	if (!last)
		return;		/* no secured port */
	now = arch_time_ms();
	if (now - last < NET_POLL_MS ||
	    !__atomic_compare_exchange_n(&net_last_poll, &last, now, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	for (i = 0; i < nnics; i++) {
		struct net_port *p = nics[i].port;

		if (p && p->mode == POLICY_NET_ENCRYPT && p->secy && p->ops && p->ops->poll)
			p->ops->poll(p->drv, now);
	}
}

bool net_wants_tick(void)
{
	u32 i;

	for (i = 0; i < nnics; i++)
		if (nics[i].port && nics[i].port->mode == POLICY_NET_ENCRYPT)
			return true;
	return false;
}

void net_uncovered(u16 bdf, u16 vendor, u16 device)
{
	net_record(bdf, NULL, vendor, device);
}

/* A rule naming a function that holds no NIC enforces nothing: say so (a typo?). */
static void net_warn_unmatched(void)
{
	u32 i, j;

	for (i = 0; net_policy && i < net_policy->n_net; i++) {
		const struct policy_net_rule *r = &net_policy->net[i];
		u16 bdf = (u16)(r->bus << 8 | r->dev << 3 | r->fn);

		if (r->nic == POLICY_NIC_DEFAULT)
			continue;
		for (j = 0; j < nnics && nics[j].bdf != bdf; j++)
			;
		if (j == nnics)
			pr_warn("net: policy record %u names %02x:%02x.%x, which is no NIC\n",
				r->origin, r->bus, r->dev, r->fn);
	}
}

int net_check_coverage(void)
{
	int ret = nics_lost ? -EPERM : 0;
	u32 i;

	if (nics_lost)
		pr_err("net: %u NICs beyond the %u the VMM tracks; not launching\n", nics_lost,
		       NET_NICS_MAX);
	for (i = 0; i < nnics; i++) {
		u16 b = nics[i].bdf;
		u8 mode = net_mode_of(b);

		if (nics[i].port)
			continue;
		if (mode == POLICY_NET_PASS) {
			pr_warn("net: NIC %02x:%02x.%x (%04x:%04x) is not intercepted; mode "
				"pass: its traffic is unprotected\n", b >> 8, (b >> 3) & 31,
				b & 7, nics[i].vendor, nics[i].device);
			continue;
		}
		pr_err("net: NIC %02x:%02x.%x (%04x:%04x) is to be %s, but no intercept "
		       "serves it; not launching\n", b >> 8, (b >> 3) & 31, b & 7,
		       nics[i].vendor, nics[i].device,
		       mode == POLICY_NET_ENCRYPT ? "encrypted" : "blocked");
		ret = -EPERM;
	}
	net_warn_unmatched();
	if (!ret && nnics)
		pr_info("net: every NIC is served by an intercept or explicitly passed\n");
	return ret;
}

bool net_link_allowed(const struct net_port *p)
{
	return p->mode == POLICY_NET_PASS || (p->mode == POLICY_NET_ENCRYPT && p->secy);
}

static int net_copy(const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	if (len > cap)
		return -E2BIG;
	memcpy(out, in, len);
	*out_len = len;
	return 0;
}

int net_tx(struct net_port *p, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	int ret = -EPERM;

	if (p->mode == POLICY_NET_PASS)
		ret = net_copy(in, len, out, cap, out_len);
	else if (p->mode == POLICY_NET_ENCRYPT && p->secy)
		ret = p->secy->protect(p->secy_priv, in, len, out, cap, out_len);
	if (ret) {
		p->stats.tx_dropped++;
		return ret;
	}
	p->stats.tx_frames++;
	p->stats.tx_bytes += *out_len;
	return 0;
}

int net_rx(struct net_port *p, const u8 *in, u32 len, u8 *out, u32 cap, u32 *out_len)
{
	int ret = -EPERM;

	if (p->mode == POLICY_NET_PASS)
		ret = net_copy(in, len, out, cap, out_len);
	else if (p->mode == POLICY_NET_ENCRYPT && p->secy)
		ret = p->secy->validate(p->secy_priv, in, len, out, cap, out_len);
	if (ret) {
		p->stats.rx_dropped++;
		return ret;
	}
	p->stats.rx_frames++;
	p->stats.rx_bytes += *out_len;
	return 0;
}

int net_port_xmit(struct net_port *p, const u8 *frame, u32 len)
{
	int ret = -EPERM;

	if (p->mode == POLICY_NET_ENCRYPT && p->secy && p->ops && p->ops->xmit)
		ret = p->ops->xmit(p->drv, frame, len);
	if (ret)
		p->stats.tx_dropped++;
	else
		p->stats.tx_frames++;
	return ret;
}
