// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/ahci.h>
#include <drivers/ata_cmds.h>
#include <drivers/pci.h>
#include <asm/spinlock.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

#define AHCI_CAP_S64A		BIT(31)
#define AHCI_CAP_NP		0x1f
#define AHCI_CT_SIZE		(AHCI_CT_PRDT + AHCI_CHUNKS * sizeof(struct ahci_prd))
#define AHCI_CL_SIZE		(AHCI_SLOTS * sizeof(struct ahci_cmd_hdr))
#define AHCI_SHADOW_PAGES	(1 + AHCI_SLOTS * AHCI_CT_SIZE / PAGE_SIZE)
#define AHCI_HDR_KEEP		0xf7bfu	/* CFL, A, P, R, B, C, PMP: W is ours */
#define AHCI_CHUNK_SECT		(AHCI_CHUNK_SIZE / DISK_SECTOR)
#define AHCI_PRD_BATCH		16
#define AHCI_STOP_POLL		1000000u
#define AHCI_CI_POLL		1000u	/* PxCI reads after a final FIS, at most */

_Static_assert(AHCI_CT_SIZE % 128 == 0, "command tables must stay 128-byte aligned");
_Static_assert(AHCI_SLOTS * AHCI_CT_SIZE % PAGE_SIZE == 0, "shadow tables fill whole pages");
_Static_assert(AHCI_CHUNKS <= 32, "the chunk map is one u32");

/* Per slot: the command as parsed at PxCI write, and its bounce chunks. */
struct ahci_slot {
	struct ahci_cmd cmd;
	u64 ctba;			/* the guest's command table */
	u32 hdr_dw0;
	u32 bytes;
	u16 prdtl;
	u8 nchunks;
	bool crypt;
	u8 chunk[AHCI_CHUNKS];
};

struct ahci_port {
	struct ahci_hba *hba;
	u32 no;
	const struct disk *disk;
	u64 gclb;			/* the guest's PxCLBU:PxCLB */
	u32 pending;			/* issued by the guest, not yet to the device */
	u32 inflight;			/* at the device, completion not yet seen */
	u32 ncq;			/* in-flight slots that are queued commands */
	u32 gsact;			/* the guest's view of PxSACT */
	u32 drain_chunks;		/* chunks of dropped slots, freed once CR is 0 */
	u32 seen_is;			/* PxIS bits the guest has been shown */
	struct ahci_cmd_hdr *cl;	/* shadow command list */
	u8 *ct;				/* shadow command tables */
	struct ahci_slot slot[AHCI_SLOTS];
};

struct ahci_hba {
	spinlock_t lock;
	struct vm *vm;
	u16 bdf;
	u64 abar;
	u64 trap_gpa, trap_size;
	const struct ahci_hw_ops *hw;
	void *hw_priv;
	u32 pi;
	bool s64a;
	u8 *bounce;
	u32 free_chunks;
	u32 nlog;
	struct ahci_port *port[AHCI_MAX_PORTS];
};

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
	if (!(cfis[1] & FIS_H2D_C)) {
		c->name = "device control";
		if (hdr_dw0 >> AHCI_HDR_PRDTL_SHIFT)
			return refuse(c, "device control FIS with data");
		return 0;
	}
	rc = ata_cmd_lookup(&rq, &ci);
	c->name = ci.name;
	if (encrypted && pmp && pmp != ATA_PMP_CTRL)
		return refuse(c, "port multiplier on a port with encrypted ranges");
	if (!!(hdr_dw0 & AHCI_HDR_A) != (c->op == ATA_CMD_PACKET))
		return refuse(c, "ATAPI bit and command disagree");
	if (rc)
		return refuse(c, ci.why);
	return classify_data(cfis, hdr_dw0, sig, encrypted, &ci, c);
}

/* ---- registers ---- */

static u32 hw_rd(struct ahci_hba *h, u32 off)
{
	return h->hw->read(h->hw_priv, off);
}

static void hw_wr(struct ahci_hba *h, u32 off, u32 val)
{
	h->hw->write(h->hw_priv, off, val);
}

static u32 px(const struct ahci_port *pt, u32 reg)
{
	return AHCI_PORT_BASE + pt->no * AHCI_PORT_SIZE + reg;
}

static u32 mmio_read(void *priv, u32 off)
{
	struct ahci_hba *h = priv;

	return *(volatile u32 *)phys_to_virt(h->abar + off);
}

