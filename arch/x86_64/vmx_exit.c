// SPDX-License-Identifier: GPL-2.0-only
/* VM-exit dispatch and the handlers. Every reason has a named entry below. */
#include <asm/cpu.h>
#include <asm/apic.h>
#include <asm/cpuid_filter.h>
#include <asm/fpu.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/spec_ctrl.h>
#include <asm/tsc.h>
#include <asm/vapic.h>
#include <asm/vmx_exit.h>
#include <asm/vmx_monitor.h>
#include <asm/vmx_msr.h>
#include <asm/vmx_sample.h>
#include <asm/vmx_setup.h>
#include <asm/x86_rules.h>
#include <mamori/console.h>
#include <mamori/hypercall.h>
#include <mamori/log.h>
#include <mamori/smp.h>
#include <mamori/vm.h>
#include <mamori/vmm.h>

/* --- handlers --- */

static void handle_exception_nmi(struct per_cpu *pc, struct guest_regs *r)
{
	u32 info = (u32)vmcs_read(VM_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		/* A VMM kick needs nothing more: EPT sync and INIT run on every exit. */
		if (!vmx_nmi_take_kick(pc))
			vmx_nmi_queue(pc);
		vmx_nmi_unblock();	/* the NMI exit left NMIs blocked in root */
		return;
	}
	/* Not in the exception bitmap; reflect whatever arrived unchanged. */
	vmx_inject(info & 0xff, info & INTR_TYPE_MASK, info & INTR_INFO_DELIVER_CODE,
		   (u32)vmcs_read(VM_EXIT_INTR_ERROR_CODE));
}

static void handle_triple_fault(struct per_cpu *pc, struct guest_regs *r)
{
	pr_err("cpu%u: guest triple fault at rip 0x%lx\n", pc->cpu_id, vmcs_read(GUEST_RIP));
	platform_reset("guest triple fault");
}

/* INIT: the boot CPU resets the platform; an AP goes back to wait-for-SIPI. */
static void handle_init(struct per_cpu *pc, struct guest_regs *r)
{
	if (pc->cpu_id == 0)
		platform_reset("INIT on the boot CPU");
	/* The guest's INIT IPIs are emulated (vapic.c): this one came from elsewhere. */
	pr_warn_ratelimited("cpu%u: physical INIT exit at rip 0x%lx (not a guest ICR write)\n",
			    pc->cpu_id, vmcs_read(GUEST_RIP));
	/*
	 * An INIT that arrived during wait-for-SIPI is held pending and
	 * delivered on the entry after the SIPI, before the vCPU runs anything.
	 * Natively it is redundant (the CPU is already in the INIT state); acting
	 * on it would swallow the start-up the SIPI asked for. Bochs raises it
	 * twice; a few in a row are dropped, then INIT acts again.
	 */
	if (pc->sipi_fresh && vmcs_read(GUEST_RIP) == 0 && pc->held_inits < 4) {
		pc->held_inits++;
		pr_dbg("cpu%u: INIT held during wait-for-SIPI dropped\n", pc->cpu_id);
		/* The exit saved the post-INIT state: start from the SIPI again. */
		if (!vmcs_guest_sipi(pc->sipi_vector))
			platform_reset("cannot restart a vCPU after a held INIT");
		return;
	}
	pc->sipi_fresh = false;
	if (!vmcs_setup_guest_init(GUEST_ACTIVITY_WAIT_SIPI))
		platform_reset("cannot reset a vCPU after INIT");
	pc->pending_nmis = 0;
	cpu_event(pc, CPU_EV_INIT);
}

/* SIPI in wait-for-SIPI: start the guest's real-mode code at vector:0000. */
static void handle_sipi(struct per_cpu *pc, struct guest_regs *r)
{
	u8 vector;

	/*
	 * Before the boot CPU's first VM entry no guest can send a SIPI: this
	 * is the VMM's own second start-up IPI (apic_start_cpu()) reaching an
	 * AP that parked in wait-for-SIPI within 200 us of the first. It is
	 * ignored; the vCPU stays in wait-for-SIPI (run, it would execute the
	 * VMM's trampoline as guest code).
	 */
	if (!pc->vm->arch.ept_live) {
		pr_dbg("cpu%u: the VMM's own second start-up SIPI ignored\n", pc->cpu_id);
		/* Not every implementation saves wait-for-SIPI on a SIPI exit: re-arm it. */
		if (!vmcs_setup_guest_init(GUEST_ACTIVITY_WAIT_SIPI))
			platform_reset("cannot keep a vCPU in wait-for-SIPI");
		return;
	}
	vector = (u8)vmcs_read(EXIT_QUALIFICATION);
	if (cpu_event(pc, CPU_EV_SIPI))
		return;
	log_printk(pc->sipis++ < 2 ? LOG_INFO : LOG_DBG,
		   "cpu%u: SIPI vector 0x%x: guest code starts at 0x%x\n", pc->cpu_id, vector,
		   (u32)vector << 12);
	if (!vmcs_guest_sipi(vector))
		platform_reset("cannot start a vCPU after SIPI");
	vmx_nmi_unblock();
	pc->sipi_fresh = true;
	pc->sipi_vector = vector;
	pc->held_inits = 0;
}

