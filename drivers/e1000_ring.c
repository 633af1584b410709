// SPDX-License-Identifier: GPL-2.0-only
/* e1000: the guest's descriptor rings emulated over shadow rings. */
#include "e1000_priv.h"
#include <mamori/errno.h>
#include <mamori/guest_mem.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/policy.h>
#include <mamori/string.h>

#define N_SHADOW	E1000_SHADOW_DESCS

/* Descriptor fields, little-endian (the VMM is x86). */
static u16 rd16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u32 rd32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 rd64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void wr16(u8 *p, u16 v)
{
	memcpy(p, &v, sizeof(v));
}

static void wr64(u8 *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

static u32 ndesc(const struct e1000_gring *r)
{
	return r->len / E1000_DESC_SIZE;
}

/* ---- shadow rings ---- */

void e1000_shadow_program(struct e1000_nic *n)
{
	u64 tx = virt_to_phys(n->stx), rx = virt_to_phys(n->srx);
	u32 i;

	memset(n->stx, 0, N_SHADOW * E1000_DESC_SIZE);
	memset(n->srx, 0, N_SHADOW * E1000_DESC_SIZE);
	for (i = 0; i < N_SHADOW; i++)
		wr64(n->srx + i * E1000_DESC_SIZE, virt_to_phys(n->srx_buf + i * E1000_BUF_SIZE));
	hw_wr(n, E1000_TDBAL, (u32)tx);
	hw_wr(n, E1000_TDBAH, tx >> 32);
	hw_wr(n, E1000_TDLEN, N_SHADOW * E1000_DESC_SIZE);
	hw_wr(n, E1000_TDH, 0);
	hw_wr(n, E1000_TDT, 0);
	hw_wr(n, E1000_RDBAL, (u32)rx);
	hw_wr(n, E1000_RDBAH, rx >> 32);
	hw_wr(n, E1000_RDLEN, N_SHADOW * E1000_DESC_SIZE);
	hw_wr(n, E1000_RDH, 0);
	hw_wr(n, E1000_RDT, N_SHADOW - 1);
	n->stx_tail = n->stx_clean = n->srx_next = 0;
}

void e1000_ring_reset(struct e1000_nic *n)
{
	memset(&n->gtx, 0, sizeof(n->gtx));
	memset(&n->grx, 0, sizeof(n->grx));
	memset(&n->ctx, 0, sizeof(n->ctx));
	n->g_rctl = n->g_tctl = n->g_rxcsum = 0;
	n->g_vme = false;
	e1000_shadow_program(n);
}

/* Whether the guest ring can be walked: programmed, in range, never over the VMM. */
static bool gring_usable(struct e1000_nic *n, const struct e1000_gring *r)
{
	if (!r->len || r->head >= ndesc(r) || r->tail >= ndesc(r))
		return false;
	if (vm_range_hits_vmm(n->vm, r->base, r->len)) {
		e1000_log(n, "descriptor ring in VMM memory", r->base);
		return false;
	}
	return true;
}

/* ---- transmit ---- */


static void tx_load_ctx(struct e1000_nic *n, const u8 *d, struct e1000_tx_frame *f)
{
	n->ctx.ipcss = d[0];
	n->ctx.ipcso = d[1];
	n->ctx.ipcse = rd16(d + 2);
	n->ctx.tucss = d[4];
	n->ctx.tucso = d[5];
	n->ctx.tucse = rd16(d + 6);
	n->ctx.paylen = rd32(d + 8) & 0xfffff;
	n->ctx.tucmd = d[E1000_TXD_CMD];
	n->ctx.hdrlen = d[13];
	n->ctx.mss = rd16(d + 14);
	n->ctx.valid = true;
	f->ctx_only = true;
}

/* One data or legacy descriptor's buffer appended to the frame. */
static void tx_append(struct e1000_nic *n, const u8 *d, struct e1000_tx_frame *f)
{
	bool dext = d[E1000_TXD_CMD] & E1000_TXD_CMD_DEXT;
	u32 len = dext ? rd32(d + E1000_TXD_LEN) & 0xfffff : rd16(d + E1000_TXD_LEN);
	u64 addr = rd64(d);

	if (!f->ndesc) {
		f->legacy = !dext;
		f->tse = dext && (d[E1000_TXD_CMD] & E1000_TXD_CMD_TSE);
		f->buf = f->tse ? n->tso : n->frame;
		f->cap = f->tse ? E1000_TSO_MAX : sizeof(n->frame);
		f->cso = d[E1000_TXD_CSO];
		f->css = d[E1000_TXD_CSS];	/* data descriptors: POPTS */
		f->popts = dext ? d[E1000_TXD_CSS] : 0;
	}
	f->cmd |= d[E1000_TXD_CMD];
	f->special = rd16(d + E1000_TXD_SPECIAL);
	if (f->why || !len)
		return;
	if (len > f->cap - f->len)
		f->why = "frame longer than the largest the VMM forwards";
	else if (vm_range_hits_vmm(n->vm, addr, len))
		f->why = "transmit buffer in VMM memory";
	else if (guest_phys_read(n->vm, addr, f->buf + f->len, len))
		f->why = "transmit buffer not readable";
	else
		f->len += len;
	if (f->why)
		e1000_log(n, f->why, addr);
}

/*
 * tx_gather - the next frame from the guest's ring head: 0 (f->eop is its
 * last descriptor; f->why set when it is to be refused), -EBUSY when its
 * end is not yet before the guest's tail, -EFAULT when a descriptor is
 * unreadable (the ring stalls; logged).
 */
static int tx_gather(struct e1000_nic *n, struct e1000_tx_frame *f)
{
	struct e1000_gring *r = &n->gtx;
	u32 i = r->head;
	u8 d[E1000_DESC_SIZE];

	memset(f, 0, sizeof(*f));
	while (i != r->tail) {
		bool dext;
		u8 dtyp;

		if (guest_phys_read(n->vm, r->base + (u64)i * E1000_DESC_SIZE, d, sizeof(d))) {
			e1000_log(n, "transmit descriptor not readable", r->base + i * 16ULL);
			return -EFAULT;
		}
		dext = d[E1000_TXD_CMD] & E1000_TXD_CMD_DEXT;
		dtyp = d[E1000_TXD_CSO] >> 4;
		if (dext && dtyp == E1000_TXD_DTYP_CTX && !f->ndesc) {
			tx_load_ctx(n, d, f);
			f->ndesc = 1;
			f->eop = i;
			return 0;
		}
		if (dext && dtyp != E1000_TXD_DTYP_DATA && !f->why)
			f->why = dtyp == E1000_TXD_DTYP_CTX ? "context descriptor inside a frame" :
				 "unknown transmit descriptor type";
		tx_append(n, d, f);
		f->ndesc++;
		if (d[E1000_TXD_CMD] & E1000_TXD_CMD_EOP) {
			f->eop = i;
			return 0;
		}
		i = (i + 1) % ndesc(r);
	}
	return -EBUSY;
}

/* Free shadow slots, after reaping those the device is done with. */
static u32 stx_free(struct e1000_nic *n)
{
	u8 *d;

	while (n->stx_clean != n->stx_tail) {
		d = n->stx + n->stx_clean * E1000_DESC_SIZE;
		if (!(d[E1000_TXD_STA] & E1000_TXD_STA_DD))
			break;
		d[E1000_TXD_STA] = 0;
		n->stx_clean = (n->stx_clean + 1) % N_SHADOW;
	}
	return (n->stx_clean + N_SHADOW - n->stx_tail - 1) % N_SHADOW;
}

/* @len bytes into the next shadow slot (the caller checked stx_free()), and to the device. */
static int stx_put(struct e1000_nic *n, const u8 *frame, u32 len)
{
	u8 *d = n->stx + n->stx_tail * E1000_DESC_SIZE;
	u8 *buf = n->stx_buf + n->stx_tail * E1000_BUF_SIZE;

	if (len > E1000_BUF_SIZE)
		return -E2BIG;
	memcpy(buf, frame, len);
	memset(d, 0, E1000_DESC_SIZE);
	wr64(d, virt_to_phys(buf));
	wr16(d + E1000_TXD_LEN, (u16)len);
	d[E1000_TXD_CMD] = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	n->stx_tail = (n->stx_tail + 1) % N_SHADOW;
	hw_wr(n, E1000_TDT, n->stx_tail);
	return 0;
}

/* One frame in n->frame, offloads done, through the NIC layer and, if it may leave, to the device. */
static void tx_send_one(struct e1000_nic *n, struct e1000_tx_frame *f)
{
	u32 len;

	if (!f->why)
		f->why = e1000_tx_offload(n, f);
	if (f->why) {
		n->refused_offload++;
		n->port->stats.tx_dropped++;
		e1000_log(n, f->why, f->len);
		return;
	}
	if (!net_tx(n->port, n->frame, f->len, n->wire, sizeof(n->wire), &len))
		stx_put(n, n->wire, len);
}

/* The driver's side of the NIC layer: a frame the VMM made (MKA), into a free shadow slot. */
static int e1000_xmit(void *drv, const u8 *frame, u32 len)
{
	struct e1000_nic *n = drv;

	return stx_free(n) ? stx_put(n, frame, len) : -EBUSY;
}

/* The periodic hook: MKA timers, then frames on both rings, as if the guest had looked. */
static void e1000_poll(void *drv, u64 now_ms)
{
	struct e1000_nic *n = drv;

	spin_lock(&n->lock);
	net_port_tick(n->port, now_ms);
	e1000_tx_pump(n);
	if (e1000_rx_harvest(n))
		hw_wr(n, E1000_ICS, E1000_ICR_RXT0);
	spin_unlock(&n->lock);
}

const struct net_port_ops e1000_port_ops = { e1000_xmit, e1000_poll };

/* A TSE frame: every segment through tx_send_one() (the shadow has room for all). */
static void tx_tso(struct e1000_nic *n, struct e1000_tx_frame *f, u32 nseg)
{
	struct e1000_tx_frame seg = *f;
	u32 k;

	seg.tse = false;
	if (!n->tso_seen) {
		n->tso_seen = true;
		pr_info("e1000 %02x:%02x.%x: first TCP segmentation frame (%u bytes) cut into %u "
			"segments in software\n", n->bdf >> 8, (n->bdf >> 3) & 31, n->bdf & 7,
			f->len, nseg);
	}
	for (k = 0; k < nseg; k++) {
		seg.len = e1000_tso_segment(n, f, k, nseg);
		seg.why = NULL;
		tx_send_one(n, &seg);
	}
}

/* The frame's descriptors done: DD where the guest asked (RS), head past them. */
static void tx_complete(struct e1000_nic *n, const struct e1000_tx_frame *f)
{
	struct e1000_gring *r = &n->gtx;
	u32 i = r->head, k;
	u8 cmd, sta = E1000_TXD_STA_DD;

	for (k = 0; k < f->ndesc; k++, i = (i + 1) % ndesc(r)) {
		u64 d = r->base + (u64)i * E1000_DESC_SIZE;

		if (!guest_phys_read(n->vm, d + E1000_TXD_CMD, &cmd, 1) &&
		    (cmd & E1000_TXD_CMD_RS))
			guest_phys_write(n->vm, d + E1000_TXD_STA, &sta, 1);
	}
	r->head = (f->eop + 1) % ndesc(r);
}

void e1000_tx_pump(struct e1000_nic *n)
{
	struct e1000_tx_frame f;
	u32 nseg;

	if (!(n->g_tctl & E1000_TCTL_EN) || !gring_usable(n, &n->gtx))
		return;
	while (n->gtx.head != n->gtx.tail && stx_free(n)) {
		if (tx_gather(n, &f))
			return;
		if (f.tse && !f.why && e1000_tso_check(n, &f, &nseg)) {
			f.why = e1000_tso_check(n, &f, &nseg);
			f.tse = false;		/* refused like any other frame */
		}
		if (f.tse && !f.why && stx_free(n) < nseg)
			return;			/* all its segments at once, or wait */
		if (f.tse && !f.why)
			tx_tso(n, &f, nseg);
		else if (!f.ctx_only)
			tx_send_one(n, &f);
		tx_complete(n, &f);
	}
}

/* ---- receive ---- */

/* The guest's receive buffer size (RCTL.BSIZE, BSEX). */
static u32 rx_bufsize(u32 rctl)
{
	u32 sz = 2048u >> ((rctl & E1000_RCTL_BSIZE) >> 16);

	return rctl & E1000_RCTL_BSEX ? sz * 16 : sz;
}

static u32 crc32_le(const u8 *p, u32 len)
{
	u32 crc = ~0u, i;
	int b;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* The frame into the guest's next descriptor; a refused one is handed back empty with RXE. */
static int rx_deliver(struct e1000_nic *n, u32 len)
{
	struct e1000_gring *r = &n->grx;
	u64 da = r->base + (u64)r->head * E1000_DESC_SIZE;
	const char *why = NULL;
	u8 d[E1000_DESC_SIZE];
	u32 crc;
	u64 addr;

	if (guest_phys_read(n->vm, da, d, sizeof(d))) {
		e1000_log(n, "receive descriptor not readable", da);
		return -EFAULT;
	}
	addr = rd64(d);
	if (!(n->g_rctl & E1000_RCTL_SECRC) && len + 4 <= sizeof(n->wire)) {
		crc = crc32_le(n->wire, len);
		memcpy(n->wire + len, &crc, 4);
		len += 4;
	}
	if (len > rx_bufsize(n->g_rctl))
		why = "frame larger than the guest's receive buffer";
	else if (vm_range_hits_vmm(n->vm, addr, len))
		why = "receive buffer in VMM memory";
	else if (guest_phys_write(n->vm, addr, n->wire, len))
		why = "receive buffer not writable";
	if (why) {
		e1000_log(n, why, addr);
		n->refused_desc++;
		len = 0;
	}
	memset(d + 8, 0, 8);
	wr16(d + E1000_RXD_LEN, (u16)len);
	d[E1000_RXD_STA] = E1000_RXD_STA_DD | E1000_RXD_STA_EOP | E1000_RXD_STA_IXSM;
	d[E1000_RXD_ERR] = why ? E1000_RXD_ERR_RXE : 0;
	if (guest_phys_write(n->vm, da + 8, d + 8, 8))
		return -EFAULT;
	r->head = (r->head + 1) % ndesc(r);
	return why ? -EPERM : 0;
}

static void srx_recycle(struct e1000_nic *n)
{
	n->srx[n->srx_next * E1000_DESC_SIZE + E1000_RXD_STA] = 0;
	hw_wr(n, E1000_RDT, n->srx_next);
	n->srx_next = (n->srx_next + 1) % N_SHADOW;
}

/* An encrypt port's EAPOL-MKA frame: the VMM's, taken even when the guest has no room. */
static bool rx_for_vmm(struct e1000_nic *n, u32 len)
{
	const u8 *b = n->srx_buf + n->srx_next * E1000_BUF_SIZE;

	return n->port->mode == POLICY_NET_ENCRYPT && len >= 14 && b[12] == 0x88 && b[13] == 0x8e;
}

u32 e1000_rx_harvest(struct e1000_nic *n)
{
	u32 got = 0, len, wlen;
	u8 *d;

	for (;;) {
		d = n->srx + n->srx_next * E1000_DESC_SIZE;
		if (!(d[E1000_RXD_STA] & E1000_RXD_STA_DD))
			break;
		len = rd16(d + E1000_RXD_LEN);
		if (!(d[E1000_RXD_STA] & E1000_RXD_STA_EOP) || d[E1000_RXD_ERR] ||
		    len > E1000_BUF_SIZE) {
			n->port->stats.rx_dropped++;
			srx_recycle(n);
			continue;
		}
		if (!(n->g_rctl & E1000_RCTL_EN) || !gring_usable(n, &n->grx) ||
		    n->grx.head == n->grx.tail) {
			n->rx_no_guest_desc++;
			if (!rx_for_vmm(n, len))
				break;	/* waits in the shadow ring for guest descriptors */
			net_rx(n->port, n->srx_buf + n->srx_next * E1000_BUF_SIZE, len, n->wire,
			       sizeof(n->wire) - 4, &wlen);	/* MKA's: consumed */
			srx_recycle(n);
			continue;
		}
		if (!net_rx(n->port, n->srx_buf + n->srx_next * E1000_BUF_SIZE, len, n->wire,
			    sizeof(n->wire) - 4, &wlen)) {
			if (rx_deliver(n, wlen) == -EFAULT)
				break;
			got++;
		}
		srx_recycle(n);
	}
	return got;
}

/* ---- the ring registers ---- */

int e1000_ring_write(struct e1000_nic *n, u32 off, u32 val)
{
	bool tx = off >= E1000_TDBAL;
	struct e1000_gring *r = tx ? &n->gtx : &n->grx;
	bool en = tx ? n->g_tctl & E1000_TCTL_EN : n->g_rctl & E1000_RCTL_EN;
	u32 reg = off - (tx ? E1000_TDBAL : E1000_RDBAL);

	if (reg != E1000_TDT - E1000_TDBAL && en) {
		e1000_log(n, "ring base, length or head rewritten while the ring runs", off);
		return -EBUSY;
	}
	switch (reg) {
	case 0x00:
		r->base = (r->base & ~0xffffffffULL) | (val & ~0xfu);
		return 0;
	case 0x04:
		r->base = (r->base & 0xffffffffULL) | (u64)val << 32;
		return 0;
	case 0x08:
		r->len = val & (E1000_RING_MAX_BYTES - 128);
		r->head = r->tail = 0;
		return 0;
	case 0x10:
		if (val >= ndesc(r) && val) {
			e1000_log(n, "ring head beyond the ring", val);
			return -EINVAL;
		}
		r->head = val;
		return 0;
	case 0x18:
		if (val >= ndesc(r) && val) {
			e1000_log(n, "ring tail beyond the ring", val);
			return -EINVAL;
		}
		r->tail = val;
		if (tx)
			e1000_tx_pump(n);
		else if (e1000_rx_harvest(n))
			hw_wr(n, E1000_ICS, E1000_ICR_RXT0);	/* the guest polls on the interrupt */
		return 0;
	}
	e1000_log(n, "write to a reserved ring register", off);
	return -EPERM;
}

u32 e1000_ring_read(struct e1000_nic *n, u32 off)
{
	bool tx = off >= E1000_TDBAL;
	const struct e1000_gring *r = tx ? &n->gtx : &n->grx;

	switch (off - (tx ? E1000_TDBAL : E1000_RDBAL)) {
	case 0x00: return (u32)r->base;
	case 0x04: return r->base >> 32;
	case 0x08: return r->len;
	case 0x10: return r->head;
	case 0x18: return r->tail;
	}
	return 0;
}