static void mmio_write(void *priv, u32 off, u32 val)
{
	struct ahci_hba *h = priv;

	*(volatile u32 *)phys_to_virt(h->abar + off) = val;
}

static const struct ahci_hw_ops ahci_mmio_ops = { mmio_read, mmio_write };

/* An access the intercept does not model: done as the guest asked. */
static void raw_access(u64 pa, u32 size, bool write, u64 *val)
{
	volatile void *p = phys_to_virt(pa);

	if (write) {
		if (size == 1)
			*(volatile u8 *)p = *val;
		else if (size == 2)
			*(volatile u16 *)p = *val;
		else if (size == 4)
			*(volatile u32 *)p = *val;
		else
			*(volatile u64 *)p = *val;
		return;
	}
	*val = size == 1 ? *(volatile u8 *)p : size == 2 ? *(volatile u16 *)p :
	       size == 4 ? *(volatile u32 *)p : *(volatile u64 *)p;
}

static void log_refusal(struct ahci_port *pt, const struct ahci_cmd *c)
{
	struct ahci_hba *h = pt->hba;

	if (log_ratelimit(&h->nlog))
		pr_warn("ahci %02x:%02x.%x port %u: refused command 0x%02x (%s) from guest (%s)\n",
			PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), pt->no, c->op,
			c->name, c->why);
}

static void log_guest(struct ahci_hba *h, u32 off, const char *what)
{
	if (log_ratelimit(&h->nlog))
		pr_warn("ahci %02x:%02x.%x: refused guest write at ABAR+0x%x (%s)\n",
			PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), off, what);
}

/* ---- bounce chunks ---- */