static void handle_nmi_window(struct per_cpu *pc, struct guest_regs *r)
{
	/* Delivery happens in inject_pending_nmi() on the way back in. */
}

static void handle_cpuid(struct per_cpu *pc, struct guest_regs *r)
{
	struct cpuid_regs c;
	u32 leaf = (u32)r->rax, sub = (u32)r->rcx;

	cpuid_count(leaf, sub, &c);
	cpuid_filter(leaf, sub, vmcs_read(GUEST_CR4), &c);
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
	vmx_skip_instruction();
}

static void handle_invd(struct per_cpu *pc, struct guest_regs *r)
{
	__asm__ volatile("wbinvd" ::: "memory");	/* never drop dirty lines */
	vmx_skip_instruction();
}

static void handle_vmcall(struct per_cpu *pc, struct guest_regs *r)
{
	if (vmx_guest_cpl() != 0) {
		pr_warn_ratelimited("cpu%u: hypercall %lu from CPL %u refused (#UD)\n",
				    pc->cpu_id, r->rax, vmx_guest_cpl());
		vmx_inject_ud();
		return;
	}
	r->rax = (u64)hypercall_dispatch(pc->vm, r->rax, r->rbx, r->rcx, r->rdx, r->rsi);
	vmx_skip_instruction();
}

static void handle_vmx_insn(struct per_cpu *pc, struct guest_regs *r)
{
	vmx_inject_ud();	/* VMX is hidden from the guest */
}

/* A guest control register as the guest reads it: owned bits from the shadow. */
static u64 guest_cr(u32 real, u32 shadow, u32 mask_field)
{
	u64 mask = vmcs_read(mask_field);

	return (vmcs_read(shadow) & mask) | (vmcs_read(real) & ~mask);
}

static void guest_cr_state(struct x86_cr_state *s)
{
	s->cr0 = guest_cr(GUEST_CR0, CR0_READ_SHADOW, CR0_GUEST_HOST_MASK);
	s->cr4 = guest_cr(GUEST_CR4, CR4_READ_SHADOW, CR4_GUEST_HOST_MASK);
	s->cr3 = vmcs_read(GUEST_CR3);
	s->efer = vmcs_read(GUEST_IA32_EFER);
	s->cs_l = vmcs_read(GUEST_CS_AR) & BIT(13);
}

static void guest_cpuid(u32 leaf, u32 sub, struct cpuid_regs *c)
{
	cpuid_count(leaf, sub, c);
	cpuid_filter(leaf, sub, vmcs_read(GUEST_CR4), c);
}

/* CR4 bits a guest may set: its CPUID's features that VMX operation allows. */
static u64 guest_cr4_allowed(void)
{
	static u64 allowed;	/* the same on every CPU: computed once */
	struct x86_cr4_features f = { 0 };
	struct cpuid_regs c;
	u32 max;

	if (allowed)
		return allowed;
	cpuid_count(0, 0, &c);
	max = c.eax;
	guest_cpuid(1, 0, &c);
	f.l1_ecx = c.ecx;
	f.l1_edx = c.edx;
	if (max >= 7) {
		guest_cpuid(7, 0, &c);
		f.l7_ebx = c.ebx;
		f.l7_ecx = c.ecx;
		f.l7_edx = c.edx;
		if (c.eax >= 1) {
			guest_cpuid(7, 1, &c);
			f.l71_eax = c.eax;
		}
	}
	allowed = x86_cr4_supported(&f) & vmx_cfg.cr4_fixed1;
	return allowed;
}

