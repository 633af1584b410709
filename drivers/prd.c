// SPDX-License-Identifier: GPL-2.0-only
#include <drivers/prd.h>
#include <mamori/errno.h>
#include <mamori/string.h>

void prd_decode(enum prd_format fmt, const void *raw, u64 *addr, u32 *len, bool *eot)
{
	u32 e[4];

	memcpy(e, raw, fmt == PRD_AHCI ? PRD_AHCI_SIZE : PRD_BMIDE_SIZE);
	if (fmt == PRD_AHCI) {
		*addr = e[0] | (u64)e[1] << 32;
		*len = (e[3] & 0x3fffff) + 1;
		*eot = false;
		return;
	}
	*addr = e[0] & ~1u;
	*len = (e[1] & 0xffff) ? (e[1] & 0xfffe) : 0x10000;
	*eot = e[1] & PRD_BMIDE_EOT;
}

void prd_walk_init(struct prd_walk *w, enum prd_format fmt, u64 table, u32 entries,
		   prd_read_fn read, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->read = read;
	w->ctx = ctx;
	w->table = table;
	w->entries = entries;
	w->fmt = fmt;
}

static int prd_walk_entry(struct prd_walk *w)
{
	u32 size = w->fmt == PRD_AHCI ? PRD_AHCI_SIZE : PRD_BMIDE_SIZE;
	u8 raw[PRD_AHCI_SIZE];
	bool eot;
	int rc;

	if (w->last || w->next >= w->entries)
		return -EINVAL;
	rc = w->read(w->ctx, w->table + (u64)size * w->next++, raw, size);
	if (rc)
		return rc;
	prd_decode(w->fmt, raw, &w->addr, &w->left, &eot);
	w->last = eot || w->next == w->entries;
	return 0;
}

int prd_walk_next(struct prd_walk *w, u32 max, u64 *gpa, u32 *len)
{
	int rc;

	while (!w->left)
		if ((rc = prd_walk_entry(w)))
			return rc;
	*gpa = w->addr;
	*len = MIN(max, w->left);
	w->addr += *len;
	w->left -= *len;
	return 0;
}
