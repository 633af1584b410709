// SPDX-License-Identifier: GPL-2.0-only
/* Syscall-MSR and IDTR baseline per vCPU (mon.h). Pure: also a host unit test. */
#include "mon.h"

unsigned int mon_ctl_step(struct mon_ctl_base *b, unsigned long lstar,
			  unsigned long cstar, unsigned long sysenter_eip,
			  unsigned long idtr, unsigned int stable)
{
	unsigned int d = 0;

	if (b->lstar != lstar)
		d |= MON_CTL_LSTAR;
	if (b->cstar != cstar)
		d |= MON_CTL_CSTAR;
	if (b->sysenter_eip != sysenter_eip)
		d |= MON_CTL_SYSENTER;
	if (b->idtr != idtr)
		d |= MON_CTL_IDTR;
	b->lstar = lstar;
	b->cstar = cstar;
	b->sysenter_eip = sysenter_eip;
	b->idtr = idtr;
	if (b->taken)
		return d;
	b->stable = (d || !lstar) ? 0 : b->stable + 1;
	if (b->stable < stable)
		return MON_CTL_SAME;
	b->taken = 1;
	return MON_CTL_BASELINE;
}
