/* SPDX-License-Identifier: GPL-2.0-only */
/* Monitor hypercall stubs (docs/hypercalls.md, "Monitor ABI"). */
#ifndef MON_HC_H
#define MON_HC_H

#include "rt.h"
#include <mamori/monitor_abi.h>

static inline s64 mon_vmcall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	u64 ret;

	__asm__ volatile("vmcall"
			 : "=a"(ret)
			 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
			 : "memory");
	return (s64)ret;
}

/* hc_yield - end this time slice; returns at the start of the next one. */
static inline void hc_yield(void)
{
	mon_vmcall(HC_MON_YIELD, 0, 0, 0, 0);
}

/* hc_alert - report a finding to the trusted console and the VMM log. */
static inline s64 hc_alert(u32 severity, u32 check, const char *text)
{
	return mon_vmcall(HC_MON_ALERT, severity, check, (u64)text, mon_strlen(text));
}

/* hc_log - an informational line (heartbeat) in the VMM log. */
static inline s64 hc_log(const char *text)
{
	return mon_vmcall(HC_MON_LOG, (u64)text, mon_strlen(text), 0, 0);
}

/* hc_snapshot - fill @v (@n slots) with the guest vCPUs' control state; vCPUs written. */
static inline s64 hc_snapshot(struct mon_vcpu_state *v, u32 n)
{
	return mon_vmcall(HC_MON_SNAPSHOT, (u64)v, (u64)n * sizeof(*v), 0, 0);
}

static inline s64 hc_info(struct mon_info *i)
{
	return mon_vmcall(HC_MON_INFO, (u64)i, sizeof(*i), 0, 0);
}

#endif
