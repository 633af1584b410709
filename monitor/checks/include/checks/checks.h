/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor partition's integrity checks (docs/monitor-checks.md): pure,
 * freestanding C with no libc, no allocation and no VMX knowledge. Guest
 * memory comes through the caller's read_phys() callback and every result
 * goes out through its report() callback; all state lives in memory the
 * caller provides, with documented sizes and bounds.
 *
 * Everything read from the guest is hostile: page tables may loop, alias,
 * point outside RAM or hold billions of mappings; a failed read is an event,
 * never a silent pass and never trusted data. Functions return 0 or a negated
 * code from <mamori/errno.h>; -EAGAIN means "budget spent, call again".
 *
 * Needs from the program it links into: memcpy, memset, memmove and memcmp
 * (GCC's freestanding contract; vmm/lib/string.c provides them).
 */
#ifndef CHECKS_CHECKS_H
#define CHECKS_CHECKS_H

#include <mamori/types.h>
#include <mamori/errno.h>

/* Severity of a report: an ALERT is an integrity violation, an EVENT is news. */
enum chk_severity {
	CHK_EVENT = 1,
	CHK_ALERT = 2,
};

/* What a report is about; chk_kind_name() gives its stable text. */
enum chk_kind {
	CHK_KTEXT_CHANGED = 1,	/* baseline text page's content changed (va) */
	CHK_KTEXT_REMAPPED,	/* core text page now maps another GPA (va, old, new gpa) */
	CHK_KTEXT_NEW,		/* supervisor-executable page not in the baseline (va, gpa) */
	CHK_KTEXT_REMOVED,	/* tracked page no longer mapped executable (va) */
	CHK_KTEXT_LATE_CHANGED,	/* page first seen after the baseline changed (va) */
	CHK_KTEXT_WX,		/* supervisor-executable page is also writable (va) */
	CHK_KTEXT_OVERFLOW,	/* page table full: pages beyond it are not tracked (va) */
	CHK_KTEXT_SITE,		/* a patch site holds neither of its two forms (va) */
	CHK_WALK_READ,		/* a page-table read failed; subtree skipped (va, gpa) */
	CHK_WALK_BUDGET,	/* a pass spent its read budget: tables too large (va) */
	CHK_PAGE_READ,		/* a text page could not be read for hashing (va, gpa) */
	CHK_IDTR_CHANGED,	/* IDTR base or limit differs (old, new base; index: new limit) */
	CHK_IDT_GATE_CHANGED,	/* an IDT entry differs (index: vector; old, new handler) */
	CHK_IDT_GATE_OUTSIDE,	/* a present gate's handler is outside baseline text */
	CHK_IDT_READ,		/* the IDT could not be translated or read (va) */
	CHK_MSR_CHANGED,	/* syscall entry MSR differs (index: MSR number; old, new) */
	CHK_MSR_OUTSIDE,	/* syscall entry MSR points outside baseline text */
	CHK_PAGING_UNSUPPORTED,	/* the vCPU is not in 4/5-level long-mode paging */
	CHK_FILE_CHANGED,	/* a watched file differs (index: file; old, new: hash heads) */
	CHK_FILE_ERROR,		/* a watched file cannot be resolved or read (old: -errno) */
	CHK_KIND_MAX,
};

/*
 * struct chk_report - one finding. @va is the guest virtual address it is
 * about (0 if none), @old and @new the values compared (GPAs, handler
 * addresses, MSR values), @index a vector, MSR number or vCPU-local index.
 */
struct chk_report {
	enum chk_severity severity;
	enum chk_kind kind;
	u32 index;
	u64 va;
	u64 old;
	u64 new;
};

/*
 * struct chk_env - the caller's side. @read_phys copies @len bytes of guest
 * physical memory at @gpa into @buf: 0 or a negative code (outside RAM, a
 * crossing of the window's end); it is called with @len <= 4096 and never
 * across a 4 KiB boundary. @report receives every finding (may be called
 * several times per call of a check). @ctx is passed to both.
 */
struct chk_env {
	int (*read_phys)(void *ctx, u64 gpa, void *buf, u32 len);
	void (*report)(void *ctx, const struct chk_report *r);
	void *ctx;
};

/* chk_kind_name - a short stable name for alert text ("ktext-changed"). */
const char *chk_kind_name(enum chk_kind kind);

/*
 * struct chk_vcpu - the control state of one guest vCPU, as the monitor's
 * snapshot hypercall gives it. Only these fields are read by the checks.
 */
struct chk_vcpu {
	u64 cr0, cr3, cr4, efer;
	u64 idtr_base;
	u32 idtr_limit;
	u64 lstar, cstar, sysenter_eip;
};

#define CHK_CR0_PG		BIT(31)
#define CHK_CR4_LA57		BIT(12)
#define CHK_EFER_NXE		BIT(11)
#define CHK_EFER_LMA		BIT(10)

#endif
