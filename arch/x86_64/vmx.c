// SPDX-License-Identifier: GPL-2.0-only
/* VT-x probe, VMXON and VMCS set-up in explicit steps; every VMWRITE checked. */
#include <asm/cpu.h>
#include <asm/cpuid_filter.h>
#include <asm/processor.h>
#include <asm/vmx_caps.h>
#include <asm/vmx_sample.h>
#include <asm/vmx_setup.h>
#include <asm/vmx_vcpu.h>
#include <mamori/log.h>
#include <asm/x86_rules.h>
#include <mamori/mm.h>
#include <mamori/monitor.h>
#include <mamori/vm.h>

struct vmx_config vmx_cfg;

/* Check that a control word fits; log the missing bits by name of the word. */
static int adjust(const char *what, u32 msr, u32 want, u32 required, u32 *out)
{
	u32 missing;

	if (!vmx_adjust_ctls(rdmsr(msr), want, required, out, &missing))
		return 0;
	pr_err("vmx: CPU lacks required %s controls 0x%08x\n", what, missing);
	return -1;
}

static int feature_control(void)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (fc & FEATURE_CONTROL_LOCKED) {
		if (fc & FEATURE_CONTROL_VMX)
			return VMM_OK;
		pr_err("vmx: IA32_FEATURE_CONTROL is locked with VMX disabled: enable VT-x in firmware setup\n");
		return VMM_ERR_VMX_DISABLED;
	}
	wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMX | FEATURE_CONTROL_LOCKED);
	pr_dbg("vmx: IA32_FEATURE_CONTROL of this CPU was unlocked; set VMX-outside-SMX and locked it\n");
	return VMM_OK;
}

static int probe_controls(void)
{
	u32 want2 = SEC_ENABLE_EPT | SEC_ENABLE_RDTSCP | SEC_ENABLE_VPID |
		    SEC_UNRESTRICTED_GUEST | SEC_ENABLE_INVPCID | SEC_ENABLE_XSAVES |
		    SEC_ENABLE_USR_WAIT_PAUSE;
	u32 exitc = EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE |
		    EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT | EXIT_SAVE_IA32_EFER |
		    EXIT_LOAD_IA32_EFER;
	/* PT and arch LBR are denied to the guest; where the CPU can, also off in root. */
	u32 exit_opt = EXIT_CLEAR_RTIT_CTL | EXIT_CLEAR_LBR_CTL;
	u32 entryc = ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_IA32_PAT | ENTRY_LOAD_IA32_EFER;
	u32 cpuc = CPU_USE_IO_BITMAPS | CPU_USE_MSR_BITMAPS | CPU_ACTIVATE_SECONDARY;
	u32 pin = PIN_NMI_EXITING | PIN_VIRTUAL_NMIS;
	int bad = 0;

	bad |= adjust("pin-based", MSR_IA32_VMX_TRUE_PINBASED, pin | vmx_sample_pin(), pin,
		      &vmx_cfg.pin);
	if (vmx_sample_pin() && !(vmx_cfg.pin & vmx_sample_pin()))
		pr_warn("vmx: no VMX preemption timer: NIC timers run only on guest exits\n");
	bad |= adjust("processor-based", MSR_IA32_VMX_TRUE_PROCBASED, cpuc, cpuc,
		      &vmx_cfg.cpu);
	bad |= adjust("secondary", MSR_IA32_VMX_PROCBASED_CTLS2, want2,
		      SEC_ENABLE_EPT | SEC_UNRESTRICTED_GUEST, &vmx_cfg.cpu2);
	bad |= adjust("VM-exit", MSR_IA32_VMX_TRUE_EXIT, exitc | exit_opt, exitc, &vmx_cfg.exit);
	bad |= adjust("VM-entry", MSR_IA32_VMX_TRUE_ENTRY, entryc, entryc, &vmx_cfg.entry);
	/* The guest's own mode decides this one, per launch. */
	vmx_cfg.entry &= ~ENTRY_IA32E_MODE;
	/* CR3 and INVLPG exits are not needed with EPT. */
	vmx_cfg.cpu &= ~(CPU_CR3_LOAD_EXITING | CPU_CR3_STORE_EXITING | CPU_INVLPG_EXITING);
	/* What CPUID shows follows what is enabled (cpuid_filter.c). */
	cpuid_filter_init(vmx_cfg.cpu2);
	return bad ? VMM_ERR_NO_VMX : VMM_OK;
}

