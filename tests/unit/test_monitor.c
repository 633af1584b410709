// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor partition's pure parts: the slice schedule and hypercall
 * permission (vmm/monitor_sched.c), the VMM's event records and kept
 * baseline (vmm/monitor_state.c), the monitor program's kernel-wide
 * syscall-MSR/IDTR baseline and event verdicts (monitor/ctl.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <mamori/errno.h>
#include <mamori/hypercall.h>
#include <mamori/monitor.h>
#include "../../monitor/mon.h"

#define P 100000ULL	/* period */
#define B 2000ULL	/* budget */

static void test_sched_first_slice(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 1000);
	assert_false(mon_sched_due(&s, 1000));
	assert_int_equal(mon_sched_until(&s, 1000), P);
	assert_false(mon_sched_due(&s, 1000 + P - 1));
	assert_true(mon_sched_due(&s, 1000 + P));
	assert_int_equal(mon_sched_until(&s, 1000 + P + 5), 0);
}

static void test_sched_yield_keeps_period(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	mon_sched_begin(&s, P);
	assert_false(mon_sched_due(&s, P + 10));	/* running: not due again */
	assert_false(mon_sched_end(&s, P + 500, MON_END_YIELD));
	assert_false(mon_sched_due(&s, 2 * P - 1));
	assert_true(mon_sched_due(&s, 2 * P));
	assert_int_equal(s.yields, 1);
}

/* A slice that started late (the guest exited late) does not cause a burst. */
static void test_sched_late_no_burst(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	mon_sched_begin(&s, 5 * P);
	mon_sched_end(&s, 5 * P + B, MON_END_YIELD);
	assert_false(mon_sched_due(&s, 5 * P + B + 10));
	assert_true(mon_sched_due(&s, 6 * P));
	/* A slice ending long after its period: next one at least period - budget later. */
	mon_sched_begin(&s, 6 * P);
	mon_sched_end(&s, 8 * P, MON_END_YIELD);
	assert_false(mon_sched_due(&s, 8 * P + P - B - 1));
	assert_true(mon_sched_due(&s, 8 * P + P - B));
}

/* An overrun preempts (the monitor resumes, its state and baseline intact); a fault restarts. */
static void test_sched_overrun_preempts(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	mon_sched_begin(&s, P);
	assert_false(mon_sched_end(&s, P + B, MON_END_OVERRUN));
	assert_int_equal(s.overruns, 1);
	assert_false(s.off);
	mon_sched_begin(&s, 2 * P);
	assert_true(mon_sched_end(&s, 2 * P + 10, MON_END_FAULT));
	assert_int_equal(s.faults, 1);
	assert_int_equal(s.faults_in_row, 2);
	mon_sched_begin(&s, 3 * P);
	assert_false(mon_sched_end(&s, 3 * P + 10, MON_END_YIELD));	/* a yield clears the row */
	assert_int_equal(s.faults_in_row, 0);
}

/*
 * Review 3, F5: MON_FAULTS_MAX failures in a row made the schedule "off"
 * (fail open: the guest ran on unmonitored). Now it is failing (the caller
 * alerts, halts with action=halt) and retried every MON_BACKOFF_PERIODS;
 * a yield ends it. Failed before the fix: s.off was true, never due again.
 */
static void test_sched_never_off(void **state)
{
	struct mon_sched s;
	u64 t = P;
	u32 i;

	mon_sched_init(&s, P, B, 0);
	for (i = 0; i < MON_FAULTS_MAX; i++) {
		assert_true(mon_sched_due(&s, t));
		mon_sched_begin(&s, t);
		assert_true(mon_sched_end(&s, t + 1, MON_END_FAULT));
		assert_int_equal(s.failing, i + 1 == MON_FAULTS_MAX);
		t += P;
	}
	assert_false(s.off);
	t -= P;
	assert_false(mon_sched_due(&s, t + 1 + MON_BACKOFF_PERIODS * P - 1));
	assert_true(mon_sched_due(&s, t + 1 + MON_BACKOFF_PERIODS * P));
	/* overruns count too: the MON_FAULTS_MAX-th slice without a yield restarts */
	mon_sched_init(&s, P, B, 0);
	for (i = 1; i < MON_FAULTS_MAX; i++) {
		mon_sched_begin(&s, i * P);
		assert_false(mon_sched_end(&s, i * P + B, MON_END_OVERRUN));
	}
	mon_sched_begin(&s, i * P);
	assert_true(mon_sched_end(&s, i * P + B, MON_END_OVERRUN));
	assert_true(s.failing);
	mon_sched_begin(&s, (i + MON_BACKOFF_PERIODS) * P);
	assert_false(mon_sched_end(&s, (i + MON_BACKOFF_PERIODS) * P + 1, MON_END_YIELD));
	assert_false(s.failing);
}