/* hweight32 - set bits of @v (no libgcc in the VMM for __builtin_popcount). */
static u32 hweight32(u32 v)
{
	u32 n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static u8 *chunk_ptr(struct ahci_hba *h, u8 idx)
{
	return h->bounce + (u64)idx * AHCI_CHUNK_SIZE;
}

static bool chunks_get(struct ahci_hba *h, struct ahci_slot *sl)
{
	u32 need = (sl->bytes + AHCI_CHUNK_SIZE - 1) / AHCI_CHUNK_SIZE, i;

	if (hweight32(h->free_chunks) < need)
		return false;
	for (i = 0; i < need; i++) {
		sl->chunk[i] = __builtin_ctz(h->free_chunks);
		h->free_chunks &= ~(u32)BIT(sl->chunk[i]);
	}
	sl->nchunks = need;
	return true;
}

static u32 chunks_mask(const struct ahci_slot *sl)
{
	u32 m = 0, i;

	for (i = 0; i < sl->nchunks; i++)
		m |= BIT(sl->chunk[i]);
	return m;
}

static void chunks_put(struct ahci_hba *h, struct ahci_slot *sl)
{
	h->free_chunks |= chunks_mask(sl);
	sl->nchunks = 0;
}

/* ---- guest PRD walks ---- */

enum prd_op { PRD_CHECK, PRD_GATHER, PRD_SCATTER };

static bool in_vmm(u64 gpa, u64 len)
{
	u64 base, size;

	mm_region(&base, &size);
	return gpa < base + size && gpa + len > base;
}

/* Copy @len bytes between guest @gpa and the bounce stream of @sl at @pos. */
static int bounce_xfer(struct ahci_hba *h, struct ahci_slot *sl, u32 pos, u64 gpa, u32 len,
		       bool to_guest)
{
	while (len) {
		u32 off = pos % AHCI_CHUNK_SIZE, n = MIN(len, AHCI_CHUNK_SIZE - off);
		u8 *b = chunk_ptr(h, sl->chunk[pos / AHCI_CHUNK_SIZE]) + off;
		int ret = to_guest ? guest_phys_write(h->vm, gpa, b, n) :
				     guest_phys_read(h->vm, gpa, b, n);

		if (ret)
			return ret;
		pos += n, gpa += n, len -= n;
	}
	return 0;
}

/*
 * prd_walk - walk the guest's PRD table of @sl: PRD_CHECK sums the byte
 * counts into *@sum and refuses PRDs into VMM memory; GATHER/SCATTER copy the
 * first @sl->bytes between the guest buffers and the bounce chunks.
 */
static int prd_walk(struct ahci_port *pt, struct ahci_slot *sl, enum prd_op op, u64 *sum)
{
	struct ahci_prd prd[AHCI_PRD_BATCH];
	u32 i = 0, pos = 0;
	u64 total = 0;
	int ret;

	while (i < sl->prdtl && (op == PRD_CHECK || pos < sl->bytes)) {
		u32 k, n = MIN(sl->prdtl - i, AHCI_PRD_BATCH);

		ret = guest_phys_read(pt->hba->vm, sl->ctba + AHCI_CT_PRDT + i * sizeof(prd[0]),
				      prd, n * sizeof(prd[0]));
		if (ret)
			return ret;
		for (k = 0; k < n && (op == PRD_CHECK || pos < sl->bytes); k++) {
			u64 gpa = prd[k].dba | (u64)prd[k].dbau << 32;
			u32 len = (prd[k].dbc & AHCI_PRD_DBC) + 1;

			if (in_vmm(gpa, len))
				return -EFAULT;
			total += len;
			if (op == PRD_CHECK)
				continue;
			len = MIN(len, sl->bytes - pos);
			ret = bounce_xfer(pt->hba, sl, pos, gpa, len, op == PRD_SCATTER);
			if (ret)
				return ret;
			pos += len;
		}
		i += n;
	}
	if (sum)
		*sum = total;
	return op == PRD_CHECK || pos == sl->bytes ? 0 : -EINVAL;
}

static int bounce_crypt(struct ahci_port *pt, struct ahci_slot *sl, bool encrypt)
{
	u32 i;
	int ret;

	for (i = 0; i < sl->nchunks; i++) {
		u32 n = MIN((u32)AHCI_CHUNK_SIZE, sl->bytes - i * AHCI_CHUNK_SIZE) / DISK_SECTOR;

		ret = disk_crypt(pt->disk, sl->cmd.lba + (u64)i * AHCI_CHUNK_SECT,
				 chunk_ptr(pt->hba, sl->chunk[i]), n, encrypt);
		if (ret)
			return ret;
	}
	return 0;
}

/* TRIM ranges (8 bytes: LBA 47:0, count 63:48) must stay out of encrypted ranges. */
static bool dsm_touches(struct ahci_port *pt, struct ahci_slot *sl)
{
	u32 pos;

	for (pos = 0; pos + 8 <= sl->bytes; pos += 8) {
		const u8 *b = chunk_ptr(pt->hba, sl->chunk[pos / AHCI_CHUNK_SIZE]) +
			      pos % AHCI_CHUNK_SIZE;
		u64 e;

		memcpy(&e, b, sizeof(e));
		if ((e >> 48) && disk_touches(pt->disk, e & (BIT(48) - 1), e >> 48))
			return true;
	}
	return false;
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
	u64 sum = 0;

	if (sl->prdtl > AHCI_GUEST_PRD_MAX)
		return "PRD count over the limit";
	if (!!(c->flags & AHCI_CMD_NCQ) != !!(pt->gsact & bit))
		return "PxSACT and command disagree";
	if (!(c->flags & (AHCI_CMD_IN | AHCI_CMD_OUT)))
		return NULL;
	if (prd_walk(pt, sl, PRD_CHECK, &sum))
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
		return NULL;
	}
	if (sum > AHCI_CMD_MAX_BYTES)
		return "larger than the bounce pool";
	sl->bytes = sum;
	return NULL;
}

/* Parse slot @s at the guest's PxCI write: header, CFIS (into the shadow), checks. */
static void slot_parse(struct ahci_port *pt, u32 s)
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
	if (!ahci_classify(ct + AHCI_CT_CFIS, hdr.dw0, hw_rd(h, px(pt, PX_SIG)), !!pt->disk,
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
		ret = prd_walk(pt, sl, PRD_GATHER, NULL);
		if (ret)
			return ret;
		if (sl->crypt && bounce_crypt(pt, sl, true))
			return -EIO;
		if ((sl->cmd.flags & AHCI_CMD_DSM) && dsm_touches(pt, sl))
			return -EPERM;
	} else if (!(sl->cmd.flags & AHCI_CMD_SECTORS)) {
		for (i = 0; i < sl->nchunks; i++)	/* the device may send less */
			memset(chunk_ptr(pt->hba, sl->chunk[i]), 0, AHCI_CHUNK_SIZE);
	}
	for (i = 0; i < sl->nchunks; i++) {
		u64 pa = virt_to_phys(chunk_ptr(pt->hba, sl->chunk[i]));
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
 * port_kick - send pending slots to the device in slot order while bounce
 * chunks last. A refusal holds everything back until the device is idle,
 * then goes as a NOP (the HBA halts on its abort until the guest recovers).
 */
static void port_kick(struct ahci_port *pt)
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
		if (!chunks_get(h, sl))
			return;
		ret = slot_issue(pt, s);
		if (ret) {
			chunks_put(h, sl);
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
		if (sl->crypt && bounce_crypt(pt, sl, false))
			ret = -EIO;
		else
			ret = prd_walk(pt, sl, PRD_SCATTER, NULL);
	}
	if (ret && log_ratelimit(&h->nlog))
		pr_err("ahci %02x:%02x.%x port %u: slot %u read data not delivered (%d)\n",
		       PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf), pt->no, s, ret);
	guest_phys_write(h->vm, pt->gclb + s * sizeof(struct ahci_cmd_hdr) + 4, &prdbc,
			 sizeof(prdbc));
	chunks_put(h, sl);
	pt->inflight &= ~(u32)BIT(s);
	pt->ncq &= ~(u32)BIT(s);
	pt->gsact &= ~(u32)BIT(s);
}

