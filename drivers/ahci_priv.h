/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AHCI intercept internals, shared by drivers/ahci.c (register intercept,
 * attach), ahci_cmd.c (allowlist glue, issue, completion) and ahci_bounce.c
 * (bounce pool, guest PRD walker). Callers hold the HBA's lock.
 */
#ifndef DRIVERS_AHCI_PRIV_H
#define DRIVERS_AHCI_PRIV_H

#include <drivers/ahci.h>
#include <asm/spinlock.h>
#include <mamori/disk.h>
#include <mamori/filecheck.h>

#define AHCI_CAP_S64A		BIT(31)
#define AHCI_CAP_NP		0x1f
#define AHCI_CT_SIZE		(AHCI_CT_PRDT + AHCI_CHUNKS * sizeof(struct ahci_prd))
#define AHCI_CL_SIZE		(AHCI_SLOTS * sizeof(struct ahci_cmd_hdr))
#define AHCI_SHADOW_PAGES	(1 + AHCI_SLOTS * AHCI_CT_SIZE / PAGE_SIZE)
#define AHCI_HDR_KEEP		0xf7bfu	/* CFL, A, P, R, B, C (ahci_classify), PMP: W is ours */
#define AHCI_CHUNK_SECT		(AHCI_CHUNK_SIZE / DISK_SECTOR)
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
	struct fc_disk *fc;		/* file access check (no boot-time reader: never active yet) */
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

static inline u32 hw_rd(struct ahci_hba *h, u32 off)
{
	return h->hw->read(h->hw_priv, off);
}

static inline void hw_wr(struct ahci_hba *h, u32 off, u32 val)
{
	h->hw->write(h->hw_priv, off, val);
}

/* px - ABAR offset of port register @reg of @pt. */
static inline u32 px(const struct ahci_port *pt, u32 reg)
{
	return AHCI_PORT_BASE + pt->no * AHCI_PORT_SIZE + reg;
}

/* hweight32 - set bits of @v (no libgcc in the VMM for __builtin_popcount). */
static inline u32 hweight32(u32 v)
{
	u32 n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/* ---- ahci_bounce.c: the bounce pool and the guest PRD walker ---- */

/* ahci_chunk_ptr - bounce chunk @idx of @h. */
u8 *ahci_chunk_ptr(struct ahci_hba *h, u8 idx);
/* ahci_chunks_get - chunks for @sl->bytes into @sl->chunk; false if too few are free. */
bool ahci_chunks_get(struct ahci_hba *h, struct ahci_slot *sl);
/* ahci_chunks_mask - the pool bits of @sl's chunks. */
u32 ahci_chunks_mask(const struct ahci_slot *sl);
/* ahci_chunks_put - give @sl's chunks back to the pool. */
void ahci_chunks_put(struct ahci_hba *h, struct ahci_slot *sl);

enum ahci_prd_op { AHCI_PRD_CHECK, AHCI_PRD_GATHER, AHCI_PRD_SCATTER };

/*
 * ahci_prd_walk - walk the guest's PRD table of @sl (@sl->ctba, @sl->prdtl)
 * with drivers/prd.c: AHCI_PRD_CHECK sums the byte counts of all entries into
 * *@sum and refuses entries into VMM memory; GATHER/SCATTER re-read the table
 * (the guest may have rewritten it) and copy the first @sl->bytes between the
 * guest buffers and the bounce chunks of @sl, in stream order, refusing every
 * piece into VMM memory. Return 0, -EFAULT or -EINVAL (table shorter than
 * @sl->bytes).
 */
int ahci_prd_walk(struct ahci_port *pt, struct ahci_slot *sl, enum ahci_prd_op op, u64 *sum);
/* ahci_bounce_crypt - en/decrypt @sl's bounce chunks in place (disk_crypt()). */
int ahci_bounce_crypt(struct ahci_port *pt, struct ahci_slot *sl, bool encrypt);
/*
 * ahci_dsm_touches - a TRIM range in @sl's payload touches an encrypted range
 * or a file rule's protected sectors.
 */
bool ahci_dsm_touches(struct ahci_port *pt, struct ahci_slot *sl);

/* ---- ahci_cmd.c: issue and completion ---- */

/* ahci_slot_parse - the guest set PxCI bit @s: copy and check its command, mark it pending. */
void ahci_slot_parse(struct ahci_port *pt, u32 s);
/* ahci_port_kick - send pending slots to the device while bounce chunks last. */
void ahci_port_kick(struct ahci_port *pt);
/* ahci_port_complete - finish every slot the device completed; return the device's PxCI. */
u32 ahci_port_complete(struct ahci_port *pt);
/* ahci_port_drop - the port stopped: forget every slot (chunks freed now or once CR is 0). */
void ahci_port_drop(struct ahci_port *pt, bool now);

#endif
