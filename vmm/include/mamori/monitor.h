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
#define MON_FAULTS_MAX		8	/* restarts in a row without a yield: monitor off */

/* Why a slice ended. */
enum mon_end { MON_END_YIELD, MON_END_OVERRUN, MON_END_FAULT };

/* The slice schedule of one CPU, in arch_cycles() units. Pure (unit-tested). */
struct mon_sched {
	u64 period, budget;	/* cycles */
	u64 next;		/* the next slice may start at or after this */
	u64 start;		/* of the running slice */
	bool running;
	bool off;		/* too many faults in a row: never again */
	u32 faults_in_row;
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
 * late slice does not cause a burst). Return: true when the monitor must be
 * restarted (overrun or fault); a MON_FAULTS_MAX-th fault in a row without a
 * yield turns it off (s->off).
 */
bool mon_sched_end(struct mon_sched *s, u64 now, enum mon_end why);

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
 * monitor_event - queue a synchronous event for the monitor (any CPU, VMX
 * root); the oldest are kept, newer ones counted as dropped when full.
 */
void monitor_event(const struct mon_event *ev);
/* monitor_slice_ended - log an abnormal end (overrun, fault) and count restarts. */
void monitor_slice_ended(u32 cpu, enum mon_end why, const char *what, u64 rip, bool off);

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

extern const u8 monitor_image[], monitor_image_end[];

#endif