/* Review 3, F9: a slice overdue by more than MON_STARVE_PERIODS periods is starvation. */
static void test_sched_starved(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	assert_false(mon_sched_starved(&s, 100 * P));	/* no slice yet: the boot */
	mon_sched_begin(&s, P);
	mon_sched_end(&s, P + 1, MON_END_YIELD);
	assert_false(mon_sched_starved(&s, 2 * P));
	assert_false(mon_sched_starved(&s, 2 * P + MON_STARVE_PERIODS * P));
	assert_true(mon_sched_starved(&s, 2 * P + MON_STARVE_PERIODS * P + 1));
	mon_sched_begin(&s, 10 * P);
	assert_false(mon_sched_starved(&s, 20 * P));	/* running: not starved */
	mon_sched_end(&s, 10 * P + 1, MON_END_YIELD);
	assert_false(mon_sched_starved(&s, 11 * P + MON_STARVE_PERIODS * P));
	assert_true(mon_sched_starved(&s, 12 * P + MON_STARVE_PERIODS * P));
	s.off = true;
	assert_false(mon_sched_starved(&s, 100 * P));	/* off was alerted by itself */
}

/* Review 3, F5: the baseline the VMM keeps across restarts is write-once. */
static void test_keep_write_once(void **state)
{
	struct mon_keep k = { 0 };
	struct mon_keep base = { .ctl_set = 1, .lstar = 0xffffffff81a00080, .cstar = 0xc,
				 .sysenter_eip = 0, .idtr = 0xfffffe0000000000 };
	struct mon_keep evil = base, text = { .text_set = 1, .text_digest = 0x1234,
					      .text_pages = 99 };

	assert_int_equal(mon_keep_update(&k, &(struct mon_keep){ 0 }), 0);
	assert_int_equal(k.ctl_set, 0);
	assert_int_equal(mon_keep_update(&k, &base), 0);
	assert_int_equal(mon_keep_update(&k, &base), 0);	/* the same again: fine */
	evil.lstar = 0xffffffffc0de0000;
	assert_int_equal(mon_keep_update(&k, &evil), -EPERM);	/* a restarted monitor cannot move it */
	assert_int_equal(k.lstar, base.lstar);
	assert_int_equal(mon_keep_update(&k, &text), 0);
	assert_int_equal(k.text_pages, 99);
	assert_int_equal(k.lstar, base.lstar);
	text.text_digest++;
	assert_int_equal(mon_keep_update(&k, &text), -EPERM);
	assert_int_equal(k.text_digest, 0x1234);
}

/* Hypercall time (the VMM writing a UART line) does not count against the budget. */
static void test_sched_credit(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	mon_sched_begin(&s, P);
	mon_sched_credit(&s, 5 * B);
	assert_int_equal(s.start, P + 5 * B);
	mon_sched_end(&s, P + 5 * B + 10, MON_END_YIELD);
	mon_sched_credit(&s, 7);		/* not running: nothing */
	assert_int_equal(s.start, P + 5 * B);
}

static void test_hc_permission(void **state)
{
	u64 nr;

	for (nr = 0; nr < HC_COUNT; nr++) {
		assert_true(hypercall_allowed(HC_CALLER_GUEST, nr));
		assert_false(hypercall_allowed(HC_CALLER_MONITOR, nr));
	}
	for (nr = HC_MON_BASE; nr < HC_MON_END; nr++) {
		assert_false(hypercall_allowed(HC_CALLER_GUEST, nr));
		assert_true(hypercall_allowed(HC_CALLER_MONITOR, nr));
	}
	assert_false(hypercall_allowed(HC_CALLER_GUEST, HC_COUNT));
	assert_false(hypercall_allowed(HC_CALLER_MONITOR, HC_MON_END));
	assert_false(hypercall_allowed(HC_CALLER_MONITOR, HC_MON_BASE - 1));
	assert_false(hypercall_allowed(HC_CALLER_GUEST, ~0ULL));
	assert_false(hypercall_allowed((enum hc_caller)7, HC_VERSION));
}

