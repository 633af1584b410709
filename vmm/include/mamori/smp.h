/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU bring-up and life-cycle state machine (pure; unit-tested).
 *
 *   OFFLINE --START_SENT--> STARTING --VMX_READY--> WAIT_SIPI --SIPI--> RUNNING
 *   STARTING --FAILED|TIMEOUT--> FAILED        RUNNING --INIT--> WAIT_SIPI
 *   WAIT_SIPI --INIT--> WAIT_SIPI              WAIT_SIPI|RUNNING --FAILED--> FAILED
 *
 * The boot CPU goes OFFLINE --LAUNCHED--> RUNNING. Every CPU that runs guest
 * code is in VMX non-root: a processor is RUNNING only after its SIPI exit
 * (or, for the boot CPU, its launch).
 */
#ifndef MAMORI_SMP_H
#define MAMORI_SMP_H

#include <mamori/types.h>

enum cpu_state {
	CPU_OFFLINE,		/* not started by the VMM (firmware owns it) */
	CPU_STARTING,		/* INIT-SIPI-SIPI sent, not yet in VMX */
	CPU_WAIT_SIPI,		/* in VMX non-root, wait-for-SIPI activity state */
	CPU_RUNNING,		/* guest code running in VMX non-root */
	CPU_FAILED,		/* could not be brought under the VMM */
	CPU_STATES,
};

enum cpu_event {
	CPU_EV_START_SENT,
	CPU_EV_VMX_READY,
	CPU_EV_LAUNCHED,	/* the boot CPU's first VM entry */
	CPU_EV_SIPI,
	CPU_EV_INIT,
	CPU_EV_FAILED,
	CPU_EV_TIMEOUT,
	CPU_EVENTS,
};

/* smp_next_state - the state after @ev in @s, or -1 when @ev is not allowed there. */
int smp_next_state(enum cpu_state s, enum cpu_event ev);
/* smp_state_name / smp_event_name - short names for log lines. */
const char *smp_state_name(enum cpu_state s);
const char *smp_event_name(enum cpu_event ev);

#endif
