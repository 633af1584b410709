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
/* struct jump_entry with CONFIG_HAVE_ARCH_JUMP_LABEL_RELATIVE: s32 code, s32 target, long key. */
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
 * (@cap entries of 16 bytes: one per table entry). -EINVAL for a reversed or
 * unaligned range, -ENOSPC when the table has more entries than @cap.
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

#endif