/* Finish every slot the device completed; return the device's PxCI. */
static u32 port_complete(struct ahci_port *pt)
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
		port_kick(pt);
	return ci;
}

/* The port stopped (ST cleared, HBA reset): the device dropped every slot. */
static void port_drop(struct ahci_port *pt, bool now)
{
	u32 m = pt->pending | pt->inflight, s;

	for (s = 0; s < AHCI_SLOTS; s++) {
		if (!(m & BIT(s)))
			continue;
		pt->drain_chunks |= chunks_mask(&pt->slot[s]);
		pt->slot[s].nchunks = 0;
	}
	pt->pending = pt->inflight = pt->ncq = pt->gsact = 0;
	if (now) {
		pt->hba->free_chunks |= pt->drain_chunks;
		pt->drain_chunks = 0;
	}
}

/* ---- the intercept ---- */

static bool fb_ok(struct ahci_port *pt, u32 len)
{
	struct ahci_hba *h = pt->hba;
	u64 fb = hw_rd(h, px(pt, PX_FB)) | (u64)hw_rd(h, px(pt, PX_FBU)) << 32;
	u8 probe[64];
	u32 off;

	if (in_vmm(fb, len))
		return false;
	for (off = 0; off < len; off += sizeof(probe))
		if (guest_phys_read(h->vm, fb + off, probe, sizeof(probe)))
			return false;
	return true;
}

static void shadow_clb(struct ahci_port *pt)
{
	u64 pa = virt_to_phys(pt->cl);

	hw_wr(pt->hba, px(pt, PX_CLB), (u32)pa);
	hw_wr(pt->hba, px(pt, PX_CLBU), pa >> 32);
}

/*
 * port_wait_ci - a new D2H or PIO Setup FIS interrupt: the non-queued slot
 * it ends may still be in PxCI for a moment (the HBA sets the two apart), and
 * a guest like OVMF takes the interrupt bit alone as completion. Wait briefly.
 */
static void port_wait_ci(struct ahci_port *pt)
{
	u32 busy = pt->inflight & ~pt->ncq, i;

	for (i = 0; busy && i < AHCI_CI_POLL; i++)
		if ((hw_rd(pt->hba, px(pt, PX_CI)) & busy) != busy)
			return;
}

static u32 port_read(struct ahci_port *pt, u32 reg)
{
	struct ahci_hba *h = pt->hba;
	u32 v, ci;

	switch (reg) {
	case PX_CLB:
		return (u32)pt->gclb;
	case PX_CLBU:
		return pt->gclb >> 32;
	case PX_IS:
		v = hw_rd(h, px(pt, PX_IS));
		if (v & ~pt->seen_is & (PX_IS_DHRS | PX_IS_PSS))
			port_wait_ci(pt);
		pt->seen_is = v;
		port_complete(pt);
		return v;
	case PX_CI:
		ci = port_complete(pt);
		return pt->pending | (pt->inflight & ~pt->ncq) | (pt->inflight & pt->ncq & ci);
	case PX_SACT:
		port_complete(pt);
		return pt->gsact;
	}
	return hw_rd(h, px(pt, reg));
}