#define LSTAR	0xffffffff81a00080UL
#define CSTAR	0xffffffff81a01000UL
#define IDT	0xfffffe0000000000UL
#define EVIL	0xffffffff8badf00dUL

static unsigned int step(struct mon_kbase *kb, struct mon_ctl_base *b, unsigned long lstar,
			 unsigned long cstar, unsigned long idtr)
{
	struct mon_ctl_vals v = { lstar, cstar, 0xe, idtr };

	return mon_ctl_step(kb, b, &v, 3);
}

static void test_ctl_baseline_then_change(void **state)
{
	struct mon_kbase kb = { 0 };
	struct mon_ctl_base b = { 0 };
	int i;

	/* firmware: LSTAR zero never makes a baseline, however long */
	for (i = 0; i < 20; i++)
		assert_int_equal(step(&kb, &b, 0, 0, 0x1000), MON_CTL_SAME);
	/* the kernel sets them; they must hold 3 rounds */
	for (i = 0; i < 3; i++)
		assert_int_equal(step(&kb, &b, LSTAR, CSTAR, IDT), MON_CTL_SAME);
	assert_int_equal(step(&kb, &b, LSTAR, CSTAR, IDT), MON_CTL_BASELINE);
	assert_true(kb.taken);
	assert_int_equal(step(&kb, &b, LSTAR, CSTAR, IDT), MON_CTL_SAME);
	assert_int_equal(step(&kb, &b, EVIL, CSTAR, 0xbeef), MON_CTL_LSTAR | MON_CTL_IDTR);
	/* reported once; the baseline stays (the alert's "from" value, F14) */
	assert_int_equal(step(&kb, &b, EVIL, CSTAR, 0xbeef), MON_CTL_SAME);
	assert_int_equal(kb.v.lstar, LSTAR);
	assert_int_equal(kb.v.idtr, IDT);
	assert_int_equal(step(&kb, &b, EVIL, EVIL, 0xbeef), MON_CTL_CSTAR);
	/* back to the baseline, then away again: reported again */
	assert_int_equal(step(&kb, &b, LSTAR, CSTAR, IDT), MON_CTL_SAME);
	assert_int_equal(step(&kb, &b, EVIL, CSTAR, IDT), MON_CTL_LSTAR);
}

/* Values still moving during boot restart the count. */
static void test_ctl_unstable(void **state)
{
	struct mon_kbase kb = { 0 };
	struct mon_ctl_base b = { 0 };
	struct mon_ctl_vals v1 = { 1, 0, 0, 1 }, v2 = { 1, 0, 0, 2 };

	assert_int_equal(mon_ctl_step(&kb, &b, &v1, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&kb, &b, &v1, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&kb, &b, &v2, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&kb, &b, &v2, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&kb, &b, &v2, 2), MON_CTL_BASELINE);
}

/*
 * Review 3, F14: a vCPU started after the baseline with a hooked LSTAR (or
 * IDTR) is compared with the kernel-wide baseline, not with itself. Failed
 * before the fix (review PoC poc_ctl.c on the old per-vCPU mon_ctl_step:
 * cpu1's diffs 0, 0, 0, BASELINE, 0, and the alert text "from 0xdead to
 * 0xdead").
 */
