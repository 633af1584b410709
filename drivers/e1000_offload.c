// SPDX-License-Identifier: GPL-2.0-only
/* e1000: the transmit offloads done in software (checksums, VLAN insertion, TCP segmentation). */
#include "e1000_priv.h"
#include <mamori/string.h>

/* Internet checksum of frame[@start..@end] (inclusive; 0: to the end) stored at @off. */
static const char *csum_insert(u8 *p, u32 len, u32 start, u32 end, u32 off)
{
	u32 sum = 0, i;

	if (!end || end >= len)
		end = len - 1;
	if (start > end || start >= len || off + 2 > len)
		return "checksum offsets outside the frame";
	for (i = start; i + 1 <= end; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (i == end)
		sum += (u32)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[off] = (u8)(~sum >> 8);
	p[off + 1] = (u8)~sum;
	return NULL;
}

const char *e1000_tx_offload(struct e1000_nic *n, struct e1000_tx_frame *f)
{
	const struct e1000_tx_ctx *c = &n->ctx;
	const char *why = NULL;
	u16 vet;

	if (f->legacy && (f->cmd & E1000_TXD_CMD_IC))
		why = csum_insert(n->frame, f->len, f->css, 0, f->cso);
	if (!f->legacy && (f->popts & (E1000_TXD_POPTS_IXSM | E1000_TXD_POPTS_TXSM)) && !c->valid)
		return "checksum offload without a context descriptor";
	if (!why && !f->legacy && (f->popts & E1000_TXD_POPTS_IXSM))
		why = csum_insert(n->frame, f->len, c->ipcss, c->ipcse, c->ipcso);
	if (!why && !f->legacy && (f->popts & E1000_TXD_POPTS_TXSM))
		why = csum_insert(n->frame, f->len, c->tucss, c->tucse, c->tucso);
	if (why || !(f->cmd & E1000_TXD_CMD_VLE))
		return why;
	if (f->len < 12 || f->len + 4 > sizeof(n->frame))
		return "VLAN insertion into a frame too short or too long";
	memmove(n->frame + 16, n->frame + 12, f->len - 12);
	vet = (u16)hw_rd(n, E1000_VET);
	n->frame[12] = vet >> 8;
	n->frame[13] = (u8)vet;
	n->frame[14] = f->special >> 8;
	n->frame[15] = (u8)f->special;
	f->len += 4;
	return NULL;
}

static u32 rd_be(const u8 *p, u32 n)
{
	u32 v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

static void wr_be(u8 *p, u32 v, u32 n)
{
	while (n--) {
		p[n] = (u8)v;
		v >>= 8;
	}
}

const char *e1000_tso_check(struct e1000_nic *n, const struct e1000_tx_frame *f, u32 *nseg)
{
	const struct e1000_tx_ctx *c = &n->ctx;

	*nseg = 0;
	if (!c->valid || !(c->tucmd & E1000_TXD_CMD_TSE))
		return "TCP segmentation without a TSE context descriptor";
	if (!(c->tucmd & E1000_TUCMD_TCP))
		return "UDP segmentation";
	if (!c->mss || c->hdrlen < c->tucss + 20u || c->tucss < c->ipcss + 20u ||
	    c->tucso + 2u > c->hdrlen || c->hdrlen + (u32)c->mss + 4 > sizeof(n->frame))
		return "TCP segmentation context out of range";
	if (f->len != c->hdrlen + c->paylen || !c->paylen)
		return "TCP segmentation payload length mismatch";
	*nseg = (c->paylen + c->mss - 1) / c->mss;
	return *nseg < E1000_SHADOW_DESCS ? NULL : "TCP segmentation into too many segments";
}

u32 e1000_tso_segment(struct e1000_nic *n, const struct e1000_tx_frame *f, u32 k, u32 nseg)
{
	const struct e1000_tx_ctx *c = &n->ctx;
	u32 off = k * c->mss, pay = MIN((u32)c->mss, c->paylen - off);
	u32 len = c->hdrlen + pay, sum;
	u8 *p = n->frame, *t = p + c->tucss;

	memcpy(p, n->tso, c->hdrlen);
	memcpy(p + c->hdrlen, n->tso + c->hdrlen + off, pay);
	if (c->tucmd & E1000_TUCMD_IP) {
		wr_be(p + c->ipcss + 2, len - c->ipcss, 2);
		wr_be(p + c->ipcss + 4, rd_be(p + c->ipcss + 4, 2) + k, 2);
	} else {
		wr_be(p + c->ipcss + 4, len - c->ipcss - 40, 2);
	}
	wr_be(t + 4, rd_be(t + 4, 4) + off, 4);
	if (k + 1 < nseg)
		t[13] &= ~0x09;		/* FIN and PSH only on the last segment */
	/* the guest seeded the pseudo-header sum without the length: add it */
	sum = rd_be(p + c->tucso, 2) + (len - c->tucss);
	sum = (sum & 0xffff) + (sum >> 16);
	wr_be(p + c->tucso, sum, 2);
	return len;
}