static int probe_ept(void)
{
	u64 cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	u64 need = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL;

	vmx_cfg.ept_cap = cap;
	if ((cap & need) != need) {
		pr_err("vmx: EPT lacks 4-level walk, WB or INVEPT (cap 0x%lx)\n", cap);
		return VMM_ERR_NO_VMX;
	}
	return VMM_OK;
}

int vmx_probe(void)
{
	struct cpuid_regs r;
	u64 basic;
	int rc;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & X86_FEATURE_ECX_VMX)) {
		pr_err("vmx: CPUID reports no VMX: this CPU cannot run Mamori\n");
		return VMM_ERR_NO_VMX;
	}
	rc = feature_control();
	if (rc)
		return rc;
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	if (!(basic & VMX_BASIC_TRUE_CTLS)) {
		pr_err("vmx: CPU lacks the TRUE VMX control MSRs\n");
		return VMM_ERR_NO_VMX;
	}
	vmx_cfg.revision = (u32)basic & 0x7fffffff;
	vmx_cfg.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	vmx_cfg.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx_cfg.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx_cfg.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	cpuid_count(0x80000008, 0, &r);
	vmx_cfg.phys_bits = r.eax & 0xff;
	rc = probe_controls();
	if (!rc)
		rc = probe_ept();
	if (!rc)
		pr_dbg("vmx: VT-x ok: rev %u, pin 0x%x cpu 0x%x cpu2 0x%x exit 0x%x entry 0x%x, %u phys bits\n",
			vmx_cfg.revision, vmx_cfg.pin, vmx_cfg.cpu, vmx_cfg.cpu2,
			vmx_cfg.exit, vmx_cfg.entry, vmx_cfg.phys_bits);
	return rc;
}

static u64 *vmx_region(void)
{
	u32 *p = page_alloc(1);

	if (p)
		*p = vmx_cfg.revision;
	return (u64 *)p;
}

int vmx_cpu_on(struct per_cpu *pc)
{
	u64 *vmxon = vmx_region(), *vmcs = vmx_region();

	int rc = feature_control();	/* per CPU: each has its own MSR */

	if (rc)
		return rc;
	if (!vmxon || !vmcs)
		return VMM_ERR_NOMEM;
	pc->vmxon_pa = virt_to_phys(vmxon);
	pc->vmcs_pa = virt_to_phys(vmcs);
	write_cr0(vmx_fixed_bits(read_cr0(), vmx_cfg.cr0_fixed0, vmx_cfg.cr0_fixed1));
	write_cr4(vmx_fixed_bits(read_cr4() | X86_CR4_VMXE, vmx_cfg.cr4_fixed0,
				 vmx_cfg.cr4_fixed1));
	if (!vmx_on(&pc->vmxon_pa)) {
		pr_err("cpu%u: VMXON failed\n", pc->cpu_id);
		return VMM_ERR_LAUNCH;
	}
	if (!vmx_clear(&pc->vmcs_pa) || !vmx_ptrld(&pc->vmcs_pa)) {
		pr_err("cpu%u: VMCLEAR/VMPTRLD failed (error %lu)\n", pc->cpu_id,
		       vmcs_read(VM_INSTRUCTION_ERROR));
		return VMM_ERR_LAUNCH;
	}
	return VMM_OK;
}

