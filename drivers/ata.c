// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/ata.h>
#include <drivers/pci.h>
#include <drivers/prd.h>
#include <drivers/reg_merge.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/spinlock.h>
#include <asm/tsc.h>
#include <mamori/devices.h>
#include <mamori/disk.h>
#include <mamori/errno.h>
#include <mamori/filecheck.h>
#include <mamori/log.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

#define ATA_DATA	0
#define ATA_ERROR	1
#define ATA_DEVICE	6
#define ATA_COMMAND	7
#define ATA_CTL_NIEN	0x02
#define ATA_CTL_SRST	0x04
#define ATA_ST_ERR	0x01
#define ATA_ST_DRQ	0x08
#define ATA_DEV_UNIT	0x10
#define ATA_ST_BSY	0x80
#define ATA_ST_ABORTED	0x51		/* DRDY, DSC, ERR: what a timed-out command shows */
#define ATA_ER_ABRT	0x04

#define BM_CMD		0
#define BM_STATUS	2
#define BM_PRD		4
#define BM_START	0x01
#define BM_TO_MEMORY	0x08		/* device -> memory (a read) */
#define BM_ST_ACTIVE	0x01
#define BM_ST_ERR	0x02
#define BM_ST_IRQ	0x04

#define ATA_BOUNCE	(256 * 1024)	/* per channel; larger commands run in chunks */
#define ATA_CHUNK_SECT	(ATA_BOUNCE / DISK_SECTOR)
#define ATA_PRD_SPAN	0x10000		/* one PRD entry: 64 KiB, not crossing 64 KiB */
#define ATA_PRD_MAX	8192		/* a 64 KiB guest PRD table */
/*
 * A DMA chunk the device has not finished within ATA_DMA_TIMEOUT_MS (TSC,
 * calibrated at boot) fails: the vCPU waits with interrupts off and the
 * channel locked, far below Linux's 20 s soft-lockup limit. ATA_POLL_MAX
 * bounds the wait should the TSC not advance.
 */
#define ATA_DMA_TIMEOUT_MS	5000u
#define ATA_POLL_MAX		50000000u


/* ---- taskfile --------------------------------------------------------------- */

void ata_tf_write(struct ata_taskfile *tf, u32 reg, u8 val)
{
	u8 *r[] = { NULL, tf->feature, tf->count, tf->lbal, tf->lbam, tf->lbah };

	if (reg == ATA_DEVICE) {
		tf->dev = val;
		tf->valid |= ATA_TF_CUR(reg);
	} else if (reg >= 1 && reg <= 5) {
		r[reg][1] = r[reg][0];
		r[reg][0] = val;
		if (tf->valid & ATA_TF_CUR(reg))
			tf->valid |= ATA_TF_HOB(reg);
		tf->valid |= ATA_TF_CUR(reg);
	}
}

void ata_tf_reset(struct ata_taskfile *tf)
{
	*tf = (struct ata_taskfile){ .count = { 1, 1 }, .lbal = { 1, 1 } };
}

bool ata_tf_addr_valid(const struct ata_taskfile *tf, bool lba48)
{
	u16 need = ATA_TF_CUR(2) | ATA_TF_CUR(3) | ATA_TF_CUR(4) | ATA_TF_CUR(5) |
		   ATA_TF_CUR(ATA_DEVICE);

	if (lba48)
		need |= ATA_TF_HOB(2) | ATA_TF_HOB(3) | ATA_TF_HOB(4) | ATA_TF_HOB(5);
	return (tf->valid & need) == need;
}

void ata_tf_decode(const struct ata_taskfile *tf, bool lba48, u64 *lba, u32 *nsect)
{
	if (lba48) {
		*lba = (u64)tf->lbah[1] << 40 | (u64)tf->lbam[1] << 32 | (u64)tf->lbal[1] << 24 |
		       (u64)tf->lbah[0] << 16 | (u64)tf->lbam[0] << 8 | tf->lbal[0];
		*nsect = (u32)tf->count[1] << 8 | tf->count[0];
		if (!*nsect)
			*nsect = 65536;
	} else {
		*lba = (u64)(tf->dev & 0xf) << 24 | (u64)tf->lbah[0] << 16 |
		       (u64)tf->lbam[0] << 8 | tf->lbal[0];
		*nsect = tf->count[0] ? tf->count[0] : 256;
	}
}

#if !defined(MAMORI_HOST_TEST) || defined(ATA_HW_MODEL)
static const u16 legacy_cmd[2] = { 0x1f0, 0x170 }, legacy_ctl[2] = { 0x3f6, 0x376 };

