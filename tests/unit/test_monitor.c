// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monitor partition's pure parts: the slice schedule and hypercall
 * permission (vmm/monitor_sched.c), the monitor program's syscall-MSR/IDTR
 * baseline (monitor/ctl.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
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

static void test_sched_overrun_restarts(void **state)
{
	struct mon_sched s;

	mon_sched_init(&s, P, B, 0);
	mon_sched_begin(&s, P);
	assert_true(mon_sched_end(&s, P + B, MON_END_OVERRUN));
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

static void test_sched_off_after_faults(void **state)
{
	struct mon_sched s;
	u64 t = P;
	u32 i;

	mon_sched_init(&s, P, B, 0);
	for (i = 0; i < MON_FAULTS_MAX; i++) {
		assert_true(mon_sched_due(&s, t));
		mon_sched_begin(&s, t);
		assert_true(mon_sched_end(&s, t + 1, MON_END_FAULT));
		t += P;
	}
	assert_true(s.off);
	assert_false(mon_sched_due(&s, t + 100 * P));
	assert_int_equal(mon_sched_until(&s, t), ~0ULL);
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

static void test_ctl_baseline_then_change(void **state)
{
	struct mon_ctl_base b = { 0 };

	/* firmware: LSTAR zero never makes a baseline */
	assert_int_equal(mon_ctl_step(&b, 0, 0, 0, 0x1000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0, 0, 0, 0x1000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0, 0, 0, 0x1000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0, 0, 0, 0x1000, 3), MON_CTL_SAME);
	/* the kernel sets them; they must hold 3 rounds */
	assert_int_equal(mon_ctl_step(&b, 0xffffffff81000000, 0xc, 0xe, 0xfe000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0xffffffff81000000, 0xc, 0xe, 0xfe000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0xffffffff81000000, 0xc, 0xe, 0xfe000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0xffffffff81000000, 0xc, 0xe, 0xfe000, 3),
			 MON_CTL_BASELINE);
	assert_int_equal(mon_ctl_step(&b, 0xffffffff81000000, 0xc, 0xe, 0xfe000, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0xdead, 0xc, 0xe, 0xbeef, 3),
			 MON_CTL_LSTAR | MON_CTL_IDTR);
	/* reported once */
	assert_int_equal(mon_ctl_step(&b, 0xdead, 0xc, 0xe, 0xbeef, 3), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 0xdead, 0xd, 0xf, 0xbeef, 3),
			 MON_CTL_CSTAR | MON_CTL_SYSENTER);
}

/* Values still moving during boot restart the count. */
static void test_ctl_unstable(void **state)
{
	struct mon_ctl_base b = { 0 };

	assert_int_equal(mon_ctl_step(&b, 1, 0, 0, 1, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 1, 0, 0, 1, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 1, 0, 0, 2, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 1, 0, 0, 2, 2), MON_CTL_SAME);
	assert_int_equal(mon_ctl_step(&b, 1, 0, 0, 2, 2), MON_CTL_BASELINE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_first_slice),
		cmocka_unit_test(test_sched_yield_keeps_period),
		cmocka_unit_test(test_sched_late_no_burst),
		cmocka_unit_test(test_sched_overrun_restarts),
		cmocka_unit_test(test_sched_off_after_faults),
		cmocka_unit_test(test_sched_credit),
		cmocka_unit_test(test_hc_permission),
		cmocka_unit_test(test_ctl_baseline_then_change),
		cmocka_unit_test(test_ctl_unstable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
