/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-text check: the SHA-256 of every supervisor-executable 4 KiB page
 * of the guest kernel (large pages are tracked per 4 KiB granule), taken in
 * a first full pass (the baseline) and compared in every later pass.
 *
 * A pass walks the kernel half of the paging of the vCPU given to each step
 * and is spread over many calls of chk_ktext_step(), each bounded by a page
 * budget (pages hashed) and a read budget (page-table entry reads); a whole
 * pass is bounded by cfg.pass_read_budget so hostile tables cannot make one
 * endless. Verdicts (docs/monitor-checks.md):
 *
 *   baseline page, content changed                ALERT  CHK_KTEXT_CHANGED
 *   baseline page in the core image, other GPA    ALERT  CHK_KTEXT_REMAPPED
 *   baseline page in the core image, unreadable   ALERT  CHK_PAGE_READ
 *   baseline page outside the core, other GPA     EVENT  REMOVED + NEW (module reload)
 *   page not in the baseline (module, BPF JIT)    EVENT  CHK_KTEXT_NEW (hashed from then on)
 *   such a late page changed                      EVENT  CHK_KTEXT_LATE_CHANGED
 *   tracked page gone                             EVENT  CHK_KTEXT_REMOVED
 *   supervisor page both writable and executable  EVENT  CHK_KTEXT_WX (when first seen)
 *   page array full                               EVENT  CHK_KTEXT_OVERFLOW (once a pass)
 *   pass over its read budget                     EVENT  CHK_WALK_BUDGET (pass restarted)
 *
 * A baseline page keeps its baseline hash and GPA for good: an alert is
 * raised once when the page leaves its baseline state and again only after
 * it went back to it (so a restored page is quiet, a re-patched one alerts).
 * A removed core page stays tracked (absent) and is compared again when it
 * reappears, so unmapping and remapping a patched copy is still an alert.
 *
 * Patch sites (Linux jump labels, see chk_ktext_set_sites()): bytes the
 * kernel legitimately rewrites are left out of the page hash and checked on
 * their own: each must hold one of its two allowed forms.
 */
#ifndef CHECKS_KTEXT_H
#define CHECKS_KTEXT_H

#include <checks/checks.h>
#include <checks/pt_walk.h>
#include <checks/sha256.h>

/* Linux x86-64: the kernel image mapping (__START_KERNEL_map .. MODULES_VADDR). */
#define CHK_LINUX_KIMAGE_LO	0xffffffff80000000ull
#define CHK_LINUX_KIMAGE_HI	0xffffffffc0000000ull

/* Page states (struct chk_kpage.state bits). */
#define CHK_KP_BASE		BIT(0)	/* in the baseline */
#define CHK_KP_CORE		BIT(1)	/* inside cfg.core_lo .. core_hi */
#define CHK_KP_ABSENT		BIT(2)	/* baseline core page not mapped now */
#define CHK_KP_ALERTED		BIT(3)	/* alert raised; quiet until it is back */
#define CHK_KP_PENDING		BIT(4)	/* a site showed int3 last pass (patch in flight) */

/* struct chk_kpage - one tracked page (56 bytes); the array is sorted by @va. */
struct chk_kpage {
	u64 va;
	u64 gpa;
	u8 hash[CHK_SHA256_LEN];
	u32 pass;		/* last pass it was seen in */
	u32 state;		/* CHK_KP_* */
};

/*
 * struct chk_site - a patch site: @len (2 or 5) bytes at @va that may hold
 * either a NOP of that length (66 90, 0f 1f 44 00 00) or a JMP (eb rel8,
 * e9 rel32) to @va + @target_off (16 bytes each). An int3 on the first byte
 * followed by either form's tail is what Linux's text_poke_bp() leaves while
 * it patches (it waits for every CPU, and a vCPU preempted by the monitor
 * holds it there): such a site is given one more pass and is an ALERT
 * CHK_KTEXT_SITE (old = 0xcc) when it is still so (a kprobe on the site).
 * Any other content is an ALERT CHK_KTEXT_SITE at once. Sorted by @va, not
 * overlapping.
 */
struct chk_site {
	u64 va;
	s32 target_off;		/* target - va */
	u32 len;
};

/* Configuration flags. */
#define CHK_KTEXT_LINUX_PTI	BIT(0)	/* clear CR3 bit 12: the user PGD -> kernel PGD */

/*
 * struct chk_ktext_cfg - @core_lo..@core_hi: VA range of the core kernel
 * image (CHK_LINUX_KIMAGE_*); @pass_read_budget: most page-table entry
 * reads of one pass (0: 1 << 22); @flags: CHK_KTEXT_*.
 */
struct chk_ktext_cfg {
	u64 core_lo, core_hi;
	u32 pass_read_budget;
	u32 flags;
};

/* struct chk_ktext - the check's state; only the functions below touch it. */
struct chk_ktext {
	struct chk_kpage *pages;
	u32 n, cap;
	const struct chk_site *sites;
	u32 nsites;
	struct chk_ktext_cfg cfg;
	struct chk_walk walk;
	u32 pass;		/* current pass, 1 = the baseline */
	u32 pass_reads;
	bool in_pass;
	bool baselined;		/* a whole baseline pass is done */
	bool overflow_told;	/* CHK_KTEXT_OVERFLOW sent this pass */
	bool paging_told;	/* CHK_PAGING_UNSUPPORTED sent, paging not back yet */
	u32 pages_hashed;	/* this pass */
	u8 buf[4096];		/* one page being hashed */
};

/*
 * chk_ktext_init - empty state over the caller's @pages array (@cap entries,
 * 56 bytes each: 8192 cover 32 MiB of text). The first pass is the baseline.
 */
void chk_ktext_init(struct chk_ktext *kt, struct chk_kpage *pages, u32 cap,
		    const struct chk_ktext_cfg *cfg);

/*
 * chk_ktext_set_sites - use @n patch sites from @sites (sorted by va, caller's
 * memory, kept). Call before the baseline; -EINVAL if unsorted or overlapping.
 */
int chk_ktext_set_sites(struct chk_ktext *kt, const struct chk_site *sites, u32 n);

/*
 * chk_ktext_step - go on with the current pass (or start one) on the paging
 * of @cpu (its kernel half; the CR3 is taken afresh each step): hash at most
 * @page_budget pages and read at most @read_budget page-table entries.
 * Returns -EAGAIN when the pass is not finished, 0 when it just finished
 * (the next call starts a new one), -EINVAL when @cpu is not in long-mode
 * paging (reported as CHK_PAGING_UNSUPPORTED once until paging is back;
 * nothing else changes).
 */
int chk_ktext_step(struct chk_ktext *kt, const struct chk_env *env,
		   const struct chk_vcpu *cpu, u32 page_budget, u32 read_budget);

/* chk_ktext_baselined - true once the baseline pass is complete. */
bool chk_ktext_baselined(const struct chk_ktext *kt);

/* chk_ktext_in_base - is @va inside a baseline text page? */
bool chk_ktext_in_base(const struct chk_ktext *kt, u64 va);

/* chk_ktext_find - the tracked page holding @va, or NULL. */
const struct chk_kpage *chk_ktext_find(const struct chk_ktext *kt, u64 va);

#endif
