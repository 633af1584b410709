// SPDX-License-Identifier: GPL-2.0-only
/* AHCI: the bounce pool and the walker of the guest's PRD tables. */
#include <mamori/filecheck.h>
#include "ahci_priv.h"
#include <drivers/prd.h>
#include <mamori/errno.h>
#include <mamori/mm.h>
#include <mamori/string.h>
#include <mamori/vm.h>

/* ---- bounce chunks ---- */

u8 *ahci_chunk_ptr(struct ahci_hba *h, u8 idx)
{
	return h->bounce + (u64)idx * AHCI_CHUNK_SIZE;
}

bool ahci_chunks_get(struct ahci_hba *h, struct ahci_slot *sl)
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

u32 ahci_chunks_mask(const struct ahci_slot *sl)
{
	u32 m = 0, i;

	for (i = 0; i < sl->nchunks; i++)
		m |= BIT(sl->chunk[i]);
	return m;
}

void ahci_chunks_put(struct ahci_hba *h, struct ahci_slot *sl)
{
	h->free_chunks |= ahci_chunks_mask(sl);
	sl->nchunks = 0;
}

/* ---- guest PRD walks ---- */

/* Copy @len bytes between guest @gpa and the bounce stream of @sl at @pos. */
static int bounce_xfer(struct ahci_hba *h, struct ahci_slot *sl, u32 pos, u64 gpa, u32 len,
		       bool to_guest)
{
	while (len) {
		u32 off = pos % AHCI_CHUNK_SIZE, n = MIN(len, AHCI_CHUNK_SIZE - off);
		u8 *b = ahci_chunk_ptr(h, sl->chunk[pos / AHCI_CHUNK_SIZE]) + off;
		int ret = to_guest ? guest_phys_write(h->vm, gpa, b, n) :
				     guest_phys_read(h->vm, gpa, b, n);

		if (ret)
			return ret;
		pos += n, gpa += n, len -= n;
	}
	return 0;
}

static int ahci_prd_read(void *vm, u64 gpa, void *buf, u32 len)
{
	return guest_phys_read(vm, gpa, buf, len);
}

/* The next piece of the stream, at most @max bytes; -EFAULT if it touches the VMM. */
static int prd_piece(struct ahci_hba *h, struct prd_walk *w, u32 max, u64 *gpa, u32 *len)
{
	int ret = prd_walk_next(w, max, gpa, len);

	if (ret)
		return ret;
	return vm_range_hits_vmm(h->vm, *gpa, *len) ? -EFAULT : 0;
}

int ahci_prd_walk(struct ahci_port *pt, struct ahci_slot *sl, enum ahci_prd_op op, u64 *sum)
{
	struct prd_walk w;
	u64 gpa, total = 0;
	u32 i, pos, len;
	int ret;

	prd_walk_init(&w, PRD_AHCI, sl->ctba + AHCI_CT_PRDT, sl->prdtl, ahci_prd_read,
		      pt->hba->vm);
	if (op == AHCI_PRD_CHECK) {
		/* an entry holds 1 byte to 4 MiB: each piece is one whole entry */
		for (i = 0; i < sl->prdtl; i++) {
			if ((ret = prd_piece(pt->hba, &w, AHCI_PRD_DBC + 1, &gpa, &len)))
				return ret;
			total += len;
		}
		if (sum)
			*sum = total;
		return 0;
	}
	for (pos = 0; pos < sl->bytes; pos += len) {
		if ((ret = prd_piece(pt->hba, &w, sl->bytes - pos, &gpa, &len)))
			return ret;	/* -EINVAL: the table ends first */
		ret = bounce_xfer(pt->hba, sl, pos, gpa, len, op == AHCI_PRD_SCATTER);
		if (ret)
			return ret;
	}
	return 0;
}

int ahci_bounce_crypt(struct ahci_port *pt, struct ahci_slot *sl, bool encrypt)
{
	u32 i;
	int ret;

	for (i = 0; i < sl->nchunks; i++) {
		u32 n = MIN((u32)AHCI_CHUNK_SIZE, sl->bytes - i * AHCI_CHUNK_SIZE) / DISK_SECTOR;

		ret = disk_crypt(pt->disk, sl->cmd.lba + (u64)i * AHCI_CHUNK_SECT,
				 ahci_chunk_ptr(pt->hba, sl->chunk[i]), n, encrypt);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * TRIM ranges (8 bytes: LBA 47:0, count 63:48) must stay out of encrypted
 * ranges and out of the file rules' protected sectors (a discard is a write;
 * review-3 F13).
 */
bool ahci_dsm_touches(struct ahci_port *pt, struct ahci_slot *sl)
{
	const char *why;
	u32 pos;

	for (pos = 0; pos + 8 <= sl->bytes; pos += 8) {
		const u8 *b = ahci_chunk_ptr(pt->hba, sl->chunk[pos / AHCI_CHUNK_SIZE]) +
			      pos % AHCI_CHUNK_SIZE;
		u64 e;

		memcpy(&e, b, sizeof(e));
		if (!(e >> 48))
			continue;
		if (disk_touches(pt->disk, e & (BIT(48) - 1), e >> 48))
			return true;
		if (filecheck_active(pt->fc) &&
		    filecheck_io(pt->fc, e & (BIT(48) - 1), e >> 48, true, &why))
			return true;
	}
	return false;
}
