/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor's own (pure) helpers, also built on the host for unit tests. */
#ifndef MON_MON_H
#define MON_MON_H

#include <mamori/types.h>
#include <mamori/monitor_abi.h>

#define MON_VCPUS_MAX	8

/* mon_log_event - an event line (the checks' news, not an alert). */
void mon_log_event(const char *text);

/* guard_init - the checks' state (monitor/guard.c, with monitor/checks/ only). */
void guard_init(void);
/* guard_slice - go on with the checks until the TSC reaches @t_end. */
void guard_slice(const struct mon_vcpu_state *s, u32 n, u64 t_end, u64 tsc_per_ms);
/* guard_round - once per interval: each vCPU's IDT and syscall MSRs. */
void guard_round(const struct mon_vcpu_state *s, u32 n);

/* The syscall entry MSRs and the IDTR base of a vCPU. */
struct mon_ctl_vals {
	unsigned long lstar, cstar, sysenter_eip, idtr;
};

/*
 * The kernel-wide baseline (zeroed: none yet): taken once from the first
 * vCPU whose values held, then fixed. Linux uses the same syscall entry
 * points and the same IDT (idt_table through its read-only fixmap alias) on
 * every CPU, so every vCPU is compared with this one baseline.
 */
struct mon_kbase {
	struct mon_ctl_vals v;
	unsigned int taken;
};

/* One vCPU's state against the kernel-wide baseline (zeroed: not seen yet). */
struct mon_ctl_base {
	struct mon_ctl_vals cand;	/* the values of its last round */
	struct mon_ctl_vals rep;	/* once compared: the values last reported (or the baseline) */
	unsigned int stable;		/* rounds the candidate held */
	unsigned int rounds;		/* rounds before it was first compared */
	unsigned int compared;		/* it is compared every round */
};

/* What mon_ctl_step() saw: 0, MON_CTL_BASELINE, MON_CTL_MATCH or a set of changed fields. */
enum mon_ctl_diff {
	MON_CTL_SAME = 0,
	MON_CTL_LSTAR = 1u << 0,
	MON_CTL_CSTAR = 1u << 1,
	MON_CTL_SYSENTER = 1u << 2,
	MON_CTL_IDTR = 1u << 3,
	MON_CTL_BASELINE = 1u << 8,
	MON_CTL_MATCH = 1u << 9,
};

#define MON_CTL_ROUNDS_MAX(stable)	(4 * (stable))	/* unstable for longer: compared anyway */

/*
 * mon_ctl_step - one round for one vCPU (@v its values now). Until the vCPU
 * is compared, its values must hold @stable rounds with LSTAR set (the
 * kernel's, not the firmware's zero), or MON_CTL_ROUNDS_MAX rounds pass once
 * a baseline exists and its LSTAR is set (a vCPU still in firmware or not yet
 * brought up by the kernel has LSTAR 0 and is not compared; a later write of
 * LSTAR is a synchronous event, checked against the baseline). Then the first such vCPU makes the kernel-wide baseline
 * @kb (MON_CTL_BASELINE); any other is compared with it from then on, every
 * round: MON_CTL_MATCH the first time if equal, else the set of fields that
 * differ from the baseline and from what was last reported (a value is
 * reported once; back to the baseline and away again is reported again).
 */
unsigned int mon_ctl_step(struct mon_kbase *kb, struct mon_ctl_base *b,
			  const struct mon_ctl_vals *v, unsigned int stable);

/*
 * mon_event_alert - whether a drained event record (mon_event) is an attack:
 * after the baseline, a CR0.WP/CR4.SMEP/SMAP clear, or a syscall MSR write
 * of any value other than the baseline's (also one undone since), or more
 * distinct values than the record keeps. Before the baseline: the boot's own
 * writes, no alert.
 */
bool mon_event_alert(const struct mon_kbase *kb, const struct mon_event *e);

/* mon_kbase_msr - the baseline's value of syscall MSR @msr (0 if not one). */
unsigned long mon_kbase_msr(const struct mon_kbase *kb, unsigned int msr);

#endif
