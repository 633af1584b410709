/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor partition (docs/monitor.md): a second VM that runs the
 * monitor program (monitor/) in time slices on the boot CPU, sees guest RAM
 * read-only, and reports through the monitor-only hypercalls
 * (mamori/monitor_abi.h). The core here is arch-neutral: scheduling
 * decisions, hypercall permission, the hypercalls themselves. The arch part
 * (arch_monitor_*) builds the VM and switches between guest and monitor.
 */
#ifndef MAMORI_MONITOR_H
#define MAMORI_MONITOR_H

#include <mamori/types.h>
#include <mamori/monitor_abi.h>

#define MON_PERIOD_MS_DEFAULT	100
#define MON_BUDGET_US_DEFAULT	2000
#define MON_FAULTS_MAX		8	/* slices in a row without a yield: failing (backoff, alert) */
#define MON_BACKOFF_PERIODS	10	/* a failing monitor is retried every 10 periods */
#define MON_STARVE_PERIODS	3	/* a slice this many periods overdue: starved (alert) */

/* Why a slice ended. */
enum mon_end { MON_END_YIELD, MON_END_OVERRUN, MON_END_FAULT };

/* The slice schedule of one CPU, in arch_cycles() units. Pure (unit-tested). */
struct mon_sched {
	u64 period, budget;	/* cycles */
	u64 next;		/* the next slice may start at or after this */
	u64 start;		/* of the running slice */
	bool running;
	bool off;		/* the VMX switch itself failed: never again (an alert) */
	bool failing;		/* MON_FAULTS_MAX slices in a row without a yield */
	u32 faults_in_row;	/* slices ended without a yield since the last yield */
	u64 slices, yields, overruns, faults;
};

/* mon_sched_init - first slice due at @now + @period. */
void mon_sched_init(struct mon_sched *s, u64 period, u64 budget, u64 now);
/* mon_sched_due - a slice should start now (not running, not off, its time came). */
bool mon_sched_due(const struct mon_sched *s, u64 now);
/* mon_sched_until - cycles until the next slice is due: 0 when due, ~0 when off. */
u64 mon_sched_until(const struct mon_sched *s, u64 now);
/* mon_sched_begin - a slice starts at @now. */
void mon_sched_begin(struct mon_sched *s, u64 now);
/*
 * mon_sched_credit - @cycles of the running slice were the VMM's (a hypercall
 * writing to the UART): the slice's budget does not count them.
 */
void mon_sched_credit(struct mon_sched *s, u64 cycles);
/*
 * mon_sched_end - the slice ends at @now for @why. The next starts one period
 * after this one started, and never sooner than period - budget from now (a
 * late slice does not cause a burst). An overrun only preempts: the monitor
 * resumes where it was in the next slice. Return: true when the monitor must
 * be restarted: a fault, or the MON_FAULTS_MAX-th slice in a row without a
 * yield. From then on it is failing (s->failing, the caller alerts) and
 * retried every MON_BACKOFF_PERIODS periods until it yields again; it is
 * never turned off.
 */
bool mon_sched_end(struct mon_sched *s, u64 now, enum mon_end why);
/*
 * mon_sched_starved - the next slice is more than MON_STARVE_PERIODS periods
 * overdue at @now (no CPU switched to the monitor: its CPU makes no exits).
 * Only after a first slice (the guest's boot before its first exit is not).
 */
bool mon_sched_starved(const struct mon_sched *s, u64 now);

/*
 * The synchronous events (mon_event in mamori/monitor_abi.h): one record per
 * vCPU and watched register. Pure (unit-tested); the caller locks.
 */
#define MON_EV_SOURCES		5	/* LSTAR, CSTAR, SYSENTER_EIP, CR0.WP, CR4.SMEP/SMAP */
#define MON_EV_CPUS		64	/* = BOOT_CPUS_MAX */

struct mon_evq {
	struct mon_event rec[MON_EV_CPUS * MON_EV_SOURCES];
	u32 next;		/* where the next drain starts (round robin) */
};

