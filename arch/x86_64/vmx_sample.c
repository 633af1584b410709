// SPDX-License-Identifier: GPL-2.0-only
/* vCPU sampler on the VMX preemption timer (asm/vmx_sample.h). */
#include <asm/cpu.h>
#include <asm/vmx.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_sample.h>
#include <mamori/devices.h>
#include <mamori/log.h>
#include <mamori/monitor.h>
#include <mamori/smp.h>

#ifndef VMX_SAMPLE_TICKS
#define VMX_SAMPLE_TICKS	0
#endif

u32 vmx_sample_pin(void)
{
	return PIN_PREEMPTION_TIMER;
}

bool vmx_tick_wanted(void)
{
	return VMX_SAMPLE_TICKS || platform_wants_tick() || monitor_enabled();
}

bool vmx_sample_arm(void)
{
	return vmx_vmwrite(VMX_PREEMPTION_TIMER_VALUE,
			   VMX_SAMPLE_TICKS ? VMX_SAMPLE_TICKS : VMX_TICK_UNITS);
}

void vmx_sample_exit(struct per_cpu *pc)
{
	platform_poll_periodic();
	if (!VMX_SAMPLE_TICKS || pc->samples++ & 7)
		return;
	pr_info("sample: cpu%u #%lu rip 0x%lx rsp 0x%lx rflags 0x%lx interruptibility 0x%lx activity %lu\n",
		pc->cpu_id, pc->samples, vmcs_read(GUEST_RIP), vmcs_read(GUEST_RSP),
		vmcs_read(GUEST_RFLAGS), vmcs_read(GUEST_INTERRUPTIBILITY_INFO),
		vmcs_read(GUEST_ACTIVITY_STATE));
}
