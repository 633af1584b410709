// SPDX-License-Identifier: GPL-2.0-only
/* Monitor slice schedule and hypercall permission (mamori/monitor.h). Pure. */
#include <mamori/hypercall.h>
#include <mamori/monitor.h>

void mon_sched_init(struct mon_sched *s, u64 period, u64 budget, u64 now)
{
	*s = (struct mon_sched){ .period = period, .budget = budget, .next = now + period };
}

bool mon_sched_due(const struct mon_sched *s, u64 now)
{
	return !s->off && !s->running && now >= s->next;
}

u64 mon_sched_until(const struct mon_sched *s, u64 now)
{
	if (s->off)
		return ~0ULL;
	if (s->running || now >= s->next)
		return 0;
	return s->next - now;
}

void mon_sched_begin(struct mon_sched *s, u64 now)
{
	s->running = true;
	s->start = now;
	s->slices++;
}

void mon_sched_credit(struct mon_sched *s, u64 cycles)
{
	if (s->running)
		s->start += cycles;
}

bool mon_sched_end(struct mon_sched *s, u64 now, enum mon_end why)
{
	u64 gap = s->period > s->budget ? s->period - s->budget : s->period;

	s->running = false;
	s->next = s->start + s->period;
	if (s->next < now + gap)
		s->next = now + gap;
	if (why == MON_END_YIELD) {
		s->yields++;
		s->faults_in_row = 0;
		s->failing = false;
		return false;
	}
	if (why == MON_END_OVERRUN)
		s->overruns++;
	else
		s->faults++;
	if (++s->faults_in_row < MON_FAULTS_MAX && why == MON_END_OVERRUN)
		return false;		/* preempted: it resumes in the next slice */
	if (s->faults_in_row >= MON_FAULTS_MAX) {
		s->failing = true;
		s->next = now + s->period * MON_BACKOFF_PERIODS;
	}
	return true;
}

bool mon_sched_starved(const struct mon_sched *s, u64 now)
{
	return s->slices && !s->off && !s->running && now > s->next &&
	       now - s->next > s->period * MON_STARVE_PERIODS;
}

bool hypercall_allowed(enum hc_caller caller, u64 nr)
{
	bool mon = nr >= HC_MON_BASE && nr < HC_MON_END;

	if (caller == HC_CALLER_MONITOR)
		return mon;
	return caller == HC_CALLER_GUEST && nr < HC_COUNT;
}
