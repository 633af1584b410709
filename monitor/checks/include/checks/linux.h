/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Linux-specific helpers of the checks (x86-64 guests): where the kernel
 * image landed (KASLR) and its jump-label patch sites, read from the guest's
 * own __jump_table so that static-key flips are not alerts
 * (docs/monitor-checks.md, "Legitimate change").
 *
 * The jump table's link-time bounds come from outside (the policy: from the
 * kernel build's System.map or `readelf -S vmlinux`); the runtime adds the
 * KASLR slide, chk_linux_text_base() - CHK_LINUX_TEXT_LINK. The table is
 * guest data and hostile like the rest: every entry is bounds-checked, an
 * entry whose site holds no jump-label form is skipped and counted.
 */
#ifndef CHECKS_LINUX_H
#define CHECKS_LINUX_H

#include <checks/checks.h>
#include <checks/ktext.h>

/* Link address of _text with CONFIG_PHYSICAL_START=0x1000000 (Debian, defconfig). */
#define CHK_LINUX_TEXT_LINK	0xffffffff81000000ull
/* struct jump_entry, CONFIG_HAVE_ARCH_JUMP_LABEL_RELATIVE: s32 code, s32 target, long key. */
#define CHK_LINUX_JUMP_ENTRY	16u

/*
 * chk_linux_text_base - the lowest supervisor-executable VA in the kernel
 * image range (CHK_LINUX_KIMAGE_*): _text after KASLR. @flags:
 * CHK_KTEXT_LINUX_PTI. At most @budget entry reads. 0 and *@text; -ENOENT
 * nothing executable there; -EAGAIN budget spent; -EINVAL no long mode.
 */
int chk_linux_text_base(const struct chk_env *env, const struct chk_vcpu *cpu, u32 flags,
			u32 budget, u64 *text);

/* struct chk_jump_load - one resumable load of the jump table into sites. */
struct chk_jump_load {
	u64 start, end;		/* the table's VAs (runtime, after KASLR) */
	u64 pos;		/* next entry */
	struct chk_site *sites;
	u32 cap, n;
	u32 skipped;		/* entries not used: unreadable site, unknown bytes, overlap */
	u32 flags;		/* CHK_KTEXT_LINUX_PTI */
	u32 phase;		/* internal: read, heapify, sort, done */
	u32 heap_i, heap_end;
};

/*
 * chk_jump_load_init - prepare to load the table [@start, @end) into @sites
 * (@cap entries of 16 bytes: one per table entry). -EINVAL for a reversed
 * range, a start not 8-aligned or a length not a multiple of 16, -ENOSPC
 * when the table has more entries than @cap.
 */
int chk_jump_load_init(struct chk_jump_load *j, u64 start, u64 end,
		       struct chk_site *sites, u32 cap, u32 flags);

/*
 * chk_jump_load_step - go on for at most @budget entries read or sort steps
 * through @cpu's paging. -EAGAIN not done; 0 done: j->sites[0..j->n) sorted
 * by va, not overlapping, ready for chk_ktext_set_sites(); -EIO a table
 * entry could not be read (the load is void); -EINVAL no long mode.
 */
int chk_jump_load_step(struct chk_jump_load *j, const struct chk_env *env,
		       const struct chk_vcpu *cpu, u32 budget);

/*
 * struct chk_jump_find - a resumable scan for the jump table when its bounds
 * are not known (Debian's kernels are stripped): every 8-byte aligned
 * position of the read-only, non-executable supervisor pages in [@lo, @hi)
 * is tried as a struct jump_entry; an entry is plausible when its code and
 * target lie in supervisor-executable pages of the kernel-image range, within
 * 1 GiB of each other, and the code holds a jump-label form (a JMP: to exactly
 * the target). The longest run of plausible entries (runs may hold up to
 * CHK_JUMP_FIND_GAP implausible ones: entries of freed .init.text) is the
 * table; fewer than CHK_JUMP_FIND_MIN entries is no table.
 */
#define CHK_JUMP_FIND_GAP	256u
#define CHK_JUMP_FIND_MIN	64u

struct chk_jump_run {
	u64 start;		/* VA of the run's first entry */
	u64 last;		/* VA just past its last plausible entry */
	u32 good, gap;
};

struct chk_jump_find {
	u64 lo, hi, cursor;
	u32 flags;		/* CHK_KTEXT_LINUX_PTI */
	struct chk_jump_run cur[2], best;	/* per 16-byte phase (0, 8) */
	u8 page[4096];
};

/* chk_jump_find_init - scan [@lo, @hi) (page aligned; e.g. _text .. _text + 64 MiB). */
int chk_jump_find_init(struct chk_jump_find *f, u64 lo, u64 hi, u32 flags);

/*
 * chk_jump_find_step - scan at most @pages more pages. -EAGAIN not done; 0
 * done and *@start, *@end the table found (end - start a multiple of 16);
 * -ENOENT no run of CHK_JUMP_FIND_MIN entries; -EINVAL no long mode.
 */
int chk_jump_find_step(struct chk_jump_find *f, const struct chk_env *env,
		       const struct chk_vcpu *cpu, u32 pages, u64 *start, u64 *end);

#endif
