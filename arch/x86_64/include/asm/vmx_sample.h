/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU sampler, a debugging aid off by default (docs/testing.md, "A guest
 * that hangs"). Built with `make VMX_SAMPLE=N`, every vCPU runs with the
 * VMX preemption timer set to N: a vCPU that stays in the guest (spinning,
 * halted, in MWAIT) for that long exits, and the VMM logs where it was. It
 * changes timing and wakes sleeping vCPUs, so it is never on in a release.
 *
 * Without it the same timer is the VMM's periodic tick: every vCPU exits at
 * least every VMX_TICK_UNITS timer units (2^18, times 2^IA32_VMX_MISC[4:0]
 * TSC cycles: a few ms on hardware) and runs platform_poll_periodic(), so
 * the MACsec timers and NIC receive progress while the guest idles.
 */
#define VMX_TICK_UNITS	(1u << 18)
#ifndef _ASM_VMX_SAMPLE_H
#define _ASM_VMX_SAMPLE_H

#include <mamori/types.h>

struct per_cpu;

/* vmx_sample_pin - the pin-based control the tick and the sampler want. */
u32 vmx_sample_pin(void);
/* vmx_tick_wanted - arm the timer at all: the sampler is on or the platform wants its tick. */
bool vmx_tick_wanted(void);
/* vmx_sample_arm - load the timer into the current VMCS (nothing when off); false if VMWRITE failed. */
bool vmx_sample_arm(void);
/* vmx_sample_exit - a preemption-timer exit on @pc: the periodic poll; with the sampler, log every 8th. */
void vmx_sample_exit(struct per_cpu *pc);

#endif
