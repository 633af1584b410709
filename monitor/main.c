// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's main loop: one round of checks per policy interval, a
 * heartbeat line, and a yield at the end of every round (docs/monitor.md).
 */
#include "hc.h"
#include "mon.h"

#define MON_STABLE	3	/* rounds a vCPU's control state must hold before the baseline */

static struct mon_info info;
static struct mon_vcpu_state snap[MON_VCPUS_MAX];
static struct mon_ctl_base base[MON_VCPUS_MAX];

static void mon_printf_alert(u32 sev, u32 check, const char *fmt, u64 a, u64 b, u32 cpu)
{
	char line[MON_TEXT_MAX];

	mon_snprintf(line, sizeof(line), fmt, cpu, a, b);
	if (sev == MON_SEV_INFO)
		hc_log(line);
	else
		hc_alert(sev, check, line);
}

/* One vCPU's syscall MSRs and IDTR against its baseline; the baseline once stable. */
static void mon_check_ctl(const struct mon_vcpu_state *v, struct mon_ctl_base *b)
{
	enum mon_ctl_diff d;

	if (!v->valid)
		return;
	d = mon_ctl_step(b, v->lstar, v->cstar, v->sysenter_eip, v->idtr_base,
			 MON_STABLE);
	if (d == MON_CTL_BASELINE) {
		mon_printf_alert(MON_SEV_INFO, MON_CHECK_SELF,
				 "baseline: cpu%u lstar 0x%lx idtr 0x%lx", v->lstar, v->idtr_base,
				 v->cpu);
		return;
	}
	if (d & MON_CTL_LSTAR)
		mon_printf_alert(MON_SEV_CRIT, MON_CHECK_SYSCALL_MSRS,
				 "cpu%u LSTAR changed from 0x%lx to 0x%lx", b->lstar, v->lstar,
				 v->cpu);
	if (d & MON_CTL_CSTAR)
		mon_printf_alert(MON_SEV_CRIT, MON_CHECK_SYSCALL_MSRS,
				 "cpu%u CSTAR changed from 0x%lx to 0x%lx", b->cstar, v->cstar,
				 v->cpu);
	if (d & MON_CTL_SYSENTER)
		mon_printf_alert(MON_SEV_CRIT, MON_CHECK_SYSCALL_MSRS,
				 "cpu%u SYSENTER_EIP changed from 0x%lx to 0x%lx",
				 b->sysenter_eip, v->sysenter_eip, v->cpu);
	if (d & MON_CTL_IDTR)
		mon_printf_alert(MON_SEV_CRIT, MON_CHECK_IDT,
				 "cpu%u IDTR base changed from 0x%lx to 0x%lx", b->idtr, v->idtr_base,
				 v->cpu);
}

void mon_log_event(const char *text)
{
	char line[MON_TEXT_MAX];

	mon_snprintf(line, sizeof(line), "event: %s", text);
	hc_log(line);
}

static const char *mon_msr_name(u32 msr)
{
	return msr == 0xc0000082 ? "LSTAR" : msr == 0xc0000083 ? "CSTAR" :
	       msr == 0x176 ? "SYSENTER_EIP" : "MSR";
}

/*
 * The VMM's synchronous events: a trapped write of a syscall MSR after that
 * vCPU's baseline, to another value, is an alert even if it is undone before
 * the next round; before the baseline (boot) only a log line.
 */
static void mon_drain_events(void)
{
	static struct mon_event ev[16];
	char line[MON_TEXT_MAX];
	s64 n = mon_vmcall(HC_MON_EVENTS, (u64)ev, sizeof(ev), 0, 0), i;

	for (i = 0; i < n; i++) {
		const struct mon_event *e = &ev[i];
		bool after = e->cpu < MON_VCPUS_MAX && base[e->cpu].taken;
		const char *what = e->kind == MON_EV_CR0_WP ? "CR0 (WP cleared)" :
				   e->kind == MON_EV_CR4_SMXP ? "CR4 (SMEP/SMAP cleared)" :
				   mon_msr_name(e->msr);

		mon_snprintf(line, sizeof(line), "cpu%u wrote %s 0x%lx -> 0x%lx at rip 0x%lx%s",
			     e->cpu, what, e->old, e->new, e->rip,
			     e->dropped ? " (events were dropped before)" : "");
		if (after && e->old != e->new)
			hc_alert(MON_SEV_CRIT, MON_CHECK_EVENT, line);
		else
			mon_log_event(line);
	}
}

static void mon_round(u64 round)
{
	char line[MON_TEXT_MAX];
	s64 n = hc_snapshot(snap, MON_VCPUS_MAX);
	s64 i;

	for (i = 0; i < n; i++)
		mon_check_ctl(&snap[i], &base[i]);
#ifdef MON_HAVE_CHECKS
	if (n > 0)
		guard_round(snap, (u32)n);
#endif
	if (round < 3 || round % 10 == 0) {
		mon_snprintf(line, sizeof(line),
			     "heartbeat %lu: %ld vCPUs, cpu0 cr3 0x%lx rip 0x%lx",
			     round, n, n > 0 ? snap[0].cr3 : 0, n > 0 ? snap[0].rip : 0);
		hc_log(line);
	}
	if (round % 50 == 0 && hc_info(&info) > 0 && info.slices && info.tsc_per_ms) {
		mon_snprintf(line, sizeof(line),
			     "latency: %lu slices, the guest's cpu0 away max %lu us, mean %lu us (incl. log lines)",
			     info.slices, info.away_max * 1000 / info.tsc_per_ms,
			     info.away_total * 1000 / info.tsc_per_ms / info.slices);
		hc_log(line);
	}
}

void mon_main(void);

void mon_main(void)
{
	char line[MON_TEXT_MAX];
	u64 round = 0, last, interval, work;

	if (hc_info(&info) < 0)
		hc_alert(MON_SEV_WARN, MON_CHECK_SELF, "no monitor info from the VMM");
	interval = (u64)info.interval_ms * info.tsc_per_ms;
	work = (u64)info.budget_us * info.tsc_per_ms / 2000;	/* half a slice for the checks */
	mon_snprintf(line, sizeof(line),
		     "started: abi %u, checks 0x%x, interval %u ms, slice %u us, %u vCPUs, window %lu MiB, restart %u",
		     info.abi, info.checks, info.interval_ms, info.budget_us, info.vcpus,
		     info.window_size >> 20, info.restarts);
	hc_log(line);
#ifdef MON_HAVE_CHECKS
	guard_init();
#endif
	last = mon_rdtsc();
	mon_round(round++);
	for (;;) {
		hc_yield();
		mon_drain_events();
#ifdef MON_HAVE_CHECKS
		{
			u64 t0 = mon_rdtsc();
			s64 n = hc_snapshot(snap, MON_VCPUS_MAX);

			if (n > 0)
				guard_slice(snap, (u32)n, t0 + work, info.tsc_per_ms);
		}
#else
		(void)work;
#endif
		if (mon_rdtsc() - last < interval)
			continue;
		last = mon_rdtsc();
		mon_round(round++);
	}
}
