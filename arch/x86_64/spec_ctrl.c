// SPDX-License-Identifier: GPL-2.0-only
/* IA32_SPEC_CTRL around VM exits: see <asm/spec_ctrl.h>. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/spec_ctrl.h>
#include <mamori/log.h>

static bool spec_ctrl_present;
static u64 spec_ctrl_host;

u64 spec_ctrl_host_value(u32 edx7, u32 edx7_2, u64 arch_caps, bool *present)
{
	u64 host = 0;

	*present = edx7 & (CPUID7_EDX_IBRS_IBPB | CPUID7_EDX_STIBP | CPUID7_EDX_SSBD);
	if (!*present)
		return 0;
	if ((edx7 & CPUID7_EDX_IBRS_IBPB) && (arch_caps & ARCH_CAP_IBRS_ALL))
		host |= SPEC_CTRL_IBRS;
	if (edx7_2 & CPUID7_2_EDX_BHI_CTRL)
		host |= SPEC_CTRL_BHI_DIS_S;
	return host;
}

void spec_ctrl_enable(bool present, u64 host)
{
	spec_ctrl_present = present;
	spec_ctrl_host = host;
}

#ifndef MAMORI_HOST_TEST
void spec_ctrl_init(void)
{
	struct cpuid_regs r0, r7 = { 0 }, r72 = { 0 };
	u64 caps = 0, cur;
	bool present;
	u64 host;

	cpuid_count(0, 0, &r0);
	if (r0.eax >= 7)
		cpuid_count(7, 0, &r7);
	if (r0.eax >= 7 && r7.eax >= 2)
		cpuid_count(7, 2, &r72);
	if ((r7.edx & CPUID7_EDX_ARCH_CAP) && rdmsr_safe(MSR_IA32_ARCH_CAPABILITIES, &caps))
		caps = 0;
	host = spec_ctrl_host_value(r7.edx, r72.edx, caps, &present);
	if (present && rdmsr_safe(MSR_IA32_SPEC_CTRL, &cur)) {
		pr_warn("cpu: CPUID names IA32_SPEC_CTRL but reading it faults: not switched on VM exits\n");
		present = false;
	}
	spec_ctrl_enable(present, host);
	if (present)
		pr_info("cpu: IA32_SPEC_CTRL switched on VM exits: VMM value 0x%llx%s\n",
			(unsigned long long)host, host & SPEC_CTRL_IBRS ? " (enhanced IBRS)" : "");
	else
		pr_info("cpu: no IA32_SPEC_CTRL (CPUID.7.EDX bits 26/27/31 clear): nothing to switch on VM exits\n");
}
#endif

void spec_ctrl_vm_exit(u64 *guest)
{
	if (!spec_ctrl_present)
		return;
	if (rdmsr_safe(MSR_IA32_SPEC_CTRL, guest))
		*guest = spec_ctrl_host;
	if (*guest != spec_ctrl_host)
		wrmsr_safe(MSR_IA32_SPEC_CTRL, spec_ctrl_host);
}

void spec_ctrl_vm_entry(u64 guest)
{
	if (spec_ctrl_present && guest != spec_ctrl_host)
		wrmsr_safe(MSR_IA32_SPEC_CTRL, guest);
}