struct ata_chan {
	spinlock_t lock;
	u8 idx;
	u16 cmd, ctl, bm;
	struct ata_taskfile tf;
	struct ata_taskfile cmd_tf;	/* as at the command write: what a held DMA replays */
	u8 ctl_val;			/* the guest's device control (nIEN) */
	const struct disk *disk[2];
	struct fc_disk *fc[2];		/* the file access check of each unit */
	/* the command in progress */
	u8 proto;			/* enum ata_proto, ATA_REFUSED when idle */
	u8 opcode;
	bool sectors, lba48, held;
	bool passed;			/* plaintext sectors: the data moved past the VMM */
	u8 pass_unit;			/* the unit (device bit) of that command */
	bool data_open;			/* the data port does not exit (arch_vm_pio_pass()) */
	struct vm *vm;
	bool timed_out;			/* a DMA failed on time: the guest sees an abort */
	const struct disk *d;
	const struct disk *unit_d;	/* of the unit the last command addressed */
	u64 lba;
	u32 nsect, done, pos;
	u8 sect[DISK_SECTOR] __aligned(16);
	/* bus master: the guest's view and the shadow */
	u32 guest_prd;
	u8 guest_bmcmd;
	u8 *bounce;
	u32 *prd;
};

static struct ata_chan chans[2];
static u64 ata_tsc_per_ms;

/* ---- commands ------------------------------------------------------------- */

/*
 * The data port exits again. Called before every write of the guest to
 * another register of the channel and before anything reaches the command
 * register, so no command runs with the data port open but the one it was
 * opened for (docs/disk.md, "Data port pass-through").
 */
static void ata_data_trap(struct ata_chan *c)
{
	if (!c->data_open)
		return;
	arch_vm_pio_pass(c->vm, c->cmd, false);
	c->data_open = false;
}

/*
 * A PIO sector command whose sectors all lie outside every encrypted range:
 * its data need no transform, so the guest moves them without exits. Only
 * the data port opens; where the platform refuses (SMP) the VMM moves them.
 */
static void ata_data_pass(struct ata_chan *c)
{
	if (c->proto != ATA_PIO_IN && c->proto != ATA_PIO_OUT)
		return;
	if (!c->sectors || disk_touches(c->d, c->lba, c->nsect))
		return;
	if (arch_vm_pio_pass(c->vm, c->cmd, true))
		return;		/* SMP: the VMM moves them as any other sectors */
	c->passed = true;
	c->pass_unit = c->tf.dev & ATA_DEV_UNIT;
	c->data_open = true;
}

static void ata_idle(struct ata_chan *c)
{
	c->proto = ATA_REFUSED;
	c->sectors = false;
	c->passed = false;
	c->d = NULL;
	c->held = false;
	c->pos = 0;
	c->done = 0;
}

/*
 * Issue @op on the registers the VMM decided on: the whole shadow, HOB bytes
 * first, then the current values and the device register, so nothing the
 * device changed itself (LBA advanced after each sector, a reset, a result)
 * and no register the guest wrote past the intercept takes part.
 */
static void ata_tf_replay(struct ata_chan *c, const struct ata_taskfile *tf, u8 op)
{
	u32 i;

	ata_data_trap(c);
	for (i = 0; i < 5; i++)
		outb(c->cmd + 1 + i, (&tf->feature[1])[i * 2]);
	for (i = 0; i < 5; i++)
		outb(c->cmd + 1 + i, (&tf->feature[0])[i * 2]);
	outb(c->cmd + ATA_DEVICE, tf->dev);
	outb(c->cmd + ATA_COMMAND, op);
}

/* The device aborts NOP with ERR/ABRT and an interrupt, exactly as a refused command should end. */
static void ata_refuse(struct ata_chan *c, u8 op, const char *name, const char *why)
{
	static u32 n;

	if (log_ratelimit(&n))
		pr_warn("ata%u.%u: refused command 0x%02x (%s): %s; the guest sees an ATA abort\n",
			c->idx, (c->tf.dev >> 4) & 1, op, name, why);
	ata_idle(c);
	ata_data_trap(c);
	outb(c->cmd + ATA_DEVICE, c->tf.dev);
	outb(c->cmd + ATA_COMMAND, ATA_CMD_NOP);
}

/*
 * The file access check's reader (filecheck_attach()): PIO READ SECTORS EXT
 * with nIEN set, on a channel with no command in flight (at boot, or before
 * the guest's next command is issued); the status read at the end clears a
 * pending interrupt, and the guest's command replays its whole taskfile.
 */
