// SPDX-License-Identifier: GPL-2.0-only
/* What the VMM holds for the monitor: event records, the kept baseline (mamori/monitor.h). Pure. */
#include <mamori/errno.h>
#include <mamori/monitor.h>

#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SYSENTER_EIP	0x176

static int mon_ev_source(const struct mon_event *ev)
{
	if (ev->kind == MON_EV_CR0_WP)
		return 3;
	if (ev->kind == MON_EV_CR4_SMXP)
		return 4;
	if (ev->kind != MON_EV_MSR_WRITE)
		return -EINVAL;
	return ev->msr == MSR_LSTAR ? 0 : ev->msr == MSR_CSTAR ? 1 :
	       ev->msr == MSR_SYSENTER_EIP ? 2 : -EINVAL;
}

static void mon_ev_value(struct mon_event *r, u64 v)
{
	u32 i;

	for (i = 0; i < r->nvals && i < MON_EV_VALS; i++)
		if (r->vals[i] == v)
			return;
	if (r->nvals < MON_EV_VALS)
		r->vals[r->nvals] = v;
	if (r->nvals != ~0U)
		r->nvals++;
}

int mon_evq_add(struct mon_evq *q, const struct mon_event *ev)
{
	int src = mon_ev_source(ev);
	struct mon_event *r;

	if (src < 0 || ev->cpu >= MON_EV_CPUS)
		return -EINVAL;
	if (ev->old == ev->new)
		return 0;
	r = &q->rec[ev->cpu * MON_EV_SOURCES + (u32)src];
	if (!r->writes) {
		*r = *ev;
		r->nvals = 0;
	}
	if (r->writes != ~0U)
		r->writes++;
	r->last = ev->new;
	mon_ev_value(r, ev->new);
	return 1;
}

u32 mon_evq_drain(struct mon_evq *q, struct mon_event *out, u32 n)
{
	u32 total = MON_EV_CPUS * MON_EV_SOURCES, k = 0, i, j, last = 0;

	for (i = 0; i < total && k < n; i++) {
		j = (q->next + i) % total;
		if (!q->rec[j].writes)
			continue;
		out[k++] = q->rec[j];
		q->rec[j] = (struct mon_event){ 0 };
		last = j;
	}
	if (k)
		q->next = (last + 1) % total;
	return k;
}

u32 mon_evq_pending(const struct mon_evq *q)
{
	u32 i, n = 0;

	for (i = 0; i < MON_EV_CPUS * MON_EV_SOURCES; i++)
		n += q->rec[i].writes != 0;
	return n;
}

static bool mon_keep_ctl_same(const struct mon_keep *a, const struct mon_keep *b)
{
	return a->lstar == b->lstar && a->cstar == b->cstar &&
	       a->sysenter_eip == b->sysenter_eip && a->idtr == b->idtr;
}

int mon_keep_update(struct mon_keep *k, const struct mon_keep *in)
{
	if (in->ctl_set && k->ctl_set && !mon_keep_ctl_same(k, in))
		return -EPERM;
	if (in->text_set && k->text_set &&
	    (k->text_digest != in->text_digest || k->text_pages != in->text_pages))
		return -EPERM;
	if (in->ctl_set && !k->ctl_set) {
		k->lstar = in->lstar;
		k->cstar = in->cstar;
		k->sysenter_eip = in->sysenter_eip;
		k->idtr = in->idtr;
		k->ctl_set = 1;
	}
	if (in->text_set && !k->text_set) {
		k->text_digest = in->text_digest;
		k->text_pages = in->text_pages;
		k->text_set = 1;
	}
	return 0;
}
