/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPU sampler, a debugging aid off by default (docs/testing.md, "A guest
 * that hangs"). Built with `make VMX_SAMPLE=N`, every vCPU runs with the
 * VMX preemption timer set to N: a vCPU that stays in the guest (spinning,
 * halted, in MWAIT) for that long exits, and the VMM logs where it was. It
 * changes timing and wakes sleeping vCPUs, so it is never on in a release.
 */
#ifndef _ASM_VMX_SAMPLE_H
#define _ASM_VMX_SAMPLE_H

#include <mamori/types.h>

struct per_cpu;

/* vmx_sample_pin - the pin-based control the sampler wants (0 when off). */
u32 vmx_sample_pin(void);
/* vmx_sample_arm - load the timer into the current VMCS (nothing when off); false if VMWRITE failed. */
bool vmx_sample_arm(void);
/* vmx_sample_exit - a preemption-timer exit on @pc: log every 8th sample. */
void vmx_sample_exit(struct per_cpu *pc);

#endif
