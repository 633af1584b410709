// SPDX-License-Identifier: GPL-2.0-only
#include <mamori/smp.h>

#define X	(-1)

static const s8 smp_table[CPU_STATES][CPU_EVENTS] = {
	/*               START_SENT    VMX_READY      LAUNCHED     SIPI         INIT           FAILED      TIMEOUT */
	[CPU_OFFLINE] = { CPU_STARTING, X,            CPU_RUNNING, X,           X,             CPU_FAILED, X },
	[CPU_STARTING] = { X,           CPU_WAIT_SIPI, X,          X,           X,             CPU_FAILED, CPU_FAILED },
	[CPU_WAIT_SIPI] = { X,          X,            X,           CPU_RUNNING, CPU_WAIT_SIPI, CPU_FAILED, X },
	[CPU_RUNNING] = { X,            X,            X,           X,           CPU_WAIT_SIPI, CPU_FAILED, X },
	[CPU_FAILED] = { X,             X,            X,           X,           X,             X,          X },
};

int smp_next_state(enum cpu_state s, enum cpu_event ev)
{
	if ((u32)s >= CPU_STATES || (u32)ev >= CPU_EVENTS)
		return -1;
	return smp_table[s][ev];
}

const char *smp_state_name(enum cpu_state s)
{
	static const char *const names[CPU_STATES] = {
		"offline", "starting", "wait-for-SIPI", "running", "failed",
	};

	return (u32)s < CPU_STATES ? names[s] : "?";
}

const char *smp_event_name(enum cpu_event ev)
{
	static const char *const names[CPU_EVENTS] = {
		"start-sent", "vmx-ready", "launched", "SIPI", "INIT", "failed", "timeout",
	};

	return (u32)ev < CPU_EVENTS ? names[ev] : "?";
}