/* PAE paging with EPT: VM entry takes the PDPTEs from the VMCS, so load them. */
static bool guest_load_pdptes(struct per_cpu *pc, u64 cr3)
{
	u64 pdpte[4];
	u32 i;

	if (guest_phys_read(pc->vm, cr3 & 0xffffffe0ULL, pdpte, sizeof(pdpte)))
		return false;
	for (i = 0; i < 4; i++)
		if (!x86_pdpte_valid(pdpte[i], vmx_cfg.phys_bits))
			return false;
	for (i = 0; i < 4; i++)
		vmx_vmwrite(GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return true;
}

static bool cr_refuse(struct per_cpu *pc, u32 cr, u64 val, const char *why)
{
	pr_warn_ratelimited("cpu%u: guest write 0x%lx to CR%u refused (%s): #GP\n", pc->cpu_id,
			    val, cr, why);
	vmx_inject_gp();
	return false;
}

static bool guest_write_cr0(struct per_cpu *pc, u64 val)
{
	struct x86_cr_state s;
	u64 efer, entry = vmcs_read(VM_ENTRY_CONTROLS);

	guest_cr_state(&s);
	if (x86_cr0_check(&s, &val))
		return cr_refuse(pc, 0, val, "architectural check");
	efer = s.efer;
	if ((val & X86_CR0_PG) && !(s.cr0 & X86_CR0_PG) && (efer & EFER_LME)) {
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E_MODE;
	} else if (!(val & X86_CR0_PG) && (s.cr0 & X86_CR0_PG)) {
		efer &= ~EFER_LMA;
		entry &= ~ENTRY_IA32E_MODE;
	}
	if (x86_pdptes_reload(s.cr0, s.cr4, val, s.cr4, efer) && !guest_load_pdptes(pc, s.cr3))
		return cr_refuse(pc, 0, val, "PAE PDPTEs not loadable");
	vmx_vmwrite(GUEST_IA32_EFER, efer);
	vmx_vmwrite(VM_ENTRY_CONTROLS, entry);
	vmx_vmwrite(CR0_READ_SHADOW, val);
	vmx_vmwrite(GUEST_CR0, vmx_guest_cr0(val));
	vmx_monitor_cr_write(pc, 0, s.cr0, val);
	return true;
}

static bool guest_write_cr4(struct per_cpu *pc, u64 val)
{
	struct x86_cr_state s;

	if (val & (X86_CR4_VMXE | X86_CR4_SMXE))
		return cr_refuse(pc, 4, val, (val & X86_CR4_VMXE) ? "VMXE" : "SMXE");
	guest_cr_state(&s);
	if (x86_cr4_check(&s, val, guest_cr4_allowed()))
		return cr_refuse(pc, 4, val, "reserved or unsupported bit, or architectural check");
	if (x86_pdptes_reload(s.cr0, s.cr4, s.cr0, val, s.efer) && !guest_load_pdptes(pc, s.cr3))
		return cr_refuse(pc, 4, val, "PAE PDPTEs not loadable");
	vmx_vmwrite(CR4_READ_SHADOW, val);
	vmx_vmwrite(GUEST_CR4, vmx_guest_cr4(val | X86_CR4_VMXE));
	vmx_monitor_cr_write(pc, 4, s.cr4, val);
	return true;
}

static void handle_cr_access(struct per_cpu *pc, struct guest_regs *r)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION), val;
	u32 cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	u64 cur = guest_cr(GUEST_CR0, CR0_READ_SHADOW, CR0_GUEST_HOST_MASK);
	bool ok;

	val = reg == 4 ? vmcs_read(GUEST_RSP) : *vmx_gpr(r, reg);
	if (vmx_guest_code_bits() != 64)
		val = (u32)val;		/* outside 64-bit mode MOV CR is 32-bit */
	if (type == 0 && cr == 0) {
		ok = guest_write_cr0(pc, val);
	} else if (type == 0 && cr == 4) {
		ok = guest_write_cr4(pc, val);
	} else if (type == 3) {		/* LMSW: bits 3:0, cannot clear PE */
		ok = guest_write_cr0(pc, (cur & ~0xeULL) | ((q >> 16) & 0xf));
	} else if (type == 2) {		/* CLTS */
		ok = guest_write_cr0(pc, cur & ~X86_CR0_TS);
	} else {
		pr_err_ratelimited("cpu%u: unexpected CR access (qualification 0x%lx): #UD\n",
				   pc->cpu_id, q);
		vmx_inject_ud();
		return;
	}
	if (ok)
		vmx_skip_instruction();
}

