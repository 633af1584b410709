// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor's main loop: one round of checks per policy interval, a
 * heartbeat line, and a yield at the end of every round (docs/monitor.md).
 */
#include "hc.h"
#include "mon.h"

#define MON_STABLE	3	/* rounds a vCPU's control state must hold before the baseline */
#define MON_EV_RECORDS	(64 * 5)	/* the VMM's event records: CPUs x sources */

static struct mon_info info;
static struct mon_vcpu_state snap[MON_VCPUS_MAX];
static struct mon_ctl_base base[MON_VCPUS_MAX];
static struct mon_kbase kbase;
static struct mon_keep keep;

/* The baseline to the VMM, which keeps it across restarts of the monitor (HC_MON_KEEP). */
static void mon_keep_ctl(void)
{
	keep = (struct mon_keep){ .ctl_set = 1, .lstar = kbase.v.lstar, .cstar = kbase.v.cstar,
				  .sysenter_eip = kbase.v.sysenter_eip, .idtr = kbase.v.idtr };
	if (mon_vmcall(HC_MON_KEEP, (u64)&keep, sizeof(keep), 1, 0))
		hc_alert(MON_SEV_CRIT, MON_CHECK_SELF, "the VMM did not keep the baseline");
}

/* After a restart: the baseline the VMM kept, never one from the guest as it is now. */
static void mon_kept_baseline(void)
{
	char line[MON_TEXT_MAX];

	if (mon_vmcall(HC_MON_KEEP, (u64)&keep, sizeof(keep), 0, 0) || !keep.ctl_set)
		return;
	kbase.v = (struct mon_ctl_vals){ keep.lstar, keep.cstar, keep.sysenter_eip, keep.idtr };
	kbase.taken = 1;
	mon_snprintf(line, sizeof(line), "baseline kept by the VMM: lstar 0x%lx idtr 0x%lx",
		     kbase.v.lstar, kbase.v.idtr);
	hc_log(line);
}

static void mon_ctl_alert(u32 check, const char *what, u32 cpu, u64 was, u64 now)
{
	char line[MON_TEXT_MAX];

	mon_snprintf(line, sizeof(line), "cpu%u %s changed from 0x%lx (baseline) to 0x%lx", cpu,
		     what, was, now);
	hc_alert(MON_SEV_CRIT, check, line);
}

/* One vCPU's syscall MSRs and IDTR against the kernel-wide baseline (review 3, F14). */
static void mon_check_ctl(const struct mon_vcpu_state *v, struct mon_ctl_base *b)
{
	struct mon_ctl_vals now = { v->lstar, v->cstar, v->sysenter_eip, v->idtr_base };
	char line[MON_TEXT_MAX];
	unsigned int d;

	if (!v->valid)
		return;
	d = mon_ctl_step(&kbase, b, &now, MON_STABLE);
	if (d == MON_CTL_BASELINE || d == MON_CTL_MATCH) {
		mon_snprintf(line, sizeof(line), "baseline: cpu%u lstar 0x%lx idtr 0x%lx %s", v->cpu,
			     v->lstar, v->idtr_base,
			     d == MON_CTL_BASELINE ? "(kernel-wide, from this vCPU)" :
			     "(matches the kernel-wide one)");
		hc_log(line);
		if (d == MON_CTL_BASELINE)
			mon_keep_ctl();
		return;
	}
	if (d & MON_CTL_LSTAR)
		mon_ctl_alert(MON_CHECK_SYSCALL_MSRS, "LSTAR", v->cpu, kbase.v.lstar, v->lstar);
	if (d & MON_CTL_CSTAR)
		mon_ctl_alert(MON_CHECK_SYSCALL_MSRS, "CSTAR", v->cpu, kbase.v.cstar, v->cstar);
	if (d & MON_CTL_SYSENTER)
		mon_ctl_alert(MON_CHECK_SYSCALL_MSRS, "SYSENTER_EIP", v->cpu, kbase.v.sysenter_eip,
			      v->sysenter_eip);
	if (d & MON_CTL_IDTR)
		mon_ctl_alert(MON_CHECK_IDT, "IDTR base", v->cpu, kbase.v.idtr, v->idtr_base);
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
 * The VMM's synchronous events, one record per vCPU and register with every
 * value-changing write since the last drain folded in (review 3, F4): after
 * the baseline, a value other than the baseline's is an alert even if it was
 * undone before the next round (mon_event_alert); before it only a log line.
 */
static void mon_drain_events(void)
{
	static struct mon_event ev[16];
	char line[MON_TEXT_MAX];
	s64 n, i;
	u32 rounds = 0;

	do {		/* every record once (the VMM drains round robin), not forever */
		n = mon_vmcall(HC_MON_EVENTS, (u64)ev, sizeof(ev), 0, 0);
		for (i = 0; i < n; i++) {
			const struct mon_event *e = &ev[i];
			const char *what = e->kind == MON_EV_CR0_WP ? "CR0 (WP cleared)" :
					   e->kind == MON_EV_CR4_SMXP ? "CR4 (SMEP/SMAP cleared)" :
					   mon_msr_name(e->msr);

			mon_snprintf(line, sizeof(line),
				     "cpu%u wrote %s 0x%lx -> 0x%lx at rip 0x%lx (%u writes, %u values, last 0x%lx, base 0x%lx)",
				     e->cpu, what, e->old, e->new, e->rip, e->writes, e->nvals,
				     e->last, mon_kbase_msr(&kbase, e->msr));
			if (mon_event_alert(&kbase, e))
				hc_alert(MON_SEV_CRIT, MON_CHECK_EVENT, line);
			else
				mon_log_event(line);
		}
	} while (n == (s64)ARRAY_SIZE(ev) && ++rounds < MON_EV_RECORDS / ARRAY_SIZE(ev));
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
	mon_kept_baseline();
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