static void test_ctl_late_vcpu_hooked(void **state)
{
	struct mon_kbase kb = { 0 };
	struct mon_ctl_base cpu0 = { 0 }, cpu1 = { 0 }, cpu2 = { 0 };
	unsigned int d = 0;
	int i;

	for (i = 0; i < 4; i++)
		d = step(&kb, &cpu0, LSTAR, CSTAR, IDT);
	assert_int_equal(d, MON_CTL_BASELINE);
	/* a well-behaved late vCPU: boot values (LSTAR 0) first, then the kernel's */
	assert_int_equal(step(&kb, &cpu2, 0, 0, 0x9000), MON_CTL_SAME);
	for (i = 0; i < 3; i++)
		assert_int_equal(step(&kb, &cpu2, LSTAR, CSTAR, IDT), MON_CTL_SAME);
	assert_int_equal(step(&kb, &cpu2, LSTAR, CSTAR, IDT), MON_CTL_MATCH);
	/* cpu1 comes up with the hook from its first round */
	for (i = 0; i < 3; i++)
		assert_int_equal(step(&kb, &cpu1, 0xffffffffc0de0000, CSTAR, IDT), MON_CTL_SAME);
	assert_int_equal(step(&kb, &cpu1, 0xffffffffc0de0000, CSTAR, IDT), MON_CTL_LSTAR);
	assert_int_equal(kb.v.lstar, LSTAR);		/* the old value for the alert text */
	assert_int_equal(step(&kb, &cpu1, 0xffffffffc0de0000, CSTAR, 0xbad000), MON_CTL_IDTR);
}

/* A late vCPU whose values never hold is compared anyway (it cannot dodge by flapping). */
static void test_ctl_flapping_compared(void **state)
{
	struct mon_kbase kb = { 0 };
	struct mon_ctl_base cpu0 = { 0 }, cpu1 = { 0 };
	unsigned int d = 0, seen = 0;
	int i;

	for (i = 0; i < 4; i++)
		step(&kb, &cpu0, LSTAR, CSTAR, IDT);
	/* an AP still in firmware (LSTAR 0, its own IDT) for long: not compared (t-monitor) */
	for (i = 0; i < 40; i++)
		assert_int_equal(step(&kb, &cpu1, 0, 0, i & 1 ? 0x1f2200e8 : 0x7000), MON_CTL_SAME);
	assert_false(cpu1.compared);
	for (i = 0; i < 16; i++) {
		d = step(&kb, &cpu1, LSTAR, CSTAR, i & 1 ? IDT : 0xbad000);
		seen |= d;
	}
	assert_true(cpu1.compared);
	assert_true(seen & MON_CTL_IDTR);
}

static struct mon_evq evq;

static void ev_write(u32 cpu, u32 msr, u64 old, u64 new)
{
	struct mon_event ev = { .kind = MON_EV_MSR_WRITE, .cpu = cpu, .msr = msr, .old = old,
				.new = new, .rip = 0xffffffff81000000 };

	mon_evq_add(&evq, &ev);
}

/*
 * Review 3, F4: 64 same-value writes (the flood that filled the old ring of
 * 64), then CSTAR set to an evil value and restored: the drained record keeps
 * the evil value, and the monitor's verdict is an alert. Failed before the
 * fix: the review's poc_events.c on the old ring drained 64 events, 0 alerts.
 */
static void test_events_flood_then_set_restore(void **state)
{
	struct mon_kbase kb = { .v = { LSTAR, CSTAR, 0, IDT }, .taken = 1 };
	struct mon_event out[16];
	u32 i, n;

	memset(&evq, 0, sizeof(evq));
	for (i = 0; i < 64; i++)
		ev_write(0, 0xc0000082, LSTAR, LSTAR);
	assert_int_equal(mon_evq_pending(&evq), 0);	/* a same value is no event */
	for (i = 0; i < 1000; i++)			/* and a flood of changes on other sources */
		ev_write(1 + i % 7, 0x176, i, i + 1);
	ev_write(0, 0xc0000083, CSTAR, EVIL);
	ev_write(0, 0xc0000083, EVIL, CSTAR);
	n = mon_evq_drain(&evq, out, 16);
	assert_int_equal(n, 8);				/* 7 SYSENTER_EIP records + CSTAR */
	for (i = 0; i < n && out[i].msr != 0xc0000083; i++)
		;
	assert_true(i < n);
	assert_int_equal(out[i].cpu, 0);
	assert_int_equal(out[i].writes, 2);
	assert_int_equal(out[i].old, CSTAR);
	assert_int_equal(out[i].new, EVIL);		/* the first foreign value is kept */
	assert_int_equal(out[i].last, CSTAR);
	assert_true(mon_event_alert(&kb, &out[i]));
	assert_int_equal(mon_evq_drain(&evq, out, 16), 0);	/* drained: cleared */
}

