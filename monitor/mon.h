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

/* One vCPU's baseline of syscall MSRs and IDTR (zeroed: none yet). */
struct mon_ctl_base {
	unsigned long lstar, cstar, sysenter_eip, idtr;
	unsigned int stable;		/* rounds the candidate held */
	unsigned int taken;		/* the baseline is set */
};

/* What mon_ctl_step() saw: 0, MON_CTL_BASELINE, or a set of changed fields. */
enum mon_ctl_diff {
	MON_CTL_SAME = 0,
	MON_CTL_LSTAR = 1u << 0,
	MON_CTL_CSTAR = 1u << 1,
	MON_CTL_SYSENTER = 1u << 2,
	MON_CTL_IDTR = 1u << 3,
	MON_CTL_BASELINE = 1u << 8,
};

/*
 * mon_ctl_step - one round for one vCPU. Before the baseline: the values
 * become the candidate, and once they held @stable rounds with LSTAR set
 * (the kernel's, not the firmware's zero) they are the baseline
 * (MON_CTL_BASELINE). After: the set of fields that differ from it (each
 * change is reported once: the baseline follows the new value).
 */
unsigned int mon_ctl_step(struct mon_ctl_base *b, unsigned long lstar,
			  unsigned long cstar, unsigned long sysenter_eip,
			  unsigned long idtr, unsigned int stable);

#endif
