// SPDX-License-Identifier: GPL-2.0-only
/* The monitor partition's core: boot phase, its hypercalls, its log lines. */
#include <mamori/boot_info.h>
#include <mamori/errno.h>
#include <mamori/log.h>
#include <mamori/monitor.h>
#include <mamori/policy.h>
#include <mamori/policy_boot.h>
#include <mamori/string.h>
#include <mamori/time.h>
#include <mamori/vmm.h>
#include <asm/spinlock.h>

#define MON_EVENTS_MAX	64	/* records per HC_MON_EVENTS */

static struct {
	spinlock_t lock;
	struct mon_evq q;
} mon_ev = { .lock = SPINLOCK_INIT };

static struct {
	bool on, halt;
	u32 checks, interval_ms, period_ms, budget_us, vcpus;
	volatile u32 restarts;
	struct mon_keep keep;	/* the baseline across restarts (HC_MON_KEEP) */
} mon;

bool monitor_enabled(void)
{
	return mon.on;
}

void monitor_config(u32 *period_ms, u32 *budget_us)
{
	*period_ms = mon.period_ms;
	*budget_us = mon.budget_us;
}

int monitor_boot_phase(struct boot_info *bi)
{
	const struct policy *pol = policy_active();
	const struct policy_monitor *m;
	int rc;

	if (!pol || !(pol->sections & BIT(POLICY_REC_MONITOR)))
		return VMM_OK;
	m = &pol->monitor;
	mon.checks = m->checks;
	mon.interval_ms = m->interval_ms;
	mon.period_ms = m->period_ms ? m->period_ms : MON_PERIOD_MS_DEFAULT;
	mon.budget_us = m->budget_us ? m->budget_us : MON_BUDGET_US_DEFAULT;
	mon.halt = m->action == POLICY_MON_HALT;
	mon.vcpus = bi->cpu_count;
	rc = arch_monitor_init(bi, monitor_image, (u64)(monitor_image_end - monitor_image));
	if (rc) {
		pr_err("monitor: refused: the policy asks for the monitor partition, but it could not be built (%d)\n",
		       rc);
		return rc;
	}
	mon.on = true;
	pr_info("monitor: partition built: program %lu bytes (embedded in vmm.elf), %lu KiB private, guest RAM window %lu MiB read-only; slice %u us every %u ms on cpu0, checks every %u ms, action %s\n",
		(u64)(monitor_image_end - monitor_image), MON_MEM_SIZE >> 10,
		arch_monitor_window() >> 20, mon.budget_us, mon.period_ms, mon.interval_ms,
		mon.halt ? "halt" : "alert");
	return VMM_OK;
}

/* A text from the monitor's memory, made printable (it is untrusted). */
static int mon_text(u64 gpa, u64 len, char *out)
{
	const char *p;
	u64 i;

	if (len >= MON_TEXT_MAX)
		len = MON_TEXT_MAX - 1;
	p = arch_monitor_mem(gpa, len);
	if (!p)
		return -EFAULT;
	for (i = 0; i < len; i++)
		out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
	out[len] = 0;
	return 0;
}

static const char *mon_check_name(u64 id)
{
	static const char *const names[] = { "self", "kernel-text", "idt", "syscall-msrs",
					     "event" };

	return id < ARRAY_SIZE(names) ? names[id] : "unknown";
}

static s64 mon_alert(u64 sev, u64 check, u64 gpa, u64 len)
{
	static const char *const sevs[] = { "info", "warn", "crit" };
	char text[MON_TEXT_MAX];

	if (sev > MON_SEV_CRIT || mon_text(gpa, len, text))
		return -EINVAL;
	pr_warn("monitor: ALERT %s check %s: %s (at %lu ms)\n", sevs[sev], mon_check_name(check),
		text, arch_time_ms());
	if (sev == MON_SEV_CRIT && mon.halt)
		arch_monitor_halt_guest();
	return 0;
}