static void handle_rdmsr(struct per_cpu *pc, struct guest_regs *r)
{
	u64 v;

	if (vmx_msr_read(pc, (u32)r->rcx, &v)) {
		vmx_inject_gp();
		return;
	}
	r->rax = (u32)v;
	r->rdx = v >> 32;
	vmx_skip_instruction();
}

static void handle_wrmsr(struct per_cpu *pc, struct guest_regs *r)
{
	bool gp;

	if (vmx_monitor_msr_write(pc, (u32)r->rcx, (r->rdx << 32) | (u32)r->rax, &gp)) {
		if (gp)
			vmx_inject_gp();
		else
			vmx_skip_instruction();
		return;
	}
	if (vmx_msr_write(pc, (u32)r->rcx, (r->rdx << 32) | (u32)r->rax)) {
		vmx_inject_gp();
		return;
	}
	vmx_skip_instruction();
}

static void handle_failed_entry(struct per_cpu *pc, struct guest_regs *r)
{
	u32 reason = (u32)vmcs_read(VM_EXIT_REASON) & 0xffff;

	pr_err("cpu%u: VM entry failed: %s (qualification 0x%lx)\n", pc->cpu_id,
	       vmx_exit_reason_name(reason), vmcs_read(EXIT_QUALIFICATION));
	vmx_dump_guest_state();
	if (!pc->launched)
		vmx_launch_abort();
	platform_reset("VM entry failed");
}

/*
 * Inside the VMM region: a sink stands in (a fetch gets UD2s, so the guest
 * takes #UD). Anywhere else the EPT maps everything but trapped MMIO, so a
 * violation the MMIO code does not explain is an address the VMM does not map
 * (beyond the identity range): refused with #GP, never silently backed.
 * A violation the EPT no longer explains (another CPU mapped the page since)
 * is retried.
 */
static void handle_ept_violation(struct per_cpu *pc, struct guest_regs *r)
{
	u64 gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS), q = vmcs_read(EXIT_QUALIFICATION);
	u32 access = q & (EPT_VIOL_READ | EPT_VIOL_WRITE | EPT_VIOL_FETCH), perms;
	static u32 stray;

	if (vmx_mmio_exit(pc, r, gpa, q))
		return;
	if (!ept_lookup(&pc->vm->arch.ept, gpa, NULL, &perms, NULL, NULL) &&
	    (perms & access) == access)
		return;		/* changed by another CPU since: retry */
	if (!vm_range_hits_vmm(pc->vm, gpa, 1)) {
		if (log_ratelimit(&stray))
			pr_warn("cpu%u: guest access to unmapped GPA 0x%lx (qualification 0x%lx, rip 0x%lx): #GP\n",
				pc->cpu_id, gpa, q, vmcs_read(GUEST_RIP));
		vmx_inject_gp();
		return;
	}
	if (arch_vm_hidden_access(pc->vm, gpa, q))
		platform_reset("cannot map the sink page");
}

static void handle_ept_misconfig(struct per_cpu *pc, struct guest_regs *r)
{
	pr_fatal("cpu%u: EPT misconfiguration at GPA 0x%lx (VMM bug)\n", pc->cpu_id,
		 vmcs_read(GUEST_PHYSICAL_ADDRESS));
	platform_reset("EPT misconfiguration");
}

static void handle_xsetbv(struct per_cpu *pc, struct guest_regs *r)
{
	u64 v = (r->rdx << 32) | (u32)r->rax;
	struct cpuid_regs c;

	guest_cpuid(0xd, 0, &c);
	/* The check is exhaustive; the fixup only keeps an SDM gap from halting root. */
	if ((u32)r->rcx != 0 || vmx_guest_cpl() ||
	    !x86_xcr0_valid(v, ((u64)c.edx << 32) | c.eax) || !fpu_xcr0_ok(v) ||
	    xsetbv_safe(0, v)) {
		pr_warn_ratelimited("cpu%u: guest XSETBV(%u, 0x%lx) invalid: #GP\n", pc->cpu_id,
				    (u32)r->rcx, v);
		vmx_inject_gp();
		return;
	}
	vmx_skip_instruction();
}

/* Only with the vCPU sampler built in (asm/vmx_sample.h). */
static void handle_preemption_timer(struct per_cpu *pc, struct guest_regs *r)
{
	vmx_sample_exit(pc);
}

/* Exits Mamori never enables: refuse the instruction rather than stop the VMM. */
static void handle_unexpected(struct per_cpu *pc, struct guest_regs *r)
{
	u32 reason = (u32)vmcs_read(VM_EXIT_REASON) & 0xffff;

	pr_err_ratelimited("cpu%u: unexpected VM exit %s (%u) at rip 0x%lx: #UD to the guest\n",
			   pc->cpu_id, vmx_exit_reason_name(reason), reason, vmcs_read(GUEST_RIP));
	vmx_inject_ud();
}