static void port_write_cmd(struct ahci_port *pt, u32 v)
{
	struct ahci_hba *h = pt->hba;
	u32 old = hw_rd(h, px(pt, PX_CMD));

	if ((v & PX_CMD_FRE) && !(old & PX_CMD_FRE) && !fb_ok(pt, AHCI_RX_FIS_SIZE)) {
		log_guest(h, px(pt, PX_CMD), "received-FIS area unreadable or in VMM memory");
		v &= ~(u32)PX_CMD_FRE;
	}
	if ((v & PX_CMD_ST) && !(old & PX_CMD_ST))
		shadow_clb(pt);
	if (!(v & PX_CMD_ST) && (old & PX_CMD_ST))
		port_complete(pt);
	hw_wr(h, px(pt, PX_CMD), v);
	if (!(v & PX_CMD_ST) && (old & PX_CMD_ST))
		port_drop(pt, false);
}

static int port_write(struct ahci_port *pt, u32 reg, u32 v)
{
	struct ahci_hba *h = pt->hba;
	u32 cmd = hw_rd(h, px(pt, PX_CMD));

	switch (reg) {
	case PX_CLB:
	case PX_CLBU:
		if (cmd & (PX_CMD_ST | PX_CMD_CR)) {
			log_guest(h, px(pt, reg), "PxCLB rewrite while the port runs");
			return -EBUSY;
		}
		if (reg == PX_CLB)
			pt->gclb = (pt->gclb & ~0xffffffffULL) | (v & ~0x3ffu);
		else
			pt->gclb = (pt->gclb & 0xffffffffULL) | (u64)v << 32;
		shadow_clb(pt);
		return 0;
	case PX_FB:
	case PX_FBU:
		if (cmd & (PX_CMD_FRE | PX_CMD_FR)) {
			log_guest(h, px(pt, reg), "PxFB rewrite while FIS receive runs");
			return -EBUSY;
		}
		break;
	case PX_IS:
		pt->seen_is &= ~v;
		break;
	case PX_FBS:
		if ((v & ~hw_rd(h, px(pt, PX_FBS)) & PX_FBS_EN) && !fb_ok(pt, PAGE_SIZE)) {
			log_guest(h, px(pt, reg), "FIS-based switching, bad received-FIS area");
			return -EFAULT;
		}
		break;
	case PX_CMD:
		port_write_cmd(pt, v);
		return 0;
	case PX_SACT:
		pt->gsact |= v & ~(pt->pending | pt->inflight);
		return 0;
	case PX_CI:
		v &= ~(pt->pending | pt->inflight);
		if (!(cmd & PX_CMD_ST))
			return 0;
		while (v) {
			u32 s = __builtin_ctz(v);

			v &= ~(u32)BIT(s);
			slot_parse(pt, s);
		}
		port_kick(pt);
		return 0;
	}
	hw_wr(h, px(pt, reg), v);
	return 0;
}

static void hba_complete_all(struct ahci_hba *h)
{
	u32 p;

	for (p = 0; p < AHCI_MAX_PORTS; p++)
		if (h->port[p])
			port_complete(h->port[p]);
}

static u32 reg_read(struct ahci_hba *h, u32 off)
{
	struct ahci_port *pt;
	u32 v;

	if (off < AHCI_PORT_BASE) {
		v = hw_rd(h, off);
		if (off == AHCI_IS)
			hba_complete_all(h);
		return v;
	}
	pt = h->port[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE];
	return pt ? port_read(pt, off % AHCI_PORT_SIZE) : hw_rd(h, off);
}

static int reg_write(struct ahci_hba *h, u32 off, u32 v)
{
	struct ahci_port *pt;
	u32 p;

	if (off >= AHCI_PORT_BASE) {
		pt = h->port[(off - AHCI_PORT_BASE) / AHCI_PORT_SIZE];
		if (pt)
			return port_write(pt, off % AHCI_PORT_SIZE, v);
		hw_wr(h, off, v);
		return 0;
	}
	hw_wr(h, off, v);
	if (off == AHCI_GHC && (v & AHCI_GHC_HR))
		for (p = 0; p < AHCI_MAX_PORTS; p++)
			if (h->port[p])
				port_drop(h->port[p], true);
	return 0;
}

/* Sub-dword and unmodelled accesses: reads are composed, writes must not hit our registers. */
static bool reg_virtual(u32 off)
{
	u32 r = off % AHCI_PORT_SIZE & ~3u;

	if (off < AHCI_PORT_BASE)
		return (off & ~3u) == AHCI_GHC;
	return r < PX_IS || r == PX_CMD || r == PX_SACT || r == PX_CI || r == PX_FBS;
}

