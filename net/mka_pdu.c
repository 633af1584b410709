// SPDX-License-Identifier: GPL-2.0-only
/* MKPDU encode/parse (IEEE 802.1X-2010 11.11), see net/mka_pdu.h. */
#include <net/mka_pdu.h>
#include <net/mka.h>
#include <net/bytes.h>
#include <mamori/errno.h>
#include <mamori/string.h>

static const u8 pae_group[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };

#define ETH_HLEN	14
#define EAPOL_HLEN	4
#define PS_HLEN		4
#define BASIC_FIXED	28	/* SCI, MI, MN, agility */
#define SAK_USE_LEN	40
#define ALIGN4(x)	(((x) + 3) & ~(size_t)3)

static size_t ps_len(const u8 *h)
{
	return (size_t)(h[2] & 0x0f) << 8 | h[3];
}

static int parse_basic(const u8 *ps, size_t body, struct mka_pdu *p)
{
	if (ps[0] < 1 || body < BASIC_FIXED + 1 || body > BASIC_FIXED + MKA_CKN_MAX)
		return -EBADMSG;
	p->version = ps[0];
	p->priority = ps[1];
	p->key_server = ps[2] & 0x80;
	p->macsec_desired = ps[2] & 0x40;
	p->capability = (ps[2] >> 4) & 3;
	p->sci = net_get64(ps + 4);
	memcpy(p->mi, ps + 12, 12);
	p->mn = net_get32(ps + 24);
	if (net_get32(ps + 28) != MKA_ALGO_AGILITY)
		return -EBADMSG;
	p->ckn_len = body - BASIC_FIXED;
	memcpy(p->ckn, ps + 32, p->ckn_len);
	return 0;
}

static int parse_peers(const u8 *ps, size_t body, struct mka_pdu_peer *out, int *n)
{
	size_t i;

	if (body % 16 || body / 16 > MKA_PDU_PEERS_MAX || *n)
		return -EBADMSG;
	for (i = 0; i < body / 16; i++) {
		memcpy(out[i].mi, ps + PS_HLEN + 16 * i, 12);
		out[i].mn = net_get32(ps + PS_HLEN + 16 * i + 12);
	}
	*n = (int)(body / 16);
	return 0;
}

static int parse_sak_use(const u8 *ps, size_t body, struct mka_sak_use *u)
{
	const u8 *b = ps + PS_HLEN;

	if (u->present || (body && body < SAK_USE_LEN))
		return -EBADMSG;
	u->present = true;
	u->empty = body == 0;
	if (u->empty)
		return 0;
	u->lan = ps[1] >> 6;
	u->ltx = ps[1] & 0x20;
	u->lrx = ps[1] & 0x10;
	u->oan = (ps[1] >> 2) & 3;
	u->otx = ps[1] & 0x02;
	u->orx = ps[1] & 0x01;
	u->ptx = ps[2] & 0x80;
	u->prx = ps[2] & 0x40;
	u->delay_protect = ps[2] & 0x10;
	memcpy(u->lki, b, 16);
	u->llpn = net_get32(b + 16);
	memcpy(u->oki, b + 20, 16);
	u->olpn = net_get32(b + 36);
	return 0;
}

static int parse_dist_sak(const u8 *ps, size_t body, struct mka_dist_sak *d)
{
	const u8 *b = ps + PS_HLEN;
	size_t wl;

	if (d->present)
		return -EBADMSG;
	d->present = true;
	d->empty = body == 0;
	if (d->empty)
		return 0;
	d->an = ps[1] >> 6;
	d->conf_offset = (ps[1] >> 4) & 3;
	if (body == 28) {
		d->cipher_suite = MKA_CS_GCM_AES_128;
		wl = 24;
		b += 4;
	} else if (body >= 36) {
		d->cipher_suite = net_get64(b + 4);
		wl = body - 12;
		b += 12;
	} else {
		return -EBADMSG;
	}
	if (wl > sizeof(d->wrapped) || wl < 24 || wl % 8)
		return -EBADMSG;
	d->kn = net_get32(ps + PS_HLEN);
	memcpy(d->wrapped, b, wl);
	d->wrapped_len = wl;
	return 0;
}

static int parse_set(const u8 *ps, size_t body, struct mka_pdu *p)
{
	switch (ps[0]) {
	case MKA_PS_LIVE:
		return parse_peers(ps, body, p->live, &p->n_live);
	case MKA_PS_POTENTIAL:
		return parse_peers(ps, body, p->potential, &p->n_potential);
	case MKA_PS_SAK_USE:
		return parse_sak_use(ps, body, &p->use);
	case MKA_PS_DIST_SAK:
		return parse_dist_sak(ps, body, &p->dist);
	default:
		return 0;	/* announcements, CAK distribution...: not used, skipped */
	}
}

int mka_pdu_parse(const u8 *frame, size_t len, struct mka_pdu *p)
{
	size_t body_len, end, pos, body;

	memset(p, 0, sizeof(*p));
	if (len < ETH_HLEN + EAPOL_HLEN || memcmp(frame, pae_group, 6) ||
	    net_get16(frame + 12) != MKA_ETHERTYPE || frame[15] != MKA_EAPOL_TYPE ||
	    frame[14] < 2)
		return -EBADMSG;
	memcpy(p->src, frame + 6, 6);
	body_len = net_get16(frame + 16);
	end = ETH_HLEN + EAPOL_HLEN + body_len;
	if (body_len < 32 || body_len % 4 || end > len)
		return -EBADMSG;
	p->icv_at = end - MKA_ICV_LEN;

	pos = ETH_HLEN + EAPOL_HLEN;
	body = ps_len(frame + pos);
	if (pos + PS_HLEN + ALIGN4(body) > p->icv_at || parse_basic(frame + pos, body, p))
		return -EBADMSG;
	pos += PS_HLEN + ALIGN4(body);
	while (pos < p->icv_at) {
		if (pos + PS_HLEN > p->icv_at)
			return -EBADMSG;
		if (frame[pos] == MKA_PS_ICV_INDICATOR) {
			/* Only the default 16-byte ICV right after it is accepted. */
			if (pos + PS_HLEN != p->icv_at || ps_len(frame + pos) != MKA_ICV_LEN)
				return -EBADMSG;
			p->icv_at = pos + PS_HLEN;
			break;
		}
		body = ps_len(frame + pos);
		if (pos + PS_HLEN + ALIGN4(body) > p->icv_at || parse_set(frame + pos, body, p))
			return -EBADMSG;
		pos += PS_HLEN + ALIGN4(body);
	}
	return 0;
}