const vmx_exit_fn vmx_exit_table[VMX_EXIT_REASONS] = {
	[EXIT_EXCEPTION_NMI] = handle_exception_nmi,
	[EXIT_EXTERNAL_INTERRUPT] = handle_unexpected,
	[EXIT_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_INIT] = handle_init,
	[EXIT_SIPI] = handle_sipi,
	[EXIT_IO_SMI] = handle_unexpected,
	[EXIT_OTHER_SMI] = handle_unexpected,
	[EXIT_INTERRUPT_WINDOW] = handle_unexpected,
	[EXIT_NMI_WINDOW] = handle_nmi_window,
	[EXIT_TASK_SWITCH] = handle_unexpected,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_GETSEC] = handle_vmx_insn,
	[EXIT_HLT] = handle_unexpected,
	[EXIT_INVD] = handle_invd,
	[EXIT_INVLPG] = handle_unexpected,
	[EXIT_RDPMC] = handle_unexpected,
	[EXIT_RDTSC] = handle_unexpected,
	[EXIT_RSM] = handle_unexpected,
	[EXIT_VMCALL] = handle_vmcall,
	[EXIT_VMCLEAR] = handle_vmx_insn,
	[EXIT_VMLAUNCH] = handle_vmx_insn,
	[EXIT_VMPTRLD] = handle_vmx_insn,
	[EXIT_VMPTRST] = handle_vmx_insn,
	[EXIT_VMREAD] = handle_vmx_insn,
	[EXIT_VMRESUME] = handle_vmx_insn,
	[EXIT_VMWRITE] = handle_vmx_insn,
	[EXIT_VMXOFF] = handle_vmx_insn,
	[EXIT_VMXON] = handle_vmx_insn,
	[EXIT_CR_ACCESS] = handle_cr_access,
	[EXIT_DR_ACCESS] = handle_unexpected,
	[EXIT_IO_INSTRUCTION] = vmx_handle_io,
	[EXIT_RDMSR] = handle_rdmsr,
	[EXIT_WRMSR] = handle_wrmsr,
	[EXIT_INVALID_GUEST_STATE] = handle_failed_entry,
	[EXIT_MSR_LOAD_FAIL] = handle_failed_entry,
	[EXIT_RESERVED_35] = handle_unexpected,
	[EXIT_MWAIT] = handle_unexpected,
	[EXIT_MONITOR_TRAP_FLAG] = handle_unexpected,
	[EXIT_RESERVED_38] = handle_unexpected,
	[EXIT_MONITOR] = handle_unexpected,
	[EXIT_PAUSE] = handle_unexpected,
	[EXIT_MCE_DURING_ENTRY] = handle_failed_entry,
	[EXIT_RESERVED_42] = handle_unexpected,
	[EXIT_TPR_BELOW_THRESHOLD] = handle_unexpected,
	[EXIT_APIC_ACCESS] = handle_unexpected,
	[EXIT_EOI_INDUCED] = handle_unexpected,
	[EXIT_GDTR_IDTR] = handle_unexpected,
	[EXIT_LDTR_TR] = handle_unexpected,
	[EXIT_EPT_VIOLATION] = handle_ept_violation,
	[EXIT_EPT_MISCONFIG] = handle_ept_misconfig,
	[EXIT_INVEPT] = handle_vmx_insn,
	[EXIT_RDTSCP] = handle_unexpected,
	[EXIT_PREEMPTION_TIMER] = handle_preemption_timer,
	[EXIT_INVVPID] = handle_vmx_insn,
	[EXIT_WBINVD] = handle_unexpected,
	[EXIT_XSETBV] = handle_xsetbv,
	[EXIT_APIC_WRITE] = handle_unexpected,
	[EXIT_RDRAND] = handle_unexpected,
	[EXIT_INVPCID] = handle_unexpected,
	[EXIT_VMFUNC] = handle_vmx_insn,
	[EXIT_ENCLS] = handle_unexpected,
	[EXIT_RDSEED] = handle_unexpected,
	[EXIT_PML_FULL] = handle_unexpected,
	[EXIT_XSAVES] = handle_unexpected,
	[EXIT_XRSTORS] = handle_unexpected,
	[EXIT_PCONFIG] = handle_unexpected,
	[EXIT_SPP] = handle_unexpected,
	[EXIT_UMWAIT] = handle_unexpected,
	[EXIT_TPAUSE] = handle_unexpected,
	[EXIT_LOADIWKEY] = handle_unexpected,
};

