/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall ABI (docs/hypercalls.md): VMCALL with RAX = number, RBX, RCX, RDX,
 * RSI = arguments; result in RAX (>= 0 success, negative errno on refusal).
 * Calls from CPL > 0 are refused with #UD before they reach the dispatcher.
 */
#ifndef MAMORI_HYPERCALL_H
#define MAMORI_HYPERCALL_H

#include <mamori/types.h>
#include <mamori/guest_mem.h>	/* arch_guest_read/write, HC_COPY_MAX */

#define HC_VERSION	0	/* -> (major << 32) | (minor << 16) | patch */
#define HC_EXIT_STATS	1	/* RBX = guest VA of buffer, RCX = size -> bytes written */
#define HC_AUDIT_READ	2	/* RBX = guest VA, RCX = size, RDX = from sequence -> bytes written */
#define HC_COUNT	3

#define HC_ABI_MAJOR	0
#define HC_ABI_MINOR	2
#define HC_ABI_PATCH	0

/* Layout HC_EXIT_STATS writes: a header then @reasons counters (summed over CPUs). */
struct hc_exit_stats {
	u32 reasons;		/* number of counters that follow */
	u32 reserved;
	u64 total;
	u64 count[];		/* indexed by basic exit reason */
};

/*
 * Layout HC_AUDIT_READ writes: a header then @len bytes of whole audit lines,
 * each ending in "\n" (no NUL). @first: sequence of the first line (the
 * oldest kept if the asked one was overwritten); @next: ask from it next.
 */
struct hc_audit {
	u64 first;
	u64 next;
	u32 len;
	u32 reserved;
	char text[];
};

struct vm;

/* hypercall_dispatch - run hypercall @nr for @vm (caller checked CPL 0). */
s64 hypercall_dispatch(struct vm *vm, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3);


/* arch_exit_stats - fill @out (@reasons slots) with exit counts summed over CPUs. */
u32 arch_exit_stats(u64 *out, u32 reasons, u64 *total);

#endif
