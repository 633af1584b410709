/* SPDX-License-Identifier: GPL-2.0-only */
/* The monitor's own (pure) helpers, also built on the host for unit tests. */
#ifndef MON_MON_H
#define MON_MON_H

#ifdef MAMORI_HOST_TEST
#include <mamori/types.h>
#else
#include "rt.h"
#endif

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
