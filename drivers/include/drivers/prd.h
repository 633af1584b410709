/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest PRD (physical region descriptor) tables, walked as a stream of
 * guest-physical pieces: the IDE bus master's (drivers/ata.c) and AHCI's
 * command-table PRDs. Pure: entries are read through a callback, so the walker
 * knows nothing of guest memory or the VMM region (the callback refuses what
 * the guest may not use) and is host-tested (tests/unit/test_prd.c).
 */
#ifndef DRIVERS_PRD_H
#define DRIVERS_PRD_H

#include <mamori/types.h>

enum prd_format {
	PRD_BMIDE,	/* 8 bytes: address, count (0: 64 KiB; bit 0 ignored), bit 31 EOT */
	PRD_AHCI,	/* 16 bytes: 64-bit address, DBC bits 21:0 = count - 1 */
};

#define PRD_BMIDE_SIZE		8
#define PRD_AHCI_SIZE		16
#define PRD_BMIDE_EOT		0x80000000u

/* prd_read_fn - copy @len bytes of the guest's table at @gpa into @buf; 0 or -errno. */
typedef int (*prd_read_fn)(void *ctx, u64 gpa, void *buf, u32 len);

/* struct prd_walk - a cursor over one table; set up by prd_walk_init(). */
struct prd_walk {
	prd_read_fn read;
	void *ctx;
	u64 table;		/* guest-physical address of entry 0 */
	u32 entries;		/* at most this many entries (AHCI: PRDTL) */
	u32 next;		/* the entry read next */
	u8 fmt;			/* enum prd_format */
	bool last;		/* the current entry ends the table */
	u64 addr;		/* the current entry's bytes not yet walked */
	u32 left;
};

/*
 * prd_decode - one raw entry of @fmt: its address, byte length (0 for an
 * IDE entry whose count is 1, which moves nothing) and end-of-table bit.
 */
void prd_decode(enum prd_format fmt, const void *raw, u64 *addr, u32 *len, bool *eot);

/* prd_walk_init - walk the @entries-entry table of @fmt at @table, read by @read(@ctx). */
void prd_walk_init(struct prd_walk *w, enum prd_format fmt, u64 table, u32 entries,
		   prd_read_fn read, void *ctx);

/*
 * prd_walk_next - the next piece of at most @max (> 0) bytes, never crossing
 * an entry: *@gpa, *@len. Return 0; -EINVAL when the table ends first (EOT,
 * or @entries read); the callback's error when an entry cannot be read.
 */
int prd_walk_next(struct prd_walk *w, u32 max, u64 *gpa, u32 *len);

#endif