static int ata_fc_wait(const struct ata_chan *c, u8 want)
{
	u32 i;
	u8 st;

	for (i = 0; i < ATA_POLL_MAX; i++) {
		st = inb(c->ctl);
		if (st & ATA_ST_BSY)
			continue;
		if (st & ATA_ST_ERR)
			return -EIO;
		if ((st & want) == want)
			return 0;
	}
	return -EIO;
}

static int ata_fc_read(void *ctx, u32 unit, u64 lba, u32 n, void *buf)
{
	struct ata_chan *c = ctx;
	u8 *p = buf;
	int rc = 0;
	u32 k, s;

	ata_data_trap(c);
	outb(c->ctl, ATA_CTL_NIEN);
	while (n && !rc) {
		k = MIN(n, 256u);
		outb(c->cmd + ATA_DEVICE, 0xa0 | ATA_DEV_LBA | (unit ? ATA_DEV_UNIT : 0));
		rc = ata_fc_wait(c, 0);
		if (rc)
			break;
		outb(c->cmd + 2, (u8)(k >> 8));
		outb(c->cmd + 3, (u8)(lba >> 24));
		outb(c->cmd + 4, (u8)(lba >> 32));
		outb(c->cmd + 5, (u8)(lba >> 40));
		outb(c->cmd + 2, (u8)k);
		outb(c->cmd + 3, (u8)lba);
		outb(c->cmd + 4, (u8)(lba >> 8));
		outb(c->cmd + 5, (u8)(lba >> 16));
		outb(c->cmd + ATA_COMMAND, 0x24);	/* READ SECTORS EXT */
		for (s = 0; s < k && !rc; s++, p += DISK_SECTOR) {
			rc = ata_fc_wait(c, ATA_ST_DRQ);
			if (!rc)
				insw(c->cmd, p, DISK_SECTOR / 2);
		}
		inb(c->cmd + ATA_COMMAND);		/* status: clears INTRQ */
		lba += k;
		n -= k;
	}
	outb(c->ctl, c->ctl_val);
	return rc;
}

/* Refuse a sector command the file access check refuses; true if refused. */
static bool ata_fc_refused(struct ata_chan *c, struct fc_disk *fc, u8 op,
			   const struct ata_cmd_info *ci)
{
	const char *why = NULL;

	if (!ci->sectors || !filecheck_active(fc))
		return false;
	if (!filecheck_io(fc, c->lba, c->nsect, ci->proto == ATA_PIO_OUT ||
			  ci->proto == ATA_DMA_OUT, &why))
		return false;
	ata_refuse(c, op, ci->name, why);
	return true;
}

static void ata_command(struct ata_chan *c, u8 op)
{
	u32 unit = (c->tf.dev >> 4) & 1;
	const struct disk *d = c->disk[unit];
	struct fc_disk *fc = c->fc[unit];
	struct ata_cmd_req rq = { .command = op, .feature = c->tf.feature[0],
				  .lbam = c->tf.lbam[0], .lbah = c->tf.lbah[0],
				  .encrypted = d || filecheck_active(fc) };
	struct ata_cmd_info ci;

	ata_idle(c);
	c->timed_out = false;
	c->unit_d = d;
	if (ata_cmd_lookup(&rq, &ci))
		return ata_refuse(c, op, ci.name, ci.why);
	if (ci.ncq)
		return ata_refuse(c, op, ci.name, "queued command on IDE");
	if (ci.dsm)
		return ata_refuse(c, op, ci.name, "DSM on IDE (its ranges are not checked)");
	if (ci.sectors && !ata_tf_addr_valid(&c->tf, ci.lba48))
		return ata_refuse(c, op, ci.name, "taskfile not rewritten since a device reset");
	if (rq.encrypted && ci.sectors && !(c->tf.dev & ATA_DEV_LBA))
		return ata_refuse(c, op, ci.name, "CHS addressing on a disk with encrypted ranges "
				  "or file rules");
	if (rq.encrypted && ci.proto == ATA_PACKET)
		return ata_refuse(c, op, ci.name, "PACKET to a disk with encrypted ranges");
	c->proto = ci.proto;
	c->opcode = op;
	c->sectors = ci.sectors;
	c->lba48 = ci.lba48;
	c->d = ci.sectors ? d : NULL;
	ata_tf_decode(&c->tf, ci.lba48, &c->lba, &c->nsect);
	if (ata_fc_refused(c, fc, op, &ci))
		return;
	pr_dbg("ata%u: command 0x%02x (%s) lba %lu count %u dev 0x%02x\n", c->idx, op, ci.name,
	       c->lba, c->nsect, c->tf.dev);
	if (ci.proto == ATA_DMA_IN || ci.proto == ATA_DMA_OUT) {
		c->cmd_tf = c->tf;	/* later register writes cannot move the transfer */
		c->held = true;		/* issued by ata_dma_run() at the bus-master start */
		return;
	}
	ata_tf_replay(c, &c->tf, op);
	if (op == ATA_CMD_EDD || op == ATA_CMD_DEVICE_RESET)
		ata_tf_reset(&c->tf);
	ata_data_pass(c);
}

