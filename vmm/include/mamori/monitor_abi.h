/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor partition's ABI (docs/hypercalls.md, "Monitor ABI"), shared by
 * the VMM and the monitor program (monitor/). Plain fixed-width types only.
 *
 * The monitor starts in 64-bit mode at MON_LOAD_BASE with RSP at MON_STACK_TOP,
 * paging on: its private memory identity-mapped (virtual = monitor-physical),
 * all guest RAM read-only at MON_WINDOW_BASE + guest-physical address.
 * Hypercall buffers are monitor-physical (= virtual) addresses inside its
 * private memory.
 */
#ifndef MAMORI_MONITOR_ABI_H
#define MAMORI_MONITOR_ABI_H

#define MON_MEM_SIZE		0x200000UL	/* private memory: 2 MiB from monitor-physical 0 */
#define MON_PT_BASE		0x1000UL	/* its page tables (the VMM builds them) */
#define MON_PT_END		0x80000UL
#define MON_LOAD_BASE		0x80000UL	/* the program is linked and loaded here */
#define MON_STACK_TOP		MON_MEM_SIZE
#define MON_STACK_SIZE		0x10000UL
#define MON_WINDOW_BASE		0x8000000000UL	/* 512 GiB: guest-physical 0, read-only */
#define MON_WINDOW_MAX		(64UL << 30)	/* guest RAM above 64 GiB is not mapped */

/* Monitor hypercall numbers: VMCALL with RAX = number, RBX.. = arguments. */
#define HC_MON_BASE		0x100
#define HC_MON_YIELD		0x100	/* end of this slice -> 0 */
#define HC_MON_ALERT		0x101	/* RBX severity, RCX check id, RDX text, RSI length -> 0 */
#define HC_MON_SNAPSHOT		0x102	/* RBX buffer, RCX size -> vCPUs written */
#define HC_MON_LOG		0x103	/* RBX text, RCX length: a heartbeat/info line -> 0 */
#define HC_MON_INFO		0x104	/* RBX buffer, RCX size -> bytes of struct mon_info */
#define HC_MON_RAMMAP		0x105	/* RBX buffer, RCX size -> ranges of struct mon_ram_range */
#define HC_MON_EVENTS		0x106	/* RBX buffer, RCX size -> events of struct mon_event */
#define HC_MON_KEEP		0x107	/* RBX struct mon_keep, RCX size, RDX 0 read / 1 add -> 0 */
#define HC_MON_END		0x108

#define MON_RAM_RANGES_MAX	64

#define MON_TEXT_MAX		160	/* bytes of an alert or log text */

enum mon_severity { MON_SEV_INFO = 0, MON_SEV_WARN = 1, MON_SEV_CRIT = 2 };

/* Check ids an alert names (the monitor's checks; 0 = the monitor itself). */
enum mon_check_id {
	MON_CHECK_SELF = 0,
	MON_CHECK_KERNEL_TEXT = 1,
	MON_CHECK_IDT = 2,
	MON_CHECK_SYSCALL_MSRS = 3,
	MON_CHECK_EVENT = 4,
};

/* One guest vCPU's control state, as of its last VM exit before the snapshot. */
struct mon_vcpu_state {
	unsigned int cpu;		/* VMM CPU number */
	unsigned int valid;		/* 1: the vCPU has run the guest since boot */
	unsigned long seq;		/* bumped at every refresh */
	unsigned long tsc;		/* when it was taken */
	unsigned long rip;
	unsigned long cr0, cr3, cr4, efer;
	unsigned long idtr_base, gdtr_base;
	unsigned int idtr_limit, gdtr_limit;
	unsigned long lstar, cstar, star;
	unsigned long sysenter_cs, sysenter_esp, sysenter_eip;
};

/* One guest-physical RAM range the window maps (read at MON_WINDOW_BASE + base). */
struct mon_ram_range {
	unsigned long base, size;
};

/*
 * A synchronous event source: one watched register of one vCPU (a guest write
 * the VMM trapped, MON_EV_*). The VMM keeps one record per source, not a
 * queue: writes of the value already there are not recorded, and all the
 * value-changing writes since the monitor last drained the source are folded
 * into its record, so a flood cannot push an attack out.
 */
enum mon_event_kind {
	MON_EV_MSR_WRITE = 1,	/* msr, old, new */
	MON_EV_CR0_WP = 2,	/* CR0.WP cleared: old, new CR0 */
	MON_EV_CR4_SMXP = 3,	/* CR4.SMEP or SMAP cleared: old, new CR4 */
};

#define MON_EV_VALS		4	/* distinct values a record keeps */

struct mon_event {
	unsigned int kind;		/* enum mon_event_kind */
	unsigned int cpu;		/* VMM CPU */
	unsigned int msr;		/* MON_EV_MSR_WRITE: which */
	unsigned int writes;		/* value-changing writes folded into this record */
	unsigned long old;		/* the value before the first of them */
	unsigned long new;		/* the first value written */
	unsigned long last;		/* the last value written (the current one) */
	unsigned long rip;		/* guest RIP of the first write */
	unsigned long tsc;		/* of the first write */
	unsigned int nvals;		/* distinct values written; > MON_EV_VALS: more than vals[] holds */
	unsigned int rsvd;
	unsigned long vals[MON_EV_VALS];	/* the first MON_EV_VALS distinct values written */
};

/*
 * What the VMM keeps for the monitor across its restarts (HC_MON_KEEP): the
 * kernel-wide baseline. Each part (ctl_set, text_set) is write-once: an add
 * of other values for a part already set is refused (-EPERM), changes nothing.
 */
struct mon_keep {
	unsigned int ctl_set;		/* lstar..idtr hold the baseline */
	unsigned int text_set;		/* text_digest, text_pages hold it */
	unsigned long lstar, cstar, sysenter_eip, idtr;
	unsigned long text_digest;	/* the kernel-text baseline's digest (checks) */
	unsigned long text_pages;
};

/* What HC_MON_INFO writes. */
struct mon_info {
	unsigned int abi;		/* 1 */
	unsigned int checks;		/* the policy's check bits (docs/policy.md) */
	unsigned int interval_ms;	/* the policy's interval */
	unsigned int budget_us;		/* the slice */
	unsigned int vcpus;		/* guest CPUs */
	unsigned int restarts;		/* times the VMM restarted the monitor */
	unsigned long window_base;	/* MON_WINDOW_BASE */
	unsigned long window_size;	/* guest-physical bytes mapped there */
	unsigned long tsc_per_ms;
	/* cpu0's time away from the guest per slice (world switch + monitor + its hypercalls) */
	unsigned long slices, away_max, away_total;	/* TSC cycles */
};

#endif