void monitor_crit(const char *fmt, ...)
{
	char text[MON_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	log_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pr_warn("monitor: ALERT crit check self: %s (at %lu ms)\n", text, arch_time_ms());
	if (mon.halt)
		arch_monitor_halt_guest();
}

static s64 mon_log(u64 gpa, u64 len)
{
	char text[MON_TEXT_MAX];

	if (mon_text(gpa, len, text))
		return -EINVAL;
	pr_info("monitor: %s\n", text);
	return 0;
}

static s64 mon_snapshot(u64 gpa, u64 size)
{
	struct mon_vcpu_state *out;
	u32 n = (u32)(size / sizeof(*out));

	if (!n || n > 64)
		return -EINVAL;
	out = arch_monitor_mem(gpa, (u64)n * sizeof(*out));
	if (!out)
		return -EFAULT;
	return arch_monitor_snapshot(out, n);
}

static s64 mon_rammap(u64 gpa, u64 size)
{
	struct mon_ram_range *out;
	u32 n = (u32)(size / sizeof(*out));

	if (!n || n > MON_RAM_RANGES_MAX)
		return -EINVAL;
	out = arch_monitor_mem(gpa, (u64)n * sizeof(*out));
	if (!out)
		return -EFAULT;
	return arch_monitor_rammap(out, n);
}

void monitor_event(const struct mon_event *ev)
{
	int rc;

	spin_lock(&mon_ev.lock);
	rc = mon_evq_add(&mon_ev.q, ev);
	spin_unlock(&mon_ev.lock);
	if (rc < 0)
		monitor_crit("event of kind %u (msr 0x%x) on cpu%u has no record: not checked",
			     ev->kind, ev->msr, ev->cpu);
}

static s64 mon_events(u64 gpa, u64 size)
{
	struct mon_event *out;
	u32 n = (u32)(size / sizeof(*out)), k;

	if (!n || n > MON_EVENTS_MAX)
		return -EINVAL;
	out = arch_monitor_mem(gpa, (u64)n * sizeof(*out));
	if (!out)
		return -EFAULT;
	spin_lock(&mon_ev.lock);
	k = mon_evq_drain(&mon_ev.q, out, n);
	spin_unlock(&mon_ev.lock);
	return k;
}

/* HC_MON_KEEP: a0 buffer, a1 size, a2 0 read / 1 add. */
static s64 mon_keep(u64 gpa, u64 size, u64 op)
{
	struct mon_keep *k = arch_monitor_mem(gpa, sizeof(*k)), in;
	int rc;

	if (size < sizeof(*k) || !k || op > 1)
		return -EINVAL;
	if (!op) {
		*k = mon.keep;
		return 0;
	}
	in = *k;
	rc = mon_keep_update(&mon.keep, &in);
	if (rc)
		monitor_crit("the monitor tried to replace its kept baseline (lstar 0x%lx idtr 0x%lx, kept 0x%lx 0x%lx): refused",
			     in.lstar, in.idtr, mon.keep.lstar, mon.keep.idtr);
	else if (in.ctl_set || in.text_set)
		pr_info("monitor: baseline kept by the VMM: lstar 0x%lx cstar 0x%lx sysenter_eip 0x%lx idtr 0x%lx, text %lu pages digest 0x%lx\n",
			mon.keep.lstar, mon.keep.cstar, mon.keep.sysenter_eip, mon.keep.idtr,
			mon.keep.text_pages, mon.keep.text_digest);
	return rc;
}

static s64 mon_info(u64 gpa, u64 size)
{
	struct mon_info *i = arch_monitor_mem(gpa, sizeof(*i));

	if (size < sizeof(*i) || !i)
		return -EFAULT;
	*i = (struct mon_info){
		.abi = 1, .checks = mon.checks, .interval_ms = mon.interval_ms,
		.budget_us = mon.budget_us, .vcpus = mon.vcpus, .restarts = mon.restarts,
		.window_base = MON_WINDOW_BASE, .window_size = arch_monitor_window(),
		.tsc_per_ms = arch_monitor_tsc_per_ms(),
	};
	arch_monitor_away(&i->slices, &i->away_max, &i->away_total);
	return sizeof(*i);
}

s64 monitor_hypercall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	if (!hypercall_allowed(HC_CALLER_MONITOR, nr)) {
		pr_warn_ratelimited("monitor: hypercall 0x%lx refused (not a monitor hypercall)\n",
				    nr);
		return -ENOSYS;
	}
	switch (nr) {
	case HC_MON_ALERT:
		return mon_alert(a0, a1, a2, a3);
	case HC_MON_LOG:
		return mon_log(a0, a1);
	case HC_MON_SNAPSHOT:
		return mon_snapshot(a0, a1);
	case HC_MON_INFO:
		return mon_info(a0, a1);
	case HC_MON_RAMMAP:
		return mon_rammap(a0, a1);
	case HC_MON_EVENTS:
		return mon_events(a0, a1);
	case HC_MON_KEEP:
		return mon_keep(a0, a1, a2);
	}
	return -ENOSYS;		/* HC_MON_YIELD is the arch part's */
}

void monitor_slice_ended(u32 cpu, enum mon_end why, const char *what, u64 rip, bool restart,
			 bool failing)
{
	static u32 n;
	const char *how = why == MON_END_OVERRUN ? "slice overrun" : "fault";

	if (!restart) {		/* preempted: it resumes, its state intact */
		if (log_ratelimit(&n))
			pr_warn("monitor: %s on cpu%u at rip 0x%lx: %s; preempted, it resumes next slice\n",
				how, cpu, rip, what);
		return;
	}
	mon.restarts++;
	pr_warn("monitor: ALERT crit check self: monitor %s on cpu%u at rip 0x%lx: %s; restart %u%s (at %lu ms)\n",
		how, cpu, rip, what, mon.restarts,
		mon.keep.ctl_set ? ", the baseline kept by the VMM stays" : "", arch_time_ms());
	if (failing)
		monitor_crit("the monitor failed %u slices in a row: retried every %u ms, checks not running",
			     MON_FAULTS_MAX, mon.period_ms * MON_BACKOFF_PERIODS);
}

void monitor_starved(u32 cpu, u64 ms)
{
	monitor_crit("the monitor got no slice for %lu ms (seen from cpu%u): cpu0 makes no VM exits",
		     ms, cpu);
}