/* ---- PIO data ------------------------------------------------------------- */

static void ata_data_raw(struct ata_chan *c, bool in, u8 *buf, u32 len, u32 size)
{
	u32 i, v;

	if (size == 2) {
		if (in)
			insw(c->cmd, buf, len / 2);
		else
			outsw(c->cmd, buf, len / 2);
		return;
	}
	for (i = 0; i + size <= len; i += size) {
		if (in) {
			v = port_in(c->cmd, size);
			memcpy(buf + i, &v, size);
		} else {
			memcpy(&v, buf + i, size);
			port_out(c->cmd, size, v);
		}
	}
}

/* Sector data of a PIO command: a whole sector moves to or from the device at once. */
static int ata_data_sectors(struct ata_chan *c, bool in, u8 *buf, u32 len)
{
	u32 n;
	int rc = 0;

	while (len && c->done < c->nsect) {
		if (in && !c->pos) {
			insw(c->cmd, c->sect, DISK_SECTOR / 2);
			if (c->d)
				rc = disk_crypt(c->d, c->lba + c->done, c->sect, 1, false);
		}
		n = MIN(len, DISK_SECTOR - c->pos);
		if (in)
			memcpy(buf, c->sect + c->pos, n);
		else
			memcpy(c->sect + c->pos, buf, n);
		c->pos += n;
		buf += n;
		len -= n;
		if (c->pos < DISK_SECTOR)
			continue;
		if (!in) {
			if (c->d)
				rc = disk_crypt(c->d, c->lba + c->done, c->sect, 1, true);
			if (!rc)
				outsw(c->cmd, c->sect, DISK_SECTOR / 2);
		}
		c->pos = 0;
		c->done++;
		if (rc)
			break;
	}
	if (rc) {
		memset(c->sect, 0, sizeof(c->sect));
		pr_err("ata%u: sector %lu: encryption unavailable (%d): transfer stopped\n",
		       c->idx, c->lba + c->done, rc);
		ata_idle(c);
	}
	return rc;
}

/*
 * The passed command still moves data: its unit is the one selected (a
 * change mid-transfer is refused) and that unit asks for data (DRQ).
 */
static bool ata_pass_drq(const struct ata_chan *c)
{
	return (c->tf.dev & ATA_DEV_UNIT) == c->pass_unit && (inb(c->ctl) & ATA_ST_DRQ);
}

/*
 * Sector data move only as sectors of the command decided on; other data
 * (IDENTIFY, logs, PACKET) go raw, but to a unit with encrypted ranges only
 * for an allowed PIO command of that direction, never after a refusal.
 */
static int ata_data(struct ata_chan *c, bool in, u8 *buf, u32 len, u32 size)
{
	bool pio = c->proto == (in ? ATA_PIO_IN : ATA_PIO_OUT);

	if (c->passed && pio && ata_pass_drq(c)) {	/* plaintext, the port closed again */
		ata_data_raw(c, in, buf, len, size);
		return 0;
	}
	if (!c->passed && c->sectors && pio && c->done < c->nsect)
		return ata_data_sectors(c, in, buf, len);
	if (c->sectors || (c->unit_d && !pio)) {
		static u32 n;

		if (log_ratelimit(&n))
			pr_warn("ata%u: data-port %s outside a PIO sector transfer refused\n",
				c->idx, in ? "read" : "write");
		return -EPERM;
	}
	ata_data_raw(c, in, buf, len, size);
	return 0;
}

/* ---- bus-master DMA through the shadow PRD table ---------------------------- */

static int ata_prd_read(void *vm, u64 gpa, void *buf, u32 len)
{
	return guest_phys_read(vm, gpa, buf, len);
}

