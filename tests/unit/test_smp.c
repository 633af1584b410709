// SPDX-License-Identifier: GPL-2.0-only
/* The per-CPU bring-up state machine (vmm/smp.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <mamori/smp.h>

static void test_ap_bring_up(void **state)
{
	int s = CPU_OFFLINE;

	s = smp_next_state(s, CPU_EV_START_SENT);
	assert_int_equal(s, CPU_STARTING);
	s = smp_next_state(s, CPU_EV_VMX_READY);
	assert_int_equal(s, CPU_WAIT_SIPI);
	s = smp_next_state(s, CPU_EV_SIPI);
	assert_int_equal(s, CPU_RUNNING);
}

static void test_guest_init_sipi_cycles(void **state)
{
	/* Firmware wake-ups and OS offline/online: INIT then SIPI, many times. */
	int s = CPU_RUNNING, i;

	for (i = 0; i < 3; i++) {
		s = smp_next_state(s, CPU_EV_INIT);
		assert_int_equal(s, CPU_WAIT_SIPI);
		s = smp_next_state(s, CPU_EV_INIT);	/* INIT, INIT, SIPI is legal */
		assert_int_equal(s, CPU_WAIT_SIPI);
		s = smp_next_state(s, CPU_EV_SIPI);
		assert_int_equal(s, CPU_RUNNING);
	}
}

static void test_boot_cpu(void **state)
{
	assert_int_equal(smp_next_state(CPU_OFFLINE, CPU_EV_LAUNCHED), CPU_RUNNING);
}

static void test_refused_transitions(void **state)
{
	/* A second SIPI while running is ignored by hardware: not a transition. */
	assert_int_equal(smp_next_state(CPU_RUNNING, CPU_EV_SIPI), -1);
	assert_int_equal(smp_next_state(CPU_OFFLINE, CPU_EV_SIPI), -1);
	assert_int_equal(smp_next_state(CPU_STARTING, CPU_EV_SIPI), -1);
	assert_int_equal(smp_next_state(CPU_WAIT_SIPI, CPU_EV_VMX_READY), -1);
	assert_int_equal(smp_next_state(CPU_FAILED, CPU_EV_START_SENT), -1);
	assert_int_equal(smp_next_state(CPU_STATES, CPU_EV_INIT), -1);
	assert_int_equal(smp_next_state(CPU_RUNNING, CPU_EVENTS), -1);
}

static void test_failures(void **state)
{
	assert_int_equal(smp_next_state(CPU_STARTING, CPU_EV_TIMEOUT), CPU_FAILED);
	assert_int_equal(smp_next_state(CPU_STARTING, CPU_EV_FAILED), CPU_FAILED);
	assert_int_equal(smp_next_state(CPU_WAIT_SIPI, CPU_EV_FAILED), CPU_FAILED);
	assert_string_equal(smp_state_name(CPU_WAIT_SIPI), "wait-for-SIPI");
	assert_string_equal(smp_event_name(CPU_EV_TIMEOUT), "timeout");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ap_bring_up),
		cmocka_unit_test(test_guest_init_sipi_cycles),
		cmocka_unit_test(test_boot_cpu),
		cmocka_unit_test(test_refused_transitions),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
