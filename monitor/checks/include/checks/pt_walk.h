/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest page-table walk for the checks: 4-level long-mode paging, and 5-level
 * when CR4.LA57 is set; 1 GiB, 2 MiB and 4 KiB pages; NX honoured when
 * EFER.NXE is set (bit 63 is then XD; with NXE clear a set bit 63 is a
 * reserved bit and the entry is treated as not present). A page is
 * "supervisor" when any level has U/S = 0 and "executable" when no level
 * has XD = 1 (Intel SDM vol. 3, 4.6).
 *
 * The walk is resumable: it visits mappings in ascending linear order from
 * a cursor and stops when the caller's entry-read budget is spent, so a
 * monitor running in 2 ms slices can spread one pass over many slices. Its
 * depth is fixed by the paging mode, so loops and self-maps cannot make it
 * recurse; they only repeat mappings, which the budget bounds. A table read
 * that fails is reported (CHK_WALK_READ) and its subtree skipped.
 *
 * Linear addresses are handled as "lin": the address without its
 * sign-extension, 0 .. 2^48 (2^57 with LA57). chk_walk_va() turns one into
 * a canonical virtual address.
 */
#ifndef CHECKS_PT_WALK_H
#define CHECKS_PT_WALK_H

#include <checks/checks.h>

/* Flags of a mapping (the effective rights over all levels). */
#define CHK_MAP_WRITE		BIT(0)	/* R/W = 1 at every level */
#define CHK_MAP_USER		BIT(1)	/* U/S = 1 at every level: a user page */
#define CHK_MAP_EXEC		BIT(2)	/* no level has XD (or EFER.NXE clear) */

/* Walk filters. */
#define CHK_WALK_SUPER_EXEC	BIT(0)	/* only supervisor-executable mappings */
#define CHK_WALK_UPPER_HALF	BIT(1)	/* only the upper (kernel) half */

/* struct chk_map - one leaf mapping, clipped to the walk's range. */
struct chk_map {
	u64 va;			/* canonical virtual address of the first byte */
	u64 gpa;		/* guest-physical address of that byte */
	u64 size;		/* bytes from @va to the end of the mapping (<= page size) */
	u64 page_size;		/* 4 KiB, 2 MiB or 1 GiB */
	u32 flags;		/* CHK_MAP_* */
};

/*
 * struct chk_walk - one walker. Set up by chk_walk_init(); @cursor is the
 * lin address the next chk_walk_run() starts at, @end the lin address it
 * stops at; the caller may set both between runs (e.g. to restart a pass).
 */
struct chk_walk {
	u64 root;		/* top-level table GPA (CR3 bits 51:12) */
	u32 levels;		/* 4 or 5 */
	bool nxe;
	u32 filter;		/* CHK_WALK_* */
	u64 cursor;
	u64 end;
};

/* Bit 12 of CR3: Linux's user PGD under page-table isolation (kernel PGD | 4 KiB). */
#define CHK_LINUX_PTI_USER_BIT	BIT(12)

/*
 * chk_walk_init - a walker over the paging of @cpu (CR0, CR3, CR4, EFER).
 * @filter: CHK_WALK_*. The range is the whole space, or its upper half with
 * CHK_WALK_UPPER_HALF. -EINVAL if the vCPU is not in long-mode paging
 * (CR0.PG and EFER.LMA set).
 */
int chk_walk_init(struct chk_walk *w, const struct chk_vcpu *cpu, u32 filter);

/* chk_walk_lin_top - the end of the lin space: 2^48, or 2^57 with 5 levels. */
u64 chk_walk_lin_top(const struct chk_walk *w);
/* chk_walk_va - the canonical virtual address of lin address @lin. */
u64 chk_walk_va(const struct chk_walk *w, u64 lin);
/* chk_walk_lin - the lin address of canonical @va (non-canonical: top bits dropped). */
u64 chk_walk_lin(const struct chk_walk *w, u64 va);

/*
 * chk_walk_fn - called for each mapping the filter passes. Before the call
 * the walker's cursor is set to the lin address just past @m; the callee may
 * set w->cursor lower (to resume inside @m). Return 0 to go on; any other
 * value stops the walk and is returned by chk_walk_run().
 */
typedef int (*chk_walk_fn)(void *arg, struct chk_walk *w, const struct chk_map *m);

/*
 * chk_walk_run - visit mappings from w->cursor up to w->end. *@budget is the
 * number of page-table entry reads allowed and is decreased. Returns 0 when
 * the range is done (cursor == end), -EAGAIN when the budget ran out (call
 * again to resume), or the callback's non-zero value.
 */
int chk_walk_run(struct chk_walk *w, const struct chk_env *env, u32 *budget,
		 chk_walk_fn fn, void *arg);

/*
 * chk_walk_translate - translate one virtual address @va: 0 and *@gpa,
 * *@flags (CHK_MAP_*); -ENOENT not mapped; -EIO a table read failed;
 * -EFAULT non-canonical @va. Costs at most 5 entry reads; reports nothing.
 */
int chk_walk_translate(const struct chk_walk *w, const struct chk_env *env,
		       u64 va, u64 *gpa, u32 *flags);

/*
 * chk_read_virt - read @len bytes at @va through the walker's paging, page
 * by page: 0, or the first error of chk_walk_translate() / read_phys().
 */
int chk_read_virt(const struct chk_walk *w, const struct chk_env *env,
		  u64 va, void *buf, u32 len);

#endif