static void ata_prd_walk(struct vm *vm, struct ata_chan *c, struct prd_walk *w)
{
	prd_walk_init(w, PRD_BMIDE, c->guest_prd, ATA_PRD_MAX, ata_prd_read, vm);
}

/* Copy @len bytes between the bounce buffer and the guest buffers the PRDs name. */
static int prd_copy(struct vm *vm, struct prd_walk *w, u8 *buf, u32 len, bool to_guest)
{
	u64 gpa;
	u32 n;
	int rc;

	while (len) {
		if ((rc = prd_walk_next(w, len, &gpa, &n)))
			return rc;
		rc = to_guest ? guest_phys_write(vm, gpa, buf, n) : guest_phys_read(vm, gpa, buf, n);
		if (rc)
			return rc;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Before the device sees the command: the PRD table must cover the transfer
 * with memory the guest may use (every page of it probed).
 */
static int prd_check(struct vm *vm, struct ata_chan *c, u64 bytes)
{
	struct prd_walk w;
	u64 a, gpa;
	u32 n;
	u8 b;
	int rc;

	ata_prd_walk(vm, c, &w);
	while (bytes) {
		if ((rc = prd_walk_next(&w, (u32)MIN(bytes, 0x80000000ULL), &gpa, &n)))
			return rc;
		for (a = gpa; a < gpa + n; a = ALIGN_DOWN(a, PAGE_SIZE) + PAGE_SIZE)
			if (guest_phys_read(vm, a, &b, 1))
				return -EFAULT;
		if (guest_phys_read(vm, gpa + n - 1, &b, 1))
			return -EFAULT;
		bytes -= n;
	}
	return 0;
}

/* The guest's taskfile, with the chunk's LBA and count, replayed to the device. */
static void ata_tf_issue(struct ata_chan *c, u64 lba, u32 n, bool chunked)
{
	struct ata_taskfile tf = c->cmd_tf;

	if (chunked && c->lba48) {
		tf.lbal[1] = lba >> 24; tf.lbam[1] = lba >> 32; tf.lbah[1] = lba >> 40;
		tf.count[1] = n >> 8;
	}
	if (chunked) {
		tf.lbal[0] = lba; tf.lbam[0] = lba >> 8; tf.lbah[0] = lba >> 16;
		tf.count[0] = n;
		if (!c->lba48)
			tf.dev = (tf.dev & 0xf0) | ((lba >> 24) & 0xf);
	}
	ata_tf_replay(c, &tf, c->opcode);
}

/*
 * Point the shadow PRD table at exactly @bytes of the bounce buffer: a device
 * may treat a table longer than the transfer as an error (Bochs does).
 */
static void ata_prd_build(struct ata_chan *c, u32 bytes)
{
	u32 i = 0, n;

	do {
		n = MIN(bytes, ATA_PRD_SPAN);
		c->prd[2 * i] = (u32)virt_to_phys(c->bounce + i * ATA_PRD_SPAN);
		c->prd[2 * i + 1] = n & 0xffff;		/* 0: 64 KiB */
		bytes -= n;
		i++;
	} while (bytes);
	c->prd[2 * i - 1] |= PRD_BMIDE_EOT;
}

/* Whether the time budget of a DMA chunk that began at @t0 is spent (@i polls so far). */
static bool ata_dma_late(u64 t0, u32 i)
{
	return i >= ATA_POLL_MAX || rdtsc() - t0 > ATA_DMA_TIMEOUT_MS * ata_tsc_per_ms;
}

/*
 * Run one chunk to completion: 0; -EIO with the device's error left for the
 * guest; -EBUSY when the device did not finish in time (bus master stopped).
 */
static int ata_dma_chunk(struct ata_chan *c, u64 lba, u32 n, bool chunked, bool last)
{
	bool to_mem = c->proto == ATA_DMA_IN;
	u32 i, st = 0;
	u64 t0;

	if (chunked)
		outb(c->ctl, last ? c->ctl_val : c->ctl_val | ATA_CTL_NIEN);
	ata_prd_build(c, n * DISK_SECTOR);
	outb(c->bm + BM_CMD, to_mem ? BM_TO_MEMORY : 0);
	outl(c->bm + BM_PRD, (u32)virt_to_phys(c->prd));
	outb(c->bm + BM_STATUS, inb(c->bm + BM_STATUS) | BM_ST_IRQ | BM_ST_ERR);
	ata_tf_issue(c, lba, n, chunked);
	outb(c->bm + BM_CMD, (to_mem ? BM_TO_MEMORY : 0) | BM_START);
	t0 = rdtsc();
	for (i = 0; !ata_dma_late(t0, i); i++) {
		st = inb(c->bm + BM_STATUS);
		if ((st & BM_ST_ERR) || !(st & BM_ST_ACTIVE))
			break;
		__asm__ volatile("pause");
	}
	outb(c->bm + BM_CMD, to_mem ? BM_TO_MEMORY : 0);
	for (; !ata_dma_late(t0, i) && (inb(c->ctl) & ATA_ST_BSY); i++)
		__asm__ volatile("pause");
	if (inb(c->ctl) & ATA_ST_BSY || ((st & BM_ST_ACTIVE) && !(st & BM_ST_ERR))) {
		pr_err("ata%u: DMA %s of %u sectors at %lu not done after %u ms: failed\n",
		       c->idx, to_mem ? "read" : "write", n, lba, ATA_DMA_TIMEOUT_MS);
		return -EBUSY;
	}
	if ((st & BM_ST_ERR) || (inb(c->ctl) & ATA_ST_ERR)) {
		pr_err("ata%u: DMA %s of %u sectors at %lu failed (bus master 0x%x, status 0x%x)\n",
		       c->idx, to_mem ? "read" : "write", n, lba, st, inb(c->ctl));
		return -EIO;
	}
	pr_dbg("ata%u: DMA %s %u sectors at %lu done after %u polls (bus master 0x%x)\n", c->idx,
	       to_mem ? "read" : "write", n, lba, i, st);
	if (!last)
		inb(c->cmd + ATA_COMMAND);	/* acknowledge the chunk's completion */
	return 0;
}

static int ata_dma_run(struct vm *vm, struct ata_chan *c)
{
	bool to_mem = c->proto == ATA_DMA_IN, chunked = c->nsect > ATA_CHUNK_SECT;
	struct prd_walk p;
	u32 n, left = c->nsect;
	u64 lba = c->lba;
	int rc = prd_check(vm, c, (u64)c->nsect * DISK_SECTOR);

	ata_prd_walk(vm, c, &p);
	while (left && !rc) {
		n = MIN(left, ATA_CHUNK_SECT);
		if (!to_mem)
			rc = prd_copy(vm, &p, c->bounce, n * DISK_SECTOR, false);
		if (!rc && !to_mem && c->d)
			rc = disk_crypt(c->d, lba, c->bounce, n, true);
		if (!rc)
			rc = ata_dma_chunk(c, lba, n, chunked, n == left);
		if (!rc && to_mem && c->d)
			rc = disk_crypt(c->d, lba, c->bounce, n, false);
		if (!rc && to_mem)
			rc = prd_copy(vm, &p, c->bounce, n * DISK_SECTOR, true);
		lba += n;
		left -= n;
	}
	/* An encrypted range's plaintext or ciphertext is not left behind; other data is no secret. */
	if (disk_touches(c->d, c->lba, c->nsect))
		memset(c->bounce, 0, MIN((u64)c->nsect * DISK_SECTOR, ATA_BOUNCE));
	return rc;
}

static void ata_dma_start(struct vm *vm, struct ata_chan *c)
{
	static u32 n;
	int rc;

	if (!c->held) {
		if (log_ratelimit(&n))
			pr_warn("ata%u: bus-master start without a DMA command refused\n", c->idx);
		return;
	}
	c->held = false;
	rc = ata_dma_run(vm, c);
	if (rc == -EFAULT || rc == -EINVAL) {
		if (log_ratelimit(&n))
			pr_warn("ata%u: DMA command 0x%02x refused: its PRD table at 0x%x %s\n",
				c->idx, c->opcode, c->guest_prd, rc == -EFAULT ?
				"names memory the guest may not use" : "is shorter than the transfer");
		ata_refuse(c, c->opcode, "DMA", "bad PRD table");
	}
	ata_idle(c);
	c->timed_out = rc == -EBUSY;
}

/* ---- port handlers ---------------------------------------------------------- */

/*
 * Whether a PIO sector transfer is in progress: counted by the VMM, or, for
 * one whose data passed it, as the device says (alternate status: no side
 * effect).
 */
static bool ata_pio_busy(const struct ata_chan *c)
{
	if ((c->proto != ATA_PIO_IN && c->proto != ATA_PIO_OUT) || !c->sectors)
		return false;
	if (c->passed)
		return inb(c->ctl) & (ATA_ST_BSY | ATA_ST_DRQ);
	return c->done < c->nsect;
}

static int ata_cmd_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	struct ata_chan *c = priv;
	u32 reg = port - c->cmd;
	int rc = 0;

	spin_lock(&c->lock);
	if (!in)
		ata_data_trap(c);
	if (reg == ATA_DATA) {
		rc = ata_data(c, in, (u8 *)val, size, size);
	} else if (in && c->timed_out && (reg == ATA_COMMAND || reg == ATA_ERROR)) {
		*val = reg == ATA_COMMAND ? ATA_ST_ABORTED : ATA_ER_ABRT;
	} else if (in) {
		*val = port_in(port, size);
	} else if (reg == ATA_COMMAND) {
		ata_command(c, (u8)*val);
	} else if (reg == ATA_DEVICE && ata_pio_busy(c) && ((*val ^ c->tf.dev) & 0x10)) {
		rc = -EBUSY;	/* the data port must not change disks mid-transfer */
	} else {
		ata_tf_write(&c->tf, reg, (u8)*val);
		if (!ata_pio_busy(c))	/* mid-transfer: the next command replays it */
			outb(port, (u8)*val);
	}
	spin_unlock(&c->lock);
	return rc;
}

static int ata_data_string(struct vm *vm, void *priv, u16 port, u32 size, bool in, u8 *buf,
			   u32 count)
{
	struct ata_chan *c = priv;
	int rc;

	if (port != c->cmd) {
		static u32 n;

		if (log_ratelimit(&n))
			pr_warn("ata%u: string I/O on taskfile port 0x%x refused\n", c->idx, port);
		return -EPERM;
	}
	spin_lock(&c->lock);
	rc = ata_data(c, in, buf, count * size, size);
	spin_unlock(&c->lock);
	return rc;
}

static int ata_ctl_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	struct ata_chan *c = priv;

	spin_lock(&c->lock);
	if (in) {
		*val = c->timed_out ? ATA_ST_ABORTED : inb(port);
	} else {
		ata_data_trap(c);
		c->ctl_val = (u8)*val & ~ATA_CTL_SRST;
		if (*val & ATA_CTL_SRST) {
			ata_idle(c);
			ata_tf_reset(&c->tf);
			c->timed_out = false;
		}
		outb(port, (u8)*val);
	}
	spin_unlock(&c->lock);
	return 0;
}

