// SPDX-License-Identifier: GPL-2.0-only
/* AHCI: the allowlist glue, issue of the guest's commands, their completion. */
#include "ahci_priv.h"
#include <drivers/ata_cmds.h>
#include <drivers/pci.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

/* ---- the allowlist: drivers/ata_cmds.c, and the checks of the transport ---- */

static int refuse(struct ahci_cmd *c, const char *why)
{
	c->why = why;
	return -EPERM;
}

/* The LBA and sector count of a read/write command; 0 or refusal. */
static int classify_sectors(const u8 *cfis, const struct ata_cmd_info *ci, bool enc,
			    struct ahci_cmd *c)
{
	u32 n;

	if (ci->lba48) {
		c->lba = cfis[4] | (u64)cfis[5] << 8 | (u64)cfis[6] << 16 |
			 (u64)cfis[8] << 24 | (u64)cfis[9] << 32 | (u64)cfis[10] << 40;
		n = ci->ncq ? cfis[3] | cfis[11] << 8 : cfis[12] | cfis[13] << 8;
		c->nsect = n ? n : 65536;
	} else {
		c->lba = cfis[4] | (u64)cfis[5] << 8 | (u64)cfis[6] << 16 |
			 (u64)(cfis[7] & 0xf) << 24;
		c->nsect = cfis[12] ? cfis[12] : 256;
	}
	if (cfis[7] & ATA_DEV_LBA) {
		c->flags |= AHCI_CMD_SECTORS;
		return 0;
	}
	if (enc || ci->ncq)
		return refuse(c, "CHS addressing");
	c->lba = c->nsect = 0;
	return 0;
}

/* Data direction and kind of an allowed command, from the allowlist's protocol. */
static int classify_data(const u8 *cfis, u32 dw0, u32 sig, bool enc,
			 const struct ata_cmd_info *ci, struct ahci_cmd *c)
{
	switch (ci->proto) {
	case ATA_PIO_IN:
	case ATA_DMA_IN:
		c->flags = AHCI_CMD_IN;
		break;
	case ATA_PIO_OUT:
	case ATA_DMA_OUT:
		c->flags = AHCI_CMD_OUT;
		break;
	case ATA_PACKET:
		if (sig != PX_SIG_ATAPI)
			return refuse(c, "PACKET to a non-ATAPI device");
		if (enc)
			return refuse(c, "PACKET on a port with encrypted ranges");
		c->flags = AHCI_CMD_PACKET | (dw0 & AHCI_HDR_W ? AHCI_CMD_OUT : AHCI_CMD_IN);
		return 0;
	}
	if (ci->ncq)
		c->flags |= AHCI_CMD_NCQ;
	if (ci->dsm && enc)
		c->flags |= AHCI_CMD_DSM;
	return ci->sectors ? classify_sectors(cfis, ci, enc, c) : 0;
}

int ahci_classify(const u8 *cfis, u32 hdr_dw0, u32 sig, bool encrypted, struct ahci_cmd *c)
{
	u8 pmp = cfis[1] & 0xf;
	struct ata_cmd_req rq = {
		.command = cfis[2], .feature = cfis[3], .lbam = cfis[5], .lbah = cfis[6],
		.encrypted = encrypted, .pm_ctrl = pmp == ATA_PMP_CTRL,
	};
	struct ata_cmd_info ci;
	int rc;

	memset(c, 0, sizeof(*c));
	c->op = cfis[2];
	c->name = "unknown";
	if (cfis[0] != FIS_TYPE_H2D) {
		c->name = "non-H2D FIS";
		return refuse(c, "only H2D register FISes are sent");
	}
	if (hdr_dw0 & AHCI_HDR_B)
		return refuse(c, "BIST bit in the command header");
	if (!(cfis[1] & FIS_H2D_C)) {
		c->name = "device control";
		if (hdr_dw0 >> AHCI_HDR_PRDTL_SHIFT)
			return refuse(c, "device control FIS with data");
		return 0;
	}
	rc = ata_cmd_lookup(&rq, &ci);
	c->name = ci.name;
	if (hdr_dw0 & (AHCI_HDR_R | AHCI_HDR_C))
		return refuse(c, "reset or clear-busy bit on a command FIS");
	if (encrypted && pmp && pmp != ATA_PMP_CTRL)
		return refuse(c, "port multiplier on a port with encrypted ranges");
	if (!!(hdr_dw0 & AHCI_HDR_A) != (c->op == ATA_CMD_PACKET))
		return refuse(c, "ATAPI bit and command disagree");
	if (rc)
		return refuse(c, ci.why);
	return classify_data(cfis, hdr_dw0, sig, encrypted, &ci, c);
}