struct cursor {
	u8 *buf;
	size_t pos, cap;
	bool over;
};

static u8 *put(struct cursor *c, size_t n)
{
	u8 *p;

	if (c->over || c->pos + n > c->cap) {
		c->over = true;
		return NULL;
	}
	p = c->buf + c->pos;
	memset(p, 0, n);
	c->pos += n;
	return p;
}

static u8 *put_set(struct cursor *c, u8 type, size_t body)
{
	u8 *h = put(c, PS_HLEN + ALIGN4(body));

	if (h) {
		h[0] = type;
		h[2] = (u8)(body >> 8 & 0x0f);
		h[3] = (u8)body;
	}
	return h;
}

static void build_basic(struct cursor *c, const struct mka_pdu *p)
{
	u8 *h = put_set(c, 0, BASIC_FIXED + p->ckn_len);

	if (!h)
		return;
	h[0] = MKA_VERSION;
	h[1] = p->priority;
	h[2] |= (p->key_server ? 0x80 : 0) | (p->macsec_desired ? 0x40 : 0) |
		(p->capability & 3) << 4;
	net_put64(h + 4, p->sci);
	memcpy(h + 12, p->mi, 12);
	net_put32(h + 24, p->mn);
	net_put32(h + 28, MKA_ALGO_AGILITY);
	memcpy(h + 32, p->ckn, p->ckn_len);
}

static void build_peers(struct cursor *c, u8 type, const struct mka_pdu_peer *l, int n)
{
	u8 *h;
	int i;

	if (!n)
		return;
	h = put_set(c, type, 16 * (size_t)n);
	for (i = 0; h && i < n; i++) {
		memcpy(h + PS_HLEN + 16 * i, l[i].mi, 12);
		net_put32(h + PS_HLEN + 16 * i + 12, l[i].mn);
	}
}

static void build_sak_use(struct cursor *c, const struct mka_sak_use *u)
{
	u8 *h;

	if (!u->present)
		return;
	h = put_set(c, MKA_PS_SAK_USE, u->empty ? 0 : SAK_USE_LEN);
	if (!h || u->empty)
		return;
	h[1] = (u8)(u->lan << 6 | (u->ltx ? 0x20 : 0) | (u->lrx ? 0x10 : 0) | u->oan << 2 |
		    (u->otx ? 0x02 : 0) | (u->orx ? 0x01 : 0));
	h[2] |= (u->ptx ? 0x80 : 0) | (u->prx ? 0x40 : 0) | (u->delay_protect ? 0x10 : 0);
	memcpy(h + 4, u->lki, 16);
	net_put32(h + 20, u->llpn);
	memcpy(h + 24, u->oki, 16);
	net_put32(h + 40, u->olpn);
}

static void build_dist_sak(struct cursor *c, const struct mka_dist_sak *d)
{
	bool dflt = d->cipher_suite == MKA_CS_GCM_AES_128;
	size_t body = 4 + (dflt ? 0 : 8) + d->wrapped_len;
	u8 *h;

	if (!d->present)
		return;
	h = put_set(c, MKA_PS_DIST_SAK, body);
	if (!h)
		return;
	h[1] = (u8)(d->an << 6 | (d->conf_offset & 3) << 4);
	net_put32(h + 4, d->kn);
	if (!dflt)
		net_put64(h + 8, d->cipher_suite);
	memcpy(h + 8 + (dflt ? 0 : 8), d->wrapped, d->wrapped_len);
}

int mka_pdu_build(const struct mka_pdu *p, const u8 *ick, size_t ick_len, u8 *buf, size_t cap)
{
	struct cursor c = { .buf = buf, .cap = cap };
	u8 *h = put(&c, ETH_HLEN + EAPOL_HLEN), *icv;

	if (!h || p->ckn_len < 1 || p->ckn_len > MKA_CKN_MAX ||
	    p->n_live > MKA_PDU_PEERS_MAX || p->n_potential > MKA_PDU_PEERS_MAX)
		return -EINVAL;
	memcpy(h, pae_group, 6);
	memcpy(h + 6, p->src, 6);
	net_put16(h + 12, MKA_ETHERTYPE);
	h[14] = MKA_EAPOL_VERSION;
	h[15] = MKA_EAPOL_TYPE;
	build_basic(&c, p);
	build_peers(&c, MKA_PS_LIVE, p->live, p->n_live);
	build_peers(&c, MKA_PS_POTENTIAL, p->potential, p->n_potential);
	build_sak_use(&c, &p->use);
	build_dist_sak(&c, &p->dist);
	icv = put(&c, MKA_ICV_LEN);
	if (c.over)
		return -ENOSPC;
	net_put16(buf + 16, (u16)(c.pos - ETH_HLEN - EAPOL_HLEN));
	if (mka_icv(ick, ick_len, buf, c.pos - MKA_ICV_LEN, icv))
		return -EIO;
	return (int)c.pos;
}