static int ata_bm_pio(struct vm *vm, void *priv, u16 port, u32 size, bool in, u32 *val)
{
	struct ata_chan *c = priv;
	u32 off = port - c->bm;

	if (off + size > (off < BM_PRD ? BM_STATUS : 8u))
		return -EPERM;	/* would reach the status register or the PRD pointer */
	spin_lock(&c->lock);
	if (!in)
		ata_data_trap(c);
	if (off >= BM_PRD) {
		if (in)
			*val = reg_extract(c->guest_prd, off, size);
		else
			c->guest_prd = reg_merge(c->guest_prd, off, size, *val);
	} else if (off == BM_CMD && in) {
		*val = c->guest_bmcmd;
	} else if (off == BM_CMD) {
		bool start = (*val & BM_START) && !(c->guest_bmcmd & BM_START);

		c->guest_bmcmd = (u8)*val;
		if (start)
			ata_dma_start(vm, c);
		else if (!(*val & BM_START))
			outb(port, (u8)*val & BM_TO_MEMORY);
	} else if (in) {
		*val = port_in(port, size);
	} else {
		port_out(port, size, *val);
	}
	spin_unlock(&c->lock);
	return 0;
}

/* ---- discovery --------------------------------------------------------------- */

static int ata_chan_init(struct vm *vm, const struct pci_dev *pd, u32 ctrl, u32 i)
{
	struct ata_chan *c = &chans[i];
	bool native = pd->prog_if & (1u << (2 * i));
	u64 bm = pci_bar(pd->bdf, 4);
	u8 *mem;
	u32 u;
	int rc;

	memset(c, 0, sizeof(*c));
	ata_tf_reset(&c->tf);		/* nothing known: sector commands need a full taskfile */
	c->idx = i;
	c->vm = vm;
	c->cmd = native ? (u16)pci_bar(pd->bdf, 2 * i) : legacy_cmd[i];
	c->ctl = native ? (u16)pci_bar(pd->bdf, 2 * i + 1) + 2 : legacy_ctl[i];
	c->bm = bm ? (u16)(bm + 8 * i) : 0;
	c->ctl_val = ATA_CTL_NIEN;
	if (!c->cmd || c->ctl == 2) {	/* native mode, BAR unassigned (and locked) */
		pr_warn("ata%u: native-mode BAR unassigned; channel not intercepted, its disks "
			"unclaimed\n", i);
		return 0;
	}
	for (u = 0; u < 2; u++)
		c->disk[u] = disk_claim(BOOT_DISK_ATA, PCI_BUS(pd->bdf), PCI_DEV(pd->bdf),
					PCI_FN(pd->bdf), i, u, "ata");
	c->unit_d = c->disk[0] ? c->disk[0] : c->disk[1];	/* until a command says */
	for (u = 0; u < 2; u++) {
		char name[] = "ata0.0";

		name[3] = (char)('0' + i);
		name[5] = (char)('0' + u);
		c->fc[u] = filecheck_attach(BOOT_DISK_ATA, PCI_BUS(pd->bdf), PCI_DEV(pd->bdf),
					    PCI_FN(pd->bdf), i, u, name, ata_fc_read, c);
	}
	mem = page_alloc((ATA_BOUNCE + ATA_PRD_SPAN) / PAGE_SIZE + 1);
	if (!mem)
		return -ENOMEM;
	c->bounce = (u8 *)ALIGN_UP((u64)mem, ATA_PRD_SPAN);
	c->prd = (u32 *)(c->bounce + ATA_BOUNCE);
	if (virt_to_phys(c->prd) + PAGE_SIZE > 0x100000000ULL)
		return -ENOMEM;		/* the PRD table and buffers must lie below 4 GiB */
	rc = platform_dma_window(pd->bdf, c->bounce, ATA_BOUNCE + PAGE_SIZE);	/* + PRD page */
	if (rc)
		return rc;
	rc = vm_register_pio(vm, c->cmd, 8, "ata-cmd", ata_cmd_pio, c);
	if (!rc)
		rc = vm_register_pio_string(vm, c->cmd, ata_data_string);
	if (!rc)
		rc = vm_register_pio(vm, c->ctl, 1, "ata-ctl", ata_ctl_pio, c);
	/*
	 * Bus-master command and PRD pointer; not the status register (bm + 2):
	 * its ACTIVE bit is read-only and clearing ERR/IRQ moves nothing, so
	 * it passes through without the two exits Linux spends on it per PIO
	 * sector.
	 */
	if (!rc && c->bm)
		rc = vm_register_pio(vm, c->bm, 2, "ata-bm", ata_bm_pio, c);
	if (!rc && c->bm)
		rc = vm_register_pio(vm, c->bm + BM_PRD, 4, "ata-bm-prd", ata_bm_pio, c);
	if (!rc)
		pr_info("ata%u: controller %u (%02x:%02x.%x) channel %u at 0x%x/0x%x, bus master 0x%x; "
			"encrypted ranges: master %s, slave %s\n", i, ctrl, PCI_BUS(pd->bdf),
			PCI_DEV(pd->bdf), PCI_FN(pd->bdf), i, c->cmd, c->ctl, c->bm,
			c->disk[0] ? "yes" : "no", c->disk[1] ? "yes" : "no");
	return rc;
}