static int ahci_access(struct ahci_hba *h, u64 gpa, u32 size, bool write, u64 *val)
{
	u32 off = gpa - h->abar, sh;

	if (size == 4 && !(off & 3))
		return write ? reg_write(h, off, *val) : (*val = reg_read(h, off), 0);
	if (size == 8 && !(off & 7)) {
		u64 lo = (u32)*val, hi = *val >> 32;
		int ret;

		if (!write) {
			*val = reg_read(h, off) | (u64)reg_read(h, off + 4) << 32;
			return 0;
		}
		ret = reg_write(h, off, lo);
		return ret ? ret : reg_write(h, off + 4, hi);
	}
	if ((off & 3) + size > 4)
		return -EINVAL;		/* straddles two registers */
	if (!write) {
		sh = (off & 3) * 8;
		*val = (reg_read(h, off & ~3u) >> sh) & (size == 4 ? ~0u : (1u << size * 8) - 1);
		return 0;
	}
	if (reg_virtual(off)) {
		log_guest(h, off, "partial write of a shadowed register");
		return -EPERM;
	}
	raw_access(gpa, size, write, val);
	return 0;
}

static int ahci_mmio(struct vm *vm, void *priv, u64 gpa, u32 size, bool write, u64 *val)
{
	struct ahci_hba *h = priv;
	int ret;

	spin_lock(&h->lock);
	if (gpa < h->abar || gpa + size > h->abar + AHCI_ABAR_MAX) {
		raw_access(gpa, size, write, val);
		ret = 0;
	} else {
		ret = ahci_access(h, gpa, size, write, val);
	}
	spin_unlock(&h->lock);
	return ret;
}

/* ---- attach ---- */

