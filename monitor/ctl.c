// SPDX-License-Identifier: GPL-2.0-only
/* The kernel-wide syscall-MSR and IDTR baseline, events against it (mon.h). Pure: also a host unit test. */
#include "mon.h"

static unsigned int mon_ctl_diff(const struct mon_ctl_vals *a, const struct mon_ctl_vals *b)
{
	unsigned int d = 0;

	if (a->lstar != b->lstar)
		d |= MON_CTL_LSTAR;
	if (a->cstar != b->cstar)
		d |= MON_CTL_CSTAR;
	if (a->sysenter_eip != b->sysenter_eip)
		d |= MON_CTL_SYSENTER;
	if (a->idtr != b->idtr)
		d |= MON_CTL_IDTR;
	return d;
}

/* Before the vCPU is compared: whether it is ready to be (or to make the baseline). */
static bool mon_ctl_ready(const struct mon_kbase *kb, struct mon_ctl_base *b,
			  const struct mon_ctl_vals *v, unsigned int stable)
{
	b->stable = (mon_ctl_diff(&b->cand, v) || !v->lstar) ? 0 : b->stable + 1;
	b->cand = *v;
	b->rounds++;
	if (b->stable >= stable)
		return true;
	/* LSTAR 0: not a kernel CPU yet (firmware, an AP not brought up): never compared */
	return kb->taken && v->lstar && b->rounds >= MON_CTL_ROUNDS_MAX(stable);
}

unsigned int mon_ctl_step(struct mon_kbase *kb, struct mon_ctl_base *b,
			  const struct mon_ctl_vals *v, unsigned int stable)
{
	unsigned int away, was, first = 0;

	if (!b->compared) {
		if (!mon_ctl_ready(kb, b, v, stable))
			return MON_CTL_SAME;
		b->compared = 1;
		b->rep = kb->v;
		if (!kb->taken) {
			kb->v = *v;
			kb->taken = 1;
			b->rep = *v;
			return MON_CTL_BASELINE;
		}
		first = 1;
	}
	away = mon_ctl_diff(v, &kb->v);		/* differs from the baseline */
	was = mon_ctl_diff(v, &b->rep);		/* and from what was last reported */
	b->rep = *v;
	if (first && !away)
		return MON_CTL_MATCH;
	return away & was;
}

unsigned long mon_kbase_msr(const struct mon_kbase *kb, unsigned int msr)
{
	return msr == 0xc0000082 ? kb->v.lstar : msr == 0xc0000083 ? kb->v.cstar :
	       msr == 0x176 ? kb->v.sysenter_eip : 0;
}

bool mon_event_alert(const struct mon_kbase *kb, const struct mon_event *e)
{
	unsigned long base = mon_kbase_msr(kb, e->msr);
	unsigned int i;

	if (!kb->taken || !e->writes)
		return false;
	if (e->kind != MON_EV_MSR_WRITE)
		return true;
	if (e->nvals > MON_EV_VALS)
		return true;
	for (i = 0; i < e->nvals; i++)
		if (e->vals[i] != base)
			return true;
	return e->last != base;
}