/* One checked VMWRITE; logs the field that failed. */
bool vmcs_setup_host(struct per_cpu *pc, u64 host_cr3)
{
	bool ok = true;
	u64 stack_top = (u64)pc->exit_stack + EXIT_STACK_PAGES * PAGE_SIZE;

	ok &= vmx_vmw(HOST_CR0, read_cr0());
	ok &= vmx_vmw(HOST_CR3, host_cr3);
	ok &= vmx_vmw(HOST_CR4, read_cr4());
	ok &= vmx_vmw(HOST_CS_SELECTOR, HOST_CS);
	ok &= vmx_vmw(HOST_SS_SELECTOR, HOST_DS);
	ok &= vmx_vmw(HOST_DS_SELECTOR, HOST_DS);
	ok &= vmx_vmw(HOST_ES_SELECTOR, HOST_DS);
	ok &= vmx_vmw(HOST_FS_SELECTOR, HOST_DS);
	ok &= vmx_vmw(HOST_GS_SELECTOR, HOST_DS);
	ok &= vmx_vmw(HOST_TR_SELECTOR, HOST_TR);
	ok &= vmx_vmw(HOST_FS_BASE, 0);
	ok &= vmx_vmw(HOST_GS_BASE, (u64)pc);
	ok &= vmx_vmw(HOST_TR_BASE, (u64)&pc->tss);
	ok &= vmx_vmw(HOST_GDTR_BASE, (u64)pc->gdt);
	ok &= vmx_vmw(HOST_IDTR_BASE, host_idt_base());
	ok &= vmx_vmw(HOST_IA32_SYSENTER_CS, 0);
	ok &= vmx_vmw(HOST_IA32_SYSENTER_ESP, 0);
	ok &= vmx_vmw(HOST_IA32_SYSENTER_EIP, 0);
	ok &= vmx_vmw(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	ok &= vmx_vmw(HOST_IA32_EFER, rdmsr(MSR_EFER));
	ok &= vmx_vmw(HOST_RSP, stack_top);
	ok &= vmx_vmw(HOST_RIP, (u64)vmx_exit_entry);
	return ok;
}

u64 vmx_guest_cr0(u64 shadow)
{
	/* Unrestricted guest: PE and PG are the guest's own. */
	u64 fixed0 = vmx_cfg.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);

	return vmx_fixed_bits(shadow, fixed0, vmx_cfg.cr0_fixed1);
}

u64 vmx_guest_cr4(u64 shadow)
{
	return vmx_fixed_bits(shadow, vmx_cfg.cr4_fixed0, vmx_cfg.cr4_fixed1);
}

bool vmcs_setup_controls(struct per_cpu *pc)
{
	struct arch_vm *a = &pc->vm->arch;
	u64 cr0_mask = (vmx_cfg.cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG)) |
		       (~vmx_cfg.cr0_fixed1 & 0xffffffffULL);
	u64 cr4_mask = vmx_cfg.cr4_fixed0 | (~vmx_cfg.cr4_fixed1 & 0xffffffffULL) |
		       X86_CR4_VMXE | X86_CR4_SMXE;
	/* The periodic tick costs exits on every boot: armed only when wanted. */
	u32 pin = vmx_tick_wanted() ? vmx_cfg.pin : vmx_cfg.pin & ~vmx_sample_pin();
	bool ok = true;

	if (monitor_enabled()) {	/* the monitor's synchronous events (docs/monitor.md) */
		cr0_mask |= X86_CR0_WP;
		cr4_mask |= X86_CR4_SMEP | X86_CR4_SMAP;
	}
	ok &= vmx_vmw(PIN_BASED_VM_EXEC_CONTROL, pin);
	ok &= vmx_vmw(CPU_BASED_VM_EXEC_CONTROL, vmx_cfg.cpu);
	ok &= vmx_vmw(SECONDARY_VM_EXEC_CONTROL, vmx_cfg.cpu2);
	ok &= vmx_vmw(VM_EXIT_CONTROLS, vmx_cfg.exit);
	ok &= vmx_vmw(EXCEPTION_BITMAP, 0);
	if (pin & vmx_sample_pin())
		ok &= vmx_sample_arm();
	ok &= vmx_vmw(PAGE_FAULT_ERROR_CODE_MASK, 0);
	ok &= vmx_vmw(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	ok &= vmx_vmw(CR3_TARGET_COUNT, 0);
	ok &= vmx_vmw(VM_EXIT_MSR_STORE_COUNT, 0);
	ok &= vmx_vmw(VM_EXIT_MSR_LOAD_COUNT, 0);
	ok &= vmx_vmw(VM_ENTRY_MSR_LOAD_COUNT, 0);
	ok &= vmx_vmw(VM_ENTRY_INTR_INFO, 0);
	ok &= vmx_vmw(IO_BITMAP_A, virt_to_phys(a->io_bitmap));
	ok &= vmx_vmw(IO_BITMAP_B, virt_to_phys(a->io_bitmap + PAGE_SIZE));
	ok &= vmx_vmw(MSR_BITMAP, virt_to_phys(a->msr_bitmap));
	ok &= vmx_vmw(EPT_POINTER, ept_eptp(&a->ept));
	if (vmx_cfg.cpu2 & SEC_ENABLE_VPID)
		ok &= vmx_vmw(VIRTUAL_PROCESSOR_ID, a->vpid);
	ok &= vmx_vmw(CR0_GUEST_HOST_MASK, cr0_mask);
	ok &= vmx_vmw(CR4_GUEST_HOST_MASK, cr4_mask);
	ok &= vmx_vmw(TSC_OFFSET, 0);
	return ok;
}