/* More distinct values than a record keeps is itself an alert; nothing is lost across drains. */
static void test_events_overflow_alerts(void **state)
{
	struct mon_kbase kb = { .v = { LSTAR, CSTAR, 0, IDT }, .taken = 1 };
	struct mon_event out[16], ev = { .kind = MON_EV_CR0_WP, .old = 0x80050033,
					  .new = 0x80040033 };
	u32 i, n, total = 0;

	memset(&evq, 0, sizeof(evq));
	for (i = 0; i < 10; i++)			/* all baseline-looking but one in the middle */
		ev_write(2, 0xc0000082, LSTAR + i, i == 5 ? LSTAR : LSTAR + i + 1);
	n = mon_evq_drain(&evq, out, 16);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].nvals, 10);
	assert_true(mon_event_alert(&kb, &out[0]));
	/* every source of every CPU pending: drained 16 at a time, none lost */
	for (i = 0; i < MON_EV_CPUS; i++) {
		ev_write(i, 0xc0000082, 0, LSTAR);
		ev_write(i, 0xc0000083, 0, CSTAR);
		ev_write(i, 0x176, 5, 0);
		ev.cpu = i;
		ev.kind = MON_EV_CR0_WP;
		assert_int_equal(mon_evq_add(&evq, &ev), 1);
		ev.kind = MON_EV_CR4_SMXP;
		assert_int_equal(mon_evq_add(&evq, &ev), 1);
	}
	while ((n = mon_evq_drain(&evq, out, 16)) > 0)
		total += n;
	assert_int_equal(total, MON_EV_CPUS * MON_EV_SOURCES);
	ev.cpu = MON_EV_CPUS;
	assert_int_equal(mon_evq_add(&evq, &ev), -EINVAL);
}

/* The boot's own writes (an AP setting the baseline's values) are no alert; CR clears after it are. */
static void test_events_verdict(void **state)
{
	struct mon_kbase kb = { .v = { LSTAR, CSTAR, 0, IDT }, .taken = 1 }, none = { 0 };
	struct mon_event out[4];

	memset(&evq, 0, sizeof(evq));
	ev_write(3, 0xc0000082, 0, LSTAR);
	ev_write(3, 0x176, 0x1234, 0);
	assert_int_equal(mon_evq_drain(&evq, out, 4), 2);
	assert_false(mon_event_alert(&kb, &out[0]));
	assert_false(mon_event_alert(&kb, &out[1]));
	/* an AP first setting the baseline, then the hook, then the baseline again */
	ev_write(3, 0xc0000082, 0, LSTAR);
	ev_write(3, 0xc0000082, LSTAR, EVIL);
	ev_write(3, 0xc0000082, EVIL, LSTAR);
	assert_int_equal(mon_evq_drain(&evq, out, 4), 1);
	assert_int_equal(out[0].new, LSTAR);
	assert_true(mon_event_alert(&kb, &out[0]));
	assert_false(mon_event_alert(&none, &out[0]));	/* before the baseline: logged only */
	out[0] = (struct mon_event){ .kind = MON_EV_CR0_WP, .writes = 1, .old = 0x80050033,
				     .new = 0x80040033 };
	assert_true(mon_event_alert(&kb, &out[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_first_slice),
		cmocka_unit_test(test_sched_yield_keeps_period),
		cmocka_unit_test(test_sched_late_no_burst),
		cmocka_unit_test(test_sched_overrun_preempts),
		cmocka_unit_test(test_sched_never_off),
		cmocka_unit_test(test_sched_starved),
		cmocka_unit_test(test_keep_write_once),
		cmocka_unit_test(test_sched_credit),
		cmocka_unit_test(test_hc_permission),
		cmocka_unit_test(test_ctl_baseline_then_change),
		cmocka_unit_test(test_ctl_unstable),
		cmocka_unit_test(test_ctl_late_vcpu_hooked),
		cmocka_unit_test(test_ctl_flapping_compared),
		cmocka_unit_test(test_events_flood_then_set_restore),
		cmocka_unit_test(test_events_overflow_alerts),
		cmocka_unit_test(test_events_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