static u32 pages_for(u64 bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

static bool dma_ok(struct ahci_hba *h, const void *p, u64 len)
{
	return h->s64a || virt_to_phys(p) + len <= BIT(32);
}

/* Stop a port the firmware left running, so its command list can be swapped. */
static int port_quiesce(struct ahci_port *pt, u32 *cmd)
{
	struct ahci_hba *h = pt->hba;
	u32 i;

	*cmd = hw_rd(h, px(pt, PX_CMD));
	if (!(*cmd & (PX_CMD_ST | PX_CMD_CR)))
		return 0;
	hw_wr(h, px(pt, PX_CMD), *cmd & ~(u32)PX_CMD_ST);
	for (i = 0; i < AHCI_STOP_POLL; i++)
		if (!(hw_rd(h, px(pt, PX_CMD)) & PX_CMD_CR))
			return 0;
	return -EBUSY;
}

static int port_attach(struct ahci_hba *h, u32 no)
{
	struct ahci_port *pt = page_alloc(pages_for(sizeof(*pt)));
	u8 *shadow = page_alloc(AHCI_SHADOW_PAGES);
	u32 cmd;
	int ret;

	if (!pt || !shadow)
		return -ENOMEM;
	if (!dma_ok(h, shadow, AHCI_SHADOW_PAGES * PAGE_SIZE))
		return -ENOMEM;
	pt->hba = h;
	pt->no = no;
	pt->cl = (struct ahci_cmd_hdr *)shadow;
	pt->ct = shadow + PAGE_SIZE;
	pt->disk = disk_claim(BOOT_DISK_AHCI, PCI_BUS(h->bdf), PCI_DEV(h->bdf), PCI_FN(h->bdf),
			      no, 0, "ahci");
	ret = port_quiesce(pt, &cmd);
	if (ret)
		return ret;
	pt->gclb = hw_rd(h, px(pt, PX_CLB)) | (u64)hw_rd(h, px(pt, PX_CLBU)) << 32;
	shadow_clb(pt);
	if (cmd & PX_CMD_ST)
		hw_wr(h, px(pt, PX_CMD), cmd);
	h->port[no] = pt;
	return 0;
}

/* First mapping of the HBA: its implemented ports, shadowed. */
static int hba_ports(struct ahci_hba *h)
{
	u32 cap = hw_rd(h, AHCI_CAP), p;
	int ret;

	h->pi = hw_rd(h, AHCI_PI);
	if (!h->pi)
		h->pi = (u32)(BIT((cap & AHCI_CAP_NP) + 1) - 1);
	h->s64a = cap & AHCI_CAP_S64A;
	if (!dma_ok(h, h->bounce, AHCI_BOUNCE_SIZE))
		return -ENOMEM;
	for (p = 0; p < AHCI_MAX_PORTS; p++) {
		if (!(h->pi & BIT(p)))
			continue;
		ret = port_attach(h, p);
		if (ret)
			return ret;
	}
	return 0;
}

/* Trap the ABAR pages up to the last implemented port (no lock held: EPT shootdown). */
static int hba_trap(struct ahci_hba *h)
{
	u32 last = 32 - __builtin_clz(h->pi);

	h->trap_gpa = ALIGN_DOWN(h->abar, PAGE_SIZE);
	h->trap_size = ALIGN_UP(h->abar + AHCI_PORT_BASE + last * AHCI_PORT_SIZE, PAGE_SIZE) -
		       h->trap_gpa;
	return vm_register_mmio(h->vm, h->trap_gpa, h->trap_size,
				MMIO_TRAP_READ | MMIO_TRAP_WRITE, "ahci", ahci_mmio, h);
}

/* Map the HBA at @abar: ports on first use, then the trap. */
static int hba_map(struct ahci_hba *h, u64 abar)
{
	int ret = 0;

	spin_lock(&h->lock);
	h->abar = abar;
	if (!h->pi)
		ret = hba_ports(h);
	spin_unlock(&h->lock);
	return ret ? ret : hba_trap(h);
}

int ahci_hba_attach(struct vm *vm, u16 bdf, u64 abar, const struct ahci_hw_ops *hw,
		    void *hw_priv, struct ahci_hba **out)
{
	struct ahci_hba *h = page_alloc(pages_for(sizeof(*h)));

	if (!h)
		return -ENOMEM;
	h->bounce = page_alloc(AHCI_BOUNCE_SIZE / PAGE_SIZE);
	if (!h->bounce)
		return -ENOMEM;
	h->lock = (spinlock_t)SPINLOCK_INIT;
	h->vm = vm;
	h->bdf = bdf;
	h->hw = hw;
	h->hw_priv = hw_priv ? hw_priv : h;
	h->free_chunks = (u32)(BIT(AHCI_CHUNKS) - 1);
	if (out)
		*out = h;
	return abar ? hba_map(h, abar) : 0;
}

/* The guest wrote config space: follow a BAR5 move with the trap. */
static void ahci_bar_moved(void *priv, u16 bdf, u16 off)
{
	struct ahci_hba *h = priv;
	u64 abar = pci_bar(bdf, 5), old_trap;
	int ret = 0;

	if (off != PCI_BAR5 || abar == h->abar)
		return;
	spin_lock(&h->lock);
	old_trap = h->abar ? h->trap_gpa : 0;
	h->abar = abar;
	spin_unlock(&h->lock);
	if (old_trap)
		vm_unregister_mmio(h->vm, old_trap);
	if (abar)
		ret = hba_map(h, abar);
	if (ret)
		pr_err("ahci %02x:%02x.%x: ABAR moved to 0x%llx, not intercepted (%d)\n",
		       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), (unsigned long long)abar, ret);
}

int ahci_init(struct vm *vm)
{
	struct pci_dev pd;
	struct ahci_hba *h = NULL;
	u32 i;
	int ret;

	for (i = 0; !pci_find(PCI_CLASS_SATA, 1, i, &pd); i++) {
		ret = i < AHCI_MAX_HBA ? 0 : -E2BIG;
		if (!ret)
			ret = ahci_hba_attach(vm, pd.bdf, pci_bar(pd.bdf, 5), &ahci_mmio_ops,
					      NULL, &h);
		if (!ret)
			ret = pci_watch(pd.bdf, ahci_bar_moved, h);
		if (!ret && h->abar)
			ret = pci_lock_bars(pd.bdf, "ahci");
		if (ret) {
			pr_err("ahci %02x:%02x.%x: not intercepted (%d)\n", PCI_BUS(pd.bdf),
			       PCI_DEV(pd.bdf), PCI_FN(pd.bdf), ret);
			return ret;
		}
		pr_info("ahci %02x:%02x.%x: intercepted, %u ports, %u KiB bounce\n",
			PCI_BUS(pd.bdf), PCI_DEV(pd.bdf), PCI_FN(pd.bdf),
			hweight32(h->pi), AHCI_BOUNCE_SIZE / 1024);
	}
	return 0;
}