static void log_refusal(struct ahci_port *pt, const struct ahci_cmd *c)
{
	struct ahci_hba *h = pt->hba;

	if (log_ratelimit(&h->nlog))
		pr_warn("ahci %02x:%02x.%x port %u: refused command 0x%02x (%s) from guest (%s)\n",
			PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), pt->no, c->op,
			c->name, c->why);
}

/* ---- issue ---- */

static struct ahci_cmd_hdr *shadow_hdr(struct ahci_port *pt, u32 s)
{
	return &pt->cl[s];
}

static u8 *shadow_ct(struct ahci_port *pt, u32 s)
{
	return pt->ct + s * AHCI_CT_SIZE;
}

/* Size, PRD and queueing checks of a command the allowlist accepted. */
static const char *slot_check(struct ahci_port *pt, struct ahci_slot *sl, u32 bit)
{
	struct ahci_cmd *c = &sl->cmd;
	const char *why = NULL;
	u64 sum = 0;

	if (sl->prdtl > AHCI_GUEST_PRD_MAX)
		return "PRD count over the limit";
	if (!!(c->flags & AHCI_CMD_NCQ) != !!(pt->gsact & bit))
		return "PxSACT and command disagree";
	/* queued commands would be decided before an earlier one's re-resolution (review-3 F13) */
	if ((c->flags & AHCI_CMD_NCQ) && filecheck_active(pt->fc))
		return "queued command on a port with file rules";
	if (!(c->flags & (AHCI_CMD_IN | AHCI_CMD_OUT)))
		return NULL;
	if (ahci_prd_walk(pt, sl, AHCI_PRD_CHECK, &sum))
		return "PRD table unreadable or pointing into VMM memory";
	if (c->flags & AHCI_CMD_SECTORS) {
		if ((u64)c->nsect * DISK_SECTOR > AHCI_CMD_MAX_BYTES)
			return "larger than the bounce pool";
		if (c->lba + c->nsect > BIT(48))
			return "LBA beyond 48 bits";
		if (sum != (u64)c->nsect * DISK_SECTOR)
			return "PRD byte count differs from the sector count";
		sl->bytes = c->nsect * DISK_SECTOR;
		sl->crypt = pt->disk && disk_touches(pt->disk, c->lba, c->nsect);
		if (filecheck_active(pt->fc) &&
		    filecheck_io(pt->fc, c->lba, c->nsect, c->flags & AHCI_CMD_OUT, &why))
			return why;
		return NULL;
	}
	if (sum > AHCI_CMD_MAX_BYTES)
		return "larger than the bounce pool";
	sl->bytes = sum;
	return NULL;
}

/* Parse slot @s at the guest's PxCI write: header, CFIS (into the shadow), checks. */
void ahci_slot_parse(struct ahci_port *pt, u32 s)
{
	struct ahci_hba *h = pt->hba;
	struct ahci_slot *sl = &pt->slot[s];
	struct ahci_cmd_hdr hdr;
	u8 *ct = shadow_ct(pt, s);

	memset(sl, 0, sizeof(*sl));
	sl->cmd.name = "unreadable";
	if (guest_phys_read(h->vm, pt->gclb + s * sizeof(hdr), &hdr, sizeof(hdr))) {
		sl->cmd.why = "command list unreadable";
		goto out;
	}
	sl->hdr_dw0 = hdr.dw0;
	sl->prdtl = hdr.dw0 >> AHCI_HDR_PRDTL_SHIFT;
	sl->ctba = (hdr.ctba | (u64)hdr.ctbau << 32) & ~0x7fULL;
	if (guest_phys_read(h->vm, sl->ctba, ct, AHCI_CT_PRDT)) {
		sl->cmd.why = "command table unreadable";
		goto out;
	}
	if (!ahci_classify(ct + AHCI_CT_CFIS, hdr.dw0, hw_rd(h, px(pt, PX_SIG)),
			   pt->disk || filecheck_active(pt->fc),
			   &sl->cmd))
		sl->cmd.why = slot_check(pt, sl, BIT(s));
out:
	if (sl->cmd.why)
		log_refusal(pt, &sl->cmd);
	pt->pending |= BIT(s);
}