/*
 * mon_evq_add - fold @ev into its source's record. A write of the value
 * already there (old == new) is not recorded. Return: 1 recorded, 0 not a
 * change, -EINVAL for a source or CPU without a record.
 */
int mon_evq_add(struct mon_evq *q, const struct mon_event *ev);
/* mon_evq_drain - up to @n pending records into @out, each then cleared; how many. */
u32 mon_evq_drain(struct mon_evq *q, struct mon_event *out, u32 n);
/* mon_evq_pending - records not drained yet. */
u32 mon_evq_pending(const struct mon_evq *q);

/*
 * mon_keep_update - add @in to the kept baseline @k (HC_MON_KEEP): each part
 * (syscall MSRs + IDTR, kernel text) is write-once. Return: 0, or -EPERM
 * when @in sets a part already kept with other values (@k unchanged).
 */
int mon_keep_update(struct mon_keep *k, const struct mon_keep *in);

/* Who issued a VMCALL. */
enum hc_caller { HC_CALLER_GUEST, HC_CALLER_MONITOR };

/* hypercall_allowed - whether @caller may make hypercall @nr (deny by default). */
bool hypercall_allowed(enum hc_caller caller, u64 nr);

struct boot_info;

/* monitor_boot_phase - with a policy monitor section: build the monitor VM. */
int monitor_boot_phase(struct boot_info *bi);
/* monitor_enabled - the monitor partition exists (the tick must be armed). */
bool monitor_enabled(void);
/* monitor_config - period and budget in ms/us, for the arch part. */
void monitor_config(u32 *period_ms, u32 *budget_us);
/* monitor_hypercall - a hypercall from the monitor (VMX root, its slice). */
s64 monitor_hypercall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3);
/*
 * monitor_event - record a synchronous event for the monitor (any CPU, VMX
 * root): folded into its source's record (mon_evq_add), never dropped.
 */
void monitor_event(const struct mon_event *ev);
/*
 * monitor_slice_ended - a slice ended without a yield. A restart (@restart)
 * is a crit alert each time; @failing (MON_FAULTS_MAX in a row) is a crit
 * alert and, with the policy's action=halt, halts the guest.
 */
void monitor_slice_ended(u32 cpu, enum mon_end why, const char *what, u64 rip, bool restart,
			 bool failing);
/* monitor_starved - no slice for @ms ms (watchdog on any CPU): crit alert, halt per policy. */
void monitor_starved(u32 cpu, u64 ms);
/*
 * monitor_crit - a crit alert of the VMM about the monitor itself (the
 * console line of HC_MON_ALERT); with the policy's action=halt the guest is
 * halted (arch_monitor_halt_guest).
 */
void monitor_crit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- arch hooks (arch/x86_64/vm_monitor.c, vmx_monitor.c) --- */

/* arch_monitor_init - private memory, EPT, page tables, image; an enum vmm_status. */
int arch_monitor_init(const struct boot_info *bi, const void *image, u64 image_size);
/* arch_monitor_mem - VMM pointer to @len bytes at monitor-physical @gpa, or NULL. */
void *arch_monitor_mem(u64 gpa, u64 len);
/* arch_monitor_snapshot - up to @n guest vCPU states into @out; how many. */
u32 arch_monitor_snapshot(struct mon_vcpu_state *out, u32 n);
/* arch_monitor_rammap - up to @n of the guest RAM ranges the window maps; how many. */
u32 arch_monitor_rammap(struct mon_ram_range *out, u32 n);
/* arch_monitor_window - guest-physical bytes mapped in the read-only window. */
u64 arch_monitor_window(void);
/* arch_monitor_away - slices so far, and the guest's longest and total time away (cycles). */
void arch_monitor_away(u64 *slices, u64 *max, u64 *total);
/* arch_monitor_tsc_per_ms - TSC cycles per millisecond. */
u64 arch_monitor_tsc_per_ms(void);
/*
 * arch_monitor_halt_guest - stop the guest for good (policy monitor
 * action=halt): this CPU halts now, the others at their next VM exit.
 */
void arch_monitor_halt_guest(void) __noreturn;

extern const u8 monitor_image[], monitor_image_end[];

#endif
