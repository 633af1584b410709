// SPDX-License-Identifier: GPL-2.0-only
/* VM-exit statistics, exit-reason and VM-instruction error names. */
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/tsc.h>
#include <asm/vmx.h>
#include <asm/vmx_exit.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/vmm.h>

static const char *const exit_names[VMX_EXIT_REASONS] = {
	[EXIT_EXCEPTION_NMI] = "exception-nmi",
	[EXIT_EXTERNAL_INTERRUPT] = "external-interrupt",
	[EXIT_TRIPLE_FAULT] = "triple-fault",
	[EXIT_INIT] = "init",
	[EXIT_SIPI] = "sipi",
	[EXIT_IO_SMI] = "io-smi",
	[EXIT_OTHER_SMI] = "other-smi",
	[EXIT_INTERRUPT_WINDOW] = "interrupt-window",
	[EXIT_NMI_WINDOW] = "nmi-window",
	[EXIT_TASK_SWITCH] = "task-switch",
	[EXIT_CPUID] = "cpuid",
	[EXIT_GETSEC] = "getsec",
	[EXIT_HLT] = "hlt",
	[EXIT_INVD] = "invd",
	[EXIT_INVLPG] = "invlpg",
	[EXIT_RDPMC] = "rdpmc",
	[EXIT_RDTSC] = "rdtsc",
	[EXIT_RSM] = "rsm",
	[EXIT_VMCALL] = "vmcall",
	[EXIT_VMCLEAR] = "vmclear",
	[EXIT_VMLAUNCH] = "vmlaunch",
	[EXIT_VMPTRLD] = "vmptrld",
	[EXIT_VMPTRST] = "vmptrst",
	[EXIT_VMREAD] = "vmread",
	[EXIT_VMRESUME] = "vmresume",
	[EXIT_VMWRITE] = "vmwrite",
	[EXIT_VMXOFF] = "vmxoff",
	[EXIT_VMXON] = "vmxon",
	[EXIT_CR_ACCESS] = "cr-access",
	[EXIT_DR_ACCESS] = "dr-access",
	[EXIT_IO_INSTRUCTION] = "io",
	[EXIT_RDMSR] = "rdmsr",
	[EXIT_WRMSR] = "wrmsr",
	[EXIT_INVALID_GUEST_STATE] = "entry-invalid-guest-state",
	[EXIT_MSR_LOAD_FAIL] = "entry-msr-load",
	[EXIT_RESERVED_35] = "reserved-35",
	[EXIT_MWAIT] = "mwait",
	[EXIT_MONITOR_TRAP_FLAG] = "monitor-trap-flag",
	[EXIT_RESERVED_38] = "reserved-38",
	[EXIT_MONITOR] = "monitor",
	[EXIT_PAUSE] = "pause",
	[EXIT_MCE_DURING_ENTRY] = "entry-machine-check",
	[EXIT_RESERVED_42] = "reserved-42",
	[EXIT_TPR_BELOW_THRESHOLD] = "tpr-below-threshold",
	[EXIT_APIC_ACCESS] = "apic-access",
	[EXIT_EOI_INDUCED] = "eoi-induced",
	[EXIT_GDTR_IDTR] = "gdtr-idtr",
	[EXIT_LDTR_TR] = "ldtr-tr",
	[EXIT_EPT_VIOLATION] = "ept-violation",
	[EXIT_EPT_MISCONFIG] = "ept-misconfig",
	[EXIT_INVEPT] = "invept",
	[EXIT_RDTSCP] = "rdtscp",
	[EXIT_PREEMPTION_TIMER] = "preemption-timer",
	[EXIT_INVVPID] = "invvpid",
	[EXIT_WBINVD] = "wbinvd",
	[EXIT_XSETBV] = "xsetbv",
	[EXIT_APIC_WRITE] = "apic-write",
	[EXIT_RDRAND] = "rdrand",
	[EXIT_INVPCID] = "invpcid",
	[EXIT_VMFUNC] = "vmfunc",
	[EXIT_ENCLS] = "encls",
	[EXIT_RDSEED] = "rdseed",
	[EXIT_PML_FULL] = "pml-full",
	[EXIT_XSAVES] = "xsaves",
	[EXIT_XRSTORS] = "xrstors",
	[EXIT_PCONFIG] = "pconfig",
	[EXIT_SPP] = "spp",
	[EXIT_UMWAIT] = "umwait",
	[EXIT_TPAUSE] = "tpause",
	[EXIT_LOADIWKEY] = "loadiwkey",
};

const char *vmx_exit_reason_name(u32 reason)
{
	if (reason < VMX_EXIT_REASONS && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

void vmx_count_exit(struct per_cpu *pc, u32 reason)
{
	u64 n = ++pc->exits[MIN(reason, (u32)VMX_EXIT_REASONS)];

	/* The first of each reason, then every power of two (debug level). */
	if ((n & (n - 1)) == 0)
		log_printk(LOG_DBG, "cpu%u: exit %s #%lu at rip 0x%lx (qualification 0x%lx)\n",
			   pc->cpu_id, vmx_exit_reason_name(reason), n, vmcs_read(GUEST_RIP),
			   vmcs_read(EXIT_QUALIFICATION));
}

u32 arch_exit_stats(u64 *out, u32 reasons, u64 *total)
{
	u32 i, c, n = MIN(reasons, (u32)VMX_EXIT_REASONS + 1);

	*total = 0;
	for (i = 0; i < n; i++) {
		out[i] = 0;
		for (c = 0; c < PERCPU_MAX; c++)
			if (percpu_get(c))
				out[i] += percpu_get(c)->exits[i];
		*total += out[i];
	}
	return n;
}

/* TSC cycles (thousands) the VMM spent in exits of @reason, summed over CPUs. */
static u64 exit_kcycles(u32 reason)
{
	u64 t = 0;
	u32 c;

	for (c = 0; c < PERCPU_MAX; c++)
		if (percpu_get(c))
			t += percpu_get(c)->exit_tsc[reason];
	return t / 1000;
}

void arch_log_exit_stats(const char *why)
{
	u64 count[VMX_EXIT_REASONS + 1], total;
	u32 i;

	arch_exit_stats(count, VMX_EXIT_REASONS + 1, &total);
	pr_info("stats: %lu VM exits at %s (tsc %lu)\n", total, why, rdtsc());
	for (i = 0; i <= VMX_EXIT_REASONS; i++)
		if (count[i])
			pr_info("stats:   %s %lu, %lu kcycles\n", vmx_exit_reason_name(i), count[i],
				exit_kcycles(i));
}

static const char *const insn_errors[] = {
	[1] = "VMCALL in VMX root", [2] = "VMCLEAR with invalid address",
	[3] = "VMCLEAR with VMXON pointer", [4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS", [6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control fields",
	[8] = "VM entry with invalid host-state fields",
	[9] = "VMPTRLD with invalid address", [10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with wrong VMCS revision",
	[12] = "VMREAD/VMWRITE of unsupported component",
	[13] = "VMWRITE to read-only component", [15] = "VMXON in VMX root",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_name(u32 err)
{
	if (err < ARRAY_SIZE(insn_errors) && insn_errors[err])
		return insn_errors[err];
	return "unknown VM-instruction error";
}