static void slot_to_device(struct ahci_port *pt, u32 s, u32 dw0, u32 nprd)
{
	struct ahci_cmd_hdr *hdr = shadow_hdr(pt, s);
	u64 ct = virt_to_phys(shadow_ct(pt, s));

	hdr->prdbc = 0;
	hdr->ctba = (u32)ct;
	hdr->ctbau = ct >> 32;
	hdr->dw0 = dw0 | nprd << AHCI_HDR_PRDTL_SHIFT;
	__asm__ volatile("" ::: "memory");
	pt->pending &= ~(u32)BIT(s);
	pt->inflight |= BIT(s);
	if (pt->slot[s].cmd.flags & AHCI_CMD_NCQ) {
		pt->ncq |= BIT(s);
		hw_wr(pt->hba, px(pt, PX_SACT), BIT(s));
	}
	hw_wr(pt->hba, px(pt, PX_CI), BIT(s));
}

/* A refused command becomes a NOP, which the device itself aborts. */
static void slot_issue_nop(struct ahci_port *pt, u32 s)
{
	struct ahci_slot *sl = &pt->slot[s];
	u8 *cfis = shadow_ct(pt, s) + AHCI_CT_CFIS;

	sl->cmd.flags = 0;
	sl->bytes = 0;
	memset(cfis, 0, AHCI_CT_PRDT);
	cfis[0] = FIS_TYPE_H2D;
	cfis[1] = FIS_H2D_C | (sl->hdr_dw0 >> 12 & 0xf);
	cfis[2] = ATA_CMD_NOP;
	slot_to_device(pt, s, 5 | (sl->hdr_dw0 & 0xf000), 0);
}

/* Fill the bounce and the shadow of an accepted command and start it. */
static int slot_issue(struct ahci_port *pt, u32 s)
{
	struct ahci_slot *sl = &pt->slot[s];
	struct ahci_prd *prd = (struct ahci_prd *)(shadow_ct(pt, s) + AHCI_CT_PRDT);
	u32 i, dw0 = sl->hdr_dw0 & AHCI_HDR_KEEP & ~AHCI_HDR_W;
	int ret;

	if (sl->cmd.flags & AHCI_CMD_OUT) {
		dw0 |= AHCI_HDR_W;
		ret = ahci_prd_walk(pt, sl, AHCI_PRD_GATHER, NULL);
		if (ret)
			return ret;
		if (sl->crypt && ahci_bounce_crypt(pt, sl, true))
			return -EIO;
		if ((sl->cmd.flags & AHCI_CMD_DSM) && ahci_dsm_touches(pt, sl))
			return -EPERM;
	} else {
		for (i = 0; i < sl->nchunks; i++)	/* the device may send less */
			memset(ahci_chunk_ptr(pt->hba, sl->chunk[i]), 0, AHCI_CHUNK_SIZE);
	}
	for (i = 0; i < sl->nchunks; i++) {
		u64 pa = virt_to_phys(ahci_chunk_ptr(pt->hba, sl->chunk[i]));
		u32 len = MIN((u32)AHCI_CHUNK_SIZE, sl->bytes - i * AHCI_CHUNK_SIZE);

		prd[i].dba = (u32)pa;
		prd[i].dbau = pa >> 32;
		prd[i].rsvd = 0;
		prd[i].dbc = len - 1;
	}
	slot_to_device(pt, s, dw0, sl->nchunks);
	return 0;
}