/* Bus master (BAR4) and, for a channel in native mode, its two BARs. */
static u32 ata_needed_bars(const struct pci_dev *pd)
{
	u32 i, bars = BIT(4);

	for (i = 0; i < 2; i++)
		if (pd->prog_if & (1u << (2 * i)))
			bars |= BIT(2 * i) | BIT(2 * i + 1);
	return bars;
}

int ata_init(struct vm *vm)
{
	struct pci_dev pd;
	int rc;
	u32 i;

	if (pci_find(PCI_CLASS_IDE, -1, 0, &pd))
		return 0;
	if (!pci_find(PCI_CLASS_IDE, -1, 1, &pd))
		pr_warn("ata: a second IDE controller is present and NOT intercepted\n");
	pci_find(PCI_CLASS_IDE, -1, 0, &pd);
	ata_tsc_per_ms = rdtsc();
	udelay(1000);
	ata_tsc_per_ms = rdtsc() - ata_tsc_per_ms;
	rc = pci_lock_function(pd.bdf, ata_needed_bars(&pd), 0, "the ata intercept");
	for (i = 0; i < 2 && !rc; i++)
		rc = ata_chan_init(vm, &pd, 0, i);
	if (rc)
		pr_err("ata: controller %02x:%02x.%x: intercept setup failed (%d)\n",
		       PCI_BUS(pd.bdf), PCI_DEV(pd.bdf), PCI_FN(pd.bdf), rc);
	return rc;
}
#endif