/* Deliver a pending NMI now, or ask for an NMI-window exit. */
static void inject_pending_nmi(struct per_cpu *pc)
{
	u64 cpu = vmcs_read(CPU_BASED_VM_EXEC_CONTROL);
	u64 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	bool blocked = intr & (GUEST_INTR_NMI | GUEST_INTR_STI | GUEST_INTR_MOV_SS);

	u32 pending = __atomic_load_n(&pc->pending_nmis, __ATOMIC_SEQ_CST);

	if (!pending || (vmcs_read(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID)) {
		if (!pending && (cpu & CPU_NMI_WINDOW_EXITING))
			vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu & ~CPU_NMI_WINDOW_EXITING);
		else if (pending)
			vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu | CPU_NMI_WINDOW_EXITING);
		return;
	}
	if (blocked) {
		vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu | CPU_NMI_WINDOW_EXITING);
		return;
	}
	/* The host NMI handler may queue one meanwhile: count down atomically. */
	pending = __atomic_sub_fetch(&pc->pending_nmis, 1, __ATOMIC_SEQ_CST);
	vmx_inject(X86_VEC_NMI, INTR_TYPE_NMI, false, 0);
	if (!pending)
		vmx_vmwrite(CPU_BASED_VM_EXEC_CONTROL, cpu & ~CPU_NMI_WINDOW_EXITING);
}

/*
 * Blocking by SMI is valid only for an entry to SMM, which Mamori never does.
 * Bochs 2.7 saves it set on every exit of an AP that it started from
 * wait-for-SIPI, and the next VM entry then fails: clear it.
 */
#define GUEST_INTR_SMI	BIT(2)

static void clear_smi_blocking(void)
{
	u64 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);

	if (intr & GUEST_INTR_SMI)
		vmx_vmwrite(GUEST_INTERRUPTIBILITY_INFO, intr & ~(u64)GUEST_INTR_SMI);
}

static void vmx_dispatch_exit(struct per_cpu *pc, struct guest_regs *r)
{
	u64 t0 = rdtsc();
	u32 full = (u32)vmcs_read(VM_EXIT_REASON), reason = full & 0xffff;

	/* The monitor's exits have their own, deny-all handlers (vmx_monitor.c). */
	if (vmx_monitor_active(pc)) {
		if (vmx_monitor_exit(pc, r, full)) {	/* back in the guest's VMCS */
			if (pc->init_pending)
				vapic_apply_init(pc);
			inject_pending_nmi(pc);
		}
		return;
	}
	vmx_count_exit(pc, reason);
	if (full & VMX_EXIT_REASON_FAILED_ENTRY) {
		handle_failed_entry(pc, r);
		return;
	}
	pc->launched = true;
	arch_vm_ept_sync(pc->vm);
	vmx_requeue_idt_vectoring();
	clear_smi_blocking();
	if (reason != EXIT_SIPI && reason != EXIT_INIT)
		pc->sipi_fresh = false;
	if (reason < VMX_EXIT_REASONS)
		vmx_exit_table[reason](pc, r);
	else
		handle_unexpected(pc, r);
	if (pc->init_pending)
		vapic_apply_init(pc);
	inject_pending_nmi(pc);
	pc->exit_tsc[MIN(reason, (u32)VMX_EXIT_REASONS)] += rdtsc() - t0;
	vmx_monitor_guest_exit(pc, r, reason);	/* may switch to the monitor's VMCS */
}

void vmx_handle_exit(struct guest_regs *r)
{
	struct per_cpu *pc = this_cpu();

	spec_ctrl_vm_exit(&pc->guest_spec_ctrl);	/* the VMM's value first */
	vmx_dispatch_exit(pc, r);
	console_poll();		/* queued log bytes out while the guest runs */
	spec_ctrl_vm_entry(pc->guest_spec_ctrl);
}

void vmx_resume_failed(void)
{
	struct per_cpu *pc = this_cpu();
	u32 err = (u32)vmcs_read(VM_INSTRUCTION_ERROR);

	pr_fatal("cpu%u: VMRESUME failed: %s (error %u)\n", pc->cpu_id,
		 vmx_insn_error_name(err), err);
	vmx_dump_guest_state();
	platform_reset("VMRESUME failed");
}