static const char *issue_error(int err)
{
	return err == -EPERM ? "TRIM of an encrypted range" :
	       err == -EIO ? "encryption unavailable" :
	       "PRD table unreadable or pointing into VMM memory";
}

static u32 port_refused(const struct ahci_port *pt)
{
	u32 m = 0, s;

	for (s = 0; s < AHCI_SLOTS; s++)
		if ((pt->pending & BIT(s)) && pt->slot[s].cmd.why)
			m |= BIT(s);
	return m;
}

/*
 * ahci_port_kick - send pending slots to the device in slot order while bounce
 * chunks last. A refusal holds everything back until the device is idle,
 * then goes as a NOP (the HBA halts on its abort until the guest recovers).
 */
void ahci_port_kick(struct ahci_port *pt)
{
	struct ahci_hba *h = pt->hba;
	u32 cmd = hw_rd(h, px(pt, PX_CMD));

	if (pt->drain_chunks && !(cmd & PX_CMD_CR)) {
		h->free_chunks |= pt->drain_chunks;
		pt->drain_chunks = 0;
	}
	if (!(cmd & PX_CMD_ST))
		return;
	while (pt->pending) {
		u32 refused = port_refused(pt), s = __builtin_ctz(pt->pending);
		struct ahci_slot *sl = &pt->slot[s];
		int ret;

		if (refused) {
			if (!pt->inflight)
				slot_issue_nop(pt, __builtin_ctz(refused));
			return;
		}
		if (!ahci_chunks_get(h, sl))
			return;
		ret = slot_issue(pt, s);
		if (ret) {
			ahci_chunks_put(h, sl);
			sl->cmd.why = issue_error(ret);
			log_refusal(pt, &sl->cmd);
		}
	}
}

/* ---- completion ---- */

static void slot_complete(struct ahci_port *pt, u32 s)
{
	struct ahci_hba *h = pt->hba;
	struct ahci_slot *sl = &pt->slot[s];
	u32 prdbc = shadow_hdr(pt, s)->prdbc;
	int ret = 0;

	if ((sl->cmd.flags & AHCI_CMD_IN) && sl->bytes) {
		if (sl->crypt && ahci_bounce_crypt(pt, sl, false))
			ret = -EIO;
		else
			ret = ahci_prd_walk(pt, sl, AHCI_PRD_SCATTER, NULL);
	}
	if (ret && log_ratelimit(&h->nlog))
		pr_err("ahci %02x:%02x.%x port %u: slot %u read data not delivered (%d)\n",
		       PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), pt->no, s, ret);
	guest_phys_write(h->vm, pt->gclb + s * sizeof(struct ahci_cmd_hdr) + 4, &prdbc,
			 sizeof(prdbc));
	ahci_chunks_put(h, sl);
	pt->inflight &= ~(u32)BIT(s);
	pt->ncq &= ~(u32)BIT(s);
	pt->gsact &= ~(u32)BIT(s);
}

/* Finish every slot the device completed; return the device's PxCI. */
u32 ahci_port_complete(struct ahci_port *pt)
{
	struct ahci_hba *h = pt->hba;
	u32 ci = hw_rd(h, px(pt, PX_CI)), done = pt->inflight & ~ci;

	if (pt->ncq)
		done &= ~(hw_rd(h, px(pt, PX_SACT)) & pt->ncq);
	while (done) {
		u32 s = __builtin_ctz(done);

		done &= ~(u32)BIT(s);
		slot_complete(pt, s);
	}
	if (pt->pending)
		ahci_port_kick(pt);
	return ci;
}

/* The port stopped (ST cleared, HBA reset): the device dropped every slot. */
void ahci_port_drop(struct ahci_port *pt, bool now)
{
	u32 m = pt->pending | pt->inflight, s;

	for (s = 0; s < AHCI_SLOTS; s++) {
		if (!(m & BIT(s)))
			continue;
		pt->drain_chunks |= ahci_chunks_mask(&pt->slot[s]);
		pt->slot[s].nchunks = 0;
	}
	pt->pending = pt->inflight = pt->ncq = pt->gsact = 0;
	if (now) {
		pt->hba->free_chunks |= pt->drain_chunks;
		pt->drain_chunks = 0;
	}
}
