// SPDX-License-Identifier: GPL-2.0-only
/* AHCI: the bounce pool and the walker of the guest's PRD tables. */
#include "ahci_priv.h"
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

int ahci_prd_walk(struct ahci_port *pt, struct ahci_slot *sl, enum ahci_prd_op op, u64 *sum)
{
	struct ahci_prd prd[AHCI_PRD_BATCH];
	u32 i = 0, pos = 0;
	u64 total = 0;
	int ret;

	while (i < sl->prdtl && (op == AHCI_PRD_CHECK || pos < sl->bytes)) {
		u32 k, n = MIN(sl->prdtl - i, AHCI_PRD_BATCH);

		ret = guest_phys_read(pt->hba->vm, sl->ctba + AHCI_CT_PRDT + i * sizeof(prd[0]),
				      prd, n * sizeof(prd[0]));
		if (ret)
			return ret;
		for (k = 0; k < n && (op == AHCI_PRD_CHECK || pos < sl->bytes); k++) {
			u64 gpa = prd[k].dba | (u64)prd[k].dbau << 32;
			u32 len = (prd[k].dbc & AHCI_PRD_DBC) + 1;

			if (guest_range_in_vmm(pt->hba->vm, gpa, len))
				return -EFAULT;
			total += len;
			if (op == AHCI_PRD_CHECK)
				continue;
			len = MIN(len, sl->bytes - pos);
			ret = bounce_xfer(pt->hba, sl, pos, gpa, len, op == AHCI_PRD_SCATTER);
			if (ret)
				return ret;
			pos += len;
		}
		i += n;
	}
	if (sum)
		*sum = total;
	return op == AHCI_PRD_CHECK || pos == sl->bytes ? 0 : -EINVAL;
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

/* TRIM ranges (8 bytes: LBA 47:0, count 63:48) must stay out of encrypted ranges. */
bool ahci_dsm_touches(struct ahci_port *pt, struct ahci_slot *sl)
{
	u32 pos;

	for (pos = 0; pos + 8 <= sl->bytes; pos += 8) {
		const u8 *b = ahci_chunk_ptr(pt->hba, sl->chunk[pos / AHCI_CHUNK_SIZE]) +
			      pos % AHCI_CHUNK_SIZE;
		u64 e;

		memcpy(&e, b, sizeof(e));
		if ((e >> 48) && disk_touches(pt->disk, e & (BIT(48) - 1), e >> 48))
			return true;
	}
	return false;
}
